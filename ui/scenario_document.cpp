#include "ui/scenario_document.hpp"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QThreadPool>
#include <QUndoStack>
#include <QWidget>

#include <utility>

#include <fmt/format.h>

#include "drivers/plan_builder.hpp"
#include "model/compose_patch.hpp"
#include "model/compose_reader.hpp"
#include "model/compose_writer.hpp"
#include "ui/edit_command.hpp"
#include "ui/worker.hpp"

namespace cnmlab::ui {

std::string Resolved::errorObject() const {
    if (!error) {
        return {};
    }
    const std::string& m = error->message();
    for (const char* section : {"services.", "networks.", "x-hosts.", "x-externals."}) {
        const std::string s(section);
        if (m.rfind(s, 0) == 0) {
            const auto end = m.find_first_of(".:[ ", s.size());
            return m.substr(0, end == std::string::npos ? m.size() : end);
        }
    }
    return {};
}

std::shared_ptr<const Resolved> resolveScenario(const model::Scenario& sc, bool readBack) {
    auto r = std::make_shared<Resolved>();
    if (readBack) {
        try {
            r->scenario = model::readScenario(model::writeScenario(sc), sc.file);
        } catch (const model::Error& e) {
            r->scenario = sc;
            r->error = e;
            r->stage = Resolved::Stage::Read;
            return r;
        }
    } else {
        r->scenario = sc;
    }
    try {
        r->topology = model::resolve(r->scenario);
    } catch (const model::Error& e) {
        r->error = e;
        r->stage = Resolved::Stage::Resolve;
        return r;
    }
    try {
        r->plan = drivers::buildPlan(*r->topology);
    } catch (const model::Error& e) {
        r->error = e;
        r->stage = Resolved::Stage::Plan;
    }
    return r;
}

ScenarioDocument::ScenarioDocument(QObject* parent)
    : QObject(parent), m_undo(new QUndoStack(this)) {
    connect(m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
    model::Scenario empty;
    empty.file = "untitled.yaml";
    empty.projectName = "untitled";
    empty.hosts.push_back({"host1", *model::Cidr::parse("192.168.100.11/24"), {}, {}});
    m_untitledName = tr("untitled");
    setScenario(std::move(empty), false);
}

ScenarioDocument::~ScenarioDocument() = default;

QString ScenarioDocument::displayName() const {
    return m_path.isEmpty() ? m_untitledName : QFileInfo(m_path).fileName();
}

bool ScenarioDocument::isModified() const {
    return !m_undo->isClean();
}

void ScenarioDocument::load(const QString& path) {
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) {
        throw model::Error(model::ErrorKind::NotFound,
                           fmt::format("cannot read {}", path.toStdString()),
                           model::SourcePos{path.toStdString(), 1, 1});
    }
    const QByteArray bytes = in.readAll();
    std::string text(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    model::Scenario sc = model::readScenario(text, path.toStdString());  // throws: nothing changes
    m_savedText = std::move(text);
    m_savedScenario = sc;
    m_path = path;
    m_undo->clear();
    setScenario(std::move(sc), false);
    emit pathChanged(m_path);
    emit reset();
    emit modifiedChanged(false);
}

void ScenarioDocument::loadText(const std::string& text, const QString& untitledName) {
    const std::string file = untitledName.toStdString() + ".yaml";
    model::Scenario sc = model::readScenario(text, file);
    m_savedText = text;
    m_savedScenario = sc;
    m_path.clear();
    m_untitledName = untitledName;
    m_undo->clear();
    setScenario(std::move(sc), false);
    emit pathChanged(m_path);
    emit reset();
    emit modifiedChanged(false);
}

void ScenarioDocument::save(const QString& path) {
    const std::string text = model::patchScenario(m_savedText, m_savedScenario, m_scenario).text;
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        out.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !out.commit()) {
        throw model::Error(model::ErrorKind::System,
                           path.toStdString() + ": " + out.errorString().toStdString());
    }
    const bool renamed = path != m_path;
    m_path = path;
    m_savedText = text;
    m_savedScenario = m_scenario;
    m_undo->setClean();
    if (renamed) {
        // Error positions and the default project name follow the file name.
        model::Scenario sc = m_scenario;
        sc.file = path.toStdString();
        setScenario(std::move(sc), true);
        emit pathChanged(m_path);
        emit changed();
    }
}

void ScenarioDocument::edit(const QString& text, std::vector<Edit> edits, bool mergeable) {
    if (edits.empty()) {
        return;
    }
    m_undo->push(new EditCommand(this, text, std::move(edits), mergeable));  // redo() applies them
}

void ScenarioDocument::applyEdits(const std::vector<Edit>& edits, bool forward) {
    bool layoutOnly = true;
    QStringList moved;
    auto step = [&](const Edit& e) {
        applyEdit(m_scenario, e, forward);
        if (const auto* l = std::get_if<LayoutEdit>(&e)) {
            moved << QString::fromStdString(l->name);
        } else {
            layoutOnly = false;
        }
    };
    if (forward) {
        for (const auto& e : edits) {
            step(e);
        }
    } else {
        for (auto it = edits.rbegin(); it != edits.rend(); ++it) {
            step(*it);
        }
    }
    if (layoutOnly) {
        reindexLayout();
        emit layoutChanged(moved);
        return;
    }
    if (!m_background) {
        model::Scenario sc = m_scenario;
        setScenario(std::move(sc), true);
        emit changed();
        return;
    }
    reindexLayout();
    startValidation();
    emit changed();
}

void ScenarioDocument::setScenario(model::Scenario sc, bool readBack) {
    ++m_generation;  // a check still running is of an older scenario
    if (m_validating) {
        m_validating = false;
        emit validatingChanged(false);
    }
    m_resolved = resolveScenario(sc, readBack);
    // The reader's view is canonical (implicit networks, positions of keys).
    if (m_resolved->stage == Resolved::Stage::Read) {
        m_scenario = std::move(sc);
    } else {
        m_scenario = m_resolved->scenario;
    }
    reindexLayout();
}

void ScenarioDocument::startValidation() {
    const std::uint64_t generation = ++m_generation;
    // The worker gets its own copy; the watcher is parented to the document, so
    // a result arriving after the document is gone is never delivered.
    auto* watcher = new QFutureWatcher<WorkerOutcome<Checked>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        auto outcome = watcher->future().takeResult();
        watcher->deleteLater();
        if (!outcome.ok()) {
            // The check itself failed: the user sees why where a check's error shows.
            auto failed = std::make_shared<Resolved>();
            failed->scenario = m_scenario;
            failed->error = model::Error(
                model::ErrorKind::System,
                tr("the check of this edit failed: %1").arg(outcome.error).toStdString());
            failed->stage = Resolved::Stage::Read;
            outcome.value.emplace(Checked{std::move(failed), std::nullopt});
        }
        applyValidation(generation, std::move(*outcome.value));
    });
    watcher->setFuture(runGuarded([sc = m_scenario] {
        Checked c{resolveScenario(sc, true), std::nullopt};
        if (c.resolved->stage != Resolved::Stage::Read) {
            c.canonical = c.resolved->scenario;
        }
        return c;
    }));
    if (!m_validating) {
        m_validating = true;
        emit validatingChanged(true);
    }
}

void ScenarioDocument::applyValidation(std::uint64_t generation, Checked checked) {
    if (generation != m_generation) {
        return;  // the scenario changed since: a newer check is on its way
    }
    std::shared_ptr<const Resolved> old = std::exchange(m_resolved, std::move(checked.resolved));
    if (checked.canonical) {
        // The reader's view is canonical; positions moved meanwhile (moves do
        // not re-check) are the user's latest.
        auto layout = std::move(m_scenario.layout);
        m_scenario = std::move(*checked.canonical);
        m_scenario.layout = std::move(layout);
    }
    // A snapshot of 1000 containers takes ~20 ms to free: off the UI thread,
    // when the document held the last reference to it.
    QThreadPool::globalInstance()->start([old = std::move(old)]() mutable { old.reset(); });
    reindexLayout();
    m_validating = false;
    emit validatingChanged(false);
    emit changed();
}

void ScenarioDocument::followWhenVisible(QWidget* view, bool* stale,
                                         const std::function<void()>& rebuild) {
    // The snapshot last seen (weak: a freed one never equals a new one).
    auto seen = std::make_shared<std::weak_ptr<const Resolved>>(m_resolved);
    auto onChange = [this, view, stale, rebuild, seen](bool always) {
        if (!always && seen->lock() == m_resolved) {
            return;  // an edit whose check is on its way: the snapshot is the same
        }
        *seen = m_resolved;
        *stale = true;
        if (view->isVisible()) {
            rebuild();
        }
    };
    connect(this, &ScenarioDocument::changed, view, [onChange] { onChange(false); });
    connect(this, &ScenarioDocument::reset, view, [onChange] { onChange(true); });
}

void ScenarioDocument::reindexLayout() {
    m_layoutIndex.clear();
    for (std::size_t i = 0; i < m_scenario.layout.size(); ++i) {
        m_layoutIndex[m_scenario.layout[i].first] = i;
    }
}

std::optional<QPointF> ScenarioDocument::position(const std::string& name) const {
    auto it = m_layoutIndex.find(name);
    if (it == m_layoutIndex.end()) {
        return std::nullopt;
    }
    const auto& xy = m_scenario.layout[it->second].second;
    return QPointF(xy.first, xy.second);
}

}  // namespace cnmlab::ui

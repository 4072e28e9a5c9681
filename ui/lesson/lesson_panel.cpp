#include "ui/lesson/lesson_panel.hpp"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "ui/language.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {
QString local(const model::Text& t) {
    const std::string& s = Language::code() == QLatin1String("zh") && !t.zh.empty() ? t.zh : t.en;
    return qstr(s);
}
}  // namespace

LessonPanel::LessonPanel(ScenarioDocument* doc, TopologyScene* scene, SimulationController* sim,
                         QWidget* parent)
    : QWidget(parent), m_doc(doc), m_scene(scene), m_sim(sim) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    m_title = new QLabel(this);
    m_title->setFont(Theme::uiFont(12, true));
    m_title->setWordWrap(true);
    m_counter = new QLabel(this);
    m_counter->setForegroundRole(QPalette::PlaceholderText);
    m_text = new QTextBrowser(this);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setOpenLinks(false);
    QFont f = Theme::uiFont(11);
    m_text->setFont(f);
    auto* buttons = new QHBoxLayout;
    m_prev = new QPushButton(this);
    m_next = new QPushButton(this);
    m_play = new QPushButton(this);
    Theme::setIcon(m_prev, QStringLiteral("step-back"));
    Theme::setIcon(m_next, QStringLiteral("step-forward"));
    Theme::setIcon(m_play, QStringLiteral("play"));
    buttons->addWidget(m_prev);
    buttons->addWidget(m_play, 1);
    buttons->addWidget(m_next);
    layout->addWidget(m_title);
    layout->addWidget(m_counter);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    connect(m_prev, &QPushButton::clicked, this, [this] { showStep(m_step - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { showStep(m_step + 1); });
    connect(m_play, &QPushButton::clicked, this, [this] { showStep(m_step, true); });
    connect(doc, &ScenarioDocument::reset, this, &LessonPanel::reload);
    connect(doc, &ScenarioDocument::changed, this, &LessonPanel::render);
    connect(sim->playback(), &Playback::loaded, this, &LessonPanel::onProbeLoaded);
    changeEvent(nullptr);
    reload();
}

int LessonPanel::stepCount() const {
    const auto& l = m_doc->scenario().lesson;
    return l ? static_cast<int>(l->steps.size()) : 0;
}

void LessonPanel::reload() {
    m_step = stepCount() > 0 ? 0 : -1;
    render();
    highlightStep();  // the scene was rebuilt before (it listens to the document first)
}

void LessonPanel::showStep(int i, bool play) {
    if (stepCount() == 0) {
        return;
    }
    m_step = std::clamp(i, 0, stepCount() - 1);
    render();
    highlightStep();
    const model::LessonStep& st = m_doc->scenario().lesson->steps[static_cast<std::size_t>(m_step)];
    if (!play) {
        return;
    }
    // Nothing of the step before: its probe stops, its token and trail go
    // (also when this step's probe cannot be played).
    m_sim->playback()->clear();
    if (st.probe) {
        m_playingStep = true;
        emit playRequested(*st.probe);
        m_playingStep = false;
    }
}

void LessonPanel::onProbeLoaded() {
    if (!m_playingStep && m_sim->playback()->probe() != nullptr) {
        m_scene->setHighlighted(QStringLiteral("lesson"), {});
    }
}

void LessonPanel::highlightStep() {
    if (m_step < 0 || m_step >= stepCount()) {
        m_scene->setHighlighted(QStringLiteral("lesson"), {});
        return;
    }
    const model::LessonStep& st = m_doc->scenario().lesson->steps[static_cast<std::size_t>(m_step)];
    QStringList ids;
    for (const auto& name : st.highlight) {
        const QString id = canvasIdFor(m_scene->graph(), name);
        if (id.startsWith(QLatin1String("host:"))) {
            ids << QStringLiteral("frame:") + id.mid(5);
        }
        if (!id.isEmpty()) {
            ids << id;
        }
    }
    m_scene->setHighlighted(QStringLiteral("lesson"), ids);
}

void LessonPanel::render() {
    const auto& lesson = m_doc->scenario().lesson;
    const int n = stepCount();
    if (!lesson || n == 0) {
        m_title->setText(tr("No lesson"));
        m_counter->clear();
        m_text->setHtml(
            tr("<p>This scenario has no <code>x-lesson</code>. Open "
               "<b>scenarios/tour.yaml</b> for a guided tour of Docker networking on one "
               "host.</p>"));
        for (QPushButton* b : {m_prev, m_next, m_play}) {
            b->setEnabled(false);
        }
        return;
    }
    m_step = std::clamp(m_step, 0, n - 1);
    const model::LessonStep& st = lesson->steps[static_cast<std::size_t>(m_step)];
    m_title->setText(local(lesson->title));
    m_counter->setText(tr("Step %1 of %2").arg(m_step + 1).arg(n));
    QString html =
        QStringLiteral("<p style='line-height:140%'>%1</p>").arg(local(st.text).toHtmlEscaped());
    if (st.probe && *st.probe < static_cast<int>(m_doc->scenario().probes.size())) {
        const auto& p = m_doc->scenario().probes[static_cast<std::size_t>(*st.probe)];
        html += QStringLiteral("<p style='color:%1'>%2</p>")
                    .arg(Theme::colors().subtext.name(),
                         tr("Probe: %1 → %2")
                             .arg(QString::fromStdString(p.from),
                                  QString::fromStdString(p.resolve ? "DNS " + *p.resolve
                                                                   : p.to.value_or(""))));
    }
    m_text->setHtml(html);
    m_prev->setEnabled(m_step > 0);
    m_next->setEnabled(m_step + 1 < n);
    m_play->setEnabled(st.probe.has_value());
}

void LessonPanel::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_prev->setText(tr("Back"));
        m_next->setText(tr("Next"));
        m_play->setText(tr("Play this step's probe"));
        render();
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

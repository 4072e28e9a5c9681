#pragma once
// The studio's document: the one model::Scenario being edited (the single
// truth every view projects), its undo stack, and what it resolves to.
//
// After every edit the document checks the scenario exactly as the CLI would
// check the file Save would write: model::writeScenario, model::readScenario,
// model::resolve, drivers::buildPlan. The outcome is a Resolved snapshot
// (immutable, shared with views and worker threads). When the reader accepts
// the text, the re-read scenario becomes the document's scenario, so Compose's
// implicit objects (the `default` network) appear and disappear as Docker
// would create them. When it rejects it, the edit stays (the user sees and
// fixes it) and Resolved::error says why, as FILE:LINE:COL.
//
// An edit's check runs on a worker thread (it costs ~0.5 s for 1000
// containers): edit() changes the scenario and emits changed() at once, with
// resolved() still the previous snapshot and validating() true; the result is
// applied on the UI thread and changed() is emitted again. Each edit bumps a
// generation counter and a result of an older generation is dropped, so only
// the check of the latest scenario is ever applied. Loading a file is checked
// synchronously (the caller reports its errors at once).
//
// Views never change the scenario: they push edits (scenario_edit.hpp) through
// edit(), which wraps them in a QUndoCommand, and listen to the signals.

#include <QFutureWatcher>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "model/error.hpp"
#include "model/scenario.hpp"
#include "model/topology.hpp"
#include "ui/scenario_edit.hpp"

class QUndoStack;
class QWidget;

namespace cnmlab::ui {

// What the scenario resolved to. Not copyable: the Topology points into
// `scenario` and the Plan is built from it.
struct Resolved {
    enum class Stage { Ok, Read, Resolve, Plan };
    model::Scenario scenario;
    std::optional<model::Topology> topology;  // when the reader and resolve() accepted it
    std::optional<drivers::Plan> plan;        // when buildPlan() did too
    std::optional<model::Error> error;        // the first problem, as the CLI reports it
    Stage stage = Stage::Ok;

    Resolved() = default;
    Resolved(const Resolved&) = delete;
    Resolved& operator=(const Resolved&) = delete;

    bool ok() const { return stage == Stage::Ok; }
    // "services.web", "networks.front", "x-hosts.host1", "x-externals.laptop" or ""
    // for the object the error message names (its leading YAML path).
    std::string errorObject() const;
};

// Checks `sc` as the CLI checks a file (see the header comment). `readBack`
// false skips the write/read round trip (the scenario was just read from disk).
// Cost: O(size of the scenario); ~0.1 s for 1000 containers.
std::shared_ptr<const Resolved> resolveScenario(const model::Scenario& sc, bool readBack);

class ScenarioDocument : public QObject {
    Q_OBJECT
public:
    explicit ScenarioDocument(QObject* parent = nullptr);
    ~ScenarioDocument() override;

    // Reads FILE as `cnmlab validate` does. Throws model::Error when the reader
    // rejects it (the document is unchanged); problems found later (addresses,
    // drivers) load the scenario and are reported by resolved().error.
    void load(const QString& path);
    // A new untitled document from Compose text (a template). Throws like load().
    void loadText(const std::string& text, const QString& untitledName);
    // Writes the scenario as the text it was read from, changed only where it
    // was edited (model::patchScenario: the edited objects and x-layout
    // entries; comments, blank lines and the spelling of the rest stay).
    // Nodes the canvas lays out itself get no x-layout entry: the layout is
    // deterministic, so the file reopens as it looks. Throws
    // model::Error(System) when the file cannot be written.
    void save(const QString& path);

    QString path() const { return m_path; }  // empty for an untitled document
    QString displayName() const;             // file name, or the untitled name
    bool isModified() const;

    const model::Scenario& scenario() const { return m_scenario; }
    // The latest check's outcome; while validating(), that of an earlier scenario.
    const Resolved& resolved() const { return *m_resolved; }
    std::shared_ptr<const Resolved> snapshot() const { return m_resolved; }
    // An edit's check is running; resolved() will follow with changed().
    bool validating() const { return m_validating; }
    // On by default. Off, each edit is checked on the UI thread before edit()
    // returns, as the studio once did (studio_edit_latency compares the two).
    void setBackgroundChecks(bool on) { m_background = on; }
    QUndoStack* undoStack() const { return m_undo; }

    // Applies `edits` now as one undoable step named `text`.
    // `mergeable`: see EditCommand (keyboard nudges).
    void edit(const QString& text, std::vector<Edit> edits, bool mergeable = false);
    // Applies edits without an undo entry (used by EditCommand, and for the
    // automatic layout of a freshly opened file, which is not a user change).
    void applyEdits(const std::vector<Edit>& edits, bool forward);

    // For views of the snapshot that cost much to rebuild (the Plan view, a
    // host's devices): after a reset, and after a change that brought a new
    // snapshot (not an edit whose check is still running), calls `rebuild`
    // when `view` is visible, else sets `*stale` (the view rebuilds when it
    // is shown). `stale` lives in `view`.
    void followWhenVisible(QWidget* view, bool* stale, const std::function<void()>& rebuild);

    // x-layout position of a service, network, host, external or "lan".
    std::optional<QPointF> position(const std::string& name) const;

signals:
    // A different scenario was loaded: views rebuild from scratch.
    void reset();
    // The scenario changed (an edit: at once), or its check arrived.
    void changed();
    // validating() turned on or off.
    void validatingChanged(bool validating);
    // Only positions changed (x-layout names).
    void layoutChanged(const QStringList& names);
    void modifiedChanged(bool modified);
    void pathChanged(const QString& path);

private:
    void setScenario(model::Scenario sc, bool readBack);
    // What a worker's check hands back: the snapshot, and the document's own
    // copy of the canonical scenario (made there too: it is not cheap).
    struct Checked {
        std::shared_ptr<const Resolved> resolved;
        std::optional<model::Scenario> canonical;  // none when the reader rejected it
    };
    // Checks the current scenario on a worker thread (see the header comment).
    void startValidation();
    void applyValidation(std::uint64_t generation, Checked checked);
    void reindexLayout();

    QString m_path;
    QString m_untitledName;
    model::Scenario m_scenario;
    // The file's text as last read or saved, and the scenario it reads as:
    // what save() patches.
    std::string m_savedText;
    model::Scenario m_savedScenario;
    std::shared_ptr<const Resolved> m_resolved;
    QUndoStack* m_undo = nullptr;
    std::unordered_map<std::string, std::size_t> m_layoutIndex;
    std::uint64_t m_generation = 0;  // bumped by every change of the scenario
    bool m_validating = false;
    bool m_background = true;
};

}  // namespace cnmlab::ui

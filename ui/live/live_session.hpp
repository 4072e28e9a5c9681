#pragma once
// The studio's Live mode: the document's scenario built in real network
// namespaces, probed, and compared with the simulation.
//
// The studio runs as a normal user and never enters a namespace: everything
// that needs privileges (up, the probes, down) is done by `cnmlab live
// helper`, a separate process started with the user's consent for each time
// Live is switched on (LiveHelper: pkexec, else sudo; directly when the
// studio runs as root). The helper gets the scenario as text, so an unsaved
// scenario goes up as it is on the canvas. The simulation side of every
// comparison runs here, on worker threads, on the snapshot that went up, so
// the answers are compared with the topology the kernel holds. The UI thread
// never waits for the helper or a worker; results come back as signals.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "sim/trace.hpp"
#include "ui/live/live_helper.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/simulation_session.hpp"

namespace cnmlab::ui {

class ScenarioDocument;

// The reach matrix asked of the simulation and of the kernel.
struct LiveMatrix {
    std::unique_ptr<ReachResults> reach;  // the simulation's, for the snapshot that is up
    std::vector<KernelAnswer> kernel;     // kernel[i] answers reach->matrix.entries[i]
    int agree = 0;
    int disagree = 0;
    QString error;  // when it could not run (a namespace was gone ...); then empty
};

// One question from a container (or host, or external), answered twice.
struct LiveProbeResult {
    ProbeRequest request;
    QString simAnswer;          // "reachable", "unreachable", the addresses, or "nxdomain"
    QString kernelAnswer;       // the same words, from the kernel
    sim::Text simReason;        // the simulation's sentence
    QStringList kernelDetails;  // what the kernel said for each address tried
    QString error;              // when it could not run (an unknown name ...)
    bool agree() const { return error.isEmpty() && simAnswer == kernelAnswer; }
};

class LiveSession : public QObject {
    Q_OBJECT
public:
    enum class State { Off, GoingUp, Up, GoingDown };

    explicit LiveSession(ScenarioDocument* doc, QObject* parent = nullptr);
    // Still up (the window went away without switching off): the helper's
    // input closes, it takes the topology down, and this waits for it
    // (bounded), so no namespace outlives the studio.
    ~LiveSession() override;

    // The `cnmlab` binary the helper runs: by default the one beside this
    // program (QCoreApplication::applicationDirPath()); tests point it at theirs.
    void setCliPath(const QString& path) { m_cli = path; }
    QString cliPath() const { return m_cli; }
    // The command that starts the helper with privileges, put before `CLI
    // live helper` (["pkexec"], ["sudo", "-A", "--"] ...); empty runs it
    // directly. By default defaultElevation()'s choice.
    void setElevation(const QStringList& command) { m_elevation = {command, {}}; }
    QStringList elevation() const { return m_elevation.command; }

    State state() const { return m_state; }
    // Switched on and waiting for the user's consent (the helper's hello).
    bool waitingForPermission() const;
    // The helper while it runs (nullptr otherwise): its uid and pid.
    const LiveHelper* helper() const { return m_helper; }
    // The name of what went up (the document's file, or its untitled name),
    // and whether it is the canvas's unsaved scenario rather than the file.
    QString upFile() const { return m_file; }
    bool usesCopy() const { return m_unsaved; }
    // The document changed since it went up: the kernel holds the old topology.
    bool stale() const { return m_stale; }
    std::shared_ptr<const Resolved> upSnapshot() const { return m_snapshot; }
    // The last error of up or down ("" after a success).
    QString lastError() const { return m_error; }

    // Switching on needs a scenario that can be simulated; switching off while
    // going up cancels a consent still asked for, or takes it down as soon as
    // it is up.
    void switchOn();
    void switchOff();

    // The matrix in the kernel: run once when it is up; again on request.
    const LiveMatrix* matrix() const { return m_matrix.get(); }
    bool matrixRunning() const { return m_matrixJob != nullptr; }
    void runMatrix();
    // One question in the kernel and in the simulation; emits probeFinished.
    bool probeRunning() const { return m_probeJob != nullptr; }
    void runProbe(const ProbeRequest& req);

signals:
    void stateChanged(cnmlab::ui::LiveSession::State state);
    void message(const QString& text);                       // progress, for the status bar
    void failed(const QString& title, const QString& text);  // up or down went wrong
    void matrixChanged();                                    // matrix() is new or gone
    void probeFinished(const cnmlab::ui::LiveProbeResult& result);

private:
    struct MatrixJob;
    struct ProbeJob;
    void setState(State s);
    void fail(const QString& title, const QString& why);
    void sendUp();
    void upReplied(const HelperReply& reply);
    void downReplied(const HelperReply& reply);
    void helperEnded(LiveHelper* helper, const QString& why);
    void retireHelper();
    void finishMatrix(const std::shared_ptr<MatrixJob>& job);
    void finishProbe(const std::shared_ptr<ProbeJob>& job);
    void abandonJobs(const QString& why);
    void documentChanged();
    void dropMatrix();

    ScenarioDocument* m_doc;
    QString m_cli;
    Elevation m_elevation;
    State m_state = State::Off;
    bool m_downWhenUp = false;
    bool m_stale = false;
    bool m_unsaved = false;
    QString m_file;
    QString m_error;
    std::string m_upText;  // the scenario that went up, without its layout
    std::shared_ptr<const Resolved> m_snapshot;
    LiveHelper* m_helper = nullptr;
    std::unique_ptr<LiveMatrix> m_matrix;
    std::shared_ptr<MatrixJob> m_matrixJob;
    std::shared_ptr<ProbeJob> m_probeJob;
};

}  // namespace cnmlab::ui

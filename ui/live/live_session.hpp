#pragma once
// The studio's Live mode: the document's scenario built in real network
// namespaces, probed, and compared with the simulation.
//
// Up and down run the `cnmlab` command line (`cnmlab live up FILE`, `live down
// FILE`) as a QProcess: `live up` forks the daemon that serves the listeners
// and the embedded DNS, and forking this multithreaded process would be
// unsafe. Probes run in this process on worker threads (QtConcurrent), through
// live::Prober, whose NetnsGuard moves only the worker thread into a
// namespace. The UI thread never waits for either; results come back as
// signals. The matrix and the probes always use the snapshot that went up, so
// the simulation they are compared with is the topology the kernel holds.
//
// The file given to the CLI is the document's own when it is saved and
// unmodified; otherwise a copy of the current scenario written to a temporary
// directory (kept until `live down`), with its project name written out so the
// namespaces' prefix is the same.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "sim/trace.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/simulation_session.hpp"

class QProcess;
class QTemporaryDir;

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
    // Still up (the window went away without switching off): runs `live down`
    // and waits for it (bounded), so no namespace outlives the studio.
    ~LiveSession() override;

    // The `cnmlab` binary: by default the one beside this program
    // (QCoreApplication::applicationDirPath()); tests point it at theirs.
    void setCliPath(const QString& path) { m_cli = path; }
    QString cliPath() const { return m_cli; }

    State state() const { return m_state; }
    // The file `live up` was given, and whether it is a temporary copy.
    QString upFile() const { return m_file; }
    bool usesCopy() const { return m_copy != nullptr; }
    // The document changed since it went up: the kernel holds the old topology.
    bool stale() const { return m_stale; }
    std::shared_ptr<const Resolved> upSnapshot() const { return m_snapshot; }
    // The last error of up or down ("" after a success).
    QString lastError() const { return m_error; }

    // Switching on needs a scenario that can be simulated; switching off while
    // going up takes it down as soon as it is up.
    void switchOn();
    void switchOff();

    // The matrix in the kernel: run once when it is up; again on request.
    const LiveMatrix* matrix() const { return m_matrix.get(); }
    bool matrixRunning() const { return m_matrixWatcher != nullptr; }
    void runMatrix();
    // One question in the kernel and in the simulation; emits probeFinished.
    bool probeRunning() const { return m_probeWatcher != nullptr; }
    void runProbe(const ProbeRequest& req);

signals:
    void stateChanged(cnmlab::ui::LiveSession::State state);
    void message(const QString& text);                       // progress, for the status bar
    void failed(const QString& title, const QString& text);  // up or down went wrong
    void matrixChanged();                                    // matrix() is new or gone
    void probeFinished(const cnmlab::ui::LiveProbeResult& result);

private:
    void setState(State s);
    bool prepareFile();  // chooses or writes the file for the CLI
    void runCli(const QString& verb);
    void cliFinished(const QString& verb, int exitCode, bool crashed);
    void documentChanged();
    void dropMatrix();

    ScenarioDocument* m_doc;
    QString m_cli;
    State m_state = State::Off;
    bool m_downWhenUp = false;
    bool m_stale = false;
    QString m_file;
    QString m_error;
    std::string m_upText;  // the scenario that went up, without its layout
    std::unique_ptr<QTemporaryDir> m_copy;
    std::shared_ptr<const Resolved> m_snapshot;
    QProcess* m_process = nullptr;
    std::unique_ptr<LiveMatrix> m_matrix;
    QFutureWatcher<LiveMatrix*>* m_matrixWatcher = nullptr;
    QFutureWatcher<LiveProbeResult>* m_probeWatcher = nullptr;
};

}  // namespace cnmlab::ui

#include "ui/live/live_session.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QtConcurrent/QtConcurrentRun>

#include "live/prober.hpp"
#include "model/compose_writer.hpp"
#include "model/error.hpp"
#include "ui/scenario_document.hpp"

namespace cnmlab::ui {

namespace {

// How long the destructor waits for the CLI; `live up` and `down` take well
// under a second for the teaching scenarios.
constexpr int kLastResortWaitMs = 30'000;

QString q(const std::string& s) {
    return QString::fromStdString(s);
}

// The scenario as text without its canvas positions: moving a node on the
// canvas does not change the topology in the kernel.
std::string topologyText(const model::Scenario& sc) {
    model::Scenario copy = sc;
    copy.layout.clear();
    return model::writeScenario(copy);
}

model::ProbeSpec specOf(const ProbeRequest& req) {
    model::ProbeSpec spec;
    spec.from = req.from;
    if (req.resolve) {
        spec.resolve = req.resolve;
        spec.expect = model::Expect::Address;
    } else {
        spec.to = req.to;
        spec.proto = req.proto;
        spec.port = req.port;
        spec.network = req.network;
    }
    return spec;
}

// Worker thread: the whole reach matrix, simulated and sent in the kernel.
LiveMatrix* probeMatrix(const std::shared_ptr<const Resolved>& snap) {
    auto m = std::make_unique<LiveMatrix>();
    m->reach = computeReach(snap);
    try {
        live::Prober prober(*m->reach->sim, *snap->topology);
        const live::LiveRun run = prober.run(m->reach->matrix, {});
        m->kernel.reserve(run.matrix.size());
        for (std::size_t i = 0; i < run.matrix.size(); ++i) {
            m->kernel.push_back({run.matrix[i].reachable, run.matrix[i].detail});
            (run.matrix[i].reachable == m->reach->matrix.entries[i].reachable ? m->agree
                                                                              : m->disagree) += 1;
        }
    } catch (const model::Error& e) {
        m->kernel.clear();
        m->error = q(e.message());
    }
    return m.release();
}

// Worker thread: one question, simulated in a fresh World and sent in the kernel.
LiveProbeResult probeOne(const std::shared_ptr<const Resolved>& snap, const ProbeRequest& req) {
    LiveProbeResult r;
    r.request = req;
    const model::ProbeSpec spec = specOf(req);
    try {
        sim::ScenarioSim simulation(*snap->topology, *snap->plan);
        const sim::CheckedProbe checked = sim::runCheck(simulation, spec);
        r.simReason = checked.record.reason;
        live::Prober prober(simulation, *snap->topology);
        const live::LiveRun run = prober.run(sim::ReachMatrix{}, {checked});
        const live::Comparison& c = run.checks.front();
        r.simAnswer = q(c.simAnswer);
        r.kernelAnswer = q(c.liveAnswer);
        for (const auto& d : c.liveDetails) {
            r.kernelDetails << q(d);
        }
    } catch (const model::Error& e) {
        r.error = q(e.message());
    }
    return r;
}

}  // namespace

LiveSession::LiveSession(ScenarioDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc),
      m_cli(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("cnmlab"))) {
    connect(doc, &ScenarioDocument::changed, this, &LiveSession::documentChanged);
    // Another scenario in the window: the one in the kernel goes.
    connect(doc, &ScenarioDocument::reset, this, &LiveSession::switchOff);
}

LiveSession::~LiveSession() {
    if (m_process != nullptr) {
        m_process->disconnect(this);
        m_process->waitForFinished(kLastResortWaitMs);
    }
    if (m_state == State::GoingUp || m_state == State::Up) {
        QProcess down;
        down.start(m_cli, {QStringLiteral("live"), QStringLiteral("down"), m_file});
        down.waitForFinished(kLastResortWaitMs);
    }
    if (m_matrixWatcher != nullptr) {
        m_matrixWatcher->waitForFinished();
        delete m_matrixWatcher->result();
    }
    if (m_probeWatcher != nullptr) {
        m_probeWatcher->waitForFinished();
    }
}

void LiveSession::setState(State s) {
    if (m_state != s) {
        m_state = s;
        emit stateChanged(s);
    }
}

bool LiveSession::prepareFile() {
    m_copy.reset();
    if (!m_doc->path().isEmpty() && !m_doc->isModified()) {
        m_file = m_doc->path();
        return true;
    }
    // Unsaved changes stay unsaved: the CLI gets a copy of what is on the canvas.
    m_copy = std::make_unique<QTemporaryDir>();
    model::Scenario sc = m_snapshot->scenario;
    sc.nameGiven = true;  // the copy's file name must not change the project name (the prefix)
    m_file = m_copy->filePath(q(sc.projectName) + QStringLiteral(".yaml"));
    const std::string text = model::writeScenario(sc);
    QSaveFile out(m_file);
    if (!m_copy->isValid() || !out.open(QIODevice::WriteOnly) ||
        out.write(text.data(), static_cast<qint64>(text.size())) !=
            static_cast<qint64>(text.size()) ||
        !out.commit()) {
        m_error = tr("Cannot write a copy of the scenario for the command line: %1")
                      .arg(out.errorString());
        m_copy.reset();
        return false;
    }
    emit message(tr("Live uses a copy of the unsaved scenario: %1").arg(m_file));
    return true;
}

void LiveSession::switchOn() {
    if (m_state == State::GoingUp || m_state == State::Up) {
        m_downWhenUp = false;
        return;
    }
    if (m_state == State::GoingDown) {
        return;
    }
    m_error.clear();
    m_snapshot = m_doc->snapshot();
    if (!m_snapshot->plan) {
        const QString why =
            m_snapshot->error ? q(m_snapshot->error->formatted()) : tr("the scenario is empty");
        m_error = why;
        m_snapshot.reset();
        emit failed(tr("Cannot switch Live on"), tr("The scenario cannot be built: %1").arg(why));
        emit stateChanged(m_state);
        return;
    }
    if (!prepareFile()) {
        m_snapshot.reset();
        emit failed(tr("Cannot switch Live on"), m_error);
        emit stateChanged(m_state);
        return;
    }
    m_upText = topologyText(m_snapshot->scenario);
    m_stale = false;
    m_downWhenUp = false;
    setState(State::GoingUp);
    emit message(tr("Live: building %1 in network namespaces (cnmlab live up)…")
                     .arg(q(m_snapshot->scenario.projectName)));
    runCli(QStringLiteral("up"));
}

void LiveSession::switchOff() {
    if (m_state == State::GoingUp) {
        m_downWhenUp = true;  // cliFinished takes it down
        return;
    }
    if (m_state != State::Up) {
        return;
    }
    dropMatrix();
    setState(State::GoingDown);
    emit message(
        tr("Live: taking %1 down (cnmlab live down)…").arg(q(m_snapshot->scenario.projectName)));
    runCli(QStringLiteral("down"));
}

void LiveSession::runCli(const QString& verb) {
    m_process = new QProcess(this);
    connect(m_process, &QProcess::finished, this,
            [this, verb](int code, QProcess::ExitStatus status) {
                cliFinished(verb, code, status == QProcess::CrashExit);
            });
    connect(m_process, &QProcess::errorOccurred, this, [this, verb](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            cliFinished(verb, -1, false);
        }
    });
    m_process->start(m_cli, {QStringLiteral("live"), verb, m_file});
}

void LiveSession::cliFinished(const QString& verb, int exitCode, bool crashed) {
    const QString out = QString::fromLocal8Bit(m_process->readAllStandardOutput()).trimmed();
    const QString err = QString::fromLocal8Bit(m_process->readAllStandardError()).trimmed();
    const QString startError = m_process->errorString();
    m_process->deleteLater();
    m_process = nullptr;
    const bool up = verb == QLatin1String("up");
    if (exitCode == 0 && !crashed) {
        m_error.clear();
        emit message(tr("Live: %1").arg(out));
        if (!up) {
            m_copy.reset();
            m_snapshot.reset();
            setState(State::Off);
            return;
        }
        setState(State::Up);
        if (m_downWhenUp) {
            switchOff();
            return;
        }
        runMatrix();
        return;
    }
    // Exit codes as SPEC §2 gives them.
    QString why;
    if (exitCode < 0) {
        why = tr("Cannot run the command line %1: %2").arg(m_cli, startError);
    } else if (crashed) {
        why = tr("The command line crashed.");
    } else if (exitCode == 1) {
        why = tr("The scenario is already up in the kernel, perhaps from an earlier session. Take "
                 "it down "
                 "with `cnmlab live down %1` and switch Live on again.")
                  .arg(m_file);
    } else if (exitCode == 3) {
        why =
            tr("This machine cannot build it: live mode needs root (CAP_NET_ADMIN) and the kernel "
               "drivers the scenario uses.");
    } else {
        why = tr("The command line rejected the scenario.");
    }
    m_error = err.isEmpty() ? why : why + QStringLiteral("\n\n") + err;
    // Up failed: nothing of ours is in the kernel (the CLI removed what it made).
    // Down failed: there is nothing more this session can do; it says so.
    m_copy.reset();
    m_snapshot.reset();
    setState(State::Off);
    emit failed(up ? tr("Cannot switch Live on") : tr("Cannot switch Live off"), m_error);
}

void LiveSession::runMatrix() {
    if (m_state != State::Up || m_stale || m_matrixWatcher != nullptr) {
        return;
    }
    dropMatrix();
    m_matrixWatcher = new QFutureWatcher<LiveMatrix*>(this);
    connect(m_matrixWatcher, &QFutureWatcher<LiveMatrix*>::finished, this, [this] {
        std::unique_ptr<LiveMatrix> m(m_matrixWatcher->result());
        m_matrixWatcher->deleteLater();
        m_matrixWatcher = nullptr;
        if (m_state != State::Up || m_stale) {
            emit matrixChanged();  // it went down or changed meanwhile: the answers are stale
            return;
        }
        if (!m->error.isEmpty()) {
            emit message(tr("Live: the matrix could not run: %1").arg(m->error));
        } else if (m->disagree == 0) {
            emit message(tr("Live: the kernel agrees with the simulation on all %n probe(s)",
                            nullptr, m->agree));
        } else {
            emit message(tr("Live: the kernel disagrees with the simulation on %1 of %2 probes")
                             .arg(m->disagree)
                             .arg(m->agree + m->disagree));
        }
        m_matrix = std::move(m);
        emit matrixChanged();
    });
    emit message(tr("Live: sending the reachability matrix in the kernel…"));
    m_matrixWatcher->setFuture(
        QtConcurrent::run([snap = m_snapshot] { return probeMatrix(snap); }));
    emit matrixChanged();  // running
}

void LiveSession::runProbe(const ProbeRequest& req) {
    if (m_state != State::Up || m_probeWatcher != nullptr) {
        return;
    }
    m_probeWatcher = new QFutureWatcher<LiveProbeResult>(this);
    connect(m_probeWatcher, &QFutureWatcher<LiveProbeResult>::finished, this, [this] {
        const LiveProbeResult r = m_probeWatcher->result();
        m_probeWatcher->deleteLater();
        m_probeWatcher = nullptr;
        emit probeFinished(r);
    });
    m_probeWatcher->setFuture(
        QtConcurrent::run([snap = m_snapshot, req] { return probeOne(snap, req); }));
}

void LiveSession::documentChanged() {
    if (m_state != State::Up && m_state != State::GoingUp) {
        return;
    }
    const bool stale = topologyText(m_doc->scenario()) != m_upText;
    if (stale != m_stale) {
        m_stale = stale;
        if (stale) {
            dropMatrix();
            emit message(
                tr("Live: the scenario changed; the kernel still holds the one that went up. "
                   "Switch Live off and on to rebuild it."));
        }
        emit stateChanged(m_state);
    }
}

void LiveSession::dropMatrix() {
    if (m_matrix) {
        m_matrix.reset();
        emit matrixChanged();
    }
}

}  // namespace cnmlab::ui

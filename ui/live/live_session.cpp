#include "ui/live/live_session.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

#include "model/compose_writer.hpp"
#include "model/error.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/worker.hpp"

namespace cnmlab::ui {

namespace {

// The scenario as text without its canvas positions (moving a node on the
// canvas does not change the topology in the kernel), with its project name
// written out: the name, and so the namespaces' prefix, must not depend on the
// file name the helper gives its copy.
std::string topologyText(const model::Scenario& sc) {
    model::Scenario copy = sc;
    copy.layout.clear();
    copy.nameGiven = true;
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

QJsonObject probeRequestJson(const ProbeRequest& req) {
    auto optional = [](const std::optional<std::string>& s) {
        return s ? QJsonValue(qstr(*s)) : QJsonValue(QJsonValue::Null);
    };
    return {{QStringLiteral("op"), QStringLiteral("probe")},
            {QStringLiteral("from"), qstr(req.from)},
            {QStringLiteral("to"), req.resolve ? QJsonValue(QJsonValue::Null) : qstr(req.to)},
            {QStringLiteral("proto"), qstr(model::protoName(req.proto))},
            {QStringLiteral("port"), req.port ? QJsonValue(*req.port) : QJsonValue()},
            {QStringLiteral("network"), optional(req.network)},
            {QStringLiteral("resolve"), optional(req.resolve)}};
}

// The simulation's side of one question, in the words the helper answers with.
struct SimAnswer {
    QString word;
    sim::Text reason;
};

// Worker thread: one question in a fresh World of the snapshot that is up.
SimAnswer simulate(const Resolved& snap, const ProbeRequest& req) {
    const model::ProbeSpec spec = specOf(req);
    sim::ScenarioSim simulation(*snap.topology, *snap.plan);
    const sim::CheckedProbe checked = sim::runCheck(simulation, spec);
    SimAnswer a;
    a.reason = checked.record.reason;
    a.word = qstr(sim::answerWord(checked));
    return a;
}

// Whether the helper's matrix entry `e` is the probe `s` of the studio's matrix.
bool sameProbe(const QJsonObject& e, const sim::ReachMatrix& m, const sim::ReachEntry& s) {
    return e.value(QStringLiteral("from")).toString() == qstr(m.names[s.from]) &&
           e.value(QStringLiteral("to")).toString() == qstr(m.names[s.to]) &&
           e.value(QStringLiteral("dst")).toString() == qstr(s.dst.str()) &&
           e.value(QStringLiteral("proto")).toString() == qstr(model::protoName(s.proto)) &&
           (s.proto == model::Proto::Icmp || e.value(QStringLiteral("port")).toInt() == s.port);
}

}  // namespace

// The two halves of one matrix: the simulation's (a worker) and the kernel's (the helper).
struct LiveSession::MatrixJob {
    std::optional<WorkerOutcome<std::unique_ptr<ReachResults>>> sim;
    std::optional<HelperReply> kernel;
};

struct LiveSession::ProbeJob {
    ProbeRequest request;
    std::optional<WorkerOutcome<SimAnswer>> sim;
    std::optional<HelperReply> kernel;
};

LiveSession::LiveSession(ScenarioDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc),
      m_cli(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("cnmlab"))),
      m_elevation(defaultElevation()) {
    connect(doc, &ScenarioDocument::changed, this, &LiveSession::documentChanged);
    // Another scenario in the window: the one in the kernel goes.
    connect(doc, &ScenarioDocument::reset, this, &LiveSession::switchOff);
}

// The helpers are children: each one's destructor closes its input and waits
// until it has taken down what it brought up.
LiveSession::~LiveSession() = default;

bool LiveSession::waitingForPermission() const {
    return m_helper != nullptr && m_helper->state() == LiveHelper::State::Starting;
}

void LiveSession::setState(State s) {
    if (m_state != s) {
        m_state = s;
        emit stateChanged(s);
    }
}

void LiveSession::fail(const QString& title, const QString& why) {
    m_error = why;
    m_snapshot.reset();
    const bool changed = m_state != State::Off;
    setState(State::Off);
    if (!changed) {
        emit stateChanged(m_state);  // a refused switch: the panel puts its check mark back
    }
    emit failed(title, why);
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
            m_snapshot->error ? qstr(m_snapshot->error->formatted()) : tr("the scenario is empty");
        fail(tr("Cannot switch Live on"), tr("The scenario cannot be built: %1").arg(why));
        return;
    }
    if (m_elevation.command.isEmpty() && !m_elevation.unavailable.isEmpty()) {
        fail(tr("Cannot switch Live on"), m_elevation.unavailable);
        return;
    }
    m_upText = topologyText(m_snapshot->scenario);
    m_file = m_doc->path().isEmpty() ? m_doc->displayName() : m_doc->path();
    m_unsaved = m_doc->path().isEmpty() || m_doc->isModified();
    m_stale = false;
    m_downWhenUp = false;
    setState(State::GoingUp);
    m_helper = new LiveHelper(this);
    LiveHelper* helper = m_helper;
    connect(helper, &LiveHelper::ready, this, &LiveSession::sendUp);
    connect(helper, &LiveHelper::ended, this,
            [this, helper](const QString& why) { helperEnded(helper, why); });
    emit message(m_elevation.command.isEmpty()
                     ? tr("Live: starting the helper that builds %1…")
                           .arg(qstr(m_snapshot->scenario.projectName))
                     : tr("Live: asking for permission to run the helper as root (%1)…")
                           .arg(QFileInfo(m_elevation.command.front()).fileName()));
    helper->start(m_elevation.command, m_cli);
}

void LiveSession::sendUp() {
    emit stateChanged(m_state);  // no longer waiting for permission
    emit message(tr("Live: building %1 in network namespaces (cnmlab live up)…")
                     .arg(qstr(m_snapshot->scenario.projectName)));
    m_helper->request({{QStringLiteral("op"), QStringLiteral("up")},
                       {QStringLiteral("scenario"), qstr(m_upText)},
                       {QStringLiteral("file"), m_file}},
                      [this](const HelperReply& r) { upReplied(r); });
}

void LiveSession::upReplied(const HelperReply& reply) {
    if (!reply.ok()) {
        retireHelper();  // it holds nothing
        fail(tr("Cannot switch Live on"), upFailureText(reply.code, reply.error, m_file));
        return;
    }
    m_error.clear();
    emit message(tr("Live: %1").arg(reply.body.value(QStringLiteral("message")).toString()));
    setState(State::Up);
    if (m_downWhenUp) {
        switchOff();
        return;
    }
    runMatrix();
}

void LiveSession::switchOff() {
    if (m_state == State::GoingUp) {
        if (waitingForPermission()) {
            retireHelper();  // the consent dialog goes; nothing was built
            m_snapshot.reset();
            setState(State::Off);
            emit message(tr("Live: not switched on."));
        } else {
            m_downWhenUp = true;  // upReplied takes it down
        }
        return;
    }
    if (m_state != State::Up) {
        return;
    }
    dropMatrix();
    abandonJobs({});
    setState(State::GoingDown);
    emit message(
        tr("Live: taking %1 down (cnmlab live down)…").arg(qstr(m_snapshot->scenario.projectName)));
    m_helper->request({{QStringLiteral("op"), QStringLiteral("down")}},
                      [this](const HelperReply& r) { downReplied(r); });
}

void LiveSession::downReplied(const HelperReply& reply) {
    // Done with the helper either way; after a failed down it tries once more
    // when its input closes.
    retireHelper();
    if (!reply.ok()) {
        fail(tr("Cannot switch Live off"), tr("`cnmlab live down` failed: %1").arg(reply.error));
        return;
    }
    m_error.clear();
    m_snapshot.reset();
    emit message(tr("Live: %1").arg(reply.body.value(QStringLiteral("message")).toString()));
    setState(State::Off);
}

void LiveSession::retireHelper() {
    if (m_helper == nullptr) {
        return;
    }
    if (m_helper->state() == LiveHelper::State::Starting) {
        m_helper->cancel();
    } else {
        m_helper->stop();
    }
    m_helper = nullptr;  // it deletes itself when it has ended (helperEnded)
}

void LiveSession::helperEnded(LiveHelper* helper, const QString& why) {
    helper->deleteLater();
    if (helper != m_helper) {
        if (!why.isEmpty()) {
            emit message(tr("Live: %1").arg(why));  // a retired helper's last word
        }
        return;
    }
    m_helper = nullptr;
    const State was = m_state;
    abandonJobs(why);
    dropMatrix();
    if (was == State::GoingUp) {
        fail(tr("Cannot switch Live on"), why.isEmpty() ? tr("Live was not switched on.") : why);
    } else if (was == State::Up || was == State::GoingDown) {
        fail(tr("Live stopped"),
             tr("The Live helper ended while %1 was up. %2\n\nWhat it built may still be in the "
                "kernel: `sudo cnmlab live down %3` removes it.")
                 .arg(qstr(m_snapshot->scenario.projectName), why, m_file));
    }
}

void LiveSession::runMatrix() {
    if (m_state != State::Up || m_stale || m_matrixJob != nullptr || m_helper == nullptr) {
        return;
    }
    dropMatrix();
    auto job = std::make_shared<MatrixJob>();
    m_matrixJob = job;
    using Watcher = QFutureWatcher<WorkerOutcome<std::unique_ptr<ReachResults>>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher, job] {
        job->sim = watcher->future().takeResult();
        watcher->deleteLater();
        finishMatrix(job);
    });
    watcher->setFuture(runGuarded([snap = m_snapshot] { return computeReach(snap); }));
    m_helper->request({{QStringLiteral("op"), QStringLiteral("matrix")}},
                      [this, job](const HelperReply& r) {
                          job->kernel = r;
                          finishMatrix(job);
                      });
    emit message(tr("Live: sending the reachability matrix in the kernel…"));
    emit matrixChanged();  // running
}

void LiveSession::finishMatrix(const std::shared_ptr<MatrixJob>& job) {
    if (job != m_matrixJob || !job->sim || !job->kernel) {
        return;  // abandoned (it went down or changed meanwhile), or half done
    }
    m_matrixJob.reset();
    auto m = std::make_unique<LiveMatrix>();
    if (!job->sim->ok()) {
        m->error = job->sim->error;
    } else if (!job->kernel->ok()) {
        m->error = job->kernel->error;
    } else {
        std::unique_ptr<ReachResults> reach = std::move(*job->sim->value);
        const sim::ReachMatrix& mine = reach->matrix;
        const QJsonArray entries = job->kernel->body.value(QStringLiteral("entries")).toArray();
        if (static_cast<std::size_t>(entries.size()) != mine.entries.size()) {
            m->error = tr("the helper sent %1 probes for the simulation's %2: the studio and "
                          "cnmlab come from different builds")
                           .arg(entries.size())
                           .arg(mine.entries.size());
        }
        for (std::size_t i = 0; m->error.isEmpty() && i < mine.entries.size(); ++i) {
            const QJsonObject e = entries[static_cast<qsizetype>(i)].toObject();
            if (!sameProbe(e, mine, mine.entries[i])) {
                m->error = tr("the helper's probe %1 is not the simulation's: the studio and "
                              "cnmlab come from different builds")
                               .arg(i);
                break;
            }
            const bool reachable = e.value(QStringLiteral("kernel")).toBool();
            const std::string outcome =
                e.value(QStringLiteral("kernel_outcome")).toString().toStdString();
            m->kernel.push_back(
                {reachable, outcome, e.value(QStringLiteral("detail")).toString().toStdString()});
            (outcome == model::outcomeName(
                            sim::outcomeOf(mine.entries[i].reachable, mine.entries[i].reason))
                 ? m->agree
                 : m->disagree) += 1;
        }
        if (m->error.isEmpty()) {
            m->reach = std::move(reach);
        } else {
            m->kernel.clear();
            m->agree = m->disagree = 0;
        }
    }
    if (!m->error.isEmpty()) {
        emit message(tr("Live: the matrix could not run: %1").arg(m->error));
    } else if (m->disagree == 0) {
        emit message(tr("Live: the kernel agrees with the simulation on all %n probe(s)", nullptr,
                        m->agree));
    } else {
        emit message(tr("Live: the kernel disagrees with the simulation on %1 of %2 probes")
                         .arg(m->disagree)
                         .arg(m->agree + m->disagree));
    }
    m_matrix = std::move(m);
    emit matrixChanged();
}

void LiveSession::runProbe(const ProbeRequest& req) {
    if (m_state != State::Up || m_probeJob != nullptr || m_helper == nullptr) {
        return;
    }
    auto job = std::make_shared<ProbeJob>();
    job->request = req;
    m_probeJob = job;
    using Watcher = QFutureWatcher<WorkerOutcome<SimAnswer>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher, job] {
        job->sim = watcher->future().takeResult();
        watcher->deleteLater();
        finishProbe(job);
    });
    watcher->setFuture(runGuarded([snap = m_snapshot, req] { return simulate(*snap, req); }));
    m_helper->request(probeRequestJson(req), [this, job](const HelperReply& r) {
        job->kernel = r;
        finishProbe(job);
    });
}

void LiveSession::finishProbe(const std::shared_ptr<ProbeJob>& job) {
    if (job != m_probeJob || !job->sim || !job->kernel) {
        return;
    }
    m_probeJob.reset();
    LiveProbeResult r;
    r.request = job->request;
    if (!job->sim->ok()) {
        r.error = job->sim->error;
    } else {
        r.simAnswer = job->sim->value->word;
        r.simReason = job->sim->value->reason;
        const QJsonObject& body = job->kernel->body;
        if (!job->kernel->ok()) {
            r.error = job->kernel->error;
        } else if (body.value(QStringLiteral("sim")).toString() != r.simAnswer) {
            r.error = tr("the helper's simulation answered “%1”, the studio's “%2”: the studio "
                         "and cnmlab come from different builds")
                          .arg(body.value(QStringLiteral("sim")).toString(), r.simAnswer);
        } else {
            r.kernelAnswer = body.value(QStringLiteral("kernel")).toString();
            for (const auto& d : body.value(QStringLiteral("details")).toArray()) {
                r.kernelDetails << d.toString();
            }
        }
    }
    emit probeFinished(r);
}

void LiveSession::abandonJobs(const QString& why) {
    const bool matrixWasRunning = m_matrixJob != nullptr;
    m_matrixJob.reset();
    if (m_probeJob != nullptr) {
        LiveProbeResult r;
        r.request = m_probeJob->request;
        r.error = why.isEmpty() ? tr("Live was switched off.") : why;
        m_probeJob.reset();
        emit probeFinished(r);
    }
    if (matrixWasRunning) {
        emit matrixChanged();
    }
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
            if (m_matrixJob != nullptr) {
                m_matrixJob.reset();  // its answers are for the topology that went up
                emit matrixChanged();
            }
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

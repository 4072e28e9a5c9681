#include "ui/sim/simulation_session.hpp"

#include <QCoreApplication>

namespace cnmlab::ui {

QString ProbeRequest::label() const {
    const QString f = QString::fromStdString(from);
    if (resolve) {
        return QStringLiteral("%1 ⟶ DNS %2").arg(f, QString::fromStdString(*resolve));
    }
    QString s =
        QStringLiteral("%1 → %2 %3")
            .arg(f, QString::fromStdString(to), QString::fromStdString(model::protoName(proto)));
    if (port) {
        s += QStringLiteral("/%1").arg(*port);
    }
    if (network) {
        s += QStringLiteral(" (%1)").arg(QString::fromStdString(*network));
    }
    return s;
}

ProbeRequest ProbeRequest::make(const QString& from, const QString& to, const QString& proto,
                                int port, const QString& network) {
    ProbeRequest req;
    req.from = from.toStdString();
    if (proto == QLatin1String("dns")) {
        req.resolve = to.toStdString();
        return req;
    }
    req.to = to.toStdString();
    req.proto = proto == QLatin1String("tcp")   ? model::Proto::Tcp
                : proto == QLatin1String("udp") ? model::Proto::Udp
                                                : model::Proto::Icmp;
    if (req.proto != model::Proto::Icmp) {
        req.port = port;
    }
    if (!network.isEmpty()) {
        req.network = network.toStdString();
    }
    return req;
}

std::unique_ptr<ReachResults> computeReach(std::shared_ptr<const Resolved> snap) {
    auto r = std::make_unique<ReachResults>();
    r->snapshot = std::move(snap);
    r->sim = std::make_unique<sim::ScenarioSim>(*r->snapshot->topology, *r->snapshot->plan);
    r->matrix = r->sim->reach();
    return r;
}

SimulationSession::SimulationSession(ScenarioDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc) {
    auto drop = [this] {
        m_checks.reset();
        m_reach.reset();
        m_reachError.clear();
        if (m_reachWatcher != nullptr) {
            m_reachWatcher->disconnect(this);  // its result is for an old snapshot
            connect(m_reachWatcher, &ReachWatcher::finished, m_reachWatcher, &QObject::deleteLater);
            m_reachWatcher = nullptr;
        }
        emit invalidated();
    };
    connect(doc, &ScenarioDocument::changed, this, drop);
    connect(doc, &ScenarioDocument::reset, this, drop);
}

SimulationSession::~SimulationSession() {
    if (m_reachWatcher != nullptr) {
        m_reachWatcher->waitForFinished();
    }
}

QString SimulationSession::unavailableReason() const {
    if (m_doc->validating()) {
        // The snapshot is of the scenario before the last edit.
        return QCoreApplication::translate("cnmlab::ui::SimulationSession",
                                           "the scenario is being checked");
    }
    const Resolved& r = m_doc->resolved();
    if (r.plan) {
        return {};
    }
    return r.error ? QString::fromStdString(r.error->formatted())
                   : QCoreApplication::translate("cnmlab::ui::SimulationSession",
                                                 "nothing to simulate");
}

std::optional<TracedProbe> SimulationSession::trace(const ProbeRequest& req) const {
    auto snap = m_doc->snapshot();
    if (!snap->plan) {
        return std::nullopt;
    }
    // A fresh World per played probe: the trace shows ARP and learning as
    // `cnmlab trace` does, whatever ran before.
    sim::ScenarioSim sim(*snap->topology, *snap->plan);
    TracedProbe out;
    out.snapshot = snap;
    out.request = req;
    if (req.resolve) {
        out.record = sim.lookup(req.from, *req.resolve, true);
    } else {
        out.record = sim.probe(req.from, req.to, req.proto, req.port, req.network, true);
    }
    return out;
}

const CheckResults* SimulationSession::checks() {
    if (m_checks) {
        return m_checks.get();
    }
    auto snap = m_doc->snapshot();
    if (!snap->plan) {
        return nullptr;
    }
    auto c = std::make_unique<CheckResults>();
    c->snapshot = snap;
    c->sim = std::make_unique<sim::ScenarioSim>(*snap->topology, *snap->plan);
    try {
        c->checks = sim::runChecks(*c->sim, snap->scenario);
    } catch (const model::Error&) {
        return nullptr;  // a probe names something that no longer exists
    }
    m_checks = std::move(c);
    return m_checks.get();
}

void SimulationSession::startReach() {
    if (m_reachWatcher != nullptr || m_reach) {
        return;
    }
    auto snap = m_doc->snapshot();
    if (!snap->plan) {
        return;
    }
    m_reachError.clear();
    m_reachWatcher = new ReachWatcher(this);
    connect(m_reachWatcher, &ReachWatcher::finished, this, [this] {
        auto outcome = m_reachWatcher->future().takeResult();
        m_reachWatcher->deleteLater();
        m_reachWatcher = nullptr;
        if (outcome.ok()) {
            m_reach = std::move(*outcome.value);
        } else {
            m_reachError = outcome.error;
        }
        emit reachReady();
    });
    m_reachWatcher->setFuture(runGuarded([snap] { return computeReach(snap); }));
}

}  // namespace cnmlab::ui

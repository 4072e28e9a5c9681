#include "ui/sim/simulation_controller.hpp"

#include "ui/language.hpp"
#include "ui/sim/packet_animator.hpp"
#include "ui/sim/playback.hpp"

namespace cnmlab::ui {

SimulationController::SimulationController(ScenarioDocument* doc, TopologyScene* scene,
                                           QObject* parent)
    : QObject(parent), m_doc(doc), m_session(new SimulationSession(doc, this)),
      m_playback(new Playback(this)), m_animator(new PacketAnimator(scene, m_playback, this)) {
    // A played probe belongs to the scenario it ran on.
    connect(m_session, &SimulationSession::invalidated, m_playback, &Playback::clear);
}

QString SimulationController::run(const ProbeRequest& req, bool autoplay) {
    const QString why = m_session->unavailableReason();
    if (!why.isEmpty()) {
        return tr("Cannot simulate: %1").arg(why);
    }
    std::optional<TracedProbe> traced;
    try {
        traced = m_session->trace(req);
    } catch (const model::Error& e) {
        return QString::fromStdString(e.message());
    }
    if (!traced) {
        return tr("Cannot simulate this scenario");
    }
    const bool reachable = traced->record.reachable;
    const QString reason = verdictReason(traced->record);
    m_playback->load(std::move(*traced));
    emit probeLoaded(req.label(), reachable, reason);
    if (autoplay) {
        m_playback->play();
    }
    return {};
}

QString SimulationController::verdictReason(const sim::ProbeRecord& record) {
    const QString reason = QString::fromStdString(record.reason.in(Language::simLang()));
    if (!record.resolve) {
        return reason;
    }
    if (record.nxdomain) {
        return tr("NXDOMAIN: no such name");
    }
    return record.resolved.empty()
               ? reason
               : tr("answered %1").arg(QString::fromStdString(record.resolved.front().str()));
}

std::optional<ProbeRequest> SimulationController::requestForXProbe(int index) const {
    const auto& probes = m_doc->scenario().probes;
    if (index < 0 || index >= static_cast<int>(probes.size())) {
        return std::nullopt;
    }
    const model::ProbeSpec& p = probes[static_cast<std::size_t>(index)];
    ProbeRequest r;
    r.from = p.from;
    r.to = p.to.value_or(std::string());
    r.proto = p.proto;
    r.port = p.port;
    r.network = p.network;
    r.resolve = p.resolve;
    return r;
}

}  // namespace cnmlab::ui

#pragma once
// The simulation side of the studio in one object: the session (what the
// simulator says), the playback (where the animation is) and the animator
// (the token on the canvas). Panels call run() to play a probe; they listen to
// the playback for the current hop.

#include <QObject>

#include "ui/sim/simulation_session.hpp"

namespace cnmlab::ui {

class PacketAnimator;
class Playback;
class TopologyScene;

class SimulationController : public QObject {
    Q_OBJECT
public:
    SimulationController(ScenarioDocument* doc, TopologyScene* scene, QObject* parent = nullptr);

    SimulationSession* session() const { return m_session; }
    Playback* playback() const { return m_playback; }
    PacketAnimator* animator() const { return m_animator; }

    // Traces `req` and plays it from the start (or only loads it when `autoplay`
    // is false). Returns an error sentence, "" on success.
    QString run(const ProbeRequest& req, bool autoplay = true);
    // The sentence that decided a probe, in the studio's language (for a DNS
    // lookup: the answer).
    static QString verdictReason(const sim::ProbeRecord& record);
    // The file's x-probe `index`, as a request.
    std::optional<ProbeRequest> requestForXProbe(int index) const;

signals:
    // A probe was traced and loaded (its label and verdict sentence).
    void probeLoaded(const QString& label, bool reachable, const QString& reason);
    void message(const QString& text);

private:
    ScenarioDocument* m_doc;
    SimulationSession* m_session;
    Playback* m_playback;
    PacketAnimator* m_animator;
};

}  // namespace cnmlab::ui

#pragma once
// Runs the simulator for the studio, always on an immutable snapshot of the
// document (Resolved): a traced probe (for the animation, in a fresh World, as
// `cnmlab trace` does), the file's x-probes (sim::runChecks, as `cnmlab
// check`), and the reachability matrix (sim::ScenarioSim::reach, as `cnmlab
// reach`) on a worker thread. Results keep their snapshot alive, because the
// simulator's records point into its Topology and Plan.

#include <QFutureWatcher>
#include <QObject>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"
#include "ui/scenario_document.hpp"
#include "ui/worker.hpp"

namespace cnmlab::ui {

// What to send: an x-probe's from/to/proto/port/network, or a DNS lookup.
struct ProbeRequest {
    std::string from;
    std::string to;  // a name or an IPv4 literal; "" with `resolve`
    model::Proto proto = model::Proto::Icmp;
    std::optional<int> port;
    std::optional<std::string> network;
    std::optional<std::string> resolve;  // a DNS name: an embedded-DNS lookup
    QString label() const;               // "web → db tcp/5432"

    // From the fields of a probe form: `proto` is "icmp", "tcp", "udp" or "dns"
    // (then `to` is the name to resolve); `port` counts for TCP and UDP only;
    // an empty `network` means any address of the target.
    static ProbeRequest make(const QString& from, const QString& to, const QString& proto, int port,
                             const QString& network = {});
};

// A traced probe and the snapshot it ran on.
struct TracedProbe {
    std::shared_ptr<const Resolved> snapshot;
    ProbeRequest request;
    sim::ProbeRecord record;
};

// The x-probes checked, with their World for explanations.
struct CheckResults {
    std::shared_ptr<const Resolved> snapshot;
    std::unique_ptr<sim::ScenarioSim> sim;
    std::vector<sim::CheckedProbe> checks;
};

// The reach matrix, with the World its Reasons refer to.
struct ReachResults {
    std::shared_ptr<const Resolved> snapshot;
    std::unique_ptr<sim::ScenarioSim> sim;
    sim::ReachMatrix matrix;
};

// The reach matrix of `snap` (which must have a Plan), as `cnmlab reach`
// computes it. Any thread; O(matrix).
std::unique_ptr<ReachResults> computeReach(std::shared_ptr<const Resolved> snap);

class SimulationSession : public QObject {
    Q_OBJECT
public:
    explicit SimulationSession(ScenarioDocument* doc, QObject* parent = nullptr);
    ~SimulationSession() override;

    // Why nothing can be simulated now ("" when the scenario is fine).
    QString unavailableReason() const;

    // Runs `req` traced on the current snapshot. Throws model::Error for an
    // unknown name; returns nullopt when the scenario cannot be simulated.
    std::optional<TracedProbe> trace(const ProbeRequest& req) const;

    // The x-probes, computed on first use after each change (cheap).
    const CheckResults* checks();
    // The reach matrix of the current snapshot, if computed; startReach()
    // computes it on a worker thread and emits reachReady, also when it
    // failed (reach() is then null and reachError() says why).
    const ReachResults* reach() const { return m_reach.get(); }
    QString reachError() const { return m_reachError; }
    bool reachRunning() const { return m_reachWatcher != nullptr; }
    void startReach();

signals:
    void invalidated();  // the document changed: cached results are gone
    void reachReady();

private:
    ScenarioDocument* m_doc;
    std::unique_ptr<CheckResults> m_checks;
    std::unique_ptr<ReachResults> m_reach;
    QString m_reachError;
    using ReachWatcher = QFutureWatcher<WorkerOutcome<std::unique_ptr<ReachResults>>>;
    ReachWatcher* m_reachWatcher = nullptr;
};

}  // namespace cnmlab::ui

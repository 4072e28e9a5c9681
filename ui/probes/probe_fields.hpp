#pragma once
// The fields that say what a probe is, shared by the simulation toolbar and
// the Live panel's "run from a container" form: a box of the scenario's
// machines (containers, hosts, externals, with their icons) and a box of
// protocols (ICMP, TCP, UDP, DNS; item data "icmp", "tcp", "udp", "dns").

#include <string>
#include <vector>

class QComboBox;
class QSpinBox;
class QString;

namespace cnmlab::model {
struct Scenario;
struct ServiceSpec;
}  // namespace cnmlab::model

namespace cnmlab::ui {

// Refills `box` with the machines of `sc`, keeping the current choice when it
// still exists (for an editable box, its text even when it names no machine:
// an IPv4 address or a DNS name). Emits no signals.
void fillMachines(QComboBox* box, const model::Scenario& sc, bool editable);
// A swarm service's tasks as probes name them (KEY.SLOT, KEY.HOST); none for
// a plain service or one no node can run.
std::vector<std::string> taskNames(const model::Scenario& sc, const model::ServiceSpec& s);
// Fills `box` with the four protocols.
void fillProtocols(QComboBox* box);

// A form's boxes for one probe.
struct ProbeFields {
    QComboBox* from;   // fillMachines, not editable
    QComboBox* to;     // fillMachines, editable
    QComboBox* proto;  // fillProtocols
    QSpinBox* port;
};
// Shows a probe in the fields: `from` and `proto` are chosen when their boxes
// have them, `to` is chosen or else typed (an address, a DNS name), and `port`
// is set when positive.
void showProbe(const ProbeFields& f, const QString& from, const QString& to, const QString& proto,
               int port);

}  // namespace cnmlab::ui

#pragma once
// The fields that say what a probe is, shared by the simulation toolbar and
// the Live panel's "run from a container" form: a box of the scenario's
// machines (containers, hosts, externals, with their icons) and a box of
// protocols (ICMP, TCP, UDP, DNS; item data "icmp", "tcp", "udp", "dns").

class QComboBox;
class QSpinBox;
class QString;

namespace cnmlab::model {
struct Scenario;
}

namespace cnmlab::ui {

// Refills `box` with the machines of `sc`, keeping the current choice when it
// still exists (for an editable box, its text even when it names no machine:
// an IPv4 address or a DNS name). Emits no signals.
void fillMachines(QComboBox* box, const model::Scenario& sc, bool editable);
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

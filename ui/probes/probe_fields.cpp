#include "ui/probes/probe_fields.hpp"

#include <algorithm>

#include <QComboBox>
#include <QSignalBlocker>
#include <QSpinBox>

#include "model/scenario.hpp"
#include "model/topology_swarm.hpp"
#include "ui/qt_text.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

std::vector<std::string> taskNames(const model::Scenario& sc, const model::ServiceSpec& s) {
    std::vector<std::string> out;
    if (!s.deploy) {
        return out;
    }
    try {
        for (const auto& t : model::placeTasks(sc, s)) {
            out.push_back(t.name);
        }
    } catch (const model::Error&) {
        // No eligible node: the file's error says so; no task to probe.
    }
    return out;
}

void fillMachines(QComboBox* box, const model::Scenario& sc, bool editable) {
    const QString keep = editable ? box->currentText() : box->currentData().toString();
    const QSignalBlocker block(box);
    box->clear();
    for (const auto& s : sc.services) {
        box->addItem(QIcon(Theme::tinted(QStringLiteral(":/icons/container.svg"),
                                         Theme::colors().selection, 16)),
                     qstr(s.key), qstr(s.key));
        for (const auto& t : taskNames(sc, s)) {
            box->addItem(QIcon(Theme::tinted(QStringLiteral(":/icons/container.svg"),
                                             Theme::colors().selection, 16)),
                         qstr(t), qstr(t));
        }
    }
    for (const auto& h : sc.hosts) {
        box->addItem(
            QIcon(Theme::tinted(QStringLiteral(":/icons/host.svg"), Theme::colors().lan, 16)),
            qstr(h.name), qstr(h.name));
    }
    for (const auto& e : sc.externals) {
        box->addItem(QIcon(Theme::tinted(e.underlay ? QStringLiteral(":/icons/laptop.svg")
                                                    : QStringLiteral(":/icons/internet.svg"),
                                         Theme::colors().ok, 16)),
                     qstr(e.name), qstr(e.name));
    }
    const int i = box->findData(keep);
    if (i >= 0) {
        box->setCurrentIndex(i);
    } else if (editable && !keep.isEmpty()) {
        box->setEditText(keep);
    }
}

void fillProtocols(QComboBox* box) {
    box->addItem(QStringLiteral("ICMP"), QStringLiteral("icmp"));
    box->addItem(QStringLiteral("TCP"), QStringLiteral("tcp"));
    box->addItem(QStringLiteral("UDP"), QStringLiteral("udp"));
    box->addItem(QStringLiteral("DNS"), QStringLiteral("dns"));
}

void showProbe(const ProbeFields& f, const QString& from, const QString& to, const QString& proto,
               int port) {
    if (const int i = f.from->findData(from); i >= 0) {
        f.from->setCurrentIndex(i);
    }
    if (const int i = f.to->findData(to); i >= 0) {
        f.to->setCurrentIndex(i);
    } else {
        f.to->setEditText(to);
    }
    f.proto->setCurrentIndex(std::max(0, f.proto->findData(proto)));
    if (port > 0) {
        f.port->setValue(port);
    }
}

}  // namespace cnmlab::ui

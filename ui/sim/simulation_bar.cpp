#include "ui/sim/simulation_bar.hpp"

#include <QComboBox>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

#include "ui/probes/probe_fields.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/sim/verdict_label.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

SimulationBar::SimulationBar(ScenarioDocument* doc, SimulationController* sim, QWidget* parent)
    : QToolBar(parent), m_doc(doc), m_sim(sim) {
    setObjectName(QStringLiteral("simulationBar"));
    setMovable(false);
    setIconSize(QSize(18, 18));
    m_fromLabel = new QLabel(this);
    m_fromLabel->setContentsMargins(4, 0, 4, 0);
    addWidget(m_fromLabel);
    m_from = new QComboBox(this);
    m_from->setMinimumContentsLength(8);
    m_from->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    addWidget(m_from);
    auto* arrow = new QLabel(QStringLiteral(" → "), this);
    addWidget(arrow);
    m_to = new QComboBox(this);
    m_to->setEditable(true);  // a name, an IPv4 address, or a DNS name for DNS
    m_to->setMinimumContentsLength(10);
    m_to->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_to->setInsertPolicy(QComboBox::NoInsert);
    addWidget(m_to);
    m_proto = new QComboBox(this);
    fillProtocols(m_proto);
    addWidget(m_proto);
    m_port = new QSpinBox(this);
    m_port->setRange(1, 65535);
    m_port->setValue(80);
    m_port->setEnabled(false);
    addWidget(m_port);
    connect(m_proto, &QComboBox::currentIndexChanged, this, [this] {
        const QString p = m_proto->currentData().toString();
        m_port->setEnabled(p == QLatin1String("tcp") || p == QLatin1String("udp"));
    });
    m_send = new QToolButton(this);
    Theme::setIcon(m_send, QStringLiteral("probe"));
    m_send->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    connect(m_send, &QToolButton::clicked, this, &SimulationBar::sendCurrent);
    addWidget(m_send);
    addSeparator();
    m_xprobes = new QComboBox(this);
    m_xprobes->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_xprobes->setMinimumContentsLength(14);
    connect(m_xprobes, &QComboBox::activated, this, &SimulationBar::pickXProbe);
    addWidget(m_xprobes);
    addSeparator();
    Playback* pb = sim->playback();
    m_toStart = addAction(QString(), pb, &Playback::toStart);
    m_back = addAction(QString(), pb, &Playback::stepBack);
    m_play = addAction(QString(), pb, &Playback::togglePlay);
    m_forward = addAction(QString(), pb, &Playback::stepForward);
    Theme::setIcon(m_toStart, QStringLiteral("to-start"));
    Theme::setIcon(m_back, QStringLiteral("step-back"));
    Theme::setIcon(m_play, QStringLiteral("play"));
    Theme::setIcon(m_forward, QStringLiteral("step-forward"));
    m_back->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    m_forward->setShortcut(QKeySequence(Qt::Key_BracketRight));
    m_play->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space));
    m_toStart->setShortcut(QKeySequence(Qt::Key_Home));
    m_toStart->setShortcutContext(Qt::WindowShortcut);
    m_speed = new QComboBox(this);
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0}) {
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    }
    m_speed->setCurrentIndex(2);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_sim->playback()->setSpeed(m_speed->currentData().toDouble()); });
    addWidget(m_speed);
    m_hop = new QLabel(this);
    m_hop->setContentsMargins(8, 0, 8, 0);
    m_hop->setMinimumWidth(90);
    addWidget(m_hop);
    m_verdict = new VerdictLabel(this);
    m_verdict->setObjectName(QStringLiteral("probeVerdict"));
    addWidget(m_verdict);

    connect(pb, &Playback::loaded, this, &SimulationBar::updateTransport);
    connect(pb, &Playback::hopChanged, this, &SimulationBar::updateTransport);
    connect(pb, &Playback::playingChanged, this, &SimulationBar::updateTransport);
    connect(sim, &SimulationController::probeLoaded, this, [this] {
        renderVerdict();
        showRequest();
    });
    connect(doc, &ScenarioDocument::reset, this, [this] {
        // A new scenario: default to its first two services, not the last choice.
        m_from->setCurrentIndex(-1);
        m_to->setCurrentIndex(-1);
        m_to->setEditText(QString());
        refill();
    });
    connect(doc, &ScenarioDocument::changed, this, &SimulationBar::refill);
    retranslate();
    refill();
    updateTransport();
}

void SimulationBar::refill() {
    const model::Scenario& sc = m_doc->scenario();
    // Refilling 1000 names costs tens of ms: only when they (or the theme's
    // icon colours) changed, not after every edit.
    QStringList machines{Theme::dark() ? QStringLiteral("dark") : QStringLiteral("light")};
    for (const auto& s : sc.services) {
        machines << qstr(s.key);
        for (const auto& t : taskNames(sc, s)) {
            machines << qstr(t);
        }
    }
    for (const auto& h : sc.hosts) {
        machines << qstr(h.name);
    }
    for (const auto& e : sc.externals) {
        machines << qstr(e.name) + (e.underlay ? QStringLiteral("@lan") : QString());
    }
    if (machines != m_machines) {
        m_machines = std::move(machines);
        fillMachines(m_from, sc, false);
        fillMachines(m_to, sc, true);
    }
    if (m_to->count() > 1 && m_to->currentText() == m_from->currentText()) {
        m_to->setCurrentIndex(m_from->currentIndex() == 0 ? 1 : 0);
    }
    const QSignalBlocker block(m_xprobes);
    m_xprobes->clear();
    m_xprobes->addItem(Theme::icon(QStringLiteral("events")), tr("The file's probes…"));
    for (std::size_t i = 0; i < sc.probes.size(); ++i) {
        const auto& p = sc.probes[i];
        QString label =
            p.resolve
                ? QStringLiteral("%1 ⟶ DNS %2").arg(qstr(p.from), qstr(*p.resolve))
                : QStringLiteral("%1 → %2 %3")
                      .arg(qstr(p.from), qstr(p.to.value_or("")), qstr(model::protoName(p.proto)));
        if (p.port) {
            label += QStringLiteral("/%1").arg(*p.port);
        }
        m_xprobes->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(label), static_cast<int>(i));
    }
    const bool canRun = m_sim->session()->unavailableReason().isEmpty();
    m_send->setEnabled(canRun);
    m_xprobes->setEnabled(canRun && !sc.probes.empty());
}

void SimulationBar::retranslate() {
    m_fromLabel->setText(tr("Probe"));
    m_from->setToolTip(tr("Source: a container, a Docker host or an external machine"));
    m_to->setToolTip(tr("Destination: a name or an IPv4 address (for DNS: the name to resolve)"));
    m_proto->setToolTip(
        tr("Protocol: ICMP echo, TCP connect, UDP, or a lookup in Docker's embedded DNS"));
    m_port->setToolTip(tr("Destination port (TCP and UDP)"));
    m_send->setText(tr("Send"));
    m_send->setToolTip(tr("Send the probe and animate it hop by hop (Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_xprobes->setToolTip(tr("Play one of the scenario's x-probes"));
    m_toStart->setText(tr("To start (Home)"));
    m_back->setText(tr("Step back ([)"));
    m_forward->setText(tr("Step forward (])"));
    m_speed->setToolTip(tr("Playback speed"));
    setWindowTitle(tr("Simulation"));
    if (m_xprobes->count() > 0) {
        m_xprobes->setItemText(0, tr("The file's probes…"));
    }
    updateTransport();
    renderVerdict();
}

void SimulationBar::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QToolBar::changeEvent(e);
}

QString SimulationBar::send(const QString& from, const QString& to, const QString& proto,
                            int port) {
    showProbe({m_from, m_to, m_proto, m_port}, from, to, proto, port);
    const ProbeRequest req = ProbeRequest::make(from, to, proto, port > 0 ? port : m_port->value());
    const QString err = m_sim->run(req);
    if (!err.isEmpty()) {
        m_verdict->setVerdict({}, {}, {}, err, Theme::colors().error);
        emit message(err);
    }
    return err;
}

QString SimulationBar::source() const {
    return m_from->currentData().toString();
}

void SimulationBar::setSource(const QString& name) {
    const int i = m_from->findData(name);
    if (i >= 0) {
        m_from->setCurrentIndex(i);
    }
}

void SimulationBar::sendCurrent() {
    send(m_from->currentData().toString(), m_to->currentText().trimmed(),
         m_proto->currentData().toString(), m_port->value());
}

void SimulationBar::pickXProbe(int index) {
    const int probe =
        m_xprobes->itemData(index).isValid() ? m_xprobes->itemData(index).toInt() : -1;
    m_xprobes->setCurrentIndex(0);
    auto req = m_sim->requestForXProbe(probe);
    if (!req) {
        return;
    }
    const QString proto = req->resolve ? QStringLiteral("dns") : qstr(model::protoName(req->proto));
    m_from->setCurrentIndex(std::max(0, m_from->findData(qstr(req->from))));
    m_to->setEditText(req->resolve ? qstr(*req->resolve) : qstr(req->to));
    m_proto->setCurrentIndex(std::max(0, m_proto->findData(proto)));
    if (req->port) {
        m_port->setValue(*req->port);
    }
    const QString err = m_sim->run(*req);
    if (!err.isEmpty()) {
        emit message(err);
    }
}

void SimulationBar::renderVerdict() {
    const TracedProbe* p = m_sim->playback()->probe();
    if (p == nullptr) {
        m_verdict->clearVerdict();
        return;
    }
    const ThemeColors& c = Theme::colors();
    const bool reachable = p->record.reachable;
    const QString reason = SimulationController::verdictReason(p->record);
    m_verdict->setVerdict(p->request.label(), reachable ? tr("reachable") : tr("unreachable"),
                          reachable ? c.ok : c.error, reason);
}

void SimulationBar::showRequest() {
    const TracedProbe* p = m_sim->playback()->probe();
    if (p == nullptr) {
        return;
    }
    const ProbeRequest& r = p->request;
    m_from->setCurrentIndex(std::max(0, m_from->findData(qstr(r.from))));
    const int t = m_to->findData(qstr(r.to));
    if (r.resolve) {
        m_to->setEditText(qstr(*r.resolve));
    } else if (t >= 0) {
        m_to->setCurrentIndex(t);
    } else {
        m_to->setEditText(qstr(r.to));
    }
    const QString proto = r.resolve ? QStringLiteral("dns") : qstr(model::protoName(r.proto));
    m_proto->setCurrentIndex(std::max(0, m_proto->findData(proto)));
    if (r.port) {
        m_port->setValue(*r.port);
    }
}

void SimulationBar::updateTransport() {
    Playback* pb = m_sim->playback();
    const bool loaded = pb->hopCount() > 0;
    for (QAction* a : {m_toStart, m_back, m_play, m_forward}) {
        a->setEnabled(loaded);
    }
    Theme::setIcon(m_play, pb->playing() ? QStringLiteral("pause") : QStringLiteral("play"));
    m_play->setText(pb->playing() ? tr("Pause (Ctrl+Space)") : tr("Play (Ctrl+Space)"));
    m_hop->setText(loaded ? tr("hop %1/%2").arg(pb->current() + 1).arg(pb->hopCount()) : QString());
    if (!loaded) {
        m_verdict->clearVerdict();
    }
}

}  // namespace cnmlab::ui

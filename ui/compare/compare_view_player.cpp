// The Compare view's lower half: the probe, the two canvases and the one step
// control that drives both (see compare_view.hpp).
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/compare/compare_pane.hpp"
#include "ui/compare/compare_view.hpp"
#include "ui/compare/lockstep.hpp"
#include "ui/probes/probe_fields.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_session.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

QToolButton* transportButton(QWidget* parent, const QString& icon, const QKeySequence& key) {
    auto* b = new QToolButton(parent);
    b->setAutoRaise(true);
    b->setIconSize(QSize(18, 18));
    Theme::setIcon(b, icon);
    b->setShortcut(key);
    return b;
}

}  // namespace

QWidget* CompareView::buildPlayer() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 4, 0, 0);
    m_probeLabel = new QLabel(box);
    row->addWidget(m_probeLabel);
    m_from = new QComboBox(box);
    m_from->setMinimumContentsLength(8);
    m_from->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->addWidget(m_from);
    row->addWidget(new QLabel(QStringLiteral("→"), box));
    m_to = new QComboBox(box);
    m_to->setEditable(true);  // a name, an IPv4 address, or a DNS name for DNS
    m_to->setInsertPolicy(QComboBox::NoInsert);
    m_to->setMinimumContentsLength(10);
    m_to->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->addWidget(m_to);
    m_probeNet = new QComboBox(box);
    m_probeNet->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    row->addWidget(m_probeNet);
    m_proto = new QComboBox(box);
    fillProtocols(m_proto);
    row->addWidget(m_proto);
    m_port = new QSpinBox(box);
    m_port->setRange(1, 65535);
    m_port->setValue(80);
    m_port->setEnabled(false);
    row->addWidget(m_port);
    connect(m_proto, &QComboBox::currentIndexChanged, this, [this] {
        const QString p = m_proto->currentData().toString();
        m_port->setEnabled(p == QLatin1String("tcp") || p == QLatin1String("udp"));
    });
    m_send = new QPushButton(box);
    Theme::setIcon(m_send, QStringLiteral("probe"));
    connect(m_send, &QPushButton::clicked, this, &CompareView::playCurrent);
    row->addWidget(m_send);
    row->addSpacing(12);

    Lockstep* ls = m_lockstep;
    m_toStart = transportButton(box, QStringLiteral("to-start"), QKeySequence(Qt::Key_Home));
    m_back = transportButton(box, QStringLiteral("step-back"), QKeySequence(Qt::Key_BracketLeft));
    m_play = transportButton(box, QStringLiteral("play"), QKeySequence(Qt::CTRL | Qt::Key_Space));
    m_forward =
        transportButton(box, QStringLiteral("step-forward"), QKeySequence(Qt::Key_BracketRight));
    connect(m_toStart, &QToolButton::clicked, ls, &Lockstep::toStart);
    connect(m_back, &QToolButton::clicked, ls, &Lockstep::stepBack);
    connect(m_play, &QToolButton::clicked, ls, &Lockstep::togglePlay);
    connect(m_forward, &QToolButton::clicked, ls, &Lockstep::stepForward);
    for (QToolButton* b : {m_toStart, m_back, m_play, m_forward}) {
        row->addWidget(b);
    }
    m_slider = new QSlider(Qt::Horizontal, box);
    m_slider->setMinimumWidth(120);
    connect(m_slider, &QSlider::valueChanged, this, [this](int hop) {
        if (hop != m_lockstep->current()) {
            m_lockstep->pause();
            m_lockstep->seek(hop);
        }
    });
    row->addWidget(m_slider, 1);
    m_hop = new QLabel(box);
    m_hop->setMinimumWidth(m_hop->fontMetrics().horizontalAdvance(QStringLiteral("hop 888/888")));
    row->addWidget(m_hop);
    m_speed = new QComboBox(box);
    for (double s : {0.25, 0.5, 1.0, 2.0, 4.0}) {
        m_speed->addItem(QStringLiteral("%1×").arg(s), s);
    }
    m_speed->setCurrentIndex(2);
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_lockstep->setSpeed(m_speed->currentData().toDouble()); });
    row->addWidget(m_speed);

    m_left = new ComparePane(box);
    m_right = new ComparePane(box);
    m_left->setObjectName(QStringLiteral("compareLeft"));
    m_right->setObjectName(QStringLiteral("compareRight"));
    auto* panes = new QSplitter(Qt::Horizontal, box);
    panes->setChildrenCollapsible(false);
    panes->addWidget(m_left);
    panes->addWidget(m_right);
    connect(m_left, &ComparePane::driverChosen, this,
            [this](const QString& d) { setPaneDrivers(d, m_right->driver()); });
    connect(m_right, &ComparePane::driverChosen, this,
            [this](const QString& d) { setPaneDrivers(m_left->driver(), d); });

    m_lockstep->setFollowers({m_left->playback(), m_right->playback()});
    connect(m_lockstep, &Lockstep::hopChanged, this, &CompareView::onHop);
    connect(m_lockstep, &Lockstep::playingChanged, this, &CompareView::updateTransport);

    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(6);
    v->addLayout(row);
    v->addWidget(panes, 1);
    updateTransport();
    return box;
}

void CompareView::retranslatePlayer() {
    m_probeLabel->setText(tr("Probe"));
    m_from->setToolTip(tr("Source: a container, a Docker host or an external machine"));
    m_to->setToolTip(tr("Destination: a name or an IPv4 address (for DNS: the name to resolve)"));
    m_probeNet->setToolTip(tr("The destination's address on this network, or any of its "
                              "addresses the source can reach"));
    if (m_probeNet->count() > 0) {
        m_probeNet->setItemText(0, tr("any network"));
    }
    m_proto->setToolTip(tr("Protocol"));
    m_port->setToolTip(tr("Destination port (TCP and UDP)"));
    m_send->setText(tr("Play on both"));
    m_send->setToolTip(tr("Trace the probe on both drivers and play them in step"));
    m_toStart->setToolTip(tr("To start (Home)"));
    m_back->setToolTip(tr("Step back on both ([)"));
    m_forward->setToolTip(tr("Step forward on both (])"));
    m_slider->setToolTip(tr("Hop k on the left and hop k on the right are shown at once; the "
                            "shorter trace waits at its end"));
    m_speed->setToolTip(tr("Playback speed"));
    updateTransport();
}

void CompareView::refillMachines() {
    const ComparePane* shown = m_left->document()->scenario().services.empty() ? m_right : m_left;
    const model::Scenario& sc = shown->document()->scenario();
    fillMachines(m_from, sc, false);
    fillMachines(m_to, sc, true);
    const QSignalBlocker block(m_probeNet);
    const QString current = m_probeNet->currentData().toString();
    m_probeNet->clear();
    m_probeNet->addItem(tr("any network"), QString());
    for (const auto& n : sc.networks) {
        m_probeNet->addItem(qstr(n.key), qstr(n.key));
    }
    m_probeNet->setCurrentIndex(std::max(0, m_probeNet->findData(current)));
}

QString CompareView::sharedNetwork(const QString& from, const QString& to) const {
    const model::Scenario& sc = m_doc->scenario();
    const model::ServiceSpec* a = sc.findService(from.toStdString());
    const model::ServiceSpec* b = sc.findService(to.toStdString());
    if (a == nullptr || b == nullptr) {
        return {};
    }
    auto on = [](const model::ServiceSpec* s, const std::string& net) {
        return std::any_of(s->networks.begin(), s->networks.end(),
                           [&](const auto& n) { return n.key == net; });
    };
    for (const auto& net : m_comparison->networks) {
        if (on(a, net) && on(b, net)) {
            return qstr(net);
        }
    }
    return {};
}

void CompareView::showDefaults() {
    QStringList valid;
    QString from;
    QString to;
    QString network;  // the reference ping's: the network the table measured it on
    for (const auto& r : m_comparison->drivers) {
        if (r.valid) {
            valid << qstr(r.driver);
            if (from.isEmpty() && !r.wire.from.empty()) {
                from = qstr(r.wire.from);
                to = qstr(r.wire.to);
                network = qstr(r.wire.network);
            }
        }
    }
    m_left->setDrivers(m_comparison->drivers);
    m_right->setDrivers(m_comparison->drivers);
    const QString left = valid.value(0, qstr(m_comparison->drivers.front().driver));
    const QString right = valid.value(1, qstr(m_comparison->drivers.back().driver));
    showPanes(left, right);
    refillMachines();
    if (from.isEmpty() && m_from->count() > 1) {  // no reference ping: the first two machines
        from = m_from->itemData(0).toString();
        to = m_to->itemData(1).toString();
    }
    play(from, to, QStringLiteral("icmp"), 0,
         network.isEmpty() ? sharedNetwork(from, to) : network);
}

QString CompareView::showPanes(const QString& left, const QString& right) {
    if (!m_comparison) {
        return tr("Nothing compared yet");
    }
    QString err;
    for (const auto& side : {std::pair{m_left, left}, std::pair{m_right, right}}) {
        ComparePane* pane = side.first;
        const QString& driver = side.second;
        const auto& reports = m_comparison->drivers;
        auto it = std::find_if(reports.begin(), reports.end(),
                               [&](const auto& r) { return qstr(r.driver) == driver; });
        const QString e = it == reports.end()
                              ? tr("%1 is not among the compared drivers").arg(driver)
                              : pane->showReport(*it);
        err = err.isEmpty() ? e : err;
    }
    return err;
}

QString CompareView::setPaneDrivers(const QString& left, const QString& right) {
    const QString err = showPanes(left, right);
    if (m_comparison) {
        playCurrent();
    }
    return err;
}

void CompareView::playCurrent() {
    const QString err = play(m_from->currentData().toString(), m_to->currentText().trimmed(),
                             m_proto->currentData().toString(), m_port->value(),
                             m_probeNet->currentData().toString());
    if (!err.isEmpty()) {
        emit message(err);
    }
}

QString CompareView::play(const QString& from, const QString& to, const QString& proto, int port,
                          const QString& network) {
    showProbe({m_from, m_to, m_proto, m_port}, from, to, proto, port);
    m_probeNet->setCurrentIndex(std::max(0, m_probeNet->findData(network)));
    const ProbeRequest req =
        ProbeRequest::make(from, to, proto, port > 0 ? port : m_port->value(), network);
    const QString left = m_left->run(req);
    const QString right = m_right->run(req);
    m_lockstep->reload();
    onHop(m_lockstep->current());
    updateTransport();
    if (!left.isEmpty() && !right.isEmpty()) {
        return left == right ? left : left + QStringLiteral("; ") + right;
    }
    return left.isEmpty() ? right : left;
}

void CompareView::onHop(int hop) {
    m_left->showHop(hop);
    m_right->showHop(hop);
    updateTransport();
}

void CompareView::updateTransport() {
    const int n = m_lockstep->hopCount();
    for (QToolButton* b : {m_toStart, m_back, m_play, m_forward}) {
        b->setEnabled(n > 0);
    }
    const bool playing = m_lockstep->playing();
    Theme::setIcon(m_play, playing ? QStringLiteral("pause") : QStringLiteral("play"));
    m_play->setToolTip(playing ? tr("Pause both (Ctrl+Space)") : tr("Play both (Ctrl+Space)"));
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, std::max(0, n - 1));
        m_slider->setValue(std::max(0, m_lockstep->current()));
        m_slider->setEnabled(n > 0);
    }
    m_hop->setText(n > 0 ? tr("hop %1/%2").arg(m_lockstep->current() + 1).arg(n) : QString());
}

}  // namespace cnmlab::ui

#include "ui/inspector/service_form.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QToolButton>

#include "ui/edit_controller.hpp"
#include "ui/inspector/field_parse.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

QString modeValue(const model::ServiceSpec& s) {
    switch (s.networkMode) {
    case model::NetworkMode::Default:
        return QStringLiteral("default");
    case model::NetworkMode::Bridge:
        return QStringLiteral("bridge");
    case model::NetworkMode::Host:
        return QStringLiteral("host");
    case model::NetworkMode::None:
        return QStringLiteral("none");
    case model::NetworkMode::Service:
        return QStringLiteral("service:") + qstr(s.networkModeTarget);
    case model::NetworkMode::Container:
        return QStringLiteral("container:") + qstr(s.networkModeTarget);
    }
    return QStringLiteral("default");
}

}  // namespace

ServiceForm::ServiceForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : InspectorForm(doc, editor, parent) {
    m_name = addLine(QT_TR_NOOP("Service"), QT_TR_NOOP("The service's key under services:"),
                     [this] { commitName(); });
    m_image =
        addLine(QT_TR_NOOP("Image"), QT_TR_NOOP("image: (kept in the file; cnmlab ignores it)"),
                [this] { commitImage(); });
    m_containerName = addLine(QT_TR_NOOP("Container name"),
                              QT_TR_NOOP("container_name: (default: PROJECT-SERVICE-1)"),
                              [this] { commitContainerName(); });
    m_host =
        addCombo(QT_TR_NOOP("Docker host"), QT_TR_NOOP("x-host: the host the container runs on"),
                 [this] { commitHost(); });
    m_mode = addCombo(QT_TR_NOOP("Network mode"),
                      QT_TR_NOOP("network_mode: networks (the default), bridge (docker0), host, "
                                 "none, or another service's namespace"),
                      [this] { commitMode(); });
    addSection(QT_TR_NOOP("Networks"));
    m_networks = new QTableWidget(0, 4, this);
    m_networks->verticalHeader()->hide();
    m_networks->horizontalHeader()->setStretchLastSection(false);
    m_networks->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_networks->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_networks->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_networks->horizontalHeader()->setSectionResizeMode(3, QHeaderView::Fixed);
    m_networks->horizontalHeader()->resizeSection(3, 28);
    m_networks->setSelectionMode(QAbstractItemView::NoSelection);
    m_networks->setMinimumHeight(90);
    m_networks->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    connect(m_networks, &QTableWidget::cellChanged, this, &ServiceForm::commitNetworkCell);
    m_form->addRow(m_networks);
    m_connect = new QComboBox(this);
    connect(m_connect, &QComboBox::activated, this, &ServiceForm::connectSelected);
    m_form->addRow(m_connect);
    addSection(QT_TR_NOOP("Ports"));
    m_ports = addLine(QT_TR_NOOP("Published"),
                      QT_TR_NOOP("ports: HOST:CONTAINER[/udp], comma separated, e.g. 8080:80"),
                      [this] { commitPorts(); });
    m_expose = addLine(QT_TR_NOOP("Expose"), QT_TR_NOOP("expose: container ports, e.g. 5432"),
                       [this] { commitExpose(); });
    m_listen = addLine(QT_TR_NOOP("Listening"),
                       QT_TR_NOOP("x-listen: ports a process listens on, e.g. 80/tcp, 53/udp"),
                       [this] { commitListen(); });
    addSection(QT_TR_NOOP("Swarm (deploy:)"));
    m_swarmMode = addCombo(QT_TR_NOOP("Runs as"),
                           QT_TR_NOOP("deploy: a plain container (docker run), or a swarm service "
                                      "as docker stack deploy makes it, replicated or global"),
                           [this] { commitSwarm(); });
    m_replicas = addLine(QT_TR_NOOP("Replicas"),
                         QT_TR_NOOP("deploy.replicas: the tasks of a replicated service (0-1000)"),
                         [this] { commitSwarm(); });
    m_endpointMode =
        addCombo(QT_TR_NOOP("Endpoint mode"),
                 QT_TR_NOOP("deploy.endpoint_mode: vip (a virtual IP, balanced by IPVS) or dnsrr "
                            "(the embedded DNS answers with every task)"),
                 [this] { commitSwarm(); });
    m_constraints =
        addLine(QT_TR_NOOP("Constraints"),
                QT_TR_NOOP("deploy.placement.constraints, comma separated, e.g. node.hostname "
                           "== host2, node.role == worker"),
                [this] { commitSwarm(); });
    addSection(QT_TR_NOOP("What Docker creates"));
    m_resolved = addNote();
    m_resolved->setTextFormat(Qt::RichText);
    retranslate();
}

void ServiceForm::retranslate() {
    InspectorForm::retranslate();
    m_networks->setHorizontalHeaderLabels(
        {tr("Network"), tr("Aliases"), tr("IPv4 address"), QString()});
    if (!m_key.empty()) {
        load(m_key);
    }
}

void ServiceForm::load(const std::string& key) {
    m_key = key;
    const model::Scenario& sc = m_doc->scenario();
    const model::ServiceSpec* s = sc.findService(key);
    if (s == nullptr) {
        return;
    }
    m_loading = true;
    setText(m_name, qstr(s->key));
    QString image;
    for (const auto& [k, v] : s->extra) {
        if (k == "image" && v.IsScalar()) {
            image = qstr(v.Scalar());
        }
    }
    setText(m_image, image);
    setText(m_containerName, s->containerName ? qstr(*s->containerName) : QString());
    model::ServiceSpec unnamed = *s;
    unnamed.containerName.reset();
    m_containerName->setPlaceholderText(qstr(sc.containerName(unnamed)));
    {
        const QSignalBlocker block(m_host);
        m_host->clear();
        for (const auto& h : sc.hosts) {
            m_host->addItem(
                Theme::tinted(QStringLiteral(":/icons/host.svg"), Theme::colors().lan, 16),
                qstr(h.name), qstr(h.name));
        }
        m_host->setCurrentIndex(m_host->findData(qstr(sc.hostOf(*s))));
        m_host->setEnabled(s->networkMode != model::NetworkMode::Service &&
                           s->networkMode != model::NetworkMode::Container);
        if (s->deploy) {
            // A swarm service: the swarm names and places its tasks (SPEC §1a).
            m_host->clear();
            m_host->addItem(tr("placed by the swarm"), QString());
            m_host->setEnabled(false);
            m_containerName->setPlaceholderText(
                tr("%1_%2.SLOT (the swarm's)").arg(qstr(sc.projectName), qstr(s->key)));
        }
        m_containerName->setEnabled(!s->deploy);
    }
    {
        const QSignalBlocker block(m_mode);
        m_mode->clear();
        m_mode->addItem(tr("networks (default)"), QStringLiteral("default"));
        m_mode->addItem(tr("bridge — docker0"), QStringLiteral("bridge"));
        m_mode->addItem(tr("host — the host's stack"), QStringLiteral("host"));
        m_mode->addItem(tr("none — loopback only"), QStringLiteral("none"));
        for (const auto& o : sc.services) {
            if (o.key != s->key) {
                m_mode->addItem(tr("service:%1 — share its namespace").arg(qstr(o.key)),
                                QStringLiteral("service:") + qstr(o.key));
            }
        }
        const QString mode = modeValue(*s);
        if (m_mode->findData(mode) < 0) {
            m_mode->addItem(mode, mode);
        }
        m_mode->setCurrentIndex(m_mode->findData(mode));
    }
    setText(m_ports, portMappingsText(s->ports));
    setText(m_expose, portListText(s->expose));
    setText(m_listen, portListText(s->listen));
    for (QWidget* w : {static_cast<QWidget*>(m_ports), static_cast<QWidget*>(m_expose),
                       static_cast<QWidget*>(m_listen)}) {
        setFieldError(w, {});
    }
    fillNetworks();
    loadSwarm(*s);
    // What Docker made of it.
    QString html;
    const auto& r = m_doc->resolved();
    if (r.topology) {
        if (const auto* svc = r.topology->findService(key)) {
            html += swarmServiceText(*r.topology, *svc);
        }
        if (const auto* c = r.topology->findContainer(key)) {
            html += tr("Container <b>%1</b> on %2").arg(qstr(c->name), qstr(c->host));
            if (!c->sandboxOf.empty()) {
                html += QStringLiteral("<br>") +
                        tr("shares the network namespace of %1").arg(qstr(c->sandboxOf));
            }
            for (const auto& ep : c->endpoints) {
                const auto* ni = r.topology->findNetwork(ep.network);
                html += QStringLiteral("<br>• <b>%1/%2</b> %3 <span style='color:%4'>%5</span>")
                            .arg(qstr(ep.ipv4.str()))
                            .arg(ep.prefix)
                            .arg(ni ? qstr(ni->name) : qstr(ep.network),
                                 Theme::colors().subtext.name(), qstr(model::macStr(ep.mac)));
            }
            if (c->endpoints.empty() && c->networkMode == "none") {
                html += QStringLiteral("<br>") + tr("only a loopback interface");
            }
        }
    } else {
        html = tr("Fix the error above to see the addresses Docker would assign.");
    }
    m_resolved->setText(html);
    m_loading = false;
}

QString ServiceForm::swarmServiceText(const model::Topology& t, const model::SwarmService& svc) {
    QString html = tr("Swarm service <b>%1</b>: %2, endpoint mode %3")
                       .arg(qstr(svc.name),
                            svc.global ? tr("global, %1 task(s)").arg(svc.replicas)
                                       : tr("%1 replica(s)").arg(svc.replicas),
                            svc.dnsrr ? QStringLiteral("dnsrr") : QStringLiteral("vip"));
    for (const auto& v : svc.vips) {
        html +=
            QStringLiteral("<br>• ") +
            tr("VIP <b>%1/%2</b> on %3").arg(qstr(v.ipv4.str())).arg(v.prefix).arg(qstr(v.network));
    }
    for (const auto& name : svc.tasks) {
        const model::Container* c = t.findContainer(name);
        QString addrs;
        for (const auto& ep : c->endpoints) {
            addrs += (addrs.isEmpty() ? QString() : QStringLiteral(", ")) + qstr(ep.ipv4.str());
        }
        html += QStringLiteral("<br>• ") +
                tr("task <b>%1</b> on %2: %3").arg(qstr(name), qstr(c->host), addrs);
    }
    return html;
}

void ServiceForm::fillNetworks() {
    const model::Scenario& sc = m_doc->scenario();
    const model::ServiceSpec* s = sc.findService(m_key);
    const QSignalBlocker block(m_networks);
    m_networks->setRowCount(0);
    const bool own = s->networkMode == model::NetworkMode::Default;
    const bool bridgeMode = s->networkMode == model::NetworkMode::Bridge;
    int row = 0;
    auto addRow = [&](const QString& key, const QString& aliases, const QString& ip,
                      bool editable) {
        m_networks->insertRow(row);
        auto* k = new QTableWidgetItem(key);
        k->setFlags(Qt::ItemIsEnabled);
        const auto* spec = sc.findNetwork(key.toStdString());
        k->setIcon(
            QIcon(Theme::tinted(Theme::driverIcon(qstr(spec ? spec->driver : "bridge")),
                                Theme::driverColor(qstr(spec ? spec->driver : "bridge")), 16)));
        m_networks->setItem(row, 0, k);
        auto* a = new QTableWidgetItem(aliases);
        auto* i = new QTableWidgetItem(ip);
        if (!editable) {
            a->setFlags(Qt::ItemIsEnabled);
            i->setFlags(Qt::ItemIsEnabled);
        }
        a->setToolTip(tr("aliases: extra DNS names on this network, comma separated"));
        i->setToolTip(tr("ipv4_address: a static address inside the network's subnet"));
        m_networks->setItem(row, 1, a);
        m_networks->setItem(row, 2, i);
        auto* rm = new QToolButton(m_networks);
        Theme::setIcon(rm, QStringLiteral("cross"));
        rm->setAutoRaise(true);
        rm->setToolTip(tr("Disconnect from %1").arg(key));
        const std::string net = key.toStdString();
        connect(rm, &QToolButton::clicked, this,
                [this, net] { emit message(m_editor->disconnect(m_key, net)); });
        m_networks->setCellWidget(row, 3, rm);
        ++row;
    };
    if (bridgeMode) {
        addRow(QStringLiteral("bridge"), QString(), QString(), false);
    } else if (own && !s->implicitNetworks) {
        for (const auto& sn : s->networks) {
            addRow(qstr(sn.key), nameListText(sn.aliases),
                   sn.ipv4Address ? qstr(sn.ipv4Address->str()) : QString(), true);
        }
    } else if (own) {
        addRow(QStringLiteral("default"), QString(), QString(), false);
    }
    m_networks->setFixedHeight(m_networks->horizontalHeader()->height() + 6 +
                               std::max(1, row) *
                                   m_networks->verticalHeader()->defaultSectionSize());
    const QSignalBlocker block2(m_connect);
    m_connect->clear();
    m_connect->addItem(Theme::icon(QStringLiteral("connect")), tr("Connect to a network…"));
    for (const auto& n : sc.networks) {
        const bool joined =
            !s->implicitNetworks && std::any_of(s->networks.begin(), s->networks.end(),
                                                [&](const auto& sn) { return sn.key == n.key; });
        if (!joined && !n.implicit && n.driver != "host" && n.driver != "null" &&
            n.driver != "none") {
            m_connect->addItem(QIcon(Theme::tinted(Theme::driverIcon(qstr(n.driver)),
                                                   Theme::driverColor(qstr(n.driver)), 16)),
                               qstr(n.key), qstr(n.key));
        }
    }
    if (!bridgeMode) {
        m_connect->addItem(QIcon(Theme::tinted(Theme::driverIcon(QStringLiteral("bridge")),
                                               Theme::driverColor(QStringLiteral("bridge")), 16)),
                           tr("bridge (docker0)"), QStringLiteral("bridge"));
    }
}

void ServiceForm::commitName() {
    const std::string to = m_name->text().trimmed().toStdString();
    const QString result = m_editor->rename(ObjectKind::Service, m_key, to);
    if (m_doc->scenario().findService(to) != nullptr && to != m_key) {
        setFieldError(m_name, {});
        m_key = to;
        emit selectRequested(QStringLiteral("svc:") + qstr(to));
        emit message(result);
    } else {
        setFieldError(m_name, result);
    }
}

void ServiceForm::commitImage() {
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    const QString text = m_image->text().trimmed();
    auto it = std::find_if(s.extra.begin(), s.extra.end(),
                           [](const auto& kv) { return kv.first == "image"; });
    if (text.isEmpty()) {
        if (it != s.extra.end()) {
            s.extra.erase(it);
        }
    } else if (it != s.extra.end()) {
        it->second = YAML::Node(text.toStdString());
    } else {
        s.extra.insert(s.extra.begin(), {"image", YAML::Node(text.toStdString())});
    }
    m_doc->edit(tr("Set image of %1").arg(qstr(m_key)), {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::commitContainerName() {
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    const QString text = m_containerName->text().trimmed();
    s.containerName =
        text.isEmpty() ? std::nullopt : std::optional<std::string>(text.toStdString());
    m_doc->edit(tr("Set container name of %1").arg(qstr(m_key)),
                {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::commitHost() {
    const model::Scenario& sc = m_doc->scenario();
    model::ServiceSpec s = *sc.findService(m_key);
    const std::string host = m_host->currentData().toString().toStdString();
    if (host == sc.hostOf(s)) {
        return;
    }
    s.host = host;
    s.hostPos.file = sc.file;
    m_doc->edit(tr("Move %1 to %2").arg(qstr(m_key), qstr(host)), {replaceService(sc, s)});
}

void ServiceForm::commitMode() {
    const model::Scenario& sc = m_doc->scenario();
    model::ServiceSpec s = *sc.findService(m_key);
    const QString mode = m_mode->currentData().toString();
    if (mode == modeValue(s)) {
        return;
    }
    s.networkModeTarget.clear();
    s.networkModePos.file = sc.file;
    if (mode == QLatin1String("default")) {
        s.networkMode = model::NetworkMode::Default;
        s.networkModePos.file.clear();
    } else if (mode == QLatin1String("bridge")) {
        s.networkMode = model::NetworkMode::Bridge;
    } else if (mode == QLatin1String("host")) {
        s.networkMode = model::NetworkMode::Host;
    } else if (mode == QLatin1String("none")) {
        s.networkMode = model::NetworkMode::None;
    } else {
        s.networkMode = mode.startsWith(QLatin1String("service:")) ? model::NetworkMode::Service
                                                                   : model::NetworkMode::Container;
        s.networkModeTarget = mode.section(':', 1).toStdString();
    }
    if (s.networkMode != model::NetworkMode::Default) {
        s.networks.clear();  // Compose: network_mode and networks exclude each other
        s.implicitNetworks = false;
    }
    if (s.networkMode == model::NetworkMode::Service ||
        s.networkMode == model::NetworkMode::Container) {
        s.ports.clear();  // a shared namespace publishes through its owner
        s.host.reset();
    }
    m_doc->edit(tr("Set network mode of %1").arg(qstr(m_key)), {replaceService(sc, s)});
}

void ServiceForm::commitPorts() {
    const auto parsed = parsePortMappings(m_ports->text());
    setFieldError(m_ports, parsed.error);
    if (!parsed.value) {
        return;
    }
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    s.ports = *parsed.value;
    m_doc->edit(tr("Set ports of %1").arg(qstr(m_key)), {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::commitExpose() {
    const auto parsed = parsePortList(m_expose->text());
    setFieldError(m_expose, parsed.error);
    if (!parsed.value) {
        return;
    }
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    s.expose = *parsed.value;
    m_doc->edit(tr("Set exposed ports of %1").arg(qstr(m_key)),
                {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::commitListen() {
    const auto parsed = parsePortList(m_listen->text());
    setFieldError(m_listen, parsed.error);
    if (!parsed.value) {
        return;
    }
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    s.listen = *parsed.value;
    m_doc->edit(tr("Set listening ports of %1").arg(qstr(m_key)),
                {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::commitNetworkCell(int row, int column) {
    if (m_loading || column < 1 || column > 2) {
        return;
    }
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    const std::string net = m_networks->item(row, 0)->text().toStdString();
    auto it = std::find_if(s.networks.begin(), s.networks.end(),
                           [&](const auto& sn) { return sn.key == net; });
    if (it == s.networks.end()) {
        return;
    }
    const QString text = m_networks->item(row, column)->text();
    if (column == 1) {
        it->aliases = parseNameList(text);
    } else {
        const auto ip = parseIpv4(text);
        if (!ip.value && !ip.error.isEmpty()) {
            emit message(ip.error);
            m_networks->item(row, column)->setForeground(Theme::colors().error);
            return;
        }
        it->ipv4Address = ip.value;
    }
    it->shortForm = false;
    s.networksListForm = false;
    m_doc->edit(column == 1 ? tr("Set aliases of %1 on %2").arg(qstr(m_key), qstr(net))
                            : tr("Set address of %1 on %2").arg(qstr(m_key), qstr(net)),
                {replaceService(m_doc->scenario(), s)});
}

void ServiceForm::connectSelected() {
    const QString net = m_connect->currentData().toString();
    m_connect->setCurrentIndex(0);
    if (!net.isEmpty()) {
        emit message(m_editor->connectService(m_key, net.toStdString()));
    }
}

}  // namespace cnmlab::ui

#include "ui/inspector/network_form.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QToolButton>

#include "drivers/plan_text.hpp"
#include "ui/edit_controller.hpp"
#include "ui/inspector/field_parse.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

// The options each driver reads (libnetwork's labels), offered in "Add option".
QStringList knownOptions(const QString& driver) {
    if (driver == QLatin1String("bridge")) {
        return {QStringLiteral("com.docker.network.bridge.name"),
                QStringLiteral("com.docker.network.bridge.enable_icc"),
                QStringLiteral("com.docker.network.bridge.enable_ip_masquerade"),
                QStringLiteral("com.docker.network.bridge.host_binding_ipv4"),
                QStringLiteral("com.docker.network.driver.mtu")};
    }
    if (driver == QLatin1String("macvlan")) {
        return {QStringLiteral("parent"), QStringLiteral("macvlan_mode")};
    }
    if (driver == QLatin1String("ipvlan")) {
        return {QStringLiteral("parent"), QStringLiteral("ipvlan_mode")};
    }
    if (driver == QLatin1String("overlay")) {
        return {QStringLiteral("encrypted"),
                QStringLiteral("com.docker.network.driver.overlay.vxlanid_list")};
    }
    return {};
}

}  // namespace

NetworkForm::NetworkForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : InspectorForm(doc, editor, parent) {
    m_keyEdit = addLine(QT_TR_NOOP("Network"), QT_TR_NOOP("The network's key under networks:"),
                        [this] { commitName(); });
    m_name = addLine(QT_TR_NOOP("Docker name"), QT_TR_NOOP("name: (default: PROJECT_KEY)"),
                     [this] { commitDockerName(); });
    m_driver = addCombo(QT_TR_NOOP("Driver"),
                        QT_TR_NOOP("driver: bridge, macvlan, ipvlan, or the plugins weave, kuryr "
                                   "and contiv (calico also needs ipam: {driver: calico})"),
                        [this] { commitDriver(); });
    m_driver->setEditable(true);
    // What cnmlab runs on any file today: the built-in drivers a network can
    // switch to, and the plugins that need nothing more.
    for (const char* d : {"bridge", "macvlan", "ipvlan", "weave", "kuryr", "contiv"}) {
        m_driver->addItem(QIcon(Theme::tinted(Theme::driverIcon(QLatin1String(d)),
                                              Theme::driverColor(QLatin1String(d)), 16)),
                          QLatin1String(d), QLatin1String(d));
    }
    addSection(QT_TR_NOOP("Addresses (IPAM)"));
    m_subnet = addLine(QT_TR_NOOP("Subnet"), QT_TR_NOOP("ipam.config[0].subnet, e.g. 10.20.0.0/24"),
                       [this] { commitIpam(); });
    m_gateway = addLine(QT_TR_NOOP("Gateway"), QT_TR_NOOP("ipam.config[0].gateway"),
                        [this] { commitIpam(); });
    m_ipRange = addLine(QT_TR_NOOP("IP range"),
                        QT_TR_NOOP("ipam.config[0].ip_range: where dynamic addresses come from"),
                        [this] { commitIpam(); });
    addSection(QT_TR_NOOP("Options"));
    m_internal = addCheck(QT_TR_NOOP("Internal"),
                          QT_TR_NOOP("internal: no route to or from the outside world"),
                          [this] { commitFlags(); });
    m_attachable = addCheck(QT_TR_NOOP("Attachable"),
                            QT_TR_NOOP("attachable: standalone containers may join (overlay)"),
                            [this] { commitFlags(); });
    m_external = addCheck(QT_TR_NOOP("External"),
                          QT_TR_NOOP("external: created outside Compose; keeps its own name"),
                          [this] { commitFlags(); });
    m_options = new QTableWidget(0, 3, this);
    m_options->verticalHeader()->hide();
    m_options->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_options->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_options->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Fixed);
    m_options->horizontalHeader()->resizeSection(2, 28);
    m_options->setSelectionMode(QAbstractItemView::NoSelection);
    connect(m_options, &QTableWidget::cellChanged, this, &NetworkForm::commitOption);
    m_form->addRow(m_options);
    m_addOption = new QComboBox(this);
    m_addOption->setEditable(false);
    connect(m_addOption, &QComboBox::activated, this, [this](int i) {
        const QString key = m_addOption->itemData(i).toString();
        m_addOption->setCurrentIndex(0);
        if (!key.isEmpty()) {
            addOption(key);
        }
    });
    m_form->addRow(m_addOption);
    addSection(QT_TR_NOOP("What Docker creates"));
    m_resolved = addNote();
    m_resolved->setTextFormat(Qt::RichText);
    retranslate();
}

void NetworkForm::retranslate() {
    InspectorForm::retranslate();
    m_options->setHorizontalHeaderLabels({tr("driver_opts key"), tr("Value"), QString()});
    if (!m_key.empty()) {
        load(m_key);
    }
}

void NetworkForm::load(const std::string& key) {
    m_key = key;
    const model::Scenario& sc = m_doc->scenario();
    const model::NetworkSpec* n = sc.findNetwork(key);
    m_predefined = n == nullptr || n->implicit;
    m_loading = true;
    const auto& r = m_doc->resolved();
    const model::NetworkInstance* ni = r.topology ? r.topology->findNetwork(key) : nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{
             m_keyEdit, m_name, m_driver, m_subnet, m_gateway, m_ipRange, m_internal, m_attachable,
             m_external, m_options, m_addOption}) {
        w->setEnabled(!m_predefined);
        setFieldError(w, {});
    }
    setText(m_keyEdit, qstr(key));
    const QString driver = n ? qstr(n->driver) : ni ? qstr(ni->driver) : QStringLiteral("bridge");
    {
        const QSignalBlocker block(m_driver);
        int i = m_driver->findData(driver);
        if (i < 0) {
            m_driver->addItem(
                QIcon(Theme::tinted(Theme::driverIcon(driver), Theme::driverColor(driver), 16)),
                driver, driver);
            i = m_driver->findData(driver);
        }
        m_driver->setCurrentIndex(i);
    }
    setText(m_name, n && n->name ? qstr(*n->name) : QString());
    m_name->setPlaceholderText(ni ? qstr(ni->name) : n ? qstr(sc.networkName(*n)) : qstr(key));
    const model::IpamConfig* ipam =
        n && !n->ipamConfigs.empty() ? &n->ipamConfigs.front() : nullptr;
    setText(m_subnet, ipam && ipam->subnet ? qstr(ipam->subnet->str()) : QString());
    setText(m_gateway, ipam && ipam->gateway ? qstr(ipam->gateway->str()) : QString());
    setText(m_ipRange, ipam && ipam->ipRange ? qstr(ipam->ipRange->str()) : QString());
    m_subnet->setPlaceholderText(
        ni && ni->subnet ? tr("%1 (chosen by Docker)").arg(qstr(ni->subnet->networkStr()))
                         : QString());
    m_gateway->setPlaceholderText(ni && ni->gateway ? qstr(ni->gateway->str()) : QString());
    for (auto [box, value] :
         {std::pair{m_internal, n && n->internal}, std::pair{m_attachable, n && n->attachable},
          std::pair{m_external, n && n->external}}) {
        const QSignalBlocker block(box);
        box->setChecked(value);
    }
    fillOptions();
    // What Docker made of it.
    QString html;
    if (ni != nullptr) {
        html = tr("Docker network <b>%1</b> (%2, scope %3)")
                   .arg(qstr(ni->name), qstr(ni->driver), qstr(ni->scope));
        html += QStringLiteral("<br>") + tr("id %1…").arg(qstr(ni->id.substr(0, 12)));
        if (ni->subnet) {
            html +=
                QStringLiteral("<br>") + tr("subnet <b>%1</b>").arg(qstr(ni->subnet->networkStr()));
        }
        if (ni->gateway) {
            html += QStringLiteral(", ") + tr("gateway <b>%1</b>").arg(qstr(ni->gateway->str()));
        }
        QStringList hosts;
        for (const auto& h : ni->hosts) {
            hosts << qstr(h);
        }
        html += QStringLiteral("<br>") + tr("on %1").arg(hosts.join(QStringLiteral(", ")));
        if (r.plan && ni->gateway) {
            for (const auto& a : r.plan->addresses) {
                if (a.cidr.address == *ni->gateway && r.plan->findNetns(a.netns) &&
                    r.plan->findNetns(a.netns)->kind == drivers::NetnsKind::Host) {
                    html += QStringLiteral("<br><code>%1</code> <span style='color:%2'>%3</span>")
                                .arg(qstr(a.dev), Theme::colors().subtext.name(),
                                     qstr(drivers::equivalent(a)).toHtmlEscaped());
                    break;
                }
            }
        }
    } else {
        html = tr("Fix the error above to see what Docker would create.");
    }
    if (m_predefined) {
        html += QStringLiteral("<br><br>") +
                tr("Docker creates this network itself; it cannot be edited.");
    }
    m_resolved->setText(html);
    m_loading = false;
}

void NetworkForm::fillOptions() {
    const model::NetworkSpec* n = m_doc->scenario().findNetwork(m_key);
    const QSignalBlocker block(m_options);
    m_options->setRowCount(0);
    int row = 0;
    if (n != nullptr) {
        for (const auto& [k, v] : n->driverOpts) {
            m_options->insertRow(row);
            auto* key = new QTableWidgetItem(qstr(k));
            key->setFlags(Qt::ItemIsEnabled);
            m_options->setItem(row, 0, key);
            m_options->setItem(row, 1, new QTableWidgetItem(qstr(v)));
            auto* rm = new QToolButton(m_options);
            Theme::setIcon(rm, QStringLiteral("cross"));
            rm->setAutoRaise(true);
            const std::string optKey = k;
            connect(rm, &QToolButton::clicked, this, [this, optKey] {
                model::NetworkSpec s = *m_doc->scenario().findNetwork(m_key);
                s.driverOpts.erase(
                    std::remove_if(s.driverOpts.begin(), s.driverOpts.end(),
                                   [&](const auto& kv) { return kv.first == optKey; }),
                    s.driverOpts.end());
                m_doc->edit(tr("Remove option %1").arg(qstr(optKey)),
                            {replaceNetwork(m_doc->scenario(), s)});
            });
            m_options->setCellWidget(row, 2, rm);
            ++row;
        }
    }
    m_options->setFixedHeight(m_options->horizontalHeader()->height() + 6 +
                              std::max(1, row) * m_options->verticalHeader()->defaultSectionSize());
    const QSignalBlocker block2(m_addOption);
    m_addOption->clear();
    m_addOption->addItem(tr("Add a driver option…"));
    for (const QString& k : knownOptions(m_driver->currentData().toString())) {
        const bool has = n && std::any_of(n->driverOpts.begin(), n->driverOpts.end(),
                                          [&](const auto& kv) { return qstr(kv.first) == k; });
        if (!has) {
            m_addOption->addItem(k, k);
        }
    }
}

void NetworkForm::commitName() {
    const std::string to = m_keyEdit->text().trimmed().toStdString();
    const QString result = m_editor->rename(ObjectKind::Network, m_key, to);
    if (m_doc->scenario().findNetwork(to) != nullptr && to != m_key) {
        setFieldError(m_keyEdit, {});
        m_key = to;
        emit selectRequested(QStringLiteral("net:") + qstr(to));
        emit message(result);
    } else {
        setFieldError(m_keyEdit, result);
    }
}

void NetworkForm::commitDockerName() {
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    const QString text = m_name->text().trimmed();
    n.name = text.isEmpty() ? std::nullopt : std::optional<std::string>(text.toStdString());
    n.declaredEmpty = false;
    m_doc->edit(tr("Set name of %1").arg(qstr(m_key)), {replaceNetwork(m_doc->scenario(), n)});
}

void NetworkForm::commitDriver() {
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    const QString driver = m_driver->currentText().trimmed();
    if (driver.isEmpty() || driver.toStdString() == n.driver) {
        return;
    }
    n.driver = driver.toStdString();
    n.declaredEmpty = false;
    if ((n.driver == "macvlan" || n.driver == "ipvlan") &&
        std::none_of(n.driverOpts.begin(), n.driverOpts.end(),
                     [](const auto& kv) { return kv.first == "parent"; })) {
        n.driverOpts.emplace_back("parent", "eth0");
    }
    m_doc->edit(tr("Set driver of %1 to %2").arg(qstr(m_key), driver),
                {replaceNetwork(m_doc->scenario(), n)});
}

void NetworkForm::commitIpam() {
    const auto subnet = parseCidr(m_subnet->text());
    const auto gateway = parseIpv4(m_gateway->text());
    const auto range = parseCidr(m_ipRange->text());
    setFieldError(m_subnet, subnet.error);
    setFieldError(m_gateway, gateway.error);
    setFieldError(m_ipRange, range.error);
    if (!subnet.error.isEmpty() || !gateway.error.isEmpty() || !range.error.isEmpty()) {
        return;
    }
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    if (!subnet.value && !gateway.value && !range.value) {
        if (!n.ipamConfigs.empty()) {
            n.ipamConfigs.erase(n.ipamConfigs.begin());
        }
    } else {
        if (n.ipamConfigs.empty()) {
            n.ipamConfigs.emplace_back();
        }
        model::IpamConfig& c = n.ipamConfigs.front();
        c.subnet = subnet.value;
        c.gateway = gateway.value;
        c.ipRange = range.value;
    }
    n.declaredEmpty = false;
    m_doc->edit(tr("Set addresses of %1").arg(qstr(m_key)), {replaceNetwork(m_doc->scenario(), n)});
}

void NetworkForm::commitFlags() {
    if (m_loading) {
        return;
    }
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    n.internal = m_internal->isChecked();
    n.attachable = m_attachable->isChecked();
    n.external = m_external->isChecked();
    n.declaredEmpty = false;
    m_doc->edit(tr("Set options of %1").arg(qstr(m_key)), {replaceNetwork(m_doc->scenario(), n)});
}

void NetworkForm::commitOption(int row, int column) {
    if (m_loading || column != 1) {
        return;
    }
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    const std::string key = m_options->item(row, 0)->text().toStdString();
    for (auto& [k, v] : n.driverOpts) {
        if (k == key) {
            v = m_options->item(row, 1)->text().toStdString();
        }
    }
    m_doc->edit(tr("Set option %1").arg(qstr(key)), {replaceNetwork(m_doc->scenario(), n)});
}

void NetworkForm::addOption(const QString& key) {
    model::NetworkSpec n = *m_doc->scenario().findNetwork(m_key);
    const QString value =
        key.endsWith(QLatin1String("enable_icc")) || key.endsWith(QLatin1String("masquerade"))
            ? QStringLiteral("false")
        : key == QLatin1String("parent")     ? QStringLiteral("eth0")
        : key.endsWith(QLatin1String("mtu")) ? QStringLiteral("1450")
                                             : QString();
    n.driverOpts.emplace_back(key.toStdString(), value.toStdString());
    n.declaredEmpty = false;
    m_doc->edit(tr("Add option %1").arg(key), {replaceNetwork(m_doc->scenario(), n)});
}

}  // namespace cnmlab::ui

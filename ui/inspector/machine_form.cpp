#include "ui/inspector/machine_form.hpp"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

#include "model/compose_reader.hpp"
#include "ui/edit_controller.hpp"
#include "ui/inspector/field_parse.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"

namespace cnmlab::ui {

// ---- HostForm -------------------------------------------------------------------

HostForm::HostForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : InspectorForm(doc, editor, parent) {
    m_name = addLine(QT_TR_NOOP("Docker host"), QT_TR_NOOP("The host's name under x-hosts:"),
                     [this] { commitName(); });
    m_underlay = addLine(QT_TR_NOOP("LAN address"),
                         QT_TR_NOOP("underlay: the host's eth0 address on the physical LAN, "
                                    "e.g. 192.168.100.11/24"),
                         [this] { commitUnderlay(); });
    addSection(QT_TR_NOOP("On this host"));
    m_resolved = addNote();
}

void HostForm::load(const std::string& key) {
    m_key = key;
    const model::HostSpec* h = m_doc->scenario().findHost(key);
    if (h == nullptr) {
        return;
    }
    setText(m_name, qstr(h->name));
    setText(m_underlay, qstr(h->underlay.str()));
    setFieldError(m_underlay, {});
    int containers = 0;
    for (const auto& s : m_doc->scenario().services) {
        containers += m_doc->scenario().hostOf(s) == key ? 1 : 0;
    }
    m_resolved->setText(tr("%n container(s). dockerd creates docker0 (172.17.0.0/16), the "
                           "DOCKER chains and one bridge per bridge network used here.",
                           nullptr, containers));
}

void HostForm::commitName() {
    const std::string to = m_name->text().trimmed().toStdString();
    const QString result = m_editor->rename(ObjectKind::Host, m_key, to);
    if (m_doc->scenario().findHost(to) != nullptr && to != m_key) {
        setFieldError(m_name, {});
        m_key = to;
        emit selectRequested(QStringLiteral("host:") + qstr(to));
        emit message(result);
    } else {
        setFieldError(m_name, result);
    }
}

void HostForm::commitUnderlay() {
    const auto cidr = parseCidr(m_underlay->text());
    setFieldError(m_underlay, cidr.value ? QString()
                              : cidr.error.isEmpty()
                                  ? tr("a Docker host needs an address on the LAN")
                                  : cidr.error);
    if (!cidr.value) {
        return;
    }
    model::HostSpec h = *m_doc->scenario().findHost(m_key);
    h.underlay = *cidr.value;
    m_doc->edit(tr("Set LAN address of %1").arg(qstr(m_key)), {replaceHost(m_doc->scenario(), h)});
}

// ---- ExternalForm ---------------------------------------------------------------

ExternalForm::ExternalForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : InspectorForm(doc, editor, parent) {
    m_name = addLine(QT_TR_NOOP("Machine"), QT_TR_NOOP("The machine's name under x-externals:"),
                     [this] { commitName(); });
    m_where = addCombo(QT_TR_NOOP("Where"),
                       QT_TR_NOOP("On the hosts' LAN (underlay:) or beyond "
                                  "the LAN's router (address:)"),
                       [this] { commitAddress(); });
    m_address = addLine(QT_TR_NOOP("Address"),
                        QT_TR_NOOP("192.168.100.50/24 on the LAN, or "
                                   "203.0.113.10 beyond the router"),
                        [this] { commitAddress(); });
    m_note = addNote();
    retranslate();
}

void ExternalForm::retranslate() {
    InspectorForm::retranslate();
    const QSignalBlocker block(m_where);
    const int i = m_where->currentIndex();
    m_where->clear();
    m_where->addItem(tr("on the hosts' LAN"), QStringLiteral("lan"));
    m_where->addItem(tr("beyond the router"), QStringLiteral("router"));
    m_where->setCurrentIndex(std::max(i, 0));
}

void ExternalForm::load(const std::string& key) {
    m_key = key;
    const model::ExternalSpec* e = m_doc->scenario().findExternal(key);
    if (e == nullptr) {
        return;
    }
    setText(m_name, qstr(e->name));
    {
        const QSignalBlocker block(m_where);
        m_where->setCurrentIndex(e->underlay ? 0 : 1);
    }
    setText(m_address, e->underlay  ? qstr(e->underlay->str())
                       : e->address ? qstr(e->address->str())
                                    : QString());
    setFieldError(m_address, {});
    m_note->setText(e->underlay ? tr("Its eth0 is on the LAN; it reaches the hosts' addresses and "
                                     "their published ports directly.")
                                : tr("The router at the LAN's first address answers for it: the "
                                     "hosts' default route leads there, through NAT."));
}

void ExternalForm::commitName() {
    const std::string to = m_name->text().trimmed().toStdString();
    const QString result = m_editor->rename(ObjectKind::External, m_key, to);
    if (m_doc->scenario().findExternal(to) != nullptr && to != m_key) {
        setFieldError(m_name, {});
        m_key = to;
        emit selectRequested(QStringLiteral("ext:") + qstr(to));
        emit message(result);
    } else {
        setFieldError(m_name, result);
    }
}

void ExternalForm::commitAddress() {
    model::ExternalSpec e = *m_doc->scenario().findExternal(m_key);
    const bool onLan = m_where->currentData().toString() == QLatin1String("lan");
    QString text = m_address->text().trimmed();
    if (onLan) {
        if (!text.contains('/')) {
            text = QString::fromStdString(nextLanAddress(m_doc->scenario()));
            if (!e.underlay && e.address) {
                setText(m_address, text);
            }
        }
        const auto cidr = parseCidr(text);
        setFieldError(m_address, cidr.error);
        if (!cidr.value) {
            return;
        }
        e.underlay = cidr.value;
        e.address.reset();
    } else {
        if (text.contains('/')) {
            text = QStringLiteral("203.0.113.10");
        }
        const auto ip = parseIpv4(text);
        setFieldError(m_address, ip.error);
        if (!ip.value) {
            return;
        }
        e.address = ip.value;
        e.underlay.reset();
    }
    m_doc->edit(tr("Set address of %1").arg(qstr(m_key)), {replaceExternal(m_doc->scenario(), e)});
}

// ---- ProjectForm ----------------------------------------------------------------

ProjectForm::ProjectForm(ScenarioDocument* doc, EditController* editor, QWidget* parent)
    : InspectorForm(doc, editor, parent) {
    m_name = addLine(QT_TR_NOOP("Project"),
                     QT_TR_NOOP("name: the Compose project; networks are PROJECT_KEY and "
                                "containers PROJECT-SERVICE-1"),
                     [this] { commitName(); });
    m_summary = addNote();
    m_summary->setTextFormat(Qt::RichText);
}

void ProjectForm::load(const std::string&) {
    const model::Scenario& sc = m_doc->scenario();
    setText(m_name, qstr(sc.projectName));
    QString html = tr("Select an object on the canvas to edit it.");
    html += QStringLiteral("<br><br>") +
            tr("%n host(s)", nullptr, static_cast<int>(sc.hosts.size())) + QStringLiteral(" · ") +
            tr("%n network(s)", nullptr, static_cast<int>(sc.networks.size())) +
            QStringLiteral(" · ") +
            tr("%n container(s)", nullptr, static_cast<int>(sc.services.size())) +
            QStringLiteral(" · ") + tr("%n probe(s)", nullptr, static_cast<int>(sc.probes.size()));
    html +=
        QStringLiteral("<br><br>") +
        tr("<b>Tips</b><br>• Drag tiles from the palette onto the canvas.<br>• Drag from the dot "
           "under a container onto a network to connect them.<br>• Delete removes the "
           "selection; Ctrl+Z undoes.<br>• Ctrl+0 fits the canvas to the window.");
    m_summary->setText(html);
}

void ProjectForm::commitName() {
    const model::Scenario& sc = m_doc->scenario();
    const QString text = m_name->text().trimmed().toLower();
    const std::string name =
        text.isEmpty() ? model::defaultProjectName(sc.file) : text.toStdString();
    if (name == sc.projectName) {
        return;
    }
    m_doc->edit(tr("Rename project to %1").arg(qstr(name)),
                {ProjectNameEdit{sc.projectName, name, sc.nameGiven, !text.isEmpty()}});
}

}  // namespace cnmlab::ui

// The inspector's `deploy:` fields: a service as a plain container or a swarm
// service (SPEC §1a), its replicas, endpoint mode and placement constraints.
#include <QComboBox>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>

#include "ui/inspector/service_form.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/scenario_edit.hpp"

namespace cnmlab::ui {

namespace {

// "node.hostname == host2" and "node.role != manager", as the reader takes them.
std::optional<model::PlacementConstraint> parseConstraint(const QString& text) {
    static const QRegularExpression re(
        QStringLiteral("^\\s*(node\\.hostname|node\\.role)\\s*(==|!=)\\s*(\\S+)\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    model::PlacementConstraint c;
    c.text = text.trimmed().toStdString();
    c.attribute = m.captured(1).toStdString();
    c.equal = m.captured(2) == QLatin1String("==");
    c.value = m.captured(3).toStdString();
    if (c.attribute == "node.role" && c.value != "manager" && c.value != "worker") {
        return std::nullopt;
    }
    return c;
}

}  // namespace

void ServiceForm::loadSwarm(const model::ServiceSpec& s) {
    {
        const QSignalBlocker block(m_swarmMode);
        m_swarmMode->clear();
        m_swarmMode->addItem(tr("a container (docker run)"), QString());
        m_swarmMode->addItem(tr("a swarm service, replicated"), QStringLiteral("replicated"));
        m_swarmMode->addItem(tr("a swarm service, global"), QStringLiteral("global"));
        m_swarmMode->setCurrentIndex(!s.deploy ? 0 : s.deploy->global ? 2 : 1);
    }
    {
        const QSignalBlocker block(m_endpointMode);
        m_endpointMode->clear();
        m_endpointMode->addItem(tr("vip — a virtual IP, IPVS"), QStringLiteral("vip"));
        m_endpointMode->addItem(tr("dnsrr — DNS round robin"), QStringLiteral("dnsrr"));
        m_endpointMode->setCurrentIndex(s.deploy && s.deploy->dnsrr ? 1 : 0);
    }
    setText(m_replicas,
            s.deploy && !s.deploy->global ? QString::number(s.deploy->replicas) : QString());
    QStringList constraints;
    if (s.deploy) {
        for (const auto& c : s.deploy->constraints) {
            constraints << qstr(c.text);
        }
    }
    setText(m_constraints, constraints.join(QStringLiteral(", ")));
    m_replicas->setEnabled(s.deploy && !s.deploy->global);
    m_endpointMode->setEnabled(s.deploy.has_value());
    m_constraints->setEnabled(s.deploy.has_value());
    setFieldError(m_replicas, {});
    setFieldError(m_constraints, {});
}

void ServiceForm::commitSwarm() {
    if (m_loading) {
        return;
    }
    model::ServiceSpec s = *m_doc->scenario().findService(m_key);
    const QString mode = m_swarmMode->currentData().toString();
    if (mode.isEmpty()) {
        if (!s.deploy) {
            return;
        }
        s.deploy.reset();
        m_doc->edit(tr("Run %1 as a plain container").arg(qstr(m_key)),
                    {replaceService(m_doc->scenario(), s)});
        return;
    }
    model::DeploySpec d = s.deploy.value_or(model::DeploySpec{});
    d.global = mode == QLatin1String("global");
    d.modeGiven = d.modeGiven || d.global;
    if (!d.global) {
        bool ok = true;
        const QString text = m_replicas->text().trimmed();
        const int n = text.isEmpty() ? 1 : text.toInt(&ok);
        if (!ok || n < 0 || n > 1000) {
            setFieldError(m_replicas, tr("replicas are a number from 0 to 1000"));
            return;
        }
        d.replicasGiven = d.replicasGiven || n != d.replicas;
        d.replicas = n;
    }
    setFieldError(m_replicas, {});
    const bool dnsrr = m_endpointMode->currentData().toString() == QLatin1String("dnsrr");
    d.endpointModeGiven = d.endpointModeGiven || dnsrr != d.dnsrr;
    d.dnsrr = dnsrr;
    d.constraints.clear();
    for (const QString& part : m_constraints->text().split(',', Qt::SkipEmptyParts)) {
        auto c = parseConstraint(part);
        if (!c) {
            setFieldError(m_constraints,
                          tr("'%1' is not a constraint such as node.hostname == host2 or "
                             "node.role == worker")
                              .arg(part.trimmed()));
            return;
        }
        d.constraints.push_back(*c);
    }
    setFieldError(m_constraints, {});
    const bool becomes = !s.deploy;
    s.deploy = d;
    if (becomes) {
        // The swarm names and places tasks: what a plain container had for that goes.
        s.host.reset();
        s.containerName.reset();
        s.macAddress.reset();
        s.macText.clear();
    }
    m_doc->edit(becomes ? tr("Make %1 a swarm service").arg(qstr(m_key))
                        : tr("Set the swarm service %1").arg(qstr(m_key)),
                {replaceService(m_doc->scenario(), s)});
}

}  // namespace cnmlab::ui

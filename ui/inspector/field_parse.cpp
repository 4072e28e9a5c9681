#include "ui/inspector/field_parse.hpp"

#include <QCoreApplication>
#include <QRegularExpression>

namespace cnmlab::ui {

namespace {

std::optional<model::Proto> protoOf(const QString& s) {
    if (s.isEmpty() || s == QLatin1String("tcp")) {
        return model::Proto::Tcp;
    }
    if (s == QLatin1String("udp")) {
        return model::Proto::Udp;
    }
    return std::nullopt;
}

bool validPort(int p) {
    return p >= 1 && p <= 65535;
}

}  // namespace

Parsed<model::Cidr> parseCidr(const QString& text) {
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        return {};
    }
    if (auto c = model::Cidr::parse(t.toStdString())) {
        return {c, {}};
    }
    return {std::nullopt,
            QCoreApplication::translate("cnmlab::ui::FieldParse",
                                        "expected an IPv4 network such as 10.20.0.0/24")};
}

Parsed<model::Ipv4> parseIpv4(const QString& text) {
    const QString t = text.trimmed();
    if (t.isEmpty()) {
        return {};
    }
    if (auto ip = model::Ipv4::parse(t.toStdString())) {
        return {ip, {}};
    }
    return {std::nullopt,
            QCoreApplication::translate("cnmlab::ui::FieldParse",
                                        "expected an IPv4 address such as 10.20.0.10")};
}

Parsed<std::vector<model::PortProto>> parsePortList(const QString& text) {
    std::vector<model::PortProto> out;
    static const QRegularExpression item(QStringLiteral("^(\\d{1,5})(?:/(tcp|udp))?$"));
    for (const QString& raw : text.split(',', Qt::SkipEmptyParts)) {
        const auto m = item.match(raw.trimmed());
        if (!m.hasMatch() || !validPort(m.captured(1).toInt())) {
            return {std::nullopt,
                    QCoreApplication::translate("cnmlab::ui::FieldParse",
                                                "'%1' is not a port such as 80/tcp or 53/udp")
                        .arg(raw.trimmed())};
        }
        out.push_back({m.captured(1).toInt(), *protoOf(m.captured(2))});
    }
    return {out, {}};
}

QString portListText(const std::vector<model::PortProto>& ports) {
    QStringList out;
    for (const auto& p : ports) {
        out << QStringLiteral("%1/%2").arg(p.port).arg(
            QString::fromStdString(model::protoName(p.proto)));
    }
    return out.join(QStringLiteral(", "));
}

Parsed<std::vector<model::PortMapping>> parsePortMappings(const QString& text) {
    std::vector<model::PortMapping> out;
    // [IP:][PUBLISHED[-LAST]:]TARGET[-LAST][/PROTO][ host] (`host`: a swarm
    // service's `mode: host`, written in the long syntax)
    static const QRegularExpression item(
        QStringLiteral("^(?:(\\d+\\.\\d+\\.\\d+\\.\\d+):)?(?:(\\d*)(?:-(\\d+))?:)?(\\d+)(?:-(\\d+))"
                       "?(?:/(tcp|udp))?(\\s+host)?$"));
    for (const QString& raw : text.split(',', Qt::SkipEmptyParts)) {
        const QString t = raw.trimmed();
        const auto m = item.match(t);
        if (!m.hasMatch()) {
            return {std::nullopt, QCoreApplication::translate(
                                      "cnmlab::ui::FieldParse",
                                      "'%1' is not a port mapping such as 8080:80 or 53:53/udp")
                                      .arg(t)};
        }
        model::PortMapping pm;
        if (!m.captured(1).isEmpty()) {
            pm.hostIp = model::Ipv4::parse(m.captured(1).toStdString());
            if (!pm.hostIp) {
                return {std::nullopt,
                        QCoreApplication::translate("cnmlab::ui::FieldParse",
                                                    "'%1' has an invalid host address")
                            .arg(t)};
            }
        }
        pm.publishedFirst = m.captured(2).toInt();
        pm.publishedLast = m.captured(3).isEmpty() ? pm.publishedFirst : m.captured(3).toInt();
        pm.targetFirst = m.captured(4).toInt();
        pm.targetLast = m.captured(5).isEmpty() ? pm.targetFirst : m.captured(5).toInt();
        pm.proto = *protoOf(m.captured(6));
        pm.hostMode = !m.captured(7).isEmpty();
        const bool ok = validPort(pm.targetFirst) && validPort(pm.targetLast) &&
                        pm.targetLast >= pm.targetFirst &&
                        (pm.publishedFirst == 0 ||
                         (validPort(pm.publishedFirst) && validPort(pm.publishedLast) &&
                          pm.publishedLast - pm.publishedFirst == pm.targetLast - pm.targetFirst));
        if (!ok) {
            return {std::nullopt,
                    QCoreApplication::translate(
                        "cnmlab::ui::FieldParse",
                        "'%1': ports are 1-65535 and ranges must have the same length")
                        .arg(t)};
        }
        out.push_back(pm);
    }
    return {out, {}};
}

QString portMappingsText(const std::vector<model::PortMapping>& ports) {
    QStringList out;
    auto range = [](int a, int b) {
        return a == b ? QString::number(a) : QStringLiteral("%1-%2").arg(a).arg(b);
    };
    for (const auto& p : ports) {
        QString s;
        if (p.hostIp) {
            s = QString::fromStdString(p.hostIp->str()) + ':';
        }
        if (p.publishedFirst != 0) {
            s += range(p.publishedFirst, p.publishedLast) + ':';
        } else if (p.hostIp) {
            s += ':';
        }
        s += range(p.targetFirst, p.targetLast);
        if (p.proto != model::Proto::Tcp) {
            s += '/' + QString::fromStdString(model::protoName(p.proto));
        }
        if (p.hostMode) {
            s += QStringLiteral(" host");
        }
        out << s;
    }
    return out.join(QStringLiteral(", "));
}

std::vector<std::string> parseNameList(const QString& text) {
    std::vector<std::string> out;
    for (const QString& s : text.split(',', Qt::SkipEmptyParts)) {
        if (!s.trimmed().isEmpty()) {
            out.push_back(s.trimmed().toStdString());
        }
    }
    return out;
}

QString nameListText(const std::vector<std::string>& names) {
    QStringList out;
    for (const auto& n : names) {
        out << QString::fromStdString(n);
    }
    return out.join(QStringLiteral(", "));
}

}  // namespace cnmlab::ui

#include "ui/compare/compare_table_model.hpp"

#include <QFont>

#include <algorithm>
#include <utility>
#include <vector>

#include "ui/language.hpp"
#include "ui/qt_text.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr int kReasonChars = 110;  // an invalid driver's reason in its cell; whole in the tooltip
constexpr int kTooltipPairs = 30;  // changed pairs listed in a tooltip

QString dash() {
    return QStringLiteral("—");
}

// "3/4", or a dash when there was nothing to try.
QString tallyText(const sim::Tally& t) {
    return t.total == 0 ? dash() : QStringLiteral("%1/%2").arg(t.reachable).arg(t.total);
}

QString pairText(const sim::PairKey& p) {
    QString s =
        QStringLiteral("%1 → %2 %3").arg(qstr(p.from), qstr(p.to), qstr(model::protoName(p.proto)));
    if (p.port > 0) {
        s += QStringLiteral("/%1").arg(p.port);
    }
    if (!p.network.empty()) {
        s += QStringLiteral(" (%1)").arg(qstr(p.network));
    }
    return s;
}

QString verdictWord(const std::string& v) {
    if (v == "reachable") {
        return CompareTableModel::tr("reachable");
    }
    if (v == "unreachable") {
        return CompareTableModel::tr("unreachable");
    }
    return CompareTableModel::tr("absent");
}

// The containers grouped by the identity they show on the LAN, in file order.
std::vector<std::pair<QString, QStringList>> identityGroups(const sim::DriverReport& r) {
    std::vector<std::pair<QString, QStringList>> groups;
    for (const auto& id : r.identities) {
        const QString words = qstr(sim::identityWords(id, Language::simLang()));
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == words; });
        if (it == groups.end()) {
            groups.emplace_back(words, QStringList{qstr(id.container)});
        } else {
            it->second << qstr(id.container);
        }
    }
    return groups;
}

QString settingsText(const sim::DriverReport& r) {
    QStringList lines;
    for (const auto& s : r.settings) {
        lines << QStringLiteral("%1: %2").arg(qstr(s.network), qstr(s.text));
    }
    return lines.join('\n');
}

QString changesTooltip(const sim::DriverReport& r, const QString& first) {
    if (r.changes.empty()) {
        return CompareTableModel::tr("No pair of the matrix changed from %1.").arg(first);
    }
    const int changed = r.flips + r.newOrGone;
    QStringList lines{
        CompareTableModel::tr("%n pair(s) changed from %1:", nullptr, changed).arg(first)};
    int shown = 0;
    for (const auto& c : r.changes) {
        if (shown++ == kTooltipPairs) {
            lines << CompareTableModel::tr("… and %1 more").arg(changed - kTooltipPairs);
            break;
        }
        QString line = QStringLiteral("%1: %2 → %3")
                           .arg(pairText(c.pair), verdictWord(c.first), verdictWord(c.here));
        const std::string& why = c.reason.in(Language::simLang());
        if (!why.empty()) {
            line += QStringLiteral(" — ") + qstr(why);
        }
        lines << line;
    }
    return lines.join('\n');
}

QString identityTooltip(const sim::DriverReport& r) {
    QStringList lines;
    for (const auto& id : r.identities) {
        const QString words = qstr(sim::identityWords(id, Language::simLang()));
        if (!id.onLan) {
            lines << QStringLiteral("%1 → %2: %3").arg(qstr(id.container), qstr(id.to), words);
            continue;
        }
        QString line = CompareTableModel::tr("%1 → %2: MAC %3, IP %4 (%5)")
                           .arg(qstr(id.container), qstr(id.to), qstr(id.mac), qstr(id.ip), words);
        lines << line;
    }
    return lines.isEmpty() ? CompareTableModel::tr("No compared container pinged a LAN machine.")
                           : lines.join('\n');
}

QString objectsTooltip(const sim::PlanTally& o) {
    return CompareTableModel::tr(
               "network namespaces %1\nlinks %2\naddresses %3\nroutes %4\nneighbour and FDB "
               "entries %5\nnetfilter rules %6\nchains %7\nsysctls, DNS records, IPsec %8")
        .arg(o.namespaces)
        .arg(o.links)
        .arg(o.addresses)
        .arg(o.routes)
        .arg(o.neighbours)
        .arg(o.rules)
        .arg(o.chains)
        .arg(o.other);
}

}  // namespace

CompareTableModel::CompareTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareTableModel::setComparison(std::shared_ptr<const sim::Comparison> c) {
    beginResetModel();
    m_comparison = std::move(c);
    endResetModel();
}

void CompareTableModel::retranslate() {
    if (columnCount() == 0) {
        return;
    }
    emit headerDataChanged(Qt::Vertical, 0, RowCount - 1);
    emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    emit dataChanged(index(0, 0), index(RowCount - 1, columnCount() - 1));
}

int CompareTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_comparison ? 0 : RowCount;
}

int CompareTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_comparison ? 0 : static_cast<int>(m_comparison->drivers.size());
}

const sim::DriverReport& CompareTableModel::report(int column) const {
    return m_comparison->drivers[static_cast<std::size_t>(column)];
}

bool CompareTableModel::differs(int row, int column) const {
    if (column <= 0 || column >= columnCount() || row < 0 || row >= RowCount) {
        return false;
    }
    const sim::DriverReport& r = report(column);
    const sim::DriverReport& first = report(0);
    if (row == Valid) {
        return r.valid != first.valid;
    }
    if (!r.valid || !first.valid) {
        return false;  // dashes: the Valid row says it
    }
    return key(row, r) != key(row, first);
}

QString CompareTableModel::key(int row, const sim::DriverReport& r) const {
    switch (row) {
    case Matrix:
        return tallyText(r.matrix) + (r.changes.empty() ? QString() : QStringLiteral("*"));
    case ReferencePing:
        return r.wire.reachable ? QStringLiteral("1") : QStringLiteral("0");
    case Devices:
        return QString::number(r.wire.devices.size());
    default:
        return text(row, r);
    }
}

QString CompareTableModel::text(int row, const sim::DriverReport& r) const {
    if (row == Valid) {
        if (r.valid) {
            return tr("✓ valid");
        }
        QString why = qstr(r.invalid);
        if (why.size() > kReasonChars) {
            why = why.left(kReasonChars - 1) + QStringLiteral("…");
        }
        return tr("✗ %1").arg(why);
    }
    if (!r.valid) {
        return dash();
    }
    switch (row) {
    case Matrix: {
        // As `cnmlab compare` counts them: verdicts that flipped, and pairs
        // that exist on one driver only (a container gone to host mode ...).
        const int flipped = r.flips;
        const int other = r.newOrGone;
        if (flipped + other == 0) {
            return tallyText(r.matrix);
        }
        return other == 0 ? tr("%1 · %2 flipped").arg(tallyText(r.matrix)).arg(flipped)
                          : tr("%1 · %2 flipped, %3 new or gone")
                                .arg(tallyText(r.matrix))
                                .arg(flipped)
                                .arg(other);
    }
    case ToOwnHost:
        return tallyText(r.toOwnHost);
    case FromOwnHost:
        return tallyText(r.fromOwnHost);
    case ToOtherHosts:
        return tallyText(r.toOtherHosts);
    case FromOtherHosts:
        return tallyText(r.fromOtherHosts);
    case ToLan:
        return tallyText(r.toLan);
    case FromLan:
        return tallyText(r.fromLan);
    case CrossHost:
        return tallyText(r.crossHost);
    case Names:
        return tallyText(r.names);
    case Published:
        return tallyText(r.published);
    case Probes:
        return tallyText(r.probes);
    case Identity: {
        const auto groups = identityGroups(r);
        if (groups.empty()) {
            return dash();
        }
        if (groups.size() == 1) {
            return groups.front().first;
        }
        QStringList lines;
        for (const auto& [words, containers] : groups) {
            lines << QStringLiteral("%1: %2").arg(containers.join(QStringLiteral(", ")), words);
        }
        return lines.join('\n');
    }
    case Duplicates:
        // Shown only where some driver has them (a row of dashes is hidden).
        return r.duplicates.empty()
                   ? dash()
                   : tr("%n address(es)", nullptr, static_cast<int>(r.duplicates.size()));
    case ReferencePing:
        if (r.wire.from.empty()) {
            return dash();
        }
        return QStringLiteral("%1 → %2: %3")
            .arg(qstr(r.wire.from), qstr(r.wire.to),
                 r.wire.reachable ? tr("reachable") : tr("unreachable"));
    case Mtu:
        return r.wire.mtu > 0 ? QString::number(r.wire.mtu) : dash();
    case WireBytes:
        return r.wire.frameBytes > 0
                   ? (r.wire.where == "LAN"
                          ? tr("%1 B on the LAN").arg(r.wire.frameBytes)
                          : tr("%1 B in %2").arg(r.wire.frameBytes).arg(qstr(r.wire.where)))
                   : dash();
    case Devices:
        return r.wire.devices.empty()
                   ? dash()
                   : tr("%n device(s)", nullptr, static_cast<int>(r.wire.devices.size()));
    case Objects:
        return tr("%1 · %2 rules").arg(r.objects.total()).arg(r.objects.rules);
    default:
        return {};
    }
}

QString CompareTableModel::tooltip(int row, const sim::DriverReport& r) const {
    const QString settings = settingsText(r);
    if (row == Valid) {
        const QString head = r.valid ? tr("The file is valid on %1.").arg(qstr(r.driver))
                                     : tr("Invalid on %1: %2").arg(qstr(r.driver), qstr(r.invalid));
        return settings.isEmpty() ? head : head + QStringLiteral("\n\n") + settings;
    }
    if (!r.valid) {
        return tr("Not measured: the file is invalid on %1.").arg(qstr(r.driver));
    }
    switch (row) {
    case Matrix:
        return changesTooltip(r, qstr(report(0).driver));
    case Identity:
        return identityTooltip(r);
    case Duplicates: {
        QStringList lines;
        for (const auto& d : r.duplicates) {
            QStringList who;
            for (const auto& c : d.containers) {
                who << qstr(c);
            }
            lines << tr("%1 on %2: %3").arg(qstr(d.ip), qstr(d.network), who.join(", "));
        }
        return lines.join('\n');
    }
    case ReferencePing: {
        if (r.wire.from.empty()) {
            return tr("The file has no two containers to ping between.");
        }
        const QString where = r.wire.crossHost ? tr("across hosts") : tr("on one host");
        return tr("64 bytes of ICMP from %1 to %2 (%3): %4")
            .arg(qstr(r.wire.from), qstr(r.wire.to), where,
                 qstr(r.wire.reason.in(Language::simLang())));
    }
    case WireBytes: {
        QStringList layers;
        for (const auto& l : r.wire.layers) {
            layers << qstr(l);
        }
        return tr("The echo request's largest frame (Ethernet header on, the ICMP message %1 "
                  "B), at %2: %3")
            .arg(r.wire.icmpBytes)
            .arg(qstr(r.wire.where), layers.join(QStringLiteral(" › ")));
    }
    case Devices: {
        QStringList lines;
        for (const auto& d : r.wire.devices) {
            lines << QStringLiteral("%1. %2").arg(lines.size() + 1).arg(qstr(d));
        }
        return lines.join('\n');
    }
    case Objects:
        return objectsTooltip(r.objects);
    default:
        return rowHelp(row);
    }
}

QVariant CompareTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_comparison) {
        return {};
    }
    const sim::DriverReport& r = report(index.column());
    const bool diff = differs(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return text(index.row(), r);
    case Qt::ToolTipRole:
        return tooltip(index.row(), r);
    case DiffersRole:
        return diff;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignCenter));
    case Qt::FontRole:
        if (diff) {
            QFont bold;  // only the weight (QFont::resolve keeps the table's family and size)
            bold.setWeight(QFont::DemiBold);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.row() == Valid) {
            return r.valid ? Theme::colors().ok : Theme::colors().error;
        }
        return r.valid ? QVariant() : QVariant(Theme::colors().subtext);
    case Qt::BackgroundRole:
        if (diff) {
            QColor c = Theme::colors().highlight;
            c.setAlpha(Theme::dark() ? 90 : 80);
            return c;
        }
        return {};
    default:
        return {};
    }
}

QVariant CompareTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o == Qt::Vertical) {
        if (role == Qt::DisplayRole) {
            return rowName(section);
        }
        if (role == Qt::ToolTipRole) {
            return rowHelp(section);
        }
        return {};
    }
    if (!m_comparison || section < 0 || section >= columnCount()) {
        return {};
    }
    const sim::DriverReport& r = report(section);
    const QString driver = qstr(r.driver);
    switch (role) {
    case Qt::DisplayRole:
        return driver;
    case Qt::DecorationRole:
        return Theme::tinted(Theme::driverIcon(driver), Theme::driverColor(driver), 16);
    case Qt::ToolTipRole: {
        const QString settings = settingsText(r);
        return settings.isEmpty() ? driver : settings;
    }
    case Qt::ForegroundRole:
        return Theme::driverColor(driver);
    default:
        return {};
    }
}

QString CompareTableModel::rowName(int row) {
    switch (row) {
    case Valid:
        return tr("Valid");
    case Matrix:
        return tr("Reach matrix");
    case ToOwnHost:
        return tr("Container → own host");
    case FromOwnHost:
        return tr("Own host → container");
    case ToOtherHosts:
        return tr("Container → other hosts");
    case FromOtherHosts:
        return tr("Other hosts → container");
    case ToLan:
        return tr("Container → LAN machines");
    case FromLan:
        return tr("LAN machines → container");
    case CrossHost:
        return tr("Container → container across hosts");
    case Names:
        return tr("Names resolved");
    case Published:
        return tr("Published ports");
    case Probes:
        return tr("x-probes passing");
    case Identity:
        return tr("Identity on the LAN");
    case Duplicates:
        return tr("Addresses on two hosts");
    case ReferencePing:
        return tr("Reference ping");
    case Mtu:
        return tr("MTU");
    case WireBytes:
        return tr("Bytes on the wire");
    case Devices:
        return tr("Devices crossed");
    case Objects:
        return tr("Kernel objects");
    default:
        return {};
    }
}

QString CompareTableModel::rowHelp(int row) {
    switch (row) {
    case Valid:
        return tr("Whether Docker accepts the file with its networks on this driver");
    case Matrix:
        return tr("Probes of the whole reachability matrix that answer, and the pairs whose "
                  "verdict is not the first driver's");
    case ToOwnHost:
        return tr("Ping from each compared container to the addresses of the Docker host it "
                  "runs on");
    case FromOwnHost:
        return tr("Ping from each container's own Docker host to the container");
    case ToOtherHosts:
        return tr("Ping from each compared container to the other Docker hosts");
    case FromOtherHosts:
        return tr("Ping from the other Docker hosts to each compared container");
    case ToLan:
        return tr("Ping from each compared container to the machines on the hosts' LAN");
    case FromLan:
        return tr("Ping from the machines on the hosts' LAN to each compared container");
    case CrossHost:
        return tr("Ping between compared containers on different Docker hosts");
    case Names:
        return tr("Lookups of each other's service name in Docker's embedded DNS that answer");
    case Published:
        return tr("Published ports tried from off the host");
    case Probes:
        return tr("The file's x-probes whose expectation holds");
    case Identity:
        return tr("The source MAC and IP a container's ping shows on the LAN, as the LAN "
                  "switch sees it");
    case Duplicates:
        return tr("Addresses two containers on different hosts both have on one LAN segment: "
                  "each host's IPAM hands out the same ones (local scope)");
    case ReferencePing:
        return tr("One ping of 64 bytes of ICMP between two of the containers: the one the "
                  "canvases below play");
    case Mtu:
        return tr("The MTU of the sender's interface");
    case WireBytes:
        return tr("The echo request's largest frame, Ethernet header on, and where it was "
                  "that large");
    case Devices:
        return tr("The devices the echo request crosses, each once");
    case Objects:
        return tr("Kernel objects and rules the Plan creates: namespaces, links, addresses, "
                  "routes, neighbour entries, netfilter rules and chains, the rest");
    default:
        return {};
    }
}

}  // namespace cnmlab::ui

#include "ui/sim/packet_list_model.hpp"

#include <algorithm>

#include "packet/packet_codec.hpp"
#include "sim/report.hpp"
#include "ui/language.hpp"
#include "ui/sim/packet_token.hpp"
#include "ui/sim/playback.hpp"

namespace cnmlab::ui {

PacketListModel::PacketListModel(Playback* playback, QObject* parent)
    : QAbstractTableModel(parent), m_playback(playback) {
    connect(playback, &Playback::loaded, this, [this] {
        beginResetModel();
        m_hops.clear();
        m_rows.clear();
        if (const TracedProbe* p = m_playback->probe()) {
            for (std::size_t i = 0; i < p->record.hops.size(); ++i) {
                // One row per frame on the wire: the hops that carry one and
                // send or receive it (decisions about it are in the event list).
                const auto& h = p->record.hops[i];
                if (h.frame && (h.action == "tx" || h.action == "rx" || h.action == "drop" ||
                                h.action == "deliver" || h.action == "nat")) {
                    m_hops.push_back(static_cast<int>(i));
                }
            }
        }
        m_rows.resize(m_hops.size());
        endResetModel();
    });
}

int PacketListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_hops.size());
}

int PacketListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

int PacketListModel::hopOfRow(int row) const {
    return row >= 0 && row < rowCount() ? m_hops[static_cast<std::size_t>(row)] : -1;
}

int PacketListModel::rowOfHop(int hop) const {
    auto it = std::upper_bound(m_hops.begin(), m_hops.end(), hop);
    return it == m_hops.begin() ? -1 : static_cast<int>(it - m_hops.begin()) - 1;
}

const PacketListModel::Row& PacketListModel::row(int r) const {
    auto& slot = m_rows[static_cast<std::size_t>(r)];
    if (slot) {
        return *slot;
    }
    const auto& hop =
        m_playback->probe()
            ->record.hops[static_cast<std::size_t>(m_hops[static_cast<std::size_t>(r)])];
    const packet::Frame& f = *hop.frame;
    Row out;
    out[No] = QString::number(r + 1);
    out[Time] = QStringLiteral("%1").arg(static_cast<double>(hop.t) / 1e6, 0, 'f', 6);
    const auto [node, device] = sim::hopWhere(hop, Language::simLang());
    out[Where] = QString::fromStdString(device.empty() ? node : node + " " + device);
    if (f.ethertype == packet::kEtherTypeIpv4) {
        out[Source] = QString::fromStdString(f.ipSrc.str());
        out[Destination] = QString::fromStdString(f.ipDst.str());
    } else {
        out[Source] = QString::fromStdString(model::macStr(f.srcMac));
        out[Destination] = QString::fromStdString(model::macStr(f.dstMac));
    }
    const auto layers = packet::layerNames(f);
    out[Protocol] = layers.empty() ? QString() : QString::fromStdString(layers.back()).toUpper();
    out[Length] = QString::number(packet::serialize(f).size());
    out[Info] = QString::fromStdString(packet::summary(f));
    slot = std::move(out);
    return *slot;
}

QVariant PacketListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || m_playback->probe() == nullptr) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        return row(index.row())[static_cast<std::size_t>(index.column())];
    }
    if (role == Qt::BackgroundRole) {
        QColor c = PacketToken::layerColor(row(index.row())[Protocol].toLower());
        c.setAlpha(28);
        return c;
    }
    return {};
}

QVariant PacketListModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case No:
        return tr("No.");
    case Time:
        return tr("Time");
    case Where:
        return tr("Where");
    case Source:
        return tr("Source");
    case Destination:
        return tr("Destination");
    case Protocol:
        return tr("Protocol");
    case Length:
        return tr("Length");
    case Info:
        return tr("Info");
    default:
        return {};
    }
}

void PacketListModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

}  // namespace cnmlab::ui

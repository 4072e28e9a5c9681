#include "ui/sim/event_list_model.hpp"

#include <QFont>

#include "packet/packet_codec.hpp"
#include "sim/report.hpp"
#include "ui/language.hpp"
#include "ui/sim/packet_token.hpp"
#include "ui/sim/playback.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

EventListModel::EventListModel(Playback* playback, QObject* parent)
    : QAbstractTableModel(parent), m_playback(playback) {
    connect(playback, &Playback::loaded, this, [this] {
        beginResetModel();
        m_current = m_playback->current();
        endResetModel();
    });
    connect(playback, &Playback::hopChanged, this, &EventListModel::onHop);
}

int EventListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_playback->hopCount();
}

int EventListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventListModel::data(const QModelIndex& index, int role) const {
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || !index.isValid()) {
        return {};
    }
    const auto& hop = probe->record.hops[static_cast<std::size_t>(index.row())];
    const bool current = index.row() == m_current;
    const bool ahead = index.row() > m_current;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Index:
            return index.row() + 1;
        case Time:
            return tr("%1 µs").arg(hop.t);
        case Node:
            return QString::fromStdString(sim::hopWhere(hop, Language::simLang()).first);
        case Device:
            return QString::fromStdString(sim::hopWhere(hop, Language::simLang()).second);
        case Action:
            return QString::fromStdString(hop.action);
        case Explain:
            return QString::fromStdString(hop.explain.in(Language::simLang()));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == Explain
                   ? QString::fromStdString(hop.explain.in(Language::simLang()))
                   : QVariant();
    case Qt::FontRole:
        if (current) {
            QFont bold;  // only the weight: family and size stay the table's (QFont::resolve)
            bold.setWeight(QFont::DemiBold);
            return bold;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Action && hop.action == "drop") {
            return Theme::colors().error;
        }
        if (ahead) {
            QColor c = Theme::colors().subtext;
            c.setAlpha(150);
            return c;
        }
        return {};
    case Qt::BackgroundRole:
        if (current) {
            QColor c = Theme::colors().highlight;
            c.setAlpha(Theme::dark() ? 70 : 55);
            return c;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == Action && hop.frame) {
            const auto layers = packet::layerNames(*hop.frame);
            return layers.empty()
                       ? QVariant()
                       : QVariant(PacketToken::layerColor(QString::fromStdString(layers.back())));
        }
        return {};
    default:
        return {};
    }
}

QVariant EventListModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Index:
        return QStringLiteral("#");
    case Time:
        return tr("Time");
    case Node:
        return tr("Node");
    case Device:
        return tr("Device");
    case Action:
        return tr("Action");
    case Explain:
        return tr("Explanation");
    default:
        return {};
    }
}

void EventListModel::retranslate() {
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    }
}

void EventListModel::onHop(int hop) {
    const int before = m_current;
    m_current = hop;
    if (rowCount() == 0) {
        return;
    }
    const int lo = std::max(0, std::min(before, hop));
    const int hi = std::min(rowCount() - 1, std::max(before, hop));
    emit dataChanged(index(lo, 0), index(hi, ColumnCount - 1));
}

}  // namespace cnmlab::ui

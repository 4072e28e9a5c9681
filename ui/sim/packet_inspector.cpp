#include "ui/sim/packet_inspector.hpp"

#include <QEvent>
#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/sim/hex_view.hpp"
#include "ui/sim/packet_list_model.hpp"
#include "ui/sim/playback.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {
constexpr int kOffsetRole = Qt::UserRole + 1;
constexpr int kLengthRole = Qt::UserRole + 2;
}  // namespace

PacketInspector::PacketInspector(Playback* playback, QWidget* parent)
    : QWidget(parent), m_playback(playback), m_model(new PacketListModel(playback, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* split = new QSplitter(Qt::Horizontal, this);
    m_list = new QTableView(split);
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(22);
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setShowGrid(false);
    m_list->setWordWrap(false);
    m_list->setFont(Theme::uiFont(9.5));
    for (int c : {PacketListModel::No, PacketListModel::Protocol, PacketListModel::Length}) {
        m_list->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    }
    m_list->setColumnWidth(PacketListModel::Time, 76);
    m_list->setColumnWidth(PacketListModel::Where, 150);
    m_list->setColumnWidth(PacketListModel::Source, 110);
    m_list->setColumnWidth(PacketListModel::Destination, 110);
    auto* right = new QSplitter(Qt::Vertical, split);
    m_details = new QTreeWidget(right);
    m_details->setColumnCount(2);
    m_details->setUniformRowHeights(true);
    m_details->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_details->setAlternatingRowColors(true);
    m_hex = new HexView(right);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    split->setStretchFactor(0, 5);
    split->setStretchFactor(1, 4);
    layout->addWidget(split);
    changeEvent(nullptr);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& cur) {
                if (!m_updating && cur.isValid()) {
                    emit packetSelected(m_model->hopOfRow(cur.row()));
                }
            });
    connect(m_details, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!m_updating && item != nullptr) {
            emit fieldSelected(item->data(0, kOffsetRole).value<qulonglong>(),
                               item->data(0, kLengthRole).value<qulonglong>());
        }
    });
    connect(m_hex, &HexView::byteClicked, this, &PacketInspector::selectFieldAt);
    connect(playback, &Playback::loaded, this, [this] {
        m_hop = -1;
        m_details->clear();
        m_hex->setBytes({});
    });
}

void PacketInspector::showPacket(int hop) {
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || hop < 0) {
        return;
    }
    const int row = m_model->rowOfHop(hop);
    const int shown = row < 0 ? hop : m_model->hopOfRow(row);
    const auto& h = probe->record.hops[static_cast<std::size_t>(std::max(shown, 0))];
    m_updating = true;
    if (row >= 0) {
        m_list->selectRow(row);
        m_list->scrollTo(m_model->index(row, 0));
    }
    if (shown != m_hop && h.frame) {
        m_hop = shown;
        m_fields = packet::describe(*h.frame);
        m_details->clear();
        std::vector<QTreeWidgetItem*> parents;
        for (const auto& f : m_fields) {
            parents.resize(static_cast<std::size_t>(f.depth));
            QTreeWidgetItem* item = parents.empty() ? new QTreeWidgetItem(m_details)
                                                    : new QTreeWidgetItem(parents.back());
            item->setText(0, QString::fromStdString(f.name));
            item->setText(1, QString::fromStdString(f.value));
            item->setData(0, kOffsetRole, QVariant::fromValue<qulonglong>(f.offset));
            item->setData(0, kLengthRole, QVariant::fromValue<qulonglong>(f.length));
            item->setToolTip(1, QString::fromStdString(f.value));
            if (f.depth == 0) {
                item->setFont(0, Theme::uiFont(9.5 * Theme::uiScale(), true));
                item->setExpanded(true);
            }
            parents.push_back(item);
        }
        m_hex->setBytes(packet::serialize(*h.frame));
    }
    m_updating = false;
}

void PacketInspector::highlightField(std::size_t offset, std::size_t length) {
    m_hex->highlight(offset, length);
}

void PacketInspector::selectFieldAt(std::size_t offset) {
    // The deepest field holding the byte, as Wireshark does on a click in the bytes.
    QTreeWidgetItem* best = nullptr;
    int bestDepth = -1;
    std::size_t bestLength = 0;
    QTreeWidgetItemIterator it(m_details);
    for (; *it != nullptr; ++it) {
        const auto o = (*it)->data(0, kOffsetRole).value<qulonglong>();
        const auto l = (*it)->data(0, kLengthRole).value<qulonglong>();
        int depth = 0;
        for (QTreeWidgetItem* p = (*it)->parent(); p != nullptr; p = p->parent()) {
            ++depth;
        }
        if (l > 0 && offset >= o && offset < o + l &&
            (depth > bestDepth || (depth == bestDepth && l < bestLength))) {
            best = *it;
            bestDepth = depth;
            bestLength = l;
        }
    }
    if (best != nullptr) {
        for (QTreeWidgetItem* p = best->parent(); p != nullptr; p = p->parent()) {
            p->setExpanded(true);
        }
        m_details->setCurrentItem(best);  // emits fieldSelected
    }
}

void PacketInspector::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_details->setHeaderLabels({tr("Field"), tr("Value")});
        m_model->retranslate();
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

#include "ui/sim/events_panel.hpp"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/sim/event_list_model.hpp"
#include "ui/sim/playback.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

EventsPanel::EventsPanel(Playback* playback, QWidget* parent)
    : QWidget(parent), m_playback(playback), m_model(new EventListModel(playback, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setFont(Theme::uiFont(9.5));
    auto* h = m_table->horizontalHeader();
    h->setStretchLastSection(true);
    h->setSectionResizeMode(EventListModel::Index, QHeaderView::ResizeToContents);
    m_table->setColumnWidth(EventListModel::Time, 64);
    m_table->setColumnWidth(EventListModel::Node, 120);
    m_table->setColumnWidth(EventListModel::Device, 120);
    m_table->setColumnWidth(EventListModel::Action, 92);
    m_empty = new QLabel(this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setWordWrap(true);
    layout->addWidget(m_empty);
    layout->addWidget(m_table);
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& i) { emit packetSelected(i.row()); });
    connect(playback, &Playback::hopChanged, this, &EventsPanel::follow);
    connect(playback, &Playback::loaded, this, [this] {
        m_empty->setVisible(m_playback->hopCount() == 0);
        m_table->setVisible(m_playback->hopCount() > 0);
    });
    m_table->hide();
    changeEvent(nullptr);
}

void EventsPanel::follow(int hop) {
    if (hop >= 0 && hop < m_model->rowCount()) {
        m_table->scrollTo(m_model->index(hop, 0), QAbstractItemView::PositionAtCenter);
    }
}

void EventsPanel::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_empty->setText(tr("No probe yet. Choose a source and a destination in the Probe bar "
                            "and press Send, pick one of the file's probes, or click a cell of the "
                            "reachability matrix."));
        m_model->retranslate();
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

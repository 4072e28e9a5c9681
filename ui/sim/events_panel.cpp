#include "ui/sim/events_panel.hpp"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/sim/event_list_model.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_controller.hpp"
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
    m_ending = new QLabel(this);
    m_ending->setObjectName(QStringLiteral("probeEnding"));
    m_ending->setWordWrap(true);
    m_ending->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ending->setContentsMargins(8, 4, 8, 4);
    m_ending->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_ending->hide();
    layout->addWidget(m_empty);
    layout->addWidget(m_ending);
    layout->addWidget(m_table);
    connect(m_table, &QTableView::clicked, this,
            [this](const QModelIndex& i) { emit packetSelected(i.row()); });
    connect(playback, &Playback::hopChanged, this, &EventsPanel::follow);
    connect(playback, &Playback::loaded, this, &EventsPanel::showLoaded);
    m_table->hide();
    changeEvent(nullptr);
}

void EventsPanel::follow(int hop) {
    if (hop >= 0 && hop < m_model->rowCount()) {
        m_table->scrollTo(m_model->index(hop, 0), QAbstractItemView::PositionAtCenter);
    }
}

void EventsPanel::showLoaded() {
    const TracedProbe* probe = m_playback->probe();
    m_empty->setVisible(probe == nullptr);
    m_table->setVisible(m_playback->hopCount() > 0);
    m_ending->setVisible(probe != nullptr);
    if (probe == nullptr) {
        return;
    }
    const sim::ProbeRecord& r = probe->record;
    const QString verdict = r.resolve     ? (r.nxdomain ? tr("no such name") : tr("answered"))
                            : r.reachable ? tr("reachable")
                                          : tr("unreachable");
    QString text =
        tr("%1: %2 — %3")
            .arg(probe->request.label(), verdict, SimulationController::verdictReason(r));
    if (r.hops.empty()) {
        text +=
            QLatin1Char('\n') +
            tr("It never left %1, so there is no hop to show.").arg(QString::fromStdString(r.from));
    }
    m_ending->setText(text);
    QPalette pal = m_ending->palette();
    pal.setColor(QPalette::WindowText, r.reachable || (r.resolve && !r.nxdomain)
                                           ? Theme::colors().ok
                                           : Theme::colors().error);
    m_ending->setPalette(pal);
}

void EventsPanel::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_empty->setText(tr("No probe yet. Choose a source and a destination in the Probe bar "
                            "and press Send, pick one of the file's probes, or click a cell of the "
                            "reachability matrix."));
        m_model->retranslate();
        showLoaded();
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

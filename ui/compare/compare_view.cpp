#include "ui/compare/compare_view.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

#include "model/driver_swap.hpp"
#include "ui/compare/compare_pane.hpp"
#include "ui/compare/compare_table_model.hpp"
#include "ui/compare/lockstep.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

CompareView::CompareView(ScenarioDocument* doc, QWidget* parent)
    : QWidget(parent, Qt::Window), m_doc(doc), m_model(new CompareTableModel(this)),
      m_lockstep(new Lockstep(this)) {
    setObjectName(QStringLiteral("compareView"));
    setWindowIcon(Theme::icon(QStringLiteral("compare")));
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setWordWrap(true);
    m_table->setFont(Theme::uiFont(9));  // as the reachability matrix: the canvases want the room
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setCornerButtonEnabled(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setMinimumSectionSize(110);
    // Compact rows (the canvases want the room); the identity row grows to its lines.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(true);

    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_legend);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(tableBox);
    m_split->addWidget(buildPlayer());
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(buildPicker());
    layout->addWidget(m_split, 1);

    connect(doc, &ScenarioDocument::changed, this, &CompareView::markStale);
    connect(doc, &ScenarioDocument::reset, this, [this] {
        refillNetworks();
        markStale();
    });
    connect(doc, &ScenarioDocument::pathChanged, this, &CompareView::updateTitle);
    setDrivers(defaultDrivers());
    refillNetworks();
    retranslate();
    resize(1440, 900);
}

CompareView::~CompareView() {
    if (m_watcher != nullptr) {
        m_watcher->waitForFinished();
    }
}

QStringList CompareView::availableDrivers() {
    return {QStringLiteral("bridge"),  QStringLiteral("macvlan"), QStringLiteral("ipvlan"),
            QStringLiteral("overlay"), QStringLiteral("host"),    QStringLiteral("none"),
            QStringLiteral("weave"),   QStringLiteral("calico"),  QStringLiteral("contiv"),
            QStringLiteral("kuryr")};
}

QStringList CompareView::defaultDrivers() {
    return {QStringLiteral("bridge"), QStringLiteral("macvlan"), QStringLiteral("ipvlan"),
            QStringLiteral("overlay")};
}

QWidget* CompareView::buildPicker() {
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    m_driversLabel = new QLabel(row);
    h->addWidget(m_driversLabel);
    for (const QString& d : availableDrivers()) {
        auto* box = new QCheckBox(d, row);
        box->setObjectName(QStringLiteral("driver-") + d);
        box->setIcon(QIcon(Theme::tinted(Theme::driverIcon(d), Theme::driverColor(d), 16)));
        connect(box, &QCheckBox::toggled, this, [this, d](bool on) {
            m_order.removeAll(d);
            if (on) {
                m_order << d;
            }
            m_compare->setEnabled(!m_order.isEmpty() && !running());
        });
        m_checks.push_back(box);
        h->addWidget(box);
    }
    h->addSpacing(12);
    m_networkLabel = new QLabel(row);
    h->addWidget(m_networkLabel);
    m_network = new QComboBox(row);
    m_network->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    h->addWidget(m_network);
    m_compare = new QPushButton(row);
    m_compare->setDefault(true);
    Theme::setIcon(m_compare, QStringLiteral("compare"));
    connect(m_compare, &QPushButton::clicked, this, &CompareView::compare);
    h->addWidget(m_compare);
    m_status = new QLabel(row);
    m_status->setTextFormat(Qt::RichText);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    h->addWidget(m_status, 1);
    return row;
}

void CompareView::setDrivers(const QStringList& drivers) {
    const QStringList known = availableDrivers();
    for (std::size_t i = 0; i < m_checks.size(); ++i) {
        const QSignalBlocker block(m_checks[i]);
        m_checks[i]->setChecked(drivers.contains(known[static_cast<int>(i)]));
    }
    m_order.clear();
    for (const QString& d : drivers) {
        if (known.contains(d) && !m_order.contains(d)) {
            m_order << d;
        }
    }
    m_compare->setEnabled(!m_order.isEmpty() && !running());
}

QStringList CompareView::drivers() const {
    return m_order;
}

void CompareView::setNetwork(const QString& key) {
    m_network->setCurrentIndex(std::max(0, m_network->findData(key)));
}

void CompareView::refillNetworks() {
    const QString current = m_network->currentData().toString();
    const QSignalBlocker block(m_network);
    m_network->clear();
    m_network->addItem(tr("every network"), QString());
    try {
        for (const auto& key : model::comparedNetworks(m_doc->scenario(), {})) {
            m_network->addItem(qstr(key), qstr(key));
        }
    } catch (const model::Error& e) {  // a file compare cannot take: Compare says why
        m_network->setToolTip(qstr(e.formatted()));
    }
    m_network->setCurrentIndex(std::max(0, m_network->findData(current)));
}

void CompareView::compare() {
    if (running() || m_order.isEmpty()) {
        return;
    }
    std::vector<std::string> drivers;
    for (const QString& d : m_order) {
        drivers.push_back(d.toStdString());
    }
    const std::string network = m_network->currentData().toString().toStdString();
    m_watcher = new Watcher(this);
    connect(m_watcher, &Watcher::finished, this, &CompareView::onCompared);
    m_watcher->setFuture(runGuarded(
        [sc = m_doc->scenario(), drivers, network] { return sim::compare(sc, drivers, network); }));
    m_compare->setEnabled(false);
    m_status->setText(tr("Comparing on %1…").arg(m_order.join(QStringLiteral(", "))));
}

void CompareView::onCompared() {
    WorkerOutcome<sim::Comparison> out = m_watcher->future().takeResult();
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_compare->setEnabled(!m_order.isEmpty());
    m_stale = false;
    if (!out.ok()) {
        m_error = out.error;
        m_status->setText(QStringLiteral("<span style='color:%1'>%2</span>")
                              .arg(Theme::colors().error.name(), out.error.toHtmlEscaped()));
        emit message(out.error);
        emit compared();
        return;
    }
    m_error.clear();
    m_comparison = std::make_shared<const sim::Comparison>(std::move(*out.value));
    m_model->setComparison(m_comparison);
    retranslate();
    sizeTable();
    showDefaults();
    emit compared();
}

void CompareView::sizeTable() {
    // A row every driver leaves empty (no other hosts, no LAN machines on this
    // file) has nothing to compare: hidden.
    for (int r = 0; r < m_model->rowCount(); ++r) {
        int measured = 0;  // valid drivers with something in the row
        int valid = 0;
        for (int c = 0; c < m_model->columnCount(); ++c) {
            if (m_comparison->drivers[static_cast<std::size_t>(c)].valid) {
                ++valid;
                measured += m_model->index(r, c).data().toString() != QStringLiteral("—");
            }
        }
        m_table->setRowHidden(r, r != CompareTableModel::Valid && valid > 0 && measured == 0);
    }
    const int line = m_table->fontMetrics().height();
    m_table->verticalHeader()->setDefaultSectionSize(line + 8);
    m_table->resizeRowToContents(CompareTableModel::Valid);
    m_table->resizeRowToContents(CompareTableModel::Identity);
    // The whole table when the window has room for it; the canvases get at least 45 %.
    m_table->setCurrentIndex({});  // no cell looks chosen before the user chooses one
    const int h = m_table->horizontalHeader()->sizeHint().height() +
                  m_table->verticalHeader()->length() + 2 * m_table->frameWidth() +
                  m_legend->heightForWidth(m_split->width()) + 6;
    const int total = m_split->height();
    const int table = std::min(h, total * 11 / 20);
    m_split->setSizes({table, std::max(0, total - table)});
}

void CompareView::markStale() {
    if (m_comparison && !m_stale) {
        m_stale = true;
        retranslate();
    }
}

void CompareView::updateTitle() {
    setWindowTitle(tr("Compare drivers — %1").arg(m_doc->displayName()));
}

void CompareView::retranslate() {
    updateTitle();
    m_driversLabel->setText(tr("Drivers:"));
    m_networkLabel->setText(tr("Network:"));
    m_network->setToolTip(tr("The networks put on each driver: every user network of the file, "
                             "or one of them"));
    if (m_network->count() > 0) {
        m_network->setItemText(0, tr("every network"));
    }
    m_compare->setText(tr("Compare"));
    m_compare->setToolTip(tr("Put the networks on each ticked driver in turn and measure the "
                             "same things on each (cnmlab compare)"));
    for (QCheckBox* box : m_checks) {
        const QString d = box->text();
        box->setToolTip(d == QLatin1String("weave") || d == QLatin1String("calico") ||
                                d == QLatin1String("contiv") || d == QLatin1String("kuryr")
                            ? tr("%1: a third-party driver cnmlab ships, spoken to over "
                                 "Docker's plugin protocol")
                                  .arg(d)
                            : tr("%1: a driver built into Docker").arg(d));
    }
    if (m_comparison) {
        QStringList networks;
        for (const auto& n : m_comparison->networks) {
            networks << qstr(n);
        }
        // The marked cells' colour: the highlight at the alpha the table draws it with.
        const QColor tint = Theme::mix(palette().color(QPalette::Base), Theme::colors().highlight,
                                       (Theme::dark() ? 90 : 80) / 255.0);
        m_legend->setText(
            tr("%1 with %2 on each driver. <span style='background:%3'>&nbsp;Marked&nbsp;</span> "
               "cells differ from the first driver, %4; hover a cell for the details.")
                .arg(qstr(m_comparison->file).section('/', -1).toHtmlEscaped(),
                     networks.join(QStringLiteral(", ")).toHtmlEscaped(), tint.name(),
                     qstr(m_comparison->drivers.front().driver).toHtmlEscaped()));
        m_status->setText(
            m_stale ? QStringLiteral("<span style='color:%1'>%2</span>")
                          .arg(Theme::colors().error.name(),
                               tr("The file changed since: Compare again").toHtmlEscaped())
                    : QString());
    } else if (!running() && m_error.isEmpty()) {
        m_status->setText(tr("Tick the drivers to compare and press Compare."));
        m_legend->clear();
    }
    m_model->retranslate();
    retranslatePlayer();
}

void CompareView::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(e);
}

}  // namespace cnmlab::ui

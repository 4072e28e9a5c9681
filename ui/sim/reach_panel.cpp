#include "ui/sim/reach_panel.hpp"

#include <QEvent>
#include <QEventLoop>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/scenario_document.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

ReachPanel::ReachPanel(ScenarioDocument* doc, SimulationController* sim, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_sim(sim), m_model(new ReachMatrixModel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(8, 0, 8, 0);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::RichText);
    m_status->setWordWrap(true);
    m_compute = new QPushButton(this);
    Theme::setIcon(m_compute, QStringLiteral("matrix"));
    connect(m_compute, &QPushButton::clicked, this, &ReachPanel::start);
    top->addWidget(m_status, 1);
    top->addWidget(m_compute);
    layout->addLayout(top);
    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setContentsMargins(8, 0, 8, 0);
    m_legend->hide();
    layout->addWidget(m_legend);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setDefaultSectionSize(58);
    m_table->horizontalHeader()->setMinimumSectionSize(40);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->setFont(Theme::uiFont(9));
    m_table->setCornerButtonEnabled(false);
    layout->addWidget(m_table, 1);
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& i) {
        if (auto req = m_model->requestFor(i.row(), i.column())) {
            emit probeRequested(*req);
        }
    });
    connect(sim->session(), &SimulationSession::invalidated, this, [this] {
        showCurrent();
        if (isVisible() && m_doc->scenario().services.size() <= kAutoLimit) {
            start();
        }
    });
    connect(sim->session(), &SimulationSession::reachReady, this, &ReachPanel::showCurrent);
    changeEvent(nullptr);
}

void ReachPanel::showLive(const ReachResults* results, const std::vector<KernelAnswer>* kernel) {
    m_liveResults = results;
    m_kernel = results != nullptr ? kernel : nullptr;
    showCurrent();
}

void ReachPanel::showCurrent() {
    if (m_liveResults != nullptr) {
        m_model->setResults(m_liveResults, m_kernel);
    } else {
        m_model->setResults(m_sim->session()->reach());
    }
    refresh();
}

QString ReachPanel::liveSummary() const {
    const ThemeColors& c = Theme::colors();
    int disagree = 0;
    for (std::size_t i = 0; i < m_kernel->size(); ++i) {
        disagree += (*m_kernel)[i].reachable != m_liveResults->matrix.entries[i].reachable ? 1 : 0;
    }
    const int total = static_cast<int>(m_kernel->size());
    const QString verdict =
        disagree == 0
            ? QStringLiteral("<span style='color:%1'><b>%2</b></span>")
                  .arg(c.ok.name(), tr("the kernel agrees on all of them"))
            : QStringLiteral("<span style='color:%1'><b>%2</b></span>")
                  .arg(ReachMatrixModel::agreementColor(Agreement::Disagree).name(QColor::HexRgb),
                       tr("the kernel disagrees on %n", nullptr, disagree));
    return tr("<b>Live</b>: %1 probes sent in the kernel and in the simulation; %2. Rows send, "
              "columns "
              "answer; hover a cell for both answers.")
        .arg(total)
        .arg(verdict);
}

void ReachPanel::start() {
    m_sim->session()->startReach();
    refresh();
}

void ReachPanel::computeAndWait() {
    if (m_sim->session()->reach() != nullptr) {
        return;
    }
    QEventLoop loop;
    connect(m_sim->session(), &SimulationSession::reachReady, &loop, &QEventLoop::quit);
    start();
    if (m_sim->session()->reachRunning()) {
        loop.exec();
    }
}

void ReachPanel::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    QTimer::singleShot(0, this, [this] {  // only if still shown (see PlanView::showEvent)
        if (isVisible() && m_sim->session()->reach() == nullptr &&
            m_doc->scenario().services.size() <= kAutoLimit) {
            start();
        }
    });
}

void ReachPanel::refresh() {
    const ThemeColors& c = Theme::colors();
    const SimulationSession* s = m_sim->session();
    const QString why = s->unavailableReason();
    m_compute->setEnabled(why.isEmpty() && s->reach() == nullptr && !s->reachRunning());
    m_legend->setVisible(m_model->live());
    if (m_model->live()) {
        auto swatch = [](Agreement a, const QString& text) {
            return QStringLiteral(
                       "<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;%2")
                .arg(ReachMatrixModel::agreementColor(a).name(QColor::HexArgb),
                     text.toHtmlEscaped());
        };
        m_legend->setText(swatch(Agreement::AgreeReachable, tr("both reachable")) +
                          QStringLiteral("&nbsp;&nbsp;&nbsp;") +
                          swatch(Agreement::AgreeUnreachable, tr("both unreachable")) +
                          QStringLiteral("&nbsp;&nbsp;&nbsp;") +
                          swatch(Agreement::Disagree, tr("kernel ≠ simulation")));
        m_status->setText(liveSummary());
        m_compute->hide();  // the kernel's matrix is sent from the Live panel
        return;
    }
    m_compute->show();
    if (!why.isEmpty()) {
        m_status->setText(tr("Cannot simulate: %1").arg(why.toHtmlEscaped()));
    } else if (s->reachRunning()) {
        m_status->setText(tr("Computing the matrix on a worker thread…"));
    } else if (!s->reachError().isEmpty()) {
        m_status->setText(
            tr("The matrix could not be computed: %1").arg(s->reachError().toHtmlEscaped()));
    } else if (const ReachResults* r = s->reach()) {
        int ok = 0;
        for (const auto& e : r->matrix.entries) {
            ok += e.reachable ? 1 : 0;
        }
        const int total = static_cast<int>(r->matrix.entries.size());
        m_status->setText(
            tr("%1 probes: <span style='color:%2'><b>%3 reachable</b></span>, "
               "<span style='color:%4'><b>%5 unreachable</b></span>. Rows send, columns "
               "answer; click a cell to play its probe.")
                .arg(total)
                .arg(c.ok.name())
                .arg(ok)
                .arg(c.error.name())
                .arg(total - ok));
    } else {
        m_status->setText(tr("From every container, host and external: ICMP to every address and "
                             "TCP/UDP to every listening port, as <code>cnmlab reach</code>."));
    }
}

void ReachPanel::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_compute->setText(tr("Compute"));
        refresh();
        if (m_model->rowCount() > 0) {
            showCurrent();  // tooltips follow the language
        }
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

#include "ui/live/live_panel.hpp"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <pwd.h>
#include <unistd.h>

#include "ui/language.hpp"
#include "ui/probes/probe_fields.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr std::size_t kMaxHistory = 200;

// "root", "alice", or "user 1000" when the system has no name for it.
QString userName(int uid) {
    if (uid < 0) {
        return QStringLiteral("?");
    }
    passwd pw{};
    passwd* found = nullptr;
    char buf[1024];
    if (::getpwuid_r(static_cast<uid_t>(uid), &pw, buf, sizeof buf, &found) == 0 &&
        found != nullptr) {
        return QString::fromLocal8Bit(found->pw_name);
    }
    return QCoreApplication::translate("cnmlab::ui::LivePanel", "user %1").arg(uid);
}

QString dot(const QColor& c) {
    return QStringLiteral("<span style='color:%1'>●</span> ").arg(c.name());
}

}  // namespace

LivePanel::LivePanel(ScenarioDocument* doc, LiveSession* live, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_live(live) {
    m_toggle = new QAction(this);
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    Theme::setIcon(m_toggle, QStringLiteral("live"));
    connect(m_toggle, &QAction::triggered, this, [this](bool on) {
        if (on) {
            m_live->switchOn();
        } else {
            m_live->switchOff();
        }
        updateState();  // a refused switch puts the check mark back
    });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 4);
    auto* top = new QHBoxLayout;
    m_switch = new QToolButton(this);
    m_switch->setDefaultAction(m_toggle);
    m_switch->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_switch->setIconSize(QSize(20, 20));
    top->addWidget(m_switch);
    m_state = new QLabel(this);
    m_state->setTextFormat(Qt::RichText);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_state, 1);
    layout->addLayout(top);

    auto* matrixRow = new QHBoxLayout;
    m_matrix = new QLabel(this);
    m_matrix->setTextFormat(Qt::RichText);
    m_matrix->setWordWrap(true);
    matrixRow->addWidget(m_matrix, 1);
    m_showMatrix = new QPushButton(this);
    Theme::setIcon(m_showMatrix, QStringLiteral("matrix"));
    connect(m_showMatrix, &QPushButton::clicked, this, &LivePanel::showMatrixRequested);
    matrixRow->addWidget(m_showMatrix);
    m_rerun = new QPushButton(this);
    connect(m_rerun, &QPushButton::clicked, m_live, &LiveSession::runMatrix);
    matrixRow->addWidget(m_rerun);
    layout->addLayout(matrixRow);

    auto* line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);
    auto* form = new QWidget(this);
    buildForm(form);
    layout->addWidget(form);

    m_results = new QTableWidget(0, ColumnCount, this);
    m_results->verticalHeader()->hide();
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int col = 0; col < KernelSaid; ++col) {
        m_results->horizontalHeader()->setSectionResizeMode(col, QHeaderView::ResizeToContents);
    }
    m_results->horizontalHeader()->setSectionResizeMode(KernelSaid, QHeaderView::Stretch);
    m_results->verticalHeader()->setDefaultSectionSize(22);
    m_results->setWordWrap(false);
    layout->addWidget(m_results, 1);

    connect(m_live, &LiveSession::stateChanged, this, &LivePanel::updateState);
    connect(m_live, &LiveSession::matrixChanged, this, &LivePanel::updateMatrix);
    connect(m_live, &LiveSession::probeFinished, this, [this](const LiveProbeResult& r) {
        m_history.insert(m_history.begin(), r);
        if (m_history.size() > kMaxHistory) {
            m_history.pop_back();
        }
        renderResults();
        updateFields();
    });
    connect(doc, &ScenarioDocument::changed, this, &LivePanel::refill);
    connect(doc, &ScenarioDocument::reset, this, [this] {
        m_history.clear();
        renderResults();
        refill();
    });
    retranslate();
    refill();
}

void LivePanel::buildForm(QWidget* box) {
    // Two rows, so the bottom dock stays narrow enough for a small screen.
    auto* rows = new QVBoxLayout(box);
    rows->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    rows->addLayout(row);
    m_formTitle = new QLabel(box);
    m_formTitle->setFont(Theme::uiFont(10, true));
    row->addWidget(m_formTitle);
    m_fromLabel = new QLabel(box);
    row->addWidget(m_fromLabel);
    m_from = new QComboBox(box);
    m_from->setMinimumContentsLength(8);
    m_from->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->addWidget(m_from);
    m_toLabel = new QLabel(box);
    row->addWidget(m_toLabel);
    m_to = new QComboBox(box);
    m_to->setEditable(true);  // a name, an IPv4 address, or the DNS name to resolve
    m_to->setInsertPolicy(QComboBox::NoInsert);
    m_to->setMinimumContentsLength(10);
    m_to->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->addWidget(m_to);
    row->addStretch(1);
    row = new QHBoxLayout;
    rows->addLayout(row);
    m_networkLabel = new QLabel(box);
    row->addWidget(m_networkLabel);
    m_network = new QComboBox(box);
    m_network->setMinimumContentsLength(11);
    m_network->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row->addWidget(m_network);
    m_proto = new QComboBox(box);
    fillProtocols(m_proto);
    row->addWidget(m_proto);
    m_port = new QSpinBox(box);
    m_port->setRange(1, 65535);
    m_port->setValue(80);
    row->addWidget(m_port);
    m_run = new QPushButton(box);
    Theme::setIcon(m_run, QStringLiteral("probe"));
    connect(m_run, &QPushButton::clicked, this, &LivePanel::runCurrent);
    row->addWidget(m_run);
    row->addStretch(1);
    connect(m_proto, &QComboBox::currentIndexChanged, this, [this] {
        updateFields();
        retranslate();  // the destination's label says "Name" for DNS
    });
}

void LivePanel::refill() {
    const model::Scenario& sc = m_doc->scenario();
    fillMachines(m_from, sc, false);
    fillMachines(m_to, sc, true);
    if (m_to->count() > 1 && m_to->currentText() == m_from->currentText()) {
        m_to->setCurrentIndex(m_from->currentIndex() == 0 ? 1 : 0);
    }
    const QString keep = m_network->currentData().toString();
    const QSignalBlocker block(m_network);
    m_network->clear();
    m_network->addItem(tr("any address"), QString());
    for (const auto& n : sc.networks) {
        const QString key = QString::fromStdString(n.key);
        m_network->addItem(
            QIcon(Theme::tinted(Theme::driverIcon(QString::fromStdString(n.driver)),
                                Theme::driverColor(QString::fromStdString(n.driver)), 16)),
            key, key);
    }
    m_network->setCurrentIndex(std::max(0, m_network->findData(keep)));
    updateFields();
}

void LivePanel::retranslate() {
    m_toggle->setText(tr("&Live"));
    m_toggle->setIconText(tr("Live"));  // on buttons: without the menu's "(&L)" in Chinese
    m_toggle->setToolTip(
        tr("Build the topology in real network namespaces (cnmlab live up) and compare "
           "the kernel's answers with the simulation's  (%1)")
            .arg(m_toggle->shortcut().toString(QKeySequence::NativeText)));
    m_showMatrix->setText(tr("Show the matrix"));
    m_rerun->setText(tr("Send the matrix again"));
    m_rerun->setToolTip(tr("Send every probe of the reachability matrix in the kernel again"));
    m_formTitle->setText(tr("Run from a container:"));
    m_fromLabel->setText(tr("from"));
    const bool dns = m_proto->currentData().toString() == QLatin1String("dns");
    m_toLabel->setText(dns ? tr("name") : tr("to"));
    m_networkLabel->setText(tr("network"));
    m_from->setToolTip(tr("The sender: a container, a Docker host or an external machine"));
    m_to->setToolTip(tr("Destination: a name or an IPv4 address (for DNS: the name to resolve)"));
    m_network->setToolTip(
        tr("The target's endpoint on this network; any address when none is chosen"));
    m_proto->setToolTip(
        tr("ICMP echo (ping), TCP connect, a UDP datagram, or a lookup in Docker's embedded DNS"));
    m_port->setToolTip(tr("Destination port (TCP and UDP)"));
    m_run->setText(tr("Run"));
    m_run->setToolTip(tr("Send it in the kernel and in the simulation, and show both answers"));
    m_results->setHorizontalHeaderLabels(
        {tr("Probe"), tr("Simulation"), tr("Kernel"), tr("What the kernel said")});
    if (m_network->count() > 0) {
        m_network->setItemText(0, tr("any address"));
    }
    updateState();
    updateMatrix();
    renderResults();
}

void LivePanel::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(e);
}

void LivePanel::updateState() {
    const ThemeColors& c = Theme::colors();
    const LiveSession::State s = m_live->state();
    {
        const QSignalBlocker block(m_toggle);
        m_toggle->setChecked(s == LiveSession::State::GoingUp || s == LiveSession::State::Up);
    }
    m_toggle->setEnabled(s != LiveSession::State::GoingDown);
    QString text;
    switch (s) {
    case LiveSession::State::Off:
        text = m_live->lastError().isEmpty()
                   ? dot(c.subtext) +
                         tr("<b>Off</b>. Switch Live on to build this topology in real network "
                            "namespaces and compare the kernel with the simulation. A helper "
                            "does that as root, with your permission; the studio stays yours.")
                   : dot(c.error) + tr("<b>Off</b>: %1").arg(m_live->lastError().toHtmlEscaped());
        break;
    case LiveSession::State::GoingUp:
        text = m_live->waitingForPermission()
                   ? dot(c.highlight) +
                         tr("<b>Asking for permission…</b> to run <code>cnmlab live "
                            "helper</code> as root (<code>%1</code>).")
                             .arg(m_live->elevation().isEmpty()
                                      ? tr("directly")
                                      : m_live->elevation().join(QLatin1Char(' ')).toHtmlEscaped())
                   : dot(c.highlight) + tr("<b>Going up…</b> <code>cnmlab live up %1</code>")
                                            .arg(m_live->upFile().toHtmlEscaped());
        break;
    case LiveSession::State::Up:
        text =
            dot(c.ok) +
            tr("<b>Up</b> in the kernel from <code>%1</code>%2, built by <code>cnmlab live "
               "helper</code> (pid %3) as <b>%4</b>; the studio runs as <b>%5</b> and never "
               "enters a namespace.")
                .arg(QFileInfo(m_live->upFile()).fileName().toHtmlEscaped(),
                     m_live->usesCopy() ? tr(" (the unsaved scenario on the canvas)") : QString())
                .arg(m_live->helper() != nullptr ? m_live->helper()->pid() : 0)
                .arg(userName(m_live->helper() != nullptr ? m_live->helper()->uid() : -1),
                     userName(static_cast<int>(::geteuid())));
        if (m_live->stale()) {
            text +=
                QStringLiteral(" <span style='color:%1'>%2</span>")
                    .arg(c.error.name(),
                         tr("The scenario changed since; switch Live off and on to rebuild it."));
        }
        break;
    case LiveSession::State::GoingDown:
        text = dot(c.highlight) + tr("<b>Going down…</b> <code>cnmlab live down %1</code>")
                                      .arg(m_live->upFile().toHtmlEscaped());
        break;
    }
    m_state->setText(text);
    updateFields();
    updateMatrix();
}

void LivePanel::updateMatrix() {
    const bool up = m_live->state() == LiveSession::State::Up;
    m_rerun->setEnabled(up && !m_live->stale() && !m_live->matrixRunning());
    m_showMatrix->setEnabled(m_live->matrix() != nullptr);
    const LiveMatrix* m = m_live->matrix();
    if (!up) {
        m_matrix->setText(
            tr("Reachability matrix: sent in the kernel once Live is up, and coloured by "
               "agreement."));
    } else if (m_live->matrixRunning()) {
        m_matrix->setText(tr("Reachability matrix: sending every probe in the kernel…"));
    } else if (m == nullptr) {
        m_matrix->setText(tr("Reachability matrix: not sent."));
    } else if (!m->error.isEmpty()) {
        m_matrix->setText(
            tr("Reachability matrix: could not run: %1").arg(m->error.toHtmlEscaped()));
    } else {
        const ThemeColors& c = Theme::colors();
        m_matrix->setText(
            tr("Reachability matrix: %1 probes, <span style='color:%2'><b>%3 agree</b></span>, "
               "<span style='color:%4'><b>%5 disagree</b></span>.")
                .arg(m->agree + m->disagree)
                .arg(c.ok.name())
                .arg(m->agree)
                .arg((m->disagree > 0 ? ReachMatrixModel::agreementColor(Agreement::Disagree)
                                      : c.subtext)
                         .name(QColor::HexRgb))
                .arg(m->disagree));
    }
}

void LivePanel::updateFields() {
    const QString p = m_proto->currentData().toString();
    const bool dns = p == QLatin1String("dns");
    m_port->setEnabled(p == QLatin1String("tcp") || p == QLatin1String("udp"));
    m_network->setEnabled(!dns);
    m_run->setEnabled(m_live->state() == LiveSession::State::Up && !m_live->probeRunning());
}

void LivePanel::run(const QString& from, const QString& to, const QString& proto, int port,
                    const QString& network) {
    showProbe({m_from, m_to, m_proto, m_port}, from, to, proto, port);
    m_network->setCurrentIndex(std::max(0, m_network->findData(network)));
    runCurrent();
}

void LivePanel::runCurrent() {
    if (m_live->state() != LiveSession::State::Up || m_live->probeRunning()) {
        return;
    }
    m_live->runProbe(ProbeRequest::make(
        m_from->currentData().toString(), m_to->currentText().trimmed(),
        m_proto->currentData().toString(), m_port->value(), m_network->currentData().toString()));
    updateFields();
}

void LivePanel::renderResults() {
    const ThemeColors& c = Theme::colors();
    m_results->setRowCount(static_cast<int>(m_history.size()));
    // How a probe ended (model::outcomeName), or a lookup's answer.
    auto word = [](const QString& w) {
        return w == QLatin1String("answered")   ? tr("answered")
               : w == QLatin1String("refused")  ? tr("refused")
               : w == QLatin1String("dropped")  ? tr("dropped (no answer)")
               : w == QLatin1String("no route") ? tr("no route (ICMP error)")
               : w == QLatin1String("closed")   ? tr("closed without a byte")
               : w == QLatin1String("error")    ? tr("could not be sent")
               : w == QLatin1String("nxdomain") ? tr("no such name (NXDOMAIN)")
                                                : w;
    };
    for (int row = 0; row < m_results->rowCount(); ++row) {
        const LiveProbeResult& r = m_history[static_cast<std::size_t>(row)];
        const QString reason = QString::fromStdString(r.simReason.in(Language::simLang()));
        const QString said =
            r.error.isEmpty() ? r.kernelDetails.join(QStringLiteral("; ")) : r.error;
        const QString kernel =
            r.error.isEmpty()
                ? (r.agree() ? QStringLiteral("= ") : QStringLiteral("≠ ")) + word(r.kernelAnswer)
                : tr("could not run");
        const QStringList cells = {r.request.label(), word(r.simAnswer), kernel, said};
        const bool reached =
            r.kernelAnswer == QLatin1String("answered") ||
            (!r.kernelAnswer.isEmpty() && r.kernelAnswer.front().isDigit());  // addresses
        const QColor bg = !r.error.isEmpty() ? QColor()
                          : !r.agree()       ? ReachMatrixModel::agreementColor(Agreement::Disagree)
                          : reached ? ReachMatrixModel::agreementColor(Agreement::AgreeReachable)
                                    : ReachMatrixModel::agreementColor(Agreement::AgreeUnreachable);
        for (int col = 0; col < ColumnCount; ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (bg.isValid()) {
                item->setBackground(bg);
            } else {
                item->setForeground(c.error);
            }
            item->setToolTip(col == Simulation ? reason : col == KernelSaid ? said : cells[col]);
            m_results->setItem(row, col, item);
        }
    }
}

}  // namespace cnmlab::ui

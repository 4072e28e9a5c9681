#include "ui/compare/compare_pane.hpp"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStandardItemModel>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <algorithm>

#include "model/error.hpp"
#include "sim/report.hpp"
#include "ui/canvas_view.hpp"
#include "ui/language.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/sim/verdict_label.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {

constexpr int kExplainLines = 3;  // the explanation's room: both canvases stay the same size

}  // namespace

ComparePane::ComparePane(QWidget* parent) : QWidget(parent) {
    m_doc = new ScenarioDocument(this);
    m_doc->setBackgroundChecks(false);  // never edited; loading checks synchronously anyway
    m_scene = new TopologyScene(m_doc, this);
    m_view = new CanvasView(m_scene, this);
    m_view->setInteractive(false);  // for watching: nothing on it moves or connects
    m_view->setFrameShape(QFrame::StyledPanel);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // fitted: all of it shows
    m_view->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sim = new SimulationController(m_doc, m_scene, this);
    connect(m_view, &CanvasView::zoomChanged, m_scene, &TopologyScene::setViewZoom);

    m_driverBox = new QComboBox(this);
    m_driverBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_driverBox, &QComboBox::activated, this,
            [this](int i) { emit driverChosen(m_driverBox->itemData(i).toString()); });
    m_verdict = new VerdictLabel(this);
    m_explain = new QLabel(this);
    m_explain->setWordWrap(true);
    m_explain->setTextFormat(Qt::RichText);
    m_explain->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_explain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explain->setFixedHeight(m_explain->fontMetrics().lineSpacing() * kExplainLines + 6);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_driverBox);
    top->addWidget(m_verdict, 1);
    auto* box = new QVBoxLayout(this);
    box->setContentsMargins(0, 0, 0, 0);
    box->setSpacing(4);
    box->addLayout(top);
    box->addWidget(m_view, 1);
    box->addWidget(m_explain);

    connect(m_sim, &SimulationController::probeLoaded, this, &ComparePane::renderVerdict);
}

Playback* ComparePane::playback() const {
    return m_sim->playback();
}

void ComparePane::setDrivers(const std::vector<sim::DriverReport>& reports) {
    const QSignalBlocker block(m_driverBox);
    m_driverBox->clear();
    auto* items = qobject_cast<QStandardItemModel*>(m_driverBox->model());
    for (const auto& r : reports) {
        const QString d = qstr(r.driver);
        m_driverBox->addItem(QIcon(Theme::tinted(Theme::driverIcon(d), Theme::driverColor(d), 16)),
                             d, d);
        const int i = m_driverBox->count() - 1;
        if (!r.valid) {
            m_driverBox->setItemData(i, qstr(r.invalid), Qt::ToolTipRole);
            if (items != nullptr) {
                items->item(i)->setEnabled(false);  // nothing to draw on it
            }
        }
    }
    m_driverBox->setCurrentIndex(m_driverBox->findData(m_driverName));
}

void ComparePane::clearCanvas(const QString& why) {
    m_error = why;
    m_sim->playback()->clear();
    try {
        m_doc->loadText("name: empty\nservices: {}\n", QStringLiteral("empty"));
    } catch (const model::Error&) {  // the reader takes it; should it not, the old canvas stays
    }
    m_verdict->setVerdict({}, {}, {}, why, Theme::colors().error);
    m_explain->clear();
}

QString ComparePane::showReport(const sim::DriverReport& report) {
    m_driverName = qstr(report.driver);
    m_driverBox->setCurrentIndex(m_driverBox->findData(m_driverName));
    m_view->setBackgroundBrush(Qt::NoBrush);
    if (!report.valid) {
        clearCanvas(tr("Invalid on %1: %2").arg(m_driverName, qstr(report.invalid)));
        return m_error;
    }
    try {
        m_doc->loadText(report.scenarioText, QStringLiteral("compare-%1").arg(m_driverName));
    } catch (const model::Error& e) {
        clearCanvas(qstr(e.formatted()));
        return m_error;
    }
    m_error.clear();
    if (m_doc->resolved().error) {
        m_error = qstr(m_doc->resolved().error->formatted());
        m_verdict->setVerdict({}, {}, {}, m_error, Theme::colors().error);
    } else {
        m_verdict->clearVerdict();
    }
    m_explain->clear();
    m_view->fitAll();
    return m_error;
}

QString ComparePane::run(const ProbeRequest& req) {
    if (!m_error.isEmpty()) {
        return m_error;
    }
    const QString err = m_sim->run(req, false);
    if (!err.isEmpty()) {
        m_sim->playback()->clear();
        m_verdict->setVerdict(req.label(), {}, {}, err, Theme::colors().error);
        m_explain->clear();
    }
    return err;
}

void ComparePane::renderVerdict() {
    const TracedProbe* p = m_sim->playback()->probe();
    if (p == nullptr) {
        m_verdict->clearVerdict();
        return;
    }
    const ThemeColors& c = Theme::colors();
    m_verdict->setVerdict(
        p->request.label(), p->record.reachable ? tr("reachable") : tr("unreachable"),
        p->record.reachable ? c.ok : c.error,
        tr("%n hop(s)", nullptr, static_cast<int>(p->record.hops.size())) + QStringLiteral(" · ") +
            SimulationController::verdictReason(p->record));
}

void ComparePane::showHop(int hop) {
    m_hop = hop;
    const Playback* pb = m_sim->playback();
    const TracedProbe* p = pb->probe();
    if (p == nullptr || hop < 0 || pb->hopCount() == 0) {
        m_explain->clear();
        return;
    }
    const int n = pb->hopCount();
    const int own = std::min(hop, n - 1);
    const sim::Hop& h = p->record.hops[static_cast<std::size_t>(own)];
    const std::string lang = Language::simLang();
    const auto [node, device] = sim::hopWhere(h, lang);
    QString head = tr("Hop %1/%2").arg(own + 1).arg(n);
    if (hop > own) {
        head += QStringLiteral(" · ") + tr("ended; waiting for the other side");
    }
    const QColor actionColor = h.action == "drop" ? Theme::colors().error : Theme::colors().subtext;
    m_explain->setText(QStringLiteral("<b>%1</b> · %2 %3 · <span style='color:%4'>%5</span><br>%6")
                           .arg(head.toHtmlEscaped(), qstr(node).toHtmlEscaped(),
                                qstr(device).toHtmlEscaped(), actionColor.name(),
                                qstr(h.action).toHtmlEscaped(),
                                qstr(h.explain.in(lang)).toHtmlEscaped()));
    m_explain->setToolTip(qstr(h.explain.in(lang)));
}

QString ComparePane::explanation() const {
    return QTextDocumentFragment::fromHtml(m_explain->text()).toPlainText();
}

void ComparePane::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        renderVerdict();
        showHop(m_hop);
        m_scene->refresh();
    } else if (e->type() == QEvent::FontChange) {
        m_explain->setFixedHeight(m_explain->fontMetrics().lineSpacing() * kExplainLines + 6);
    }
    QWidget::changeEvent(e);
}

}  // namespace cnmlab::ui

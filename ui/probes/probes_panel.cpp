#include "ui/probes/probes_panel.hpp"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/language.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

QString expectText(const model::ProbeSpec& p) {
    switch (p.expect) {
    case model::Expect::Reachable:
        return ProbesPanel::tr("reachable");
    case model::Expect::Unreachable:
        return ProbesPanel::tr("unreachable");
    case model::Expect::Address: {
        QStringList all;
        for (const auto& ip : p.expectAddresses) {
            all << qstr(ip.str());
        }
        return all.size() > 1    ? all.join(QStringLiteral(", "))
               : p.expectAddress ? qstr(p.expectAddress->str())
                                 : QString();
    }
    case model::Expect::NxDomain:
        return ProbesPanel::tr("nxdomain");
    }
    return {};
}

}  // namespace

ProbesPanel::ProbesPanel(ScenarioDocument* doc, SimulationController* sim, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_sim(sim) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    m_summary = new QLabel(this);
    m_summary->setContentsMargins(8, 0, 8, 0);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_tree = new QTreeWidget(this);
    m_tree->setRootIsDecorated(false);
    m_tree->setColumnCount(5);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setFont(Theme::uiFont(9.5));
    layout->addWidget(m_tree, 1);
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        emit playRequested(item->data(0, Qt::UserRole).toInt());
    });
    connect(sim->session(), &SimulationSession::invalidated, this, [this] {
        m_stale = true;
        if (isVisible()) {
            refresh();
        }
    });
    changeEvent(nullptr);
}

void ProbesPanel::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    QTimer::singleShot(0, this, [this] {  // only if still shown (see PlanView::showEvent)
        if (isVisible() && m_stale) {
            refresh();
        }
    });
}

void ProbesPanel::refresh() {
    m_stale = false;
    m_tree->clear();
    const ThemeColors& c = Theme::colors();
    const auto& probes = m_doc->scenario().probes;
    if (probes.empty()) {
        m_summary->setText(tr("This scenario has no x-probes."));
        emit summaryChanged(0, 0);
        return;
    }
    const CheckResults* results = m_sim->session()->checks();
    if (results == nullptr) {
        m_summary->setText(
            tr("Cannot check: %1").arg(m_sim->session()->unavailableReason().toHtmlEscaped()));
        emit summaryChanged(0, 0);
        return;
    }
    int passed = 0;
    int index = 0;
    for (const auto& chk : results->checks) {
        const model::ProbeSpec& p = *chk.spec;
        auto* item = new QTreeWidgetItem(m_tree);
        item->setData(0, Qt::UserRole, index);
        item->setIcon(0, QIcon(Theme::tinted(chk.pass ? QStringLiteral(":/icons/check.svg")
                                                      : QStringLiteral(":/icons/cross.svg"),
                                             chk.pass ? c.ok : c.error, 16)));
        item->setText(0, chk.pass ? tr("pass") : tr("FAIL"));
        item->setForeground(0, chk.pass ? c.ok : c.error);
        QString what = p.resolve ? QStringLiteral("%1 ⟶ DNS %2").arg(qstr(p.from), qstr(*p.resolve))
                                 : QStringLiteral("%1 → %2 %3")
                                       .arg(qstr(p.from), qstr(p.to.value_or("")),
                                            qstr(model::protoName(p.proto)));
        if (p.port) {
            what += QStringLiteral("/%1").arg(*p.port);
        }
        if (p.network) {
            what += QStringLiteral(" (%1)").arg(qstr(*p.network));
        }
        item->setText(1, QStringLiteral("%1. %2").arg(index + 1).arg(what));
        item->setText(2, expectText(p));
        QString got;
        if (p.resolve) {
            got = chk.record.nxdomain           ? tr("nxdomain")
                  : chk.record.resolved.empty() ? QStringLiteral("—")
                                                : qstr(chk.record.resolved.front().str());
        } else {
            got = chk.record.reachable ? tr("reachable") : tr("unreachable");
        }
        item->setText(3, got);
        item->setText(4, qstr(chk.record.reason.in(Language::simLang())));
        item->setToolTip(4, item->text(4));
        passed += chk.pass ? 1 : 0;
        ++index;
    }
    const int failed = index - passed;
    m_summary->setText(
        tr("<span style='color:%1'><b>%2 passed</b></span>, "
           "<span style='color:%3'><b>%4 failed</b></span> — as <code>cnmlab check</code>. "
           "Click a probe to play it.")
            .arg(c.ok.name())
            .arg(passed)
            .arg(failed > 0 ? c.error.name() : c.subtext.name())
            .arg(failed));
    emit summaryChanged(passed, failed);
}

void ProbesPanel::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_tree->setHeaderLabels({tr("Result"), tr("Probe"), tr("Expect"), tr("Got"), tr("Why")});
        m_stale = true;
        if (e != nullptr && isVisible()) {
            refresh();
        }
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

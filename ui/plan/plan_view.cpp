#include "ui/plan/plan_view.hpp"

#include "ui/language.hpp"

#include <QComboBox>
#include <QEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

#include "drivers/plan_text.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"
#include "ui/worker.hpp"

namespace cnmlab::ui {

PlanView::PlanView(ScenarioDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 0, 8, 0);
    m_host = new QComboBox(this);
    m_script = new QToolButton(this);
    m_script->setCheckable(true);
    Theme::setIcon(m_script, QStringLiteral("plan"));
    m_script->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_search = new QLineEdit(this);
    m_search->setClearButtonEnabled(true);
    bar->addWidget(m_host);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_script);
    layout->addLayout(bar);
    m_stack = new QStackedWidget(this);
    m_tree = new QTreeWidget(m_stack);
    m_tree->setColumnCount(2);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_tree->header()->resizeSection(0, 200);
    m_text = new QPlainTextEdit(m_stack);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(Theme::monoFont(9.5));
    m_empty = new QLabel(m_stack);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_stack->addWidget(m_tree);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_empty);
    layout->addWidget(m_stack, 1);
    connect(m_host, &QComboBox::activated, this, &PlanView::rebuild);
    connect(m_script, &QToolButton::toggled, this, &PlanView::rebuild);
    connect(m_search, &QLineEdit::textChanged, this, &PlanView::applyFilter);
    connect(m_tree, &QTreeWidget::itemExpanded, this, &PlanView::populate);
    doc->followWhenVisible(this, &m_stale, [this] { rebuild(); });
    changeEvent(nullptr);
}

QString PlanView::filter() const {
    return m_search->text();
}

void PlanView::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    // After the event loop turns: a window being shown shows every tabbed
    // panel for a moment before it hides all but the current one.
    QTimer::singleShot(0, this, [this] {
        if (!isVisible()) {
            return;
        }
        if (m_stale) {
            rebuild();
        }
        if (m_focusPending) {
            m_focusPending = false;
            focusOn(m_pendingFocus);
        }
    });
}

void PlanView::rebuild() {
    m_stale = false;
    const std::uint64_t generation = ++m_generation;  // a tree still being collected is stale
    m_collecting = false;
    const Resolved& r = m_doc->resolved();
    // Hosts in the combo.
    const QString keep = m_host->currentData().toString();
    {
        const QSignalBlocker block(m_host);
        m_host->clear();
        for (const auto& h : m_doc->scenario().hosts) {
            m_host->addItem(
                QIcon(Theme::tinted(QStringLiteral(":/icons/host.svg"), Theme::colors().lan, 16)),
                qstr(h.name), qstr(h.name));
        }
        m_host->addItem(
            QIcon(Theme::tinted(QStringLiteral(":/icons/lan.svg"), Theme::colors().lan, 16)),
            tr("Everything (hosts, LAN, externals)"), QString());
        const int i = m_host->findData(keep);
        m_host->setCurrentIndex(i >= 0 ? i : 0);
    }
    if (!r.plan) {
        m_empty->setText(
            r.error
                ? tr("Docker would not create this scenario:\n%1").arg(qstr(r.error->formatted()))
                : QString());
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    const drivers::Plan& plan = *r.plan;
    const std::string host = m_host->currentData().toString().toStdString();
    if (m_script->isChecked()) {
        m_text->setPlainText(qstr(drivers::planText(plan, host)));
        m_stack->setCurrentWidget(m_text);
        return;
    }
    m_stack->setCurrentWidget(m_tree);
    // The objects as commands cost ~0.2 s for 1000 containers: made on a
    // worker thread from the snapshot; a result for an older rebuild is dropped.
    m_collecting = true;
    auto* watcher = new QFutureWatcher<WorkerOutcome<std::vector<Namespace>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation == m_generation) {
            auto outcome =
                watcher->future().takeResult();  // moved out: 100k strings are not copied
            if (outcome.ok()) {
                install(std::move(*outcome.value));
            } else {
                m_collecting = false;
                m_empty->setText(tr("The Plan could not be listed: %1").arg(outcome.error));
                m_stack->setCurrentWidget(m_empty);
            }
        }
        watcher->deleteLater();
    });
    watcher->setFuture(
        runGuarded([snap = m_doc->snapshot(), host] { return collect(*snap->plan, host); }));
}

std::vector<PlanView::Namespace> PlanView::collect(const drivers::Plan& plan,
                                                   const std::string& host) {
    std::vector<Namespace> out;
    // Namespaces of this host: its own, then its sandboxes (and overlays).
    std::map<std::string, std::size_t> index;
    for (const auto& ns : plan.namespaces) {
        const bool mine = host.empty() || ns.name == host || ns.host == host;
        if (!mine) {
            continue;
        }
        Namespace n;
        n.name = qstr(ns.name);
        n.icon = QStringLiteral(":/icons/host.svg");
        switch (ns.kind) {
        case drivers::NetnsKind::Host:
            n.kind = tr("Docker host");
            break;
        case drivers::NetnsKind::Sandbox:
            n.kind = tr("sandbox of %1").arg(qstr(ns.service));
            n.icon = QStringLiteral(":/icons/container.svg");
            break;
        case drivers::NetnsKind::Lan:
            n.kind = tr("physical LAN");
            n.icon = QStringLiteral(":/icons/lan.svg");
            break;
        case drivers::NetnsKind::External:
            n.kind = tr("external machine");
            n.icon = QStringLiteral(":/icons/laptop.svg");
            break;
        case drivers::NetnsKind::Router:
            n.kind = tr("router");
            n.icon = QStringLiteral(":/icons/router.svg");
            break;
        case drivers::NetnsKind::Overlay:
            n.kind = tr("overlay namespace");
            n.icon = QStringLiteral(":/icons/net-overlay.svg");
            break;
        case drivers::NetnsKind::LoadBalancer:
            n.kind = tr("swarm load balancer");
            n.icon = QStringLiteral(":/icons/net-overlay.svg");
            break;
        }
        index[ns.name] = out.size();
        out.push_back(std::move(n));
    }
    auto add = [&](const std::string& netns, const QString& group, const std::string& text,
                   const std::string& tip = {}) {
        auto n = index.find(netns);
        if (n != index.end()) {
            out[n->second].entries.push_back(
                {group, qstr(text), tip.empty() ? QString() : qstr(tip)});
        }
    };
    for (const auto& x : plan.sysctls) {
        add(x.netns, tr("sysctl"), drivers::equivalent(x));
    }
    for (const auto& x : plan.links) {
        add(x.netns, tr("Links"), drivers::equivalent(x));
    }
    for (const auto& x : plan.addresses) {
        add(x.netns, tr("Addresses"), drivers::equivalent(x));
    }
    for (const auto& x : plan.routes) {
        add(x.netns, tr("Routes"), drivers::equivalent(x));
    }
    for (const auto& x : plan.neighbors) {
        add(x.netns, tr("Neighbours"), drivers::equivalent(x));
    }
    for (const auto& x : plan.fdb) {
        add(x.netns, tr("FDB"), drivers::equivalent(x));
    }
    for (const auto& x : plan.chains) {
        add(x.netns, tr("iptables chains"), drivers::equivalent(x));
    }
    for (const auto& x : plan.rules) {
        add(x.netns, tr("iptables rules"), drivers::equivalent(x),
            Language::code() == QStringLiteral("zh") ? x.whyZh : x.why);
    }
    for (const auto& x : plan.dns) {
        add(x.netns, tr("Embedded DNS"), drivers::equivalent(x));
    }
    for (const auto& x : plan.listeners) {
        add(x.netns, tr("Listening"), drivers::equivalent(x));
    }
    return out;
}

void PlanView::install(std::vector<Namespace> namespaces) {
    m_collecting = false;
    m_tree->clear();
    m_namespaces = std::move(namespaces);
    for (std::size_t i = 0; i < m_namespaces.size(); ++i) {
        const Namespace& n = m_namespaces[i];
        auto* item = new QTreeWidgetItem(m_tree);
        item->setText(0, n.name);
        item->setText(1, n.kind);
        item->setIcon(0, QIcon(Theme::tinted(n.icon, Theme::colors().text, 16)));
        item->setFont(0, Theme::uiFont(9.5 * Theme::uiScale(), true));
        item->setData(0, Qt::UserRole, static_cast<int>(i));
        item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator);
    }
    if (m_namespaces.size() <= 12) {
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            m_tree->topLevelItem(i)->setExpanded(true);
        }
    }
    applyFilter();
}

void PlanView::populate(QTreeWidgetItem* nsItem) {
    if (nsItem->parent() != nullptr || nsItem->childCount() > 0) {
        return;
    }
    const auto i = static_cast<std::size_t>(nsItem->data(0, Qt::UserRole).toInt());
    if (i >= m_namespaces.size()) {
        return;
    }
    const QFont mono = Theme::monoFont(9 * Theme::uiScale());
    std::map<QString, QTreeWidgetItem*> groups;
    for (const Entry& e : m_namespaces[i].entries) {
        QTreeWidgetItem*& g = groups[e.group];
        if (g == nullptr) {
            g = new QTreeWidgetItem(nsItem);
            g->setText(0, e.group);
        }
        auto* leaf = new QTreeWidgetItem(g);
        leaf->setFirstColumnSpanned(true);
        leaf->setText(0, e.text);
        leaf->setFont(0, mono);
        leaf->setToolTip(0, e.tip.isEmpty() ? e.text : e.tip);
    }
}

void PlanView::applyFilter() {
    const QString f = m_search->text().trimmed();
    if (m_stack->currentWidget() == m_text) {
        if (!f.isEmpty()) {
            m_text->find(f);
        }
        return;
    }
    // Which namespaces match: by name, or by one of their objects.
    std::vector<bool> match(m_namespaces.size(), true);
    int matches = 0;
    for (std::size_t i = 0; i < m_namespaces.size(); ++i) {
        const Namespace& n = m_namespaces[i];
        bool m = f.isEmpty() || n.name.contains(f, Qt::CaseInsensitive);
        for (std::size_t k = 0; !m && k < n.entries.size(); ++k) {
            m = n.entries[k].text.contains(f, Qt::CaseInsensitive);
        }
        match[i] = m;
        matches += m ? 1 : 0;
    }
    m_tree->setUpdatesEnabled(false);
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* ns = m_tree->topLevelItem(i);
        const bool show = match[static_cast<std::size_t>(i)];
        if (ns->isHidden() == show) {
            ns->setHidden(!show);
        }
        if (f.isEmpty() || !show) {
            continue;
        }
        // A focused few: open them and show only the matching objects (all of
        // them when the namespace itself matched).
        populate(ns);
        const bool nsMatch = ns->text(0).contains(f, Qt::CaseInsensitive);
        for (int g = 0; g < ns->childCount(); ++g) {
            QTreeWidgetItem* group = ns->child(g);
            bool any = false;
            for (int l = 0; l < group->childCount(); ++l) {
                QTreeWidgetItem* leaf = group->child(l);
                const bool on = nsMatch || leaf->text(0).contains(f, Qt::CaseInsensitive);
                leaf->setHidden(!on);
                any = any || on;
            }
            group->setHidden(!any);
            group->setExpanded(any && matches <= 3);
        }
        ns->setExpanded(matches <= 20);
    }
    if (f.isEmpty()) {
        // Back to everything: unhide what a filter hid in populated namespaces.
        for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem* ns = m_tree->topLevelItem(i);
            for (int g = 0; g < ns->childCount(); ++g) {
                QTreeWidgetItem* group = ns->child(g);
                group->setHidden(false);
                for (int l = 0; l < group->childCount(); ++l) {
                    group->child(l)->setHidden(false);
                }
            }
        }
    }
    m_tree->setUpdatesEnabled(true);
}

void PlanView::focusOn(const QString& id) {
    if (!isVisible()) {  // applied when shown: no work for a hidden panel
        m_pendingFocus = id;
        m_focusPending = true;
        return;
    }
    if (m_stale) {
        rebuild();
    }
    const Resolved& r = m_doc->resolved();
    QString filter;
    std::string host;
    const std::string key = id.section(':', 1).section('@', 0, 0).toStdString();
    if (r.topology && id.startsWith(QLatin1String("svc:"))) {
        if (const auto* c = r.topology->findContainer(key)) {
            const auto* owner = c->sandboxOf.empty() ? c : r.topology->findContainer(c->sandboxOf);
            filter = qstr(owner != nullptr ? owner->netns : c->netns);
            host = c->host;
            if (c->networkMode == "host") {
                filter.clear();
            }
        }
    } else if (r.topology && r.plan && id.startsWith(QLatin1String("net:"))) {
        if (const auto* n = r.topology->findNetwork(key); n != nullptr && n->gateway) {
            host = id.contains('@')   ? id.section('@', 1).toStdString()
                   : n->hosts.empty() ? ""
                                      : n->hosts.front();
            for (const auto& a : r.plan->addresses) {
                if (a.cidr.address == *n->gateway && a.netns == host) {
                    filter = qstr(a.dev);
                }
            }
        }
    } else if (id.startsWith(QLatin1String("host:"))) {
        host = key;
    }
    if (!host.empty()) {
        const int i = m_host->findData(qstr(host));
        if (i >= 0 && i != m_host->currentIndex()) {
            m_host->setCurrentIndex(i);
            rebuild();
        }
    }
    m_search->setText(filter);
}

void PlanView::changeEvent(QEvent* e) {
    if (e == nullptr || e->type() == QEvent::LanguageChange) {
        m_tree->setHeaderLabels({tr("Object"), tr("Kind")});
        m_script->setText(tr("Script"));
        m_script->setToolTip(
            tr("Show the whole host as the commands that build it (ip, iptables-save)"));
        m_search->setPlaceholderText(tr("Filter: a namespace, a device, an address, a chain…"));
        m_host->setToolTip(tr("The Docker host whose kernel objects are shown"));
        m_stale = true;
        if (e != nullptr && isVisible()) {
            rebuild();
        }
    }
    if (e != nullptr) {
        QWidget::changeEvent(e);
    }
}

}  // namespace cnmlab::ui

#include "ui/host/host_scene.hpp"

#include <QGraphicsPathItem>
#include <QGraphicsSceneHelpEvent>
#include <QGraphicsSceneMouseEvent>
#include <QGraphicsView>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "drivers/plan_text.hpp"
#include "ui/host/device_item.hpp"
#include "ui/host/netfilter_item.hpp"
#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

// The path of a wire between two rectangles: straight down where they
// overlap horizontally, else down, across and down.
QPainterPath wirePath(const QRectF& a, const QRectF& b) {
    if (std::abs(a.top() - b.top()) < 1 && !a.intersects(b)) {
        // Two interfaces side by side (a container's eth0 and its port in an
        // overlay's namespace): under both boxes, in one of three lanes so
        // that neighbouring pairs stay apart.
        const double lane = std::max(a.bottom(), b.bottom()) + 8 +
                            7.0 * (static_cast<int>(std::min(a.left(), b.left()) / 40) % 3);
        QPainterPath path;
        path.moveTo(a.center().x(), a.bottom());
        path.lineTo(a.center().x(), lane);
        path.lineTo(b.center().x(), lane);
        path.lineTo(b.center().x(), b.bottom());
        return path;
    }
    const QRectF& upper = a.top() <= b.top() ? a : b;
    const QRectF& lower = a.top() <= b.top() ? b : a;
    QPainterPath path;
    const double left = std::max(upper.left(), lower.left());
    const double right = std::min(upper.right(), lower.right());
    if (left < right) {
        const QRectF& narrow = upper.width() <= lower.width() ? upper : lower;
        const double x = std::clamp(narrow.center().x(), left + 6, right - 6);
        path.moveTo(x, upper.bottom());
        path.lineTo(x, lower.top());
        return path;
    }
    const double mid = (upper.bottom() + lower.top()) / 2;
    path.moveTo(upper.center().x(), upper.bottom());
    path.lineTo(upper.center().x(), mid);
    path.lineTo(lower.center().x(), mid);
    path.lineTo(lower.center().x(), lower.top());
    return path;
}

}  // namespace

namespace {

// The scene of the netfilter tables: a rule's command as its tooltip, and
// objectSelected when one is clicked, through the host scene.
class RulesScene : public QGraphicsScene {
public:
    explicit RulesScene(HostScene* host) : QGraphicsScene(host), m_host(host) {}

protected:
    void helpEvent(QGraphicsSceneHelpEvent* e) override {
        const NetfilterItem* nf = m_host->netfilter();
        const int r = nf != nullptr ? nf->ruleAt(e->scenePos()) : -1;
        if (r < 0) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(
            e->screenPos(),
            QStringLiteral("<pre>%1</pre>").arg(m_host->commandsForRule(r).toHtmlEscaped()));
    }
    void mousePressEvent(QGraphicsSceneMouseEvent* e) override {
        QGraphicsScene::mousePressEvent(e);
        const NetfilterItem* nf = m_host->netfilter();
        if (const int r = nf != nullptr ? nf->ruleAt(e->scenePos()) : -1; r >= 0) {
            emit m_host->objectSelected(m_host->commandsForRule(r));
        }
    }

private:
    HostScene* m_host;
};

}  // namespace

HostScene::HostScene(QObject* parent) : QGraphicsScene(parent), m_rules(new RulesScene(this)) {
    connect(this, &QGraphicsScene::selectionChanged, this, [this] {
        const QList<QGraphicsItem*> sel = selectedItems();
        auto* d = sel.isEmpty() ? nullptr : qgraphicsitem_cast<DeviceItem*>(sel.front());
        if (d != nullptr) {
            emit objectSelected(commandsFor(d->id()));
        }
    });
}

HostScene::~HostScene() = default;

void HostScene::show(std::shared_ptr<const Resolved> snap, const std::string& host) {
    clear();
    m_rules->clear();
    m_items.clear();
    m_netfilter = nullptr;
    m_text.reset();
    m_snap = std::move(snap);
    m_diagram = HostDiagram{};
    m_diagram.host = host;
    setBackgroundBrush(Theme::colors().canvas);
    m_rules->setBackgroundBrush(Theme::colors().canvas);
    if (m_snap && m_snap->plan) {
        m_diagram = layoutHost(*m_snap->plan, host);
    }
    if (!m_diagram.devices.empty()) {
        addItems();
    }
    emit shown();
}

void HostScene::addItems() {
    const drivers::Plan& plan = *m_snap->plan;
    m_text = std::make_unique<drivers::PlanObjectText>(plan);
    const std::string& host = m_diagram.host;
    // The host's frame, with its name.
    const ThemeColors& c = Theme::colors();
    auto* frame = addRect(m_diagram.frame, QPen(c.frameBorder, 1.4), c.frameFill);
    frame->setZValue(-2);
    auto* title = addSimpleText(tr("%1 — the host's network namespace").arg(qstr(host)),
                                Theme::pixelFont(14, true));
    title->setBrush(c.text);
    title->setPos(m_diagram.frame.left() + 16, m_diagram.frame.top() + 12);
    for (const DiagramWire& w : m_diagram.wires) {
        addWire(w);
    }
    for (const DiagramDevice& d : m_diagram.devices) {
        auto* item = new DeviceItem(d);
        addItem(item);
        m_items[d.id] = item;
    }
    addNetfilter();
    setSceneRect(itemsBoundingRect().adjusted(-24, -24, 24, 24));
}

void HostScene::addWire(const DiagramWire& w) {
    const DiagramDevice* a = m_diagram.find(w.from);
    const DiagramDevice* b = m_diagram.find(w.to);
    if (a == nullptr || b == nullptr) {
        return;
    }
    const ThemeColors& c = Theme::colors();
    const QPainterPath path = wirePath(a->rect, b->rect);
    const QColor color = w.color.isValid()               ? w.color
                         : b->kind == DeviceKind::Bridge ? b->accent
                                                         : Theme::mix(c.lan, c.subtext, 0.5);
    auto* outer = addPath(path, QPen(color, w.veth ? 5 : 2, Qt::SolidLine, Qt::FlatCap));
    outer->setZValue(0);
    if (w.veth) {  // a veth pair: two strands
        auto* inner = addPath(path, QPen(c.canvas, 1.6, Qt::SolidLine, Qt::FlatCap));
        inner->setZValue(0.5);
    }
}

void HostScene::addNetfilter() {
    const drivers::Plan& plan = *m_snap->plan;
    std::vector<NetfilterLine> lines;
    lines.push_back({NetfilterLine::Kind::Title, tr("netfilter — iptables-save"), -1});
    bool nat = false;
    for (std::size_t i = 0; i < m_diagram.chains.size(); ++i) {
        const DiagramChain& ch = m_diagram.chains[i];
        if (i == 0 || (ch.table == drivers::NfTable::Nat) != nat) {
            nat = ch.table == drivers::NfTable::Nat;
            lines.push_back({NetfilterLine::Kind::Table,
                             nat ? QStringLiteral("*nat") : QStringLiteral("*filter"), -1});
        }
        lines.push_back(
            {NetfilterLine::Kind::Chain,
             QStringLiteral(":%1 %2").arg(qstr(ch.name), ch.policy.empty() ? QStringLiteral("-")
                                                                           : qstr(ch.policy)),
             -1});
        for (int r : ch.rules) {
            // "-A CHAIN" is the header above it.
            QString spec = qstr(drivers::ruleSpec(plan.rules[static_cast<std::size_t>(r)]));
            const QString head = QStringLiteral("-A ") + qstr(ch.name) + ' ';
            if (spec.startsWith(head)) {
                spec = spec.mid(head.size());
            }
            lines.push_back({NetfilterLine::Kind::Rule, spec, r});
        }
    }
    m_netfilter = new NetfilterItem(QPointF(0, 0), std::move(lines));
    m_rules->addItem(m_netfilter);
    setNetfilterWidth(m_netfilter->naturalWidth());
}

void HostScene::setNetfilterWidth(double width) {
    if (m_netfilter != nullptr) {
        m_netfilter->setWidth(width);
        m_rules->setSceneRect(m_netfilter->boundingRect().adjusted(-8, -8, 8, 8));
    }
}

DeviceItem* HostScene::deviceItem(const QString& id) const {
    auto it = m_items.find(id);
    return it == m_items.end() ? nullptr : it->second;
}

QString HostScene::placeOf(const sim::Hop& hop) const {
    // The host's own decisions (routing, NAT, a drop by a rule) happen in its
    // kernel, whichever device they name.
    const bool decision = hop.action == sim::action::kRoute || hop.action == sim::action::kNat ||
                          hop.action == sim::action::kFilter ||
                          (hop.action == sim::action::kDrop && hop.rule != nullptr);
    if (decision && hop.node == m_diagram.host && m_items.count(qstr(hop.node) + '|') != 0) {
        return qstr(hop.node) + '|';
    }
    const QString dev = qstr(hop.node) + '|' + qstr(hop.device);
    if (m_items.count(dev) != 0) {
        return dev;
    }
    const QString ns = qstr(hop.node) + '|';
    return m_items.count(ns) != 0 ? ns : QStringLiteral("outside|");
}

int HostScene::ruleIndex(const drivers::Plan& plan, const drivers::NfRule* rule) const {
    if (rule == nullptr || plan.rules.empty() || rule < plan.rules.data() ||
        rule >= plan.rules.data() + plan.rules.size() || rule->netns != m_diagram.host) {
        return -1;
    }
    return static_cast<int>(rule - plan.rules.data());
}

QString HostScene::commandsFor(const QString& id) const {
    const DiagramDevice* d = m_diagram.find(id);
    if (d == nullptr || !m_text) {
        return {};
    }
    switch (d->kind) {
    case DeviceKind::Outside:
        return tr("# Beyond %1's eth0: the LAN, the other hosts and the externals (see the canvas)")
            .arg(qstr(m_diagram.host));
    case DeviceKind::Kernel:
        return tr("# %1's own namespace: its routes; its iptables rules are listed on the right")
                   .arg(qstr(m_diagram.host)) +
               '\n' + qstr(m_text->netns(d->netns, m_diagram.host));
    case DeviceKind::Namespace:
        return qstr(m_text->netns(d->netns, m_diagram.host));
    default:
        return qstr(m_text->device(d->netns, d->dev, m_diagram.host));
    }
}

QString HostScene::commandsForRule(int rule) const {
    if (!m_snap || !m_snap->plan || rule < 0 ||
        rule >= static_cast<int>(m_snap->plan->rules.size())) {
        return {};
    }
    const drivers::NfRule& r = m_snap->plan->rules[static_cast<std::size_t>(rule)];
    return qstr(drivers::equivalent(r)) +
           (r.why.empty() ? QString() : QStringLiteral("\n# ") + qstr(r.why));
}

void HostScene::setTrail(const QStringList& visited, const QString& current) {
    for (const auto& [id, item] : m_items) {
        item->setMark(id == current          ? DeviceItem::Mark::Current
                      : visited.contains(id) ? DeviceItem::Mark::Trail
                                             : DeviceItem::Mark::None);
    }
}

QString HostScene::commandsAt(QPointF scenePos) const {
    for (QGraphicsItem* item : items(scenePos)) {
        if (auto* d = qgraphicsitem_cast<DeviceItem*>(item)) {
            return commandsFor(d->id());
        }
    }
    return {};
}

void HostScene::helpEvent(QGraphicsSceneHelpEvent* e) {
    const QString text = commandsAt(e->scenePos());
    if (text.isEmpty()) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(e->screenPos(), QStringLiteral("<pre>%1</pre>").arg(text.toHtmlEscaped()));
}

}  // namespace cnmlab::ui

#pragma once
// The device diagram of one Docker host: a QGraphicsScene projecting a
// HostDiagram (host_diagram.hpp) of an immutable document snapshot — one
// DeviceItem per kernel object keyed by its id ("NETNS|DEV"), wires between
// them, and the host's netfilter chains (NetfilterItem). Tooltips and the
// objectSelected signal give each object's `ip` / `iptables` equivalent, as
// planText() prints it (drivers/plan_text.hpp).
//
// The netfilter chains are drawn in a second scene the host scene owns
// (rulesScene()), for a view of their own beside the diagram's.
//
// The scene owns its items and keeps its snapshot alive (the texts point into
// the snapshot's Plan). It never changes the document.

#include <QGraphicsScene>

#include <memory>
#include <string>
#include <unordered_map>

#include "sim/trace.hpp"
#include "ui/host/host_diagram.hpp"

namespace cnmlab::drivers {
class PlanObjectText;
}

namespace cnmlab::ui {

class DeviceItem;
class NetfilterItem;
struct Resolved;

class HostScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit HostScene(QObject* parent = nullptr);
    ~HostScene() override;

    // Shows `host` of `snap` (nothing when the snapshot has no Plan or no such
    // host). Cost: O(size of the Plan) plus one item per object of the host.
    void show(std::shared_ptr<const Resolved> snap, const std::string& host);
    const std::string& host() const { return m_diagram.host; }
    const Resolved* snapshot() const { return m_snap.get(); }
    const HostDiagram& diagram() const { return m_diagram; }
    bool empty() const { return m_items.empty(); }

    DeviceItem* deviceItem(const QString& id) const;
    // The host's netfilter tables (nullptr while nothing is shown), in
    // rulesScene(); hovering a rule there shows its command, clicking it
    // emits objectSelected as a device does.
    NetfilterItem* netfilter() const { return m_netfilter; }
    QGraphicsScene* rulesScene() const { return m_rules; }
    // Lays the tables out `width` units wide (HostView does, to the room
    // its view has).
    void setNetfilterWidth(double width);

    // The device a hop happens at: the host's kernel for its routing, NAT and
    // filter decisions, else the hop's device, else its namespace's box (the
    // kernel for the host itself), else "outside|".
    QString placeOf(const sim::Hop& hop) const;
    // The Plan index of a rule of `plan` (a hop's rule) when it belongs to this
    // host's tables, else -1.
    int ruleIndex(const drivers::Plan& plan, const drivers::NfRule* rule) const;

    // The commands that make a device (by id), or a rule (by Plan index).
    QString commandsFor(const QString& id) const;
    QString commandsForRule(int rule) const;

    // Marks the devices the packet crossed and the one it is at.
    void setTrail(const QStringList& visited, const QString& current);

signals:
    // A device or a rule was selected: its commands ("" when nothing is).
    void objectSelected(const QString& commands);
    // show() replaced every item (items others added, such as a token, are gone).
    void shown();

protected:
    void helpEvent(QGraphicsSceneHelpEvent* e) override;

private:
    void addItems();
    void addWire(const DiagramWire& w);
    void addNetfilter();
    QString commandsAt(QPointF scenePos) const;

    std::shared_ptr<const Resolved> m_snap;
    std::unique_ptr<drivers::PlanObjectText> m_text;
    HostDiagram m_diagram;
    std::unordered_map<QString, DeviceItem*> m_items;
    NetfilterItem* m_netfilter = nullptr;
    QGraphicsScene* m_rules = nullptr;  // owned (a child)
};

}  // namespace cnmlab::ui

#include "ui/topology_scene.hpp"

#include <QBrush>
#include <QFont>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>

#include <map>

namespace cnmlab::ui {

namespace {

QColor driverColor(const std::string& driver) {
    if (driver == "bridge") {
        return QColor(0x1d, 0x63, 0xed);  // Docker blue
    }
    if (driver == "overlay") {
        return QColor(0x8e, 0x44, 0xad);
    }
    if (driver == "macvlan") {
        return QColor(0x16, 0xa0, 0x85);
    }
    if (driver == "ipvlan") {
        return QColor(0xd3, 0x54, 0x00);
    }
    if (driver == "host") {
        return QColor(0x55, 0x65, 0x75);
    }
    if (driver == "null") {
        return QColor(0x95, 0xa5, 0xa6);
    }
    return QColor(0xc0, 0x39, 0x2b);  // plugins
}

QGraphicsSimpleTextItem* label(QGraphicsScene* scene, const QString& text, QPointF at,
                               bool bold = false, int size = 10) {
    auto* t = scene->addSimpleText(text);
    QFont f = t->font();
    f.setPointSize(size);
    f.setBold(bold);
    t->setFont(f);
    t->setPos(at);
    return t;
}

}  // namespace

TopologyScene::TopologyScene(QObject* parent) : QGraphicsScene(parent) {}

void TopologyScene::showTopology(const model::Topology& topo) {
    clear();
    constexpr double kNetW = 210;
    constexpr double kNetH = 54;
    constexpr double kBoxW = 170;
    constexpr double kBoxH = 58;
    double hostX = 0;
    for (const auto& host : topo.scenario->hosts) {
        std::vector<const model::NetworkInstance*> nets;
        for (const auto& n : topo.networks) {
            if (std::find(n.hosts.begin(), n.hosts.end(), host.name) != n.hosts.end() &&
                (n.key != "host" && n.key != "none")) {
                nets.push_back(&n);
            }
        }
        std::vector<const model::Container*> boxes;
        for (const auto& c : topo.containers) {
            if (c.host == host.name) {
                boxes.push_back(&c);
            }
        }
        const double cols = std::max(static_cast<double>(nets.size()), 1.0);
        const double width = std::max(cols * (kNetW + 30) + 30, 4 * (kBoxW + 20) + 30);
        std::map<std::string, QPointF> netAnchor;
        for (std::size_t i = 0; i < nets.size(); ++i) {
            const QPointF at(hostX + 30 + static_cast<double>(i) * (kNetW + 30), 70);
            const QColor col = driverColor(nets[i]->driver);
            auto* r = addRect(QRectF(at, QSizeF(kNetW, kNetH)), QPen(col.darker(120), 2),
                              QBrush(col.lighter(185)));
            r->setZValue(1);
            auto* t = label(this, QString::fromStdString(nets[i]->name), at + QPointF(10, 6), true);
            t->setZValue(2);
            auto* s = label(this,
                            QString::fromStdString(nets[i]->driver + "  " +
                                                   (nets[i]->subnet ? nets[i]->subnet->networkStr() : "")),
                            at + QPointF(10, 28), false, 9);
            s->setZValue(2);
            netAnchor[nets[i]->key] = at + QPointF(kNetW / 2, kNetH);
        }
        const int perRow = std::max(1, static_cast<int>((width - 30) / (kBoxW + 20)));
        double maxY = 200;
        for (std::size_t i = 0; i < boxes.size(); ++i) {
            const auto row = static_cast<double>(static_cast<int>(i) / perRow);
            const auto col = static_cast<double>(static_cast<int>(i) % perRow);
            const QPointF at(hostX + 30 + col * (kBoxW + 20), 220 + row * (kBoxH + 110));
            const model::Container& c = *boxes[i];
            for (const auto& ep : c.endpoints) {
                auto it = netAnchor.find(ep.network);
                if (it == netAnchor.end()) {
                    continue;
                }
                const QPointF top = at + QPointF(kBoxW / 2, 0);
                auto* line = addLine(QLineF(top, it->second),
                                     QPen(driverColor(topo.findNetwork(ep.network)->driver), 1.6));
                line->setZValue(0);
                auto* t = label(this, QString::fromStdString(ep.ipv4.str()),
                                (top + it->second) / 2 + QPointF(4, 0), false, 8);
                t->setZValue(3);
            }
            auto* r = addRect(QRectF(at, QSizeF(kBoxW, kBoxH)), QPen(QColor(0x2c, 0x3e, 0x50), 1.5),
                              QBrush(QColor(0xfd, 0xfe, 0xfe)));
            r->setZValue(1);
            label(this, QString::fromStdString(c.service), at + QPointF(10, 6), true)->setZValue(2);
            label(this, QString::fromStdString(c.networkMode == "default" ? c.name : c.networkMode),
                  at + QPointF(10, 30), false, 8)
                ->setZValue(2);
            maxY = std::max(maxY, at.y() + kBoxH + 30);
        }
        auto* frame = addRect(QRectF(hostX, 0, width, maxY), QPen(QColor(0x7f, 0x8c, 0x8d), 2, Qt::DashLine),
                              QBrush(QColor(0xf4, 0xf6, 0xf7)));
        frame->setZValue(-1);
        label(this, QString::fromStdString(host.name + "  " + host.underlay.str()),
              QPointF(hostX + 12, 12), true, 12);
        hostX += width + 60;
    }
}

}  // namespace cnmlab::ui

#pragma once
// The canvas: a QGraphicsScene that projects a resolved Topology. Hosts are
// frames holding their networks (one colour per driver) and containers; an
// endpoint is a line from container to network labelled with its address.
// Items are keyed by name and hold no state of their own.

#include <QGraphicsScene>

#include "model/topology.hpp"

namespace cnmlab::ui {

class TopologyScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit TopologyScene(QObject* parent = nullptr);

    // Rebuilds every item from `topo`; positions come from x-layout where given.
    void showTopology(const model::Topology& topo);
};

}  // namespace cnmlab::ui

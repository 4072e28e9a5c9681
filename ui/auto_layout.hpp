#pragma once
// Positions for a canvas without x-layout, so any file reads well.
//
// Each Docker host is a band, left to right: its containers on top, its
// networks in a row below them, the host's kernel under the networks; the LAN
// runs under every host, the externals under the LAN, overlay networks above
// the hosts. Boost.Graph decides the order inside a band: a Kamada-Kawai
// spring layout of the host's graph (kernel, networks, containers, endpoints)
// puts networks that share containers next to each other, and each container
// sits under the networks it joins (the mean of their places), so endpoint
// links stay short and rarely cross. Hosts with more than kSpringLimit nodes
// keep file order instead (the spring layout is O(n^2) per iteration).
//
// forceLayout() is the plain Kamada-Kawai picture (View > Arrange > Spring),
// for scenarios whose structure the bands hide.

#include <QPointF>
#include <QString>

#include <unordered_map>

#include "ui/canvas_graph.hpp"

namespace cnmlab::ui {

inline constexpr std::size_t kSpringLimit = 160;

using Positions = std::unordered_map<QString, QPointF>;

// Centres for every node of `g`. Deterministic; O(n) beyond the spring layouts.
Positions autoLayout(const CanvasGraph& g);

// Kamada-Kawai over the whole graph, scaled so boxes do not overlap.
Positions forceLayout(const CanvasGraph& g);

}  // namespace cnmlab::ui

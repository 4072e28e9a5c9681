#include "ui/sim/packet_animator.hpp"

#include "ui/edge_item.hpp"
#include "ui/node_item.hpp"
#include "ui/sim/packet_token.hpp"
#include "ui/sim/playback.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

PacketAnimator::PacketAnimator(TopologyScene* scene, Playback* playback, QObject* parent)
    : QObject(parent), m_scene(scene), m_playback(playback), m_token(scene) {
    connect(playback, &Playback::loaded, this, &PacketAnimator::onLoaded);
    connect(playback, &Playback::moved, this, &PacketAnimator::onMoved);
    connect(playback, &Playback::hopChanged, this, &PacketAnimator::onHopChanged);
    connect(scene, &TopologyScene::graphChanged, this, [this] {
        if (m_token.ifMade() != nullptr && m_token.ifMade()->scene() == nullptr) {
            m_token.forget();
        }
    });
}

void PacketAnimator::onLoaded() {
    m_places.clear();
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || probe->record.hops.empty()) {
        m_token.get()->hide();
        m_scene->setHighlighted(QStringLiteral("probe"), {});
        return;
    }
    const HopMapper mapper(*probe->snapshot, m_scene->graph());
    std::vector<double> weights;
    for (const auto& hop : probe->record.hops) {
        HopPlace p = mapper.place(hop);
        weights.push_back(m_places.empty() || !(p == m_places.back()) ? 1.0 : 0.3);
        m_places.push_back(p);
    }
    m_playback->setHopWeights(std::move(weights));
    m_token.get()->show();
}

QPointF PacketAnimator::pointOf(const HopPlace& place) const {
    if (!place.edge.isEmpty()) {
        if (const EdgeItem* e = m_scene->edgeItem(place.edge); e != nullptr && e->isVisible()) {
            return e->pointAt(place.t);
        }
    }
    if (const NodeItem* n = m_scene->nodeItem(place.node)) {
        return n->pos();
    }
    return {};
}

void PacketAnimator::onMoved(double pos) {
    if (m_places.empty()) {
        return;
    }
    const auto i = static_cast<std::size_t>(std::floor(pos + 1e-9));
    const double f = pos - static_cast<double>(i);
    const QPointF a = pointOf(m_places[std::min(i, m_places.size() - 1)]);
    const QPointF b = pointOf(m_places[std::min(i + 1, m_places.size() - 1)]);
    m_token.get()->setPos(glide(a, b, f));
    // The callout goes where it hides no container, network or machine.
    m_token.get()->placeCallout(
        [](const QGraphicsItem* item) { return item->type() == NodeItem::Type; });
}

void PacketAnimator::onHopChanged(int hop) {
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || hop < 0 || hop >= static_cast<int>(probe->record.hops.size())) {
        return;
    }
    const auto& hops = probe->record.hops;
    const auto h = static_cast<std::size_t>(hop);
    m_token.get()->setHop(hops[h], frameChanges(h > 0 ? &hops[h - 1] : nullptr, hops[h]));
    QStringList trail;
    for (std::size_t i = 0; i <= h && i < m_places.size(); ++i) {
        if (!m_places[i].edge.isEmpty()) {
            trail << m_places[i].edge;
        }
        trail << m_places[i].node;
    }
    trail.removeDuplicates();
    m_scene->setHighlighted(QStringLiteral("probe"), trail);
}

}  // namespace cnmlab::ui

#include "ui/host/host_animator.hpp"

#include <algorithm>
#include <cmath>

#include "ui/host/device_item.hpp"
#include "ui/host/host_scene.hpp"
#include "ui/host/netfilter_item.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/packet_token.hpp"
#include "ui/sim/playback.hpp"

namespace cnmlab::ui {

HostAnimator::HostAnimator(HostScene* scene, Playback* playback, QObject* parent)
    : QObject(parent), m_scene(scene), m_playback(playback), m_token(scene) {
    connect(playback, &Playback::loaded, this, &HostAnimator::reload);
    connect(playback, &Playback::moved, this, &HostAnimator::onMoved);
    connect(playback, &Playback::hopChanged, this, &HostAnimator::onHopChanged);
    connect(scene, &HostScene::shown, this, [this] {
        m_token.forget();  // deleted with every other item
        reload();
    });
}

void HostAnimator::reload() {
    m_places.clear();
    m_points.clear();
    m_rules.clear();
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || probe->record.hops.empty() || m_scene->empty()) {
        if (PacketToken* token = m_token.ifMade()) {
            token->hide();
        }
        m_scene->setTrail({}, {});
        if (m_scene->netfilter() != nullptr) {
            m_scene->netfilter()->setMatched({}, -1);
        }
        return;
    }
    const drivers::Plan& plan = *probe->snapshot->plan;
    for (const auto& hop : probe->record.hops) {
        const QString id = m_scene->placeOf(hop);
        const DeviceItem* item = m_scene->deviceItem(id);
        QPointF at = item != nullptr ? item->device().rect.center() : QPointF();
        const bool wide = item != nullptr && (item->device().kind == DeviceKind::Bridge ||
                                              item->device().kind == DeviceKind::Kernel);
        if (wide && !m_points.empty()) {
            // On a bridge or the kernel: right under (or over) where the packet came from.
            const QRectF bar = item->device().rect;
            at.setX(std::clamp(m_points.back().x(), bar.left() + 12, bar.right() - 12));
        }
        m_places << id;
        m_points.push_back(at);
        m_rules.push_back(m_scene->ruleIndex(plan, hop.rule));
    }
    m_token.get()->show();
    onHopChanged(m_playback->current());
    onMoved(m_playback->position());
}

QRectF HostAnimator::calloutSceneRect() const {
    const PacketToken* token = m_token.ifMade();
    return token != nullptr && token->isVisible() ? token->calloutSceneRect() : QRectF();
}

void HostAnimator::onMoved(double pos) {
    if (m_points.empty()) {
        return;
    }
    const auto i = static_cast<std::size_t>(std::floor(std::max(0.0, pos) + 1e-9));
    const double f = pos - static_cast<double>(i);
    const QPointF a = m_points[std::min(i, m_points.size() - 1)];
    const QPointF b = m_points[std::min(i + 1, m_points.size() - 1)];
    m_token.get()->setPos(glide(a, b, f));
    // The callout never hides the devices the packet leaves and reaches,
    // nor the box of the world outside the host.
    std::vector<QRectF> keepClear;
    for (const QString& id :
         {m_places.value(static_cast<int>(std::min(i, m_points.size() - 1))),
          m_places.value(static_cast<int>(std::min(i + 1, m_points.size() - 1))),
          QStringLiteral("outside|")}) {
        if (const DeviceItem* d = m_scene->deviceItem(id)) {
            keepClear.push_back(d->device().rect);
        }
    }
    m_token.get()->placeCallout(
        [](const QGraphicsItem* item) { return item->type() == DeviceItem::Type; }, keepClear);
}

void HostAnimator::onHopChanged(int hop) {
    const TracedProbe* probe = m_playback->probe();
    if (probe == nullptr || hop < 0 || hop >= m_places.size()) {
        return;
    }
    const auto& hops = probe->record.hops;
    const auto h = static_cast<std::size_t>(hop);
    m_token.get()->setHop(hops[h], frameChanges(h > 0 ? &hops[h - 1] : nullptr, hops[h]));
    QStringList trail;
    std::vector<NetfilterItem::Match> matched;
    for (std::size_t i = 0; i <= h; ++i) {
        trail << m_places[static_cast<int>(i)];
        if (m_rules[i] >= 0) {
            matched.push_back({m_rules[i], hops[i].action == sim::action::kDrop});
        }
    }
    trail.removeDuplicates();
    m_scene->setTrail(trail, m_places[hop]);
    if (m_scene->netfilter() != nullptr) {
        m_scene->netfilter()->setMatched(std::move(matched), m_rules[h]);
    }
}

}  // namespace cnmlab::ui

// The control plane of remote drivers in a trace: where a packet first meets a
// device a plugin built, the exchange of dockerd with the plugin that built
// it (Plan::pluginCalls) is shown as a step of its own, with its JSON.
#include <fmt/format.h>

#include "sim/world.hpp"

namespace cnmlab::sim {

namespace {

std::string oneLine(std::string json) {
    while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) {
        json.pop_back();
    }
    return json.empty() ? "(no body)" : json;
}

}  // namespace

void World::buildPluginCalls() {
    const auto& calls = m_plan.pluginCalls;
    for (std::size_t c = 0; c < calls.size(); ++c) {
        for (const auto& [netns, name] : calls[c].devices) {
            const int ns = findNamespace(netns);
            if (ns < 0) {
                continue;
            }
            int dev = -1;
            for (const int d : m_ns[static_cast<std::size_t>(ns)].devices) {
                if (m_dev[static_cast<std::size_t>(d)].name == name) {
                    dev = d;
                }
            }
            if (dev < 0) {
                continue;  // gone again (a veth end libnetwork moved is reached by its peer)
            }
            auto add = [&](int d) {
                auto& at = m_pluginCallsAt[d];
                if (at.empty() || at.back() != static_cast<int>(c)) {
                    at.push_back(static_cast<int>(c));
                }
            };
            add(dev);
            if (const Veth* v = m_dev[static_cast<std::size_t>(dev)].as<Veth>();
                v != nullptr && v->peer >= 0 &&
                m_ns[static_cast<std::size_t>(m_dev[static_cast<std::size_t>(v->peer)].ns)].kind ==
                    drivers::NetnsKind::Sandbox) {
                add(v->peer);  // the end libnetwork moved into the container
            }
        }
    }
    m_pluginShown.assign(calls.size(), 0);
}

void World::pluginSteps(int ns, int dev, const Frame& f) {
    const auto it = m_pluginCallsAt.find(dev);
    if (it == m_pluginCallsAt.end()) {
        return;
    }
    for (const int c : it->second) {
        if (m_pluginShown[static_cast<std::size_t>(c)] != 0) {
            continue;
        }
        m_pluginShown[static_cast<std::size_t>(c)] = 1;
        const drivers::PluginCall& call = m_plan.pluginCalls[static_cast<std::size_t>(c)];
        std::string made;
        for (const auto& [netns, name] : call.devices) {
            made += (made.empty() ? "" : ", ") + name;
        }
        if (call.path.empty()) {  // the plugin's own control plane (its note)
            m_trace->push_back(
                Hop{m_sched.now(), m_ns[static_cast<std::size_t>(ns)].planName,
                    m_dev[static_cast<std::size_t>(dev)].name, action::kPlugin,
                    std::make_shared<const Frame>(f),
                    Text{fmt::format("control plane, before any packet: {} "
                                     "(the {} plugin on {})",
                                     call.request, call.plugin, call.host),
                         fmt::format("控制平面（早于任何数据包）：{}（{} 上的 {} 插件）",
                                     call.request, call.host, call.plugin)},
                    nullptr});
            continue;
        }
        m_trace->push_back(Hop{
            m_sched.now(), m_ns[static_cast<std::size_t>(ns)].planName,
            m_dev[static_cast<std::size_t>(dev)].name, action::kPlugin,
            std::make_shared<const Frame>(f),
            Text{
                fmt::format(
                    "control plane, before any packet: dockerd on {} called the {} "
                    "plugin, POST {} {} and it answered {} {}; that call built or programmed {}",
                    call.host, call.plugin, call.path, oneLine(call.request), call.status,
                    oneLine(call.reply), made),
                fmt::format("控制平面（早于任何数据包）：{} 上的 dockerd 调用 {} 插件，POST {} {}，"
                            "插件应答 {} {}；这次调用创建或设置了 {}",
                            call.host, call.plugin, call.path, oneLine(call.request), call.status,
                            oneLine(call.reply), made)},
            nullptr});
    }
}

}  // namespace cnmlab::sim

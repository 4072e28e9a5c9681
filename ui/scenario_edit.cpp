#include "ui/scenario_edit.hpp"

#include <algorithm>
#include <type_traits>

namespace cnmlab::ui {

namespace {

// The scenario's list of T objects (const or not, following `sc`).
template <typename T, typename S> auto& listOf(S& sc) {
    if constexpr (std::is_same_v<T, model::HostSpec>) {
        return sc.hosts;
    } else if constexpr (std::is_same_v<T, model::ExternalSpec>) {
        return sc.externals;
    } else if constexpr (std::is_same_v<T, model::ServiceSpec>) {
        return sc.services;
    } else {
        return sc.networks;
    }
}

const std::string& keyOf(const model::HostSpec& h) {
    return h.name;
}
const std::string& keyOf(const model::ExternalSpec& e) {
    return e.name;
}
const std::string& keyOf(const model::ServiceSpec& s) {
    return s.key;
}
const std::string& keyOf(const model::NetworkSpec& n) {
    return n.key;
}

template <typename T>
void applyObject(model::Scenario& sc, const std::string& key, std::size_t index,
                 const std::optional<ObjectEdit::Value>& from,
                 const std::optional<ObjectEdit::Value>& to) {
    auto& list = listOf<T>(sc);
    auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return keyOf(x) == key; });
    if (from && it != list.end()) {
        if (to) {
            *it = std::get<T>(*to);
        } else {
            list.erase(it);
        }
        return;
    }
    if (!from && to && it == list.end()) {
        list.insert(list.begin() + static_cast<std::ptrdiff_t>(std::min(index, list.size())),
                    std::get<T>(*to));
    }
}

template <typename T>
ObjectEdit replaceObject(const model::Scenario& sc, ObjectKind kind, T after) {
    ObjectEdit e;
    e.kind = kind;
    e.key = keyOf(after);
    const auto& list = listOf<T>(sc);
    auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return keyOf(x) == e.key; });
    e.index = static_cast<std::size_t>(it - list.begin());
    if (it != list.end()) {
        e.before = *it;
    }
    e.after = std::move(after);
    return e;
}

}  // namespace

void applyEdit(model::Scenario& sc, const Edit& edit, bool forward) {
    if (const auto* o = std::get_if<ObjectEdit>(&edit)) {
        const auto& from = forward ? o->before : o->after;
        const auto& to = forward ? o->after : o->before;
        switch (o->kind) {
        case ObjectKind::Host:
            applyObject<model::HostSpec>(sc, o->key, o->index, from, to);
            break;
        case ObjectKind::External:
            applyObject<model::ExternalSpec>(sc, o->key, o->index, from, to);
            break;
        case ObjectKind::Service:
            applyObject<model::ServiceSpec>(sc, o->key, o->index, from, to);
            break;
        case ObjectKind::Network:
            applyObject<model::NetworkSpec>(sc, o->key, o->index, from, to);
            break;
        }
        sc.hostsGiven = sc.hostsGiven || o->kind == ObjectKind::Host;
    } else if (const auto* l = std::get_if<LayoutEdit>(&edit)) {
        const auto& to = forward ? l->after : l->before;
        auto it = std::find_if(sc.layout.begin(), sc.layout.end(),
                               [&](const auto& kv) { return kv.first == l->name; });
        if (to) {
            if (it != sc.layout.end()) {
                it->second = *to;
            } else {
                sc.layout.emplace_back(l->name, *to);
            }
        } else if (it != sc.layout.end()) {
            sc.layout.erase(it);
        }
    } else if (const auto* p = std::get_if<ProbesEdit>(&edit)) {
        sc.probes = forward ? p->after : p->before;
    } else if (const auto* le = std::get_if<LessonEdit>(&edit)) {
        sc.lesson = forward ? le->after : le->before;
    } else if (const auto* n = std::get_if<ProjectNameEdit>(&edit)) {
        sc.projectName = forward ? n->after : n->before;
        sc.nameGiven = forward ? n->givenAfter : n->givenBefore;
    }
}

bool isLayoutOnly(const Edit& e) {
    return std::holds_alternative<LayoutEdit>(e);
}

ObjectEdit replaceService(const model::Scenario& sc, model::ServiceSpec after) {
    return replaceObject(sc, ObjectKind::Service, std::move(after));
}
ObjectEdit replaceNetwork(const model::Scenario& sc, model::NetworkSpec after) {
    return replaceObject(sc, ObjectKind::Network, std::move(after));
}
ObjectEdit replaceHost(const model::Scenario& sc, model::HostSpec after) {
    return replaceObject(sc, ObjectKind::Host, std::move(after));
}
ObjectEdit replaceExternal(const model::Scenario& sc, model::ExternalSpec after) {
    return replaceObject(sc, ObjectKind::External, std::move(after));
}

std::string freshKey(const model::Scenario& sc, ObjectKind kind, const std::string& stem) {
    auto taken = [&](const std::string& k) {
        if (kind == ObjectKind::Network) {
            return sc.findNetwork(k) != nullptr || k == "bridge" || k == "host" || k == "none" ||
                   k == "default";
        }
        return sc.findService(k) != nullptr || sc.findHost(k) != nullptr ||
               sc.findExternal(k) != nullptr || k == "lan" || k == "router";
    };
    if (!taken(stem)) {
        return stem;
    }
    for (int i = 2;; ++i) {
        std::string k = stem + std::to_string(i);
        if (!taken(k)) {
            return k;
        }
    }
}

}  // namespace cnmlab::ui

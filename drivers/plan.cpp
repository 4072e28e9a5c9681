#include "drivers/plan.hpp"

#include <algorithm>

namespace cnmlab::drivers {

const char* tableName(NfTable t) {
    switch (t) {
    case NfTable::Filter:
        return "filter";
    case NfTable::Nat:
        return "nat";
    case NfTable::Mangle:
        return "mangle";
    }
    return "filter";
}

const Netns* Plan::findNetns(std::string_view name) const {
    auto it = std::find_if(namespaces.begin(), namespaces.end(),
                           [&](const Netns& n) { return n.name == name; });
    return it == namespaces.end() ? nullptr : &*it;
}

const Link* Plan::findLink(std::string_view netns, std::string_view name) const {
    auto it = std::find_if(links.begin(), links.end(),
                           [&](const Link& l) { return l.netns == netns && l.name == name; });
    return it == links.end() ? nullptr : &*it;
}

}  // namespace cnmlab::drivers

#include "plugins/sdk/plugin_kit.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "model/ip.hpp"

namespace cnmlab::plugins {

PluginOptions& PluginOptions::on(const std::string& name, const std::string& what, Check valid,
                                 Set set) {
    m_options.push_back({name, what, std::move(valid), std::move(set)});
    return *this;
}

void PluginOptions::parse(const std::vector<std::string>& args) const {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const Option* match = nullptr;
        for (const auto& o : m_options) {
            if (args[i] == o.name && i + 1 < args.size() && o.valid(args[i + 1])) {
                match = &o;
            }
        }
        if (match == nullptr) {
            std::string known;
            for (const auto& o : m_options) {
                known += fmt::format("{}{} {}", known.empty() ? "" : ", ", o.name, o.what);
            }
            throw std::invalid_argument(
                fmt::format("unknown argument '{}' ({} takes {})", args[i], m_plugin, known));
        }
        match->set(args[++i]);
    }
}

bool PluginOptions::isIpv4(const std::string& v) {
    return model::Ipv4::parse(v).has_value();
}

bool PluginOptions::isCidr(const std::string& v) {
    return model::Cidr::parse(v).has_value();
}

drivers::NfRule filterRule(const std::string& chain, drivers::NfVerdict verdict,
                           const std::string& target, std::string why, std::string whyZh) {
    drivers::NfRule r;
    r.table = drivers::NfTable::Filter;
    r.chain = chain;
    r.verdict = verdict;
    r.target = target;
    r.why = std::move(why);
    r.whyZh = std::move(whyZh);
    return r;
}

std::string addressOf(const std::string& cidr) {
    const auto slash = cidr.find('/');
    return slash == std::string::npos ? cidr : cidr.substr(0, slash);
}

void learnOwnAddress(const drivers::remote::DiscoveryNotification& n, std::string& address) {
    if (n.discoveryType == 1 && n.discoveryData.is_object() &&
        n.discoveryData.value("Self", false) && address.empty()) {
        address = n.discoveryData.value("Address", std::string());
    }
}

}  // namespace cnmlab::plugins

#pragma once
// What every plugin of cnmlab's writes the same way: its own command-line
// options, a filter rule with the sentence that says why, and a set of
// objects kept in step with its cluster (reconcile()).

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "drivers/plan.hpp"
#include "drivers/remote_api.hpp"
#include "plugins/sdk/host_plan.hpp"

namespace cnmlab::plugins {

// A plugin's own options, each `--NAME VALUE` with its value checked.
// parse() throws std::invalid_argument naming the argument and every option.
class PluginOptions {
public:
    using Check = std::function<bool(const std::string&)>;
    using Set = std::function<void(const std::string&)>;

    explicit PluginOptions(std::string plugin) : m_plugin(std::move(plugin)) {}
    // `--name VALUE` (`what`: how --help and errors name the value).
    PluginOptions& on(const std::string& name, const std::string& what, Check valid, Set set);
    void parse(const std::vector<std::string>& args) const;

    static bool isScope(const std::string& v) { return v == "local" || v == "global"; }
    static bool isIpv4(const std::string& v);
    static bool isCidr(const std::string& v);

private:
    struct Option {
        std::string name;
        std::string what;
        Check valid;
        Set set;
    };
    std::string m_plugin;
    std::vector<Option> m_options;
};

// The address of a CIDR as the protocol writes it ("10.0.0.2/24" -> "10.0.0.2").
std::string addressOf(const std::string& cidr);

// DiscoverNew's node discovery for this host (DiscoveryType 1, "Self": true)
// sets `address` to the host's advertised address unless an option set it.
void learnOwnAddress(const drivers::remote::DiscoveryNotification& n, std::string& address);

// A filter-table rule of `chain` with its verdict, target and reasons.
drivers::NfRule filterRule(const std::string& chain, drivers::NfVerdict verdict,
                           const std::string& target, std::string why, std::string whyZh);

// Brings what `plan` holds for a reconciled kind (the owners in `have`) to
// `want`: an owner no longer wanted loses its objects, a new one gets them
// from `add`. `have` is updated.
template <typename T>
void converge(HostPlan& plan, std::set<std::string>& have, const std::map<std::string, T>& want,
              const std::function<void(const std::string&, const T&)>& add) {
    for (auto it = have.begin(); it != have.end();) {
        if (want.count(*it) == 0) {
            plan.removeOwnedBy(*it);
            it = have.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [owner, value] : want) {
        if (have.insert(owner).second) {
            add(owner, value);
        }
    }
}

}  // namespace cnmlab::plugins

#pragma once
// The Compose reader's working parts; internal to model/. readScenario()
// (compose_reader.hpp) checks the schema, then makes one ComposeReader per
// document and calls document(). Each section of the file is read by the
// member functions defined in its own file:
//
//   compose_reader.cpp    the top level (name, the order of the sections) and
//                         the value readers every section shares
//   compose_services.cpp  services: container_name, hostname, x-host,
//                         network_mode, networks, mac_address, deploy
//   compose_ports.cpp     a service's ports, expose and x-listen
//   compose_networks.cpp  networks and their ipam
//   compose_x_keys.cpp    x-hosts, x-externals, x-probes, x-lesson, x-layout
//
// Every error names the path of the key (services.web.ports[0]) and its
// position; the first one ends the reading (Error of kind Invalid, unless a
// function says otherwise). Warnings (near-miss x- keys) are collected and
// handed over with the Scenario.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/scenario.hpp"

namespace cnmlab::model::detail {

class ComposeReader {
public:
    explicit ComposeReader(std::string file) : m_file(std::move(file)) {}

    // The whole document: a mapping already checked against Compose's schema.
    // Cross-references are not checked here (validateScenario does that).
    Scenario document(const YAML::Node& root) const;

private:
    // ---- values, for every section (compose_reader.cpp) ----
    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;
    SourcePos pos(const YAML::Node& n) const;
    std::string scalar(const YAML::Node& n, const std::string& path) const;
    // One of `allowed`, else "PATH: 'V' is not WHAT (expected A, B or C)".
    std::string choice(const YAML::Node& n, const std::string& path, const char* what,
                       std::initializer_list<std::string_view> allowed) const;
    bool boolean(const YAML::Node& n, const std::string& path) const;
    int integer(const YAML::Node& n, const std::string& path, int lo, int hi) const;
    double real(const YAML::Node& n, const std::string& path) const;
    Ipv4 ipv4(const YAML::Node& n, const std::string& path) const;
    Cidr cidr(const YAML::Node& n, const std::string& path) const;
    // A subnet must be given as its network address (Docker: "invalid subnet").
    Cidr subnet(const YAML::Node& n, const std::string& path) const;
    std::vector<std::string> stringList(const YAML::Node& n, const std::string& path) const;
    void map(const YAML::Node& n, const std::string& path) const;
    // Keys not in `known`, kept verbatim for the writer.
    static ExtraKeys extras(const YAML::Node& map, std::initializer_list<std::string_view> known);
    // The key node of `name` in the mapping `map` (for positions); `map` itself
    // when there is none.
    static YAML::Node keyOf(const YAML::Node& map, const std::string& name);
    // Compose allows any `x-` key, so a misspelt one of cnmlab's (x-probs,
    // x-lisen) would vanish without a word: a key within two edits of one of
    // `ours` is kept, with a warning naming the key it resembles.
    void nearMisses(const YAML::Node& map, const std::string& path,
                    std::initializer_list<std::string_view> ours) const;
    // Levenshtein distance with adjacent transpositions (optimal string alignment).
    static std::size_t editDistance(std::string_view a, std::string_view b);
    // For cnmlab's own x- mappings, where the schema says nothing.
    void onlyKeys(const YAML::Node& map, const std::string& path,
                  std::initializer_list<std::string_view> allowed) const;
    // A key of `services` or `networks`: Compose's ^[a-zA-Z0-9._-]+$.
    void checkName(const YAML::Node& key, const char* section) const;
    // A machine's name (x-hosts, x-externals) or a container name, as Docker
    // checks container names.
    void checkMachineName(const YAML::Node& at, const std::string& path, const std::string& name,
                          const char* what) const;

    // ---- the top level (compose_reader.cpp) ----
    void projectName(Scenario& sc, const YAML::Node& v) const;
    [[noreturn]] void refuseInclude(const YAML::Node& root) const;

    // ---- services (compose_services.cpp) ----
    ServiceSpec service(const std::string& key, const YAML::Node& keyNode,
                        const YAML::Node& n) const;
    void containerName(ServiceSpec& s, const YAML::Node& v, const std::string& path) const;
    void networkMode(ServiceSpec& s, const YAML::Node& v, const std::string& path) const;
    void serviceNetworks(ServiceSpec& s, const YAML::Node& v, const std::string& path) const;
    void macAddress(ServiceSpec& s, const YAML::Node& v, const std::string& path) const;
    ServiceNetwork serviceNetwork(const YAML::Node& key, const YAML::Node& body,
                                  const std::string& path) const;
    DeploySpec deploy(const YAML::Node& key, const YAML::Node& n, const std::string& path) const;
    PlacementConstraint constraint(const YAML::Node& v, const std::string& path) const;

    // ---- ports, expose, x-listen (compose_ports.cpp) ----
    // "80", "80/udp", "8000-8010/tcp"; `last` receives the end of a range
    // (without it a range is an error).
    PortProto portProto(const YAML::Node& n, const std::string& path, int* last = nullptr) const;
    Proto protocol(const YAML::Node& n, const std::string& s, const std::string& path) const;
    std::pair<int, int> portRange(const YAML::Node& n, const std::string& s,
                                  const std::string& path) const;
    // expose and x-listen: a range is one entry per port.
    std::vector<PortProto> portList(const YAML::Node& n, const std::string& path) const;
    std::vector<PortMapping> ports(const YAML::Node& v, const std::string& path) const;
    PortMapping shortPort(const YAML::Node& n, const std::string& path) const;
    PortMapping longPort(const YAML::Node& n, const std::string& path) const;
    void fitPortRanges(const YAML::Node& n, PortMapping& pm, const std::string& path) const;

    // ---- networks (compose_networks.cpp) ----
    NetworkSpec network(const std::string& key, const YAML::Node& keyNode,
                        const YAML::Node& n) const;
    void networkExternal(NetworkSpec& net, const YAML::Node& v, const std::string& path) const;
    void networkLabels(NetworkSpec& net, const YAML::Node& v, const std::string& path) const;
    void ipam(NetworkSpec& net, const YAML::Node& v, const std::string& path) const;
    IpamConfig ipamConfig(const YAML::Node& c, const std::string& path) const;

    // ---- cnmlab's x- keys (compose_x_keys.cpp) ----
    void hosts(Scenario& sc, const YAML::Node& v) const;
    void externals(Scenario& sc, const YAML::Node& v) const;
    void plugins(Scenario& sc, const YAML::Node& v) const;
    void probes(Scenario& sc, const YAML::Node& v) const;
    ProbeSpec probe(const YAML::Node& p, const std::string& path) const;
    void probeExpect(ProbeSpec& pr, const YAML::Node& p, const std::string& path) const;
    Text localText(const YAML::Node& n, const std::string& path) const;
    void lesson(Scenario& sc, const YAML::Node& v) const;
    LessonStep lessonStep(const YAML::Node& s, const std::string& path) const;
    void layout(Scenario& sc, const YAML::Node& v) const;

    std::string m_file;
    mutable std::vector<Warning> m_warnings;
};

}  // namespace cnmlab::model::detail

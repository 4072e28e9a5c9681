#pragma once
// The scenario as the user wrote it: a Compose file with cnmlab's x- extensions
// (docs/scenario-format.md). This is "what the user means": names and options, not yet addresses.
// resolve() (topology.hpp) turns it into what Docker would create.
//
// Every object keeps the position of its key for error messages and the YAML of
// keys cnmlab does not model (image, volumes, ...) so the writer can save them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "model/error.hpp"
#include "model/ip.hpp"
#include "model/text.hpp"

namespace cnmlab::model {

// Keys cnmlab does not model, in file order, kept verbatim for the writer.
using ExtraKeys = std::vector<std::pair<std::string, YAML::Node>>;

struct HostSpec {
    std::string name;
    Cidr underlay;  // address on the physical LAN, e.g. 192.168.100.11/24
    SourcePos pos;
    ExtraKeys extra;
};

struct ExternalSpec {
    std::string name;
    std::optional<Cidr> underlay;  // on the hosts' LAN
    std::optional<Ipv4> address;   // beyond the LAN's router
    SourcePos pos;
    ExtraKeys extra;
};

struct IpamConfig {
    std::optional<Cidr> subnet;
    std::optional<Cidr> ipRange;
    std::optional<Ipv4> gateway;
    std::vector<std::pair<std::string, Ipv4>> auxAddresses;
    SourcePos pos;
    ExtraKeys extra;
};

struct NetworkSpec {
    std::string key;                  // the key under `networks:`
    std::optional<std::string> name;  // `name:`, else <project>_<key>
    std::string driver = "bridge";
    std::vector<std::pair<std::string, std::string>> driverOpts;
    bool internal = false;
    bool attachable = false;
    bool external = false;
    bool enableIpv6 = false;
    std::optional<std::string> ipamDriver;
    std::vector<IpamConfig> ipamConfigs;
    std::vector<std::pair<std::string, std::string>> labels;
    bool implicit = false;       // the `default` network Compose adds on its own
    bool declaredEmpty = false;  // written as `key:` with no value (kept by the writer)
    SourcePos pos;
    SourcePos driverPos;
    ExtraKeys extra;      // keys of the network mapping cnmlab does not model
    ExtraKeys ipamExtra;  // keys of its `ipam:` mapping cnmlab does not model
};

enum class Proto { Tcp, Udp, Icmp };
std::string protoName(Proto p);

// One entry of `ports`: published (host side) -> target (container side).
struct PortMapping {
    std::optional<Ipv4> hostIp;
    int publishedFirst = 0;  // 0: an ephemeral host port chosen by Docker
    int publishedLast = 0;
    int targetFirst = 0;
    int targetLast = 0;
    Proto proto = Proto::Tcp;
    // Long syntax `mode: host`: on a swarm service, published on the task's
    // node only, as a plain port mapping; otherwise (and always in short
    // syntax) through the ingress routing mesh. Plain containers ignore it.
    bool hostMode = false;
    YAML::Node original;  // the entry as written (short string or long mapping)
    SourcePos pos;
};

struct PortProto {
    int port = 0;
    Proto proto = Proto::Tcp;
    bool operator==(const PortProto&) const = default;
    auto operator<=>(const PortProto&) const = default;
};

enum class NetworkMode { Default, Bridge, Host, None, Service, Container };

struct ServiceNetwork {
    std::string key;  // a key of `networks:` (or "default")
    std::vector<std::string> aliases;
    std::optional<Ipv4> ipv4Address;
    bool shortForm = false;  // written in list form
    SourcePos pos;
    SourcePos ipv4Pos;
    ExtraKeys extra;
};

// One of `deploy.placement.constraints` that cnmlab evaluates: node.hostname
// or node.role, == or != (swarmkit constraint.go).
struct PlacementConstraint {
    std::string text;       // as written
    std::string attribute;  // "node.hostname" or "node.role"
    bool equal = true;
    std::string value;
    SourcePos pos;
};

// `deploy:` (SPEC §1a): the service is a swarm service, as `docker stack
// deploy` creates it. Keys without effect on the network (resources,
// restart_policy, ...) stay in the service's ExtraKeys with `deploy` itself.
struct DeploySpec {
    bool global = false;  // mode: global, one task per eligible node
    int replicas = 1;
    bool dnsrr = false;  // endpoint_mode: dnsrr (no virtual IP)
    std::vector<PlacementConstraint> constraints;
    SourcePos pos;
    // Written in the file (the writer writes them back; defaults otherwise only
    // when they differ from Docker's).
    bool modeGiven = false;
    bool replicasGiven = false;
    bool endpointModeGiven = false;
    ExtraKeys extra;           // resources, restart_policy, labels, ...: kept, no effect
    ExtraKeys placementExtra;  // placement's keys other than constraints (preferences, ...)
};

struct ServiceSpec {
    std::string key;
    std::optional<std::string> containerName;
    std::optional<std::string> hostname;
    std::optional<std::string> host;  // x-host
    NetworkMode networkMode = NetworkMode::Default;
    std::string networkModeTarget;  // for service:/container:
    std::vector<ServiceNetwork> networks;
    bool networksListForm = true;
    bool implicitNetworks = false;  // no `networks:` given; joined `default` on its own
    std::vector<PortMapping> ports;
    std::vector<PortProto> expose;
    std::vector<PortProto> listen;  // x-listen
    // mac_address: Docker 20.10 gives it to the endpoint on the container's
    // first network (resolve() in topology.cpp).
    std::optional<Mac> macAddress;
    std::string macText;  // as written (the writer keeps it; empty: macStr)
    std::optional<DeploySpec> deploy;
    SourcePos pos;
    SourcePos networkModePos;
    SourcePos hostPos;
    SourcePos macPos;
    ExtraKeys extra;
};

enum class Expect { Reachable, Unreachable, Address, NxDomain };

struct ProbeSpec {
    std::string from;
    std::optional<std::string> to;
    std::optional<std::string> resolve;
    std::optional<std::string> network;
    Proto proto = Proto::Icmp;
    std::optional<int> port;
    Expect expect = Expect::Reachable;
    std::optional<Ipv4> expectAddress;
    // `expect: [A, B, ...]` (a resolve probe): the answer must be exactly these
    // addresses, in any order (SPEC §1a; DNS round robin). Empty otherwise.
    std::vector<Ipv4> expectAddresses;
    SourcePos pos;
    SourcePos fromPos, toPos, networkPos;
    ExtraKeys extra;
};

struct LessonStep {
    Text text;
    std::vector<std::string> highlight;
    std::optional<int> probe;
    SourcePos pos;
    std::vector<SourcePos> highlightPos;  // of each highlight entry (read files only)
    ExtraKeys extra;
};

struct Lesson {
    Text title;
    std::vector<LessonStep> steps;
    ExtraKeys extra;
};

// x-plugins: a remote driver cnmlab does not ship, reached over Docker's
// plugin protocol on `socket`, or started as `command` once per host (on a
// socket of its own, named in CNMLAB_PLUGIN_SOCKET and any "{socket}"
// argument, its host in CNMLAB_PLUGIN_HOST). `scope` and `gateway` say what
// the model needs before any call (checked against the plugin's answers).
struct PluginSpec {
    std::string name;
    std::string socket;
    std::vector<std::string> command;
    bool globalScope = false;      // scope: local (default) or global
    bool joinGivesGateway = true;  // gateway: true (default) or false
    SourcePos pos;
};

struct Scenario {
    std::string file;  // the path it was read from ("-" for stdin)
    std::string projectName;
    bool nameGiven = false;
    std::vector<HostSpec> hosts;  // never empty after reading
    bool hostsGiven = false;
    std::vector<ExternalSpec> externals;
    std::vector<ServiceSpec> services;  // file order
    std::vector<NetworkSpec> networks;  // file order, then the implicit default
    std::vector<ProbeSpec> probes;
    std::vector<PluginSpec> plugins;  // x-plugins (also kept in `extra` for the writer)
    std::optional<Lesson> lesson;
    std::vector<std::pair<std::string, std::pair<double, double>>> layout;
    std::map<std::string, SourcePos> layoutPos;  // where each x-layout key was read
    ExtraKeys extra;  // top-level keys cnmlab does not model (volumes, secrets, x-...)
    std::vector<Warning> warnings;  // found while reading (near-miss x- keys ...)

    const ServiceSpec* findService(std::string_view key) const;
    const NetworkSpec* findNetwork(std::string_view key) const;
    const HostSpec* findHost(std::string_view name) const;
    const ExternalSpec* findExternal(std::string_view name) const;
    const PluginSpec* findPlugin(std::string_view name) const;

    // Compose naming: `name:` or <project>_<key>; external networks keep their
    // own name (`name:` or the key).
    std::string networkName(const NetworkSpec& n) const;
    // container_name or <project>-<service>-1.
    std::string containerName(const ServiceSpec& s) const;
    // x-host, or the first host.
    const std::string& hostOf(const ServiceSpec& s) const;
    // The predefined network (bridge, host or none) `n` stands for: an
    // external network with that name. nullopt for every other network.
    std::optional<std::string> predefinedAlias(const NetworkSpec& n) const;
    // The key the Topology gives Docker's predefined network `dockerName`
    // ("bridge", "host", "none"): the name itself, unless the file has a
    // network of its own under that key (`networks: {bridge: {}}` is Compose's
    // PROJECT_bridge, a user-defined bridge); then "docker/bridge", which no
    // Compose key can be, so keys and Docker's names never mix.
    std::string predefinedKey(std::string_view dockerName) const;
};

// Docker's predefined networks, present on every host.
inline constexpr std::string_view kPredefinedBridge = "bridge";
inline constexpr std::string_view kPredefinedHost = "host";
inline constexpr std::string_view kPredefinedNone = "none";

// The drivers cnmlab knows. Any other name is a third-party plugin and must be
// declared as such (x-plugin) to be accepted; see compose_reader.cpp.
bool isBuiltinDriver(std::string_view driver);

// The remote drivers cnmlab ships (plugins/, SPEC §1b), with the two things the
// model must know of one before any call to it: the scope its GetCapabilities
// answers (global: one network across the hosts, addresses from the global
// address space, as with a cluster store), and whether its Join gives the
// container a gateway (when none does, libnetwork's needDefaultGW puts the
// container on docker_gwbridge). The remote driver checks both against the
// plugin's answers.
struct ShippedPlugin {
    std::string_view name;
    bool globalScope = false;
    bool joinGivesGateway = false;
    // Also an IPAM driver (`ipam: {driver: NAME}`), whose rules the model
    // follows: calico's (ipam_calico.hpp).
    bool servesIpam = false;
    // The MAC CreateEndpoint gives the container's interface, when fixed
    // (calico: EE:EE:EE:EE:EE:EE); else Docker's 02:42 + the address.
    std::optional<Mac> fixedMac;
};
const ShippedPlugin* findShippedPlugin(std::string_view driver);
// A shipped plugin's traits, or an x-plugins entry's; nullopt for any other
// driver. (An x-plugins entry's name views the scenario's string.)
std::optional<ShippedPlugin> pluginTraits(const Scenario& sc, std::string_view driver);

}  // namespace cnmlab::model

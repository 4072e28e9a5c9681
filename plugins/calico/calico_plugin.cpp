#include "plugins/calico/calico_plugin.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "drivers/names.hpp"
#include "model/error.hpp"
#include "plugins/sdk/plugin_kit.hpp"

namespace cnmlab::plugins {

using drivers::Cidr;
using drivers::Ipv4;
using drivers::NfRule;
using drivers::NfTable;
using drivers::NfVerdict;

namespace {

constexpr const char* kPoolIdV4 = "CalicoPoolIPv4";
constexpr const char* kDummyGateway = "0.0.0.0/0";
constexpr const char* kForward = "cali-FORWARD";
constexpr const char* kFromDispatch = "cali-from-wl-dispatch";
constexpr const char* kToDispatch = "cali-to-wl-dispatch";
constexpr const char* kNatOutgoing = "cali-nat-outgoing";
constexpr const char* kLanDevice = "eth0";  // IP autodetection: first-found

NfRule established(const std::string& chain) {
    NfRule r = filterRule(chain, NfVerdict::Accept, "",
                          "Felix accepts packets of connections the policy already let through.",
                          "Felix 接受策略已放行的连接的后续数据包。");
    r.match.ctState = "RELATED,ESTABLISHED";
    return r;
}

std::string profileOf(const std::string& networkId) {
    return networkId.substr(0, 12);
}

std::string key(const std::string& pool) {
    std::string k = pool;
    for (char& c : k) {
        c = c == '/' ? '-' : c;
    }
    return "calico/ipam/" + k + "/";
}

}  // namespace

std::string CalicoPlugin::interfaceOf(const std::string& endpointId) {
    return "cali" + endpointId.substr(0, 11);
}

CalicoPlugin::Options CalicoPlugin::parseOptions(const std::vector<std::string>& args) {
    Options o;
    PluginOptions("calico")
        .on("--address", "ADDRESS", PluginOptions::isIpv4,
            [&o](const std::string& v) { o.address = v; })
        .on("--pool", "CIDR", PluginOptions::isCidr, [&o](const std::string& v) { o.pool = v; })
        .on("--scope", "local|global", PluginOptions::isScope,
            [&o](const std::string& v) { o.scope = v; })
        .parse(args);
    return o;
}

CalicoPlugin::CalicoPlugin(std::string host, std::shared_ptr<Datastore> store)
    : CalicoPlugin(std::move(host), std::move(store), Options{}) {}

CalicoPlugin::CalicoPlugin(std::string host, std::shared_ptr<Datastore> store, Options options)
    : m_host(std::move(host)), m_store(std::move(store)), m_options(std::move(options)) {
    launch();
}

// calico/node starts: Felix's chains, hooked in first (Felix inserts them).
void CalicoPlugin::launch() {
    const std::string owner = "felix";
    for (const char* chain : {kForward, kFromDispatch, kToDispatch}) {
        m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, chain, false, ""});
    }
    m_plan.insertRule(owner,
                      filterRule("FORWARD", NfVerdict::Jump, kForward,
                                 "Felix sends forwarded packets through Calico's policy first.",
                                 "Felix 让转发的数据包先经过 Calico 的策略。"));
    NfRule from = filterRule(kForward, NfVerdict::Jump, kFromDispatch,
                             "Packets from a workload (a cali interface) meet its egress policy.",
                             "来自工作负载（cali 接口）的数据包经过其出站策略。");
    from.match.inIf = "cali+";
    m_plan.appendRule(owner, from);
    NfRule to = filterRule(kForward, NfVerdict::Jump, kToDispatch,
                           "Packets to a workload meet its ingress policy.",
                           "发往工作负载的数据包经过其入站策略。");
    to.match.outIf = "cali+";
    m_plan.appendRule(owner, to);
    NfRule inOk = filterRule(kForward, NfVerdict::Accept, "",
                             "What the policy let through from a workload is accepted.",
                             "策略放行的、来自工作负载的流量被接受。");
    inOk.match.inIf = "cali+";
    m_plan.appendRule(owner, inOk);
    NfRule outOk = filterRule(kForward, NfVerdict::Accept, "",
                              "What the policy let through to a workload is accepted.",
                              "策略放行的、发往工作负载的流量被接受。");
    outOk.match.outIf = "cali+";
    m_plan.appendRule(owner, outOk);
    for (const char* chain : {kFromDispatch, kToDispatch}) {
        m_plan.appendRule(owner, filterRule(chain, NfVerdict::Drop, "",
                                            "Felix drops traffic of a cali interface it has no "
                                            "endpoint for.",
                                            "Felix 丢弃没有对应端点的 cali 接口上的流量。"));
    }
    drivers::NfChain nat{"", NfTable::Nat, kNatOutgoing, false, ""};
    m_plan.add(owner, nat);
    NfRule hook =
        filterRule("POSTROUTING", NfVerdict::Jump, kNatOutgoing,
                   "Calico masquerades what leaves its pools for elsewhere (natOutgoing).",
                   "Calico 对离开其地址池去往别处的流量做地址伪装（natOutgoing）。");
    hook.table = NfTable::Nat;
    m_plan.insertRule(owner, hook);
}

remote::CapabilitiesResponse CalicoPlugin::capabilities() {
    return {"", m_options.scope, ""};
}

void CalicoPlugin::discoverNew(const remote::DiscoveryNotification& n) {
    learnOwnAddress(n, m_options.address);
}

// ---- IPAM ---------------------------------------------------------------------

remote::AddressSpacesResponse CalicoPlugin::addressSpaces() {
    return {"", "CalicoLocalAddressSpace", "CalicoGlobalAddressSpace"};
}

remote::RequestPoolResponse CalicoPlugin::requestPool(const remote::RequestPoolRequest& req) {
    if (!req.subPool.empty()) {
        throw PluginError("Calico IPAM does not support sub pool configuration on 'docker "
                          "create network'. Calico IP Pools should be configured first and IP "
                          "assignment is from those pre-configured pools.");
    }
    if (!req.options.empty()) {
        throw PluginError("Arbitrary options are not supported");
    }
    if (req.v6) {
        throw PluginError("cnmlab's calico has no IPv6 pool");
    }
    remote::RequestPoolResponse r;
    r.poolId = kPoolIdV4;
    r.pool = "0.0.0.0/0";
    if (!req.pool.empty()) {
        if (!Cidr::parse(req.pool)) {
            throw PluginError("Invalid CIDR");
        }
        r.poolId = req.pool;  // a configured pool (cnmlab configures the one asked for)
        r.pool = req.pool;
    }
    // A dummy gateway: libnetwork then asks for none (Calico's is 169.254.1.1).
    r.data["com.docker.network.gateway"] = kDummyGateway;
    return r;
}

model::CalicoIpam CalicoPlugin::loadIpam(const std::string& pool) const {
    model::CalicoIpam ipam(*Cidr::parse(pool));
    for (const auto& [k, v] : m_store->list(key(pool) + "blocks/")) {
        ipam.addBlock(*Cidr::parse(v.value("block", std::string())),
                      v.value("host", std::string()));
    }
    for (const auto& [k, v] : m_store->list(key(pool) + "ips/")) {
        ipam.markUsed(*Ipv4::parse(v.value("ip", std::string())), v.value("host", std::string()));
    }
    return ipam;
}

void CalicoPlugin::saveIpam(const model::CalicoIpam& ipam) const {
    const std::string pool = ipam.pool().str();
    for (const auto& [block, host] : ipam.blocks()) {
        m_store->put(key(pool) + "blocks/" + block.str(),
                     Datastore::Json{{"block", block.str()}, {"host", host}});
    }
    for (const auto& [ip, host] : ipam.used()) {
        const std::string addr = Ipv4(ip).str();
        m_store->put(key(pool) + "ips/" + addr, Datastore::Json{{"ip", addr}, {"host", host}});
    }
}

remote::RequestAddressResponse
CalicoPlugin::requestAddress(const remote::RequestAddressRequest& req) {
    const auto type = req.options.find("RequestAddressType");
    if (type != req.options.end() && type->second == "com.docker.network.gateway") {
        throw PluginError("Calico IPAM does not support specifying a gateway.");
    }
    const std::string pool = req.poolId == kPoolIdV4 ? m_options.pool : req.poolId;
    if (!Cidr::parse(pool)) {
        throw PluginError(fmt::format("Invalid CIDR - {}", req.poolId));
    }
    model::CalicoIpam ipam = loadIpam(pool);
    Ipv4 ip;
    try {
        if (req.address.empty()) {
            ip = ipam.assign(m_host);
        } else {
            const auto want = Ipv4::parse(req.address);
            if (!want) {
                throw PluginError(
                    fmt::format("IP assignment error: {} is no address", req.address));
            }
            ipam.assignIp(*want, m_host);
            ip = *want;
        }
    } catch (const model::Error& e) {
        throw PluginError(e.message());
    }
    saveIpam(ipam);
    remote::RequestAddressResponse r;
    r.address = ip.str() + "/32";
    return r;
}

void CalicoPlugin::releaseAddress(const remote::ReleaseAddressRequest& req) {
    for (const auto& [k, v] : m_store->list("calico/ipam/")) {
        if (k.find("/ips/" + req.address) != std::string::npos &&
            k.size() == k.find("/ips/") + 5 + req.address.size()) {
            m_store->remove(k);
        }
    }
}

// ---- the network driver ---------------------------------------------------------

void CalicoPlugin::createNetwork(const remote::CreateNetworkRequest& req) {
    const auto generic = req.options.find("com.docker.network.generic");
    if (generic != req.options.end() && generic->is_object() && !generic->empty()) {
        std::string flags;
        for (auto it = generic->begin(); it != generic->end(); ++it) {
            flags += (flags.empty() ? "" : ", ") + it.key();
        }
        throw PluginError(fmt::format("Calico driver does not support the flag{} {}.",
                                      generic->size() > 1 ? "s" : "", flags));
    }
    for (const auto& d : req.ipv4Data.value_or(std::vector<remote::IpamData>{})) {
        if (d.gateway.value_or("") != kDummyGateway) {
            throw PluginError(
                "Non-Calico IPAM driver is used. Note: Docker before 1.12.3 is unsupported");
        }
    }
    const std::string profile = profileOf(req.networkId);
    m_networks[req.networkId] = profile;
    const std::string owner = "network:" + req.networkId;
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, "cali-pri-" + profile, false, ""});
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, "cali-pro-" + profile, false, ""});
    // Felix marks what a profile allows and returns, so that the receiving
    // workload's ingress policy still runs (to-wl-dispatch) when both are on
    // this host; the profile's egress allows everything, so it returns.
    m_plan.appendRule(
        owner,
        filterRule("cali-pro-" + profile, NfVerdict::Return, "",
                   "The network's profile lets its workloads send anywhere (on to "
                   "the receiver's ingress policy).",
                   "该网络的 profile 允许其工作负载向任何地方发送（再交给接收方的入站策略）。"));
    // natOutgoing for the pool the network's addresses come from.
    std::string pool = m_options.pool;
    if (req.ipv4Data && !req.ipv4Data->empty() && req.ipv4Data->front().pool &&
        *req.ipv4Data->front().pool != "0.0.0.0/0") {
        pool = *req.ipv4Data->front().pool;
    }
    const std::string poolOwner = "pool:" + pool;
    if (!m_plan.owns(poolOwner)) {
        NfRule masq =
            filterRule(kNatOutgoing, NfVerdict::Masquerade, "",
                       "Calico's pool has natOutgoing: leaving the pools, workloads take the "
                       "host's address.",
                       "Calico 地址池开启了 natOutgoing：离开地址池时，工作负载使用主机的地址。");
        masq.table = NfTable::Nat;
        masq.match.src = Cidr::parse(pool);
        masq.match.dst = Cidr::parse(pool);
        masq.match.dstNot = true;
        m_plan.appendRule(poolOwner, masq);
    }
}

void CalicoPlugin::deleteNetwork(const remote::NetworkRequest& req) {
    m_plan.removeOwnedBy("network:" + req.networkId);
    m_networks.erase(req.networkId);
}

remote::CreateEndpointResponse
CalicoPlugin::createEndpoint(const remote::CreateEndpointRequest& req) {
    if (!req.interface || req.interface->address.empty()) {
        throw PluginError("No address assigned for endpoint");
    }
    const auto net = m_networks.find(req.networkId);
    if (net == m_networks.end()) {
        throw PluginError(fmt::format("Network {} inspection error", req.networkId));
    }
    // The workload endpoint: Calico always uses /32.
    const std::string ip = req.interface->address.substr(0, req.interface->address.find('/'));
    m_store->put("calico/endpoints/" + req.endpointId,
                 Datastore::Json{{"host", m_host},
                                 {"ip", ip},
                                 {"profile", net->second},
                                 {"interface", interfaceOf(req.endpointId)}});
    remote::CreateEndpointResponse r;
    r.interface = remote::EndpointInterface{
        "", "", req.interface->macAddress.empty() ? "EE:EE:EE:EE:EE:EE" : ""};
    return r;
}

void CalicoPlugin::deleteEndpoint(const remote::EndpointRequest& req) {
    m_store->remove("calico/endpoints/" + req.endpointId);
}

remote::JoinResponse CalicoPlugin::join(const remote::JoinRequest& req) {
    const Datastore::Json ep = m_store->get("calico/endpoints/" + req.endpointId);
    if (ep.is_null()) {
        throw PluginError(fmt::format("no workload endpoint {}", req.endpointId));
    }
    const std::string prefix = req.endpointId.substr(0, 11);
    const std::string host = "cali" + prefix;
    const std::string temp = "temp" + prefix;
    const std::string owner = "endpoint:" + req.endpointId;
    drivers::Link a;
    a.name = host;
    a.kind = drivers::LinkKind::Veth;
    a.mac = drivers::kernelMac(m_host + "/" + host);
    a.peerName = temp;
    drivers::Link b;
    b.name = temp;
    b.kind = drivers::LinkKind::Veth;
    b.mac = drivers::Mac{0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
    b.peerName = host;
    m_plan.add(owner, a);
    m_plan.add(owner, b);
    // Felix: answer ARP for 169.254.1.1 (and anything) on the host side, and
    // route the workload's /32 out of it.
    m_plan.set(owner, drivers::Sysctl{"", fmt::format("net.ipv4.conf.{}.proxy_arp", host), "1"});
    m_plan.set(owner, drivers::Sysctl{"", fmt::format("net.ipv4.neigh.{}.proxy_delay", host), "0"});
    const auto ip = Ipv4::parse(ep.value("ip", std::string()));
    m_plan.add(owner, drivers::Route{"", Cidr{*ip, 32}, std::nullopt, host, std::nullopt, false});
    // The endpoint's policy: its profile in both directions.
    const std::string profile = ep.value("profile", std::string());
    const std::string tw = "cali-tw-" + host;
    const std::string fw = "cali-fw-" + host;
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, tw, false, ""});
    m_plan.add(owner, drivers::NfChain{"", NfTable::Filter, fw, false, ""});
    m_plan.appendRule(owner, established(tw));
    m_plan.appendRule(owner,
                      filterRule(tw, NfVerdict::Jump, "cali-pri-" + profile,
                                 "The workload's profile (its network) decides what comes in.",
                                 "工作负载的 profile（它的网络）决定哪些流量可以进入。"));
    m_plan.appendRule(owner,
                      filterRule(tw, NfVerdict::Drop, "",
                                 "Drop if no profiles matched: only the network's own "
                                 "workloads may reach it.",
                                 "没有匹配的 profile 则丢弃：只有同一网络的工作负载可以访问它。"));
    m_plan.appendRule(owner, filterRule(fw, NfVerdict::Jump, "cali-pro-" + profile,
                                        "The workload's profile decides what it may send.",
                                        "工作负载的 profile 决定它可以发送什么。"));
    // Felix's dispatch uses goto (-g): a chain that returns goes back to
    // cali-FORWARD, not on to the dispatch's final DROP. A jump followed by a
    // RETURN for the same interface does the same.
    NfRule toBack = filterRule(kToDispatch, NfVerdict::Return, "",
                               "Back to cali-FORWARD once the workload's ingress policy let it in.",
                               "工作负载的入站策略放行后回到 cali-FORWARD。");
    toBack.match.outIf = host;
    m_plan.insertRule(owner, toBack);
    NfRule toIt = filterRule(kToDispatch, NfVerdict::Jump, tw,
                             "Felix dispatches packets for this workload to its ingress chain.",
                             "Felix 把发往该工作负载的数据包交给其入站链。");
    toIt.match.outIf = host;
    m_plan.insertRule(owner, toIt);
    NfRule fromBack =
        filterRule(kFromDispatch, NfVerdict::Return, "",
                   "Back to cali-FORWARD once the workload's egress policy let it out.",
                   "工作负载的出站策略放行后回到 cali-FORWARD。");
    fromBack.match.inIf = host;
    m_plan.insertRule(owner, fromBack);
    NfRule fromIt = filterRule(kFromDispatch, NfVerdict::Jump, fw,
                               "Felix dispatches packets from this workload to its egress chain.",
                               "Felix 把来自该工作负载的数据包交给其出站链。");
    fromIt.match.inIf = host;
    m_plan.insertRule(owner, fromIt);
    remote::JoinResponse r;
    r.interfaceName = remote::InterfaceName{temp, "", "eth"};
    r.gateway = kGateway;
    r.staticRoutes.push_back({std::string(kGateway) + "/32", 1, ""});
    return r;
}

void CalicoPlugin::leave(const remote::EndpointRequest& req) {
    m_plan.removeOwnedBy("endpoint:" + req.endpointId);  // RemoveVeth, and Felix's state
}

// BIRD and Felix catching up with the datastore.
void CalicoPlugin::reconcile() {
    if (!m_options.address.empty()) {
        m_store->put("calico/nodes/" + m_host, Datastore::Json{{"address", m_options.address}});
    }
    // BGP: every other node advertises its blocks, next hop its address, and
    // each address it holds in a block affine to another node as a /32
    // (BIRD exports a borrowed address on its own; the longer prefix wins).
    std::map<std::string, std::pair<drivers::Route, std::string>> routes;
    std::vector<std::pair<Cidr, std::string>> blocks;
    std::vector<std::pair<Ipv4, std::string>> held;
    for (const auto& [k, v] : m_store->list("calico/ipam/")) {
        if (k.find("/blocks/") != std::string::npos) {
            const auto block = Cidr::parse(v.value("block", std::string()));
            if (block) {
                blocks.emplace_back(*block, v.value("host", std::string()));
            }
        } else if (k.find("/ips/") != std::string::npos) {
            const auto ip = Ipv4::parse(v.value("ip", std::string()));
            if (ip) {
                held.emplace_back(*ip, v.value("host", std::string()));
            }
        }
    }
    auto nextHop = [this](const std::string& owner) {
        const Datastore::Json node = m_store->get("calico/nodes/" + owner);
        return Ipv4::parse(node.is_object() ? node.value("address", "") : "");
    };
    for (const auto& [ip, owner] : held) {
        const auto next = nextHop(owner);
        const auto block = std::find_if(blocks.begin(), blocks.end(),
                                        [&ip = ip](const auto& b) { return b.first.contains(ip); });
        if (owner == m_host || !next || block == blocks.end() || block->second == owner) {
            continue;
        }
        const Cidr host{ip, 32};
        routes["bgp:" + host.str()] = {
            drivers::Route{"", host, next, kLanDevice, std::nullopt, false},
            fmt::format("BGP: {} (BIRD, AS 64512) advertised {}, an address it holds in {}'s "
                        "block {}, with next hop {}; BIRD on {} installed the route {} via {} "
                        "dev {} proto bird",
                        owner, host.str(), block->second, block->first.str(), next->str(), m_host,
                        host.str(), next->str(), kLanDevice)};
    }
    for (const auto& [b, owner] : blocks) {
        const auto next = nextHop(owner);
        const std::optional<Cidr> block = b;
        if (owner == m_host || !next) {
            continue;
        }
        routes["bgp:" + block->str()] = {
            drivers::Route{"", *block, next, kLanDevice, std::nullopt, false},
            fmt::format("BGP: {} (BIRD, AS 64512) advertised its block {} with next hop {}; "
                        "BIRD on {} installed the route {} via {} dev {} proto bird",
                        owner, block->str(), next->str(), m_host, block->str(), next->str(),
                        kLanDevice)};
    }
    converge<std::pair<drivers::Route, std::string>>(
        m_plan, m_routes, routes,
        [this](const std::string& owner, const std::pair<drivers::Route, std::string>& r) {
            m_plan.add(owner, r.first, r.second);
        });
    // Profiles: each network's ingress lets in its members, on every host.
    std::map<std::string, NfRule> members;
    for (const auto& [k, v] : m_store->list("calico/endpoints/")) {
        const std::string profile = v.value("profile", std::string());
        const auto ip = Ipv4::parse(v.value("ip", std::string()));
        bool here = false;
        for (const auto& [id, p] : m_networks) {
            here = here || p == profile;
        }
        if (!here || !ip) {
            continue;
        }
        NfRule r =
            filterRule("cali-pri-" + profile, NfVerdict::Accept, "",
                       fmt::format("{} is a workload of the profile's network (tag {}): the "
                                   "profile lets it in.",
                                   ip->str(), profile),
                       fmt::format("{} 是该 profile 网络（标签 {}）的工作负载：profile 放行它。",
                                   ip->str(), profile));
        r.match.src = Cidr{*ip, 32};
        members["member:" + k.substr(k.rfind('/') + 1)] = r;
    }
    converge<NfRule>(m_plan, m_members, members, [this](const std::string& owner, const NfRule& r) {
        m_plan.appendRule(owner, r);
    });
}

}  // namespace cnmlab::plugins

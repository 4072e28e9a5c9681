#include "drivers/remote_check.hpp"

#include <net/if.h>

#include <algorithm>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "drivers/go_json.hpp"
#include "drivers/remote_api.hpp"
#include "model/ip.hpp"
#include "model/topology.hpp"

namespace cnmlab::drivers::remote {

namespace {

// Go's net.ParseCIDR, IPv4 only (the check sends no IPv6).
std::optional<model::Cidr> parseCidr(const std::string& s) {
    return model::Cidr::parse(s);
}
std::optional<model::Ipv4> parseIp(const std::string& s) {
    return model::Ipv4::parse(s);
}
bool parseMac(const std::string& s) {
    return model::parseMac(s).has_value();
}

class Checker {
public:
    Checker(Transport& plugin, CheckReport& report) : m_plugin(plugin), m_report(report) {}

    // Posts one call and reads its reply as T. Returns the reply when it decoded;
    // problems (or, for `tolerated` ones, notes) go into the step.
    template <typename T>
    std::optional<T> call(const std::string& why, const char* path, const std::optional<Json>& req,
                          bool errorsAreWarnings = false, bool notFoundIsFine = false) {
        CheckStep step;
        step.why = why;
        step.path = path;
        // json.Encoder: the value, then a newline; no body for a nil argument.
        step.request = req ? req->dump() + "\n" : std::string();
        step.reply = m_plugin.post(path, step.request);
        auto& out = errorsAreWarnings ? step.notes : step.problems;
        std::optional<T> result;
        if (step.reply.status != 200) {
            if (step.reply.status == 404 && notFoundIsFine) {
                step.notes.emplace_back(
                    "not implemented (404): libnetwork does not require this call yet");
            } else {
                out.emplace_back(statusErrorText(path, step.reply));
            }
        } else {
            const auto j = Json::parse(step.reply.body, nullptr, false);
            if (const auto bad = goJsonSyntaxError(step.reply.body)) {
                out.emplace_back(*bad);
            } else if (j.is_discarded()) {
                out.emplace_back("the reply is JSON Go reads but cnmlab cannot");
            } else {
                try {
                    result = fromJson<T>(j);
                } catch (const DecodeError& e) {
                    out.emplace_back(e.what());
                }
            }
        }
        if (errorsAreWarnings && !step.notes.empty() && step.notes.back().find("404") != 0) {
            step.notes.back() += " (dockerd logs this as a warning and goes on)";
        }
        m_report.steps.push_back(std::move(step));
        return result;
    }

    CheckStep& last() { return m_report.steps.back(); }

    // libnetwork's call(): a reply whose Err (IPAM: Error) is set is an error.
    void remoteErr(const std::string& err, bool warning = false) {
        if (!err.empty()) {
            (warning ? last().notes : last().problems).push_back("remote: " + err);
        }
    }

private:
    Transport& m_plugin;
    CheckReport& m_report;
};

struct Endpoint {
    std::string id;
    std::string address;  // CIDR
    std::string sandboxKey;
    bool gateway = false;  // Join gave one: the sandbox's gateway endpoint
};

void checkCapabilities(const CapabilitiesResponse& c, CheckStep& step, Checker& ck) {
    ck.remoteErr(c.err);
    if (c.scope != "global" && c.scope != "local") {
        step.problems.emplace_back(
            fmt::format("invalid capability: expecting 'local' or 'global', got {}", c.scope));
    }
    if (!c.connectivityScope.empty() && c.connectivityScope != "global" &&
        c.connectivityScope != "local") {
        // libnetwork's message names Scope here, not ConnectivityScope.
        step.problems.emplace_back(fmt::format(
            "invalid capability: expecting 'local' or 'global', got {} (ConnectivityScope is {})",
            c.scope, c.connectivityScope));
    }
}

void checkCreateEndpoint(const CreateEndpointResponse& r, const Endpoint& ep, CheckStep& step,
                         Checker& ck) {
    ck.remoteErr(r.err);
    if (!r.interface) {
        return;
    }
    const auto& i = *r.interface;
    if (!i.address.empty() && !parseCidr(i.address)) {
        step.problems.emplace_back(fmt::format("invalid CIDR address: {}", i.address));
    } else if (!i.address.empty()) {
        // IPAM gave the endpoint its address before CreateEndpoint: a driver may
        // not change it (endpointInterface.SetIPAddress).
        step.problems.emplace_back(fmt::format(
            "driver modified interface address: endpoint interface IP present ({}). Cannot be "
            "modified with ({}).; rolled back (dockerd then calls DeleteEndpoint)",
            ep.address, parseCidr(i.address)->str()));
    }
    if (!i.addressIpv6.empty()) {
        step.problems.emplace_back(
            fmt::format("the network has no IPv6: an AddressIPv6 ({}) is refused", i.addressIpv6));
    }
    if (!i.macAddress.empty() && !parseMac(i.macAddress)) {
        step.problems.emplace_back(fmt::format("address {}: invalid MAC address", i.macAddress));
    }
}

void checkJoin(const JoinResponse& r, CheckStep& step, Checker& ck) {
    ck.remoteErr(r.err);
    if (!r.gateway.empty() && !parseIp(r.gateway)) {
        step.problems.emplace_back(fmt::format("unable to parse Gateway \"{}\"", r.gateway));
    }
    if (!r.gatewayIpv6.empty()) {
        step.notes.emplace_back("GatewayIPv6 is ignored on a network without IPv6");
    }
    for (const auto& route : r.staticRoutes) {
        if (!route.destination.empty() && !parseCidr(route.destination)) {
            step.problems.emplace_back(fmt::format("invalid CIDR address: {}", route.destination));
        }
        if (!route.nextHop.empty() && !parseIp(route.nextHop)) {
            step.problems.emplace_back(fmt::format("failed to parse nexthop IP {}", route.nextHop));
        }
        if (route.routeType == 0 && route.nextHop.empty()) {
            step.problems.emplace_back(fmt::format(
                "static route to {} has RouteType 0 (via a next hop) but no NextHop: the "
                "sandbox cannot add it",
                route.destination));
        }
    }
    if (!r.interfaceName || r.interfaceName->srcName.empty()) {
        step.notes.emplace_back("no InterfaceName.SrcName: the container gets no interface on this "
                                "network");
        return;
    }
    const auto& name = *r.interfaceName;
    if (name.srcName.size() > 15) {
        step.problems.emplace_back(
            fmt::format("SrcName \"{}\" is longer than the kernel's 15 characters", name.srcName));
    } else if (::if_nametoindex(name.srcName.c_str()) == 0) {
        step.notes.emplace_back(fmt::format(
            "no interface \"{}\" in this network namespace: a dockerd beside the plugin would fail "
            "to move it into the container (Link not found)",
            name.srcName));
    }
    if (name.dstPrefix.empty()) {
        step.problems.emplace_back(
            "InterfaceName.DstPrefix is empty: the interface would be named by "
            "its index alone");
    }
}

}  // namespace

std::size_t CheckReport::firstRejection() const {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!steps[i].problems.empty()) {
            return i;
        }
    }
    return steps.size();
}

std::size_t CheckReport::problemCount() const {
    std::size_t n = 0;
    for (const auto& s : steps) {
        n += s.problems.size();
    }
    return n;
}

CheckReport checkPlugin(Transport& plugin, const CheckOptions& options) {
    CheckReport report;
    report.address = plugin.address();
    Checker ck(plugin, report);
    try {
        // ---- docker network create -d NAME ----
        const auto manifest = ck.call<ActivateResponse>("the daemon activates the plugin",
                                                        path::kActivate, std::nullopt);
        const auto has = [&](const char* what) {
            return manifest && std::find(manifest->implements.begin(), manifest->implements.end(),
                                         what) != manifest->implements.end();
        };
        if (manifest && !has("NetworkDriver")) {
            ck.last().problems.emplace_back(
                "Plugin does not implement the requested driver (its Implements lacks "
                "\"NetworkDriver\")");
        }
        const bool ipam = has("IpamDriver");

        bool global = false;
        if (auto caps = ck.call<CapabilitiesResponse>("libnetwork registers the network driver",
                                                      path::kGetCapabilities, std::nullopt)) {
            checkCapabilities(*caps, ck.last(), ck);
            global = caps->scope == "global";
        }
        const std::string space = global ? "GlobalDefault" : "LocalDefault";

        // Addresses: the plugin's own IPAM when it implements one, else
        // libnetwork's default IPAM (172.18.0.0/16 on a fresh daemon).
        std::string poolId;
        std::string pool = "172.18.0.0/16";
        std::string gateway = "172.18.0.1/16";
        std::vector<std::string> addresses = {"172.18.0.2/16", "172.18.0.3/16"};
        std::string ipamSpace = space;
        bool gatewayGiven = false;
        if (ipam) {
            if (auto c = ck.call<IpamCapabilitiesResponse>(
                    "the daemon registers the plugin's IPAM driver", path::kIpamGetCapabilities,
                    std::nullopt)) {
                ck.remoteErr(c->error);
            }
            if (auto s = ck.call<AddressSpacesResponse>("libnetwork asks for its address spaces",
                                                        path::kIpamGetDefaultAddressSpaces,
                                                        std::nullopt)) {
                ck.remoteErr(s->error);
                ipamSpace = global ? s->globalDefaultAddressSpace : s->localDefaultAddressSpace;
            }
            RequestPoolRequest rp;
            rp.addressSpace = ipamSpace;
            if (auto r = ck.call<RequestPoolResponse>("docker network create: a pool",
                                                      path::kIpamRequestPool, toJson(rp))) {
                ck.remoteErr(r->error);
                poolId = r->poolId;
                if (const auto c = parseCidr(r->pool)) {
                    pool = r->pool;
                } else {
                    ck.last().problems.emplace_back(
                        fmt::format("invalid CIDR address: {}", r->pool));
                }
                // ipamAllocateVersion: a gateway in the pool's data is taken as
                // it is, and none is requested.
                if (const auto gw = r->data.find("com.docker.network.gateway");
                    gw != r->data.end()) {
                    gateway = gw->second;
                    gatewayGiven = true;
                    if (!parseCidr(gateway)) {
                        ck.last().problems.emplace_back(
                            fmt::format("invalid CIDR address: {}", gateway));
                    }
                }
            }
            const auto address = [&](const std::string& why,
                                     std::map<std::string, std::string> opts, std::string& into) {
                RequestAddressRequest ra;
                ra.poolId = poolId;
                ra.options = std::move(opts);
                if (auto r = ck.call<RequestAddressResponse>(why, path::kIpamRequestAddress,
                                                             toJson(ra))) {
                    ck.remoteErr(r->error);
                    if (r->address.empty()) {
                        ck.last().problems.emplace_back("No address returned");
                    } else if (!parseCidr(r->address)) {
                        ck.last().problems.emplace_back(
                            fmt::format("invalid CIDR address: {}", r->address));
                    } else {
                        into = r->address;
                    }
                }
            };
            if (!gatewayGiven) {
                address("docker network create: the gateway",
                        {{"RequestAddressType", "com.docker.network.gateway"}}, gateway);
            }
            address("docker run: the first container's address", {}, addresses[0]);
            address("docker run: the second container's address", {}, addresses[1]);
        }

        const std::string nid = model::objectId("plugin-check/network/" + options.networkName);
        CreateNetworkRequest cn;
        cn.networkId = nid;
        cn.options = Json::object();
        cn.options["com.docker.network.enable_ipv6"] = false;
        cn.options["com.docker.network.generic"] = Json::object();
        IpamData data;
        data.addressSpace = ipamSpace;
        data.pool = pool;
        data.gateway = gateway;
        cn.ipv4Data = std::vector<IpamData>{data};
        cn.ipv6Data = std::vector<IpamData>{};  // getIPData: an empty slice, not nil
        if (auto r = ck.call<ErrorResponse>("docker network create " + options.networkName,
                                            path::kCreateNetwork, toJson(cn))) {
            ck.remoteErr(r->err);
        }

        // ---- two containers: docker run --network NAME ----
        std::vector<Endpoint> eps;
        for (int i = 0; i < 2; ++i) {
            const std::string tag = fmt::format("c{}", i + 1);
            eps.push_back({model::objectId("plugin-check/endpoint/" + tag), addresses[i],
                           sandboxKey(model::objectId("plugin-check/sandbox/" + tag))});
        }
        for (std::size_t i = 0; i < eps.size(); ++i) {
            auto& ep = eps[i];
            const std::string who = fmt::format("docker run (container {})", i + 1);
            CreateEndpointRequest ce;
            ce.networkId = nid;
            ce.endpointId = ep.id;
            ce.interface = EndpointInterface{ep.address, "", ""};
            ce.options = endpointCreateOptions();
            if (auto r = ck.call<CreateEndpointResponse>(who + ": the endpoint",
                                                         path::kCreateEndpoint, toJson(ce))) {
                checkCreateEndpoint(*r, ep, ck.last(), ck);
            }
            JoinRequest j;
            j.networkId = nid;
            j.endpointId = ep.id;
            j.sandboxKey = ep.sandboxKey;
            j.options = sandboxOptions();
            if (auto r =
                    ck.call<JoinResponse>(who + ": join its sandbox", path::kJoin, toJson(j))) {
                checkJoin(*r, ck.last(), ck);
                // needDefaultGW: an endpoint without a gateway is not the
                // sandbox's gateway endpoint; docker_gwbridge is.
                ep.gateway = !r->gateway.empty();
                if (!ep.gateway) {
                    ck.last().notes.emplace_back(
                        r->disableGatewayService
                            ? "no Gateway and DisableGatewayService: the container gets no "
                              "default route from this network"
                            : "no Gateway: libnetwork adds docker_gwbridge for the container's "
                              "way out, and calls ProgramExternalConnectivity there, not here");
                }
            }
            if (ep.gateway) {
                ProgramExternalConnectivityRequest pe;
                pe.networkId = nid;
                pe.endpointId = ep.id;
                pe.options = sandboxOptions();
                if (auto r = ck.call<ErrorResponse>(
                        who + ": its gateway endpoint's external connectivity",
                        path::kProgramExternalConnectivity, toJson(pe), false, true)) {
                    ck.remoteErr(r->err);
                }
            }
            if (auto r = ck.call<EndpointInfoResponse>(
                    who + ": the endpoint's operational data (EndpointOperInfo, for inspect)",
                    path::kEndpointOperInfo, toJson(EndpointRequest{nid, ep.id}))) {
                ck.remoteErr(r->err);
            }
        }

        // ---- docker rm -f, then docker network rm ----
        for (std::size_t i = 0; i < eps.size(); ++i) {
            const auto& ep = eps[i];
            const std::string who = fmt::format("docker rm (container {})", i + 1);
            const Json req = toJson(EndpointRequest{nid, ep.id});
            if (ep.gateway) {
                if (auto r = ck.call<ErrorResponse>(who + ": revoke external connectivity",
                                                    path::kRevokeExternalConnectivity, req, true,
                                                    true)) {
                    ck.remoteErr(r->err, true);
                }
            }
            if (auto r =
                    ck.call<ErrorResponse>(who + ": leave the sandbox", path::kLeave, req, true)) {
                ck.remoteErr(r->err, true);
            }
            if (auto r = ck.call<ErrorResponse>(who + ": delete the endpoint",
                                                path::kDeleteEndpoint, req)) {
                ck.remoteErr(r->err);
            }
            if (ipam) {
                ReleaseAddressRequest ra{poolId, parseCidr(ep.address)
                                                     ? parseCidr(ep.address)->address.str()
                                                     : ep.address};
                if (auto r =
                        ck.call<IpamErrorResponse>(who + ": release its address",
                                                   path::kIpamReleaseAddress, toJson(ra), true)) {
                    ck.remoteErr(r->error, true);
                }
            }
        }
        if (auto r =
                ck.call<ErrorResponse>("docker network rm " + options.networkName,
                                       path::kDeleteNetwork, toJson(NetworkRequest{nid}), true)) {
            ck.remoteErr(r->err, true);
        }
        if (ipam) {
            if (auto r =
                    gatewayGiven
                        ? std::nullopt
                        : ck.call<IpamErrorResponse>(
                              "docker network rm: release the gateway", path::kIpamReleaseAddress,
                              toJson(ReleaseAddressRequest{
                                  poolId, parseCidr(gateway) ? parseCidr(gateway)->address.str()
                                                             : gateway}),
                              true)) {
                ck.remoteErr(r->error, true);
            }
            if (auto r = ck.call<IpamErrorResponse>("docker network rm: release the pool",
                                                    path::kIpamReleasePool,
                                                    toJson(ReleasePoolRequest{poolId}), true)) {
                ck.remoteErr(r->error, true);
            }
        }
    } catch (const TransportError& e) {
        report.unreachable = e.what();
    }
    return report;
}

namespace {
std::string indentJson(const std::string& body, const std::string& pad) {
    const auto j = Json::parse(body, nullptr, false);
    std::string text = j.is_discarded() ? body : j.dump(2);
    while (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        out += pad + text.substr(start, end - start) + "\n";
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return out;
}
}  // namespace

std::string formatCheckReport(const CheckReport& report) {
    std::string out = fmt::format("plugin at {}\n", report.address);
    const std::size_t stop = report.firstRejection();
    for (std::size_t i = 0; i < report.steps.size(); ++i) {
        const auto& s = report.steps[i];
        out += fmt::format("\n{}. {}\n-> POST {}\n", i + 1, s.why, s.path);
        out += s.request.empty() ? "     (no body)\n" : indentJson(s.request, "     ");
        out += fmt::format("<- {}\n", s.reply.status);
        out += s.reply.body.empty() ? "     (no body)\n" : indentJson(s.reply.body, "     ");
        for (const auto& p : s.problems) {
            out += fmt::format("   REJECTED: {}\n", p);
        }
        for (const auto& n : s.notes) {
            out += fmt::format("   note: {}\n", n);
        }
        if (i == stop) {
            out += "   (Docker stops here; the check goes on to show the rest)\n";
        }
    }
    if (!report.unreachable.empty()) {
        out += fmt::format("\n{}\n", report.unreachable);
    }
    const std::size_t n = report.problemCount();
    out += fmt::format(
        "\n{} calls, {}\n", report.steps.size(),
        n == 0 && report.unreachable.empty()
            ? std::string("every reply is one Docker 20.10 accepts")
            : fmt::format("{} {} Docker 20.10 would reject", n, n == 1 ? "problem" : "problems"));
    return out;
}

}  // namespace cnmlab::drivers::remote

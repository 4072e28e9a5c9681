#include "plugins/sdk/network_plugin.hpp"

#include <fmt/format.h>

#include "model/error.hpp"

namespace cnmlab::plugins {

namespace {

using remote::Json;
namespace path = remote::path;

remote::HttpReply ok(const Json& j) {
    return {200, j.dump() + "\n"};
}

Json emptyReply() {
    return remote::toJson(remote::ErrorResponse{});
}

template <typename T> T decode(const std::string& body) {
    // An empty body (the calls without arguments) reads as the zero value.
    const Json j = body.empty() ? Json() : Json::parse(body);
    return remote::fromJson<T>(j);
}

remote::HttpReply route(NetworkPlugin& p, const std::string& at, const std::string& body) {
    using namespace remote;
    if (at == path::kActivate) {
        ActivateResponse a;
        a.implements.emplace_back("NetworkDriver");
        if (p.servesIpam()) {
            a.implements.emplace_back("IpamDriver");
        }
        if (p.hostPlan() != nullptr) {
            a.implements.emplace_back(kPlanImplements);
        }
        return ok(toJson(a));
    }
    if (at == path::kPlanChanges && p.hostPlan() != nullptr) {
        const Json req = body.empty() ? Json::object() : Json::parse(body);
        const auto since = req.value("Since", std::size_t{0});
        p.reconcile();
        HostPlan& plan = *p.hostPlan();
        Json reply = Json::object();
        reply["Err"] = "";
        reply["Changes"] = plan.changesSince(since);
        reply["Next"] = plan.size();
        return ok(reply);
    }
    if (at == path::kGetCapabilities) {
        return ok(toJson(p.capabilities()));
    }
    if (at == path::kCreateNetwork) {
        p.createNetwork(decode<CreateNetworkRequest>(body));
        return ok(emptyReply());
    }
    if (at == path::kDeleteNetwork) {
        p.deleteNetwork(decode<NetworkRequest>(body));
        return ok(emptyReply());
    }
    if (at == path::kCreateEndpoint) {
        return ok(toJson(p.createEndpoint(decode<CreateEndpointRequest>(body))));
    }
    if (at == path::kEndpointOperInfo) {
        EndpointInfoResponse r;
        r.value = p.endpointOperInfo(decode<EndpointRequest>(body));
        return ok(toJson(r));
    }
    if (at == path::kDeleteEndpoint) {
        p.deleteEndpoint(decode<EndpointRequest>(body));
        return ok(emptyReply());
    }
    if (at == path::kJoin) {
        return ok(toJson(p.join(decode<JoinRequest>(body))));
    }
    if (at == path::kLeave) {
        p.leave(decode<EndpointRequest>(body));
        return ok(emptyReply());
    }
    if (at == path::kDiscoverNew) {
        p.discoverNew(decode<DiscoveryNotification>(body));
        return ok(emptyReply());
    }
    if (at == path::kDiscoverDelete) {
        p.discoverDelete(decode<DiscoveryNotification>(body));
        return ok(emptyReply());
    }
    if (at == path::kProgramExternalConnectivity) {
        p.programExternalConnectivity(decode<ProgramExternalConnectivityRequest>(body));
        return ok(emptyReply());
    }
    if (at == path::kRevokeExternalConnectivity) {
        p.revokeExternalConnectivity(decode<EndpointRequest>(body));
        return ok(emptyReply());
    }
    if (p.servesIpam()) {
        if (at == path::kIpamGetCapabilities) {
            return ok(toJson(IpamCapabilitiesResponse{}));
        }
        if (at == path::kIpamGetDefaultAddressSpaces) {
            return ok(toJson(p.addressSpaces()));
        }
        if (at == path::kIpamRequestPool) {
            return ok(toJson(p.requestPool(decode<RequestPoolRequest>(body))));
        }
        if (at == path::kIpamReleasePool) {
            p.releasePool(decode<ReleasePoolRequest>(body));
            return ok(toJson(IpamErrorResponse{}));
        }
        if (at == path::kIpamRequestAddress) {
            return ok(toJson(p.requestAddress(decode<RequestAddressRequest>(body))));
        }
        if (at == path::kIpamReleaseAddress) {
            p.releaseAddress(decode<ReleaseAddressRequest>(body));
            return ok(toJson(IpamErrorResponse{}));
        }
    }
    return {404, "404 page not found\n"};
}

}  // namespace

remote::HttpReply dispatch(NetworkPlugin& plugin, const std::string& path,
                           const std::string& body) {
    try {
        return route(plugin, path, body);
    } catch (const PluginError& e) {
        // go-plugins-helpers: errors are 500 with {"Err": message}.
        Json j = Json::object();
        j["Err"] = e.what();
        return {500, j.dump() + "\n"};
    } catch (const remote::DecodeError& e) {
        return {400, std::string(e.what()) + "\n"};
    } catch (const Json::exception& e) {
        return {400, fmt::format("{}\n", e.what())};
    } catch (const model::Error& e) {
        // The kernel refused what the plugin built (--live): an error for
        // dockerd, as any other, and the plugin keeps serving.
        Json j = Json::object();
        j["Err"] = e.what();
        return {500, j.dump() + "\n"};
    }
}

InProcessTransport::InProcessTransport(NetworkPlugin& plugin, std::string name, Observer observer)
    : m_plugin(plugin), m_name(std::move(name)), m_observer(std::move(observer)) {}

InProcessTransport::InProcessTransport(std::unique_ptr<NetworkPlugin> plugin, std::string name)
    : m_owned(std::move(plugin)), m_plugin(*m_owned), m_name(std::move(name)) {}

remote::HttpReply InProcessTransport::post(const std::string& path, const std::string& body) {
    remote::HttpReply reply = dispatch(m_plugin, path, body);
    if (m_observer) {
        m_observer(path, body, reply);
    }
    return reply;
}

std::string InProcessTransport::address() const {
    return "in-process plugin " + m_name;
}

}  // namespace cnmlab::plugins

#include "drivers/remote_api.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace cnmlab::drivers::remote {

namespace {

// Go's word for a JSON value's kind in Unmarshal errors.
const char* kindOf(const Json& j) {
    if (j.is_string()) {
        return "string";
    }
    if (j.is_number()) {
        return "number";
    }
    if (j.is_boolean()) {
        return "bool";
    }
    if (j.is_array()) {
        return "array";
    }
    return "object";
}

bool sameFold(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// One Go struct being read: its fields by Go's matching rules.
class Reader {
public:
    Reader(const Json& j, std::string type) : m_type(std::move(type)) {
        if (j.is_null()) {
            return;
        }
        if (!j.is_object()) {
            throw DecodeError(fmt::format("json: cannot unmarshal {} into Go value of type api.{}",
                                          kindOf(j), m_type));
        }
        m_obj = &j;
    }

    const Json* find(std::string_view name) const {
        if (m_obj == nullptr) {
            return nullptr;
        }
        if (auto it = m_obj->find(std::string(name)); it != m_obj->end()) {
            return &*it;
        }
        for (auto it = m_obj->begin(); it != m_obj->end(); ++it) {
            if (sameFold(it.key(), name)) {
                return &*it;
            }
        }
        return nullptr;
    }

    [[noreturn]] void wrong(const Json& j, std::string_view field, const char* goType) const {
        throw DecodeError(fmt::format("json: cannot unmarshal {} into Go struct field {}.{} of "
                                      "type {}",
                                      kindOf(j), m_type, field, goType));
    }

    std::string str(std::string_view field) const {
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return {};
        }
        if (!j->is_string()) {
            wrong(*j, field, "string");
        }
        return j->get<std::string>();
    }

    bool boolean(std::string_view field) const {
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return false;
        }
        if (!j->is_boolean()) {
            wrong(*j, field, "bool");
        }
        return j->get<bool>();
    }

    int integer(std::string_view field) const {
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return 0;
        }
        if (!j->is_number_integer()) {
            wrong(*j, field, "int");
        }
        return j->get<int>();
    }

    std::map<std::string, std::string> stringMap(std::string_view field) const {
        std::map<std::string, std::string> out;
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return out;
        }
        if (!j->is_object()) {
            wrong(*j, field, "map[string]string");
        }
        for (auto it = j->begin(); it != j->end(); ++it) {
            if (!it.value().is_string()) {
                wrong(it.value(), std::string(field) + "." + it.key(), "string");
            }
            out[it.key()] = it.value().get<std::string>();
        }
        return out;
    }

    Json anyObject(std::string_view field) const {  // map[string]interface{}
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return Json::object();
        }
        if (!j->is_object()) {
            wrong(*j, field, "map[string]interface {}");
        }
        return *j;
    }

    std::optional<Reader> nested(std::string_view field, const std::string& type) const {
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return std::nullopt;
        }
        if (!j->is_object()) {
            wrong(*j, field, type.c_str());
        }
        return Reader(*j, m_type + "." + std::string(field));
    }

    const Json* array(std::string_view field, const char* goType) const {
        const Json* j = find(field);
        if (j == nullptr || j->is_null()) {
            return nullptr;
        }
        if (!j->is_array()) {
            wrong(*j, field, goType);
        }
        return j;
    }

private:
    std::string m_type;
    const Json* m_obj = nullptr;
};

Json stringMapJson(const std::map<std::string, std::string>& m) {
    Json j = Json::object();
    for (const auto& [k, v] : m) {
        j[k] = v;
    }
    return j;
}

EndpointInterface readInterface(const Reader& r) {
    return EndpointInterface{r.str("Address"), r.str("AddressIPv6"), r.str("MacAddress")};
}

IpamData readIpamData(const Json& j) {
    const Reader r(j, "IPAMData");
    IpamData d;
    d.addressSpace = r.str("AddressSpace");
    if (r.find("Pool") != nullptr) {
        d.pool = r.str("Pool");
    }
    if (r.find("Gateway") != nullptr) {
        d.gateway = r.str("Gateway");
    }
    if (r.find("AuxAddresses") != nullptr) {
        d.auxAddresses = r.stringMap("AuxAddresses");
    }
    return d;
}

std::optional<std::vector<IpamData>> readIpamList(const Reader& r, std::string_view field) {
    const Json* a = r.array(field, "[]driverapi.IPAMData");
    if (a == nullptr) {
        return std::nullopt;
    }
    std::vector<IpamData> out;
    for (const auto& e : *a) {
        out.push_back(readIpamData(e));
    }
    return out;
}

Json ipamList(const std::optional<std::vector<IpamData>>& v) {
    if (!v) {
        return nullptr;
    }
    Json a = Json::array();
    for (const auto& d : *v) {
        a.push_back(toJson(d));
    }
    return a;
}

}  // namespace

// ---- writing ----------------------------------------------------------------------

Json toJson(const ActivateResponse& v) {
    return Json{{"Implements", v.implements}};
}

Json toJson(const CapabilitiesResponse& v) {
    return Json{{"Err", v.err}, {"Scope", v.scope}, {"ConnectivityScope", v.connectivityScope}};
}

Json toJson(const IpamData& v) {
    // IPAMData.MarshalJSON builds a map: Go writes map keys sorted.
    Json j = Json::object();
    j["AddressSpace"] = v.addressSpace;
    if (v.auxAddresses) {
        j["AuxAddresses"] = stringMapJson(*v.auxAddresses);
    }
    if (v.gateway) {
        j["Gateway"] = *v.gateway;
    }
    if (v.pool) {
        j["Pool"] = *v.pool;
    }
    return j;
}

Json toJson(const CreateNetworkRequest& v) {
    return Json{{"NetworkID", v.networkId},
                {"Options", v.options},
                {"IPv4Data", ipamList(v.ipv4Data)},
                {"IPv6Data", ipamList(v.ipv6Data)}};
}

Json toJson(const NetworkRequest& v) {
    return Json{{"NetworkID", v.networkId}};
}

Json toJson(const EndpointInterface& v) {
    return Json{
        {"Address", v.address}, {"AddressIPv6", v.addressIpv6}, {"MacAddress", v.macAddress}};
}

Json toJson(const CreateEndpointRequest& v) {
    return Json{{"NetworkID", v.networkId},
                {"EndpointID", v.endpointId},
                {"Interface", v.interface ? toJson(*v.interface) : Json(nullptr)},
                {"Options", v.options}};
}

Json toJson(const CreateEndpointResponse& v) {
    return Json{{"Err", v.err}, {"Interface", v.interface ? toJson(*v.interface) : Json(nullptr)}};
}

Json toJson(const EndpointRequest& v) {
    return Json{{"NetworkID", v.networkId}, {"EndpointID", v.endpointId}};
}

Json toJson(const EndpointInfoResponse& v) {
    return Json{{"Err", v.err}, {"Value", v.value}};
}

Json toJson(const JoinRequest& v) {
    return Json{{"NetworkID", v.networkId},
                {"EndpointID", v.endpointId},
                {"SandboxKey", v.sandboxKey},
                {"Options", v.options}};
}

Json toJson(const JoinResponse& v) {
    Json routes = Json::array();
    for (const auto& r : v.staticRoutes) {
        routes.push_back(Json{
            {"Destination", r.destination}, {"RouteType", r.routeType}, {"NextHop", r.nextHop}});
    }
    Json name = nullptr;
    if (v.interfaceName) {
        name = Json{{"SrcName", v.interfaceName->srcName},
                    {"DstName", v.interfaceName->dstName},
                    {"DstPrefix", v.interfaceName->dstPrefix}};
    }
    return Json{{"Err", v.err},
                {"InterfaceName", name},
                {"Gateway", v.gateway},
                {"GatewayIPv6", v.gatewayIpv6},
                {"StaticRoutes", v.staticRoutes.empty() ? Json(nullptr) : routes},
                {"DisableGatewayService", v.disableGatewayService}};
}

Json toJson(const ProgramExternalConnectivityRequest& v) {
    return Json{{"NetworkID", v.networkId}, {"EndpointID", v.endpointId}, {"Options", v.options}};
}

Json toJson(const DiscoveryNotification& v) {
    return Json{{"DiscoveryType", v.discoveryType}, {"DiscoveryData", v.discoveryData}};
}

Json toJson(const ErrorResponse& v) {
    return Json{{"Err", v.err}};
}

Json toJson(const IpamCapabilitiesResponse& v) {
    return Json{{"Error", v.error},
                {"RequiresMACAddress", v.requiresMacAddress},
                {"RequiresRequestReplay", v.requiresRequestReplay}};
}

Json toJson(const AddressSpacesResponse& v) {
    return Json{{"Error", v.error},
                {"LocalDefaultAddressSpace", v.localDefaultAddressSpace},
                {"GlobalDefaultAddressSpace", v.globalDefaultAddressSpace}};
}

Json toJson(const RequestPoolRequest& v) {
    return Json{{"AddressSpace", v.addressSpace},
                {"Pool", v.pool},
                {"SubPool", v.subPool},
                {"Options", stringMapJson(v.options)},
                {"V6", v.v6}};
}

Json toJson(const RequestPoolResponse& v) {
    return Json{{"Error", v.error},
                {"PoolID", v.poolId},
                {"Pool", v.pool},
                {"Data", stringMapJson(v.data)}};
}

Json toJson(const ReleasePoolRequest& v) {
    return Json{{"PoolID", v.poolId}};
}

Json toJson(const RequestAddressRequest& v) {
    return Json{
        {"PoolID", v.poolId}, {"Address", v.address}, {"Options", stringMapJson(v.options)}};
}

Json toJson(const RequestAddressResponse& v) {
    return Json{{"Error", v.error}, {"Address", v.address}, {"Data", stringMapJson(v.data)}};
}

Json toJson(const ReleaseAddressRequest& v) {
    return Json{{"PoolID", v.poolId}, {"Address", v.address}};
}

Json toJson(const IpamErrorResponse& v) {
    return Json{{"Error", v.error}};
}

// ---- reading ----------------------------------------------------------------------

template <> ActivateResponse fromJson<ActivateResponse>(const Json& j) {
    const Reader r(j, "Manifest");
    ActivateResponse v;
    if (const Json* a = r.array("Implements", "[]string")) {
        for (const auto& e : *a) {
            if (!e.is_string()) {
                r.wrong(e, "Implements", "string");
            }
            v.implements.push_back(e.get<std::string>());
        }
    }
    return v;
}

template <> CapabilitiesResponse fromJson<CapabilitiesResponse>(const Json& j) {
    const Reader r(j, "GetCapabilityResponse");
    return CapabilitiesResponse{r.str("Err"), r.str("Scope"), r.str("ConnectivityScope")};
}

template <> CreateNetworkRequest fromJson<CreateNetworkRequest>(const Json& j) {
    const Reader r(j, "CreateNetworkRequest");
    return CreateNetworkRequest{r.str("NetworkID"), r.anyObject("Options"),
                                readIpamList(r, "IPv4Data"), readIpamList(r, "IPv6Data")};
}

template <> NetworkRequest fromJson<NetworkRequest>(const Json& j) {
    return NetworkRequest{Reader(j, "DeleteNetworkRequest").str("NetworkID")};
}

template <> CreateEndpointRequest fromJson<CreateEndpointRequest>(const Json& j) {
    const Reader r(j, "CreateEndpointRequest");
    CreateEndpointRequest v{r.str("NetworkID"), r.str("EndpointID"), std::nullopt,
                            r.anyObject("Options")};
    if (auto i = r.nested("Interface", "api.EndpointInterface")) {
        v.interface = readInterface(*i);
    }
    return v;
}

template <> CreateEndpointResponse fromJson<CreateEndpointResponse>(const Json& j) {
    const Reader r(j, "CreateEndpointResponse");
    CreateEndpointResponse v{r.str("Err"), std::nullopt};
    if (auto i = r.nested("Interface", "api.EndpointInterface")) {
        v.interface = readInterface(*i);
    }
    return v;
}

template <> EndpointRequest fromJson<EndpointRequest>(const Json& j) {
    const Reader r(j, "EndpointRequest");
    return EndpointRequest{r.str("NetworkID"), r.str("EndpointID")};
}

template <> EndpointInfoResponse fromJson<EndpointInfoResponse>(const Json& j) {
    const Reader r(j, "EndpointInfoResponse");
    return EndpointInfoResponse{r.str("Err"), r.anyObject("Value")};
}

template <> JoinRequest fromJson<JoinRequest>(const Json& j) {
    const Reader r(j, "JoinRequest");
    return JoinRequest{r.str("NetworkID"), r.str("EndpointID"), r.str("SandboxKey"),
                       r.anyObject("Options")};
}

template <> JoinResponse fromJson<JoinResponse>(const Json& j) {
    const Reader r(j, "JoinResponse");
    JoinResponse v;
    v.err = r.str("Err");
    if (auto n = r.nested("InterfaceName", "api.InterfaceName")) {
        v.interfaceName = InterfaceName{n->str("SrcName"), n->str("DstName"), n->str("DstPrefix")};
    }
    v.gateway = r.str("Gateway");
    v.gatewayIpv6 = r.str("GatewayIPv6");
    if (const Json* a = r.array("StaticRoutes", "[]api.StaticRoute")) {
        for (const auto& e : *a) {
            const Reader s(e, "JoinResponse.StaticRoutes");
            v.staticRoutes.push_back(
                StaticRoute{s.str("Destination"), s.integer("RouteType"), s.str("NextHop")});
        }
    }
    v.disableGatewayService = r.boolean("DisableGatewayService");
    return v;
}

template <>
ProgramExternalConnectivityRequest fromJson<ProgramExternalConnectivityRequest>(const Json& j) {
    const Reader r(j, "ProgramExternalConnectivityRequest");
    return ProgramExternalConnectivityRequest{r.str("NetworkID"), r.str("EndpointID"),
                                              r.anyObject("Options")};
}

template <> DiscoveryNotification fromJson<DiscoveryNotification>(const Json& j) {
    const Reader r(j, "DiscoveryNotification");
    const Json* data = r.find("DiscoveryData");
    return DiscoveryNotification{r.integer("DiscoveryType"), data != nullptr ? *data : Json()};
}

template <> ErrorResponse fromJson<ErrorResponse>(const Json& j) {
    return ErrorResponse{Reader(j, "Response").str("Err")};
}

template <> IpamCapabilitiesResponse fromJson<IpamCapabilitiesResponse>(const Json& j) {
    const Reader r(j, "GetCapabilityResponse");
    return IpamCapabilitiesResponse{r.str("Error"), r.boolean("RequiresMACAddress"),
                                    r.boolean("RequiresRequestReplay")};
}

template <> AddressSpacesResponse fromJson<AddressSpacesResponse>(const Json& j) {
    const Reader r(j, "GetAddressSpacesResponse");
    return AddressSpacesResponse{r.str("Error"), r.str("LocalDefaultAddressSpace"),
                                 r.str("GlobalDefaultAddressSpace")};
}

template <> RequestPoolRequest fromJson<RequestPoolRequest>(const Json& j) {
    const Reader r(j, "RequestPoolRequest");
    return RequestPoolRequest{r.str("AddressSpace"), r.str("Pool"), r.str("SubPool"),
                              r.stringMap("Options"), r.boolean("V6")};
}

template <> RequestPoolResponse fromJson<RequestPoolResponse>(const Json& j) {
    const Reader r(j, "RequestPoolResponse");
    return RequestPoolResponse{r.str("Error"), r.str("PoolID"), r.str("Pool"), r.stringMap("Data")};
}

template <> ReleasePoolRequest fromJson<ReleasePoolRequest>(const Json& j) {
    return ReleasePoolRequest{Reader(j, "ReleasePoolRequest").str("PoolID")};
}

template <> RequestAddressRequest fromJson<RequestAddressRequest>(const Json& j) {
    const Reader r(j, "RequestAddressRequest");
    return RequestAddressRequest{r.str("PoolID"), r.str("Address"), r.stringMap("Options")};
}

template <> RequestAddressResponse fromJson<RequestAddressResponse>(const Json& j) {
    const Reader r(j, "RequestAddressResponse");
    return RequestAddressResponse{r.str("Error"), r.str("Address"), r.stringMap("Data")};
}

template <> ReleaseAddressRequest fromJson<ReleaseAddressRequest>(const Json& j) {
    const Reader r(j, "ReleaseAddressRequest");
    return ReleaseAddressRequest{r.str("PoolID"), r.str("Address")};
}

template <> IpamErrorResponse fromJson<IpamErrorResponse>(const Json& j) {
    return IpamErrorResponse{Reader(j, "Response").str("Error")};
}

Json endpointCreateOptions() {
    Json o = Json::object();  // Go writes map keys sorted
    o["com.docker.network.endpoint.exposedports"] = Json::array();
    o["com.docker.network.portmap"] = Json::array();
    return o;
}

Json sandboxOptions() {
    return endpointCreateOptions();
}

std::string sandboxKey(const std::string& sandboxId) {
    return "/var/run/docker/netns/" + sandboxId.substr(0, 12);
}

}  // namespace cnmlab::drivers::remote

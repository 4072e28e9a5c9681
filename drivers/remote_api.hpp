#pragma once
// Docker's remote driver protocol, as libnetwork 20.10 speaks it
// (drivers/remote/api/api.go, ipams/remote/api/api.go, pkg/plugins): every
// request and reply of a remote network driver and a remote IPAM driver as
// plain data, with their JSON exactly as Go's encoding/json writes and reads
// it. Writing: the structs' fields in Go's order, every field (no omitempty),
// a nil slice or map as null. Reading: keys matched as Go matches them (the
// exact name, else case-insensitively), unknown keys ignored, a missing key
// the zero value, and a value of the wrong JSON type an error in Go's words,
// which is what dockerd reports for a plugin that answers so. Both ends use
// this: libnetwork's (the remote driver in drivers/) and the plugins'
// (plugins/). The HTTP around it: POST, Content-Type
// application/vnd.docker.plugins.v1.2+json, over a unix socket.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cnmlab::drivers::remote {

using Json = nlohmann::ordered_json;

inline constexpr const char* kMediaType = "application/vnd.docker.plugins.v1.2+json";

// The paths dockerd POSTs to.
namespace path {
inline constexpr const char* kActivate = "/Plugin.Activate";
inline constexpr const char* kGetCapabilities = "/NetworkDriver.GetCapabilities";
inline constexpr const char* kCreateNetwork = "/NetworkDriver.CreateNetwork";
inline constexpr const char* kDeleteNetwork = "/NetworkDriver.DeleteNetwork";
inline constexpr const char* kCreateEndpoint = "/NetworkDriver.CreateEndpoint";
inline constexpr const char* kEndpointOperInfo = "/NetworkDriver.EndpointOperInfo";
inline constexpr const char* kDeleteEndpoint = "/NetworkDriver.DeleteEndpoint";
inline constexpr const char* kJoin = "/NetworkDriver.Join";
inline constexpr const char* kLeave = "/NetworkDriver.Leave";
inline constexpr const char* kDiscoverNew = "/NetworkDriver.DiscoverNew";
inline constexpr const char* kDiscoverDelete = "/NetworkDriver.DiscoverDelete";
inline constexpr const char* kProgramExternalConnectivity =
    "/NetworkDriver.ProgramExternalConnectivity";
inline constexpr const char* kRevokeExternalConnectivity =
    "/NetworkDriver.RevokeExternalConnectivity";
inline constexpr const char* kIpamGetCapabilities = "/IpamDriver.GetCapabilities";
inline constexpr const char* kIpamGetDefaultAddressSpaces = "/IpamDriver.GetDefaultAddressSpaces";
inline constexpr const char* kIpamRequestPool = "/IpamDriver.RequestPool";
inline constexpr const char* kIpamReleasePool = "/IpamDriver.ReleasePool";
inline constexpr const char* kIpamRequestAddress = "/IpamDriver.RequestAddress";
inline constexpr const char* kIpamReleaseAddress = "/IpamDriver.ReleaseAddress";
// cnmlab's extension (a plugin that implements "CnmlabPlan"): what the plugin
// has built in its host's namespace, as Plan objects, since a journal index
// ({"Since": N} -> {"Err": "", "Changes": [...], "Next": M}). dockerd never
// calls it; a plugin that lacks it runs live but cannot be simulated.
inline constexpr const char* kPlanChanges = "/CnmlabPlan.Changes";
}  // namespace path

inline constexpr const char* kPlanImplements = "CnmlabPlan";

// A reply that does not read as its Go type: the message dockerd gives
// ("json: cannot unmarshal number into Go struct field
// JoinResponse.Gateway of type string").
class DecodeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---- the plugin handshake -----------------------------------------------------

struct ActivateResponse {                 // pkg/plugins Manifest
    std::vector<std::string> implements;  // "NetworkDriver", "IpamDriver"
};

// ---- NetworkDriver --------------------------------------------------------------

struct CapabilitiesResponse {
    std::string err;
    std::string scope;              // "local" or "global"
    std::string connectivityScope;  // "" (= scope), "local" or "global"
};

// driverapi.IPAMData (its own MarshalJSON): addresses in CIDR form.
struct IpamData {
    std::string addressSpace;
    std::optional<std::string> pool;
    std::optional<std::string> gateway;
    std::optional<std::map<std::string, std::string>> auxAddresses;
};

struct CreateNetworkRequest {
    std::string networkId;
    Json options = Json::object();  // map[string]interface{}: the generic options
    std::optional<std::vector<IpamData>> ipv4Data;
    std::optional<std::vector<IpamData>> ipv6Data;  // nil (null) without IPv6
};

struct NetworkRequest {  // DeleteNetworkRequest
    std::string networkId;
};

struct EndpointInterface {
    std::string address;  // CIDR, "" when the driver is to choose
    std::string addressIpv6;
    std::string macAddress;
};

struct CreateEndpointRequest {
    std::string networkId;
    std::string endpointId;
    std::optional<EndpointInterface> interface;
    Json options = Json::object();
};

struct CreateEndpointResponse {
    std::string err;
    std::optional<EndpointInterface> interface;  // only what the request left empty
};

// DeleteEndpoint, EndpointOperInfo, Leave, RevokeExternalConnectivity.
struct EndpointRequest {
    std::string networkId;
    std::string endpointId;
};

struct EndpointInfoResponse {
    std::string err;
    Json value = Json::object();
};

struct JoinRequest {
    std::string networkId;
    std::string endpointId;
    std::string sandboxKey;
    Json options = Json::object();
};

struct InterfaceName {
    std::string srcName;    // the interface the driver made, in the host namespace
    std::string dstName;    // (unused by libnetwork)
    std::string dstPrefix;  // the name prefix in the sandbox: eth -> eth0, eth1 ...
};

struct StaticRoute {
    std::string destination;  // CIDR
    int routeType = 0;        // 0: via NextHop, 1: connected (types.CONNECTED)
    std::string nextHop;
};

struct JoinResponse {
    std::string err;
    std::optional<InterfaceName> interfaceName;
    std::string gateway;
    std::string gatewayIpv6;
    std::vector<StaticRoute> staticRoutes;
    bool disableGatewayService = false;
};

struct ProgramExternalConnectivityRequest {
    std::string networkId;
    std::string endpointId;
    Json options = Json::object();
};

struct DiscoveryNotification {
    int discoveryType =
        0;  // discoverapi: 1 NodeDiscovery, 2 DatastoreConfig, 3 EncryptionKeysConfig ...
    Json discoveryData;
};

// Every reply without fields of its own: {"Err": ""}.
struct ErrorResponse {
    std::string err;
};

// ---- IpamDriver -----------------------------------------------------------------

struct IpamCapabilitiesResponse {
    std::string error;
    bool requiresMacAddress = false;
    bool requiresRequestReplay = false;
};

struct AddressSpacesResponse {
    std::string error;
    std::string localDefaultAddressSpace;
    std::string globalDefaultAddressSpace;
};

struct RequestPoolRequest {
    std::string addressSpace;
    std::string pool;
    std::string subPool;
    std::map<std::string, std::string> options;
    bool v6 = false;
};

struct RequestPoolResponse {
    std::string error;
    std::string poolId;
    std::string pool;  // CIDR
    std::map<std::string, std::string> data;
};

struct ReleasePoolRequest {
    std::string poolId;
};

struct RequestAddressRequest {
    std::string poolId;
    std::string address;  // "" for any
    std::map<std::string, std::string> options;
};

struct RequestAddressResponse {
    std::string error;
    std::string address;  // CIDR
    std::map<std::string, std::string> data;
};

struct ReleaseAddressRequest {
    std::string poolId;
    std::string address;
};

struct IpamErrorResponse {  // ReleasePool, ReleaseAddress: {"Error": ""}
    std::string error;
};

// ---- what dockerd 20.10 sends as options (recorded from a real daemon) -----------

// CreateEndpoint's Options for a container without ports or --dns: the
// endpoint's exposed ports and port map, always present.
Json endpointCreateOptions();
// Join's and ProgramExternalConnectivity's Options (sb.Labels()) for such a
// container: the sandbox's exposed ports and port map.
Json sandboxOptions();
// The sandbox key Join names: dockerd's netns directory (exec root
// /var/run/docker) and 12 hex digits of the sandbox id.
std::string sandboxKey(const std::string& sandboxId);

// ---- JSON, both ways ------------------------------------------------------------
// toJson writes what Go's json.Marshal writes; fromJson<T> reads like
// json.Unmarshal into T (throws DecodeError).

Json toJson(const ActivateResponse& v);
Json toJson(const CapabilitiesResponse& v);
Json toJson(const IpamData& v);
Json toJson(const CreateNetworkRequest& v);
Json toJson(const NetworkRequest& v);
Json toJson(const EndpointInterface& v);
Json toJson(const CreateEndpointRequest& v);
Json toJson(const CreateEndpointResponse& v);
Json toJson(const EndpointRequest& v);
Json toJson(const EndpointInfoResponse& v);
Json toJson(const JoinRequest& v);
Json toJson(const JoinResponse& v);
Json toJson(const ProgramExternalConnectivityRequest& v);
Json toJson(const DiscoveryNotification& v);
Json toJson(const ErrorResponse& v);
Json toJson(const IpamCapabilitiesResponse& v);
Json toJson(const AddressSpacesResponse& v);
Json toJson(const RequestPoolRequest& v);
Json toJson(const RequestPoolResponse& v);
Json toJson(const ReleasePoolRequest& v);
Json toJson(const RequestAddressRequest& v);
Json toJson(const RequestAddressResponse& v);
Json toJson(const ReleaseAddressRequest& v);
Json toJson(const IpamErrorResponse& v);

template <typename T> T fromJson(const Json& j);

}  // namespace cnmlab::drivers::remote

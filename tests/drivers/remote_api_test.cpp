// Docker's remote driver protocol as data: the JSON libnetwork writes and how
// it reads a plugin's replies (drivers/remote_api.hpp), checked against what
// Go's encoding/json does with libnetwork 20.10's api structs.
#include <gtest/gtest.h>

#include "drivers/go_json.hpp"
#include "drivers/remote_api.hpp"

using namespace cnmlab::drivers::remote;

namespace {

std::string decodeError(const char* text) {
    try {
        (void)fromJson<JoinResponse>(Json::parse(text));
    } catch (const DecodeError& e) {
        return e.what();
    }
    return "decoded";
}

}  // namespace

// What dockerd sends for `docker network create -d NAME --subnet 172.18.0.0/16`:
// Go's struct order, IPAMData's own keys (sorted: a map; no AuxAddresses when
// there are none), no IPv6 as getIPData's empty slice. Recorded from dockerd
// 20.10.24 talking to cnmlab's weave plugin (tests/plugins/docker_plugin_test.sh).
TEST(RemoteApi, CreateNetworkIsWrittenAsLibnetworkWritesIt) {
    CreateNetworkRequest r;
    r.networkId = "3f2a";
    r.options = Json{{"com.docker.network.enable_ipv6", false},
                     {"com.docker.network.generic", Json::object()}};
    r.ipv4Data = std::vector<IpamData>{
        IpamData{"LocalDefault", "172.18.0.0/16", "172.18.0.1/16", std::nullopt}};
    r.ipv6Data = std::vector<IpamData>{};
    EXPECT_EQ(toJson(r).dump(),
              R"({"NetworkID":"3f2a","Options":{"com.docker.network.enable_ipv6":false,)"
              R"("com.docker.network.generic":{}},"IPv4Data":[{"AddressSpace":"LocalDefault",)"
              R"("Gateway":"172.18.0.1/16","Pool":"172.18.0.0/16"}],)"
              R"("IPv6Data":[]})");
    EXPECT_EQ(toJson(CreateEndpointRequest{"n", "e", EndpointInterface{"10.0.0.2/24", "", ""},
                                           Json::object()})
                  .dump(),
              R"({"NetworkID":"n","EndpointID":"e","Interface":{"Address":"10.0.0.2/24",)"
              R"("AddressIPv6":"","MacAddress":""},"Options":{}})");
}

// A plugin's reply read as Go reads it: keys case-insensitively, unknown keys
// and nulls ignored, absent fields zero.
TEST(RemoteApi, RepliesAreReadAsGoReadsThem) {
    const JoinResponse j = fromJson<JoinResponse>(Json::parse(
        R"({"interfacename": {"SrcName": "veth1a2b", "DstPrefix": "eth"}, "gateway": "10.0.0.1",
            "StaticRoutes": [{"Destination": "10.1.0.0/16", "RouteType": 0, "NextHop": "10.0.0.254"}],
            "Extra": 42, "GatewayIPv6": null})"));
    ASSERT_TRUE(j.interfaceName);
    EXPECT_EQ(j.interfaceName->srcName, "veth1a2b");
    EXPECT_EQ(j.interfaceName->dstPrefix, "eth");
    EXPECT_EQ(j.gateway, "10.0.0.1");
    EXPECT_EQ(j.gatewayIpv6, "");
    ASSERT_EQ(j.staticRoutes.size(), 1u);
    EXPECT_EQ(j.staticRoutes[0].nextHop, "10.0.0.254");
    EXPECT_FALSE(j.disableGatewayService);
    const ActivateResponse a =
        fromJson<ActivateResponse>(Json::parse(R"({"Implements": ["NetworkDriver"]})"));
    EXPECT_EQ(a.implements, std::vector<std::string>{"NetworkDriver"});
    EXPECT_EQ(fromJson<CapabilitiesResponse>(Json::parse(R"({"Scope": "global"})")).scope,
              "global");
}

// What dockerd says of a reply that does not read: Go's own message.
TEST(RemoteApi, AReplyOfTheWrongShapeFailsInGosWords) {
    EXPECT_EQ(decodeError(R"({"Gateway": 5})"),
              "json: cannot unmarshal number into Go struct field JoinResponse.Gateway of type "
              "string");
    EXPECT_EQ(decodeError(R"({"InterfaceName": {"SrcName": true}})"),
              "json: cannot unmarshal bool into Go struct field JoinResponse.InterfaceName.SrcName "
              "of type string");
    EXPECT_EQ(decodeError(R"({"StaticRoutes": {}})"),
              "json: cannot unmarshal object into Go struct field JoinResponse.StaticRoutes of "
              "type []api.StaticRoute");
    EXPECT_EQ(decodeError("[]"), "json: cannot unmarshal array into Go value of type "
                                 "api.JoinResponse");
}

// Every message reads back as written.
TEST(RemoteApi, EveryMessageRoundTrips) {
    JoinResponse j;
    j.interfaceName = InterfaceName{"tap0", "", "eth"};
    j.gateway = "10.0.0.1";
    j.staticRoutes = {StaticRoute{"10.2.0.0/16", 1, ""}};
    j.disableGatewayService = true;
    EXPECT_EQ(toJson(fromJson<JoinResponse>(toJson(j))), toJson(j));
    RequestPoolRequest p{"GlobalDefault", "10.5.0.0/16", "", {{"k", "v"}}, false};
    EXPECT_EQ(toJson(fromJson<RequestPoolRequest>(toJson(p))), toJson(p));
    RequestAddressResponse a{"", "10.5.0.2/16", {}};
    EXPECT_EQ(toJson(fromJson<RequestAddressResponse>(toJson(a))), toJson(a));
    CreateNetworkRequest c;
    c.networkId = "n";
    c.ipv4Data = std::vector<IpamData>{
        IpamData{"LocalDefault", "10.9.0.0/24", std::nullopt,
                 std::map<std::string, std::string>{{"router", "10.9.0.254/24"}}}};
    EXPECT_EQ(toJson(fromJson<CreateNetworkRequest>(toJson(c))), toJson(c));
    DiscoveryNotification d{1, Json{{"Address", "192.168.100.12"}, {"Self", false}}};
    EXPECT_EQ(toJson(fromJson<DiscoveryNotification>(toJson(d))), toJson(d));
    EXPECT_EQ(toJson(IpamErrorResponse{"no such pool"}).dump(), R"({"Error":"no such pool"})");
    EXPECT_EQ(toJson(ErrorResponse{""}).dump(), R"({"Err":""})");
}

TEST(GoJson, SyntaxErrorsAreGosScannerMessages) {
    using cnmlab::drivers::remote::goJsonSyntaxError;
    EXPECT_EQ(goJsonSyntaxError(R"({"Err": ""})"), std::nullopt);
    EXPECT_EQ(goJsonSyntaxError(R"( [1, -2.5e3, true, null, "a\u00e9\n"] trailing)"), std::nullopt);
    EXPECT_EQ(goJsonSyntaxError(""), "EOF");
    EXPECT_EQ(goJsonSyntaxError("  \n"), "EOF");
    EXPECT_EQ(goJsonSyntaxError(R"({"Err": )"), "unexpected EOF");
    EXPECT_EQ(goJsonSyntaxError("{not json"),
              "invalid character 'n' looking for beginning of object key string");
    EXPECT_EQ(goJsonSyntaxError("<html>"), "invalid character '<' looking for beginning of value");
    EXPECT_EQ(goJsonSyntaxError(R"({"a" 1})"), "invalid character '1' after object key");
    EXPECT_EQ(goJsonSyntaxError(R"({"a": 1 "b": 2})"),
              "invalid character '\"' after object key:value pair");
    EXPECT_EQ(goJsonSyntaxError("[1 2]"), "invalid character '2' after array element");
    EXPECT_EQ(goJsonSyntaxError("tru"), "unexpected EOF");
    EXPECT_EQ(goJsonSyntaxError("nul!"), "invalid character '!' in literal null (expecting 'l')");
    EXPECT_EQ(goJsonSyntaxError("\"a\nb\""), "invalid character '\\n' in string literal");
    EXPECT_EQ(goJsonSyntaxError("-x"), "invalid character 'x' in numeric literal");
}

// Driver options parsed from driver_opts (driver_options.hpp).
#include "drivers/driver_options.hpp"
#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::model::ErrorKind;

namespace {

cnmlab::model::Error optionError(const std::string& opts, const std::string& driver = "bridge") {
    return planError("services: {a: {networks: [front]}}\n"
                     "networks:\n"
                     "  front: {driver: " +
                     driver + ", driver_opts: {" + opts + "}}\n");
}

}  // namespace

TEST(DriverOptions, BadBooleanIsInvalidAtTheNetwork) {
    const auto e = optionError("com.docker.network.bridge.enable_icc: maybe");
    EXPECT_EQ(e.kind(), ErrorKind::Invalid);
    EXPECT_EQ(e.pos().file, "shop.yaml");
    EXPECT_EQ(e.pos().line, 3);
    EXPECT_NE(e.message().find("networks.front.driver_opts.com.docker.network.bridge.enable_icc"),
              std::string::npos)
        << e.message();
    EXPECT_NE(e.message().find("'maybe'"), std::string::npos);
}

TEST(DriverOptions, BadMtuAndHostBinding) {
    EXPECT_NE(optionError("com.docker.network.driver.mtu: \"-5\"")
                  .message()
                  .find("networks.front.driver_opts.com.docker.network.driver.mtu: invalid MTU"),
              std::string::npos);
    EXPECT_EQ(optionError("com.docker.network.driver.mtu: abc").kind(), ErrorKind::Invalid);
    EXPECT_NE(optionError("com.docker.network.bridge.host_binding_ipv4: 300.1.1.1")
                  .message()
                  .find("is not an IPv4 address"),
              std::string::npos);
    EXPECT_EQ(optionError("com.docker.network.bridge.name: a-name-that-is-too-long").kind(),
              ErrorKind::Invalid);
}

TEST(DriverOptions, GoBooleansAndUnknownKeysIgnored) {
    auto sc = cnmlab::model::readScenario(R"(
services: {a: {networks: [front]}}
networks:
  front:
    driver_opts:
      com.docker.network.bridge.enable_icc: "0"
      com.docker.network.bridge.enable_ip_masquerade: "False"
      com.example.unknown: whatever
)",
                                          "t.yaml");
    auto topo = cnmlab::model::resolve(sc);
    const auto opts = cnmlab::drivers::parseDriverOptions(*topo.findNetwork("front"));
    const auto& bridge = std::get<cnmlab::drivers::BridgeOptions>(opts);
    EXPECT_FALSE(bridge.enableIcc);
    EXPECT_FALSE(bridge.enableIpMasquerade);
    EXPECT_EQ(bridge.mtu, 0);
    EXPECT_TRUE(bridge.bridgeName.empty());
}

TEST(DriverOptions, LaterDriversOptionsAreTypedToo) {
    auto sc = cnmlab::model::readScenario(R"(
services: {a: {networks: [m, o]}}
networks:
  m: {driver: macvlan, driver_opts: {parent: eth0, macvlan_mode: private}}
  o: {driver: overlay, attachable: true, driver_opts: {encrypted: "", com.docker.network.driver.overlay.vxlanid_list: "4097,4098"}}
)",
                                          "t.yaml");
    auto topo = cnmlab::model::resolve(sc);
    const auto m = std::get<cnmlab::drivers::MacvlanOptions>(
        cnmlab::drivers::parseDriverOptions(*topo.findNetwork("m")));
    EXPECT_EQ(m.parent, "eth0");
    EXPECT_EQ(m.mode, "private");
    const auto o = std::get<cnmlab::drivers::OverlayOptions>(
        cnmlab::drivers::parseDriverOptions(*topo.findNetwork("o")));
    EXPECT_TRUE(o.encrypted);
    EXPECT_EQ(o.vxlanIds, (std::vector<std::uint32_t>{4097, 4098}));
    EXPECT_EQ(o.maxMtu(), 1424);  // encryption.go: 1500 - 50 - 26, down to a multiple of 4
}

TEST(DriverOptions, BadIpvlanModeIsInvalidEvenBeforeTheDriverExists) {
    const auto e = optionError("parent: eth0, ipvlan_mode: l9", "ipvlan");
    EXPECT_EQ(e.kind(), ErrorKind::Invalid);
    EXPECT_NE(e.message().find("networks.front.driver_opts.ipvlan_mode"), std::string::npos);
}

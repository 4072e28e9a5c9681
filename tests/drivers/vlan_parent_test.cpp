// macvlan and ipvlan on a VLAN parent (`parent: eth0.50`), as Docker 20.10
// does it: libnetwork's createNetwork / createVlanLink / parseVlan /
// DeleteNetwork, and the facts in
// tests/conformance/recordings/docker-20.10-vlan-parent.md.
#include "drivers/driver_registry.hpp"
#include "drivers/underlay.hpp"
#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::model::ErrorKind;

namespace {

std::string oneNetwork(const std::string& driver, const std::string& parent) {
    return "services: {a: {networks: [x]}}\nnetworks:\n  x: {driver: " + driver +
           ", driver_opts: {parent: \"" + parent + "\"}}\n";
}

const Link& hostLink(const Built& b, const std::string& name) {
    const Link* l = b.plan.findLink("host1", name);
    if (l == nullptr) {
        throw std::runtime_error("no link " + name + " in host1");
    }
    return *l;
}

}  // namespace

// Fact 1: a missing "X.N" is created as an 802.1Q link named exactly as typed,
// on X with id N, X's MAC (inherited) and MTU, up, at network create.
TEST(VlanParent, MacvlanCreatesTheVlanLinkNamedAsTypedOnItsBase) {
    auto b = build(oneNetwork("macvlan", "eth0.50"));
    const Link& vlan = hostLink(*b, "eth0.50");
    const Link& eth0 = hostLink(*b, "eth0");
    EXPECT_EQ(vlan.kind, LinkKind::Vlan);
    EXPECT_EQ(vlan.parent, "eth0");
    EXPECT_EQ(vlan.vlanId, 50);
    EXPECT_EQ(vlan.mtu, eth0.mtu);
    EXPECT_EQ(vlan.mac, Mac{});  // the kernel gives it eth0's
    EXPECT_TRUE(vlan.up);
    EXPECT_EQ(equivalent(vlan), "ip link add link eth0 eth0.50 mtu 1500 type vlan id 50");
    // Fact 10: the slave hangs off the VLAN, with 02:42 + its IPv4 and the VLAN's MTU.
    const Link* slave = b->plan.findLink("shop-a-1", "eth0");
    ASSERT_NE(slave, nullptr);
    EXPECT_EQ(slave->kind, LinkKind::Macvlan);
    EXPECT_EQ(slave->parent, "eth0.50");
    EXPECT_EQ(slave->mtu, vlan.mtu);
    const auto& ep = b->endpoint("a", "x");
    EXPECT_EQ(slave->mac, cnmlab::model::macFromIp(ep.ipv4));
}

TEST(VlanParent, IpvlanCreatesTheSameLinkAndItsSlaveHasTheBasesMac) {
    auto b = build(oneNetwork("ipvlan", "eth0.60"));
    const Link& vlan = hostLink(*b, "eth0.60");
    EXPECT_EQ(vlan.kind, LinkKind::Vlan);
    EXPECT_EQ(vlan.parent, "eth0");
    EXPECT_EQ(vlan.vlanId, 60);
    const Link* slave = b->plan.findLink("shop-a-1", "eth0");
    ASSERT_NE(slave, nullptr);
    EXPECT_EQ(slave->kind, LinkKind::Ipvlan);
    EXPECT_EQ(slave->parent, "eth0.60");
    EXPECT_EQ(slave->mac, hostLink(*b, "eth0").mac);  // the VLAN's MAC is eth0's
    EXPECT_EQ(slave->mtu, vlan.mtu);
}

// strconv.Atoi takes a sign and leading zeros; the link keeps the typed name.
TEST(VlanParent, NamesAtoiReadsAreCreatedUnderTheTypedName) {
    for (const auto& [parent, id] : std::vector<std::pair<std::string, int>>{
             {"eth0.+5", 5}, {"eth0.050", 50}, {"eth0.4094", 4094}, {"eth0.1", 1}}) {
        auto b = build(oneNetwork("macvlan", parent));
        const Link& vlan = hostLink(*b, parent);
        EXPECT_EQ(vlan.kind, LinkKind::Vlan) << parent;
        EXPECT_EQ(vlan.vlanId, id) << parent;
        EXPECT_EQ(cnmlab::model::lanVlanOf(*b->topo.findNetwork("x")), id) << parent;
    }
}

// Fact 3: the checks of a missing parent, in Docker's order, with its words.
TEST(VlanParent, MissingParentChecksInDockersOrderWithItsMessages) {
    struct Case {
        std::string parent, macvlan, ipvlan;
    };
    const std::vector<Case> cases = {
        {"eth1", "invalid subinterface vlan name eth1, example formatting is eth0.10", ""},
        {"eth0.50.1",
         "required interface name format is: name.vlan_id, ex. eth0.10 for vlan 10, instead "
         "received eth0.50.1",
         ""},
        {"eth0.abc", "unable to parse a valid vlan id from: abc (ex. eth0.10 for vlan 10)", ""},
        {"eth0.", "unable to parse a valid vlan id from:  (ex. eth0.10 for vlan 10)", ""},
        {"eth0.+-5", "unable to parse a valid vlan id from: +-5 (ex. eth0.10 for vlan 10)", ""},
        {"eth1.abc", "unable to parse a valid vlan id from: abc (ex. eth0.10 for vlan 10)", ""},
        {"eth1.50", "-o parent interface does was not found on the host: eth1",
         "-o parent interface was not found on the host: eth1"},
        {".50", "-o parent interface does was not found on the host: ",
         "-o parent interface was not found on the host: "},
        // parseVlan looks for the parent before createVlanLink checks the range.
        {"eth1.5000", "-o parent interface does was not found on the host: eth1",
         "-o parent interface was not found on the host: eth1"},
        {"eth0.5000", "vlan id must be between 1-4094, received: 5000", ""},
        {"eth0.4095", "vlan id must be between 1-4094, received: 4095", ""},
        {"eth0.0", "vlan id must be between 1-4094, received: 0", ""},
        {"eth0.-1", "vlan id must be between 1-4094, received: -1", ""},
        {"lo", "loopback interface is not a valid macvlan parent link",
         "loopback interface is not a valid ipvlan parent link"},
        {"lo.5", "failed to create lo.5 vlan link: operation not supported", ""},
    };
    for (const auto& c : cases) {
        for (const std::string driver : {"macvlan", "ipvlan"}) {
            const std::string& words =
                driver == "ipvlan" && !c.ipvlan.empty() ? c.ipvlan : c.macvlan;
            const auto e = planError(oneNetwork(driver, c.parent));
            EXPECT_EQ(e.kind(), ErrorKind::Invalid) << driver << " " << c.parent;
            EXPECT_EQ(e.message(), "networks.x.driver_opts.parent: " + words)
                << driver << " " << c.parent;
            EXPECT_EQ(e.pos().line, 3) << driver << " " << c.parent;
        }
    }
}

// Fact 6: LinkAdd refuses a second device for one VLAN id on one parent.
TEST(VlanParent, SameVlanIdUnderAnotherNameIsFileExists) {
    const auto e = planError(R"(
services: {a: {networks: [x]}, b: {networks: [y]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth0.50}}
  y: {driver: macvlan, driver_opts: {parent: eth0.050}}
)");
    EXPECT_EQ(e.kind(), ErrorKind::Conflict);
    EXPECT_EQ(e.message().rfind("networks.y.driver_opts.parent: failed to create eth0.050 vlan "
                                "link: file exists",
                                0),
              0u)
        << e.message();
    EXPECT_EQ(e.pos().line, 5);
}

// Fact 6: one network per parent string, per driver, named with the driver's
// dummy prefix and the existing network's id.
TEST(VlanParent, OneNetworkPerParentPerDriverNamesTheOtherWithTheDriversPrefix) {
    for (const std::string driver : {"macvlan", "ipvlan"}) {
        const std::string yaml = "services: {a: {networks: [x]}, b: {networks: [y]}}\nnetworks:\n"
                                 "  x: {driver: " +
                                 driver +
                                 ", driver_opts: {parent: eth0.50}}\n  y: {driver: " + driver +
                                 ", driver_opts: {parent: eth0.50}}\n";
        const auto e = planError(yaml);
        const auto sc = cnmlab::model::readScenario(yaml, "shop.yaml");
        const std::string id = cnmlab::model::resolve(sc).findNetwork("x")->id.substr(0, 12);
        EXPECT_EQ(e.kind(), ErrorKind::Conflict);
        EXPECT_EQ(e.message(), "networks.y.driver_opts.parent: network " +
                                   std::string(driver == "macvlan" ? "dm-" : "di-") + id +
                                   " is already using parent interface eth0.50");
    }
}

// Fact 7: a macvlan and an ipvlan network share eth0.50 (the first made it);
// the kernel refuses ipvlan ports where macvlan ports are.
TEST(VlanParent, MacvlanAndIpvlanShareAParentButNotItsPorts) {
    auto b = build(R"(
services: {a: {networks: [x]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth0.50}}
  y: {driver: ipvlan, driver_opts: {parent: eth0.50}}
)");
    int vlans = 0;
    for (const auto& l : b->plan.links) {
        vlans += l.kind == LinkKind::Vlan && l.netns == "host1" ? 1 : 0;
    }
    EXPECT_EQ(vlans, 1);
    const auto busy = planError(R"(
services: {a: {networks: [x]}, b: {networks: [y]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth0.50}}
  y: {driver: ipvlan, driver_opts: {parent: eth0.50}}
)");
    EXPECT_EQ(busy.kind(), ErrorKind::Conflict);
    EXPECT_NE(busy.message().find("failed to create the ipvlan port: device or resource busy"),
              std::string::npos)
        << busy.message();
}

namespace {

// The drivers called one by one, as the controller does (the delete calls too).
class VlanParentLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        sc = cnmlab::model::readScenario("services: {a: {}}", "t.yaml");
        buildUnderlay(sc, plan);
        registry = std::make_unique<DriverRegistry>("host1", plan);
    }

    cnmlab::model::NetworkInstance network(const std::string& key, const std::string& driver) {
        cnmlab::model::NetworkInstance n;
        n.key = key;
        n.name = "t_" + key;
        n.id = cnmlab::model::objectId(n.name);
        n.driver = driver;
        n.scope = "local";
        n.subnet = Cidr{Ipv4(10, 50, 0, 0), 24};
        n.gateway = Ipv4(10, 50, 0, 1);
        return n;
    }
    NetworkRequest request(const cnmlab::model::NetworkInstance& n, const DriverOptions& o) {
        return NetworkRequest{&n, "host1", &o, IpamData{*n.subnet, *n.gateway}};
    }

    cnmlab::model::Scenario sc;
    PlanBuilder plan;
    std::unique_ptr<DriverRegistry> registry;
};

}  // namespace

// Fact 5: the link a network made goes with that network's delete.
TEST_F(VlanParentLifecycle, CreatedVlanLinkIsRemovedWithItsNetwork) {
    const auto net = network("v50", "macvlan");
    const DriverOptions opts = MacvlanOptions{"eth0.50", "bridge"};
    Driver& d = registry->driverFor(net);
    d.createNetwork(request(net, opts), plan);
    ASSERT_TRUE(plan.hasLink("host1", "eth0.50"));
    d.deleteNetwork(request(net, opts), plan);
    EXPECT_FALSE(plan.hasLink("host1", "eth0.50"));
    EXPECT_TRUE(plan.hasLink("host1", "eth0"));
}

// Fact 4: a link that was there (any kind) is used as it is, and stays.
TEST_F(VlanParentLifecycle, UserMadeLinkIsUsedAsItIsAndNotRemoved) {
    Link user;
    user.netns = "host1";
    user.name = "eth0.50";
    user.kind = LinkKind::Veth;
    user.mac = Mac{0x06, 0xf1, 0x81, 0x9d, 0xd6, 0xa2};
    user.up = false;
    plan.add("user", user);
    const auto net = network("v50", "macvlan");
    const DriverOptions opts = MacvlanOptions{"eth0.50", "bridge"};
    Driver& d = registry->driverFor(net);
    d.createNetwork(request(net, opts), plan);
    d.deleteNetwork(request(net, opts), plan);
    ASSERT_TRUE(plan.hasLink("host1", "eth0.50"));
    const Link& kept = plan.link("host1", "eth0.50");
    EXPECT_EQ(kept.kind, LinkKind::Veth);
    EXPECT_FALSE(kept.up);  // Docker does not bring a user's link up
}

// Fact 5, §3.2: an ipvlan network that found eth0.50 made by a macvlan network
// keeps nothing: the macvlan network's delete removes it; the ipvlan's does not.
TEST_F(VlanParentLifecycle, OnlyTheNetworkThatMadeTheLinkRemovesIt) {
    const auto mv = network("v50", "macvlan");
    const auto iv = network("i50", "ipvlan");
    const DriverOptions mvOpts = MacvlanOptions{"eth0.50", "bridge"};
    const DriverOptions ivOpts = IpvlanOptions{"eth0.50", "l2"};
    registry->driverFor(mv).createNetwork(request(mv, mvOpts), plan);
    registry->driverFor(iv).createNetwork(request(iv, ivOpts), plan);
    registry->driverFor(iv).deleteNetwork(request(iv, ivOpts), plan);
    EXPECT_TRUE(plan.hasLink("host1", "eth0.50"));
    registry->driverFor(iv).createNetwork(request(iv, ivOpts), plan);
    registry->driverFor(mv).deleteNetwork(request(mv, mvOpts), plan);
    EXPECT_FALSE(plan.hasLink("host1", "eth0.50"));
}

// The dummy parent of a network without `parent`: dm- for macvlan, di- for
// ipvlan (getDummyName), removed with the network.
TEST_F(VlanParentLifecycle, DummyParentsArePerDriverAndGoWithTheirNetwork) {
    for (const std::string driver : {"macvlan", "ipvlan"}) {
        const auto net = network("n", driver);
        const DriverOptions opts =
            driver == "macvlan" ? DriverOptions{MacvlanOptions{}} : DriverOptions{IpvlanOptions{}};
        const std::string dummy = (driver == "macvlan" ? "dm-" : "di-") + net.id.substr(0, 12);
        Driver& d = registry->driverFor(net);
        d.createNetwork(request(net, opts), plan);
        ASSERT_TRUE(plan.hasLink("host1", dummy)) << driver;
        EXPECT_EQ(plan.link("host1", dummy).kind, LinkKind::Dummy);
        d.deleteNetwork(request(net, opts), plan);
        EXPECT_FALSE(plan.hasLink("host1", dummy)) << driver;
    }
}

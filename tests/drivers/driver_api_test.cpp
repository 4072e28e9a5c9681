// The driverapi calls and the registry: what each call adds, what the undoing
// call removes, the macvlan/ipvlan drivers, and the one "not yet" (drivers
// cnmlab does not implement).
#include "drivers/driver_registry.hpp"
#include "drivers/underlay.hpp"
#include "test_util.hpp"

using namespace cnmlab::test;
using cnmlab::model::ErrorKind;

namespace {

struct Snapshot {
    std::size_t links, addresses, routes, rules, chains, listeners;
    explicit Snapshot(const Plan& p)
        : links(p.links.size()), addresses(p.addresses.size()), routes(p.routes.size()),
          rules(p.rules.size()), chains(p.chains.size()), listeners(p.listeners.size()) {}
    bool operator==(const Snapshot&) const = default;
};

class BridgeLifecycle : public ::testing::Test {
protected:
    void SetUp() override {
        sc = cnmlab::model::readScenario("services: {a: {}}", "t.yaml");
        buildUnderlay(sc, plan);
        registry = std::make_unique<DriverRegistry>("host1", plan);
        net.key = "n";
        net.name = "t_n";
        net.id = cnmlab::model::objectId("t_n");
        net.driver = "bridge";
        net.scope = "local";
        net.subnet = Cidr{Ipv4(10, 9, 0, 0), 24};
        net.gateway = Ipv4(10, 9, 0, 1);
        ep.network = "n";
        ep.ipv4 = Ipv4(10, 9, 0, 2);
        ep.prefix = 24;
        ep.id = cnmlab::model::objectId("t-x-1/n");
        container.name = "t-x-1";
        container.host = "host1";
        req = NetworkRequest{&net, "host1", &options, IpamData{*net.subnet, *net.gateway}};
        epReq = EndpointRequest{&net, &ep, &container, "host1"};
    }

    cnmlab::model::Scenario sc;
    PlanBuilder plan;
    std::unique_ptr<DriverRegistry> registry;
    cnmlab::model::NetworkInstance net;
    cnmlab::model::Endpoint ep;
    cnmlab::model::Container container;
    DriverOptions options = BridgeOptions{};
    NetworkRequest req;
    EndpointRequest epReq;
};

}  // namespace

TEST_F(BridgeLifecycle, EveryUndoRemovesWhatItsCallAdded) {
    Driver& d = registry->driverFor(net);
    EXPECT_EQ(d.type(), "bridge");
    const Snapshot started(plan.plan());
    d.createNetwork(req, plan);
    const std::string br = "br-" + net.id.substr(0, 12);
    EXPECT_TRUE(plan.hasLink("host1", br));
    const Snapshot withNetwork(plan.plan());

    InterfaceInfo iface{Cidr{ep.ipv4, 24}, std::nullopt};
    d.createEndpoint(epReq, iface, plan);
    ASSERT_TRUE(iface.mac.has_value());
    EXPECT_EQ(cnmlab::model::macStr(*iface.mac), "02:42:0a:09:00:02");
    JoinInfo info;
    d.join(epReq, "t-x-1", info, plan);
    EXPECT_TRUE(plan.hasLink("host1", info.srcName));
    EXPECT_EQ(info.dstPrefix, "eth");
    EXPECT_EQ(info.gateway, Ipv4(10, 9, 0, 1));
    const Snapshot joined(plan.plan());

    PortBinding port;
    port.hostPort = 8080;
    port.containerPort = 80;
    d.programExternalConnectivity(epReq, {port}, plan);
    EXPECT_EQ(plan.plan().rules.size(), joined.rules + 3);
    EXPECT_EQ(plan.plan().listeners.size(), joined.listeners + 1);
    d.revokeExternalConnectivity(epReq, plan);
    EXPECT_EQ(Snapshot(plan.plan()), joined);

    d.leave(epReq, plan);
    d.deleteEndpoint(epReq, plan);
    EXPECT_EQ(Snapshot(plan.plan()), withNetwork);
    d.deleteNetwork(req, plan);
    EXPECT_FALSE(plan.hasLink("host1", br));
    // The daemon's own jumps stay, as libnetwork leaves them: PREROUTING and OUTPUT
    // into nat DOCKER, FORWARD into DOCKER-ISOLATION-STAGE-1.
    EXPECT_EQ(plan.plan().rules.size(), started.rules + 3);
}

TEST_F(BridgeLifecycle, SameBridgeNameTwiceIsAConflict) {
    Driver& d = registry->driverFor(net);
    d.createNetwork(req, plan);
    cnmlab::model::NetworkInstance other = net;
    other.key = "m";
    other.name = "t_m";
    NetworkRequest again = req;
    again.network = &other;
    try {
        d.createNetwork(again, plan);
        FAIL() << "no conflict";
    } catch (const cnmlab::model::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Conflict);
        EXPECT_NE(e.message().find("networks have same bridge name"), std::string::npos);
    }
}

// Registration is one explicit list: each built-in driver is found under the
// name it gives as its type(); overlay is not implemented yet.
TEST(DriverRegistry, FindsEachImplementedDriverUnderItsType) {
    const auto sc = cnmlab::model::readScenario("services: {a: {}}", "t.yaml");
    PlanBuilder plan;
    buildUnderlay(sc, plan);  // the host's namespace and chains, which drivers add to
    const DriverRegistry registry("host1", plan);
    for (const std::string type : {"bridge", "host", "ipvlan", "macvlan", "null", "overlay"}) {
        const Driver* d = registry.find(type);
        ASSERT_NE(d, nullptr) << type;
        EXPECT_EQ(d->type(), type);
    }
    EXPECT_EQ(registry.find("calico"), nullptr);
}

TEST(DriverRegistry, UnimplementedDriverIsUnsupportedNamingNetworkAndDriver) {
    const auto sc = cnmlab::model::readScenario("services: {a: {}}", "t.yaml");
    PlanBuilder plan;
    buildUnderlay(sc, plan);
    const DriverRegistry registry("host1", plan);
    cnmlab::model::NetworkInstance net;
    net.key = "back";
    net.name = "shop_back";
    net.driver = "calico";
    try {
        registry.driverFor(net);
        FAIL() << "expected an error";
    } catch (const cnmlab::model::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
        EXPECT_NE(e.message().find("networks.back.driver"), std::string::npos) << e.message();
        EXPECT_NE(e.message().find("'calico'"), std::string::npos);
        EXPECT_NE(e.message().find("shop_back"), std::string::npos);
    }
}

// libnetwork drivers/macvlan: a slave of the parent per endpoint, moved into
// the sandbox as eth0 with 02:42 + IPv4 as MAC, default route via the gateway,
// and no bridge, iptables rule or docker-proxy.
// The macvlan driver keeps the user's MAC (mac_address) for the slave.
TEST(ParentLinkDrivers, MacvlanSlaveTakesTheServicesMacAddress) {
    auto b = build(R"(
services: {db: {networks: [lan], mac_address: "02:42:c0:a8:64:99"}}
networks:
  lan: {driver: macvlan, driver_opts: {parent: eth0}}
)");
    const Link* slave = b->plan.findLink("shop-db-1", "eth0");
    ASSERT_NE(slave, nullptr);
    EXPECT_EQ(slave->kind, LinkKind::Macvlan);
    EXPECT_EQ(cnmlab::model::macStr(slave->mac), "02:42:c0:a8:64:99");
}

TEST(ParentLinkDrivers, MacvlanSlavesOfTheParent) {
    auto b = build(R"(
services: {db: {networks: [lan], ports: ["80:80"]}}
networks:
  lan:
    driver: macvlan
    driver_opts: {parent: eth0, macvlan_mode: private}
    ipam: {config: [{subnet: 192.168.100.0/24, gateway: 192.168.100.1}]}
)");
    const Link* slave = nullptr;
    for (const auto& l : b->plan.links) {
        if (l.netns == "shop-db-1" && l.name == "eth0") {
            slave = &l;
        }
    }
    ASSERT_NE(slave, nullptr);
    EXPECT_EQ(slave->kind, LinkKind::Macvlan);
    EXPECT_EQ(slave->parentNetns, "host1");
    EXPECT_EQ(slave->parent, "eth0");
    EXPECT_EQ(slave->mode, "private");
    EXPECT_EQ(cnmlab::model::macStr(slave->mac), "02:42:c0:a8:64:02");
    bool defaultRoute = false;
    for (const auto& r : b->plan.routes) {
        defaultRoute = defaultRoute || (r.netns == "shop-db-1" && r.dst.prefix == 0 &&
                                        r.via == Ipv4(192, 168, 100, 1) && r.dev == "eth0");
    }
    EXPECT_TRUE(defaultRoute);
    for (const auto& l : b->plan.listeners) {  // "macvlan driver does not support port mappings"
        EXPECT_NE(l.owner, "docker-proxy");
    }
    for (const auto& r : b->plan.rules) {
        EXPECT_EQ(r.why.find("shop_lan"), std::string::npos) << r.why;
    }
}

// Without a parent the driver makes a di-<12 hex> dummy; ipvlan slaves share
// their parent's MAC; l3 mode routes "default dev eth0" with no gateway.
TEST(ParentLinkDrivers, IpvlanL3OnADummyParent) {
    auto b = build(R"(
services: {db: {networks: [lab]}}
networks:
  lab: {driver: ipvlan, driver_opts: {ipvlan_mode: l3}}
)");
    const Link* dummy = nullptr;
    const Link* slave = nullptr;
    for (const auto& l : b->plan.links) {
        if (l.kind == LinkKind::Dummy && l.name.rfind("di-", 0) == 0) {
            dummy = &l;
        }
        if (l.netns == "shop-db-1" && l.name == "eth0") {
            slave = &l;
        }
    }
    ASSERT_NE(dummy, nullptr);
    ASSERT_NE(slave, nullptr);
    EXPECT_EQ(dummy->name.size(), 15u);
    EXPECT_EQ(slave->kind, LinkKind::Ipvlan);
    EXPECT_EQ(slave->parent, dummy->name);
    EXPECT_EQ(slave->mac, dummy->mac);
    EXPECT_EQ(slave->mode, "l3");
    int defaults = 0;
    for (const auto& r : b->plan.routes) {
        if (r.netns == "shop-db-1" && r.dst.prefix == 0) {
            ++defaults;
            EXPECT_FALSE(r.via.has_value());
            EXPECT_EQ(r.dev, "eth0");
        }
    }
    EXPECT_EQ(defaults, 1);
}

TEST(ParentLinkDrivers, OneNetworkPerParentAndParentsMustExist) {
    auto twice = planError(R"(
services: {a: {networks: [x]}, b: {networks: [y]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth0}}
  y: {driver: macvlan, driver_opts: {parent: eth0}}
)");
    EXPECT_EQ(twice.kind(), ErrorKind::Conflict);
    EXPECT_NE(twice.message().find("is already using parent interface eth0"), std::string::npos)
        << twice.message();
    auto missing = planError(R"(
services: {a: {networks: [x]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth7}}
)");
    EXPECT_EQ(missing.kind(), ErrorKind::Invalid);
    EXPECT_NE(missing.message().find("networks.x.driver_opts.parent"), std::string::npos);
    EXPECT_EQ(missing.pos().line, 4);
    auto busy = planError(R"(
services: {a: {networks: [x]}, b: {networks: [y]}}
networks:
  x: {driver: macvlan, driver_opts: {parent: eth0}}
  y: {driver: ipvlan, driver_opts: {parent: eth0}}
)");
    EXPECT_EQ(busy.kind(), ErrorKind::Conflict);
    EXPECT_NE(busy.message().find("device or resource busy"), std::string::npos) << busy.message();
    auto lo = planError(R"(
services: {a: {networks: [x]}}
networks:
  x: {driver: ipvlan, driver_opts: {parent: lo}}
)");
    EXPECT_NE(lo.message().find("loopback interface is not a valid ipvlan parent link"),
              std::string::npos);
}

// Docker 20.10's default IPAM driver. Where a test pins a measured result, the
// comment names the measurement in docs/ipam.md (dockerd 20.10.24+dfsg1).

#include "model/ipam.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "model/error.hpp"

namespace cnmlab::model {
namespace {

Cidr cidr(std::string_view text) {
    return Cidr::parse(text).value();
}
Ipv4 ip(std::string_view text) {
    return Ipv4::parse(text).value();
}

// The default scenario's host: underlay 192.168.100.11/24.
const std::vector<Cidr> kLan{cidr("192.168.100.0/24")};

// A host without routes, with a global space of its own.
Ipam fresh() {
    return {{}, Ipam::makeGlobalSpace()};
}

PoolId implicitPool(Ipam& ipam, const std::string& name) {
    return ipam.requestPool(AddressSpaceKind::Local, std::nullopt, std::nullopt, name);
}

std::string implicitSubnet(Ipam& ipam, const std::string& name) {
    return ipam.pool(implicitPool(ipam, name)).subnet.str();
}

PoolId explicitPool(Ipam& ipam, std::string_view subnet, const std::string& name,
                    std::optional<std::string_view> range = std::nullopt) {
    return ipam.requestPool(AddressSpaceKind::Local, cidr(subnet),
                            range ? std::optional(cidr(*range)) : std::nullopt, name);
}

// The next dynamic address, as text.
std::string next(Ipam& ipam, PoolId id) {
    return ipam.requestAddress(id, std::nullopt).str();
}

// Runs `fn`, expects an Error of `kind` whose message contains every `parts`.
void expectError(const std::function<void()>& fn, ErrorKind kind,
                 const std::vector<std::string>& parts) {
    try {
        fn();
        FAIL() << "no error thrown";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), kind) << e.message();
        for (const auto& p : parts) {
            EXPECT_NE(e.message().find(p), std::string::npos)
                << "message '" << e.message() << "' lacks '" << p << "'";
        }
    }
}

// ---- predefined pools -------------------------------------------------------

TEST(Ipam, LocalPoolsStartAt172_17InOrder) {
    Ipam ipam = fresh();
    EXPECT_EQ(implicitSubnet(ipam, "bridge"), "172.17.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "a"), "172.18.0.0/16");  // measured (a)
    EXPECT_EQ(implicitSubnet(ipam, "b"), "172.19.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "c"), "172.20.0.0/16");
}

TEST(Ipam, LocalPoolsContinueWith192_168CutIntoSlash20s) {
    Ipam ipam = fresh();
    for (int i = 17; i <= 31; ++i) {
        EXPECT_EQ(implicitSubnet(ipam, "n" + std::to_string(i)), fmt::format("172.{}.0.0/16", i));
    }
    EXPECT_EQ(implicitSubnet(ipam, "x"), "192.168.0.0/20");
    EXPECT_EQ(implicitSubnet(ipam, "y"), "192.168.16.0/20");
}

TEST(Ipam, LocalSpaceHas31PredefinedPools) {
    Ipam ipam = fresh();
    for (int i = 0; i < 31; ++i) {
        implicitPool(ipam, "n" + std::to_string(i));
    }
    expectError([&] { implicitPool(ipam, "full"); }, ErrorKind::Conflict,
                {"could not find an available, non-overlapping IPv4 address pool among the "
                 "defaults to assign to the network",
                 "full"});
}

TEST(Ipam, GlobalPoolsAre10Slash8CutIntoSlash24s) {
    Ipam ipam = fresh();
    auto g = [&](const std::string& n) {
        return ipam.pool(ipam.requestPool(AddressSpaceKind::Global, {}, {}, n)).subnet.str();
    };
    EXPECT_EQ(g("ingress"), "10.0.0.0/24");  // measured: swarm init's ingress
    EXPECT_EQ(g("o1"), "10.0.1.0/24");
    for (int i = 2; i < 256; ++i) {
        g("o" + std::to_string(i));
    }
    EXPECT_EQ(g("o256"), "10.1.0.0/24");
}

TEST(Ipam, PoolSubnetIsCanonicalNetwork) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.24.0.5/16", "q5");  // measured: Docker accepts it
    EXPECT_EQ(ipam.pool(id).subnet, (Cidr{ip("172.24.0.0"), 16}));
    EXPECT_EQ(next(ipam, id), "172.24.0.1");
}

TEST(Ipam, SkipsPoolOverlappingExplicitSubnet) {
    // measured (c): docker0 172.17, explicit 172.20/16, then implicit networks.
    Ipam ipam = fresh();
    implicitPool(ipam, "bridge");
    explicitPool(ipam, "172.20.0.0/16", "c1");
    EXPECT_EQ(implicitSubnet(ipam, "c2"), "172.18.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "c3"), "172.19.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "c4"), "172.21.0.0/16");
}

TEST(Ipam, ExplicitSubnetDoesNotMoveRoundRobinPosition) {
    Ipam ipam = fresh();
    explicitPool(ipam, "172.30.0.0/16", "first");
    EXPECT_EQ(implicitSubnet(ipam, "second"), "172.17.0.0/16");
}

TEST(Ipam, SkipsPoolsInsideLargerExplicitSubnet) {
    Ipam ipam = fresh();
    explicitPool(ipam, "172.16.0.0/12", "big");
    EXPECT_EQ(implicitSubnet(ipam, "a"), "192.168.0.0/20");
}

TEST(Ipam, SkipsPoolOverlappingHostRoute) {
    // The default scenario's LAN 192.168.100.0/24 lies in 192.168.96.0/20.
    Ipam host(kLan, Ipam::makeGlobalSpace());
    for (int i = 0; i < 15 + 6; ++i) {
        implicitPool(host, "n" + std::to_string(i));
    }
    EXPECT_EQ(implicitSubnet(host, "after"), "192.168.112.0/20");
}

TEST(Ipam, HostRouteSkipMovesRoundRobinPastHeldPool) {
    // measured: route 172.24.0.0/16 on the host; next pools were 172.25, 172.26.
    Ipam host({cidr("172.24.0.0/16")}, Ipam::makeGlobalSpace());
    for (int i = 17; i <= 23; ++i) {
        implicitPool(host, "n" + std::to_string(i));
    }
    EXPECT_EQ(implicitSubnet(host, "h1b"), "172.25.0.0/16");
    EXPECT_EQ(implicitSubnet(host, "h2b"), "172.26.0.0/16");
}

TEST(Ipam, ExplicitSubnetMayOverlapHostRoute) {
    // measured: --subnet 172.24.0.0/16 with that route present, and 192.0.2.0/24
    // (this machine's LAN) both succeed.
    Ipam host({cidr("172.24.0.0/16")}, Ipam::makeGlobalSpace());
    implicitPool(host, "skips");
    const PoolId id =
        host.requestPool(AddressSpaceKind::Local, cidr("172.24.0.0/16"), std::nullopt, "h3");
    EXPECT_EQ(host.pool(id).subnet.str(), "172.24.0.0/16");
}

TEST(Ipam, PoolSkippedForHostRouteIsNotReserved) {
    Ipam host({cidr("172.17.0.0/16")}, Ipam::makeGlobalSpace());
    EXPECT_EQ(implicitSubnet(host, "a"), "172.18.0.0/16");
    EXPECT_NO_THROW(
        host.requestPool(AddressSpaceKind::Local, cidr("172.17.0.0/16"), std::nullopt, "b"));
}

TEST(Ipam, HostRoutesDoNotApplyToGlobalPools) {
    Ipam host({cidr("10.0.0.0/16")}, Ipam::makeGlobalSpace());
    const PoolId id = host.requestPool(AddressSpaceKind::Global, {}, {}, "ov");
    EXPECT_EQ(host.pool(id).subnet.str(), "10.0.0.0/24");
}

TEST(Ipam, RunsOutWhenEveryPoolOverlapsHostRoutes) {
    Ipam host({cidr("172.16.0.0/12"), cidr("192.168.0.0/16")}, Ipam::makeGlobalSpace());
    expectError([&] { implicitPool(host, "net1"); }, ErrorKind::Conflict,
                {"non-overlapping", "net1"});
}

// ---- round robin ------------------------------------------------------------

TEST(Ipam, FreedPoolIsNotReusedBeforeRoundRobinWraps) {
    // measured (b): na 172.18, nb 172.19, nc 172.20; rm na; nd 172.21.
    Ipam ipam = fresh();
    implicitPool(ipam, "bridge");
    const PoolId na = implicitPool(ipam, "na");
    implicitPool(ipam, "nb");
    implicitPool(ipam, "nc");
    ipam.releasePool(na);
    EXPECT_EQ(implicitSubnet(ipam, "nd"), "172.21.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "ne"), "172.22.0.0/16");
}

TEST(Ipam, FreedPoolIsReusedAfterRoundRobinWraps) {
    // measured: after 192.168.240.0/20 the next network got the freed 172.18.
    Ipam ipam = fresh();
    implicitPool(ipam, "bridge");
    const PoolId na = implicitPool(ipam, "na");
    ipam.releasePool(na);
    for (int i = 0; i < 29; ++i) {
        implicitPool(ipam, "w" + std::to_string(i));
    }
    EXPECT_EQ(implicitSubnet(ipam, "w21"), "172.18.0.0/16");
}

TEST(Ipam, RoundRobinRestartsAtTopAfterSearchThatWrapped) {
    // updateStartIndex sets the position to 0, not to the found pool + 1, when
    // the search wrapped round. The measured sequence: with every pool in use,
    // rm nb (172.19): k2 172.19; rm w21 (172.18) and ne (172.22): k3 172.22,
    // k4 172.18 (wrapped); rm k4 k3: k5 172.18 (a modulo position would give
    // 172.22), k6 172.22.
    Ipam ipam = fresh();
    std::vector<PoolId> ids;
    ids.reserve(31);
    for (int i = 0; i < 31; ++i) {
        ids.push_back(implicitPool(ipam, "n" + std::to_string(i)));
    }
    ipam.releasePool(ids[2]);
    EXPECT_EQ(implicitSubnet(ipam, "k2"), "172.19.0.0/16");
    ipam.releasePool(ids[1]);
    ipam.releasePool(ids[5]);
    const PoolId k3 = implicitPool(ipam, "k3");
    const PoolId k4 = implicitPool(ipam, "k4");
    EXPECT_EQ(ipam.pool(k3).subnet.str(), "172.22.0.0/16");
    EXPECT_EQ(ipam.pool(k4).subnet.str(), "172.18.0.0/16");
    ipam.releasePool(k4);
    ipam.releasePool(k3);
    EXPECT_EQ(implicitSubnet(ipam, "k5"), "172.18.0.0/16");
    EXPECT_EQ(implicitSubnet(ipam, "k6"), "172.22.0.0/16");
}

TEST(Ipam, GlobalRoundRobinSkipsFreedPool) {
    // measured: ingress 10.0.0, o1 10.0.1, o2 10.0.2, o3 10.0.3; rm o2; o4 10.0.4.
    Ipam ipam = fresh();
    auto g = [&](const std::string& n) {
        return ipam.requestPool(AddressSpaceKind::Global, {}, {}, n);
    };
    g("ingress");
    g("o1");
    const PoolId o2 = g("o2");
    g("o3");
    ipam.releasePool(o2);
    EXPECT_EQ(ipam.pool(g("o4")).subnet.str(), "10.0.4.0/24");
}

// ---- spaces -------------------------------------------------------------------

TEST(Ipam, GlobalSpaceIsSharedBetweenHosts) {
    auto global = Ipam::makeGlobalSpace();
    Ipam host1(kLan, global);
    Ipam host2(kLan, global);
    const PoolId a = host1.requestPool(AddressSpaceKind::Global, {}, {}, "ov1");
    const PoolId b = host2.requestPool(AddressSpaceKind::Global, {}, {}, "ov2");
    EXPECT_EQ(host1.pool(a).subnet.str(), "10.0.0.0/24");
    EXPECT_EQ(host2.pool(b).subnet.str(), "10.0.1.0/24");
    // Each host has its own local space.
    EXPECT_EQ(implicitSubnet(host1, "bridge"), "172.17.0.0/16");
    EXPECT_EQ(implicitSubnet(host2, "bridge"), "172.17.0.0/16");
}

TEST(Ipam, GlobalPoolIdWorksOnEveryHostSharingTheSpace) {
    auto global = Ipam::makeGlobalSpace();
    Ipam host1(kLan, global);
    Ipam host2(kLan, global);
    const PoolId id = host1.requestPool(AddressSpaceKind::Global, {}, {}, "ov");
    EXPECT_EQ(host1.requestAddress(id, std::nullopt, true).str(), "10.0.0.1");
    EXPECT_EQ(host1.requestAddress(id, std::nullopt).str(), "10.0.0.2");
    EXPECT_EQ(host2.pool(id).subnet.str(), "10.0.0.0/24");
    EXPECT_EQ(host2.requestAddress(id, std::nullopt).str(), "10.0.0.3");
    host2.releasePool(id);
    expectError([&] { host1.pool(id); }, ErrorKind::NotFound, {});
}

TEST(Ipam, LocalAndGlobalSpacesDoNotConflict) {
    Ipam ipam = fresh();
    explicitPool(ipam, "10.0.0.0/24", "local");
    const PoolId g = ipam.requestPool(AddressSpaceKind::Global, {}, {}, "ov");
    EXPECT_EQ(ipam.pool(g).subnet.str(), "10.0.0.0/24");
}

TEST(Ipam, LocalSpacesOfTwoHostsDoNotConflict) {
    Ipam ipam = fresh();
    Ipam other(kLan, Ipam::makeGlobalSpace());
    explicitPool(ipam, "172.30.0.0/16", "here");
    EXPECT_NO_THROW(
        other.requestPool(AddressSpaceKind::Local, cidr("172.30.0.0/16"), std::nullopt, "there"));
}

// ---- explicit subnets -----------------------------------------------------------

TEST(Ipam, ExplicitSubnetOverlappingPoolIsConflict) {
    // measured: --subnet 172.19.128.0/20 while nb has 172.19.0.0/16.
    Ipam ipam = fresh();
    implicitPool(ipam, "bridge");
    implicitPool(ipam, "na");
    implicitPool(ipam, "nb");
    expectError(
        [&] { explicitPool(ipam, "172.19.128.0/20", "o1"); }, ErrorKind::Conflict,
        {"Pool overlaps with other one on this address space", "o1", "nb", "172.19.0.0/16"});
    expectError([&] { explicitPool(ipam, "172.0.0.0/8", "o2"); }, ErrorKind::Conflict,
                {"Pool overlaps"});
}

TEST(Ipam, ExplicitSameSubnetTwiceIsConflict) {
    Ipam ipam = fresh();
    explicitPool(ipam, "172.29.0.0/24", "nx");
    expectError([&] { explicitPool(ipam, "172.29.0.0/24", "o3"); }, ErrorKind::Conflict,
                {"Pool overlaps", "o3", "nx"});
}

TEST(Ipam, SameSubnetWithDifferentRangesSharesOnePool) {
    // updatePoolDBOnAdd: a sub-pool joins its parent (how macvlan networks share a LAN).
    Ipam ipam = fresh();
    const PoolId a = explicitPool(ipam, "172.30.0.0/16", "a", "172.30.1.0/24");
    const PoolId b = explicitPool(ipam, "172.30.0.0/16", "b", "172.30.2.0/24");
    EXPECT_EQ(next(ipam, a), "172.30.1.0");
    EXPECT_EQ(next(ipam, b), "172.30.2.0");
    // One bitmap: an address taken through one is taken for the other.
    ipam.requestAddress(a, ip("172.30.2.1"));
    EXPECT_EQ(next(ipam, b), "172.30.2.2");
}

TEST(Ipam, SameSubnetAndRangeTwiceIsConflict) {
    Ipam ipam = fresh();
    explicitPool(ipam, "172.30.0.0/16", "a", "172.30.1.0/24");
    expectError([&] { explicitPool(ipam, "172.30.0.0/16", "b", "172.30.1.0/24"); },
                ErrorKind::Conflict, {"Pool overlaps", "b"});
}

TEST(Ipam, ReleasingOneSharerKeepsSharedPool) {
    Ipam ipam = fresh();
    const PoolId a = explicitPool(ipam, "172.30.0.0/16", "a", "172.30.1.0/24");
    const PoolId b = explicitPool(ipam, "172.30.0.0/16", "b", "172.30.2.0/24");
    next(ipam, b);
    ipam.releasePool(a);
    expectError([&] { explicitPool(ipam, "172.30.0.0/16", "c"); }, ErrorKind::Conflict,
                {"Pool overlaps"});
    EXPECT_EQ(next(ipam, b), "172.30.2.1");
    ipam.releasePool(b);
    EXPECT_NO_THROW(explicitPool(ipam, "172.30.0.0/16", "c"));
}

TEST(Ipam, RangeOutsideSubnetIsInvalid) {
    Ipam ipam = fresh();
    expectError([&] { explicitPool(ipam, "172.24.0.0/16", "q1", "172.25.0.0/24"); },
                ErrorKind::Invalid, {"no matching subnet for range 172.25.0.0/24", "q1"});
    expectError([&] { explicitPool(ipam, "172.24.0.0/24", "q2", "172.24.0.0/16"); },
                ErrorKind::Invalid, {"q2"});
}

TEST(Ipam, RangeWithoutSubnetIsInvalid) {
    Ipam ipam = fresh();
    expectError(
        [&] {
            ipam.requestPool(AddressSpaceKind::Local, std::nullopt, cidr("172.24.1.0/24"), "q");
        },
        ErrorKind::Invalid, {"SubPool", "q"});
}

TEST(Ipam, ReleasedPoolFreesSubnetAndId) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    ipam.releasePool(id);
    expectError([&] { ipam.pool(id); }, ErrorKind::NotFound, {});
    expectError([&] { ipam.releasePool(id); }, ErrorKind::NotFound, {});
    EXPECT_NO_THROW(explicitPool(ipam, "172.29.0.0/24", "again"));
}

// ---- addresses ------------------------------------------------------------------

TEST(Ipam, GatewayIsFirstAddressOfSubnet) {
    Ipam ipam = fresh();
    const PoolId id = implicitPool(ipam, "bridge");
    EXPECT_EQ(ipam.requestAddress(id, std::nullopt, true).str(), "172.17.0.1");
}

TEST(Ipam, ContainersGetLowestFreeAddressesAfterGateway) {
    Ipam ipam = fresh();
    const PoolId id = implicitPool(ipam, "bridge");
    ipam.requestAddress(id, std::nullopt, true);
    EXPECT_EQ(next(ipam, id), "172.17.0.2");  // measured: first container on docker0
    EXPECT_EQ(next(ipam, id), "172.17.0.3");
    EXPECT_EQ(next(ipam, id), "172.17.0.4");
}

TEST(Ipam, GivenGatewayIsReservedAndSkipped) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    EXPECT_EQ(ipam.requestAddress(id, ip("172.29.0.2"), true).str(), "172.29.0.2");
    EXPECT_EQ(next(ipam, id), "172.29.0.1");
    EXPECT_EQ(next(ipam, id), "172.29.0.3");
}

TEST(Ipam, FreedLocalAddressIsReusedLowestFirst) {
    // measured (e): e1 .2, e2 .3, e3 .4; rm e2; e4 .3; e5 .5.
    Ipam ipam = fresh();
    const PoolId id = implicitPool(ipam, "nb");
    ipam.requestAddress(id, std::nullopt, true);
    next(ipam, id);
    const Ipv4 e2 = ipam.requestAddress(id, std::nullopt);
    next(ipam, id);
    ipam.releaseAddress(id, e2);
    EXPECT_EQ(next(ipam, id), "172.17.0.3");
    EXPECT_EQ(next(ipam, id), "172.17.0.5");
}

TEST(Ipam, GlobalAddressesAreSerial) {
    // measured on swarm overlay o1: s1 .2, lb-o1 .3, s2 .4, s3 .5; rm s2; s4 .6.
    Ipam ipam = fresh();
    const PoolId id = ipam.requestPool(AddressSpaceKind::Global, {}, {}, "o1");
    ipam.requestAddress(id, std::nullopt, true);
    next(ipam, id);
    next(ipam, id);
    const Ipv4 s2 = ipam.requestAddress(id, std::nullopt);
    next(ipam, id);
    ipam.releaseAddress(id, s2);
    EXPECT_EQ(next(ipam, id), "10.0.0.6");
}

TEST(Ipam, GlobalSerialAllocationWrapsToFreedAddresses) {
    Ipam ipam = fresh();
    const PoolId id =
        ipam.requestPool(AddressSpaceKind::Global, cidr("10.9.0.0/29"), std::nullopt, "ov");
    ipam.requestAddress(id, std::nullopt, true);             // .1
    const Ipv4 two = ipam.requestAddress(id, std::nullopt);  // .2
    ipam.releaseAddress(id, two);
    EXPECT_EQ(next(ipam, id), "10.9.0.3");
    EXPECT_EQ(next(ipam, id), "10.9.0.4");
    EXPECT_EQ(next(ipam, id), "10.9.0.5");
    EXPECT_EQ(next(ipam, id), "10.9.0.6");
    EXPECT_EQ(next(ipam, id), "10.9.0.2");  // past the end: back to the lowest free
}

TEST(Ipam, NeverHandsOutNetworkOrBroadcastAddress) {
    // measured: --subnet 172.26.0.0/30: gateway .1, z1 .2, z2 fails.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.26.0.0/30", "nz");
    EXPECT_EQ(ipam.requestAddress(id, std::nullopt, true).str(), "172.26.0.1");
    EXPECT_EQ(next(ipam, id), "172.26.0.2");
    expectError([&] { next(ipam, id); }, ErrorKind::Conflict,
                {"no available IPv4 addresses on this network's address pools: nz"});
}

TEST(Ipam, GatewayAndContainersComeFromIpRange) {
    // measured (d): --subnet 172.30.0.0/16 --ip-range 172.30.5.0/24: gateway
    // 172.30.5.0 (the range's first address), r1 172.30.5.1, r2 172.30.5.2.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.30.0.0/16", "nr", "172.30.5.0/24");
    EXPECT_EQ(ipam.pool(id).range, cidr("172.30.5.0/24"));
    EXPECT_EQ(ipam.requestAddress(id, std::nullopt, true).str(), "172.30.5.0");
    EXPECT_EQ(next(ipam, id), "172.30.5.1");
    EXPECT_EQ(next(ipam, id), "172.30.5.2");
}

TEST(Ipam, ContainersStartAtRangeBaseWhenGatewayGiven) {
    // measured (d): --subnet 10.50.0.0/16 --ip-range 10.50.7.0/24 --gateway 10.50.0.1:
    // r3 got 10.50.7.0.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "10.50.0.0/16", "nr2", "10.50.7.0/24");
    EXPECT_EQ(ipam.requestAddress(id, ip("10.50.0.1"), true).str(), "10.50.0.1");
    EXPECT_EQ(next(ipam, id), "10.50.7.0");
}

TEST(Ipam, IpRangeAtTopOfSubnetStopsBeforeBroadcast) {
    // measured: --subnet 172.25.0.0/24 --ip-range 172.25.0.252/30: gateway .252,
    // w1 .253, w2 .254, w3 fails.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.25.0.0/24", "nw", "172.25.0.252/30");
    EXPECT_EQ(ipam.requestAddress(id, std::nullopt, true).str(), "172.25.0.252");
    EXPECT_EQ(next(ipam, id), "172.25.0.253");
    EXPECT_EQ(next(ipam, id), "172.25.0.254");
    expectError(
        [&] { next(ipam, id); }, ErrorKind::Conflict,
        {"no available IPv4 addresses on this network's address pools: nw", "172.25.0.252/30"});
}

TEST(Ipam, IpRangeLimitsDynamicAddressesNotStaticOnes) {
    // measured: f9 --ip 172.27.200.1 on ny (range 172.27.1.0/24) succeeded.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.27.0.0/16", "ny", "172.27.1.0/24");
    ipam.requestAddress(id, std::nullopt, true);
    EXPECT_EQ(ipam.requestAddress(id, ip("172.27.200.1")).str(), "172.27.200.1");
    EXPECT_EQ(next(ipam, id), "172.27.1.1");
}

TEST(Ipam, AuxAddressesAreSkippedByDynamicAllocation) {
    // measured: --aux-address a=172.29.0.2 b=172.29.0.4: containers .3, .5.
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    ipam.requestAddress(id, std::nullopt, true);
    ipam.requestAddress(id, ip("172.29.0.2"));
    ipam.requestAddress(id, ip("172.29.0.4"));
    EXPECT_EQ(next(ipam, id), "172.29.0.3");
    EXPECT_EQ(next(ipam, id), "172.29.0.5");
}

TEST(Ipam, AuxAddressOutsideRangeIsReservedToo) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.27.0.0/16", "ny", "172.27.1.0/24");
    ipam.requestAddress(id, std::nullopt, true);
    ipam.requestAddress(id, ip("172.27.9.9"));
    expectError([&] { ipam.requestAddress(id, ip("172.27.9.9")); }, ErrorKind::Conflict,
                {"Address already in use"});
}

TEST(Ipam, StaticAddressOutsideSubnetIsInvalid) {
    // measured (f): "Invalid address 172.30.0.9: It does not belong to any of this
    // network's subnets".
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    expectError([&] { ipam.requestAddress(id, ip("172.30.0.9")); }, ErrorKind::Invalid,
                {"Invalid address 172.30.0.9: It does not belong to any of this network's "
                 "subnets",
                 "nx"});
}

TEST(Ipam, StaticAddressInUseIsConflict) {
    // measured (f): the gateway, an aux address and a container's address all
    // answer "Address already in use".
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    ipam.requestAddress(id, std::nullopt, true);
    ipam.requestAddress(id, ip("172.29.0.77"));
    for (const char* taken : {"172.29.0.1", "172.29.0.77"}) {
        expectError([&] { ipam.requestAddress(id, ip(taken)); }, ErrorKind::Conflict,
                    {"Address already in use", taken, "nx"});
    }
}

TEST(Ipam, StaticNetworkOrBroadcastAddressIsConflict) {
    // measured (f): --ip 172.29.0.0 and --ip 172.29.0.255: "Address already in use".
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    expectError([&] { ipam.requestAddress(id, ip("172.29.0.0")); }, ErrorKind::Conflict,
                {"Address already in use", "network address"});
    expectError([&] { ipam.requestAddress(id, ip("172.29.0.255")); }, ErrorKind::Conflict,
                {"Address already in use", "broadcast address"});
}

TEST(Ipam, GatewayErrorsSayFailedToAllocateGateway) {
    // measured: --gateway 172.24.0.0: "failed to allocate gateway (172.24.0.0):
    // Address already in use".
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.24.0.0/16", "q3");
    expectError([&] { ipam.requestAddress(id, ip("172.24.0.0"), true); }, ErrorKind::Conflict,
                {"failed to allocate gateway (172.24.0.0)", "q3", "Address already in use"});
    expectError([&] { ipam.requestAddress(id, ip("10.0.0.1"), true); }, ErrorKind::Invalid,
                {"failed to allocate gateway (10.0.0.1)", "q3"});
}

TEST(Ipam, Slash32AndSlash31HaveNoAddresses) {
    Ipam ipam = fresh();
    const PoolId a = explicitPool(ipam, "172.26.0.0/31", "p31");
    const PoolId b = explicitPool(ipam, "172.26.0.4/32", "p32");
    expectError([&] { ipam.requestAddress(a, std::nullopt, true); }, ErrorKind::Conflict,
                {"failed to allocate gateway", "p31"});
    expectError([&] { next(ipam, b); }, ErrorKind::Conflict,
                {"no available IPv4 addresses", "p32"});
}

TEST(Ipam, ReleaseAddressChecksItsArgument) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.29.0.0/24", "nx");
    expectError([&] { ipam.releaseAddress(id, ip("10.0.0.1")); }, ErrorKind::Invalid,
                {"out of range", "nx"});
    expectError([&] { ipam.releaseAddress(id, ip("172.29.0.0")); }, ErrorKind::Invalid,
                {"network address"});
    expectError([&] { ipam.releaseAddress(id, ip("172.29.0.255")); }, ErrorKind::Invalid,
                {"broadcast address"});
    expectError([&] { ipam.releaseAddress(id, ip("172.29.0.9")); }, ErrorKind::NotFound,
                {"not allocated"});
}

TEST(Ipam, UnknownPoolIdIsNotFound) {
    Ipam ipam = fresh();
    expectError([&] { ipam.requestAddress(12345, std::nullopt); }, ErrorKind::NotFound, {});
}

TEST(Ipam, MacIsDerivedFromAssignedAddress) {
    // measured (g): 172.18.0.2 -> 02:42:ac:12:00:02; overlay 10.0.1.2 -> 02:42:0a:00:01:02.
    Ipam ipam = fresh();
    implicitPool(ipam, "bridge");
    const PoolId id = implicitPool(ipam, "a");
    ipam.requestAddress(id, std::nullopt, true);
    EXPECT_EQ(macStr(macFromIp(ipam.requestAddress(id, std::nullopt))), "02:42:ac:12:00:02");
}

// ---- scale --------------------------------------------------------------------

TEST(Ipam, Handles10000ContainersOnOneNetworkQuickly) {
    Ipam ipam = fresh();
    const auto t0 = std::chrono::steady_clock::now();
    const PoolId id = implicitPool(ipam, "big");
    ipam.requestAddress(id, std::nullopt, true);
    Ipv4 last;
    for (int i = 0; i < 10000; ++i) {
        last = ipam.requestAddress(id, std::nullopt);
    }
    EXPECT_EQ(last.str(), "172.17.39.17");  // ordinal 10001 = 39 * 256 + 17
    // Free one in the middle: it is the next one handed out.
    ipam.releaseAddress(id, ip("172.17.20.20"));
    EXPECT_EQ(next(ipam, id), "172.17.20.20");
    EXPECT_EQ(next(ipam, id), "172.17.39.18");
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST(Ipam, FillsASlash16Completely) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "172.30.0.0/16", "full");
    ipam.requestAddress(id, std::nullopt, true);
    for (int i = 0; i < 65536 - 3; ++i) {
        next(ipam, id);
    }
    expectError([&] { next(ipam, id); }, ErrorKind::Conflict,
                {"no available IPv4 addresses", "full"});
    expectError([&] { ipam.requestAddress(id, ip("172.30.4.4")); }, ErrorKind::Conflict,
                {"no available IPv4 addresses"});
}

TEST(Ipam, HugeSubnetCostsLittle) {
    Ipam ipam = fresh();
    const PoolId id = explicitPool(ipam, "0.0.0.0/1", "huge");
    EXPECT_EQ(ipam.requestAddress(id, std::nullopt, true).str(), "0.0.0.1");
    EXPECT_EQ(ipam.requestAddress(id, ip("127.255.255.254")).str(), "127.255.255.254");
    expectError([&] { ipam.requestAddress(id, ip("127.255.255.255")); }, ErrorKind::Conflict,
                {"broadcast address"});
    EXPECT_EQ(next(ipam, id), "0.0.0.2");
}

}  // namespace
}  // namespace cnmlab::model

// Docker 20.10's default IPAM driver: its address pools, the order it takes
// them in (round robin), its address spaces and explicit subnets. Where a test
// pins a measured result, the comment names the measurement in docs/ipam.md
// (dockerd 20.10.24+dfsg1). Addresses within a pool: ipam_addresses_test.cpp.
#include "model/ipam.hpp"

#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ipam_test_util.hpp"
#include "model/error.hpp"

namespace cnmlab::model {
namespace {

using namespace cnmlab::model::testing;

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

}  // namespace
}  // namespace cnmlab::model

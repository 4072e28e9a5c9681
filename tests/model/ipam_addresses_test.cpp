// Docker 20.10's default IPAM driver: the addresses it hands out within a
// pool (gateway, containers, ip_range, aux_addresses, static addresses, MACs)
// and how it scales. Where a test pins a measured result, the comment names
// the measurement in docs/ipam.md (dockerd 20.10.24+dfsg1). Pools:
// ipam_pools_test.cpp.
#include "model/ipam.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "ipam_test_util.hpp"
#include "model/error.hpp"

namespace cnmlab::model {
namespace {

using namespace cnmlab::model::testing;

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

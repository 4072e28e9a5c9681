// What `cnmlab compare` measures is the simulation's; the kernel agrees with it
// on the files compare writes (root only; CI runs as root).
#include <gtest/gtest.h>

#include "model/driver_swap.hpp"
#include "verify/live_verify.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;

// The tour on macvlan, as compare sets it: front on eth0 with the LAN's subnet,
// back on the 802.1Q sub-interface eth0.20. The kernel reaches what the
// simulation reaches, probe for probe; VLAN 20 is skipped where the kernel
// lacks 8021q, with that reason.
TEST(LiveRoot, CompareOnMacvlanAgreesWithTheKernel) {
    REQUIRE_ROOT();
    auto tour = test::load("scenarios/tour.yaml");
    const auto swapped =
        model::swapDriver(tour->sc, model::comparedNetworks(tour->sc, ""), "macvlan");
    test::Loaded l;
    l.sc = model::readScenario(swapped.text, "tour.yaml");
    l.topo = model::resolve(l.sc);
    l.plan = drivers::buildPlan(l.topo);
    const verify::VerifyReport r = verify::liveVerify(l.topo, l.plan, "en");
    EXPECT_EQ(r.disagree, 0) << r.disagreements.dump(2);
    EXPECT_GT(r.agree, 30);
    for (const auto& s : r.skipped) {
        EXPECT_NE(s.dump().find("CONFIG_VLAN_8021Q"), std::string::npos) << s.dump();
    }
}

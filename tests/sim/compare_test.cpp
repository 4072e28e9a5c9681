// `cnmlab compare`: one file on several drivers, measured side by side
// (sim/compare.hpp), and its JSON against the shape docs/compare.md documents.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "model/compose_reader.hpp"
#include "model/error.hpp"
#include "sim/compare.hpp"
#include "sim/compare_report.hpp"

using namespace cnmlab;

namespace {

model::Scenario source(const std::string& rel) {
    return model::readScenarioFile(std::string(CNMLAB_SOURCE_DIR) + "/" + rel);
}

const sim::DriverReport& on(const sim::Comparison& c, const std::string& driver) {
    for (const auto& r : c.drivers) {
        if (r.driver == driver) {
            return r;
        }
    }
    throw std::runtime_error("no report for " + driver);
}

const sim::LanIdentity& identityOf(const sim::DriverReport& r, const std::string& container) {
    for (const auto& id : r.identities) {
        if (id.container == container) {
            return id;
        }
    }
    throw std::runtime_error("no identity for " + container);
}

class CompareTour : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_sc = new model::Scenario(source("scenarios/tour.yaml"));
        s_c = new sim::Comparison(
            sim::compare(*s_sc, {"bridge", "macvlan", "ipvlan", "overlay", "host"}));
    }
    static void TearDownTestSuite() {
        delete s_c;
        delete s_sc;
    }
    static model::Scenario* s_sc;
    static sim::Comparison* s_c;
};
model::Scenario* CompareTour::s_sc = nullptr;
sim::Comparison* CompareTour::s_c = nullptr;

}  // namespace

TEST_F(CompareTour, ComparesEveryUserNetworkAndTheContainersOnThem) {
    EXPECT_EQ(s_c->networks, (std::vector<std::string>{"front", "back"}));
    EXPECT_EQ(s_c->containers, (std::vector<std::string>{"web", "api", "db"}));
    ASSERT_EQ(s_c->drivers.size(), 5U);
}

TEST_F(CompareTour, BridgeHidesContainersBehindTheHost) {
    const auto& r = on(*s_c, "bridge");
    ASSERT_TRUE(r.valid) << r.invalid;
    EXPECT_EQ(r.fromLan, (sim::Tally{0, 3}));  // the LAN has no route to 172.18/16
    EXPECT_EQ(r.toLan, (sim::Tally{3, 3}));    // out through MASQUERADE
    EXPECT_EQ(r.published, (sim::Tally{1, 1}));
    const auto& web = identityOf(r, "web");
    EXPECT_TRUE(web.onLan);
    EXPECT_FALSE(web.ownMac);
    EXPECT_FALSE(web.ownIp);
    EXPECT_EQ(web.ip, "192.168.100.11");
    EXPECT_TRUE(r.changes.empty());  // the baseline
    EXPECT_EQ(r.wire.mtu, 1500);
    EXPECT_EQ(r.wire.frameBytes, 98);  // 14 Ethernet + 20 IPv4 + 64 ICMP
}

TEST_F(CompareTour, MacvlanPutsContainersOnTheLanWithTheirOwnMacAndAddress) {
    const auto& r = on(*s_c, "macvlan");
    ASSERT_TRUE(r.valid) << r.invalid;
    const auto& web = identityOf(r, "web");
    EXPECT_TRUE(web.ownMac);
    EXPECT_TRUE(web.ownIp);
    EXPECT_EQ(web.vlan, 0);
    EXPECT_EQ(web.ip.rfind("192.168.100.", 0), 0U) << web.ip;
    EXPECT_EQ(r.toOwnHost, (sim::Tally{0, 3}));  // a parent never hears its slaves
    EXPECT_EQ(r.published, (sim::Tally{0, 1}));  // no port mapping on macvlan
    EXPECT_GT(r.fromLan.reachable, 0);
    EXPECT_LT(r.objects.rules, on(*s_c, "bridge").objects.rules);
    // back went to VLAN 20: db's frames are tagged on the LAN.
    const auto& db = identityOf(r, "db");
    EXPECT_TRUE(db.onLan);
    EXPECT_EQ(db.vlan, 20);
    EXPECT_EQ(r.settings.at(1).text.find("macvlan on eth0.20"), 0U) << r.settings.at(1).text;
}

TEST_F(CompareTour, IpvlanSharesTheHostsMacButNotItsAddress) {
    const auto& r = on(*s_c, "ipvlan");
    ASSERT_TRUE(r.valid) << r.invalid;
    const auto& web = identityOf(r, "web");
    EXPECT_FALSE(web.ownMac);
    EXPECT_TRUE(web.ownIp);
}

TEST_F(CompareTour, ChangesAreTheBaselinesPairsThatFlipped) {
    const auto& r = on(*s_c, "macvlan");
    const auto flip = std::find_if(r.changes.begin(), r.changes.end(), [](const auto& c) {
        return c.pair.from == "host1" && c.pair.to == "web" && c.pair.proto == model::Proto::Icmp;
    });
    ASSERT_NE(flip, r.changes.end());
    EXPECT_EQ(flip->first, "reachable");
    EXPECT_EQ(flip->here, "unreachable");
    EXPECT_FALSE(flip->reason.en.empty());
}

TEST_F(CompareTour, OverlayHasASmallerMtu) {
    const auto& r = on(*s_c, "overlay");
    ASSERT_TRUE(r.valid) << r.invalid;
    EXPECT_EQ(r.wire.mtu, 1450);
    // The host has no route into the overlay, but each container has a
    // docker_gwbridge address beside it, which the host reaches.
    EXPECT_EQ(r.fromOwnHost, (sim::Tally{3, 3}));
    EXPECT_EQ(r.published, (sim::Tally{1, 1}));  // through docker_gwbridge
}

TEST_F(CompareTour, HostModeRefusesPublishedPortsAndSaysWhy) {
    const auto& r = on(*s_c, "host");
    EXPECT_FALSE(r.valid);
    EXPECT_NE(r.invalid.find("published ports are discarded in network_mode: host"),
              std::string::npos)
        << r.invalid;
}

TEST(Compare, AcrossHostsOverlayEncapsulatesAndBridgeDoesNotReach) {
    const auto sc = source("scenarios/overlay-and-bridge.yaml");
    const auto c = sim::compare(sc, {"overlay", "bridge"}, "back");
    const auto& overlay = on(c, "overlay");
    ASSERT_TRUE(overlay.wire.crossHost);
    EXPECT_TRUE(overlay.wire.reachable);
    EXPECT_EQ(overlay.wire.frameBytes, 148);  // 98 + 50 of VXLAN, UDP, IPv4 and Ethernet
    EXPECT_EQ(overlay.wire.where, "LAN");
    EXPECT_EQ(overlay.crossHost, (sim::Tally{2, 2}));
    const auto& bridge = on(c, "bridge");
    // Each host's bridge is its own: no answer from the container on the other host.
    EXPECT_EQ(bridge.crossHost, (sim::Tally{0, 2}));
    EXPECT_FALSE(bridge.wire.reachable);
}

TEST(Compare, MacvlanAcrossHostsHandsOutTheSameAddressesOnEachHost) {
    const auto sc = model::readScenario(R"(
name: t
x-hosts:
  host1: {underlay: 192.168.100.11/24}
  host2: {underlay: 192.168.100.12/24}
services:
  a: {x-host: host1, networks: [n]}
  b: {x-host: host2, networks: [n]}
networks:
  n: {}
)",
                                        "t.yaml");
    const auto c = sim::compare(sc, {"bridge", "macvlan", "overlay"});
    EXPECT_TRUE(on(c, "bridge").duplicates.empty());   // each host's bridge is private
    EXPECT_TRUE(on(c, "overlay").duplicates.empty());  // the swarm's IPAM is global
    const auto& mv = on(c, "macvlan");
    ASSERT_EQ(mv.duplicates.size(), 1U);
    EXPECT_EQ(mv.duplicates[0].ip, "192.168.100.128");
    EXPECT_EQ(mv.duplicates[0].containers, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(mv.crossHost, (sim::Tally{0, 2}));  // each answers itself
    EXPECT_EQ(on(c, "overlay").crossHost, (sim::Tally{2, 2}));
}

TEST(Compare, ANetworkAlreadyOnTheLanKeepsEth0AndItsRange) {
    const auto sc = source("scenarios/compare-drivers.yaml");
    const auto c = sim::compare(sc, {"macvlan"});
    const auto& r = on(c, "macvlan");
    ASSERT_TRUE(r.valid) << r.invalid;
    for (const auto& s : r.settings) {
        if (s.network == "lan") {
            EXPECT_EQ(s.text.find("macvlan on eth0:"), 0U) << s.text;
            EXPECT_NE(s.text.find("192.168.100.192/27"), std::string::npos) << s.text;
        } else {
            EXPECT_EQ(s.text.find("macvlan on eth0."), 0U) << s.text;  // a VLAN each
        }
    }
    EXPECT_EQ(r.wire.network, "app");
}

TEST(Compare, UnknownDriverOrNetworkIsAnError) {
    const auto sc = source("scenarios/tour.yaml");
    EXPECT_THROW(sim::compare(sc, {"bridge", "vxlan"}), model::Error);
    EXPECT_THROW(sim::compare(sc, {"bridge"}, "nowhere"), model::Error);
}

namespace {

// The first ```json block of docs/compare.md.
nlohmann::ordered_json documented() {
    std::ifstream in(std::string(CNMLAB_SOURCE_DIR) + "/docs/compare.md");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const auto start = text.find("```json\n");
    const auto end = text.find("```", start + 8);
    return nlohmann::ordered_json::parse(text.substr(start + 8, end - start - 8));
}

// Keys in the same order with the same types; null stands in for any type
// where the docs say a value may be null; arrays compare their first elements.
void sameShape(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& out,
               const std::string& path) {
    static const std::set<std::string> kNullable = {"invalid", "network", "port", "mac",
                                                    "ip",      "vlan",    "wire"};
    if (doc.is_object()) {
        ASSERT_TRUE(out.is_object()) << path;
        std::vector<std::string> dk, ok;
        for (const auto& [k, v] : doc.items()) {
            dk.push_back(k);
        }
        for (const auto& [k, v] : out.items()) {
            ok.push_back(k);
        }
        ASSERT_EQ(dk, ok) << path;
        for (const auto& [k, v] : doc.items()) {
            const auto& o = out.at(k);
            if ((v.is_null() || o.is_null()) && kNullable.count(k) > 0) {
                continue;
            }
            sameShape(v, o, path + "." + k);
        }
    } else if (doc.is_array()) {
        ASSERT_TRUE(out.is_array()) << path;
        if (!doc.empty() && !out.empty()) {
            sameShape(doc.front(), out.front(), path + "[0]");
        }
    } else if (doc.is_number_integer()) {
        EXPECT_TRUE(out.is_number_integer()) << path;  // signed or unsigned alike
    } else {
        EXPECT_EQ(doc.type(), out.type()) << path;
    }
}

}  // namespace

TEST(CompareJson, MatchesTheDocumentedShape) {
    const auto sc = source("scenarios/tour.yaml");
    const auto c = sim::compare(sc, {"bridge", "macvlan", "host"});
    const auto out = sim::compareJson(c, "en");
    const auto doc = documented();
    // The top level, and each valid driver against the documented one.
    auto top = out;
    top["drivers"] = nlohmann::ordered_json::array({out["drivers"][1]});
    sameShape(doc, top, "$");
    sameShape(doc["drivers"][0], out["drivers"][0], "$.drivers[bridge]");
    // An invalid driver stops after its settings, with the reason.
    const auto& host = out["drivers"][2];
    EXPECT_FALSE(host["valid"].get<bool>());
    EXPECT_TRUE(host["invalid"].is_string());
    EXPECT_EQ(host.size(), 4U);
    EXPECT_FALSE(host.contains("reach"));
}

// The Plan held to what a real Docker 20.10.24 daemon did: the routes in each
// container and the names its embedded DNS answered, as recorded by
// tests/conformance/record.sh (tests/conformance/recorded/*.json). The sim's
// conformance test compares reachability; this one needs no simulation: the
// routes and DnsRecords are read off the Plan. Scenarios with remove/add steps
// are left to the conformance test.
#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "drivers/sandbox_services.hpp"
#include "test_util.hpp"

using namespace cnmlab::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// "default via 172.18.0.1 (front)" -> "default via 172.18.0.1"; "172.18.0.0/16 (x)" ->
// "172.18.0.0/16".
std::string stripLabel(const std::string& s) {
    const auto paren = s.find(" (");
    return paren == std::string::npos ? s : s.substr(0, paren);
}

// What `ip route` shows in the namespace: connected routes of its addresses, then
// the Plan's routes, as the recorder prints them (without the network label).
std::set<std::string> routeTable(const Plan& plan, const std::string& netns) {
    std::set<std::string> out;
    for (const auto& a : plan.addresses) {
        if (a.netns == netns && a.dev != "lo") {
            out.insert(a.cidr.networkStr());
        }
    }
    for (const auto& r : plan.routes) {
        if (r.netns == netns) {
            out.insert(r.dst.prefix == 0 ? "default via " + r.via->str() : r.dst.networkStr());
        }
    }
    return out;
}

std::string defaultRoute(const Plan& plan, const std::string& netns) {
    for (const auto& r : plan.routes) {
        if (r.netns == netns && r.dst.prefix == 0 && r.via) {
            return "via " + r.via->str();
        }
    }
    return "none";
}

class Recorded : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> recordings() {
    std::vector<std::string> out;
    const fs::path dir = fs::path(CNMLAB_SOURCE_DIR) / "tests" / "conformance" / "recorded";
    if (fs::exists(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.path().extension() == ".json") {
                out.push_back(e.path().stem().string());
            }
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

void checkRoute(const Built& b, const json& fact, std::vector<std::string>& diffs) {
    const auto* c = b.topo.findContainer(fact["service"].get<std::string>());
    const std::string netns = cnmlab::drivers::processNetns(b.topo, *c);
    if (fact["field"] == "default") {
        const std::string want = stripLabel(fact["value"].get<std::string>());
        const std::string got = defaultRoute(b.plan, netns);
        if (want != got) {
            diffs.push_back(fact["id"].get<std::string>() + ": docker " + want + ", plan " + got);
        }
    } else {
        std::set<std::string> want;
        for (const auto& v : fact["value"]) {
            want.insert(stripLabel(v.get<std::string>()));
        }
        if (want != routeTable(b.plan, netns)) {
            diffs.push_back(fact["id"].get<std::string>() + ": route tables differ");
        }
    }
}

void checkDns(const Built& b, const json& fact, std::vector<std::string>& diffs) {
    const auto* c = b.topo.findContainer(fact["from"].get<std::string>());
    const std::string netns = cnmlab::drivers::processNetns(b.topo, *c);
    const std::string name = fact["name"];
    bool server = false;
    std::set<std::string> answers;
    for (const auto& d : b.plan.dns) {
        if (d.netns == netns) {
            server = true;
            if (d.name == name) {
                answers.insert(d.address.str());
            }
        }
    }
    const std::string status = fact["status"];
    std::set<std::string> want;
    for (const auto& a : fact["answers"]) {
        want.insert(a.get<std::string>());
    }
    const bool ok = status == "noserver"  ? !server
                    : status == "timeout" ? server && answers.empty()
                                          : answers == want;
    if (!ok) {
        diffs.push_back(fact["id"].get<std::string>() + ": docker " + status);
    }
}

}  // namespace

TEST_P(Recorded, RoutesAndDnsAsDockerHadThem) {
    const fs::path conf = fs::path(CNMLAB_SOURCE_DIR) / "tests" / "conformance";
    const json rec = json::parse(readText((conf / "recorded" / (GetParam() + ".json")).string()));
    if (!rec["steps"].empty()) {
        GTEST_SKIP() << "remove/add steps: compared by the conformance test";
    }
    const std::string file = rec["scenario"];
    auto b = build(readText((conf / file).string()), fs::path(file).filename().string());
    std::vector<std::string> diffs;
    int compared = 0;
    for (const auto& fact : rec["facts"]) {
        if (fact["kind"] == "route") {
            checkRoute(*b, fact, diffs);
            ++compared;
        } else if (fact["kind"] == "dns") {
            checkDns(*b, fact, diffs);
            ++compared;
        }
    }
    EXPECT_GT(compared, 0);
    for (const auto& d : diffs) {
        ADD_FAILURE() << GetParam() << ": " << d;
    }
}

INSTANTIATE_TEST_SUITE_P(Docker20_10, Recorded, ::testing::ValuesIn(recordings()),
                         [](const auto& param) {
                             std::string n = param.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

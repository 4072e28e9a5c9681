// The null and host drivers: nothing to build, which is the lesson
// (libnetwork drivers/null/null.go, drivers/host/host.go).
#include "drivers/driver_registry.hpp"
#include "drivers/underlay.hpp"
#include "test_util.hpp"

using namespace cnmlab::test;
using V = std::vector<std::string>;

TEST(NullDriver, NoneModeSandboxHasOnlyLoopback) {
    auto b = build("services: {sealed: {network_mode: none}}");
    const auto* ns = b->plan.findNetns("shop-sealed-1");
    ASSERT_NE(ns, nullptr);
    EXPECT_EQ(ns->kind, cnmlab::drivers::NetnsKind::Sandbox);
    const auto links = linksIn(b->plan, "shop-sealed-1");
    ASSERT_EQ(links.size(), 1U);
    EXPECT_EQ(links.front()->name, "lo");
    EXPECT_EQ(addressesIn(b->plan, "shop-sealed-1"), V{"lo 127.0.0.1/8"});
    EXPECT_TRUE(routesIn(b->plan, "shop-sealed-1").empty());
    EXPECT_TRUE(dnsIn(b->plan, "shop-sealed-1").empty());
}

TEST(NullDriver, TypeAndCapability) {
    PlanBuilder plan;
    cnmlab::model::Scenario sc = cnmlab::model::readScenario("services: {a: {}}", "t.yaml");
    buildUnderlay(sc, plan);
    DriverRegistry reg("host1", plan);
    Driver* d = reg.find("null");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->type(), "null");
    EXPECT_EQ(d->capability().dataScope, Scope::Local);
    EXPECT_EQ(d->capability().connectivityScope, Scope::Local);
    EXPECT_EQ(reg.find("host")->type(), "host");
    EXPECT_EQ(reg.find("bridge")->type(), "bridge");
}

TEST(HostDriver, HostModeHasNoSandboxAndListensOnTheHost) {
    auto b = build("services: {monitor: {network_mode: host, x-listen: [9100/tcp]}}");
    EXPECT_EQ(b->plan.findNetns("shop-monitor-1"), nullptr);
    EXPECT_EQ(listenersIn(b->plan, "host1"), V{"tcp 0.0.0.0:9100 monitor"});
}

TEST(HostDriver, HostModeAddsNothingToTheFirewall) {
    auto plain = build("services: {web: {}}");
    auto withHost = build("services: {web: {}, monitor: {network_mode: host, expose: [\"80\"]}}");
    EXPECT_EQ(withHost->plan.rules.size(), plain->plan.rules.size());
    EXPECT_EQ(withHost->plan.links.size(), plain->plan.links.size());
    EXPECT_EQ(listenersIn(withHost->plan, "host1"), V{"tcp 0.0.0.0:80 monitor"});
}

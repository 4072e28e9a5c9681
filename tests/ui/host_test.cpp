// The host view through the real widgets: open a Docker host, see the kernel
// objects of its Plan as items, play a probe and watch the token cross them
// in step with the canvas, with the netfilter rule that decided marked.
#include <gtest/gtest.h>

#include <QGraphicsView>
#include <QTabWidget>
#include <QTest>
#include <QThreadPool>

#include "drivers/plan.hpp"
#include "model/generator.hpp"
#include "ui/canvas_view.hpp"
#include "ui/edit_controller.hpp"
#include "ui/frame_item.hpp"
#include "ui/host/device_item.hpp"
#include "ui/host/host_animator.hpp"
#include "ui/host/host_scene.hpp"
#include "ui/host/host_view.hpp"
#include "ui/host/netfilter_item.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/packet_animator.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/topology_scene.hpp"
#include "ui_test_util.hpp"

using cnmlab::drivers::Plan;
using cnmlab::ui::DeviceItem;
using cnmlab::ui::DeviceKind;
using cnmlab::ui::MainWindow;
using cnmlab::ui::Playback;

namespace {

void openTour(MainWindow& w) {
    uitest::openScenario(w, "tour.yaml");
}

const Plan& planOf(MainWindow& w) {
    return *w.document()->resolved().plan;
}

QString id(const std::string& netns, const std::string& dev) {
    return QString::fromStdString(netns) + '|' + QString::fromStdString(dev);
}

// The host end of the veth pair whose other end is `dev` in `netns`.
std::string hostEnd(const Plan& plan, const std::string& netns, const std::string& dev) {
    const auto* l = plan.findLink(netns, dev);
    return l != nullptr ? l->peerName : std::string();
}

std::string bridgeOf(const Plan& plan, const std::string& host, const std::string& veth) {
    const auto* l = plan.findLink(host, veth);
    return l != nullptr ? l->master : std::string();
}

// The distinct device ids the host view's token stands on, hop by hop, as
// the playback steps forward from the start.
QStringList visitedByStepping(MainWindow& w) {
    Playback* pb = w.simulation()->playback();
    auto* scene = w.hostView()->scene();
    auto* animator = w.hostView()->animator();
    pb->pause();
    pb->toStart();
    QStringList out;
    for (int h = 0; h < pb->hopCount(); ++h) {
        if (h > 0) {
            pb->stepForward();
        }
        EXPECT_EQ(pb->current(), h);
        const QString at = animator->places().value(h);
        const DeviceItem* item = scene->deviceItem(at);
        EXPECT_NE(item, nullptr) << at.toStdString();
        if (item != nullptr) {  // the token is on that device
            EXPECT_TRUE(item->device().rect.adjusted(-1, -1, 1, 1).contains(animator->tokenPos()))
                << at.toStdString() << " hop " << h;
            EXPECT_EQ(item->mark(), DeviceItem::Mark::Current);
        }
        if (out.isEmpty() || out.back() != at) {
            out << at;
        }
    }
    return out;
}

}  // namespace

TEST(HostView, OpeningTourHost1ShowsItsBridgesVethsAndSandboxesFromThePlan) {
    MainWindow w;
    openTour(w);
    w.openHost(QStringLiteral("host1"));
    QApplication::processEvents();
    auto* view = w.hostView();
    ASSERT_TRUE(view->isVisible());
    EXPECT_EQ(view->host(), QStringLiteral("host1"));
    auto* scene = view->scene();
    const Plan& plan = planOf(w);
    int bridges = 0;
    int veths = 0;
    int sandboxes = 0;
    for (const auto& l : plan.links) {
        if (l.netns == "host1" && l.kind == cnmlab::drivers::LinkKind::Bridge) {
            const DeviceItem* b = scene->deviceItem(id("host1", l.name));
            ASSERT_NE(b, nullptr) << l.name;
            EXPECT_EQ(b->device().kind, DeviceKind::Bridge);
            ++bridges;
        }
        const auto* peerNs = plan.findNetns(l.peerNetns);
        if (l.netns == "host1" && l.kind == cnmlab::drivers::LinkKind::Veth && peerNs != nullptr &&
            peerNs->kind == cnmlab::drivers::NetnsKind::Sandbox) {
            // Both ends of the pair: the host end and the sandbox's interface.
            const DeviceItem* end = scene->deviceItem(id("host1", l.name));
            ASSERT_NE(end, nullptr) << l.name;
            EXPECT_EQ(end->device().kind, DeviceKind::VethEnd);
            const DeviceItem* inside = scene->deviceItem(id(l.peerNetns, l.peerName));
            ASSERT_NE(inside, nullptr) << l.peerNetns;
            EXPECT_EQ(inside->device().kind, DeviceKind::Interface);
            // The sandbox's end is drawn above its host end.
            EXPECT_LT(inside->device().rect.bottom(), end->device().rect.top());
            ++veths;
        }
    }
    for (const auto& ns : plan.namespaces) {
        if (ns.kind == cnmlab::drivers::NetnsKind::Sandbox && ns.host == "host1") {
            const DeviceItem* box = scene->deviceItem(id(ns.name, ""));
            ASSERT_NE(box, nullptr) << ns.name;
            EXPECT_EQ(box->device().kind, DeviceKind::Namespace);
            ++sandboxes;
        }
    }
    EXPECT_EQ(bridges, 3);    // docker0, front, back
    EXPECT_EQ(veths, 5);      // legacy, web, api twice, db
    EXPECT_EQ(sandboxes, 5);  // and sealed (loopback only); monitor shares the host's
    ASSERT_NE(scene->deviceItem(id("host1", "eth0")), nullptr);
    EXPECT_EQ(scene->deviceItem(id("host1", "eth0"))->device().kind, DeviceKind::Uplink);
    EXPECT_NE(scene->deviceItem(id("host1", "")), nullptr);  // the kernel
    // The netfilter chains Docker makes, and each object's command.
    QStringList chains;
    for (const auto& c : scene->diagram().chains) {
        chains << QString::fromStdString(c.name);
    }
    for (const char* c : {"DOCKER", "DOCKER-USER", "DOCKER-ISOLATION-STAGE-1",
                          "DOCKER-ISOLATION-STAGE-2", "PREROUTING", "POSTROUTING"}) {
        EXPECT_TRUE(chains.contains(QLatin1String(c))) << c;
    }
    EXPECT_TRUE(
        scene->commandsFor(id("host1", "docker0")).contains(QLatin1String("ip link add docker0")));
    EXPECT_TRUE(scene->commandsFor(id("tour-web-1", "eth0"))
                    .contains(QLatin1String("ip -n tour-web-1 addr add 172.18.0.2/16 dev eth0")));
    // No two devices overlap (chips on their box's edge excepted).
    const auto& devices = scene->diagram().devices;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        for (std::size_t j = i + 1; j < devices.size(); ++j) {
            const auto& a = devices[i];
            const auto& b = devices[j];
            if (a.kind == DeviceKind::Namespace || b.kind == DeviceKind::Namespace) {
                continue;
            }
            EXPECT_FALSE(a.rect.intersects(b.rect))
                << a.id.toStdString() << " " << b.id.toStdString();
        }
    }
    uitest::shot(w, QStringLiteral("host"));
}

TEST(HostView, DoubleClickingAHostFrameOpensIt) {
    MainWindow w;
    openTour(w);
    auto* frame = w.scene()->frameItem("host1");
    ASSERT_NE(frame, nullptr);
    const QPointF title = frame->rect().topLeft() + QPointF(frame->rect().width() / 2, 12);
    const QPoint at = w.view()->mapFromScene(title);
    QTest::mouseDClick(w.view()->viewport(), Qt::LeftButton, {}, at);
    QApplication::processEvents();
    EXPECT_TRUE(w.hostView()->isVisible());
    EXPECT_EQ(w.hostView()->host(), QStringLiteral("host1"));
}

TEST(HostView, TheTokenCrossesTheVethsAndTheBridgeInOrderInStepWithTheCanvas) {
    MainWindow w;
    openTour(w);
    w.openHost(QStringLiteral("host1"));
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    const Plan& plan = planOf(w);
    const std::string webVeth = hostEnd(plan, "tour-web-1", "eth0");
    const std::string front = bridgeOf(plan, "host1", webVeth);
    ASSERT_FALSE(front.empty());
    // api's interface on front: the sandbox end whose host end is on front.
    std::string apiIf;
    for (const auto& l : plan.links) {
        if (l.netns == "tour-api-1" && bridgeOf(plan, "host1", l.peerName) == front) {
            apiIf = l.name;
        }
    }
    const std::string apiVeth = hostEnd(plan, "tour-api-1", apiIf);
    const QStringList visited = visitedByStepping(w);
    const QStringList expected{id("tour-web-1", "eth0"), id("host1", webVeth), id("host1", front),
                               id("host1", apiVeth), id("tour-api-1", apiIf)};
    // The echo request's way, in order (ARP and the reply come and go on it too).
    qsizetype from = 0;
    for (const QString& e : expected) {
        const qsizetype at = visited.indexOf(e, from);
        ASSERT_GE(at, from) << e.toStdString() << " in " << visited.join(' ').toStdString();
        from = at + 1;
    }
    // Stepping back moves both tokens back: the canvas and the host view follow
    // the same playback.
    Playback* pb = w.simulation()->playback();
    pb->seek(3);
    const QPointF hostAt3 = w.hostView()->animator()->tokenPos();
    const QPointF canvasAt3 = w.simulation()->animator()->tokenPos();
    pb->stepForward();
    pb->stepBack();
    EXPECT_EQ(pb->current(), 3);
    EXPECT_EQ(w.hostView()->animator()->tokenPos(), hostAt3);
    EXPECT_EQ(w.simulation()->animator()->tokenPos(), canvasAt3);
}

TEST(HostView, APublishedPortMarksTheDnatRuleAndIsolationMarksTheDrop) {
    MainWindow w;
    openTour(w);
    w.openHost(QStringLiteral("host1"));
    auto* nf = w.hostView()->scene()->netfilter();
    ASSERT_NE(nf, nullptr);
    const Plan& plan = planOf(w);
    // laptop -> host1:8080: enters through eth0, DNAT in nat DOCKER to web:80.
    ASSERT_TRUE(
        w.simulationBar()
            ->send(QStringLiteral("laptop"), QStringLiteral("host1"), QStringLiteral("tcp"), 8080)
            .isEmpty());
    Playback* pb = w.simulation()->playback();
    pb->pause();
    const QStringList visited = visitedByStepping(w);
    EXPECT_TRUE(visited.contains(QStringLiteral("outside|")));
    EXPECT_TRUE(visited.contains(id("host1", "eth0")));
    bool dnat = false;
    for (const auto& m : nf->matched()) {
        const auto& r = plan.rules[static_cast<std::size_t>(m.rule)];
        dnat = dnat ||
               (r.verdict == cnmlab::drivers::NfVerdict::Dnat && r.chain == "DOCKER" && !m.drop);
    }
    EXPECT_TRUE(dnat);
    EXPECT_FALSE(nf->ruleRect(nf->matched().front().rule).isEmpty());
    // Back to the start: nothing met yet.
    pb->toStart();
    EXPECT_TRUE(nf->matched().empty());

    // web -> db: dropped by Docker's isolation rules, and that rule is marked.
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("db")).isEmpty());
    pb->pause();
    pb->toEnd();
    ASSERT_FALSE(nf->matched().empty());
    const auto& last = nf->matched().back();
    EXPECT_TRUE(last.drop);
    EXPECT_EQ(plan.rules[static_cast<std::size_t>(last.rule)].chain, "DOCKER-ISOLATION-STAGE-2");
    uitest::shot(w, QStringLiteral("host-drop"));
    // The dark theme rebuilds the diagram in its colours and keeps the marks.
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Dark theme")));
    QApplication::processEvents();
    ASSERT_NE(w.hostView()->scene()->netfilter(), nullptr);  // a new one: `nf` is gone
    ASSERT_FALSE(w.hostView()->scene()->netfilter()->matched().empty());
    EXPECT_TRUE(w.hostView()->scene()->netfilter()->matched().back().drop);
    uitest::shot(w, QStringLiteral("host-drop-dark"));
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Dark theme")));
}

TEST(HostView, AnyHostOfAMultiHostScenarioOpens) {
    MainWindow w;
    w.resize(1440, 900);
    uitest::showActive(w);
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Two hosts on a LAN")));
    const auto& hosts = w.document()->scenario().hosts;
    ASSERT_GE(hosts.size(), 2u);
    for (const auto& h : hosts) {
        w.openHost(QString::fromStdString(h.name));
        QApplication::processEvents();
        auto* scene = w.hostView()->scene();
        EXPECT_EQ(scene->host(), h.name);
        EXPECT_NE(scene->deviceItem(id(h.name, "eth0")), nullptr) << h.name;
        EXPECT_NE(scene->deviceItem(id(h.name, "docker0")), nullptr) << h.name;
    }
}

TEST(Responsiveness, AnEditReturnsAtOnceAndItsCheckArrivesLater) {
    cnmlab::model::GenerateOptions opt;
    opt.hosts = 1;
    opt.networks = 20;
    opt.containers = 1000;
    const std::string text = cnmlab::model::generateScenario(opt);
    MainWindow w;
    w.resize(1440, 900);
    uitest::showActive(w);
    w.document()->loadText(text, QStringLiteral("big"));
    auto* doc = w.document();
    ASSERT_TRUE(doc->resolved().ok());
    const std::string name = doc->scenario().services.front().key;
    const auto before = doc->snapshot();
    int changes = 0;
    QObject::connect(doc, &cnmlab::ui::ScenarioDocument::changed, [&] { ++changes; });
    // Two renames in a row: edit() returns with the scenario changed and the
    // check still running; the first check's result is stale and dropped.
    w.editor()->rename(cnmlab::ui::ObjectKind::Service, name, name + "a");
    EXPECT_NE(doc->scenario().findService(name + "a"), nullptr);
    EXPECT_TRUE(doc->validating());
    EXPECT_EQ(doc->snapshot(), before);
    w.editor()->rename(cnmlab::ui::ObjectKind::Service, name + "a", name + "b");
    EXPECT_NE(doc->scenario().findService(name + "b"), nullptr);
    EXPECT_TRUE(doc->validating());
    EXPECT_EQ(changes, 2);  // one per edit, at once
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_NE(doc->snapshot(), before);
    ASSERT_TRUE(doc->resolved().ok());
    EXPECT_NE(doc->resolved().topology->findContainer(name + "b"), nullptr);
    EXPECT_EQ(doc->resolved().topology->findContainer(name + "a"), nullptr);
    // Let the first check finish if it was still running: its result changes nothing.
    QThreadPool::globalInstance()->waitForDone();
    QApplication::processEvents();
    EXPECT_EQ(changes, 3);  // + the latest check's result only
    EXPECT_NE(doc->resolved().topology->findContainer(name + "b"), nullptr);
}

namespace {

// Steps through the played probe (and halfway between its hops) and checks
// that the packet's callout covers neither the device the packet is at nor
// the box of the world outside the host.
void expectCalloutClear(MainWindow& w, const char* what) {
    Playback* pb = w.simulation()->playback();
    auto* scene = w.hostView()->scene();
    auto* animator = w.hostView()->animator();
    const DeviceItem* outside = scene->deviceItem(QStringLiteral("outside|"));
    ASSERT_NE(outside, nullptr);
    pb->pause();
    for (int h = 0; h < pb->hopCount(); ++h) {
        for (const double f : {1.0, 0.5}) {
            if (f < 1.0 && h == 0) {
                continue;
            }
            f < 1.0 ? pb->seekBetween(h, f) : pb->seek(h);
            const QRectF callout = animator->calloutSceneRect();
            ASSERT_FALSE(callout.isEmpty());
            const QString at = animator->places().value(pb->current());
            const DeviceItem* item = scene->deviceItem(at);
            ASSERT_NE(item, nullptr) << at.toStdString();
            EXPECT_FALSE(callout.intersects(item->device().rect))
                << what << ": hop " << h << " (" << f << ") covers " << at.toStdString();
            EXPECT_FALSE(callout.intersects(outside->device().rect))
                << what << ": hop " << h << " (" << f << ") covers the outside box";
        }
    }
}

}  // namespace

// The packet's callout in the host view never hides the device being
// crossed, nor the "outside host1" box, for the ways through host1 the
// lesson plays (a DNAT from the LAN, an isolation drop, a same-bridge ping).
TEST(HostView, TheCalloutNeverCoversTheDeviceBeingCrossedNorTheOutsideBox) {
    MainWindow w;
    openTour(w);
    w.openHost(QStringLiteral("host1"));
    QApplication::processEvents();
    ASSERT_TRUE(
        w.simulationBar()
            ->send(QStringLiteral("laptop"), QStringLiteral("host1"), QStringLiteral("tcp"), 8080)
            .isEmpty());
    expectCalloutClear(w, "laptop -> host1:8080");
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("db")).isEmpty());
    expectCalloutClear(w, "web -> db");
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    expectCalloutClear(w, "web -> api");
    uitest::shot(w, QStringLiteral("host-callout"));
}

// The host view opens with the diagram fitted to its width, well under 100 %;
// the iptables tables beside it are in a view of their own at 100 %, so their
// lines stay as tall on the screen as at 100 % (17 pixels a line, 11-pixel
// type), and that view scrolls to the rule the packet meets.
TEST(HostView, TheIptablesPaneStaysReadableAtTheFittedZoom) {
    MainWindow w;
    openTour(w);
    w.openHost(QStringLiteral("host1"));
    QApplication::processEvents();
    auto* view = w.hostView()->view();
    auto* rulesView = w.hostView()->rulesView();
    ASSERT_LT(view->transform().m11(), 0.95);  // the premise: the diagram is fitted, zoomed out
    auto* nf = w.hostView()->scene()->netfilter();
    ASSERT_NE(nf, nullptr);
    const auto& chains = w.hostView()->scene()->diagram().chains;
    int rule = -1;
    for (const auto& c : chains) {
        if (!c.rules.empty()) {
            rule = c.rules.front();
            break;
        }
    }
    ASSERT_GE(rule, 0);
    ASSERT_TRUE(rulesView->isVisible());
    const QRect onScreen = rulesView->mapFromScene(nf->ruleRect(rule)).boundingRect();
    EXPECT_GE(onScreen.height(), 16);
    EXPECT_EQ(nf->ruleAt(nf->ruleRect(rule).center()), rule);
    // Beside the diagram, and the whole diagram fits its view's width.
    EXPECT_GE(rulesView->mapTo(w.hostView(), QPoint(0, 0)).x(),
              view->mapTo(w.hostView(), QPoint(view->width(), 0)).x());
    EXPECT_LE(w.hostView()->scene()->sceneRect().width() * view->transform().m11(),
              view->viewport()->width() + 1.0);
    // The tables are laid out to their view: no line runs off its right edge.
    EXPECT_LE(nf->boundingRect().right() * rulesView->transform().m11(),
              rulesView->viewport()->width() + 1.0);
    // At the end of web -> db the DROP that stopped it is marked and in view,
    // and so is the packet in the diagram.
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("db")).isEmpty());
    Playback* pb = w.simulation()->playback();
    pb->pause();
    pb->toEnd();
    QApplication::processEvents();
    ASSERT_GE(nf->currentRule(), 0);
    EXPECT_TRUE(rulesView->mapToScene(rulesView->viewport()->rect())
                    .boundingRect()
                    .contains(nf->ruleRect(nf->currentRule())));
    EXPECT_TRUE(view->mapToScene(view->viewport()->rect())
                    .boundingRect()
                    .contains(w.hostView()->animator()->tokenPos()));
}

// The simulation view through the real widgets: play a probe to the end, the
// event list in step, the packet inspector's panes, the reachability matrix
// and the x-probes, the lesson.
#include <gtest/gtest.h>

#include <algorithm>

#include <QApplication>
#include <QGraphicsItem>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QTest>
#include <QTextDocument>
#include <QTreeWidget>

#include "ui/canvas_graph.hpp"
#include "ui/edge_item.hpp"
#include "ui/lesson/lesson_panel.hpp"
#include "ui/main_window.hpp"
#include "ui/node_item.hpp"
#include "ui/plan/plan_view.hpp"
#include "ui/probes/probes_panel.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/event_list_model.hpp"
#include "ui/sim/events_panel.hpp"
#include "ui/sim/hex_view.hpp"
#include "ui/sim/packet_animator.hpp"
#include "ui/sim/packet_inspector.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/reach_panel.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/topology_scene.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::MainWindow;
using cnmlab::ui::Playback;

namespace {

void openTour(MainWindow& w) {
    uitest::openScenario(w, "tour.yaml");
}

// Lets the playback run to its end at a high speed.
void playToEnd(Playback* pb) {
    pb->setSpeed(16);
    pb->play();
    for (int i = 0; i < 400 && pb->playing(); ++i) {
        QTest::qWait(20);
    }
}

}  // namespace

TEST(Simulation, PlayingAProbeToTheEndFillsTheEventListInStep) {
    MainWindow w;
    openTour(w);
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    Playback* pb = w.simulation()->playback();
    ASSERT_GT(pb->hopCount(), 5);
    EXPECT_TRUE(w.simulation()->animator()->tokenVisible());
    const QPointF start = w.simulation()->animator()->tokenPos();
    playToEnd(pb);
    EXPECT_FALSE(pb->playing());
    EXPECT_EQ(pb->current(), pb->hopCount() - 1);
    EXPECT_NE(w.simulation()->animator()->tokenPos(), start);
    // The event list holds every hop, the last one current (bold), the first a tx from web.
    QTableView* events = w.events()->table();
    auto* model = events->model();
    ASSERT_EQ(model->rowCount(), pb->hopCount());
    using Col = cnmlab::ui::EventListModel;
    EXPECT_EQ(model->index(0, Col::Node).data().toString(), QStringLiteral("tour-web-1"));
    const QModelIndex last = model->index(model->rowCount() - 1, Col::Action);
    EXPECT_EQ(last.data().toString(), QStringLiteral("deliver"));
    EXPECT_TRUE(last.data(Qt::FontRole).value<QFont>().bold());
    EXPECT_FALSE(model->index(0, Col::Action).data(Qt::FontRole).value<QFont>().bold());
    // ARP, bridge learning and the echo reply are all in the list, explained.
    QStringList actions;
    for (int r = 0; r < model->rowCount(); ++r) {
        actions << model->index(r, Col::Action).data().toString();
        EXPECT_FALSE(model->index(r, Col::Explain).data().toString().isEmpty());
    }
    EXPECT_TRUE(actions.contains(QStringLiteral("arp")));
    EXPECT_TRUE(actions.contains(QStringLiteral("learn")));
    EXPECT_TRUE(actions.contains(QStringLiteral("reply")));
    uitest::shot(w, QStringLiteral("played"));
}

// sealed has only a loopback: its ping to web ends where it starts. The
// Events tab says how it ended and why, never "No probe yet".
TEST(Simulation, AProbeThatFailsAtItsFirstHopSaysHowItEnded) {
    MainWindow w;
    openTour(w);
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("sealed"), QStringLiteral("web")).isEmpty());
    w.raisePanel(w.events());
    QCoreApplication::processEvents();
    Playback* pb = w.simulation()->playback();
    ASSERT_NE(pb->probe(), nullptr);
    EXPECT_FALSE(pb->probe()->record.reachable);
    for (auto* label : w.events()->findChildren<QLabel*>()) {
        if (label->text().startsWith(QStringLiteral("No probe yet"))) {
            EXPECT_FALSE(label->isVisibleTo(w.events()));
        }
    }
    QLabel* ending = w.events()->ending();
    EXPECT_TRUE(ending->isVisibleTo(w.events()));
    const QString why = cnmlab::ui::SimulationController::verdictReason(pb->probe()->record);
    ASSERT_FALSE(why.isEmpty());
    EXPECT_TRUE(ending->text().contains(QStringLiteral("sealed → web")))
        << ending->text().toStdString();
    EXPECT_TRUE(ending->text().contains(QStringLiteral("unreachable")))
        << ending->text().toStdString();
    EXPECT_TRUE(ending->text().contains(why)) << ending->text().toStdString();
    // The hops there are, in the list.
    EXPECT_EQ(w.events()->table()->model()->rowCount(), pb->hopCount());
    EXPECT_EQ(w.events()->table()->isVisibleTo(w.events()), pb->hopCount() > 0);
    uitest::shot(w, QStringLiteral("first-hop-failure"));
}

TEST(Simulation, StepBackAndForwardMoveTheCurrentRow) {
    MainWindow w;
    openTour(w);
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("db")).isEmpty());
    Playback* pb = w.simulation()->playback();
    pb->pause();
    pb->toStart();
    pb->stepForward();
    pb->stepForward();
    EXPECT_EQ(pb->current(), 2);
    pb->stepBack();
    EXPECT_EQ(pb->current(), 1);
    // Clicking a row of the event list seeks there.
    QTableView* events = w.events()->table();
    const QRect cell = events->visualRect(events->model()->index(3, 1));
    QTest::mouseClick(events->viewport(), Qt::LeftButton, {}, cell.center());
    EXPECT_EQ(pb->current(), 3);
    // web -> db is dropped by Docker's isolation rules: the last hop says so.
    pb->toEnd();
    const auto& hops = pb->probe()->record.hops;
    EXPECT_FALSE(pb->probe()->record.reachable);
    bool dropped = false;
    for (const auto& h : hops) {
        dropped = dropped || h.action == "drop";
    }
    EXPECT_TRUE(dropped);
}

TEST(Simulation, PacketInspectorPanesFollowTheSelectedPacketAndField) {
    MainWindow w;
    openTour(w);
    ASSERT_TRUE(
        w.simulationBar()
            ->send(QStringLiteral("laptop"), QStringLiteral("host1"), QStringLiteral("tcp"), 8080)
            .isEmpty());
    Playback* pb = w.simulation()->playback();
    pb->pause();
    w.raisePanel(w.packets());
    auto* inspector = w.packets();
    ASSERT_GT(inspector->list()->model()->rowCount(), 3);
    // Choosing a packet in the list: the playback goes there, tree and bytes follow.
    inspector->list()->selectRow(2);
    QApplication::processEvents();
    EXPECT_EQ(pb->current(), inspector->currentHop());
    ASSERT_GT(inspector->details()->topLevelItemCount(), 1);
    EXPECT_EQ(inspector->details()->topLevelItem(0)->text(0), QStringLiteral("Ethernet II"));
    EXPECT_GE(inspector->hex()->bytes().size(), 60u);
    // Choosing a field marks its bytes: the Ethernet destination is bytes 0-5.
    QTreeWidgetItem* dst = inspector->details()->topLevelItem(0)->child(0);
    inspector->details()->setCurrentItem(dst);
    EXPECT_EQ(inspector->hex()->highlighted(), (std::pair<std::size_t, std::size_t>{0, 6}));
    uitest::shot(w, QStringLiteral("packet"));
}

TEST(Simulation, MatrixCellSaysWhatTheProbeDoesAndClickingItPlaysIt) {
    MainWindow w;
    openTour(w);
    w.raisePanel(w.reach());
    w.reach()->computeAndWait();
    auto* model = w.reach()->model();
    QTableView* table = w.reach()->table();
    ASSERT_GT(model->rowCount(), 5);
    int web = -1;
    int api = -1;
    int db = -1;
    for (int i = 0; i < model->rowCount(); ++i) {
        const QString name = model->headerData(i, Qt::Vertical, Qt::DisplayRole).toString();
        web = name == QLatin1String("web") ? i : web;
        api = name == QLatin1String("api") ? i : api;
        db = name == QLatin1String("db") ? i : db;
    }
    ASSERT_GE(web, 0);
    // web reaches api's address on front (same bridge) but not its address on
    // back, and nothing of db (isolation between bridges).
    auto [ok, total] = model->counts(web, api);
    EXPECT_EQ(total, 4);  // ICMP and tcp/5000, to each of api's two addresses
    EXPECT_EQ(ok, 2);
    auto [ok2, total2] = model->counts(web, db);
    EXPECT_GT(total2, 0);
    EXPECT_EQ(ok2, 0);
    // Click the web -> db cell: that probe plays, and it ends unreachable.
    table->scrollTo(model->index(web, db));
    const QRect cell = table->visualRect(model->index(web, db));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
    Playback* pb = w.simulation()->playback();
    ASSERT_NE(pb->probe(), nullptr);
    EXPECT_EQ(pb->probe()->request.from, "web");
    EXPECT_FALSE(pb->probe()->record.reachable);
    playToEnd(pb);
    EXPECT_EQ(w.events()->table()->model()->rowCount(), pb->hopCount());
    uitest::shot(w, QStringLiteral("matrix"));
}

TEST(Simulation, XProbesShowPassOrFailAndPlayOnClick) {
    MainWindow w;
    openTour(w);
    w.raisePanel(w.probes());
    w.probes()->refresh();
    QTreeWidget* tree = w.probes()->tree();
    ASSERT_EQ(tree->topLevelItemCount(), 8);
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        EXPECT_EQ(tree->topLevelItem(i)->text(0), QStringLiteral("pass")) << i;
    }
    // Break one expectation by an edit: the panel reruns and shows the failure.
    w.document()->edit(QStringLiteral("break"),
                       {cnmlab::ui::replaceService(w.document()->scenario(), [&] {
                           auto s = *w.document()->scenario().findService("api");
                           s.networks.erase(s.networks.begin());  // api leaves front
                           return s;
                       }())});
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    ASSERT_EQ(tree->topLevelItemCount(), 8);
    EXPECT_EQ(tree->topLevelItem(0)->text(0), QStringLiteral("FAIL"));  // web -> api
    tree->setCurrentItem(tree->topLevelItem(1));
    emit tree->itemClicked(tree->topLevelItem(1), 0);
    ASSERT_NE(w.simulation()->playback()->probe(), nullptr);
    EXPECT_EQ(w.simulation()->playback()->probe()->request.to, "db");
}

TEST(Simulation, LessonStepsHighlightAndPlayTheirProbe) {
    MainWindow w;
    openTour(w);
    auto* lesson = w.lesson();
    ASSERT_EQ(lesson->stepCount(), 7);
    lesson->showStep(1);  // front, web, api; probe 0 (web -> api)
    EXPECT_TRUE(w.scene()->nodeItem(QStringLiteral("net:front"))->highlighted());
    EXPECT_TRUE(w.scene()->nodeItem(QStringLiteral("svc:web"))->highlighted());
    EXPECT_FALSE(w.scene()->nodeItem(QStringLiteral("svc:db"))->highlighted() &&
                 !w.simulation()->playback()->playing());
    ASSERT_NE(w.simulation()->playback()->probe(), nullptr);
    EXPECT_EQ(w.simulation()->playback()->probe()->request.from, "web");
    EXPECT_EQ(w.simulation()->playback()->probe()->request.to, "api");
}

TEST(Simulation, PlanViewShowsWhatDockerCreatesForTheSelection) {
    MainWindow w;
    openTour(w);
    w.raisePanel(w.planView());
    w.scene()->selectIds({QStringLiteral("svc:web")});
    EXPECT_EQ(w.planView()->filter(), QStringLiteral("tour-web-1"));
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return !w.planView()->collecting(); }, 10000));  // a worker's job
    QTreeWidget* tree = w.planView()->tree();
    bool sawAddress = false;
    QTreeWidgetItemIterator it(tree);
    for (; *it != nullptr; ++it) {
        if (!(*it)->isHidden() &&
            (*it)->text(0).contains(QLatin1String("ip addr add 172.18.0.2/16 dev eth0"))) {
            sawAddress = true;
        }
    }
    EXPECT_TRUE(sawAddress);
    uitest::shot(w, QStringLiteral("plan"));
}

// Names are the user's in the studio too: a host called lan and one called
// router, externals called internet and eth0, networks keyed bridge (the
// user's) beside docker0. Every node is there, "lan" in x-layout is the host,
// and a probe through the router plays to its end on the canvas.
TEST(Simulation, UserNamesLikeCnmlabsOwnObjectsDrawAndPlay) {
    MainWindow w;
    w.resize(1440, 900);
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("tests/data/names/user-names.yaml"), true).isEmpty());
    auto* scene = w.scene();
    for (const char* id : {"host:lan", "host:router", "ext:internet", "ext:eth0", "ext:underlay",
                           "ext:docker0", "svc:host", "svc:bridge", "svc:br-lan", "net:bridge",
                           "net:docker/bridge", "lan", "router"}) {
        EXPECT_NE(scene->nodeItem(QString::fromLatin1(id)), nullptr) << id;
    }
    const cnmlab::ui::NodeItem* lanHost = scene->nodeItem(QStringLiteral("host:lan"));
    ASSERT_NE(lanHost, nullptr);
    EXPECT_EQ(lanHost->node().layoutName, "lan");
    EXPECT_TRUE(scene->nodeItem(QStringLiteral("lan"))->node().layoutName.empty());
    ASSERT_TRUE(
        w.simulationBar()->send(QStringLiteral("internet"), QStringLiteral("eth0")).isEmpty());
    Playback* pb = w.simulation()->playback();
    ASSERT_GT(pb->hopCount(), 10);
    playToEnd(pb);
    EXPECT_EQ(pb->current(), pb->hopCount() - 1);
    auto* model = w.events()->table()->model();
    using Col = cnmlab::ui::EventListModel;
    EXPECT_EQ(model->index(model->rowCount() - 1, Col::Node).data().toString(),
              QStringLiteral("internet"));
    EXPECT_EQ(model->index(model->rowCount() - 1, Col::Action).data().toString(),
              QStringLiteral("deliver"));
    EXPECT_TRUE(w.simulation()->animator()->tokenVisible());
    uitest::shot(w, QStringLiteral("user-names"));
}

namespace {

// The canvas nodes that glow (the union of the lesson's and the probe's highlights).
QSet<QString> glowingNodes(MainWindow& w) {
    QSet<QString> out;
    for (QGraphicsItem* item : w.scene()->items()) {
        if (auto* n = qgraphicsitem_cast<cnmlab::ui::NodeItem*>(item);
            n != nullptr && n->highlighted()) {
            out.insert(n->id());
        }
    }
    return out;
}

// The canvas ids of lesson step `step`'s highlight names.
QSet<QString> stepIds(MainWindow& w, int step) {
    QSet<QString> out;
    const auto& st = w.document()->scenario().lesson->steps[static_cast<std::size_t>(step)];
    for (const auto& name : st.highlight) {
        out.insert(cnmlab::ui::canvasIdFor(w.scene()->graph(), name));
    }
    return out;
}

QPushButton* lessonButton(MainWindow& w, const QString& text) {
    for (auto* b : w.lesson()->findChildren<QPushButton*>()) {
        if (b->text() == text) {
            return b;
        }
    }
    ADD_FAILURE() << "no lesson button " << text.toStdString();
    return nullptr;
}

}  // namespace

// tour.yaml opens on step 1 of its lesson, and step 1's items glow at once
// (legacy and docker0), before anyone presses a button.
TEST(Lesson, OpeningAFileShowsItsFirstStepsHighlights) {
    MainWindow w;
    openTour(w);
    ASSERT_EQ(w.lesson()->step(), 0);
    const QSet<QString> first = stepIds(w, 0);
    ASSERT_EQ(first.size(), 2);
    EXPECT_EQ(glowingNodes(w), first);
    EXPECT_EQ(w.simulation()->playback()->probe(), nullptr);  // nothing plays by itself
}

// Steps are states: Back from a step whose probe is playing stops it and
// shows exactly the step gone back to — its highlights and its probe (none
// for step 1), nothing of the step left.
TEST(Lesson, GoingBackSetsExactlyThatStepsHighlightsAndProbe) {
    MainWindow w;
    openTour(w);
    Playback* pb = w.simulation()->playback();
    QPushButton* back = lessonButton(w, QStringLiteral("Back"));
    ASSERT_NE(back, nullptr);
    w.lesson()->showStep(3);  // web -> db, dropped by the isolation rules
    ASSERT_NE(pb->probe(), nullptr);
    EXPECT_EQ(pb->probe()->request.to, "db");
    playToEnd(pb);
    pb->setSpeed(1);
    pb->seek(pb->hopCount() / 2);
    pb->play();
    ASSERT_TRUE(pb->playing());

    QTest::mouseClick(back, Qt::LeftButton);  // to step 3: api -> db
    ASSERT_EQ(w.lesson()->step(), 2);
    ASSERT_NE(pb->probe(), nullptr);
    EXPECT_EQ(pb->probe()->request.from, "api");
    EXPECT_EQ(pb->probe()->request.to, "db");
    EXPECT_EQ(pb->current(), 0);  // from its start
    QSet<QString> expected = stepIds(w, 2);
    expected.insert(w.simulation()->animator()->places().front().node);  // where the packet is
    EXPECT_EQ(glowingNodes(w), expected);
    EXPECT_FALSE(glowingNodes(w).contains(QStringLiteral("svc:web")));  // step 4's

    QTest::mouseClick(back, Qt::LeftButton);  // step 2: web -> api
    QTest::mouseClick(back, Qt::LeftButton);  // step 1: no probe
    ASSERT_EQ(w.lesson()->step(), 0);
    EXPECT_FALSE(pb->playing());
    EXPECT_EQ(pb->probe(), nullptr);
    EXPECT_FALSE(w.simulation()->animator()->tokenVisible());
    EXPECT_EQ(glowingNodes(w), stepIds(w, 0));
    for (QGraphicsItem* item : w.scene()->items()) {
        if (auto* e = qgraphicsitem_cast<cnmlab::ui::EdgeItem*>(item)) {
            EXPECT_FALSE(e->highlighted()) << e->edge().id.toStdString();
        }
    }
    EXPECT_EQ(w.events()->table()->model()->rowCount(), 0);
}

// A probe the user sends is theirs: the lesson's highlights go while it
// plays, and come back with the next step entered.
TEST(Lesson, TheUsersOwnProbeClearsTheLessonsHighlightsUntilAStepIsEntered) {
    MainWindow w;
    openTour(w);
    ASSERT_EQ(glowingNodes(w), stepIds(w, 0));
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    Playback* pb = w.simulation()->playback();
    pb->pause();
    const QSet<QString> glowing = glowingNodes(w);
    EXPECT_FALSE(glowing.contains(QStringLiteral("svc:legacy")));
    for (const QString& id : stepIds(w, 0)) {
        EXPECT_FALSE(glowing.contains(id)) << id.toStdString();
    }
    QPushButton* next = lessonButton(w, QStringLiteral("Next"));
    ASSERT_NE(next, nullptr);
    QTest::mouseClick(next, Qt::LeftButton);  // step 2: front, web, api; its probe web -> api
    ASSERT_EQ(w.lesson()->step(), 1);
    for (const QString& id : stepIds(w, 1)) {
        EXPECT_TRUE(glowingNodes(w).contains(id)) << id.toStdString();
    }
    // The lesson's own probe leaves them glowing, also after it played.
    playToEnd(pb);
    for (const QString& id : stepIds(w, 1)) {
        EXPECT_TRUE(glowingNodes(w).contains(id)) << id.toStdString();
    }
}

// web -> db's verdict ("dropped by DOCKER-ISOLATION-STAGE-2 on host1: ...") is
// longer than the room left in the probe bar: it ends in an ellipsis inside
// the bar, and is whole in its tooltip and in the Events tab.
TEST(Simulation, ALongVerdictIsElidedInTheBarAndWholeInItsTooltipAndTheEvents) {
    MainWindow w;
    openTour(w);
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("db")).isEmpty());
    QApplication::processEvents();
    auto* verdict = w.simulationBar()->findChild<QLabel*>(QStringLiteral("probeVerdict"));
    ASSERT_NE(verdict, nullptr);
    const Playback* pb = w.simulation()->playback();
    const QString why = cnmlab::ui::SimulationController::verdictReason(pb->probe()->record);
    ASSERT_GT(why.size(), 80);
    QTextDocument shown;
    shown.setHtml(verdict->text());
    ASSERT_GT(verdict->contentsRect().width(), 100);
    const QString plain = shown.toPlainText();
    EXPECT_TRUE(plain.endsWith(QChar(0x2026))) << plain.toStdString();  // …
    EXPECT_TRUE(plain.startsWith(QStringLiteral("web → db icmp: unreachable")))
        << plain.toStdString();
    // It fits: laid out as the label lays it out, within the label and the bar.
    QTextDocument laidOut;
    laidOut.setDocumentMargin(0);
    laidOut.setDefaultFont(verdict->font());
    laidOut.setHtml(verdict->text());
    EXPECT_LE(laidOut.idealWidth(), verdict->contentsRect().width());
    EXPECT_LE(verdict->mapTo(w.simulationBar(), QPoint(verdict->width(), 0)).x(),
              w.simulationBar()->width());
    EXPECT_TRUE(verdict->isVisible());
    EXPECT_TRUE(verdict->toolTip().contains(why)) << verdict->toolTip().toStdString();
    EXPECT_TRUE(verdict->toolTip().contains(QStringLiteral("web → db icmp")))
        << verdict->toolTip().toStdString();
    EXPECT_TRUE(w.events()->ending()->text().contains(why));
    // Wide enough, nothing is cut.
    w.resize(3000, 900);
    QApplication::processEvents();
    shown.setHtml(verdict->text());
    EXPECT_TRUE(shown.toPlainText().endsWith(why)) << shown.toPlainText().toStdString();
}

// A packet between hosts on an overlay: the inspector's tree holds the outer
// layers, then VXLAN with the whole inner frame nested under it.
TEST(Simulation, PacketInspectorNestsTheFrameInsideVxlan) {
    MainWindow w;
    uitest::openScenario(w, "overlay-swarm.yaml");
    ASSERT_TRUE(w.simulationBar()
                    ->send(QStringLiteral("web"), QStringLiteral("api"), QStringLiteral("icmp"), 0)
                    .isEmpty());
    w.simulation()->playback()->pause();
    w.raisePanel(w.packets());
    auto* inspector = w.packets();
    QTreeWidgetItem* vxlan = nullptr;
    for (int row = 0; row < inspector->list()->model()->rowCount() && vxlan == nullptr; ++row) {
        inspector->list()->selectRow(row);
        QApplication::processEvents();
        for (int i = 0; i < inspector->details()->topLevelItemCount(); ++i) {
            QTreeWidgetItem* item = inspector->details()->topLevelItem(i);
            if (item->text(0).startsWith(QLatin1String("Virtual eXtensible Local Area Network"))) {
                vxlan = item;
            }
        }
    }
    ASSERT_NE(vxlan, nullptr) << "no packet with a VXLAN layer";
    EXPECT_EQ(inspector->details()->topLevelItem(0)->text(0), QStringLiteral("Ethernet II"));
    QStringList nested;
    for (int i = 0; i < vxlan->childCount(); ++i) {
        nested << vxlan->child(i)->text(0);
    }
    EXPECT_TRUE(nested.contains(QStringLiteral("Ethernet II"))) << nested.join(", ").toStdString();
    EXPECT_TRUE(std::any_of(nested.begin(), nested.end(), [](const QString& t) {
        return t.startsWith(QLatin1String("VXLAN Network Identifier"));
    }));
    uitest::shot(w, QStringLiteral("packet-vxlan"));
}

// A swarm service is a group: its node with the VIPs outside the host frames,
// a node per task inside its node's frame. Playing a request to a published
// port on a node without a task, IPVS's choice is a step drawn at the service.
TEST(Simulation, SwarmServiceIsAGroupAndIpvsChoosesAtIt) {
    MainWindow w;
    uitest::openScenario(w, "swarm-routing-mesh.yaml");
    const cnmlab::ui::CanvasGraph& g = w.scene()->graph();
    const cnmlab::ui::CanvasNode* web = g.node(QStringLiteral("svc:web"));
    ASSERT_NE(web, nullptr);
    EXPECT_TRUE(web->host.empty());
    EXPECT_TRUE(web->badges.contains(QStringLiteral("VIP 10.0.1.2")));
    const cnmlab::ui::CanvasNode* task = g.node(QStringLiteral("svc:web.1"));
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(task->host, "host2");
    EXPECT_NE(w.scene()->edgeItem(QStringLiteral("task:web.2")), nullptr);
    EXPECT_NE(w.scene()->edgeItem(QStringLiteral("ep:web|front")), nullptr);
    EXPECT_NE(g.node(QStringLiteral("net:ingress")), nullptr);  // the routing mesh's overlay
    ASSERT_TRUE(
        w.simulationBar()
            ->send(QStringLiteral("laptop"), QStringLiteral("host1"), QStringLiteral("tcp"), 8080)
            .isEmpty());
    w.simulation()->playback()->pause();
    const auto& hops = w.simulation()->playback()->probe()->record.hops;
    const auto& places = w.simulation()->animator()->places();
    auto balance =
        std::find_if(hops.begin(), hops.end(), [](const auto& h) { return h.action == "balance"; });
    ASSERT_NE(balance, hops.end());
    const auto index = static_cast<std::size_t>(balance - hops.begin());
    EXPECT_EQ(places.at(index).node, QStringLiteral("svc:web"));
    w.simulation()->playback()->seek(static_cast<int>(index));
    uitest::shot(w, QStringLiteral("routing-mesh"));
}

// Editing through the real widgets: palette, connect by dragging, delete,
// undo/redo, the inspector and its inline validation errors.
#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QStatusBar>
#include <QTabBar>
#include <QTest>
#include <QUndoStack>

#include "model/compose_writer.hpp"
#include "ui/canvas_view.hpp"
#include "ui/edge_item.hpp"
#include "ui/inspector/inspector_form.hpp"
#include "ui/inspector/inspector_panel.hpp"
#include "ui/main_window.hpp"
#include "ui/node_item.hpp"
#include "ui/scenario_document.hpp"
#include "ui/topology_scene.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::MainWindow;

namespace {

// A window on the blank template: one host, nothing else.
void openBlank(MainWindow& w) {
    w.resize(1400, 900);
    uitest::showActive(w);
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Blank (one host)")));
    ASSERT_TRUE(w.document()->scenario().services.empty());
}

QLineEdit* field(MainWindow& w, const QString& labelText) {
    auto* form = w.inspector()->currentForm();
    for (QLabel* l : form->findChildren<QLabel*>()) {
        if (l->text() == labelText && l->buddy() != nullptr) {
            return qobject_cast<QLineEdit*>(l->buddy());
        }
    }
    return nullptr;
}

void typeInto(QLineEdit* e, const QString& text) {
    e->setFocus();
    e->selectAll();
    QTest::keyClicks(e, text);
    QTest::keyClick(e, Qt::Key_Return);
    QApplication::processEvents();
}

}  // namespace

TEST(Edit, AddNetworkAndContainerConnectThemUndoAndRedo) {
    MainWindow w;
    openBlank(w);
    auto* doc = w.document();
    auto* scene = w.scene();

    uitest::clickPaletteTile(w, QStringLiteral("network:bridge"));
    ASSERT_NE(doc->scenario().findNetwork("net"), nullptr);
    ASSERT_NE(scene->nodeItem(QStringLiteral("net:net")), nullptr);
    uitest::clickPaletteTile(w, QStringLiteral("container"));
    ASSERT_NE(doc->scenario().findService("app"), nullptr);
    ASSERT_TRUE(uitest::waitForChecks(doc));  // Compose's implicit network comes with the check
    auto* app = scene->nodeItem(QStringLiteral("svc:app"));
    ASSERT_NE(app, nullptr);
    // A new container joins Compose's default network until it is connected.
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|default")), nullptr);

    // Drag from the container's handle onto the network.
    const QPointF handle = app->mapToScene(app->handleRect().center());
    const QPointF net = scene->positionOf(QStringLiteral("net:net"));
    uitest::dragOnCanvas(w, handle, net);
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|net")), nullptr);
    EXPECT_EQ(scene->edgeItem(QStringLiteral("ep:app|default")), nullptr);
    uitest::shot(w, QStringLiteral("connected"));
    ASSERT_TRUE(doc->resolved().ok()) << doc->resolved().error->formatted();
    const auto* c = doc->resolved().topology->findContainer("app");
    ASSERT_EQ(c->endpoints.size(), 1u);
    EXPECT_EQ(c->endpoints[0].network, "net");

    // Undo the connection, then redo it, with the keyboard.
    w.view()->setFocus();
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_EQ(scene->edgeItem(QStringLiteral("ep:app|net")), nullptr);
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|default")), nullptr);
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|net")), nullptr);
    // Undo everything: back to the blank template, which is not modified.
    while (doc->undoStack()->canUndo()) {
        doc->undoStack()->undo();
    }
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_EQ(scene->nodeItem(QStringLiteral("svc:app")), nullptr);
    EXPECT_EQ(scene->nodeItem(QStringLiteral("net:net")), nullptr);
    EXPECT_FALSE(doc->isModified());
}

TEST(Edit, DeleteRemovesTheObjectAndWhatRefersToIt) {
    MainWindow w;
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
    auto* doc = w.document();
    const auto probes = doc->scenario().probes.size();
    w.scene()->selectIds({QStringLiteral("svc:db")});
    w.view()->setFocus();
    QTest::keyClick(w.view(), Qt::Key_Delete);
    EXPECT_EQ(doc->scenario().findService("db"), nullptr);
    EXPECT_EQ(w.scene()->nodeItem(QStringLiteral("svc:db")), nullptr);
    EXPECT_LT(doc->scenario().probes.size(), probes);  // the probes naming db went too
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_TRUE(doc->resolved().ok()) << doc->resolved().error->formatted();
    doc->undoStack()->undo();
    EXPECT_NE(doc->scenario().findService("db"), nullptr);
    EXPECT_EQ(doc->scenario().probes.size(), probes);
}

TEST(Edit, InspectorShowsTheCliValidationErrorInline) {
    MainWindow w;
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
    w.scene()->selectIds({QStringLiteral("net:back")});
    QLineEdit* subnet = field(w, QStringLiteral("Subnet"));
    ASSERT_NE(subnet, nullptr);
    typeInto(subnet, QStringLiteral("172.18.0.0/16"));  // front's; the gateway is now outside
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    const auto& r = w.document()->resolved();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.errorObject(), "networks.back");
    bool shown = false;
    for (QLabel* l : w.inspector()->currentForm()->findChildren<QLabel*>()) {
        if (l->objectName() == QLatin1String("inlineError") && l->isVisible() &&
            l->text().contains(QLatin1String("tour.yaml:")) &&
            l->text().contains(QLatin1String("error: networks.back"))) {
            shown = true;
        }
    }
    EXPECT_TRUE(shown);
    uitest::shot(w, QStringLiteral("inline-error"));
    EXPECT_FALSE(w.scene()->nodeItem(QStringLiteral("net:back"))->node().error.isEmpty());
    // Text that is not an address never reaches the model.
    typeInto(subnet, QStringLiteral("10.0.0.0/99"));
    EXPECT_EQ(w.document()->scenario().findNetwork("back")->ipamConfigs[0].subnet->str(),
              "172.18.0.0/16");
    w.document()->undoStack()->undo();
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    EXPECT_TRUE(w.document()->resolved().ok());
}

TEST(Edit, RenamingAServiceKeepsItsReferences) {
    MainWindow w;
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
    w.scene()->selectIds({QStringLiteral("svc:web")});
    QLineEdit* name = field(w, QStringLiteral("Service"));
    ASSERT_NE(name, nullptr);
    typeInto(name, QStringLiteral("frontend"));
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    const auto& sc = w.document()->scenario();
    EXPECT_NE(sc.findService("frontend"), nullptr);
    EXPECT_EQ(sc.probes[0].from, "frontend");
    EXPECT_TRUE(w.document()->resolved().ok()) << w.document()->resolved().error->formatted();
    EXPECT_EQ(w.scene()->selectedIds(), QStringList{QStringLiteral("svc:frontend")});
    uitest::shot(w, QStringLiteral("service-inspector"));
}

TEST(Edit, SelectingAnEndpointLinkAndPressingDeleteDisconnects) {
    MainWindow w;
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
    auto* link = w.scene()->edgeItem(QStringLiteral("ep:api|back"));
    ASSERT_NE(link, nullptr);
    // Click the middle of the link on the canvas, then Delete.
    uitest::clickOnCanvas(w, link->pointAt(0.6));
    EXPECT_EQ(w.scene()->selectedIds(), QStringList{QStringLiteral("ep:api|back")});
    w.view()->setFocus();
    QTest::keyClick(w.view(), Qt::Key_Delete);
    const auto* api = w.document()->scenario().findService("api");
    ASSERT_EQ(api->networks.size(), 1u);
    EXPECT_EQ(api->networks[0].key, "front");
    EXPECT_EQ(w.scene()->edgeItem(QStringLiteral("ep:api|back")), nullptr);
}

TEST(Edit, DroppingAPaletteTileAddsItWhereItFalls) {
    MainWindow w;
    openBlank(w);
    auto* view = w.view();
    const QPoint at = view->viewport()->rect().center() + QPoint(40, 30);
    QMimeData mime;
    mime.setData(QStringLiteral("application/x-cnmlab-palette"),
                 QByteArrayLiteral("network:macvlan"));
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    const auto* net = w.document()->scenario().findNetwork("macvlan");
    ASSERT_NE(net, nullptr);
    EXPECT_EQ(net->driver, "macvlan");
    const QPointF expected = view->mapToScene(at);
    ASSERT_TRUE(w.document()->position("macvlan").has_value());
    EXPECT_NEAR(w.document()->position("macvlan")->x(), expected.x(), 1.0);
    EXPECT_NEAR(w.document()->position("macvlan")->y(), expected.y(), 1.0);
    EXPECT_EQ(w.scene()->selectedIds(), QStringList{QStringLiteral("net:macvlan")});
}

namespace {

// The tab in front among the right-hand panels (Inspector, Lesson).
QString rightPanelInFront(MainWindow& w) {
    for (auto* bar : w.findChildren<QTabBar*>()) {
        QStringList tabs;
        for (int i = 0; i < bar->count(); ++i) {
            tabs << bar->tabText(i);
        }
        if (tabs.contains(QStringLiteral("Inspector")) && tabs.contains(QStringLiteral("Lesson"))) {
            return bar->tabText(bar->currentIndex());
        }
    }
    return {};
}

}  // namespace

// tour.yaml has a lesson, so it opens with the Lesson tab in front of the
// inspector; clicking a container on the canvas brings its inspector forward.
TEST(Edit, SelectingAnObjectBringsItsInspectorForward) {
    MainWindow w;
    uitest::openScenario(w, "tour.yaml");
    QApplication::processEvents();
    ASSERT_EQ(rightPanelInFront(w), QStringLiteral("Lesson"));
    cnmlab::ui::NodeItem* web = w.scene()->nodeItem(QStringLiteral("svc:web"));
    ASSERT_NE(web, nullptr);
    uitest::clickOnCanvas(w, web->sceneBoundingRect().center());
    EXPECT_EQ(w.scene()->selectedIds(), QStringList{QStringLiteral("svc:web")});
    EXPECT_EQ(rightPanelInFront(w), QStringLiteral("Inspector"));
    EXPECT_TRUE(w.inspector()->isVisible());
    // Clicking empty canvas (selecting nothing) leaves the panels as they are.
    w.findChild<QDockWidget*>(QStringLiteral("lessonDock"))->raise();
    QApplication::processEvents();
    uitest::clickOnCanvas(w, w.scene()->itemsBoundingRect().bottomRight() + QPointF(200, 200));
    EXPECT_TRUE(w.scene()->selectedIds().isEmpty());
    EXPECT_EQ(rightPanelInFront(w), QStringLiteral("Lesson"));
}

namespace {

// Drops palette entry `what` on the canvas at scene position `at`, as a drag
// from the palette ends.
void dropPaletteEntry(MainWindow& w, const QByteArray& what, QPointF at) {
    auto* view = w.view();
    view->centerOn(at);
    const QPoint p = view->mapFromScene(at);
    QMimeData mime;
    mime.setData(QStringLiteral("application/x-cnmlab-palette"), what);
    QDragEnterEvent enter(p, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(p, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &move);
    QDropEvent drop(QPointF(p), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view->viewport(), &drop);
    QApplication::processEvents();
}

QRectF sceneShape(const cnmlab::ui::NodeItem* n) {
    return n->mapRectToScene(n->shapeRect());
}

}  // namespace

// A container dropped on a network box joins that network: no Compose
// default network appears, and the new node sits beside the box, not on it.
// One Ctrl+Z takes it all back.
TEST(Edit, DroppingAContainerOnANetworkConnectsItToThatNetwork) {
    MainWindow w;
    openBlank(w);
    auto* doc = w.document();
    auto* scene = w.scene();
    uitest::clickPaletteTile(w, QStringLiteral("network:bridge"));
    ASSERT_TRUE(uitest::waitForChecks(doc));
    const auto* net = scene->nodeItem(QStringLiteral("net:net"));
    ASSERT_NE(net, nullptr);
    const auto commands = doc->undoStack()->count();

    dropPaletteEntry(w, QByteArrayLiteral("container"), net->pos() + QPointF(10, 5));
    ASSERT_TRUE(uitest::waitForChecks(doc));
    const auto* app = doc->scenario().findService("app");
    ASSERT_NE(app, nullptr);
    ASSERT_EQ(app->networks.size(), 1u);
    EXPECT_EQ(app->networks[0].key, "net");
    EXPECT_EQ(doc->scenario().findNetwork("default"), nullptr);
    EXPECT_EQ(scene->nodeItem(QStringLiteral("net:default")), nullptr);
    EXPECT_EQ(scene->edgeItem(QStringLiteral("ep:app|default")), nullptr);
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|net")), nullptr);
    ASSERT_TRUE(doc->resolved().ok()) << doc->resolved().error->formatted();
    const auto* c = doc->resolved().topology->findContainer("app");
    ASSERT_NE(c, nullptr);
    ASSERT_EQ(c->endpoints.size(), 1u);
    EXPECT_EQ(c->endpoints[0].network, "net");
    const auto* node = scene->nodeItem(QStringLiteral("svc:app"));
    ASSERT_NE(node, nullptr);
    net = scene->nodeItem(QStringLiteral("net:net"));
    EXPECT_FALSE(sceneShape(node).intersects(sceneShape(net)));
    EXPECT_LT(QLineF(node->pos(), net->pos()).length(), 400);  // beside it
    EXPECT_EQ(scene->selectedIds(), QStringList{QStringLiteral("svc:app")});
    EXPECT_EQ(doc->undoStack()->count(), commands + 1);
    uitest::shot(w, QStringLiteral("dropped-on-network"));

    doc->undoStack()->undo();
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_EQ(doc->scenario().findService("app"), nullptr);
    EXPECT_NE(doc->scenario().findNetwork("net"), nullptr);
}

// At the zoom a shipped scenario opens with (fitted, well under 100 %), the
// handle a connection is dragged from is at least 12 pixels on the screen,
// and a press a few pixels off its centre still starts a connection.
TEST(Edit, TheConnectHandleIsBigEnoughToHitAtTheFittedZoom) {
    MainWindow w;
    uitest::openScenario(w, "tour.yaml");
    QApplication::processEvents();
    auto* view = w.view();
    ASSERT_LT(view->zoom(), 0.9);  // the premise: tour.yaml opens zoomed out
    auto* web = w.scene()->nodeItem(QStringLiteral("svc:web"));
    ASSERT_NE(web, nullptr);
    const QRect onScreen =
        view->mapFromScene(web->mapRectToScene(web->handleRect())).boundingRect();
    EXPECT_GE(onScreen.width(), 12);
    EXPECT_GE(onScreen.height(), 12);
    // 5 screen pixels right of the handle's centre, onto the back network.
    const QPointF centre = web->mapToScene(web->handleRect().center());
    const QPointF press = centre + QPointF(5 / view->zoom(), 0);
    const QPointF back = w.scene()->positionOf(QStringLiteral("net:back"));
    const QPointF before = web->pos();
    uitest::dragOnCanvas(w, press, back);
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    EXPECT_NE(w.scene()->edgeItem(QStringLiteral("ep:web|back")), nullptr);
    EXPECT_EQ(w.scene()->positionOf(QStringLiteral("svc:web")), before);  // not moved
    // Zoomed in or out, the handle keeps its size on the screen (at least 12 px).
    for (const double factor : {0.5, 4.0}) {
        view->zoomBy(factor);
        const QRect r = view->mapFromScene(web->mapRectToScene(web->handleRect())).boundingRect();
        EXPECT_GE(r.width(), 12) << view->zoom();
    }
}

// After Ctrl+Z of a connection the status bar no longer says it is connected:
// it says what was undone (and what was redone).
TEST(Edit, UndoingAConnectionSaysSoInTheStatusBar) {
    MainWindow w;
    uitest::openScenario(w, "tour.yaml");
    auto* web = w.scene()->nodeItem(QStringLiteral("svc:web"));
    ASSERT_NE(web, nullptr);
    uitest::dragOnCanvas(w, web->mapToScene(web->handleRect().center()),
                         w.scene()->positionOf(QStringLiteral("net:back")));
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    ASSERT_NE(w.scene()->edgeItem(QStringLiteral("ep:web|back")), nullptr);
    EXPECT_EQ(w.statusBar()->currentMessage(), QStringLiteral("Connected web to back"));
    w.view()->setFocus();
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier);
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    EXPECT_EQ(w.scene()->edgeItem(QStringLiteral("ep:web|back")), nullptr);
    EXPECT_FALSE(w.statusBar()->currentMessage().contains(QStringLiteral("Connected")));
    EXPECT_EQ(w.statusBar()->currentMessage(), QStringLiteral("Undone: Connect web to back"));
    QTest::keyClick(&w, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_TRUE(uitest::waitForChecks(w.document()));
    EXPECT_EQ(w.statusBar()->currentMessage(), QStringLiteral("Redone: Connect web to back"));
}

// The palette's overlay tile on a canvas of several hosts: an attachable
// overlay (the studio's containers are plain ones), and a container dropped
// on it on each host makes a swarm whose containers reach each other.
TEST(Edit, AnOverlayFromThePaletteJoinsContainersOnTwoHosts) {
    MainWindow w;
    w.resize(1400, 900);
    uitest::showActive(w);
    ASSERT_TRUE(
        w.openFile(uitest::sourcePath("tests/conformance/scenarios/36-overlay-two-hosts.yaml"),
                   true)
            .isEmpty());
    auto* doc = w.document();
    auto* scene = w.scene();
    ASSERT_TRUE(uitest::waitForChecks(doc));
    uitest::clickPaletteTile(w, QStringLiteral("network:overlay"));
    ASSERT_TRUE(uitest::waitForChecks(doc));
    const auto* spec = doc->scenario().findNetwork("overlay");
    ASSERT_NE(spec, nullptr);
    EXPECT_EQ(spec->driver, "overlay");
    EXPECT_TRUE(spec->attachable);
    const auto* net = scene->nodeItem(QStringLiteral("net:overlay"));
    ASSERT_NE(net, nullptr);
    dropPaletteEntry(w, QByteArrayLiteral("container"), net->pos() + QPointF(10, 5));
    ASSERT_TRUE(uitest::waitForChecks(doc));
    ASSERT_TRUE(doc->resolved().ok()) << doc->resolved().error->formatted();
    const auto* c = doc->resolved().topology->findContainer("app");
    ASSERT_NE(c, nullptr);
    ASSERT_GE(c->endpoints.size(), 2u);  // the overlay, then docker_gwbridge
    EXPECT_EQ(c->endpoints.front().network, "overlay");
    EXPECT_EQ(c->endpoints.back().network, "docker_gwbridge");
    EXPECT_EQ(doc->resolved().topology->findNetwork("overlay")->vni, 4098u);
    // The swarm's docker_gwbridge is drawn on each host, and app's eth1 to it.
    EXPECT_NE(scene->nodeItem(QStringLiteral("net:docker_gwbridge")), nullptr);
    EXPECT_NE(scene->edgeItem(QStringLiteral("ep:app|docker_gwbridge")), nullptr);
}

// The inspector turns a container into a swarm service: x-host goes (the swarm
// places tasks), the canvas draws the service and its tasks, saving writes
// `deploy:`, undo gives the container back.
TEST(Edit, TheInspectorMakesAContainerASwarmService) {
    MainWindow w;
    w.resize(1400, 900);
    uitest::showActive(w);
    uitest::openScenario(w, "overlay-swarm.yaml");
    auto* doc = w.document();
    w.scene()->selectIds({QStringLiteral("svc:web")});
    QApplication::processEvents();
    auto* form = w.inspector()->currentForm();
    QComboBox* runsAs = nullptr;
    for (QLabel* l : form->findChildren<QLabel*>()) {
        if (l->text() == QLatin1String("Runs as") && l->buddy() != nullptr) {
            runsAs = qobject_cast<QComboBox*>(l->buddy());
        }
    }
    ASSERT_NE(runsAs, nullptr);
    runsAs->setCurrentIndex(runsAs->findData(QStringLiteral("replicated")));
    emit runsAs->activated(runsAs->currentIndex());
    ASSERT_TRUE(uitest::waitForChecks(doc));
    const cnmlab::model::ServiceSpec* web = doc->scenario().findService("web");
    ASSERT_TRUE(web->deploy);
    EXPECT_FALSE(web->host);
    typeInto(field(w, QStringLiteral("Replicas")), QStringLiteral("3"));
    typeInto(field(w, QStringLiteral("Constraints")), QStringLiteral("node.role == worker"));
    ASSERT_TRUE(uitest::waitForChecks(doc));
    web = doc->scenario().findService("web");
    ASSERT_TRUE(web->deploy);
    EXPECT_EQ(web->deploy->replicas, 3);
    ASSERT_EQ(web->deploy->constraints.size(), 1u);
    ASSERT_TRUE(doc->resolved().topology);
    const cnmlab::model::SwarmService* svc = doc->resolved().topology->findService("web");
    ASSERT_NE(svc, nullptr);
    EXPECT_EQ(svc->tasks, (std::vector<std::string>{"web.1", "web.2", "web.3"}));
    EXPECT_NE(w.scene()->nodeItem(QStringLiteral("svc:web.3")), nullptr);
    const std::string text = cnmlab::model::writeScenario(doc->scenario());
    EXPECT_NE(text.find("deploy:\n      replicas: 3\n      placement:\n        constraints: "
                        "[\"node.role == worker\"]"),
              std::string::npos)
        << text;
    while (doc->undoStack()->canUndo()) {
        doc->undoStack()->undo();
    }
    ASSERT_TRUE(uitest::waitForChecks(doc));
    EXPECT_FALSE(doc->scenario().findService("web")->deploy);
    EXPECT_EQ(doc->scenario().findService("web")->host, std::optional<std::string>("host1"));
}

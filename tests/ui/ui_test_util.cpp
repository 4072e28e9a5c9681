#include "ui_test_util.hpp"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QGraphicsScene>
#include <QMouseEvent>
#include <QTest>
#include <QToolButton>

#include "ui/canvas_view.hpp"
#include "ui/edge_item.hpp"
#include "ui/main_window.hpp"
#include "ui/node_item.hpp"
#include "ui/palette_widget.hpp"
#include "ui/scenario_document.hpp"
#include "ui/topology_scene.hpp"

namespace uitest {

QString sourcePath(const char* relative) {
    return QStringLiteral(CNMLAB_SOURCE_DIR "/") + QLatin1String(relative);
}

void shot(QWidget& w, const QString& name) {
    const QString dir = qEnvironmentVariable("CNMLAB_UI_SHOTS");
    if (!dir.isEmpty()) {
        QApplication::processEvents();
        w.grab().save(dir + '/' + name + QStringLiteral(".png"));
    }
}

bool waitForChecks(cnmlab::ui::ScenarioDocument* doc, int timeoutMs) {
    return QTest::qWaitFor([doc] { return !doc->validating(); }, timeoutMs);
}

void showActive(QWidget& w) {
    w.show();
    w.activateWindow();
    QApplication::setActiveWindow(&w);
    EXPECT_TRUE(QTest::qWaitForWindowActive(&w));
}

void openScenario(cnmlab::ui::MainWindow& w, const char* name) {
    w.resize(1440, 900);
    showActive(w);
    const QString path = sourcePath("scenarios/") + QLatin1String(name);
    ASSERT_TRUE(w.openFile(path, true).isEmpty()) << path.toStdString();
}

QStringList canvasTexts(cnmlab::ui::MainWindow& w) {
    QStringList out;
    for (QGraphicsItem* item : w.scene()->items()) {
        if (auto* n = qgraphicsitem_cast<cnmlab::ui::NodeItem*>(item)) {
            out << n->node().title << n->node().subtitle << n->node().badges;
        } else if (auto* e = qgraphicsitem_cast<cnmlab::ui::EdgeItem*>(item)) {
            out << e->edge().label;
        }
    }
    return out;
}

namespace {

void send(QWidget* target, QEvent::Type type, QPoint pos, Qt::MouseButton button,
          Qt::MouseButtons buttons, Qt::KeyboardModifiers mods) {
    QMouseEvent e(type, QPointF(pos), target->mapToGlobal(QPointF(pos)), button, buttons, mods);
    QApplication::sendEvent(target, &e);
}

}  // namespace

void dragOnCanvas(cnmlab::ui::MainWindow& w, QPointF fromScene, QPointF toScene,
                  Qt::KeyboardModifiers mods) {
    cnmlab::ui::CanvasView* view = w.view();
    view->centerOn((fromScene + toScene) / 2);
    QWidget* vp = view->viewport();
    const QPoint a = view->mapFromScene(fromScene);
    const QPoint b = view->mapFromScene(toScene);
    send(vp, QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton, mods);
    for (int i = 1; i <= 8; ++i) {
        const QPoint p = a + (b - a) * i / 8;
        send(vp, QEvent::MouseMove, p, Qt::NoButton, Qt::LeftButton, mods);
    }
    send(vp, QEvent::MouseButtonRelease, b, Qt::LeftButton, Qt::NoButton, mods);
    QApplication::processEvents();
}

void clickOnCanvas(cnmlab::ui::MainWindow& w, QPointF scenePos) {
    cnmlab::ui::CanvasView* view = w.view();
    view->centerOn(scenePos);
    QWidget* vp = view->viewport();
    const QPoint p = view->mapFromScene(scenePos);
    send(vp, QEvent::MouseButtonPress, p, Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    send(vp, QEvent::MouseButtonRelease, p, Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QApplication::processEvents();
}

void clickPaletteTile(cnmlab::ui::MainWindow& w, const QString& id) {
    for (QToolButton* b : w.palette()->findChildren<QToolButton*>()) {
        if (b->property("paletteId").toString() == id) {
            QTest::mouseClick(b, Qt::LeftButton);
            return;
        }
    }
    ADD_FAILURE() << "no palette tile " << id.toStdString();
}

bool triggerAction(QWidget& w, const QString& text) {
    for (QAction* a : w.findChildren<QAction*>()) {
        if (QString(a->text()).remove('&') == text && a->isEnabled()) {
            a->trigger();
            QApplication::processEvents();
            return true;
        }
    }
    return false;
}

}  // namespace uitest

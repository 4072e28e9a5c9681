#pragma once
// Helpers for driving the studio's real widgets in tests.

#include <QPointF>
#include <QString>
#include <QStringList>

class QWidget;

namespace cnmlab::ui {
class MainWindow;
class ScenarioDocument;
}  // namespace cnmlab::ui

namespace uitest {

// Creates the QApplication (offscreen, throwaway settings) and runs every test.
int runTests(int argc, char** argv);

QString sourcePath(const char* relative);  // CNMLAB_SOURCE_DIR/relative
// Saves the window to $CNMLAB_UI_SHOTS/NAME.png when that variable is set (for
// looking at what a test drove; nothing otherwise).
void shot(QWidget& w, const QString& name);
// Shows the window and makes it the active one (shortcuts need that).
void showActive(QWidget& w);
// Sizes and shows the window, then opens scenarios/NAME (which must load cleanly).
void openScenario(cnmlab::ui::MainWindow& w, const char* name);

// Every text the canvas shows: node titles, subtitles, badges and link labels.
QStringList canvasTexts(cnmlab::ui::MainWindow& w);

// Mouse gestures on the canvas in scene coordinates, as real events on the
// view's viewport (press, moves with the button held, release).
void dragOnCanvas(cnmlab::ui::MainWindow& w, QPointF fromScene, QPointF toScene,
                  Qt::KeyboardModifiers mods = Qt::NoModifier);
void clickOnCanvas(cnmlab::ui::MainWindow& w, QPointF scenePos);
// Clicks the palette tile whose id is `id` ("network:bridge", "container" ...).
void clickPaletteTile(cnmlab::ui::MainWindow& w, const QString& id);
// Runs the event loop until the check of the document's last edit (a worker
// thread's) has arrived. False when it did not within `timeoutMs`.
bool waitForChecks(cnmlab::ui::ScenarioDocument* doc, int timeoutMs = 20000);
// Triggers the main window's action whose text (without '&') is `text`.
bool triggerAction(QWidget& w, const QString& text);

}  // namespace uitest

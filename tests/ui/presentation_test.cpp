// Presentation mode (View > Presentation mode, F5, cnmlab-studio
// --presentation): the whole studio half again as large — the application's
// text, the fonts panels set for themselves, table rows and columns, icons,
// the canvas's and the host view's zoom — and back exactly as it was.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QGraphicsView>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

#include <cstdlib>

#include "ui/canvas_view.hpp"
#include "ui/host/host_animator.hpp"
#include "ui/host/host_view.hpp"
#include "ui/language.hpp"
#include "ui/lesson/lesson_panel.hpp"
#include "ui/main_window.hpp"
#include "ui/sim/events_panel.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/theme.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::MainWindow;
using cnmlab::ui::Playback;

namespace {

// Leaves presentation mode when a test ends, also on a failed assertion: the
// scale is the application's.
struct LeavePresentation {
    MainWindow& w;
    ~LeavePresentation() { w.setPresentation(false); }
};

// What presentation mode changes, measured.
struct Sizes {
    double appFont = 0;     // points
    double label = 0;       // a label without a font of its own, in pixels
    double eventsFont = 0;  // the event list's own font, points
    double lessonFont = 0;  // the lesson text's own font, points
    int eventsRow = 0;      // pixels
    int eventsColumn = 0;   // the Node column, pixels
    int toolbarIcon = 0;
    double canvasZoom = 0;
    double hostZoom = 0;
    double rulesZoom = 0;
    double callout = 0;  // the packet's callout in the host view, pixels wide
    int dockTitle = 0;   // the Palette dock's title as painted: its text's height, pixels
};

// The height of the text painted in the title bar of `dock` (the rows, left
// of the title's buttons, with pixels far from the bar's background).
int paintedTitleHeight(QDockWidget* dock) {
    const int bar = dock->widget()->geometry().top();
    const QImage img = dock->grab(QRect(0, 0, dock->width() / 2, bar)).toImage();
    const QColor bg = img.pixelColor(1, 1);
    int first = -1;
    int last = -1;
    for (int y = 0; y < img.height(); ++y) {
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (std::abs(c.lightness() - bg.lightness()) > 96) {
                first = first < 0 ? y : first;
                last = y;
                break;
            }
        }
    }
    return first < 0 ? 0 : last - first + 1;
}

Sizes measure(MainWindow& w) {
    Sizes s;
    s.appFont = QApplication::font().pointSizeF();
    auto* probeLabel = w.simulationBar()->findChildren<QLabel*>().front();  // "Probe"
    s.label = QFontInfo(probeLabel->font()).pixelSize();
    QTableView* events = w.events()->table();
    s.eventsFont = events->font().pointSizeF();
    s.eventsRow = events->verticalHeader()->defaultSectionSize();
    s.eventsColumn = events->horizontalHeader()->sectionSize(2);
    for (QWidget* c : w.lesson()->findChildren<QWidget*>()) {
        if (c->inherits("QTextBrowser")) {
            s.lessonFont = c->font().pointSizeF();
        }
    }
    s.toolbarIcon = w.findChild<QToolBar*>(QStringLiteral("mainToolbar"))->iconSize().width();
    s.canvasZoom = w.view()->zoom();
    s.hostZoom = w.hostView()->view()->transform().m11();
    s.rulesZoom = w.hostView()->rulesView()->transform().m11();
    Playback* pb = w.simulation()->playback();
    pb->seek(pb->current());  // the callout is placed (and sized) as the packet moves
    s.callout = w.hostView()->animator()->calloutSceneRect().width() * s.hostZoom;
    s.dockTitle = paintedTitleHeight(w.findChild<QDockWidget*>(QStringLiteral("paletteDock")));
    return s;
}

}  // namespace

TEST(Presentation, F5EnlargesTheWholeStudioByHalfAndBackExactly) {
    MainWindow w;
    LeavePresentation leave{w};
    uitest::openScenario(w, "tour.yaml");
    w.openHost(QStringLiteral("host1"));
    QApplication::processEvents();
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    w.simulation()->playback()->pause();
    w.simulation()->playback()->seek(5);
    measure(w);  // the first grab of a dock lays the docks out once more (the canvas refits)
    const Sizes before = measure(w);
    ASSERT_GT(before.callout, 100);
    ASSERT_GT(before.label, 0);
    ASSERT_GT(before.dockTitle, 5);

    QTest::keyClick(&w, Qt::Key_F5);
    QApplication::processEvents();
    ASSERT_TRUE(w.presentation());
    const Sizes on = measure(w);
    EXPECT_DOUBLE_EQ(on.appFont, before.appFont * 1.5);
    EXPECT_GE(on.label, before.label * 1.4);  // what the application font reaches
    EXPECT_DOUBLE_EQ(on.eventsFont, before.eventsFont * 1.5);
    EXPECT_DOUBLE_EQ(on.lessonFont, before.lessonFont * 1.5);
    EXPECT_NEAR(on.eventsRow, before.eventsRow * 1.5, 1);
    EXPECT_NEAR(on.eventsColumn, before.eventsColumn * 1.5, 1);
    EXPECT_EQ(on.toolbarIcon, before.toolbarIcon * 3 / 2);
    EXPECT_NEAR(on.canvasZoom, before.canvasZoom * 1.5, 1e-9);
    EXPECT_NEAR(on.rulesZoom, 1.5, 1e-9);  // the iptables tables: 11-pixel type times 1.5
    EXPECT_GE(on.hostZoom, 0.75);          // the diagram: between 75 % and 150 %
    EXPECT_GT(on.hostZoom, before.hostZoom);
    EXPECT_NEAR(on.callout, before.callout * 1.5, 1);
    EXPECT_GE(on.dockTitle, before.dockTitle * 1.3);  // the style sheet's own font for it too
    uitest::shot(w, QStringLiteral("presentation"));
    // A theme change polishes every widget again: presentation's sizes stay.
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Dark theme")));
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Dark theme")));
    QApplication::processEvents();
    const Sizes again = measure(w);
    EXPECT_DOUBLE_EQ(again.appFont, on.appFont);
    EXPECT_EQ(again.label, on.label);
    EXPECT_DOUBLE_EQ(again.eventsFont, on.eventsFont);
    EXPECT_DOUBLE_EQ(again.lessonFont, on.lessonFont);

    // And the View menu's entry (the same action) turns it off again.
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Presentation mode")));
    EXPECT_FALSE(w.presentation());
    const Sizes off = measure(w);
    EXPECT_DOUBLE_EQ(off.appFont, before.appFont);
    EXPECT_EQ(off.label, before.label);
    EXPECT_DOUBLE_EQ(off.eventsFont, before.eventsFont);
    EXPECT_DOUBLE_EQ(off.lessonFont, before.lessonFont);
    EXPECT_EQ(off.eventsRow, before.eventsRow);
    EXPECT_EQ(off.eventsColumn, before.eventsColumn);
    EXPECT_EQ(off.toolbarIcon, before.toolbarIcon);
    EXPECT_NEAR(off.canvasZoom, before.canvasZoom, 1e-9);
    EXPECT_NEAR(off.hostZoom, before.hostZoom, 1e-9);
    EXPECT_NEAR(off.rulesZoom, 1.0, 1e-9);
    EXPECT_NEAR(off.callout, before.callout, 1e-6);
    EXPECT_EQ(off.dockTitle, before.dockTitle);
}

// The mode's words are in Chinese too.
TEST(Presentation, ItsMenuEntryIsTranslated) {
    struct BackToEnglish {
        ~BackToEnglish() { cnmlab::ui::Language::set(QStringLiteral("en")); }
    } restore;
    MainWindow w;
    uitest::showActive(w);
    w.setLanguage(QStringLiteral("zh"));
    QCoreApplication::processEvents();
    bool found = false;
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->shortcut() == QKeySequence(Qt::Key_F5)) {
            found = true;
            EXPECT_TRUE(a->text().contains(QStringLiteral("演示"))) << a->text().toStdString();
            EXPECT_TRUE(a->toolTip().contains(QStringLiteral("演示")))
                << a->toolTip().toStdString();
        }
    }
    EXPECT_TRUE(found);
    for (const char* s : {"Presentation mode: press F5 to leave it", "Presentation mode off",
                          "Undone: %1", "Redone: %1", "Added %1 on %2"}) {
        EXPECT_NE(QCoreApplication::translate("cnmlab::ui::MainWindow", s), QString::fromLatin1(s))
            << s;
    }
    EXPECT_NE(QCoreApplication::translate("cnmlab::ui::EditController", "Add container %1 on %2"),
              QStringLiteral("Add container %1 on %2"));
}

// cnmlab-studio --presentation --screenshot: a 1920x1080 picture (the
// projector's size) of the studio in presentation mode.
TEST(Presentation, TheStudiosOptionTakesAProjectorSizedScreenshot) {
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("p.png"));
    QProcess studio;
    studio.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    studio.start(QStringLiteral(CNMLAB_STUDIO),
                 {uitest::sourcePath("scenarios/tour.yaml"), QStringLiteral("--presentation"),
                  QStringLiteral("--screenshot"), png});
    ASSERT_TRUE(studio.waitForFinished(60000));
    ASSERT_EQ(studio.exitCode(), 0);
    const QImage shot(png);
    ASSERT_FALSE(shot.isNull());
    EXPECT_EQ(shot.size(), QSize(1920, 1080));
}

// Languages: English and Simplified Chinese, switched from the menu at run
// time; the simulation's explanations follow.
#include <gtest/gtest.h>

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include "ui/language.hpp"
#include "ui/main_window.hpp"
#include "ui/probes/probes_panel.hpp"
#include "ui/sim/event_list_model.hpp"
#include "ui/sim/events_panel.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::Language;
using cnmlab::ui::MainWindow;

namespace {

QStringList menuTitles(MainWindow& w) {
    QStringList out;
    for (QAction* a : w.menuBar()->actions()) {
        out << a->text();
    }
    return out;
}

bool hasCjk(const QString& s) {
    for (QChar c : s) {
        if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST(Language, SwitchingToChineseFromTheMenuTranslatesMenusAndExplanations) {
    MainWindow w;
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
    w.setLanguage(QStringLiteral("en"));
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("&File")));
    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("web"), QStringLiteral("api")).isEmpty());
    auto* events = w.events()->table()->model();
    const QModelIndex explain = events->index(0, cnmlab::ui::EventListModel::Explain);
    EXPECT_FALSE(hasCjk(explain.data().toString()));

    // Language > 简体中文
    QAction* zh = nullptr;
    for (QAction* a : w.findChildren<QAction*>()) {
        if (a->text() == QStringLiteral("简体中文")) {
            zh = a;
        }
    }
    ASSERT_NE(zh, nullptr);
    zh->trigger();
    QCoreApplication::processEvents();  // Qt posts LanguageChange to every widget
    EXPECT_EQ(Language::code(), QStringLiteral("zh"));
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("文件(&F)")))
        << menuTitles(w).join(',').toStdString();
    EXPECT_TRUE(hasCjk(explain.data().toString())) << explain.data().toString().toStdString();
    EXPECT_EQ(
        events->headerData(cnmlab::ui::EventListModel::Explain, Qt::Horizontal, Qt::DisplayRole)
            .toString(),
        QStringLiteral("说明"));
    EXPECT_TRUE(w.windowTitle().contains(QStringLiteral("工作室")));
    uitest::shot(w, QStringLiteral("chinese"));

    // And back: English plural forms come from their own small translation.
    w.setLanguage(QStringLiteral("en"));
    QCoreApplication::processEvents();
    EXPECT_TRUE(menuTitles(w).contains(QStringLiteral("&File")));
    EXPECT_FALSE(hasCjk(explain.data().toString()));
    EXPECT_EQ(QCoreApplication::translate("cnmlab::ui::MainWindow", "%n host(s)", nullptr, 1),
              QStringLiteral("1 host"));
    EXPECT_EQ(QCoreApplication::translate("cnmlab::ui::MainWindow", "%n host(s)", nullptr, 2),
              QStringLiteral("2 hosts"));
}

// In Chinese, the Probes tab's Expect and Got columns, the Events tab's line
// on how a probe ended, and the Live panel's outcome words are Chinese too.
TEST(Language, ProbeOutcomeWordsAreTranslated) {
    struct BackToEnglish {
        ~BackToEnglish() { Language::set(QStringLiteral("en")); }
    } restore;  // also when an assertion ends the test early
    MainWindow w;
    uitest::openScenario(w, "tour.yaml");
    w.setLanguage(QStringLiteral("zh"));
    QCoreApplication::processEvents();
    ASSERT_EQ(Language::code(), QStringLiteral("zh"));
    w.raisePanel(w.probes());
    w.probes()->refresh();
    QTreeWidget* tree = w.probes()->tree();
    ASSERT_GT(tree->topLevelItemCount(), 0);
    EXPECT_EQ(tree->headerItem()->text(2), QStringLiteral("期望"))
        << tree->headerItem()->text(2).toStdString();
    const QRegularExpression english(QStringLiteral("reachable|unreachable|nxdomain"));
    bool sawReachable = false;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
        for (int col : {2, 3}) {
            const QString text = tree->topLevelItem(i)->text(col);
            EXPECT_FALSE(text.contains(english)) << i << ":" << col << " " << text.toStdString();
            sawReachable = sawReachable || text == QStringLiteral("可达");
        }
    }
    EXPECT_TRUE(sawReachable);

    ASSERT_TRUE(w.simulationBar()->send(QStringLiteral("sealed"), QStringLiteral("web")).isEmpty());
    const QString ending = w.events()->ending()->text();
    EXPECT_TRUE(ending.contains(QStringLiteral("不可达"))) << ending.toStdString();
    EXPECT_FALSE(ending.contains(english)) << ending.toStdString();

    for (const char* word : {"answered", "refused", "dropped (no answer)", "no route (ICMP error)",
                             "closed without a byte", "could not be sent"}) {
        EXPECT_TRUE(hasCjk(QCoreApplication::translate("cnmlab::ui::LivePanel", word))) << word;
    }
    // The reachability matrix's Live tooltip says how each probe ended, too.
    for (const char* word :
         {"answered", "refused", "dropped", "no route", "closed", "could not be sent"}) {
        EXPECT_TRUE(hasCjk(QCoreApplication::translate("cnmlab::ui::ReachMatrixModel", word)))
            << word;
    }
    EXPECT_TRUE(hasCjk(QCoreApplication::translate(
        "cnmlab::ui::ReachMatrixModel", "%1 %2: simulation %3 %4, kernel %5 %6 (%7) — %8")));
}

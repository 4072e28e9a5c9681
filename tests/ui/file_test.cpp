// Files: templates, save and reopen (the file round-trips, x-layout included).
#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>

#include "model/compose_reader.hpp"
#include "model/compose_writer.hpp"
#include "ui/main_window.hpp"
#include "ui/node_item.hpp"
#include "ui/scenario_document.hpp"
#include "ui/topology_scene.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::MainWindow;

TEST(Files, SaveAndReopenRoundTripsEveryKeyAndTheLayout) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tour.yaml"));
    QPointF webAt;
    {
        MainWindow w;
        w.show();
        ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
        webAt = w.scene()->positionOf(QStringLiteral("svc:web"));
        ASSERT_TRUE(w.saveTo(path).isEmpty());
        EXPECT_FALSE(w.document()->isModified());
    }
    // The saved file reads as the original did, plus x-layout.
    auto original = cnmlab::model::readScenarioFile(CNMLAB_SOURCE_DIR "/scenarios/tour.yaml");
    auto saved = cnmlab::model::readScenarioFile(path.toStdString());
    EXPECT_EQ(saved.services.size(), original.services.size());
    EXPECT_EQ(saved.probes.size(), original.probes.size());
    ASSERT_TRUE(saved.lesson.has_value());
    EXPECT_EQ(saved.lesson->steps.size(), original.lesson->steps.size());
    EXPECT_FALSE(saved.layout.empty());
    saved.layout.clear();
    saved.file = original.file;
    EXPECT_EQ(cnmlab::model::writeScenario(saved), cnmlab::model::writeScenario(original));
    // Reopened, it looks the same.
    MainWindow again;
    again.show();
    ASSERT_TRUE(again.openFile(path, true).isEmpty());
    EXPECT_EQ(again.scene()->positionOf(QStringLiteral("svc:web")), webAt);
    // Save after an edit; reopening gives the edit back.
    again.document()->edit(QStringLiteral("rename"),
                           {cnmlab::ui::ProjectNameEdit{"tour", "shop", true, true}});
    ASSERT_TRUE(again.saveTo(path).isEmpty());
    MainWindow third;
    ASSERT_TRUE(third.openFile(path, true).isEmpty());
    EXPECT_EQ(third.document()->scenario().projectName, "shop");
    EXPECT_TRUE(third.document()->resolved().topology->findNetwork("front")->name == "shop_front");
}

TEST(Files, EveryTemplateIsAValidScenario) {
    MainWindow w;
    for (const char* t : {"Blank (one host)", "Web, API and database (two bridges)", "Two hosts on a LAN"}) {
        ASSERT_TRUE(uitest::triggerAction(w, QString::fromUtf8(t))) << t;
        EXPECT_TRUE(w.document()->resolved().ok()) << t;
        EXPECT_TRUE(w.document()->path().isEmpty());
        EXPECT_FALSE(w.document()->isModified());
    }
}

TEST(Files, AFileDockerWouldRejectOpensWithTheErrorMarked) {
    MainWindow w;
    const QString err = w.openFile(uitest::sourcePath("tests/cli/bad/overlap.yaml"), true);
    EXPECT_TRUE(err.contains(QLatin1String("overlap.yaml:9:21: error:"))) << err.toStdString();
    EXPECT_EQ(w.document()->resolved().errorObject(), "networks.b");
    EXPECT_FALSE(w.scene()->nodeItem(QStringLiteral("net:b"))->node().error.isEmpty());
}

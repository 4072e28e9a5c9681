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

namespace {

QByteArray bytesOf(const QString& path) {
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

}  // namespace

// A lesson file is the teacher's: saving without an edit writes it back byte
// for byte (comments and blank lines included), moving one node changes only
// its x-layout entry, and the file reopens as it looked.
TEST(Files, SavingKeepsTheTeachersFileAndOnlyTheEditChanges) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("tour.yaml"));
    const QByteArray original = bytesOf(uitest::sourcePath("scenarios/tour.yaml"));
    ASSERT_TRUE(original.contains('#'));  // the file has comments to keep
    QPointF webAt;
    {
        MainWindow w;
        w.show();
        ASSERT_TRUE(w.openFile(uitest::sourcePath("scenarios/tour.yaml"), true).isEmpty());
        webAt = w.scene()->positionOf(QStringLiteral("svc:web"));
        ASSERT_TRUE(w.saveTo(path).isEmpty());
        EXPECT_FALSE(w.document()->isModified());
    }
    EXPECT_EQ(bytesOf(path), original);
    // Reopened, it looks the same.
    MainWindow again;
    again.show();
    ASSERT_TRUE(again.openFile(path, true).isEmpty());
    EXPECT_EQ(again.scene()->positionOf(QStringLiteral("svc:web")), webAt);
    // Move one node and save: the only new lines are its x-layout entry (and
    // the x-layout key, which tour.yaml had not).
    again.document()->edit(QStringLiteral("move"),
                           {cnmlab::ui::LayoutEdit{"db", std::nullopt, std::pair{640.0, -0.0}}});
    ASSERT_TRUE(again.saveTo(path).isEmpty());
    const QByteArray moved = bytesOf(path);
    QList<QByteArray> was = original.split('\n');
    QList<QByteArray> now = moved.split('\n');
    for (const QByteArray& line : was) {
        EXPECT_TRUE(now.contains(line)) << "lost: " << line.toStdString();
    }
    QList<QByteArray> added;
    for (const QByteArray& line : now) {
        if (!was.contains(line)) {
            added << line;
        }
    }
    EXPECT_EQ(added, (QList<QByteArray>{"x-layout:", "  db: [640, 0]"})) << moved.toStdString();
    // Save after an edit; reopening gives the edit back.
    again.document()->edit(QStringLiteral("rename"),
                           {cnmlab::ui::ProjectNameEdit{"tour", "shop", true, true}});
    ASSERT_TRUE(again.saveTo(path).isEmpty());
    MainWindow third;
    ASSERT_TRUE(third.openFile(path, true).isEmpty());
    EXPECT_EQ(third.document()->scenario().projectName, "shop");
    EXPECT_TRUE(bytesOf(path).contains("# ")) << "the comments went";
    EXPECT_TRUE(third.document()->resolved().topology->findNetwork("front")->name == "shop_front");
}

TEST(Files, EveryTemplateIsAValidScenario) {
    MainWindow w;
    for (const char* t :
         {"Blank (one host)", "Web, API and database (two bridges)", "Two hosts on a LAN"}) {
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

// A misspelled name in a lesson step's highlight list is reported at that
// name (line and column of the entry), not at the start of the step.
TEST(Files, AMisspelledLessonHighlightIsReportedAtTheName) {
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("lesson.yaml"));
    {
        QFile f(path);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("services:\n"
                "  web: {image: nginx}\n"
                "x-lesson:\n"
                "  steps:\n"
                "    - en: Look at web.\n"
                "      highlight: [web, wbe]\n");
    }
    MainWindow w;
    const QString err = w.openFile(path, true);
    EXPECT_TRUE(
        err.contains(QLatin1String("lesson.yaml:6:24: error: x-lesson.steps[0].highlight: 'wbe'")))
        << err.toStdString();
}

// The studio on Qt's offscreen platform: real widgets, no display.
#include <gtest/gtest.h>

#include <QApplication>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>

#include "ui/main_window.hpp"

namespace {

QStringList sceneTexts(cnmlab::ui::MainWindow& w) {
    QStringList out;
    auto* view = w.findChild<QGraphicsView*>();
    for (auto* item : view->scene()->items()) {
        if (auto* t = dynamic_cast<QGraphicsSimpleTextItem*>(item)) {
            out << t->text();
        }
    }
    return out;
}

}  // namespace

TEST(Studio, OpensTourAndDrawsItsNetworksAndContainers) {
    cnmlab::ui::MainWindow w;
    const QString err = w.openFile(QStringLiteral(CNMLAB_SOURCE_DIR "/scenarios/tour.yaml"), true);
    ASSERT_TRUE(err.isEmpty()) << err.toStdString();
    const QStringList texts = sceneTexts(w);
    EXPECT_TRUE(texts.contains("tour_front"));
    EXPECT_TRUE(texts.contains("tour_back"));
    EXPECT_TRUE(texts.contains("web"));
    EXPECT_TRUE(texts.contains("172.18.0.2"));
}

TEST(Studio, InvalidFileReportsPositionAndKeepsWindow) {
    cnmlab::ui::MainWindow w;
    const QString err =
        w.openFile(QStringLiteral(CNMLAB_SOURCE_DIR "/tests/cli/bad/unknown_key.yaml"), true);
    EXPECT_TRUE(err.contains("unknown_key.yaml:4:5: error:")) << err.toStdString();
}

TEST(Studio, ScreenshotRendersNonEmptyImage) {
    cnmlab::ui::MainWindow w;
    ASSERT_TRUE(w.openFile(QStringLiteral(CNMLAB_SOURCE_DIR "/scenarios/tour.yaml"), true).isEmpty());
    w.resize(1200, 800);
    w.show();
    const QImage img = w.grab().toImage();
    EXPECT_EQ(img.width(), 1200);
    // Not a blank window: the canvas draws more than one colour.
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 17) {
        for (int x = 0; x < img.width(); x += 17) {
            colours.insert(img.pixel(x, y));
        }
    }
    EXPECT_GT(colours.size(), 5);
}

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");  // also when ctest lists the tests
    }
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

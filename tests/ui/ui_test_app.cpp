// The studio's UI tests: real widgets on Qt's offscreen platform, no display.
#include <gtest/gtest.h>

#include <QApplication>
#include <QTemporaryDir>

#include "ui/theme.hpp"
#include "ui_test_util.hpp"

namespace uitest {

int runTests(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");  // also when ctest lists the tests
    }
    // Recent files and settings go to a throwaway place, not the user's.
    QTemporaryDir settings;
    qputenv("XDG_CONFIG_HOME", settings.path().toLocal8Bit());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("cnmlab-tests"));
    QApplication::setApplicationName(QStringLiteral("ui_tests"));
    cnmlab::ui::Theme::apply();
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

}  // namespace uitest

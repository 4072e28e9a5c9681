// cnmlab-studio [FILE] [--screenshot OUT.png]
// With --screenshot the window is rendered offscreen to a PNG and the program
// exits (SPEC §2); exit 2 when FILE is invalid.

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QTimer>

#include <iostream>

#include "ui/main_window.hpp"

int main(int argc, char** argv) {
    QString screenshot;
    for (int i = 1; i + 1 < argc; ++i) {
        if (QString::fromLocal8Bit(argv[i]) == QLatin1String("--screenshot")) {
            screenshot = QString::fromLocal8Bit(argv[i + 1]);
        }
    }
    if (!screenshot.isEmpty() && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("cnmlab-studio");
    QApplication::setOrganizationName("cnmlab");

    QCommandLineParser parser;
    parser.setApplicationDescription("cnmlab studio: draw Docker networks and watch packets cross them");
    parser.addHelpOption();
    parser.addPositionalArgument("FILE", "Scenario file to open");
    QCommandLineOption shotOpt("screenshot", "Render the window offscreen to OUT.png and exit", "OUT.png");
    parser.addOption(shotOpt);
    parser.process(app);

    cnmlab::ui::MainWindow window;
    const QStringList files = parser.positionalArguments();
    QString error;
    if (!files.isEmpty()) {
        error = window.openFile(files.front(), !screenshot.isEmpty());
    }
    if (!screenshot.isEmpty()) {
        if (!error.isEmpty()) {
            std::cerr << error.toStdString() << "\n";
            return 2;
        }
        window.resize(1400, 900);
        window.show();
        window.fitToContents();
        QApplication::processEvents();
        if (!window.grab().save(screenshot)) {
            std::cerr << "cannot write " << screenshot.toStdString() << "\n";
            return 3;
        }
        return 0;
    }
    window.show();
    return QApplication::exec();
}

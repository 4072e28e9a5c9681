// cnmlab-studio [FILE] [--screenshot OUT.png] [--lang en|zh] [--simulate FROM TO] [--select NAME]
//               [--open-host NAME] [--hop N] [--proto P --port N] [--live] [--presentation]
//               [--compare DRIVERS [--network KEY]]
// With --screenshot the window is rendered offscreen to a PNG and the program
// exits (docs/command-line.md); exit 2 when FILE is invalid. --simulate plays an ICMP probe
// and captures it mid-animation; --open-host shows a Docker host's devices
// (the packet crossing them with --simulate). --live switches Live on first
// (its helper asks for permission to run as root: pkexec or sudo, or
// CNMLAB_ELEVATE), sends the matrix in the kernel (and the --simulate ping,
// shown in the Live panel), and takes it down after the picture; exit 3 when
// it cannot go up. --presentation starts in presentation mode (everything half
// again as large; its screenshots are 1920x1080, the projector's size).
// --compare bridge,macvlan [--network KEY] opens the Compare view on those
// drivers, moving every network or only KEY (the first
// two on its canvases, playing the reference ping or the --simulate probe, at
// --hop N or halfway); with --screenshot the picture is of that window.
// Screenshots default to English (reproducible);
// otherwise the language is the menu's last choice or the system locale.

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDockWidget>
#include <QPixmap>
#include <QThread>

#include <functional>

#include <iostream>

#include <QSettings>

#include "plugins/shipped.hpp"
#include "ui/canvas_graph.hpp"
#include "ui/compare/compare_view.hpp"
#include "ui/compare/lockstep.hpp"
#include "ui/inspector/inspector_panel.hpp"
#include "ui/language.hpp"
#include "ui/live/live_panel.hpp"
#include "ui/live/live_session.hpp"
#include "ui/main_window.hpp"
#include "ui/plan/plan_view.hpp"
#include "ui/scenario_document.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace {

// Runs the event loop until `done` (true) or `ms` pass (false).
bool waitUntil(const std::function<bool()>& done, int ms) {
    const QDeadlineTimer deadline(ms);
    while (!done()) {
        if (deadline.hasExpired()) {
            return false;
        }
        QApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return true;
}

using cnmlab::ui::LiveSession;

// --live: up, the matrix, and the --simulate ping in the kernel. Returns an error or "".
QString goLive(cnmlab::ui::MainWindow& window, const QString& from, const QString& to) {
    LiveSession* live = window.live();
    live->switchOn();
    const bool settled = waitUntil(
        [live] {
            return live->state() == LiveSession::State::Off ||
                   (live->state() == LiveSession::State::Up && live->matrix() != nullptr &&
                    !live->matrixRunning());
        },
        60'000);
    if (live->state() != LiveSession::State::Up) {
        return settled ? live->lastError() : QStringLiteral("Live did not come up within a minute");
    }
    if (!from.isEmpty()) {
        window.livePanel()->run(from, to, QStringLiteral("icmp"));
        waitUntil([live] { return !live->probeRunning(); }, 10'000);
        window.raisePanel(window.livePanel());
    }
    // Room for the matrix (or the probe table) below the canvas.
    if (auto* dock = window.findChild<QDockWidget*>(from.isEmpty() ? QStringLiteral("reachDock")
                                                                   : QStringLiteral("liveDock"))) {
        window.resizeDocks({dock}, {360}, Qt::Vertical);
        QApplication::processEvents();
        window.fitToContents();
    }
    return {};
}

// --compare: the Compare view on `drivers`, its canvases at hop `hop` (from 1;
// halfway when < 1), playing FROM -> TO when given. Returns the view, or
// nullptr with the error on stderr.
cnmlab::ui::CompareView* openCompare(cnmlab::ui::MainWindow& window, const QString& drivers,
                                     const QString& network, const QString& from, const QString& to,
                                     int hop) {
    cnmlab::ui::CompareView* view =
        window.openCompare(drivers.split(',', Qt::SkipEmptyParts), network);
    view->resize(1920, 1080);  // a table and two canvases: the room of a projector
    waitUntil([view] { return !view->running(); }, 300'000);
    if (view->comparison() == nullptr) {
        std::cerr << (view->running() ? std::string("the comparison took over five minutes")
                                      : view->error().toStdString())
                  << "\n";
        return nullptr;
    }
    if (!from.isEmpty()) {
        const QString err = view->play(from, to);
        if (!err.isEmpty()) {
            std::cerr << err.toStdString() << "\n";
        }
    }
    QApplication::processEvents();
    cnmlab::ui::Lockstep* steps = view->lockstep();
    if (hop >= 1) {
        steps->seek(hop - 1);  // as the panes number it
    } else {
        steps->seekBetween(std::max(1, steps->hopCount() / 2), 0.55);
    }
    QApplication::processEvents();
    return view;
}

}  // namespace

int main(int argc, char** argv) {
    cnmlab::plugins::installShippedPlugins();
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
    QApplication::setApplicationName(QStringLiteral("cnmlab-studio"));
    QApplication::setOrganizationName(QStringLiteral("cnmlab"));
    cnmlab::ui::Theme::apply();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("cnmlab studio: draw Docker networks and watch packets cross them"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Scenario file to open"));
    QCommandLineOption shotOpt(QStringLiteral("screenshot"),
                               QStringLiteral("Render the window offscreen to OUT.png and exit"),
                               QStringLiteral("OUT.png"));
    parser.addOption(shotOpt);
    QCommandLineOption langOpt(
        QStringLiteral("lang"),
        QStringLiteral("Language: en or zh (default: the last choice, else the system's)"),
        QStringLiteral("LANG"));
    parser.addOption(langOpt);
    QCommandLineOption simOpt(
        QStringLiteral("simulate"),
        QStringLiteral("With --screenshot: play an ICMP probe FROM TO and capture it halfway "
                       "(give FROM and TO as two arguments)"),
        QStringLiteral("FROM"));
    parser.addOption(simOpt);
    QCommandLineOption selectOpt(
        QStringLiteral("select"),
        QStringLiteral("Select NAME (a service, network, host or external) and show "
                       "it in the inspector"),
        QStringLiteral("NAME"));
    parser.addOption(selectOpt);
    QCommandLineOption liveOpt(
        QStringLiteral("live"),
        QStringLiteral("With --screenshot: switch Live on (its helper runs as root, with your "
                       "permission), send the matrix and the "
                       "--simulate ping in the kernel, and switch it off after the picture"));
    parser.addOption(liveOpt);
    QCommandLineOption hostOpt(
        QStringLiteral("open-host"),
        QStringLiteral("Open Docker host NAME: its bridges, veth pairs, sandboxes and "
                       "rules, in a tab beside the canvas"),
        QStringLiteral("NAME"));
    parser.addOption(hostOpt);
    QCommandLineOption hopOpt(
        QStringLiteral("hop"),
        QStringLiteral("With --simulate: capture the packet at hop N, numbered as the "
                       "event list does (default: halfway, between two hops)"),
        QStringLiteral("N"));
    parser.addOption(hopOpt);
    QCommandLineOption presentOpt(
        QStringLiteral("presentation"),
        QStringLiteral(
            "Start in presentation mode (View > Presentation mode, F5): text, icons, the canvas "
            "and the host view half again as large; with --screenshot the window is 1920x1080"));
    parser.addOption(presentOpt);
    const QCommandLineOption protoOpt(
        QStringLiteral("proto"), QStringLiteral("With --simulate: icmp (the default), tcp or udp."),
        QStringLiteral("PROTO"), QStringLiteral("icmp"));
    parser.addOption(protoOpt);
    const QCommandLineOption portOpt(QStringLiteral("port"),
                                     QStringLiteral("With --simulate --proto tcp|udp: the port."),
                                     QStringLiteral("N"));
    parser.addOption(portOpt);
    const QCommandLineOption compareOpt(
        QStringLiteral("compare"),
        QStringLiteral("Open the Compare view on DRIVERS (comma-separated, e.g. bridge,macvlan); "
                       "with --screenshot, capture it with its two canvases playing the "
                       "reference ping (or the --simulate probe) at --hop N or halfway"),
        QStringLiteral("DRIVERS"));
    parser.addOption(compareOpt);
    const QCommandLineOption networkOpt(
        QStringLiteral("network"),
        QStringLiteral("With --compare: put only network KEY on each driver (default: every "
                       "user network of the file)"),
        QStringLiteral("KEY"));
    parser.addOption(networkOpt);
    parser.process(app);

    // --simulate FROM TO: TO is the positional argument after FILE.
    QStringList positional = parser.positionalArguments();
    QString simFrom;
    QString simTo;
    if (parser.isSet(simOpt)) {
        simFrom = parser.value(simOpt);
        for (int i = 1; i + 2 < argc; ++i) {
            if (QString::fromLocal8Bit(argv[i]) == QLatin1String("--simulate")) {
                simTo = QString::fromLocal8Bit(argv[i + 2]);
            }
        }
        positional.removeAll(simTo);
        if (simTo.isEmpty()) {
            std::cerr << "--simulate needs FROM and TO\n";
            return 2;
        }
    }

    // Language: --lang, else the menu's last choice, else the system locale.
    QString lang = parser.value(langOpt);
    if (lang.isEmpty() && screenshot.isEmpty()) {
        lang = QSettings().value(QStringLiteral("language")).toString();
    }
    if (!lang.isEmpty() && lang != QLatin1String("en") && lang != QLatin1String("zh")) {
        std::cerr << "--lang must be en or zh\n";
        return 2;
    }
    cnmlab::ui::Language::set(lang.isEmpty() && !screenshot.isEmpty() ? QStringLiteral("en")
                                                                      : lang);

    cnmlab::ui::MainWindow window;
    const QStringList& files = positional;
    QString error;
    if (!files.isEmpty()) {
        error = window.openFile(files.front(), !screenshot.isEmpty());
    }
    if (!screenshot.isEmpty()) {
        if (!error.isEmpty()) {
            std::cerr << error.toStdString() << "\n";
            // Rejected by the reader: nothing to draw. Loaded with an error Docker
            // would report (an address, a driver): drawn with the error marked.
            if (window.document()->path().isEmpty()) {
                return 2;
            }
        }
        const bool present = parser.isSet(presentOpt);
        window.resize(present ? QSize(1920, 1080) : QSize(1440, 900));
        window.show();
        QApplication::processEvents();
        window.fitToContents();
        if (present) {
            window.setPresentation(true);
            QApplication::processEvents();
        }
        if (parser.isSet(selectOpt)) {
            const QString id = cnmlab::ui::canvasIdFor(window.scene()->graph(),
                                                       parser.value(selectOpt).toStdString());
            window.scene()->selectIds({id});
            window.raisePanel(window.inspector());
            window.raisePanel(window.planView());  // what Docker creates for it
        }
        if (parser.isSet(hostOpt)) {
            window.openHost(parser.value(hostOpt));
            QApplication::processEvents();
        }
        if (parser.isSet(compareOpt)) {
            cnmlab::ui::CompareView* view =
                openCompare(window, parser.value(compareOpt), parser.value(networkOpt), simFrom,
                            simTo, parser.isSet(hopOpt) ? parser.value(hopOpt).toInt() : -1);
            if (view == nullptr) {
                return 2;
            }
            if (!view->grab().save(screenshot)) {
                std::cerr << "cannot write " << screenshot.toStdString() << "\n";
                return 3;
            }
            return 0;
        }
        if (!simFrom.isEmpty()) {
            const QString err = window.simulateForScreenshot(
                simFrom, simTo, parser.isSet(hopOpt) ? parser.value(hopOpt).toInt() : -1,
                parser.value(protoOpt), parser.value(portOpt).toInt());
            if (!err.isEmpty()) {
                std::cerr << err.toStdString() << "\n";
                return 2;
            }
        }
        if (parser.isSet(liveOpt)) {
            const QString err = goLive(window, simFrom, simTo);
            if (!err.isEmpty()) {
                std::cerr << err.toStdString() << "\n";
                window.live()->switchOff();
                waitUntil([&window] { return window.live()->state() == LiveSession::State::Off; },
                          30'000);
                return 3;
            }
        }
        QApplication::processEvents();
        const bool saved = window.grab().save(screenshot);
        if (parser.isSet(liveOpt)) {
            window.live()->switchOff();
            waitUntil([&window] { return window.live()->state() == LiveSession::State::Off; },
                      30'000);
        }
        if (!saved) {
            std::cerr << "cannot write " << screenshot.toStdString() << "\n";
            return 3;
        }
        return 0;
    }
    window.show();
    if (parser.isSet(presentOpt)) {
        window.setPresentation(true);
    }
    if (parser.isSet(compareOpt)) {
        window.openCompare(parser.value(compareOpt).split(',', Qt::SkipEmptyParts),
                           parser.value(networkOpt));
    }
    return QApplication::exec();
}

// The Live switch through the real widgets, with the studio running as a
// normal user (this process is `nobody`, see live_test_main.cpp) and its
// helper, `cnmlab live helper`, as root: the matrix coloured by agreement,
// probes with the kernel's answer beside the simulation's, `live down`
// leaving no namespace behind on the switch, on closing and when the studio
// goes away, while the studio itself never enters a namespace; and the
// errors: consent refused or cancelled, no elevation, a helper without root
// (exit 3), a scenario already up (exit 1).
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "../live/live_test_util.hpp"
#include "live/lifecycle.hpp"
#include "root_broker.hpp"
#include "ui/live/live_helper.hpp"
#include "ui/live/live_panel.hpp"
#include "ui/live/live_session.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/reach_panel.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::Agreement;
using cnmlab::ui::LiveHelper;
using cnmlab::ui::LivePanel;
using cnmlab::ui::LiveSession;
using cnmlab::ui::MainWindow;

// The tests that build namespaces need the root helper, through the broker.
#define REQUIRE_ROOT_HELPER()                                                                      \
    if (!uitest::brokerUnavailable().isEmpty()) {                                                  \
        GTEST_SKIP() << "live mode needs a helper running as root: "                               \
                     << uitest::brokerUnavailable().toStdString();                                 \
    }

namespace {

constexpr int kUpTimeoutMs = 60'000;

void openScenario(MainWindow& w, const char* relative) {
    w.resize(1440, 900);
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath(relative), true).isEmpty());
}

// A window whose Live switch starts the helper as root through the broker.
void useRootHelper(MainWindow& w) {
    w.live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    w.live()->setElevation(uitest::brokerElevation());
}

QString prefixOf(const MainWindow& w) {
    return QString::fromStdString(cnmlab::live::livePrefix(w.document()->scenario()));
}

// What `ip netns list` shows with this prefix.
QStringList namespacesWith(const QString& prefix) {
    QStringList out;
    for (const QString& name : QDir(QStringLiteral("/run/netns")).entryList(QDir::Files)) {
        if (name.startsWith(prefix)) {
            out << name;
        }
    }
    return out;
}

// The network namespace of every thread of this process, as /proc names it
// ("net:[4026531840]").
std::set<QString> networkNamespacesOfThisProcess() {
    std::set<QString> out;
    for (const QString& tid :
         QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString ns =
            QFile::symLinkTarget(QStringLiteral("/proc/self/task/%1/ns/net").arg(tid));
        if (!ns.isEmpty()) {
            out.insert(QFileInfo(ns).fileName());
        }
    }
    return out;
}

// This process's effective capabilities (CapEff of /proc/self/status).
QString effectiveCapabilities() {
    QFile status(QStringLiteral("/proc/self/status"));
    EXPECT_TRUE(status.open(QIODevice::ReadOnly));
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("CapEff:")) {
            return QString::fromLatin1(line.mid(7)).trimmed();
        }
    }
    return {};
}

bool processExists(qint64 pid) {
    return QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid));
}

// Switches Live on and waits until it is up with its first matrix. Callers wrap
// it in ASSERT_NO_FATAL_FAILURE: after a failed `up` there is no matrix to read.
void switchOnAndWait(MainWindow& w) {
    LiveSession* live = w.live();
    w.livePanel()->toggleAction()->trigger();
    EXPECT_TRUE(w.livePanel()->toggleAction()->isChecked());
    ASSERT_TRUE(QTest::qWaitFor(
        [live] {
            return live->state() == LiveSession::State::Off ||
                   (live->state() == LiveSession::State::Up && live->matrix() != nullptr &&
                    !live->matrixRunning());
        },
        kUpTimeoutMs));
    ASSERT_EQ(live->state(), LiveSession::State::Up) << live->lastError().toStdString();
    ASSERT_TRUE(live->matrix()->error.isEmpty()) << live->matrix()->error.toStdString();
}

// Switches Live on and waits until it is off again (refused).
QString switchOnExpectingRefusal(MainWindow& w, int timeoutMs = 20'000) {
    w.livePanel()->toggleAction()->trigger();
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; }, timeoutMs));
    EXPECT_FALSE(w.livePanel()->toggleAction()->isChecked());
    return w.live()->lastError();
}

void closeDialogs(MainWindow& w) {
    for (QMessageBox* box : w.findChildren<QMessageBox*>()) {
        box->close();
    }
}

// Runs one probe from the Live panel and returns its row's texts.
QStringList runInPanel(MainWindow& w, const QString& from, const QString& to, const QString& proto,
                       int port = 0) {
    LivePanel* panel = w.livePanel();
    const int before = panel->results()->rowCount();
    panel->run(from, to, proto, port);
    EXPECT_FALSE(panel->runButton()->isEnabled());  // one at a time
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return panel->results()->rowCount() == before + 1; }, 10'000));
    QStringList row;
    for (int c = 0; c < LivePanel::ColumnCount; ++c) {
        row << panel->results()->item(0, c)->text();
    }
    return row;
}

// An elevation program named `name` in `dir` that behaves as `script` says.
QString fakeElevation(const QTemporaryDir& dir, const char* name, const char* script) {
    const QString path = dir.filePath(QLatin1String(name));
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(script);
    f.close();
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

}  // namespace

TEST(LivePanel, BuildsWithTheSwitchOffInTheMenuAndToolbar) {
    MainWindow w;
    ASSERT_NO_FATAL_FAILURE(openScenario(w, "scenarios/bridge-isolation.yaml"));
    QAction* toggle = w.livePanel()->toggleAction();
    EXPECT_TRUE(toggle->isCheckable());
    EXPECT_FALSE(toggle->isChecked());
    EXPECT_TRUE(toggle->isEnabled());
    EXPECT_FALSE(toggle->shortcut().isEmpty());
    EXPECT_EQ(w.live()->state(), LiveSession::State::Off);
    EXPECT_EQ(w.live()->helper(), nullptr);                 // no privileged process until asked
    EXPECT_FALSE(w.livePanel()->runButton()->isEnabled());  // nothing to probe until it is up
    EXPECT_TRUE(w.live()->cliPath().endsWith(QStringLiteral("/cnmlab")));
    int menus = 0;
    for (QMenu* m : w.findChildren<QMenu*>()) {
        menus += m->actions().contains(toggle) ? 1 : 0;
    }
    EXPECT_EQ(menus, 1);
    EXPECT_GE(toggle->associatedObjects().size(), 3);  // the menu, the toolbar, the panel's switch
    EXPECT_FALSE(w.reach()->model()->live());
    uitest::shot(w, QStringLiteral("live-off"));
}

TEST(LiveElevation, PkexecFirstThenSudoAndDirectlyOnlyForRoot) {
    QTemporaryDir both;
    QTemporaryDir sudoOnly;
    QTemporaryDir none;
    const QString pkexec = fakeElevation(both, "pkexec", "#!/bin/sh\n");
    fakeElevation(both, "sudo", "#!/bin/sh\n");
    const QString sudo = fakeElevation(sudoOnly, "sudo", "#!/bin/sh\n");
    const QProcessEnvironment plain;

    ASSERT_NE(::geteuid(), 0u) << "live_test_main.cpp runs the studio as nobody";
    EXPECT_TRUE(cnmlab::ui::chooseElevation(true, {both.path()}, plain).command.isEmpty());
    EXPECT_TRUE(cnmlab::ui::chooseElevation(true, {both.path()}, plain).unavailable.isEmpty());
    EXPECT_EQ(cnmlab::ui::chooseElevation(false, {both.path()}, plain).command,
              QStringList{pkexec});
    EXPECT_EQ(cnmlab::ui::chooseElevation(false, {sudoOnly.path()}, plain).command,
              (QStringList{sudo, QStringLiteral("-n"), QStringLiteral("--")}));
    QProcessEnvironment askpass;
    askpass.insert(QStringLiteral("SUDO_ASKPASS"), QStringLiteral("/usr/bin/ssh-askpass"));
    EXPECT_EQ(cnmlab::ui::chooseElevation(false, {sudoOnly.path()}, askpass).command,
              (QStringList{sudo, QStringLiteral("-A"), QStringLiteral("--")}));
    const cnmlab::ui::Elevation nothing = cnmlab::ui::chooseElevation(false, {none.path()}, plain);
    EXPECT_TRUE(nothing.command.isEmpty());
    EXPECT_TRUE(nothing.unavailable.contains(QStringLiteral("pkexec")))
        << nothing.unavailable.toStdString();
    QProcessEnvironment forced;
    forced.insert(QStringLiteral("CNMLAB_ELEVATE"), QStringLiteral("doas -n"));
    EXPECT_EQ(cnmlab::ui::chooseElevation(false, {both.path()}, forced).command,
              (QStringList{QStringLiteral("doas"), QStringLiteral("-n")}));

    // A studio (not root) where neither is installed says what to install.
    const QByteArray path = qgetenv("PATH");
    const QByteArray elevate = qgetenv("CNMLAB_ELEVATE");
    qputenv("PATH", none.path().toLocal8Bit());
    qunsetenv("CNMLAB_ELEVATE");
    MainWindow w;
    qputenv("PATH", path);
    if (!elevate.isEmpty()) {
        qputenv("CNMLAB_ELEVATE", elevate);
    }
    ASSERT_NO_FATAL_FAILURE(openScenario(w, "scenarios/bridge-isolation.yaml"));
    const QString error = switchOnExpectingRefusal(w);
    EXPECT_TRUE(error.contains(QStringLiteral("pkexec"))) << error.toStdString();
    EXPECT_EQ(w.live()->helper(), nullptr);
    closeDialogs(w);
}

TEST(LivePanel, UpFailuresAreReadAsSpecDefinesTheExitCodes) {
    using cnmlab::ui::upFailureText;
    const QString file = QStringLiteral("iso.yaml");
    EXPECT_TRUE(upFailureText(1, QStringLiteral("iso is already up"), file)
                    .contains(QStringLiteral("already up in the kernel")));
    EXPECT_TRUE(upFailureText(1, {}, file).contains(QStringLiteral("live down iso.yaml")));
    EXPECT_TRUE(upFailureText(2, QStringLiteral("iso.yaml:3:1: error: x"), file)
                    .contains(QStringLiteral("refused the scenario")));
    const QString three = upFailureText(3, QStringLiteral("no ipvlan in this kernel"), file);
    EXPECT_TRUE(three.contains(QStringLiteral("cannot build it")));
    EXPECT_TRUE(three.contains(QStringLiteral("no ipvlan in this kernel")));
    const QString other = upFailureText(139, {}, file);
    EXPECT_TRUE(other.contains(QStringLiteral("does not define (code 139)")))
        << other.toStdString();
    EXPECT_FALSE(other.contains(QStringLiteral("refused")));
}

TEST(LivePanel, AHelperWithoutRootSaysWhatIsMissingInADialog) {
    ASSERT_NE(::geteuid(), 0u) << "live_test_main.cpp runs the studio as nobody";
    MainWindow w;
    w.live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    w.live()->setElevation({});  // directly: a helper with this process's (no) privileges
    ASSERT_NO_FATAL_FAILURE(openScenario(w, "scenarios/bridge-isolation.yaml"));
    const QString error = switchOnExpectingRefusal(w);
    EXPECT_TRUE(error.contains(QStringLiteral("cannot build it")))
        << error.toStdString();  // exit 3
    EXPECT_TRUE(error.contains(QStringLiteral("run it as root")))
        << error.toStdString();  // the CLI's
    QMessageBox* box = nullptr;
    EXPECT_TRUE(QTest::qWaitFor(
        [&] {
            box = w.findChild<QMessageBox*>();
            return box != nullptr && box->isVisible();
        },
        5'000));
    if (box != nullptr) {
        EXPECT_TRUE(box->text().contains(QStringLiteral("cannot build it")));
        box->close();
    }
    EXPECT_TRUE(QTest::qWaitFor([&] { return w.live()->helper() == nullptr; }, 5'000));

    // No CLI at all: the path it tried is named.
    QTemporaryDir dir;
    w.live()->setCliPath(dir.filePath(QStringLiteral("absent")));
    EXPECT_TRUE(switchOnExpectingRefusal(w).contains(QStringLiteral("absent")))
        << w.live()->lastError().toStdString();
    closeDialogs(w);
}

TEST(LivePanel, ConsentRefusedOrCancelledSaysSoAndNeverHangs) {
    QTemporaryDir dir;
    MainWindow w;
    w.live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    ASSERT_NO_FATAL_FAILURE(openScenario(w, "scenarios/bridge-isolation.yaml"));

    // pkexec when the user dismisses the dialog: exit 126, and nothing ran.
    w.live()->setElevation({fakeElevation(
        dir, "pkexec",
        "#!/bin/sh\necho 'Error executing command as another user: Request dismissed' >&2\n"
        "exit 126\n")});
    QString error = switchOnExpectingRefusal(w);
    EXPECT_TRUE(error.contains(QStringLiteral("was not given"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("Request dismissed"))) << error.toStdString();
    closeDialogs(w);

    // sudo without a terminal to ask for the password on.
    QTemporaryDir sudoDir;
    w.live()->setElevation(
        {fakeElevation(sudoDir, "sudo",
                       "#!/bin/sh\necho 'sudo: a password is required' >&2\nexit 1\n"),
         QStringLiteral("-n"), QStringLiteral("--")});
    error = switchOnExpectingRefusal(w);
    EXPECT_TRUE(error.contains(QStringLiteral("SUDO_ASKPASS"))) << error.toStdString();
    closeDialogs(w);

    // Switching off while the consent dialog is still open cancels it at once.
    QTemporaryDir waiting;
    w.live()->setElevation({fakeElevation(waiting, "pkexec", "#!/bin/sh\nexec sleep 60\n")});
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.live()->waitingForPermission(); }, 5'000));
    EXPECT_EQ(w.live()->state(), LiveSession::State::GoingUp);
    QElapsedTimer t;
    t.start();
    w.livePanel()->toggleAction()->trigger();
    EXPECT_EQ(w.live()->state(), LiveSession::State::Off);
    EXPECT_LT(t.elapsed(), 2'000);
    EXPECT_TRUE(w.live()->lastError().isEmpty()) << w.live()->lastError().toStdString();
    QTest::qWait(200);
    for (QMessageBox* box : w.findChildren<QMessageBox*>()) {
        EXPECT_FALSE(box->isVisible()) << box->text().toStdString();  // cancelled: no error dialog
    }

    // Closing the window while the dialog is open cancels it and closes.
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.live()->waitingForPermission(); }, 5'000));
    w.close();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !w.isVisible(); }, 2'000));
    EXPECT_EQ(w.live()->state(), LiveSession::State::Off);
}

TEST(LiveRoot, AStudioRunByANormalUserGoesLiveAndNeverEntersANamespace) {
    REQUIRE_ROOT_HELPER();
    const std::set<QString> home = networkNamespacesOfThisProcess();
    ASSERT_EQ(home.size(), 1u);
    EXPECT_NE(::getuid(), 0u);
    EXPECT_NE(::geteuid(), 0u);
    EXPECT_EQ(effectiveCapabilities(), QStringLiteral("0000000000000000"));

    MainWindow w;
    useRootHelper(w);
    ASSERT_NO_FATAL_FAILURE(openScenario(w, "scenarios/bridge-isolation.yaml"));
    const QString prefix = prefixOf(w);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty())
        << "iso is up already; `cnmlab live down` it first";
    ASSERT_NO_FATAL_FAILURE(switchOnAndWait(w));
    ASSERT_NE(w.live()->helper(), nullptr);
    EXPECT_EQ(w.live()->helper()->uid(), 0);  // the helper is root; this process is not
    EXPECT_NE(w.live()->helper()->pid(), ::getpid());
    EXPECT_FALSE(w.live()->usesCopy());  // saved and unmodified: the file itself
    EXPECT_FALSE(namespacesWith(prefix).isEmpty());

    // Every cell agrees; isolation makes both kinds of agreement occur.
    cnmlab::ui::ReachMatrixModel* m = w.reach()->model();
    ASSERT_TRUE(m->live());
    int reachable = 0;
    int unreachable = 0;
    for (int r = 0; r < m->rowCount(); ++r) {
        for (int c = 0; c < m->columnCount(); ++c) {
            const Agreement a = m->agreement(r, c);
            EXPECT_NE(a, Agreement::Disagree)
                << m->index(r, c).data(Qt::ToolTipRole).toString().toStdString();
            reachable += a == Agreement::AgreeReachable ? 1 : 0;
            unreachable += a == Agreement::AgreeUnreachable ? 1 : 0;
            if (a != Agreement::None) {
                EXPECT_EQ(m->index(r, c).data(Qt::BackgroundRole).value<QColor>(),
                          cnmlab::ui::ReachMatrixModel::agreementColor(a));
            }
        }
    }
    EXPECT_GT(reachable, 0);
    EXPECT_GT(unreachable, 0);
    const QString tip = m->index(0, 1).data(Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("simulation")) &&
                tip.contains(QStringLiteral("kernel")))
        << tip.toStdString();
    EXPECT_EQ(w.live()->matrix()->disagree, 0);
    EXPECT_EQ(networkNamespacesOfThisProcess(), home);
    uitest::shot(w, QStringLiteral("live-matrix"));

    // From a container: the kernel's answer beside the simulation's.
    const QStringList ping =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("icmp"));
    EXPECT_EQ(ping[LivePanel::Simulation], QStringLiteral("answered"));
    EXPECT_EQ(ping[LivePanel::Kernel], QStringLiteral("= answered"));
    EXPECT_TRUE(ping[LivePanel::KernelSaid].contains(QStringLiteral("echo reply")))
        << ping.join('|').toStdString();
    const QStringList isolated =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("b1"), QStringLiteral("icmp"));
    EXPECT_EQ(isolated[LivePanel::Simulation], QStringLiteral("dropped (no answer)"));
    EXPECT_EQ(isolated[LivePanel::Kernel], QStringLiteral("= dropped (no answer)"));
    const QStringList tcp =
        runInPanel(w, QStringLiteral("a2"), QStringLiteral("a1"), QStringLiteral("tcp"), 80);
    EXPECT_EQ(tcp[LivePanel::Kernel], QStringLiteral("= answered")) << tcp.join('|').toStdString();
    EXPECT_TRUE(tcp[LivePanel::KernelSaid].contains(QStringLiteral("connected: \"cnmlab ")))
        << tcp.join('|').toStdString();
    const QStringList refused =
        runInPanel(w, QStringLiteral("a2"), QStringLiteral("a1"), QStringLiteral("tcp"), 81);
    EXPECT_EQ(refused[LivePanel::Kernel], QStringLiteral("= refused"))
        << refused.join('|').toStdString();
    const QStringList dns =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("dns"));
    EXPECT_TRUE(dns[LivePanel::Kernel].startsWith(QStringLiteral("= 172.")))
        << dns.join('|').toStdString();
    EXPECT_EQ(dns[LivePanel::Simulation], dns[LivePanel::Kernel].mid(2));
    uitest::shot(w, QStringLiteral("live-probes"));

    // A question the simulation's worker throws on reaches the panel as an error.
    std::optional<cnmlab::ui::LiveProbeResult> bad;
    const auto c = QObject::connect(w.live(), &LiveSession::probeFinished,
                                    [&bad](const cnmlab::ui::LiveProbeResult& r) { bad = r; });
    w.live()->runProbe(cnmlab::ui::ProbeRequest::make(
        QStringLiteral("nosuch"), QStringLiteral("a1"), QStringLiteral("icmp"), 0));
    ASSERT_TRUE(QTest::qWaitFor([&bad] { return bad.has_value(); }, 10'000));
    QObject::disconnect(c);
    EXPECT_TRUE(bad->error.contains(QStringLiteral("'nosuch'"))) << bad->error.toStdString();
    EXPECT_EQ(w.live()->state(), LiveSession::State::Up);
    EXPECT_EQ(networkNamespacesOfThisProcess(), home);

    // Off: nothing left in the kernel, the matrix back to the simulation's colours.
    const qint64 helperPid = w.live()->helper()->pid();
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; },
                                kUpTimeoutMs));
    EXPECT_TRUE(w.live()->lastError().isEmpty()) << w.live()->lastError().toStdString();
    EXPECT_FALSE(w.livePanel()->toggleAction()->isChecked());
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
    EXPECT_FALSE(m->live());
    EXPECT_TRUE(QTest::qWaitFor([&] { return !processExists(helperPid); }, 10'000))
        << "the helper outlived the Live session";
    EXPECT_EQ(networkNamespacesOfThisProcess(), home);
}

TEST(LiveRoot, AnUntitledScenarioGoesUpAsOnTheCanvasAndClosingTakesItDown) {
    REQUIRE_ROOT_HELPER();
    auto* w = new MainWindow;
    useRootHelper(*w);
    w->resize(1440, 900);
    uitest::showActive(*w);
    ASSERT_TRUE(uitest::triggerAction(*w, QStringLiteral("New")));
    ASSERT_TRUE(w->document()->path().isEmpty());
    ASSERT_FALSE(w->document()->isModified());  // closing must not ask
    const QString prefix = prefixOf(*w);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty()) << "webdb is up already";
    ASSERT_NO_FATAL_FAILURE(switchOnAndWait(*w));
    EXPECT_TRUE(w->live()->usesCopy());
    EXPECT_FALSE(namespacesWith(prefix).isEmpty());
    EXPECT_EQ(w->live()->matrix()->disagree, 0);
    const qint64 helperPid = w->live()->helper()->pid();

    // Closing waits for `live down`, then closes.
    w->close();
    EXPECT_TRUE(w->isVisible());
    EXPECT_TRUE(QTest::qWaitFor([w] { return !w->isVisible(); }, kUpTimeoutMs));
    EXPECT_EQ(w->live()->state(), LiveSession::State::Off);
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
    delete w;
    EXPECT_FALSE(processExists(helperPid));
}

TEST(LiveRoot, AStudioThatGoesAwayWhileUpLeavesNothingInTheKernel) {
    REQUIRE_ROOT_HELPER();
    auto* w = new MainWindow;
    useRootHelper(*w);
    ASSERT_NO_FATAL_FAILURE(openScenario(*w, "scenarios/bridge-isolation.yaml"));
    const QString prefix = prefixOf(*w);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty());
    ASSERT_NO_FATAL_FAILURE(switchOnAndWait(*w));
    const qint64 helperPid = w->live()->helper()->pid();
    ASSERT_FALSE(namespacesWith(prefix).isEmpty());
    // No switch-off, no close event: the window is destroyed, as when the
    // studio quits; the helper's input closes and it takes the topology down.
    delete w;
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
    EXPECT_FALSE(processExists(helperPid));
}

TEST(LiveRoot, AScenarioAlreadyUpIsRefusedAndLeftAsItWas) {
    REQUIRE_ROOT_HELPER();
    MainWindow first;
    useRootHelper(first);
    ASSERT_NO_FATAL_FAILURE(openScenario(first, "scenarios/bridge-isolation.yaml"));
    const QString prefix = prefixOf(first);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty());
    ASSERT_NO_FATAL_FAILURE(switchOnAndWait(first));
    const QStringList before = namespacesWith(prefix);

    // The same scenario from a second window: `live up` exits 1.
    MainWindow second;
    useRootHelper(second);
    ASSERT_NO_FATAL_FAILURE(openScenario(second, "scenarios/bridge-isolation.yaml"));
    const QString error = switchOnExpectingRefusal(second, kUpTimeoutMs);
    EXPECT_TRUE(error.contains(QStringLiteral("already up"))) << error.toStdString();
    EXPECT_TRUE(error.contains(QStringLiteral("live down"))) << error.toStdString();
    EXPECT_EQ(namespacesWith(prefix), before);  // someone else's: not taken down
    EXPECT_EQ(first.live()->state(), LiveSession::State::Up);
    closeDialogs(second);

    first.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return first.live()->state() == LiveSession::State::Off; },
                                kUpTimeoutMs));
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
}

TEST(LiveRoot, TheStudioProgramRunByANormalUserGoesLiveThroughItsElevationCommand) {
    REQUIRE_ROOT_HELPER();
    const QString prefix = QString::fromStdString(
        cnmlab::live::livePrefix(cnmlab::test::load("scenarios/tour.yaml")->sc));
    ASSERT_TRUE(namespacesWith(prefix).isEmpty()) << "tour is up already";
    // cnmlab-studio itself, as this process's user; CNMLAB_ELEVATE names how
    // its helper becomes root (here the broker, where a user has pkexec). Once
    // with the matrix, once with a ping in the Live panel (docs/screenshots/).
    QTemporaryDir out;
    const QString shots = qEnvironmentVariable("CNMLAB_UI_SHOTS");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CNMLAB_ELEVATE"), uitest::brokerElevation().join(QLatin1Char(' ')));
    for (const auto& [name, extra] : std::vector<std::pair<QString, QStringList>>{
             {QStringLiteral("tour-live-en.png"), {}},
             {QStringLiteral("tour-live-panel-en.png"),
              {QStringLiteral("--simulate"), QStringLiteral("web"), QStringLiteral("api")}}}) {
        const QString png = (shots.isEmpty() ? out.path() : shots) + QLatin1Char('/') + name;
        QProcess studio;
        studio.setProcessEnvironment(env);
        studio.start(QStringLiteral(CNMLAB_STUDIO),
                     QStringList{uitest::sourcePath("scenarios/tour.yaml"),
                                 QStringLiteral("--live"), QStringLiteral("--screenshot"), png} +
                         extra);
        ASSERT_TRUE(studio.waitForFinished(kUpTimeoutMs + 30'000));
        EXPECT_EQ(studio.exitCode(), 0) << studio.readAllStandardError().toStdString();
        EXPECT_FALSE(QImage(png).isNull()) << png.toStdString();
        EXPECT_TRUE(namespacesWith(prefix).isEmpty());  // down after the picture
    }
}

// The Live switch through the real widgets: the panel, then (as root) a real
// `cnmlab live up` from the studio, the matrix coloured by agreement, probes
// from a container with the kernel's answer beside the simulation's, and
// `live down` leaving no namespace behind — on the switch, and on closing;
// and the errors: a CLI that fails, none at all, a scenario already up.
#include <gtest/gtest.h>

#include <QAction>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include "../live/live_test_util.hpp"
#include "live/session.hpp"
#include "ui/live/live_panel.hpp"
#include "ui/live/live_session.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/reach_matrix_model.hpp"
#include "ui/sim/reach_panel.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::Agreement;
using cnmlab::ui::LivePanel;
using cnmlab::ui::LiveSession;
using cnmlab::ui::MainWindow;

namespace {

constexpr int kUpTimeoutMs = 60'000;

void openScenario(MainWindow& w, const char* relative) {
    w.resize(1440, 900);
    uitest::showActive(w);
    ASSERT_TRUE(w.openFile(uitest::sourcePath(relative), true).isEmpty());
}

QString prefixOf(const MainWindow& w) {
    return QString::fromStdString(cnmlab::live::livePrefix(w.document()->scenario()));
}

// What `ip netns list` shows with this prefix.
QStringList namespacesWith(const QString& prefix) {
    QProcess ip;
    ip.start(QStringLiteral("ip"), {QStringLiteral("netns"), QStringLiteral("list")});
    EXPECT_TRUE(ip.waitForFinished(10'000));
    QStringList out;
    for (const QString& line : QString::fromLocal8Bit(ip.readAllStandardOutput()).split('\n')) {
        if (line.startsWith(prefix)) {
            out << line;
        }
    }
    return out;
}

// Switches Live on and waits until it is up with its first matrix.
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

// Runs one probe from the Live panel and returns its row's texts.
QStringList runInPanel(MainWindow& w, const QString& from, const QString& to, const QString& proto,
                       int port = 0) {
    LivePanel* panel = w.livePanel();
    const int before = panel->results()->rowCount();
    panel->run(from, to, proto, port);
    EXPECT_FALSE(panel->runButton()->isEnabled());  // one at a time, on a worker thread
    EXPECT_TRUE(
        QTest::qWaitFor([&] { return panel->results()->rowCount() == before + 1; }, 10'000));
    QStringList row;
    for (int c = 0; c < LivePanel::ColumnCount; ++c) {
        row << panel->results()->item(0, c)->text();
    }
    return row;
}

}  // namespace

TEST(LivePanel, BuildsWithTheSwitchOffInTheMenuAndToolbar) {
    MainWindow w;
    openScenario(w, "scenarios/bridge-isolation.yaml");
    QAction* toggle = w.livePanel()->toggleAction();
    EXPECT_TRUE(toggle->isCheckable());
    EXPECT_FALSE(toggle->isChecked());
    EXPECT_TRUE(toggle->isEnabled());
    EXPECT_FALSE(toggle->shortcut().isEmpty());
    EXPECT_EQ(w.live()->state(), LiveSession::State::Off);
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

TEST(LiveRoot, SwitchOnColoursTheMatrixByAgreementAndProbesMatchTheSimulation) {
    REQUIRE_ROOT();
    MainWindow w;
    w.live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    openScenario(w, "scenarios/bridge-isolation.yaml");
    const QString prefix = prefixOf(w);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty())
        << "iso is up already; `cnmlab live down` it first";
    switchOnAndWait(w);
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
    uitest::shot(w, QStringLiteral("live-matrix"));

    // From a container: the kernel's answer beside the simulation's.
    const QStringList ping =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("icmp"));
    EXPECT_EQ(ping[LivePanel::Simulation], QStringLiteral("reachable"));
    EXPECT_EQ(ping[LivePanel::Kernel], QStringLiteral("= reachable"));
    EXPECT_TRUE(ping[LivePanel::KernelSaid].contains(QStringLiteral("echo reply")))
        << ping.join('|').toStdString();
    const QStringList isolated =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("b1"), QStringLiteral("icmp"));
    EXPECT_EQ(isolated[LivePanel::Simulation], QStringLiteral("unreachable"));
    EXPECT_EQ(isolated[LivePanel::Kernel], QStringLiteral("= unreachable"));
    const QStringList tcp =
        runInPanel(w, QStringLiteral("a2"), QStringLiteral("a1"), QStringLiteral("tcp"), 80);
    EXPECT_EQ(tcp[LivePanel::Kernel], QStringLiteral("= reachable")) << tcp.join('|').toStdString();
    const QStringList dns =
        runInPanel(w, QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("dns"));
    EXPECT_TRUE(dns[LivePanel::Kernel].startsWith(QStringLiteral("= 172.")))
        << dns.join('|').toStdString();
    EXPECT_EQ(dns[LivePanel::Simulation], dns[LivePanel::Kernel].mid(2));
    uitest::shot(w, QStringLiteral("live-probes"));

    // Off: nothing left in the kernel, the matrix back to the simulation's colours.
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; },
                                kUpTimeoutMs));
    EXPECT_TRUE(w.live()->lastError().isEmpty()) << w.live()->lastError().toStdString();
    EXPECT_FALSE(w.livePanel()->toggleAction()->isChecked());
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
    EXPECT_FALSE(m->live());
}

TEST(LiveRoot, AnUntitledScenarioGoesUpFromACopyAndClosingTakesItDown) {
    REQUIRE_ROOT();
    auto* w = new MainWindow;
    w->live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    w->resize(1440, 900);
    uitest::showActive(*w);
    ASSERT_TRUE(uitest::triggerAction(*w, QStringLiteral("New")));
    ASSERT_TRUE(w->document()->path().isEmpty());
    ASSERT_FALSE(w->document()->isModified());  // closing must not ask
    const QString prefix = prefixOf(*w);
    ASSERT_TRUE(namespacesWith(prefix).isEmpty()) << "webdb is up already";
    switchOnAndWait(*w);
    EXPECT_TRUE(w->live()->usesCopy());
    const QString copy = w->live()->upFile();
    EXPECT_TRUE(QFileInfo::exists(copy));
    EXPECT_FALSE(namespacesWith(prefix).isEmpty());
    EXPECT_EQ(w->live()->matrix()->disagree, 0);

    // Closing waits for `live down`, then closes.
    w->close();
    EXPECT_TRUE(w->isVisible());
    EXPECT_TRUE(QTest::qWaitFor([w] { return !w->isVisible(); }, kUpTimeoutMs));
    EXPECT_EQ(w->live()->state(), LiveSession::State::Off);
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
    EXPECT_FALSE(QFileInfo::exists(copy));
    delete w;
}

TEST(LivePanel, AFailedUpSaysWhyInADialogAndLeavesTheSwitchOff) {
    // A stand-in for the CLI on a machine without root: exit 3 with its message.
    QTemporaryDir dir;
    const QString fake = dir.filePath(QStringLiteral("cnmlab"));
    {
        QFile f(fake);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(
            "#!/bin/sh\necho 'error: live mode needs CAP_NET_ADMIN: run it as root' >&2\nexit 3\n");
    }
    QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    MainWindow w;
    w.live()->setCliPath(fake);
    openScenario(w, "scenarios/bridge-isolation.yaml");
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; }, 10'000));
    EXPECT_FALSE(w.livePanel()->toggleAction()->isChecked());
    const QString error = w.live()->lastError();
    EXPECT_TRUE(error.contains(QStringLiteral("needs root"))) << error.toStdString();  // ours
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
        EXPECT_TRUE(box->text().contains(QStringLiteral("needs root")));
        box->close();
    }

    // No CLI at all: the path it tried is named.
    w.live()->setCliPath(dir.filePath(QStringLiteral("absent")));
    w.livePanel()->toggleAction()->trigger();
    ASSERT_TRUE(
        QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; }, 10'000));
    EXPECT_TRUE(w.live()->lastError().contains(QStringLiteral("absent")))
        << w.live()->lastError().toStdString();
}

TEST(LiveRoot, AScenarioAlreadyUpIsRefusedAndLeftAsItWas) {
    REQUIRE_ROOT();
    MainWindow w;
    w.live()->setCliPath(QStringLiteral(CNMLAB_CLI));
    openScenario(w, "scenarios/bridge-isolation.yaml");
    const QString prefix = prefixOf(w);
    const QString file = w.document()->path();
    ASSERT_EQ(QProcess::execute(QStringLiteral(CNMLAB_CLI),
                                {QStringLiteral("live"), QStringLiteral("up"), file}),
              0);
    const QStringList before = namespacesWith(prefix);
    w.livePanel()->toggleAction()->trigger();
    EXPECT_TRUE(QTest::qWaitFor([&] { return w.live()->state() == LiveSession::State::Off; },
                                kUpTimeoutMs));
    EXPECT_TRUE(w.live()->lastError().contains(QStringLiteral("already up")))
        << w.live()->lastError().toStdString();
    EXPECT_EQ(namespacesWith(prefix), before);  // someone else's: not taken down
    for (QMessageBox* box : w.findChildren<QMessageBox*>()) {
        box->close();
    }
    EXPECT_EQ(QProcess::execute(QStringLiteral(CNMLAB_CLI),
                                {QStringLiteral("live"), QStringLiteral("down"), file}),
              0);
    EXPECT_TRUE(namespacesWith(prefix).isEmpty());
}

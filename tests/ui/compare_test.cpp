// The Compare view (issue #17) through the real widgets: the table with one
// column per driver and its marked differences, an invalid driver's reason,
// and the two canvases played in step by one control.
#include <gtest/gtest.h>

#include <QAbstractItemModel>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

#include "ui/compare/compare_pane.hpp"
#include "ui/compare/compare_table_model.hpp"
#include "ui/compare/compare_view.hpp"
#include "ui/compare/lockstep.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_document.hpp"
#include "ui/scenario_edit.hpp"
#include "ui/sim/playback.hpp"
#include "ui/topology_scene.hpp"
#include "ui_test_util.hpp"

using cnmlab::ui::CompareTableModel;
using cnmlab::ui::CompareView;
using cnmlab::ui::MainWindow;

namespace {

// Opens scenarios/tour.yaml and the Compare view on `drivers`; waits for the result.
CompareView* compareTour(MainWindow& w, const QStringList& drivers) {
    uitest::openScenario(w, "tour.yaml");
    CompareView* view = w.openCompare(drivers);
    for (int i = 0; i < 3000 && view->running(); ++i) {
        QTest::qWait(20);
    }
    return view;
}

QStringList columnTitles(const QAbstractItemModel* m) {
    QStringList out;
    for (int c = 0; c < m->columnCount(); ++c) {
        out << m->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    }
    return out;
}

}  // namespace

TEST(Compare, ViewMenuOpensItWithTheDefaultDriversTicked) {
    MainWindow w;
    uitest::openScenario(w, "tour.yaml");
    ASSERT_TRUE(uitest::triggerAction(w, QStringLiteral("Compare drivers…")));
    CompareView* view = w.compareView();
    ASSERT_NE(view, nullptr);
    EXPECT_TRUE(view->isVisible());
    EXPECT_EQ(view->drivers(), CompareView::defaultDrivers());
    for (const QString& d : CompareView::availableDrivers()) {
        auto* box = view->findChild<QCheckBox*>(QStringLiteral("driver-") + d);
        ASSERT_NE(box, nullptr) << d.toStdString();
        EXPECT_EQ(box->isChecked(), CompareView::defaultDrivers().contains(d)) << d.toStdString();
    }
    for (int i = 0; i < 3000 && view->running(); ++i) {
        QTest::qWait(20);
    }
    EXPECT_EQ(columnTitles(view->model()), CompareView::defaultDrivers());
}

TEST(Compare, TheTableHasOneColumnPerDriverAndMarksWhatDiffersFromTheFirst) {
    MainWindow w;
    CompareView* view = compareTour(
        w, {QStringLiteral("bridge"), QStringLiteral("macvlan"), QStringLiteral("ipvlan")});
    ASSERT_NE(view->comparison(), nullptr) << view->error().toStdString();
    CompareTableModel* m = view->model();
    EXPECT_EQ(columnTitles(m), (QStringList{QStringLiteral("bridge"), QStringLiteral("macvlan"),
                                            QStringLiteral("ipvlan")}));
    EXPECT_EQ(m->rowCount(), CompareTableModel::RowCount);
    // A macvlan container cannot reach its own host (the parent's kernel
    // drops what its sub-interfaces send to it); a bridge container can.
    const QModelIndex bridge = m->index(CompareTableModel::ToOwnHost, 0);
    const QModelIndex macvlan = m->index(CompareTableModel::ToOwnHost, 1);
    EXPECT_EQ(bridge.data().toString(), QStringLiteral("3/3"));
    EXPECT_EQ(macvlan.data().toString(), QStringLiteral("0/3"));
    EXPECT_TRUE(m->differs(CompareTableModel::ToOwnHost, 1));
    EXPECT_TRUE(macvlan.data(CompareTableModel::DiffersRole).toBool());
    EXPECT_TRUE(macvlan.data(Qt::BackgroundRole).isValid());
    // The first driver is what the others are measured against: never marked.
    for (int r = 0; r < m->rowCount(); ++r) {
        EXPECT_FALSE(m->differs(r, 0)) << r;
        EXPECT_FALSE(m->index(r, 0).data(Qt::BackgroundRole).isValid()) << r;
    }
    // What is the same is not marked: names resolve alike on all three.
    EXPECT_EQ(m->index(CompareTableModel::Names, 1).data().toString(),
              m->index(CompareTableModel::Names, 0).data().toString());
    EXPECT_FALSE(m->differs(CompareTableModel::Names, 1));
    // The changed pairs are the reach matrix cell's tooltip, with reasons.
    const QString changes = m->index(CompareTableModel::Matrix, 1).data(Qt::ToolTipRole).toString();
    EXPECT_TRUE(changes.contains(QStringLiteral("changed from bridge"))) << changes.toStdString();
    EXPECT_TRUE(changes.contains(QStringLiteral(" — "))) << changes.toStdString();
    // The devices crossed are listed in the tooltip, one per line.
    EXPECT_TRUE(m->index(CompareTableModel::Devices, 0)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("1. tour-web-1:eth0")));
    // A single host: the rows about other hosts have nothing to compare.
    EXPECT_TRUE(view->table()->isRowHidden(CompareTableModel::ToOtherHosts));
    EXPECT_FALSE(view->table()->isRowHidden(CompareTableModel::ToOwnHost));
    uitest::shot(*view, QStringLiteral("compare-table"));
}

TEST(Compare, AnInvalidDriverShowsItsReason) {
    MainWindow w;
    CompareView* view = compareTour(w, {QStringLiteral("bridge"), QStringLiteral("host")});
    ASSERT_NE(view->comparison(), nullptr) << view->error().toStdString();
    CompareTableModel* m = view->model();
    ASSERT_EQ(m->columnCount(), 2);
    const QModelIndex valid = m->index(CompareTableModel::Valid, 1);
    // api is on front and back: it cannot take network_mode: host beside a network.
    EXPECT_TRUE(valid.data().toString().startsWith(QStringLiteral("✗")));
    EXPECT_TRUE(valid.data().toString().contains(QStringLiteral("network_mode")))
        << valid.data().toString().toStdString();
    EXPECT_TRUE(valid.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Invalid on host")));
    EXPECT_TRUE(m->differs(CompareTableModel::Valid, 1));
    EXPECT_EQ(m->index(CompareTableModel::Matrix, 1).data().toString(), QStringLiteral("—"));
    EXPECT_FALSE(m->differs(CompareTableModel::Matrix, 1));  // its dashes are not differences
    // Its canvas cannot be chosen; asked for anyway, the pane says why.
    cnmlab::ui::ComparePane* right = view->pane(1);
    EXPECT_FALSE(right->driverBox()->model()->index(1, 0).flags().testFlag(Qt::ItemIsEnabled));
    const QString err = view->setPaneDrivers(QStringLiteral("bridge"), QStringLiteral("host"));
    EXPECT_TRUE(err.contains(QStringLiteral("network_mode"))) << err.toStdString();
    EXPECT_EQ(right->playback()->hopCount(), 0);
}

TEST(Compare, TheTwoCanvasesPlayTheReferencePingInStep) {
    MainWindow w;
    CompareView* view = compareTour(w, {QStringLiteral("bridge"), QStringLiteral("macvlan")});
    ASSERT_NE(view->comparison(), nullptr) << view->error().toStdString();
    cnmlab::ui::ComparePane* left = view->pane(0);
    cnmlab::ui::ComparePane* right = view->pane(1);
    EXPECT_EQ(left->driver(), QStringLiteral("bridge"));
    EXPECT_EQ(right->driver(), QStringLiteral("macvlan"));
    // Both canvases draw the file on their driver: front is a macvlan network on the right.
    EXPECT_FALSE(left->scene()->graph().nodes.empty());
    EXPECT_EQ(right->document()->scenario().findNetwork("front")->driver, "macvlan");
    // The reference ping, traced on both.
    cnmlab::ui::Playback* a = left->playback();
    cnmlab::ui::Playback* b = right->playback();
    ASSERT_NE(a->probe(), nullptr);
    ASSERT_NE(b->probe(), nullptr);
    const auto& wire = view->comparison()->drivers.front().wire;
    EXPECT_EQ(a->probe()->request.from, wire.from);
    EXPECT_EQ(b->probe()->request.to, wire.to);
    ASSERT_GT(a->hopCount(), 4);
    ASSERT_GT(b->hopCount(), 4);
    ASSERT_NE(a->hopCount(), b->hopCount());  // the bridge path has its own steps (FDB, flood)

    // One control: step three times, both at hop 4.
    cnmlab::ui::Lockstep* steps = view->lockstep();
    EXPECT_EQ(steps->hopCount(), std::max(a->hopCount(), b->hopCount()));
    for (int i = 0; i < 3; ++i) {
        steps->stepForward();
    }
    EXPECT_EQ(a->current(), 3);
    EXPECT_EQ(b->current(), 3);
    EXPECT_TRUE(left->explanation().startsWith(QStringLiteral("Hop 4/")))
        << left->explanation().toStdString();
    EXPECT_TRUE(right->explanation().startsWith(QStringLiteral("Hop 4/")));
    // Halfway between two hops, both glide the same fraction.
    steps->seekBetween(3, 0.5);
    EXPECT_DOUBLE_EQ(a->position(), 2.5);
    EXPECT_DOUBLE_EQ(b->position(), 2.5);

    // Played to the end: the shorter trace waits at its last hop.
    steps->setSpeed(16);
    steps->play();
    for (int i = 0; i < 500 && steps->playing(); ++i) {
        QTest::qWait(20);
    }
    EXPECT_FALSE(steps->playing());
    EXPECT_EQ(a->current(), a->hopCount() - 1);
    EXPECT_EQ(b->current(), b->hopCount() - 1);
    cnmlab::ui::ComparePane* shorter = a->hopCount() < b->hopCount() ? left : right;
    EXPECT_TRUE(shorter->explanation().contains(QStringLiteral("waiting")))
        << shorter->explanation().toStdString();

    // Another probe, picked by the user, replaces it on both.
    ASSERT_TRUE(view->play(QStringLiteral("api"), QStringLiteral("db")).isEmpty());
    EXPECT_EQ(a->probe()->request.from, "api");
    EXPECT_EQ(b->probe()->request.to, "db");
    EXPECT_EQ(steps->current(), 0);
    uitest::shot(*view, QStringLiteral("compare-step"));
}

TEST(Compare, ChoosingAnotherDriverRedrawsThatCanvasAndPlaysAgain) {
    MainWindow w;
    CompareView* view = compareTour(w, CompareView::defaultDrivers());
    ASSERT_NE(view->comparison(), nullptr) << view->error().toStdString();
    ASSERT_TRUE(
        view->setPaneDrivers(QStringLiteral("bridge"), QStringLiteral("overlay")).isEmpty());
    cnmlab::ui::ComparePane* right = view->pane(1);
    EXPECT_EQ(right->driver(), QStringLiteral("overlay"));
    EXPECT_EQ(right->driverBox()->currentText(), QStringLiteral("overlay"));
    EXPECT_EQ(right->document()->scenario().findNetwork("front")->driver, "overlay");
    EXPECT_GT(right->playback()->hopCount(), 0);
    // An edit of the file after the comparison says it is out of date.
    EXPECT_TRUE(view->status()->text().isEmpty());
    cnmlab::ui::ProbesEdit fewer{w.document()->scenario().probes, {}};
    w.document()->edit(QStringLiteral("Remove the probes"), {fewer});
    EXPECT_TRUE(view->status()->text().contains(QStringLiteral("Compare again")))
        << view->status()->text().toStdString();
}

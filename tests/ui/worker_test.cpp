// Work on worker threads whose exceptions reach the user as a message, never
// std::terminate (ui/worker.hpp): the simulation's matrix, the Plan view, the
// document's checks and Live's simulation side all run through runGuarded.
#include <gtest/gtest.h>

#include <QFutureWatcher>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <stdexcept>
#include <vector>

#include "model/error.hpp"
#include "ui/worker.hpp"

using cnmlab::ui::runGuarded;
using cnmlab::ui::WorkerOutcome;

TEST(Worker, AModelErrorThrownOnAWorkerArrivesAsTheCliWouldPrintIt) {
    auto f = runGuarded([]() -> int {
        throw cnmlab::model::Error(cnmlab::model::ErrorKind::Invalid, "no such network",
                                   {"shop.yaml", 3, 5});
    });
    f.waitForFinished();
    const WorkerOutcome<int> out = f.takeResult();
    EXPECT_FALSE(out.ok());
    EXPECT_EQ(out.error, QStringLiteral("shop.yaml:3:5: error: no such network"));
}

TEST(Worker, AnyOtherExceptionArrivesAsAnInternalErrorWithItsText) {
    auto f = runGuarded([]() -> std::vector<int> {
        return {std::vector<int>{}.at(3)};  // std::out_of_range from the library
    });
    f.waitForFinished();
    const auto out = f.takeResult();
    EXPECT_FALSE(out.ok());
    EXPECT_TRUE(out.error.startsWith(QStringLiteral("internal error: ")))
        << out.error.toStdString();
    EXPECT_TRUE(out.error.contains(QStringLiteral("range"))) << out.error.toStdString();

    auto odd = runGuarded([]() -> int { throw 42; });  // not even a std::exception
    odd.waitForFinished();
    EXPECT_TRUE(odd.takeResult().error.contains(QStringLiteral("unknown type")));
}

TEST(Worker, AResultArrivesThroughAWatcherOnTheUiThreadAndMayBeMoveOnly) {
    QFutureWatcher<WorkerOutcome<std::unique_ptr<int>>> watcher;
    QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
    watcher.setFuture(runGuarded([] { return std::make_unique<int>(7); }));
    ASSERT_TRUE(finished.wait(10'000));
    auto out = watcher.future().takeResult();
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(**out.value, 7);
    EXPECT_TRUE(out.error.isEmpty());

    // A failing task delivered the same way: the event loop runs on.
    QFutureWatcher<WorkerOutcome<int>> failing;
    QSignalSpy failed(&failing, &QFutureWatcherBase::finished);
    failing.setFuture(runGuarded([]() -> int { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(failed.wait(10'000));
    EXPECT_EQ(failing.future().takeResult().error, QStringLiteral("internal error: boom"));
    QTest::qWait(10);
}

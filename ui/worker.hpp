#pragma once
// Work on the thread pool whose failure reaches the user instead of ending the
// studio.
//
// QtConcurrent::run keeps an exception thrown by its task and throws it again
// on the UI thread when the result is taken; thrown through the event loop it
// ends the program (std::terminate). runGuarded() catches it on the worker
// instead, so the UI thread always receives a WorkerOutcome: the value, or the
// exception's message to show.

#include <QFuture>
#include <QString>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "model/error.hpp"

namespace cnmlab::ui {

template <class T> struct WorkerOutcome {
    std::optional<T> value;  // set when the task returned
    QString error;           // otherwise what it threw, as a sentence for the user
    bool ok() const { return value.has_value(); }
};

// The message of the exception being handled (call inside a catch block):
// model::Error as the CLI prints it, any other std::exception by its what().
QString currentExceptionMessage();

// Runs `task` (a callable returning T) on QThreadPool::globalInstance(). The
// future never holds an exception: whatever the task throws becomes the
// outcome's `error`. Take the result with QFuture::takeResult() (T may be
// move-only).
template <class Task>
auto runGuarded(Task task) -> QFuture<WorkerOutcome<std::invoke_result_t<Task&>>> {
    using T = std::invoke_result_t<Task&>;
    return QtConcurrent::run([task = std::move(task)]() mutable {
        WorkerOutcome<T> out;
        try {
            out.value.emplace(task());
        } catch (...) {  // reported to the user, never carried on from
            out.error = currentExceptionMessage();
        }
        return out;
    });
}

}  // namespace cnmlab::ui

// studio_edit_latency FILE [ROUNDS] [ui|worker]: how long an edit keeps the studio's UI
// thread busy on a big scenario, and how long until its validation result is
// shown. It opens FILE in the real main window (offscreen), then repeats three
// edits — move a container, rename it, change a property (its x-listen) —
// and prints, per kind, the median time until control returns to the event
// loop ("blocked") and until the document's snapshot reflects the edit
// ("validated"), and the longest the event loop then went without turning
// ("longest stall", wall time: other processes on the cores inflate it) and
// the UI thread's CPU time meanwhile ("UI cpu after"), first with the check on the UI thread (as
// the studio did before), then on a worker. A measuring program, not a test: nothing is asserted.
//
//   QT_QPA_PLATFORM=offscreen build/hv/tests/bench/studio_edit_latency /tmp/big.yaml
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <vector>

#include "ui/edit_controller.hpp"
#include "ui/main_window.hpp"
#include "ui/scenario_document.hpp"
#include "ui/scenario_edit.hpp"
#include "ui/topology_scene.hpp"

namespace {

using cnmlab::ui::ScenarioDocument;

struct Sample {
    double blockedMs = 0;    // the edit call itself
    double validatedMs = 0;  // until the document's snapshot reflects the edit
    double stallMs = 0;      // the longest the event loop then went without turning
    double afterCpuMs = 0;   // the UI thread's CPU time from the edit's return to validated
};

// CPU time of the calling thread: unlike wall time, not inflated when other
// processes share the cores.
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Runs `edit`, timing the call itself and then the event loop until the
// document holds a snapshot other than the one before the edit; a 4 ms
// timer measures how long the loop goes without turning meanwhile.
Sample measure(ScenarioDocument* doc, const std::function<void()>& edit, bool validates) {
    const auto before = doc->snapshot();
    QElapsedTimer t;
    t.start();
    edit();
    Sample s;
    s.blockedMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    const double cpu0 = threadCpuMs();
    QElapsedTimer tick;
    tick.start();
    QTimer spin;
    QObject::connect(&spin, &QTimer::timeout, [&] {
        s.stallMs = std::max(s.stallMs, static_cast<double>(tick.nsecsElapsed()) / 1e6);
        tick.restart();
    });
    spin.start(4);  // often enough to see a stall, too seldom to cost CPU itself
    while (validates && doc->snapshot() == before && t.elapsed() < 30000) {
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    s.validatedMs = static_cast<double>(t.nsecsElapsed()) / 1e6;
    QApplication::processEvents();  // what the result's arrival triggers
    s.stallMs = std::max(s.stallMs, static_cast<double>(tick.nsecsElapsed()) / 1e6);
    s.afterCpuMs = threadCpuMs() - cpu0;
    return s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// `rounds` of each edit; prints the medians. `name` is the service edited
// (renames alternate between NAME and NAMEx).
void run(cnmlab::ui::MainWindow& w, std::string& name, int rounds) {
    ScenarioDocument* doc = w.document();
    std::map<std::string, std::vector<Sample>> samples;
    for (int i = 0; i < rounds; ++i) {
        const QString id = QStringLiteral("svc:") + QString::fromStdString(name);
        const QPointF at = w.scene()->positionOf(id);
        samples["move"].push_back(measure(
            doc,
            [&] {
                w.editor()->move({{id, name, at, at + QPointF(12, 8)}});
            },
            false));
        const std::string next = name.back() == 'x' ? name.substr(0, name.size() - 1) : name + "x";
        samples["rename"].push_back(measure(
            doc, [&] { w.editor()->rename(cnmlab::ui::ObjectKind::Service, name, next); }, true));
        name = next;
        samples["property"].push_back(measure(
            doc,
            [&] {
                auto s = *doc->scenario().findService(name);
                s.listen.push_back({7000 + i, cnmlab::model::Proto::Tcp});
                doc->edit(QStringLiteral("x-listen"),
                          {cnmlab::ui::replaceService(doc->scenario(), s)});
            },
            true));
    }
    std::printf("%-9s %10s %10s %14s %14s   (median of %d, ms)\n", "edit", "blocked", "validated",
                "longest stall", "UI cpu after", rounds);
    for (const auto& [kind, v] : samples) {
        std::vector<double> blocked;
        std::vector<double> validated;
        std::vector<double> stall;
        std::vector<double> after;
        for (const Sample& s : v) {
            after.push_back(s.afterCpuMs);
            blocked.push_back(s.blockedMs);
            validated.push_back(s.validatedMs);
            stall.push_back(s.stallMs);
        }
        std::printf("%-9s %10.1f %10.1f %14.1f %14.1f\n", kind.c_str(), median(blocked),
                    median(validated), median(stall), median(after));
    }
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: studio_edit_latency FILE [ROUNDS] [ui|worker]\n");
        return 2;
    }
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    cnmlab::ui::MainWindow w;
    w.resize(1440, 900);
    w.show();
    if (!w.openFile(QString::fromLocal8Bit(argv[1]), true).isEmpty()) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    QApplication::processEvents();
    if (w.document()->scenario().services.empty()) {
        std::fprintf(stderr, "%s has no services\n", argv[1]);
        return 2;
    }
    std::string name = w.document()->scenario().services.front().key;
    const std::string only = argc > 3 ? argv[3] : "";
    for (const bool background : {false, true}) {
        if ((only == "ui" && background) || (only == "worker" && !background)) {
            continue;
        }
        w.document()->setBackgroundChecks(background);
        std::printf("check on %s:\n", background ? "a worker thread" : "the UI thread");
        run(w, name, rounds);
    }
    return 0;
}

#include "live/session.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "live/environment.hpp"
#include "live/executor.hpp"
#include "live/kernel_executor.hpp"
#include "live/kernel_support.hpp"
#include "live/prober.hpp"
#include "live/services.hpp"
#include "model/error.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"

namespace cnmlab::live {

namespace {

constexpr const char* kStateDir = "/run/cnmlab";

std::string stateDir(const std::string& prefix) {
    return std::string(kStateDir) + "/" + prefix.substr(0, prefix.size() - 1);
}

int readPid(const std::string& prefix) {
    std::ifstream in(stateDir(prefix) + "/daemon.pid");
    int pid = 0;
    in >> pid;
    if (pid <= 0) {
        return 0;
    }
    // Only our own daemon: the pid must still be a cnmlab process.
    std::ifstream comm(fmt::format("/proc/{}/comm", pid));
    std::string name;
    comm >> name;
    return name == "cnmlab-live" ? pid : 0;
}

// The daemon of the scenario with `prefix`, found without its pid file: a
// process named cnmlab-live that holds one of the scenario's namespaces open.
int findDaemon(const std::string& prefix) {
    std::set<std::string> mine;  // "net:[INODE]" of the scenario's namespaces
    for (const auto& n : listNamedNetns(prefix)) {
        struct stat st {};
        if (::stat((std::string(kNetnsDir) + "/" + n).c_str(), &st) == 0) {
            mine.insert(fmt::format("net:[{}]", st.st_ino));
        }
    }
    if (mine.empty()) {
        return 0;
    }
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) {
        return 0;
    }
    int found = 0;
    while (const dirent* e = ::readdir(proc)) {
        const int pid = std::atoi(e->d_name);
        if (pid <= 0 || found != 0) {
            continue;
        }
        std::ifstream comm(fmt::format("/proc/{}/comm", pid));
        std::string name;
        comm >> name;
        if (name != "cnmlab-live") {
            continue;
        }
        const std::string fdDir = fmt::format("/proc/{}/fd", pid);
        DIR* fds = ::opendir(fdDir.c_str());
        if (fds == nullptr) {
            continue;
        }
        while (const dirent* f = ::readdir(fds)) {
            char target[64] = {};
            const std::string link = fdDir + "/" + f->d_name;
            const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
            if (n > 0 && mine.count(std::string(target, static_cast<std::size_t>(n))) != 0) {
                found = pid;
                break;
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return found;
}

// Running (a zombie whose parent is gone counts as gone: its sockets are closed).
bool alive(int pid) {
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string pidField;
    std::string comm;
    char state = 'X';
    stat >> pidField >> comm >> state;
    return stat && state != 'Z' && state != 'X';
}

// Services whose probes `verify` cannot run for real: those with an endpoint
// on a network the kernel cannot build, and those sharing their namespace.
std::set<std::string> untestable(const model::Topology& topo,
                                 const std::vector<LackingNetwork>& lacking) {
    std::set<std::string> out;
    for (const auto& c : topo.containers) {
        for (const auto& ep : c.endpoints) {
            for (const auto& l : lacking) {
                if (ep.network == l.network->key) {
                    out.insert(c.service);
                }
            }
        }
    }
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& c : topo.containers) {
            if (!c.sandboxOf.empty() && out.count(c.sandboxOf) != 0 && out.insert(c.service).second) {
                grew = true;
            }
        }
    }
    return out;
}

// Builds the renamed plan; on failure removes what it made and rethrows.
std::unique_ptr<KernelExecutor> build(const drivers::Plan& plan) {
    auto exec = std::make_unique<KernelExecutor>(plan);
    try {
        executePlan(plan, *exec);
    } catch (...) {
        exec->rollback();
        throw;
    }
    return exec;
}

void removeAll(const std::string& prefix) {
    for (const auto& ns : listNamedNetns(prefix)) {
        deleteNamedNetns(ns);
    }
}

}  // namespace

std::string livePrefix(const model::Scenario& sc) {
    std::uint32_t h = 2166136261u;
    for (char c : sc.projectName) {
        h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    }
    return fmt::format("cnm{:06x}-", h & 0xffffff);
}

void requireNetAdmin() {
    if (::geteuid() != 0) {
        throw model::Error(model::ErrorKind::Unsupported,
                           "live mode needs CAP_NET_ADMIN and CAP_SYS_ADMIN to make network "
                           "namespaces: run it as root");
    }
}

void liveUp(const model::Topology& topo, const drivers::Plan& plan0) {
    requireNetAdmin();
    const std::string prefix = livePrefix(*topo.scenario);
    requireLiveMode(prefix);
    if (!listNamedNetns(prefix).empty()) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("{} is already up (namespaces {}*); run `cnmlab live down` "
                                       "first",
                                       topo.scenario->projectName, prefix));
    }
    if (const auto lacking = networksTheKernelLacks(topo, prefix); !lacking.empty()) {
        throw model::Error(model::ErrorKind::Unsupported,
                           describe(lacking) + "\n(nothing was built; `cnmlab live verify` builds "
                                               "and checks the rest)");
    }
    const drivers::Plan plan = livePlan(plan0, prefix);
    auto exec = build(plan);
    // The daemon: it must outlive this command, so it is a child that detaches.
    for (const std::string& dir : {std::string(kStateDir), stateDir(prefix)}) {
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
            const int err = errno;
            exec->rollback();
            throw model::Error(model::ErrorKind::System,
                               fmt::format("mkdir {}: {}", dir, std::strerror(err)));
        }
    }
    raiseFileLimit();  // the daemon's listeners, and the connections docker-proxy relays
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) {
        const int err = errno;
        exec->rollback();
        throw model::Error(model::ErrorKind::System, fmt::format("pipe: {}", std::strerror(err)));
    }
    const pid_t child = ::fork();
    if (child < 0) {
        const int err = errno;
        ::close(ready[0]);
        ::close(ready[1]);
        exec->rollback();
        throw model::Error(model::ErrorKind::System, fmt::format("fork: {}", std::strerror(err)));
    }
    if (child == 0) {
        ::close(ready[0]);
        ::setsid();
        // A daemon: no terminal, no inherited descriptors (a caller's pipes must
        // see EOF when it exits), and a name `live down` can recognise.
        ::prctl(PR_SET_NAME, "cnmlab-live", 0, 0, 0);
        const int devnull = ::open("/dev/null", O_RDWR);
        for (int fd = 0; fd <= 2; ++fd) {
            ::dup2(devnull, fd);
        }
        if (ready[1] > 3) {
            ::close_range(3, static_cast<unsigned>(ready[1]) - 1, 0);
        }
        ::close_range(static_cast<unsigned>(ready[1]) + 1, ~0U, 0);
        std::string error;
        try {
            ServiceProcesses services(plan);
            // It holds one of the scenario's namespaces open, so that `live down`
            // can tell it from another scenario's daemon without the pid file.
            const auto names = listNamedNetns(prefix);
            const Fd mark = names.empty() ? Fd() : openNamedNetns(names.front());
            const std::string pidFile = stateDir(prefix) + "/daemon.pid";
            std::ofstream pidOut(pidFile);
            pidOut << ::getpid() << "\n";
            pidOut.close();
            if (!pidOut) {
                throw model::Error(model::ErrorKind::System,
                                   fmt::format("cannot write {}", pidFile));
            }
            ssize_t w = ::write(ready[1], "ok", 2);
            (void)w;
            ::close(ready[1]);
            // Until SIGKILL from `live down`; the service processes go with it.
            while (services.stopped().empty()) {
                ::sleep(1);
            }
            ::_exit(1);
        } catch (const model::Error& e) {
            error = e.message();
            ssize_t w = ::write(ready[1], error.data(), error.size());
            (void)w;
        }
        ::_exit(error.empty() ? 0 : 1);
    }
    ::close(ready[1]);
    char buf[512] = {};
    const ssize_t n = ::read(ready[0], buf, sizeof buf - 1);
    ::close(ready[0]);
    if (n != 2 || std::strncmp(buf, "ok", 2) != 0) {
        exec->rollback();
        ::waitpid(child, nullptr, 0);
        throw model::Error(model::ErrorKind::System,
                           fmt::format("starting the listeners and the embedded DNS failed: {}",
                                       n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "no answer"));
    }
}

int liveDown(const model::Scenario& sc) {
    requireNetAdmin();
    const std::string prefix = livePrefix(sc);
    int pid = readPid(prefix);
    if (pid <= 0) {
        pid = findDaemon(prefix);  // its pid file is gone (removed, or /run was cleaned)
    }
    if (pid > 0) {
        ::kill(pid, SIGKILL);
        // Reap it when it is our child; otherwise wait until it is gone.
        if (::waitpid(pid, nullptr, 0) < 0) {
            for (int i = 0; i < 200 && alive(pid); ++i) {
                ::usleep(1'000);
            }
        }
    }
    const auto names = listNamedNetns(prefix);
    removeAll(prefix);
    ::unlink((stateDir(prefix) + "/daemon.pid").c_str());
    ::rmdir(stateDir(prefix).c_str());
    return static_cast<int>(names.size());
}

LiveStatus liveStatus(const model::Scenario& sc) {
    const std::string prefix = livePrefix(sc);
    LiveStatus st;
    st.namespaces = listNamedNetns(prefix);
    st.daemonPid = readPid(prefix);
    if (st.daemonPid <= 0 && !st.namespaces.empty()) {
        st.daemonPid = findDaemon(prefix);
    }
    return st;
}

VerifyReport liveVerify(const model::Topology& topo, const drivers::Plan& plan0,
                        const std::string& lang) {
    requireNetAdmin();
    const std::string prefix = livePrefix(*topo.scenario);
    requireLiveMode(prefix);
    if (!listNamedNetns(prefix).empty()) {
        throw model::Error(model::ErrorKind::Conflict,
                           fmt::format("{} is already up; `cnmlab live down` it before verify",
                                       topo.scenario->projectName));
    }
    // Networks this kernel cannot build are left out, with every probe from or
    // to a container on them.
    const auto lacking = networksTheKernelLacks(topo, prefix);
    const std::set<std::string> skip = untestable(topo, lacking);
    const drivers::Plan plan = withoutLacking(livePlan(plan0, prefix), lacking);
    auto exec = build(plan);
    struct Teardown {
        KernelExecutor& e;
        ~Teardown() { e.rollback(); }
    } teardown{*exec};
    raiseFileLimit();
    ServiceProcesses services(plan);  // killed before the teardown above runs

    sim::ScenarioSim simulation(topo, plan0);
    sim::ReachMatrix matrix = simulation.reach();
    auto checks = sim::runChecks(simulation, *topo.scenario);
    VerifyReport report;
    std::map<std::string, int> skippedFrom;  // service -> probes left out
    std::erase_if(matrix.entries, [&](const sim::ReachEntry& e) {
        for (const auto* name : {&matrix.names[e.from], &matrix.names[e.to]}) {
            if (skip.count(*name) != 0) {
                ++skippedFrom[*name];
                return true;
            }
        }
        return false;
    });
    std::erase_if(checks, [&](const sim::CheckedProbe& c) {
        for (const auto& name : {c.spec->from, c.spec->to.value_or("")}) {
            if (skip.count(name) != 0) {
                ++skippedFrom[name];
                return true;
            }
        }
        return false;
    });
    for (const auto& l : lacking) {
        std::string who;
        int n = 0;
        for (const auto& c : topo.containers) {
            for (const auto& ep : c.endpoints) {
                if (ep.network == l.network->key && skippedFrom.count(c.service) != 0) {
                    who += (who.empty() ? "" : ", ") + c.service;
                    n += skippedFrom[c.service];
                }
            }
        }
        report.skipped.push_back(
            {{"what", fmt::format("network {} ({}): {} probe(s) from or to {}", l.network->key,
                                  l.network->driver, n, who.empty() ? "no container" : who)},
             {"why", l.why}});
    }
    Prober prober(simulation, topo);
    const LiveRun live = prober.run(matrix, checks);
    report.stats = live.stats;
    if (const std::string why = services.stopped(); !why.empty()) {
        throw model::Error(model::ErrorKind::System,
                           "the listeners and the embedded DNS stopped: " + why);
    }
    if (!live.errors.empty()) {
        // Not an answer about the network: nothing is compared.
        std::string list;
        for (std::size_t i = 0; i < live.errors.size() && i < 5; ++i) {
            list += "\n  " + live.errors[i];
        }
        if (live.errors.size() > 5) {
            list += fmt::format("\n  ... and {} more", live.errors.size() - 5);
        }
        throw model::Error(model::ErrorKind::Unsupported,
                           fmt::format("{} of {} probes could not be run in the kernel, so sim and "
                                       "live were not compared:{}",
                                       live.errors.size(), live.stats.probes, list));
    }

    for (std::size_t i = 0; i < matrix.entries.size(); ++i) {
        const sim::ReachEntry& e = matrix.entries[i];
        const model::Outcome simOutcome = sim::outcomeOf(e.reachable, e.reason);
        const LiveProbe& k = live.matrix[i];
        if (simOutcome == k.outcome) {
            ++report.agree;
            continue;
        }
        ++report.disagree;
        sim::ProbeRecord rec;
        rec.from = matrix.names[e.from];
        rec.to = matrix.names[e.to];
        rec.dst = e.dst.str();
        if (e.network >= 0) {
            rec.network = matrix.networks[static_cast<std::size_t>(e.network)];
        }
        rec.proto = e.proto;
        if (e.proto != model::Proto::Icmp) {
            rec.port = e.port;
        }
        rec.reachable = e.reachable;
        rec.outcome = simOutcome;
        rec.reason = simulation.world().explain(e.reason);
        report.disagreements.push_back(
            {{"probe", sim::probeJson(rec, lang)},
             {"sim", fmt::format("{} ({})", e.reachable ? "reachable" : "unreachable",
                                 model::outcomeName(simOutcome))},
             {"live", fmt::format("{} ({}: {})", k.reachable() ? "reachable" : "unreachable",
                                  model::outcomeName(k.outcome), k.detail)}});
    }
    for (std::size_t k = 0; k < checks.size(); ++k) {
        const Comparison& c = live.checks[k];
        if (c.agree()) {
            ++report.agree;
        } else {
            ++report.disagree;
            std::string details;
            for (const auto& d : c.liveDetails) {
                details += (details.empty() ? "" : "; ") + d;
            }
            report.disagreements.push_back({{"probe", sim::probeJson(checks[k].record, lang)},
                                            {"sim", c.simAnswer},
                                            {"live", fmt::format("{} ({})", c.liveAnswer, details)}});
        }
    }
    return report;
}

}  // namespace cnmlab::live

#include "live/helper.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "drivers/plan_builder.hpp"
#include "live/helper_protocol.hpp"
#include "live/lifecycle.hpp"
#include "model/compose_reader.hpp"
#include "model/error.hpp"

extern char** environ;

namespace cnmlab::live {

namespace {

using nlohmann::json;

// A request line longer than this is refused (a scenario of 1,000 containers is ~0.3 MB).
constexpr std::size_t kMaxRequestBytes = std::size_t{64} << 20;

// The code of an error raised in this process. A Conflict here is one in the
// scenario a request sent (two subnets that overlap): an invalid scenario,
// as for `cnmlab validate`. That the scenario is up already is the exit code
// 1 of the `cnmlab live up` this helper runs, passed on as it is.
int codeOf(model::ErrorKind kind) {
    switch (kind) {
    case model::ErrorKind::Invalid:
    case model::ErrorKind::NotFound:
    case model::ErrorKind::Conflict:
        return 2;
    case model::ErrorKind::Unsupported:
    case model::ErrorKind::System:
        return 3;
    }
    return 3;
}

[[noreturn]] void sysFail(const std::string& what, int err) {
    throw model::Error(model::ErrorKind::System, fmt::format("{}: {}", what, std::strerror(err)));
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

// What a child of this program said and how it ended.
struct Ran {
    int code = 0;  // its exit code; 3 when it did not exit (the reason is in `err`)
    std::string out;
    std::string err;
};

// Runs this program again (/proc/self/exe ARGS...) with /dev/null as input,
// default signal handling, and its output collected. Called by the main
// thread while no other thread of this process runs (see Workers::joinAll).
Ran runSelf(const std::vector<std::string>& args) {
    int outPipe[2];
    int errPipe[2];
    if (::pipe2(outPipe, O_CLOEXEC) != 0) {
        sysFail("pipe", errno);
    }
    if (::pipe2(errPipe, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(outPipe[0]);
        ::close(outPipe[1]);
        sysFail("pipe", e);
    }
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&files, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&files, errPipe[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) {
        sigaddset(&defaults, s);
    }
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> argStrings{"cnmlab"};
    argStrings.insert(argStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStrings) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/proc/self/exe", &files, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
    ::close(outPipe[1]);
    ::close(errPipe[1]);
    Ran ran;
    if (rc != 0) {
        ::close(outPipe[0]);
        ::close(errPipe[0]);
        sysFail("running cnmlab " + args.front() + " " + args.at(1), rc);
    }
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string* into[2] = {&ran.out, &ran.err};
    int open = 2;
    while (open > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) {
                continue;
            }
            char buf[4096];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                into[i]->append(buf, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (const auto& f : fds) {
        if (f.fd >= 0) {
            ::close(f.fd);
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) {
        ran.code = WEXITSTATUS(status);
    } else {
        ran.code = 3;
        ran.err += fmt::format("cnmlab {} {} ended unexpectedly (signal {})", args.front(),
                               args.at(1), WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    return ran;
}

// A file name for the private copy: the studio's name without directories,
// reduced to characters a project name may come from.
std::string safeName(const std::string& file) {
    std::string base = std::filesystem::path(file).filename().string();
    for (char& c : base) {
        const bool ok =
            std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
        c = ok ? c : '_';
    }
    if (base.empty() || base.front() == '.') {
        base = "scenario" + base;
    }
    return base;
}

// Scenario, Topology and Plan in one heap object that never moves (the Topology
// points into the Scenario); shared with the threads that probe it.
struct Loaded {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

// The scenario this helper brought up.
struct Held {
    std::string file;  // the studio's name for it, for messages
    std::string dir;   // a private directory (0700) holding `path`
    std::string path;  // the copy `live up` and `live down` read
    std::shared_ptr<const Loaded> loaded;

    // Messages name the studio's file, not the private copy.
    std::string userFacing(std::string text) const {
        for (auto at = text.find(path); at != std::string::npos; at = text.find(path, at)) {
            text.replace(at, path.size(), file);
            at += file.size();
        }
        return text;
    }
    model::Error userFacing(const model::Error& e) const {
        model::SourcePos pos = e.pos();
        pos.file = pos.file == path ? file : pos.file;
        return model::Error(e.kind(), userFacing(e.message()), pos);
    }
    void removeCopy() const {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};

// The threads that probe; each runs one request.
class Workers {
public:
    ~Workers() { joinAll(); }
    void start(std::function<void()> work) {
        reap();
        auto done = std::make_shared<std::atomic<bool>>(false);
        std::thread t([work = std::move(work), done] {
            work();
            *done = true;
        });
        m_running.push_back({std::move(t), std::move(done)});
    }
    void joinAll() {
        for (auto& r : m_running) {
            r.thread.join();
        }
        m_running.clear();
    }

private:
    struct Running {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    void reap() {
        std::erase_if(m_running, [](Running& r) {
            if (!*r.done) {
                return false;
            }
            r.thread.join();
            return true;
        });
    }
    std::vector<Running> m_running;
};

class Helper {
public:
    Helper(int out, HelperQuestions questions) : m_out(out), m_questions(std::move(questions)) {}

    void hello() {
        send({{"hello", kHelperHello},
              {"version", kHelperProtocolVersion},
              {"uid", ::geteuid()},
              {"pid", ::getpid()}});
    }

    void handle(const std::string& line);
    void reject(const std::string& why) { fail(nullptr, 2, why); }
    // Joins the probes and takes down what is held; false when that failed.
    bool finish();

private:
    void send(const json& message);
    void succeed(const json& id, json results);
    void fail(const json& id, int code, const std::string& error);
    void up(const json& id, const json& req);
    void down(const json& id);
    void status(const json& id);
    void question(const json& id, const std::string& op, const json& req);

    int m_out;
    HelperQuestions m_questions;  // outlives m_workers, whose threads ask them
    std::mutex m_sendLock;
    std::optional<Held> m_held;
    Workers m_workers;
};

void Helper::send(const json& message) {
    const std::string line = message.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    const std::lock_guard lock(m_sendLock);
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(m_out, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;  // the studio is gone; its end of our input closes too
        }
        done += static_cast<std::size_t>(n);
    }
}

void Helper::succeed(const json& id, json results) {
    json reply{{"id", id}, {"ok", true}, {"code", 0}};
    reply.update(results);
    send(reply);
}

void Helper::fail(const json& id, int code, const std::string& error) {
    send({{"id", id}, {"ok", false}, {"code", code}, {"error", error}});
}

void Helper::handle(const std::string& line) {
    json id = nullptr;
    try {
        const json req = json::parse(line);
        if (!req.is_object()) {
            throw model::Error(model::ErrorKind::Invalid, "a request is a JSON object");
        }
        id = req.value("id", json(nullptr));
        const std::string op = req.value("op", "");
        if (op == "up") {
            up(id, req);
        } else if (op == "down") {
            down(id);
        } else if (op == "status") {
            status(id);
        } else if (op == "matrix" || op == "probe") {
            question(id, op, req);
        } else {
            throw model::Error(
                model::ErrorKind::Invalid,
                fmt::format("unknown op '{}' (up, matrix, probe, status, down)", op));
        }
    } catch (const model::Error& e) {
        fail(id, codeOf(e.kind()), m_held ? m_held->userFacing(e.formatted()) : e.formatted());
    } catch (const json::exception& e) {
        fail(id, 2,
             fmt::format("not a request of protocol {}: {}", kHelperProtocolVersion, e.what()));
    } catch (const std::exception& e) {
        fail(id, 3, fmt::format("the helper failed: {}", e.what()));
    }
}

void Helper::up(const json& id, const json& req) {
    if (m_held) {
        throw model::Error(model::ErrorKind::Invalid,
                           fmt::format("this helper holds {} already; send `down` first",
                                       m_held->loaded->scenario.projectName));
    }
    const auto text = req.find("scenario");
    if (text == req.end() || !text->is_string()) {
        throw model::Error(model::ErrorKind::Invalid,
                           "up: `scenario` (the file's text) is required");
    }
    Held held;
    held.file = req.value("file", "scenario.yaml");
    char dir[] = "/tmp/cnmlab-helper-XXXXXX";  // mkdtemp makes it 0700
    if (::mkdtemp(dir) == nullptr) {
        sysFail("mkdtemp /tmp/cnmlab-helper-XXXXXX", errno);
    }
    held.dir = dir;
    held.path = held.dir + "/" + safeName(held.file);
    try {
        const std::string& s = text->get_ref<const std::string&>();
        if (!(std::ofstream(held.path, std::ios::binary) << s)) {
            sysFail("writing " + held.path, errno);
        }
        // Read as `live up` will read the copy, so both see the same project.
        auto l = std::make_shared<Loaded>();
        l->scenario = model::readScenario(s, held.path);
        l->topology = model::resolve(l->scenario);
        l->plan = drivers::buildPlan(l->topology);
        held.loaded = std::move(l);
        const Ran ran = runSelf({"live", "up", held.path});
        if (ran.code != 0) {
            held.removeCopy();
            fail(id, ran.code <= 3 ? ran.code : 3, held.userFacing(trimmed(ran.err)));
            return;
        }
        const auto st = liveStatus(held.loaded->scenario);
        const std::string message = held.userFacing(trimmed(ran.out));
        const std::string prefix = livePrefix(held.loaded->scenario);
        m_held = std::move(held);
        succeed(id,
                {{"message", message}, {"prefix", prefix}, {"namespaces", st.namespaces.size()}});
    } catch (const model::Error& e) {
        held.removeCopy();
        throw held.userFacing(e);
    }
}

void Helper::down(const json& id) {
    if (!m_held) {
        throw model::Error(model::ErrorKind::Invalid, "down: nothing is up in this helper");
    }
    m_workers.joinAll();  // no probe still inside a namespace that goes
    const Ran ran = runSelf({"live", "down", m_held->path});
    if (ran.code != 0) {
        fail(id, ran.code <= 3 ? ran.code : 3, m_held->userFacing(trimmed(ran.err)));
        return;  // still held: the end of the session tries again
    }
    const std::string message = m_held->userFacing(trimmed(ran.out));
    m_held->removeCopy();
    m_held.reset();
    succeed(id, {{"message", message}});
}

void Helper::status(const json& id) {
    if (!m_held) {
        succeed(id, {{"up", false}, {"namespaces", json::array()}, {"daemon_pid", 0}});
        return;
    }
    const LiveStatus st = liveStatus(m_held->loaded->scenario);
    succeed(id, {{"up", !st.namespaces.empty()},
                 {"namespaces", st.namespaces},
                 {"daemon_pid", st.daemonPid}});
}

void Helper::question(const json& id, const std::string& op, const json& req) {
    if (!m_held) {
        throw model::Error(model::ErrorKind::Invalid, op + ": nothing is up in this helper");
    }
    m_workers.start([this, id, op, req, loaded = m_held->loaded] {
        try {
            if (op == "matrix") {
                succeed(id, {{"entries", m_questions.matrix(loaded->topology, loaded->plan)}});
            } else {
                succeed(id, m_questions.probe(loaded->topology, loaded->plan, req));
            }
        } catch (const model::Error& e) {
            fail(id, codeOf(e.kind()), e.formatted());
        } catch (const std::exception& e) {
            fail(id, 3, fmt::format("the helper failed: {}", e.what()));
        }
    });
}

bool Helper::finish() {
    m_workers.joinAll();
    if (!m_held) {
        return true;
    }
    const Ran ran = runSelf({"live", "down", m_held->path});
    if (ran.code != 0) {
        ::dprintf(2, "cnmlab live helper: %s\n", m_held->userFacing(trimmed(ran.err)).c_str());
        return false;
    }
    m_held->removeCopy();
    m_held.reset();
    return true;
}

}  // namespace

int runLiveHelper(int in, int out, HelperQuestions questions) {
    // Signals that end the session are read from a descriptor, so that they
    // end it as a closed input does; the threads started later inherit the mask.
    sigset_t ending;
    sigemptyset(&ending);
    for (int s : {SIGTERM, SIGINT, SIGHUP}) {
        sigaddset(&ending, s);
    }
    ::pthread_sigmask(SIG_BLOCK, &ending, nullptr);
    ::signal(SIGPIPE, SIG_IGN);  // a studio that went away is an end of input, not a death
    const int sfd = ::signalfd(-1, &ending, SFD_CLOEXEC);

    Helper helper(out, std::move(questions));
    helper.hello();
    std::string buffer;
    bool discarding = false;  // the rest of a request that was too long
    for (bool open = true; open;) {
        pollfd fds[2] = {{in, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (::poll(fds, sfd >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (sfd >= 0 && fds[1].revents != 0) {
            break;
        }
        char chunk[65536];
        const ssize_t n = ::read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            open = false;
        } else {
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
            const std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            if (discarding) {
                discarding = false;
            } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
                helper.handle(line);
            }
        }
        if (buffer.size() > kMaxRequestBytes) {
            if (!discarding) {
                helper.reject("a request longer than 64 MiB was refused");
            }
            discarding = true;
            buffer.clear();
        }
    }
    if (sfd >= 0) {
        ::close(sfd);
    }
    return helper.finish() ? 0 : 3;
}

}  // namespace cnmlab::live

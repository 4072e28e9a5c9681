// Where live mode can work and what it does where the machine falls short: a
// read-only /proc/sys (Docker mounts it so, even with --cap-add SYS_ADMIN)
// takes the sysctls over rtnetlink; missing capabilities are named with how
// to grant them (exit 3, nothing built); a dummy link the kernel lacks is
// replaced only in the documented, shown way.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>

#include "live/environment.hpp"
#include "live/kernel_support.hpp"
#include "live/lifecycle.hpp"
#include "live/netns.hpp"
#include "live/rtnl.hpp"
#include "live/sysctl.hpp"
#include "model/error.hpp"

#include "live_test_util.hpp"

using namespace cnmlab;

namespace {

// Runs `body` in a forked child; returns what it reported ("" when all held).
// The child never returns into GoogleTest.
std::string inChild(const std::function<std::string()>& body) {
    int out[2];
    if (::pipe(out) != 0) {
        return "pipe failed";
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(out[0]);
        std::string report;
        try {
            report = body();
        } catch (const model::Error& e) {
            report = "threw: " + e.message();
        }
        const ssize_t w = ::write(out[1], report.data(), report.size());
        ::_exit(w == static_cast<ssize_t>(report.size()) ? 0 : 1);
    }
    ::close(out[1]);
    std::string report;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) {
        report.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        report += " (the child did not finish)";
    }
    return report;
}

// Drops capability `cap` from this process's effective set.
bool dropEffective(unsigned cap) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (::syscall(SYS_capget, &header, data) != 0) {
        return false;
    }
    data[cap / 32].effective &= ~(1U << (cap % 32));
    return ::syscall(SYS_capset, &header, data) == 0;
}

bool anyNamespaceWith(const std::string& prefix) {
    return !live::listNamedNetns(prefix).empty();
}

}  // namespace

TEST(LiveEnvironment, WithoutSysAdminItNamesWhatIsMissingAndHowToGrantIt) {
    REQUIRE_ROOT();
    const std::string report = inChild([] {
        if (!dropEffective(CAP_SYS_ADMIN)) {
            return std::string("capset failed");
        }
        const std::string why = live::liveModeMissing("cnmlab-envtest-");
        std::string bad;
        for (const char* word : {"lacks CAP_SYS_ADMIN", "CAP_NET_ADMIN"}) {
            if (why.find(word) == std::string::npos) {
                bad += std::string("no \"") + word + "\" in: " + why + "\n";
            }
        }
        try {
            live::requireLiveMode("cnmlab-envtest-");
            bad += "requireLiveMode did not throw\n";
        } catch (const model::Error& e) {
            if (e.kind() != model::ErrorKind::Unsupported) {
                bad += "not Unsupported (exit 3): " + e.message() + "\n";
            }
        }
        return bad;
    });
    EXPECT_EQ(report, "");
    EXPECT_FALSE(anyNamespaceWith("cnmlab-envtest-"));
}

TEST(LiveEnvironment, AsAnOrdinaryUserItSaysRunAsRoot) {
    const std::string report = inChild([] {
        if (::geteuid() == 0 &&
            (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
             ::setresuid(65534, 65534, 65534) != 0)) {
            return std::string("cannot become nobody");
        }
        const std::string why = live::liveModeMissing("cnmlab-envtest-");
        if (why.find("lacks CAP_NET_ADMIN and CAP_SYS_ADMIN") == std::string::npos) {
            return "unexpected: " + why;
        }
        const bool container = live::inContainer();
        const std::string how = container ? "--cap-add NET_ADMIN --cap-add SYS_ADMIN" : "as root";
        return why.find(how) == std::string::npos ? "no \"" + how + "\" in: " + why : "";
    });
    EXPECT_EQ(report, "");
}

// A private mount namespace whose /proc/sys is read-only, as in a container,
// and a network namespace of its own: ip_forward goes over rtnetlink to every
// link, and reads back through /proc/sys as the kernel now has it.
TEST(LiveEnvironment, ReadOnlyProcSysSetsForwardingOverRtnetlink) {
    REQUIRE_ROOT();
    const std::string report = inChild([] {
        if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("/proc/sys", "/proc/sys", nullptr, MS_BIND, nullptr) != 0 ||
            ::mount(nullptr, "/proc/sys", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) !=
                0) {
            return std::string("cannot make /proc/sys read-only: ") + std::strerror(errno);
        }
        const live::Fd ns(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
        live::Rtnl rt(ns);
        rt.addVethPair("a0", model::Mac{}, 1500, "a1", model::Mac{}, ns);
        std::string bad;
        for (const char* value : {"0", "1", "0"}) {
            if (live::setSysctl(ns, rt, "net.ipv4.ip_forward", value) != live::SysctlWay::Netlink) {
                bad += std::string("ip_forward=") + value + " not over rtnetlink\n";
            }
            for (const char* dev : {"lo", "a0", "a1"}) {
                const std::string key = std::string("net.ipv4.conf.") + dev + ".forwarding";
                if (live::readSysctl(ns, key) != value) {
                    bad += key + " is " + live::readSysctl(ns, key) + ", not " + value + "\n";
                }
            }
        }
        const std::string nf = "net.bridge.bridge-nf-call-iptables";
        if (!live::readSysctl(ns, nf).empty()) {  // br_netfilter is there
            const std::string now = live::readSysctl(ns, nf);
            if (live::setSysctl(ns, rt, nf, now) != live::SysctlWay::AlreadySet) {
                bad += nf + " at its value is not AlreadySet\n";
            }
            try {
                live::setSysctl(ns, rt, nf, now == "1" ? "0" : "1");
                bad += nf + " changed on a read-only /proc/sys without saying so\n";
            } catch (const model::Error& e) {
                if (e.kind() != model::ErrorKind::Unsupported ||
                    e.message().find("read-only /proc/sys") == std::string::npos) {
                    bad += "wrong error: " + e.message() + "\n";
                }
            }
        }
        return bad;
    });
    EXPECT_EQ(report, "");
}

TEST(KernelSupport, ADummySubstituteIsAVethPairNamedAfterIt) {
    const live::Substitute s = live::dummySubstitute("host1", "dm-0123456789ab");
    EXPECT_EQ(s.peer, "dp-0123456789ab");
    EXPECT_LE(s.peer.size(), 15u);
    EXPECT_NE(s.why.find("CONFIG_DUMMY"), std::string::npos);
    const std::string d = live::describe(s);
    for (const char* word :
         {"dm-0123456789ab in host1", "veth pair", "dp-0123456789ab", "CONFIG_DUMMY"}) {
        EXPECT_NE(d.find(word), std::string::npos) << word << " not in: " << d;
    }
}

// The dm- dummy of a macvlan network without parent: built as a dummy where the
// kernel has the driver, otherwise as the shown veth pair, and `live status`
// (substitutesBuilt) reports exactly what `plan` (substitutesFor) announced.
TEST(KernelSupport, ADummyTheKernelLacksIsReplacedOnlyAsAnnounced) {
    REQUIRE_ROOT();
    const auto l = test::load("tests/data/live/macvlan-no-parent.yaml");
    const drivers::Link* dummy = nullptr;
    for (const auto& link : l->plan.links) {
        if (link.kind == drivers::LinkKind::Dummy) {
            dummy = &link;
        }
    }
    ASSERT_NE(dummy, nullptr);
    const auto makes = live::kernelMakesDummy();
    ASSERT_TRUE(makes.has_value()) << "root can always try";
    const auto announced = live::substitutesFor(l->plan);
    ASSERT_EQ(announced.size(), *makes ? 0u : 1u);

    const std::string prefix = live::livePrefix(l->sc);
    live::liveDown(l->sc);
    live::liveUp(l->topo, l->plan);
    const auto built = live::substitutesBuilt(l->plan, prefix);
    const live::Fd host = live::openNamedNetns(prefix + dummy->netns);
    const std::string kind = live::Rtnl(host).linkKind(dummy->name);
    live::liveDown(l->sc);

    EXPECT_EQ(kind, *makes ? "dummy" : "veth");
    ASSERT_EQ(built.size(), announced.size());
    for (std::size_t i = 0; i < built.size(); ++i) {
        EXPECT_EQ(built[i].netns, announced[i].netns);
        EXPECT_EQ(built[i].link, announced[i].link);
        EXPECT_EQ(built[i].peer, announced[i].peer);
    }
    EXPECT_TRUE(live::substitutesBuilt(l->plan, prefix).empty()) << "down removes it";
}

namespace {

// Runs the CLI; its standard output (stderr joins it) and exit code.
std::pair<std::string, int> cli(const std::string& args) {
    FILE* p = ::popen((std::string(CNMLAB_CLI) + " " + args + " 2>&1").c_str(), "r");
    std::string out;
    char buf[4096];
    for (std::size_t n; p != nullptr && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) {
        out.append(buf, n);
    }
    const int status = p != nullptr ? ::pclose(p) : -1;
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

}  // namespace

// What the user reads: `plan` announces the substitute after the Plan, `live
// status` lists it in words and in JSON, exactly when the kernel lacks the
// dummy driver.
TEST(KernelSupport, PlanAndLiveStatusShowWhatWasBuiltInstead) {
    REQUIRE_ROOT();
    const std::string file =
        std::string(CNMLAB_SOURCE_DIR) + "/tests/data/live/macvlan-no-parent.yaml";
    const bool lacks = live::kernelMakesDummy() == false;
    const auto [plan, planRc] = cli("plan " + file);
    EXPECT_EQ(planRc, 0);
    EXPECT_EQ(plan.find("# built instead: dm-") != std::string::npos, lacks) << plan;
    EXPECT_EQ(plan.find("type veth peer name dp-") != std::string::npos, lacks) << plan;

    cli("live down " + file);
    ASSERT_EQ(cli("live up " + file).second, 0);
    const auto [status, statusRc] = cli("live status " + file);
    const auto [json, jsonRc] = cli("live status --json " + file);
    cli("live down " + file);
    EXPECT_EQ(statusRc, 0);
    EXPECT_EQ(jsonRc, 0);
    EXPECT_EQ(status.find("built instead: dm-") != std::string::npos, lacks) << status;
    EXPECT_EQ(json.find("\"built_as\": \"veth\"") != std::string::npos, lacks) << json;
    EXPECT_NE(json.find("\"substitutes\""), std::string::npos) << json;
}

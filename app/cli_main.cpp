// cnmlab — the headless command line (docs/command-line.md). Parses arguments with CLI11 and
// calls the libraries; every command's work lives in model/, drivers/, sim/, live/.
//
// Exit codes: 0 success; 1 a negative answer; 2 bad usage or invalid scenario;
// 3 the environment cannot do it.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "drivers/plan_builder.hpp"
#include "drivers/plan_text.hpp"
#include "live/helper.hpp"
#include "live/interrupt.hpp"
#include "live/kernel_support.hpp"
#include "live/lifecycle.hpp"
#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "model/inspect_report.hpp"
#include "model/scenario_validate.hpp"
#include "model/topology.hpp"
#include "plugins/sdk/check_command.hpp"
#include "plugins/shipped.hpp"
#include "sim/capture.hpp"
#include "sim/compare.hpp"
#include "sim/compare_report.hpp"
#include "sim/report.hpp"
#include "sim/scenario_sim.hpp"
#include "verify/helper_questions.hpp"
#include "verify/live_verify.hpp"

namespace {

using namespace cnmlab;

constexpr int kExitNegative = 1;
constexpr int kExitInvalid = 2;

struct Loaded {
    model::Scenario scenario;
    model::Topology topology;
    drivers::Plan plan;
};

// Reads and resolves FILE and builds its Plan; the Topology points into the
// Scenario, so all live in one heap object that never moves.
std::unique_ptr<Loaded> load(const std::string& file) {
    auto l = std::make_unique<Loaded>();
    l->scenario = model::readScenarioFile(file);
    l->topology = model::resolve(l->scenario);
    l->plan = drivers::buildPlan(l->topology);
    // Legal, but probably not what the author meant: said once, on stderr.
    for (const auto* list : {&l->scenario.warnings, &l->topology.warnings}) {
        for (const auto& w : *list) {
            std::cerr << w.formatted() << "\n";
        }
    }
    return l;
}

int runValidate(const std::string& file) {
    load(file);
    return 0;
}

void printJson(const nlohmann::ordered_json& j) {
    std::cout << j.dump(2) << "\n";
}

int runReach(const std::string& file, bool json, const std::string& lang) {
    auto l = load(file);
    sim::ScenarioSim simulation(l->topology, l->plan);
    const sim::ReachMatrix matrix = simulation.reach();
    if (json) {
        sim::writeReachJson(std::cout, matrix, simulation.world(), lang);
    } else {
        std::cout << sim::reachText(matrix, lang);
    }
    return 0;
}

int runCheck(const std::string& file, bool json, const std::string& lang) {
    auto l = load(file);
    sim::ScenarioSim simulation(l->topology, l->plan);
    const auto checks = sim::runChecks(simulation, l->scenario);
    if (json) {
        printJson(sim::checkJson(checks, lang));
    } else {
        std::cout << sim::checkText(checks, lang);
    }
    const bool allPass = std::all_of(checks.begin(), checks.end(),
                                     [](const sim::CheckedProbe& c) { return c.pass; });
    return allPass ? 0 : kExitNegative;
}

struct TraceArgs {
    std::string from;
    std::string to;
    std::string proto = "icmp";
    int port = 0;
    std::string network;
    std::string pcap;
    int size = -1;  // --size: bytes of data; -1: the probe's usual (ping's 56)
};

int runTrace(const std::string& file, const TraceArgs& a, bool json, const std::string& lang) {
    auto l = load(file);
    model::Proto proto = model::Proto::Icmp;
    if (a.proto == "tcp") {
        proto = model::Proto::Tcp;
    } else if (a.proto == "udp") {
        proto = model::Proto::Udp;
    }
    if (proto != model::Proto::Icmp && a.port <= 0) {
        throw model::Error(model::ErrorKind::Invalid, "--port is required for tcp and udp");
    }
    const std::optional<std::string> network =
        a.network.empty() ? std::nullopt : std::optional<std::string>(a.network);
    // The same rules as an x-probe of the file, with the same messages.
    model::ProbeSpec spec;
    spec.from = a.from;
    spec.to = a.to;
    spec.network = network;
    spec.proto = proto;
    model::checkProbe(l->scenario, spec, "--");
    sim::ProbeSize size;
    if (a.size >= 0) {
        // The data of one IPv4 datagram: 65535 less the IPv4 header and ICMP's,
        // UDP's or TCP's own (ping -s, nc: what a socket can send at once).
        const int header = proto == model::Proto::Tcp ? 20 : 8;
        if (a.size > 65535 - 20 - header) {
            throw model::Error(
                model::ErrorKind::Invalid,
                fmt::format("--size: {} bytes do not fit in one IPv4 packet (at most "
                            "{} for {})",
                            a.size, 65535 - 20 - header, a.proto));
        }
        size.payload = static_cast<std::uint16_t>(a.size);
    }
    sim::ScenarioSim simulation(l->topology, l->plan);
    sim::ProbeRecord rec =
        simulation.probe(a.from, a.to, proto,
                         proto == model::Proto::Icmp ? std::nullopt : std::optional<int>(a.port),
                         network, true, size);
    if (!a.pcap.empty()) {
        // pcapng: one interface per wire segment, each frame once there.
        sim::writeCapture(simulation.world(), rec, a.pcap, lang);
    }
    if (json) {
        printJson(sim::traceJson(rec, lang));
    } else {
        std::cout << sim::traceText(rec, lang);
    }
    return 0;
}

int runInspect(const std::string& file, bool json) {
    auto l = load(file);
    if (json) {
        std::cout << model::inspectJson(l->topology).dump(2) << "\n";
    } else {
        std::cout << model::inspectText(l->topology);
    }
    return 0;
}

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

// The file on each driver of `drivers`, side by side (docs/compare.md). The
// file must be valid as written; a driver it is invalid on is a column saying
// why, not a failure.
int runCompare(const std::string& file, const std::string& drivers, const std::string& network,
               bool json, const std::string& lang) {
    auto l = load(file);
    const sim::Comparison c = sim::compare(l->scenario, splitList(drivers), network);
    if (json) {
        printJson(sim::compareJson(c, lang));
    } else {
        std::cout << sim::compareText(c, lang);
    }
    return 0;
}

nlohmann::ordered_json substitutesJson(const std::vector<live::Substitute>& subs) {
    auto out = nlohmann::ordered_json::array();
    for (const auto& s : subs) {
        out.push_back({{"netns", s.netns},
                       {"link", s.link},
                       {"kind", "dummy"},
                       {"built_as", "veth"},
                       {"peer", s.peer},
                       {"why", s.why}});
    }
    return out;
}

// `plan`, and after it what live mode on this machine builds instead of an
// object the kernel lacks (kernel_support.hpp), as commands and in words.
int runPlan(const std::string& file, const std::string& host) {
    auto l = load(file);
    if (!host.empty() &&
        std::none_of(l->topology.scenario->hosts.begin(), l->topology.scenario->hosts.end(),
                     [&host](const model::HostSpec& h) { return h.name == host; })) {
        std::string hosts;
        for (const auto& h : l->topology.scenario->hosts) {
            hosts += (hosts.empty() ? "" : ", ") + h.name;
        }
        throw model::Error(
            model::ErrorKind::Invalid,
            fmt::format("--host: the file has no Docker host named '{}' (its hosts: {})", host,
                        hosts));
    }
    std::cout << drivers::planText(l->plan, host);
    bool header = false;
    for (const auto& s : live::substitutesFor(l->plan)) {
        if (!host.empty() && s.netns != host) {
            continue;
        }
        if (!header) {
            std::cout << "# ==== live mode on this machine ====\n";
            header = true;
        }
        std::cout << "# built instead: " << live::describe(s) << "\n";
        std::cout << fmt::format("ip -n {} link add {} type veth peer name {}\n", s.netns, s.link,
                                 s.peer);
        std::cout << fmt::format("ip -n {} link set dev {} up\n", s.netns, s.peer);
    }
    return 0;
}

int runLiveUp(const Loaded& l) {
    live::liveUp(l.topology, l.plan);
    const auto st = live::liveStatus(l.scenario);
    std::cout << fmt::format("{} is up: {} namespaces ({}*), daemon pid {}\n",
                             l.scenario.projectName, st.namespaces.size(),
                             live::livePrefix(l.scenario), st.daemonPid);
    return 0;
}

int runLiveDown(const Loaded& l) {
    const int removed = live::liveDown(l.scenario);
    std::cout << fmt::format("{} is down: removed {} namespaces\n", l.scenario.projectName,
                             removed);
    return 0;
}

int runLiveStatus(const Loaded& l, bool json) {
    const auto st = live::liveStatus(l.scenario);
    // What the kernel holds in place of the Plan's objects (kernel_support.hpp).
    const auto built = live::substitutesBuilt(l.plan, live::livePrefix(l.scenario));
    if (json) {
        printJson(nlohmann::ordered_json{{"up", !st.namespaces.empty()},
                                         {"namespaces", st.namespaces},
                                         {"daemon_pid", st.daemonPid},
                                         {"substitutes", substitutesJson(built)}});
        return 0;
    }
    if (st.namespaces.empty()) {
        std::cout << l.scenario.projectName << " is not up\n";
    } else {
        std::cout << fmt::format("{} is up ({} namespaces, daemon pid {}):\n",
                                 l.scenario.projectName, st.namespaces.size(), st.daemonPid);
        for (const auto& n : st.namespaces) {
            std::cout << "  " << n << "\n";
        }
    }
    for (const auto& sub : built) {
        std::cout << "built instead: " << live::describe(sub) << "\n";
    }
    return 0;
}

void printVerifyText(const verify::VerifyReport& r) {
    for (const auto& d : r.disagreements) {
        const auto& p = d["probe"];
        std::cout << fmt::format("DISAGREE {} -> {} {} {}: sim {}, live {}\n",
                                 p["from"].get<std::string>(), p["dst"].get<std::string>(),
                                 p["proto"].get<std::string>(), p["port"].dump(),
                                 d["sim"].get<std::string>(), d["live"].get<std::string>());
    }
    for (const auto& sk : r.skipped) {
        std::cout << fmt::format("SKIPPED {}: {}\n", sk["what"].get<std::string>(),
                                 sk["why"].get<std::string>());
    }
    std::cout << fmt::format("{} probes: {} agree, {} disagree, {} skipped\n", r.agree + r.disagree,
                             r.agree, r.disagree, r.skipped.size());
    std::cout << fmt::format("in the kernel: {} probes in {:.1f} s, at most {} at once "
                             "({} file descriptors to use)\n",
                             r.stats.probes, static_cast<double>(r.stats.elapsedMs) / 1000.0,
                             r.stats.maxInFlight, r.stats.descriptors);
}

int runLiveVerify(const Loaded& l, bool json, const std::string& lang) {
    live::catchInterrupts();  // Ctrl-C or `timeout` removes what verify built
    const verify::VerifyReport r = verify::liveVerify(l.topology, l.plan, lang);
    if (json) {
        printJson(nlohmann::ordered_json{{"agree", r.agree},
                                         {"disagree", r.disagree},
                                         {"skipped", r.skipped},
                                         {"disagreements", r.disagreements}});
    } else {
        printVerifyText(r);
    }
    return r.disagree == 0 ? 0 : kExitNegative;
}

// `live up|down|status|verify FILE`. The file is read and checked first, as
// by every command: a conflict in it (two subnets that overlap, an address
// taken twice) makes it an invalid scenario, exit 2. Past that, the only
// conflict is the kernel's: the scenario is up already, which `live up` and
// `live verify` answer with exit 1 (docs/command-line.md#live).
int runLive(const std::string& verb, const std::string& file, bool json, const std::string& lang) {
    const auto l = load(file);
    try {
        if (verb == "up") {
            return runLiveUp(*l);
        }
        if (verb == "down") {
            return runLiveDown(*l);
        }
        if (verb == "status") {
            return runLiveStatus(*l, json);
        }
        return runLiveVerify(*l, json, lang);
    } catch (const model::Error& e) {
        if (e.kind() != model::ErrorKind::Conflict) {
            throw;
        }
        std::cerr << e.formatted() << "\n";  // already up: a negative answer
        return kExitNegative;
    }
}

// The first words that are not options name a command, and after `live` one
// of its own. CLI11 calls an unknown one an argument "not expected"; this
// returns the words as typed ("foo", "live foo") when one of them is unknown,
// or "" to leave the message to CLI11.
std::string unknownCommand(const CLI::App& app, int argc, char** argv) {
    const CLI::App* at = &app;
    std::string words;
    const auto hasCommands = [](const CLI::App* a) {
        return !a->get_subcommands([](const CLI::App*) { return true; }).empty();
    };
    for (int i = 1; i < argc && hasCommands(at); ++i) {
        const std::string word = argv[i];
        if (word.empty() || word.front() == '-') {
            return "";
        }
        words += (words.empty() ? "" : " ") + word;
        const auto named =
            at->get_subcommands([&word](const CLI::App* sub) { return sub->get_name() == word; });
        if (named.empty()) {
            return words;
        }
        at = named.front();
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    plugins::installShippedPlugins();
    CLI::App app{"cnmlab: Docker container networking, simulated and live.\n"
                 "Every command but generate takes a scenario FILE (a Compose file with x- keys); "
                 "'-' reads standard input."};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Help for every command");

    std::string file;
    bool json = false;

    auto* validate =
        app.add_subcommand("validate", "Parse and check FILE; print nothing on success");
    validate->add_option("FILE", file, "Scenario file")->required();

    auto* inspect = app.add_subcommand(
        "inspect", "The resolved topology: networks with subnet, gateway and driver; containers "
                   "with their endpoints (IPv4, prefix, MAC, aliases)");
    inspect->add_option("FILE", file, "Scenario file")->required();
    inspect->add_flag("--json", json, "print JSON (its shape: docs/command-line.md)");

    model::GenerateOptions gen;
    std::string drivers = "bridge";
    auto* generate = app.add_subcommand(
        "generate", "Write a valid scenario of the given size (hosts, networks, containers; the "
                    "networks' drivers and the seed) to standard output (for benchmarks)");
    generate->add_option("--hosts", gen.hosts, "Docker hosts")->required();
    generate->add_option("--networks", gen.networks, "Networks")->required();
    generate->add_option("--containers", gen.containers, "Containers (one per service)")
        ->required();
    generate
        ->add_option("--drivers", drivers,
                     "Drivers of the networks, comma-separated, used in turn: bridge, "
                     "macvlan, ipvlan, overlay (a swarm of the hosts)")
        ->default_val("bridge");
    generate->add_option("--services", gen.services,
                         "Swarm services (deploy:) on the overlay networks, in turn");
    generate->add_option("--replicas", gen.replicas, "Tasks of each swarm service (default 5)");
    generate->add_option("--seed", gen.seed, "Random seed; the same seed gives the same file")
        ->default_val(1);

    std::string lang = "en";
    auto* plan = app.add_subcommand("plan", "Print what Docker would create, host by host, as ip "
                                            "commands and iptables-save text");
    plan->add_option("FILE", file, "Scenario file")->required();
    std::string planHost;
    plan->add_option("--host", planHost, "Only this Docker host");

    auto* reach = app.add_subcommand(
        "reach", "Simulate ICMP echo from every sandbox, host and external to every address of "
                 "every other one, and TCP/UDP to every listening port; print the matrix");
    reach->add_option("FILE", file, "Scenario file")->required();
    reach->add_flag("--json", json, "print JSON (its shape: docs/command-line.md)");
    reach->add_option("--lang", lang, "Language of explanations: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));

    TraceArgs traceArgs;
    auto* trace = app.add_subcommand("trace", "One probe, hop by hop, each step explained");
    trace->add_option("FILE", file, "Scenario file")->required();
    trace->add_option("--from", traceArgs.from, "Service, host or external")->required();
    trace->add_option("--to", traceArgs.to, "Service, host, external or IPv4 address")->required();
    trace->add_option("--proto", traceArgs.proto, "icmp, tcp or udp")
        ->check(CLI::IsMember({"icmp", "tcp", "udp"}));
    trace->add_option("--port", traceArgs.port, "Port for tcp and udp");
    trace->add_option("--network", traceArgs.network, "Pick the target's endpoint on this network");
    trace
        ->add_option("--size", traceArgs.size,
                     "Bytes of data in the probe (ping -s; default 56 for icmp, 8 for udp, none "
                     "for a tcp SYN); too big for a link's MTU, it meets what Linux does then")
        ->check(CLI::NonNegativeNumber);
    trace->add_option("--pcap", traceArgs.pcap,
                      "Also write the frames to this pcapng file (one interface per wire segment)");
    trace->add_flag("--json", json, "print JSON (its shape: docs/command-line.md)");
    trace->add_option("--lang", lang, "Language of explanations: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));

    auto* check = app.add_subcommand("check", "Run the file's x-probes in the simulation; exit 1 "
                                              "if any expectation fails");
    check->add_option("FILE", file, "Scenario file")->required();
    check->add_flag("--json", json, "print JSON (its shape: docs/command-line.md)");
    check->add_option("--lang", lang, "Language of explanations: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));

    std::string compareDrivers;
    std::string compareNetwork;
    auto* compare = app.add_subcommand(
        "compare", "The same file with its networks on each driver of a list, side by side: "
                   "reachability that changes, host, LAN and cross-host reach, names, published "
                   "ports, identity on the LAN, MTU, bytes on the wire, kernel objects");
    compare->add_option("FILE", file, "Scenario file")->required();
    compare
        ->add_option("--drivers", compareDrivers,
                     "Comma-separated: bridge, macvlan, ipvlan, overlay, host, none, plugins")
        ->required();
    compare->add_option("--network", compareNetwork,
                        "Only this network (default: every user network)");
    compare->add_flag("--json", json, "print JSON (its shape: docs/compare.md)");
    compare->add_option("--lang", lang, "Language of the table and explanations: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));

    auto* liveCmd =
        app.add_subcommand("live", "Build the topology in real network namespaces (root)");
    liveCmd->require_subcommand(1);
    std::string liveVerb;
    for (const auto& [verb, help] : std::vector<std::pair<std::string, std::string>>{
             {"up", "Build it: namespaces, links, addresses, routes, Docker's nftables rules, "
                    "listeners and the embedded DNS"},
             {"down", "Remove everything with the scenario's prefix (also after a crash)"},
             {"status", "List what is up"},
             {"verify", "Build it, run the probes of reach and check for real and in the "
                        "simulation, report every disagreement, tear down"}}) {
        auto* sub = liveCmd->add_subcommand(verb, help);
        sub->add_option("FILE", file, "Scenario file")->required();
        if (verb == "status" || verb == "verify") {
            sub->add_flag("--json", json, "JSON output");
        }
        if (verb == "verify") {
            sub->add_option("--lang", lang, "Language of explanations: en or zh")
                ->check(CLI::IsMember({"en", "zh"}));
        }
        sub->callback([&liveVerb, verb = verb] { liveVerb = verb; });
    }
    // The studio's privileged half (live/helper_protocol.hpp): started as root
    // by the studio through pkexec or sudo, never given a file.
    auto* helper = liveCmd->add_subcommand(
        "helper",
        "Serve the studio's Live switch: JSON requests on standard input, one reply per "
        "line on standard output (root; started by cnmlab-studio through pkexec or sudo)");
    helper->callback([&liveVerb] { liveVerb = "helper"; });

    auto* pluginCmd = app.add_subcommand("plugin", "Work with remote network drivers (plugins)");
    pluginCmd->require_subcommand(1);
    std::vector<std::string> pluginTarget;
    auto* pluginCheck = pluginCmd->add_subcommand(
        "check", "Drive a remote network driver through the calls libnetwork makes for a network "
                 "with two endpoints, print each exchange, and say what in its answers Docker "
                 "would reject. SOCKET: the plugin's unix socket; -- COMMAND...: start the plugin, "
                 "telling it where to listen in CNMLAB_PLUGIN_SOCKET (and as any argument "
                 "'{socket}')");
    pluginCheck->add_option("SOCKET", pluginTarget, "The plugin's socket, or -- COMMAND...")
        ->required();
    const bool dashDash = std::find_if(argv, argv + argc, [](const char* a) {
                              return std::string_view(a) == "--";
                          }) != argv + argc;

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (const std::string unknown = unknownCommand(app, argc, argv); !unknown.empty()) {
            std::cerr << fmt::format("error: unknown command '{}'; see cnmlab --help\n", unknown);
            return kExitInvalid;
        }
        const int rc = app.exit(e);
        return rc == 0 ? 0 : kExitInvalid;
    }

    try {
        if (*validate) {
            return runValidate(file);
        }
        if (*inspect) {
            return runInspect(file, json);
        }
        if (*pluginCheck) {
            if (!dashDash && pluginTarget.size() != 1) {
                std::cerr << "error: plugin check takes one SOCKET, or -- COMMAND...\n";
                return kExitInvalid;
            }
            return plugins::runPluginCheck(dashDash ? "" : pluginTarget.front(),
                                           dashDash ? pluginTarget : std::vector<std::string>{},
                                           std::cout, std::cerr);
        }
        if (*liveCmd && liveVerb == "helper") {
            return live::runLiveHelper(0, 1, {verify::helperMatrix, verify::helperProbe});
        }
        if (*liveCmd) {
            return runLive(liveVerb, file, json, lang);
        }
        if (*plan) {
            return runPlan(file, planHost);
        }
        if (*reach) {
            return runReach(file, json, lang);
        }
        if (*check) {
            return runCheck(file, json, lang);
        }
        if (*compare) {
            return runCompare(file, compareDrivers, compareNetwork, json, lang);
        }
        if (*trace) {
            return runTrace(file, traceArgs, json, lang);
        }
        if (*generate) {
            gen.drivers = splitList(drivers);
            std::cout << model::generateScenario(gen);
            return 0;
        }
    } catch (const model::Error& e) {
        std::cerr << e.formatted() << "\n";
        return e.kind() == model::ErrorKind::Unsupported || e.kind() == model::ErrorKind::System
                   ? 3
                   : kExitInvalid;
    }
    return kExitInvalid;
}

// cnmlab — the headless command line (SPEC §2). Parses arguments with CLI11 and
// calls the libraries; every command's work lives in model/, drivers/, sim/, live/.
//
// Exit codes: 0 success; 1 a negative answer; 2 bad usage or invalid scenario;
// 3 the environment cannot do it.

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "model/compose_reader.hpp"
#include "model/generator.hpp"
#include "model/inspect_report.hpp"
#include "model/topology.hpp"

namespace {

using namespace cnmlab;

constexpr int kExitNegative = 1;
constexpr int kExitInvalid = 2;

struct Loaded {
    model::Scenario scenario;
    model::Topology topology;
};

// Reads and resolves FILE; the Topology points into the Scenario, so both live
// in one heap object that never moves.
std::unique_ptr<Loaded> load(const std::string& file) {
    auto l = std::make_unique<Loaded>();
    l->scenario = model::readScenarioFile(file);
    l->topology = model::resolve(l->scenario);
    return l;
}

int runValidate(const std::string& file) {
    load(file);
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

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cnmlab: Docker container networking, simulated and live.\n"
                 "Every command takes a scenario FILE (a Compose file with x- keys); '-' reads "
                 "standard input."};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Help for every command");

    std::string file;
    bool json = false;

    auto* validate = app.add_subcommand("validate", "Parse and check FILE; print nothing on success");
    validate->add_option("FILE", file, "Scenario file")->required();

    auto* inspect = app.add_subcommand(
        "inspect", "The resolved topology: networks with subnet, gateway and driver; containers "
                   "with their endpoints (IPv4, prefix, MAC, aliases)");
    inspect->add_option("FILE", file, "Scenario file")->required();
    inspect->add_flag("--json", json, "JSON as SPEC §2 gives it");

    model::GenerateOptions gen;
    std::string drivers = "bridge";
    auto* generate = app.add_subcommand(
        "generate", "Write a valid scenario of the given size to standard output (for benchmarks)");
    generate->add_option("--hosts", gen.hosts, "Docker hosts")->required();
    generate->add_option("--networks", gen.networks, "Networks")->required();
    generate->add_option("--containers", gen.containers, "Containers (one per service)")->required();
    generate->add_option("--drivers", drivers, "Comma-separated drivers, used in turn")
        ->default_val("bridge");
    generate->add_option("--seed", gen.seed, "Random seed; the same seed gives the same file")
        ->default_val(1);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
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
    (void)kExitNegative;
    return kExitInvalid;
}

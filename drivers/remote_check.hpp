#pragma once
// `cnmlab plugin check`: drive a remote network driver through the calls
// libnetwork 20.10 makes for one network with two endpoints (`docker network
// create -d NAME`, two `docker run --network`, their `docker rm`, `docker
// network rm`), and judge every reply as libnetwork judges it
// (drivers/remote/driver.go, ipams/remote/remote.go, pkg/plugins): what it
// would reject, in its own words. Docker stops at the first rejection; the
// check goes on, so a plugin's author sees every problem at once, and says
// where Docker would have stopped.

#include <string>
#include <vector>

#include "drivers/remote_http.hpp"

namespace cnmlab::drivers::remote {

struct CheckStep {
    std::string why;      // what Docker is doing ("docker network create: the network")
    std::string path;     // "/NetworkDriver.CreateNetwork"
    std::string request;  // the body sent ("" for calls without arguments)
    HttpReply reply;
    std::vector<std::string> problems;  // what libnetwork would reject, its words
    std::vector<std::string> notes;     // what libnetwork tolerates but a reader should know
};

struct CheckReport {
    std::string address;
    std::vector<CheckStep> steps;
    std::string unreachable;  // the transport error, when the plugin could not be reached
    // The first step Docker would have stopped at (steps.size() when none).
    std::size_t firstRejection() const;
    std::size_t problemCount() const;
};

struct CheckOptions {
    std::string networkName = "checknet";
};

CheckReport checkPlugin(Transport& plugin, const CheckOptions& options = {});

// The report as the terminal shows it: each exchange (request and reply, the
// JSON indented), its problems, then a summary line.
std::string formatCheckReport(const CheckReport& report);

}  // namespace cnmlab::drivers::remote

#include "plugins/sdk/plugin_main.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "plugins/sdk/kernel_apply.hpp"
#include "plugins/sdk/plugin_server.hpp"

namespace cnmlab::plugins {

int runPluginMain(int argc, char** argv, const std::string& name, const PluginFactory& make) {
    const char* env = std::getenv("CNMLAB_PLUGIN_SOCKET");
    std::string socket = env != nullptr && *env != '\0'
                             ? std::string(env)
                             : fmt::format("/run/docker/plugins/{}.sock", name);
    bool live = false;
    bool log = false;
    std::string storeDir;
    std::vector<std::string> own;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--socket" && i + 1 < argc) {
            socket = argv[++i];
        } else if (a == "--live") {
            live = true;
        } else if (a == "--log") {
            log = true;
        } else if (a == "--store" && i + 1 < argc) {
            storeDir = argv[++i];
        } else if (a == "--help" || a == "-h") {
            std::cout << fmt::format(
                "usage: {} [--socket PATH] [--live]\n"
                "A Docker remote network driver (plugin protocol on a unix socket).\n"
                "  --socket PATH  where to listen (default $CNMLAB_PLUGIN_SOCKET, else "
                "/run/docker/plugins/{}.sock)\n"
                "  --live         build what it describes in this network namespace\n"
                "  --log          print every request and reply on standard error\n"
                "  --store DIR    the datastore shared with the other hosts' plugins\n"
                "and the plugin's own options (its README).\n",
                argv[0], name);
            return 0;
        } else {
            own.emplace_back(a);
        }
    }
    // The Docker host it serves: CNMLAB_PLUGIN_HOST when cnmlab starts it for
    // one of a scenario's hosts, else this machine's name.
    std::array<char, 256> host{};
    ::gethostname(host.data(), host.size() - 1);
    if (const char* h = std::getenv("CNMLAB_PLUGIN_HOST"); h != nullptr && *h != '\0') {
        std::snprintf(host.data(), host.size(), "%s", h);
    }
    try {
        std::unique_ptr<NetworkPlugin> plugin;
        try {
            std::shared_ptr<Datastore> store;
            if (storeDir.empty()) {
                store = std::make_shared<MemoryStore>();
            } else {
                store = std::make_shared<DirectoryStore>(storeDir);
            }
            plugin = make(host.data(), own, store);
        } catch (const std::invalid_argument& e) {
            std::cerr << fmt::format("{}: {}; see --help\n", argv[0], e.what());
            return 2;
        }
        std::unique_ptr<KernelApplier> kernel;
        if (live && plugin->hostPlan() != nullptr) {
            kernel = std::make_unique<KernelApplier>(*plugin->hostPlan());
        }
        PluginServer server(socket,
                            [&plugin, log](const std::string& path, const std::string& body) {
                                auto reply = dispatch(*plugin, path, body);
                                if (log) {
                                    std::cerr << fmt::format("-> POST {} {}\n<- {} {}", path,
                                                             body.empty() ? "(no body)\n" : body,
                                                             reply.status, reply.body);
                                }
                                return reply;
                            });
        if (kernel) {
            // The control plane keeps up with the other hosts (their routes,
            // their endpoints) between calls.
            server.every(std::chrono::seconds(1), [&plugin] { plugin->reconcile(); });
        }
        server.run(true);
    } catch (const std::exception& e) {
        std::cerr << fmt::format("{}: {}\n", argv[0], e.what());
        return 3;
    }
    return 0;
}

}  // namespace cnmlab::plugins

// A remote network driver that answers wrongly, in every way libnetwork
// checks: the fixture for `cnmlab plugin check`'s report of what Docker would
// reject. It listens where CNMLAB_PLUGIN_SOCKET (or its first argument) says.

#include <cstdlib>
#include <iostream>
#include <string>

#include "plugins/sdk/plugin_server.hpp"

int main(int argc, char** argv) {
    const char* env = std::getenv("CNMLAB_PLUGIN_SOCKET");
    const std::string socket = argc > 1 ? argv[1] : (env != nullptr ? env : "");
    if (socket.empty()) {
        std::cerr << "wrong_plugin: no socket (CNMLAB_PLUGIN_SOCKET or the first argument)\n";
        return 2;
    }
    int joins = 0;
    cnmlab::plugins::PluginServer server(
        socket,
        [&joins](const std::string& path,
                 const std::string&) -> cnmlab::drivers::remote::HttpReply {
            if (path == "/Plugin.Activate") {
                return {200, R"({"Implements":["NetworkDriver"]})"};
            }
            if (path == "/NetworkDriver.GetCapabilities") {
                return {200, R"({"Scope":"cluster"})"};
            }
            if (path == "/NetworkDriver.CreateNetwork") {
                return {200, R"({"Err":""})"};
            }
            if (path == "/NetworkDriver.CreateEndpoint") {
                return {200, R"({"Interface":{"Address":"10.9.0.5/24","MacAddress":"zz:42"}})"};
            }
            if (path == "/NetworkDriver.Join") {
                if (joins++ == 0) {
                    return {200, R"({"InterfaceName":{"SrcName":"tap0","DstPrefix":"eth"},)"
                                 R"("Gateway":5})"};
                }
                return {200, R"({"InterfaceName":{"SrcName":"a-name-far-too-long",)"
                             R"("DstPrefix":""},"Gateway":"not-an-ip","StaticRoutes":)"
                             R"([{"Destination":"10.0.0.0/33","RouteType":0}]})"};
            }
            if (path == "/NetworkDriver.EndpointOperInfo") {
                return {200, "{not json"};
            }
            if (path == "/NetworkDriver.Leave") {
                return {500, R"({"Err":"no such endpoint"})"};
            }
            if (path == "/NetworkDriver.DeleteEndpoint") {
                return {200, R"({"Err":"endpoint busy"})"};
            }
            if (path == "/NetworkDriver.DeleteNetwork") {
                return {200, "{}"};
            }
            return {404, "404 page not found\n"};
        });
    server.run(true);
    return 0;
}

#pragma once
// `cnmlab generate`: a valid scenario of a given size, for benchmarks and
// stress tests. The same options and seed always give the same text.
// Cost: O(containers); 10,000 containers take milliseconds.

#include <cstdint>
#include <string>
#include <vector>

namespace cnmlab::model {

struct GenerateOptions {
    int hosts = 1;
    int networks = 1;
    int containers = 10;
    std::vector<std::string> drivers{"bridge"};
    std::uint64_t seed = 1;
    // Swarm services (deploy:) on the overlay networks, in turn: `replicas`
    // tasks each; every fourth publishes a port through the routing mesh (while
    // its VIP and tasks fit the ingress /24),
    // every fifth of the others uses DNS round robin. Needs an overlay driver.
    int services = 0;
    int replicas = 5;
};

// The first line is a comment with the command that generates the same text.
// Throws Error: Invalid for impossible sizes and drivers that cannot be
// generated (host, none, unknown names), Unsupported for overlay (not
// implemented yet; `cnmlab generate` exits with 3, as for a file with one).
std::string generateScenario(const GenerateOptions& opt);

}  // namespace cnmlab::model

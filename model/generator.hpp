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
};

// Throws Error (Invalid) for impossible sizes or unknown drivers.
std::string generateScenario(const GenerateOptions& opt);

}  // namespace cnmlab::model

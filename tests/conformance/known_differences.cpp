// Reading known_differences.txt (see known_differences.hpp).
#include "tests/conformance/known_differences.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace cnmlab::conformance {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) {
        return text.empty();
    }
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (globMatch(pattern.substr(1), text.substr(i))) {
                return true;
            }
        }
        return false;
    }
    return !text.empty() && pattern.front() == text.front() &&
           globMatch(pattern.substr(1), text.substr(1));
}

std::vector<KnownDifference> loadKnownDifferences(const std::filesystem::path& file) {
    std::vector<KnownDifference> out;
    std::ifstream in(file);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (trim(line).empty() || trim(line).front() == '#') {
            continue;
        }
        std::vector<std::string> parts;
        std::stringstream ss(line);
        std::string part;
        while (std::getline(ss, part, '|')) {
            parts.push_back(trim(part));
        }
        if (parts.size() < 3 || parts[2].empty()) {
            ADD_FAILURE() << file.filename().string() << ":" << n
                          << ": expected `SCENARIO | FACT-ID | REASON`";
            continue;
        }
        out.push_back({parts[0], parts[1], parts[2], n});
    }
    return out;
}

}  // namespace cnmlab::conformance

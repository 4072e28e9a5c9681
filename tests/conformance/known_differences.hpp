#pragma once
// known_differences.txt: the differences from the recordings the conformance
// test accepts, each with its reason.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cnmlab::conformance {

// One line of known_differences.txt: `SCENARIO | FACT-ID | REASON`. SCENARIO and
// FACT-ID may contain `*` (any run of characters).
struct KnownDifference {
    std::string scenario;
    std::string fact;
    std::string reason;
    int line = 0;
};

// Whether `text` matches `pattern`, where `*` stands for any run of characters.
bool globMatch(std::string_view pattern, std::string_view text);

// The entries of `file`, without blank lines and `#` comments; a line that is
// not `SCENARIO | FACT-ID | REASON` is a test failure (ADD_FAILURE) and skipped.
std::vector<KnownDifference> loadKnownDifferences(const std::filesystem::path& file);

}  // namespace cnmlab::conformance

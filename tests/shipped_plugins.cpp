// Linked into every test program that builds Plans: the plugins cnmlab ships
// are found by driver name, as the programs' main()s arrange.
#include "plugins/shipped.hpp"

namespace {
const bool kInstalled = [] {
    cnmlab::plugins::installShippedPlugins();
    return true;
}();
}  // namespace

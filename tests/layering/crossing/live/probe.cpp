// A live/ source that reaches into sim/, which live/ does not link.
#include "packet/frame.hpp"
#include "sim/world.hpp"

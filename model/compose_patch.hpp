#pragma once
// Saving a hand-written file: the text the author wrote, changed only where
// the scenario changed. A lesson file is written by hand and read by
// students, so comments, blank lines, key order, quoting and spelling
// (`x-listen: [3000/tcp]`) of everything that was not edited stay byte for
// byte.
//
// patchScenario() compares `before` (what `original` reads as) with `after`
// object by object — each host, external, service and network by its key,
// each x-layout entry, the project name, x-probes and x-lesson as a whole —
// and rewrites only the text of the objects that differ: a changed object's
// entry is written anew in place (block or flow, as it was, at its
// indentation), a new one is added at the end of its section (the section is
// added at the end of the file when the file has none), a removed one is
// cut out with its own lines. Whatever the patch gives is read back and
// compared with `after`; when they would differ (a construct the patch
// cannot edit in place, such as anchors shared between objects), the whole
// file is written by writeScenario() instead, and `patched` says so.
//
// Cost: one YAML parse of `original` and one of the result, O(size).

#include <string>
#include <string_view>

#include "model/scenario.hpp"

namespace cnmlab::model {

struct PatchResult {
    std::string text;
    bool patched = true;  // false: written whole by writeScenario()
};

PatchResult patchScenario(std::string_view original, const Scenario& before, const Scenario& after);

}  // namespace cnmlab::model

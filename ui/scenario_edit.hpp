#pragma once
// One edit of a Scenario as values: which object (by kind and key) it touched,
// what it was before and what it is after. An edit is its own inverse with
// before/after swapped, so a QUndoCommand only stores a list of these and asks
// the document to apply them forwards (redo) or backwards (undo).
//
// Objects are addressed by key (service key, network key, host or external
// name), never by pointer: the document re-reads the scenario after each edit,
// so pointers into it do not survive.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "model/scenario.hpp"

namespace cnmlab::ui {

enum class ObjectKind { Host, External, Service, Network };

// Add (before empty), remove (after empty) or replace one object. `index` is
// its position in the scenario's list (insertion point for an add; the writer
// keeps list order, so undo puts a removed object back where it was).
struct ObjectEdit {
    ObjectKind kind = ObjectKind::Service;
    std::string key;
    std::size_t index = 0;
    using Value =
        std::variant<model::HostSpec, model::ExternalSpec, model::ServiceSpec, model::NetworkSpec>;
    std::optional<Value> before;
    std::optional<Value> after;
};

// A canvas position in x-layout (key: a service, network, host, external or
// "lan"); nullopt removes the entry.
using Position = std::pair<double, double>;
struct LayoutEdit {
    std::string name;
    std::optional<Position> before;
    std::optional<Position> after;
};

// Whole sections that are edited as one value.
struct ProbesEdit {
    std::vector<model::ProbeSpec> before;
    std::vector<model::ProbeSpec> after;
};
struct LessonEdit {
    std::optional<model::Lesson> before;
    std::optional<model::Lesson> after;
};
struct ProjectNameEdit {
    std::string before;
    std::string after;
    bool givenBefore = false;
    bool givenAfter = false;
};

using Edit = std::variant<ObjectEdit, LayoutEdit, ProbesEdit, LessonEdit, ProjectNameEdit>;

// Applies `e` to `sc` forwards (after) or backwards (before). Contract: the
// object's current value equals the side being replaced; a missing key for a
// remove or replace is ignored (the edit came from a stale view), never a crash.
void applyEdit(model::Scenario& sc, const Edit& e, bool forward);

// True when the edit changes only positions (no re-validation needed).
bool isLayoutOnly(const Edit& e);

// Helpers that build edits from the current scenario.
ObjectEdit replaceService(const model::Scenario& sc, model::ServiceSpec after);
ObjectEdit replaceNetwork(const model::Scenario& sc, model::NetworkSpec after);
ObjectEdit replaceHost(const model::Scenario& sc, model::HostSpec after);
ObjectEdit replaceExternal(const model::Scenario& sc, model::ExternalSpec after);

// A key not yet used by any object of `kind` (nor by a service, host or
// external when `kind` names one of those, since probes cannot tell them
// apart): `stem`, `stem2`, `stem3`, ...
std::string freshKey(const model::Scenario& sc, ObjectKind kind, const std::string& stem);

}  // namespace cnmlab::ui

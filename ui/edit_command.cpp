#include "ui/edit_command.hpp"

#include <algorithm>

#include "ui/scenario_document.hpp"

namespace cnmlab::ui {

namespace {
constexpr int kMoveCommandId = 0x636e6d;  // "cnm": layout-only commands
}

EditCommand::EditCommand(ScenarioDocument* doc, const QString& text, std::vector<Edit> edits,
                         bool mergeable)
    : QUndoCommand(text), m_doc(doc), m_edits(std::move(edits)),
      m_mergeable(mergeable && std::all_of(m_edits.begin(), m_edits.end(), isLayoutOnly)) {}

void EditCommand::redo() {
    m_doc->applyEdits(m_edits, true);
}

void EditCommand::undo() {
    m_doc->applyEdits(m_edits, false);
}

int EditCommand::id() const {
    return m_mergeable ? kMoveCommandId : -1;
}

bool EditCommand::mergeWith(const QUndoCommand* other) {
    // Only nudges of one selection merge: same names, in order.
    const auto* o = dynamic_cast<const EditCommand*>(other);
    if (o == nullptr || !o->m_mergeable || o->m_edits.size() != m_edits.size()) {
        return false;
    }
    for (std::size_t i = 0; i < m_edits.size(); ++i) {
        const auto& a = std::get<LayoutEdit>(m_edits[i]);
        const auto& b = std::get<LayoutEdit>(o->m_edits[i]);
        if (a.name != b.name) {
            return false;
        }
    }
    for (std::size_t i = 0; i < m_edits.size(); ++i) {
        std::get<LayoutEdit>(m_edits[i]).after = std::get<LayoutEdit>(o->m_edits[i]).after;
    }
    return true;
}

}  // namespace cnmlab::ui

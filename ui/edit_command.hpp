#pragma once
// The one QUndoCommand of the studio: a list of value edits (scenario_edit.hpp)
// applied to the document forwards on redo and backwards on undo. It stores
// keys and values only, never pointers into the scenario or the canvas.

#include <QUndoCommand>

#include <vector>

#include "ui/scenario_edit.hpp"

namespace cnmlab::ui {

class ScenarioDocument;

class EditCommand : public QUndoCommand {
public:
    // `doc` owns the undo stack that owns this command, so it outlives it.
    // `mergeable`: layout-only steps (keyboard nudges) that merge with the next
    // mergeable step moving the same names.
    EditCommand(ScenarioDocument* doc, const QString& text, std::vector<Edit> edits,
                bool mergeable = false);

    void redo() override;
    void undo() override;
    // Consecutive nudges of the same items merge into one step.
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

    const std::vector<Edit>& edits() const { return m_edits; }

private:
    ScenarioDocument* m_doc;
    std::vector<Edit> m_edits;
    bool m_mergeable = false;
};

}  // namespace cnmlab::ui

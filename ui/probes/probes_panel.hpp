#pragma once
// The file's x-probes with pass or fail, as `cnmlab check` runs them. Checks
// run again after each edit while the panel is visible. Clicking a probe plays
// it on the canvas.

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace cnmlab::ui {

class ScenarioDocument;
class SimulationController;

class ProbesPanel : public QWidget {
    Q_OBJECT
public:
    ProbesPanel(ScenarioDocument* doc, SimulationController* sim, QWidget* parent = nullptr);

    QTreeWidget* tree() const { return m_tree; }
    // Runs the checks now (also when hidden).
    void refresh();

signals:
    void playRequested(int probeIndex);
    // passed, failed: for the dock's title
    void summaryChanged(int passed, int failed);

protected:
    void showEvent(QShowEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    ScenarioDocument* m_doc;
    SimulationController* m_sim;
    QLabel* m_summary;
    QTreeWidget* m_tree;
    bool m_stale = true;
};

}  // namespace cnmlab::ui

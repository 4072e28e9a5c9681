#pragma once
// The reachability matrix panel: the matrix of `cnmlab reach` as a coloured
// table. Small scenarios are computed as soon as the panel is shown; large
// ones (over kAutoLimit containers) on request, on a worker thread. Clicking a
// cell plays that pair's probe.

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace cnmlab::ui {

class ReachMatrixModel;
class ScenarioDocument;
class SimulationController;
struct ProbeRequest;

class ReachPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr std::size_t kAutoLimit = 60;

    ReachPanel(ScenarioDocument* doc, SimulationController* sim, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    ReachMatrixModel* model() const { return m_model; }
    // Computes now if needed (tests and the screenshot use it); blocks until done.
    void computeAndWait();

signals:
    void probeRequested(const cnmlab::ui::ProbeRequest& req);

protected:
    void showEvent(QShowEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    void refresh();
    void start();

    ScenarioDocument* m_doc;
    SimulationController* m_sim;
    ReachMatrixModel* m_model;
    QTableView* m_table;
    QLabel* m_status;
    QPushButton* m_compute;
};

}  // namespace cnmlab::ui

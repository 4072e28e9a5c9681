#pragma once
// The reachability matrix panel: the matrix of `cnmlab reach` as a coloured
// table. Small scenarios are computed as soon as the panel is shown; large
// ones (over kAutoLimit containers) on request, on a worker thread. Clicking a
// cell plays that pair's probe. In Live mode it shows the kernel's answers
// beside the simulation's (see ReachMatrixModel) and a legend of the colours.

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QTableView;

namespace cnmlab::ui {

class ReachMatrixModel;
class ScenarioDocument;
class SimulationController;
struct KernelAnswer;
struct ProbeRequest;
struct ReachResults;

class ReachPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr std::size_t kAutoLimit = 60;

    ReachPanel(ScenarioDocument* doc, SimulationController* sim, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    ReachMatrixModel* model() const { return m_model; }
    // Computes now if needed (tests and the screenshot use it); blocks until done.
    void computeAndWait();
    // Live mode: shows `results` with the kernel's answers (kernel[i] answers
    // results->matrix.entries[i]), coloured by agreement with a legend, until
    // called with nullptr; neither is owned and both must outlive their use.
    void showLive(const ReachResults* results, const std::vector<KernelAnswer>* kernel);

signals:
    void probeRequested(const cnmlab::ui::ProbeRequest& req);

protected:
    void showEvent(QShowEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    void refresh();
    void showCurrent();  // the live matrix when there is one, else the simulation's
    QString liveSummary() const;
    void start();

    ScenarioDocument* m_doc;
    SimulationController* m_sim;
    ReachMatrixModel* m_model;
    QTableView* m_table;
    QLabel* m_status;
    QPushButton* m_compute;
    QLabel* m_legend;
    const ReachResults* m_liveResults = nullptr;
    const std::vector<KernelAnswer>* m_kernel = nullptr;
};

}  // namespace cnmlab::ui

#pragma once
// The Live panel: the Live switch (an action the main window also puts in its
// menu and toolbar), what the kernel holds now, the summary of the reach
// matrix sent in the kernel, and a form to run one probe from any container
// (or host, or external) — ping, TCP connect, UDP or a DNS lookup — with the
// kernel's answer beside the simulation's in a table, newest first.

#include <QWidget>

#include <vector>

#include "ui/live/live_session.hpp"

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace cnmlab::ui {

class ScenarioDocument;

class LivePanel : public QWidget {
    Q_OBJECT
public:
    enum Column { Probe, Simulation, Kernel, KernelSaid, ColumnCount };

    LivePanel(ScenarioDocument* doc, LiveSession* live, QWidget* parent = nullptr);

    // Checkable; checked while going up and up. Triggering it switches.
    QAction* toggleAction() const { return m_toggle; }
    QTableWidget* results() const { return m_results; }
    QPushButton* runButton() const { return m_run; }
    // Fills the form (proto "icmp", "tcp", "udp" or "dns"; `to` is the name to
    // resolve for DNS) and runs it as the Run button does.
    void run(const QString& from, const QString& to, const QString& proto, int port = 0,
             const QString& network = {});

signals:
    void showMatrixRequested();

protected:
    void changeEvent(QEvent* e) override;

private:
    void buildForm(QWidget* box);
    void retranslate();
    void refill();
    void updateState();
    void updateMatrix();
    void updateFields();
    void runCurrent();
    void renderResults();

    ScenarioDocument* m_doc;
    LiveSession* m_live;
    QAction* m_toggle = nullptr;
    QToolButton* m_switch = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_matrix = nullptr;
    QPushButton* m_rerun = nullptr;
    QPushButton* m_showMatrix = nullptr;
    QLabel* m_formTitle = nullptr;
    QLabel* m_fromLabel = nullptr;
    QComboBox* m_from = nullptr;
    QLabel* m_toLabel = nullptr;
    QComboBox* m_to = nullptr;
    QLabel* m_networkLabel = nullptr;
    QComboBox* m_network = nullptr;
    QComboBox* m_proto = nullptr;
    QSpinBox* m_port = nullptr;
    QPushButton* m_run = nullptr;
    QTableWidget* m_results = nullptr;
    std::vector<LiveProbeResult> m_history;  // newest first, as the table shows them
};

}  // namespace cnmlab::ui

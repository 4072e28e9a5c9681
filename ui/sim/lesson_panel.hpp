#pragma once
// The lesson panel: walks through the scenario's x-lesson, one step at a time,
// in the studio's language. Each step highlights its items on the canvas
// (channel "lesson") and plays its probe, if it names one.

#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace cnmlab::ui {

class ScenarioDocument;
class SimulationController;
class TopologyScene;

class LessonPanel : public QWidget {
    Q_OBJECT
public:
    LessonPanel(ScenarioDocument* doc, TopologyScene* scene, SimulationController* sim,
                QWidget* parent = nullptr);

    int step() const { return m_step; }
    int stepCount() const;
    // Shows step `i` (0-based), highlights its items and, when `play`, plays its probe.
    void showStep(int i, bool play = true);

signals:
    void playRequested(int probeIndex);

protected:
    void changeEvent(QEvent* e) override;

private:
    void reload();
    void render();

    ScenarioDocument* m_doc;
    TopologyScene* m_scene;
    SimulationController* m_sim;
    QLabel* m_title;
    QLabel* m_counter;
    QTextBrowser* m_text;
    QPushButton* m_prev;
    QPushButton* m_next;
    QPushButton* m_play;
    int m_step = -1;
};

}  // namespace cnmlab::ui

#pragma once
// The lesson panel: walks through the scenario's x-lesson, one step at a time,
// in the studio's language. Steps are states: entering one (Back, Next, its
// Play button) sets exactly its highlights on the canvas (channel "lesson")
// and its probe — played from the start, or none: the probe of the step before
// stops and its trail goes. A file with a lesson opens on step 1 with its
// highlights shown (its probe is not played by itself). A probe the user
// plays (not the lesson's) clears the lesson's highlights until a step is
// entered again.

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
    // Enters step `i` (0-based): its highlights only, and, when `play`, its
    // probe from the start (when the step has none, the playback is cleared).
    void showStep(int i, bool play = true);

signals:
    void playRequested(int probeIndex);

protected:
    void changeEvent(QEvent* e) override;

private:
    void reload();
    void render();
    // Highlights step m_step's items (channel "lesson").
    void highlightStep();
    // A probe was loaded: unless it is the lesson's own, its highlights go.
    void onProbeLoaded();

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
    bool m_playingStep = false;  // while the step's probe is being loaded (playRequested)
};

}  // namespace cnmlab::ui

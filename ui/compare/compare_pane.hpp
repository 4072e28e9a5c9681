#pragma once
// One side of the Compare view: the file on one driver (a DriverReport's
// scenarioText) drawn with the studio's own canvas, its own document, scene
// and simulation (ScenarioDocument, TopologyScene, CanvasView,
// SimulationController: read, resolved and planned as an opened file is, and
// a probe traced and animated as on the main canvas). Above the canvas the
// driver is chosen and the probe's verdict shown; below it the explanation of
// the hop on show. The canvas is for watching: it cannot be edited.
//
// The pane never plays by itself: the view's Lockstep drives its Playback and
// tells it the hop of the step control (showHop), which may be past this
// trace's end when the other side's trace is longer.

#include <QString>
#include <QWidget>

#include "sim/compare.hpp"

class QComboBox;
class QLabel;

namespace cnmlab::ui {

class CanvasView;
class Playback;
class ScenarioDocument;
class SimulationController;
class TopologyScene;
class VerdictLabel;
struct ProbeRequest;

class ComparePane : public QWidget {
    Q_OBJECT
public:
    explicit ComparePane(QWidget* parent = nullptr);

    // The drivers to choose from, in the comparison's order; invalid ones are
    // listed but cannot be chosen (their reason is their tooltip).
    void setDrivers(const std::vector<sim::DriverReport>& reports);
    // Shows the file on `report`'s driver. Returns an error sentence, "" when drawn.
    QString showReport(const sim::DriverReport& report);
    QString driver() const { return m_driverName; }

    // Traces `req` on this driver's file, loaded at its first hop (not played).
    // Returns an error sentence, "" on success.
    QString run(const ProbeRequest& req);
    // The step control is at `hop` (an index; this trace may be shorter).
    void showHop(int hop);
    // The explanation under the canvas, as plain text (tests).
    QString explanation() const;

    QComboBox* driverBox() const { return m_driverBox; }
    ScenarioDocument* document() const { return m_doc; }
    TopologyScene* scene() const { return m_scene; }
    CanvasView* view() const { return m_view; }
    SimulationController* simulation() const { return m_sim; }
    Playback* playback() const;

signals:
    // The user chose another driver in the box.
    void driverChosen(const QString& driver);

protected:
    void changeEvent(QEvent* e) override;

private:
    void renderVerdict();
    void clearCanvas(const QString& why);

    QComboBox* m_driverBox = nullptr;
    VerdictLabel* m_verdict = nullptr;
    CanvasView* m_view = nullptr;
    QLabel* m_explain = nullptr;
    ScenarioDocument* m_doc = nullptr;
    TopologyScene* m_scene = nullptr;
    SimulationController* m_sim = nullptr;
    QString m_driverName;
    QString m_error;  // why nothing is drawn, or ""
    int m_hop = -1;   // the step control's hop
};

}  // namespace cnmlab::ui

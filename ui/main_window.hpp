#pragma once
// The studio's main window: the canvas in the middle, the palette on the left,
// the inspector on the right, simulation panels at the bottom. It owns the
// document and wires the views to it; it routes the packet inspector's
// packetSelected/fieldSelected pair between the event list, the packet
// details and the hex view.
//
// Split by concern: main_window.cpp builds the window, main_window_files.cpp
// has New/Open/Save/recent files, main_window_menus.cpp the actions,
// main_window_live.cpp the Live switch.

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QMenuBar;
class QTabWidget;

namespace cnmlab::ui {

class CanvasView;
class CompareView;
class EditController;
class EventsPanel;
class HostView;
class InspectorPanel;
class LessonPanel;
class LivePanel;
class LiveSession;
class PacketInspector;
class PaletteWidget;
class PlanView;
class ProbesPanel;
class ReachPanel;
class SimulationBar;
class SimulationController;
class ScenarioDocument;
class TopologyScene;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads FILE. A file the reader rejects is not loaded and its
    // FILE:LINE:COL message is shown in a dialog (unless `quiet`); a file it
    // accepts but Docker would reject (addresses, drivers) is loaded with the
    // error shown on the canvas and in the inspector. Returns the error text,
    // empty when the file loaded cleanly.
    QString openFile(const QString& path, bool quiet = false);
    void fitToContents();

    ScenarioDocument* document() const { return m_doc; }
    TopologyScene* scene() const { return m_scene; }
    CanvasView* view() const { return m_view; }
    EditController* editor() const { return m_editor; }
    InspectorPanel* inspector() const { return m_inspector; }
    PaletteWidget* palette() const { return m_palette; }
    SimulationController* simulation() const { return m_sim; }
    SimulationBar* simulationBar() const { return m_simBar; }
    EventsPanel* events() const { return m_events; }
    PacketInspector* packets() const { return m_packets; }
    ReachPanel* reach() const { return m_reach; }
    ProbesPanel* probes() const { return m_probes; }
    PlanView* planView() const { return m_plan; }
    LessonPanel* lesson() const { return m_lesson; }
    LiveSession* live() const { return m_live; }
    LivePanel* livePanel() const { return m_livePanel; }
    HostView* hostView() const { return m_hostView; }
    // The Compare view (a window of its own), made on first use; nullptr before.
    CompareView* compareView() const { return m_compare; }

    // Opens the Compare view (View > Compare drivers…) on the open file; with
    // `drivers`, ticks those and compares `network` ("" for every network) at
    // once (the screenshot's --compare and --network).
    CompareView* openCompare(const QStringList& drivers = {}, const QString& network = {});

    // Shows what Docker creates on `host` (its devices and rules, the played
    // packet moving through them) in a tab beside the canvas.
    void openHost(const QString& host);

    // Plays FROM -> TO (ICMP) and stops the animation halfway (or at hop
    // `hop`, numbered from 1 as the event list does, when it is >= 1), with
    // the event list showing (the screenshot's --simulate and --hop). Returns
    // an error text or "".
    QString simulateForScreenshot(const QString& from, const QString& to, int atHop,
                                  const QString& proto = QStringLiteral("icmp"), int port = 0);
    // Raises the bottom panel showing `panel` (the events, the matrix ...).
    void raisePanel(QWidget* panel);

    // Saves to `path` (Save As without a dialog). Returns an error text or "".
    QString saveTo(const QString& path);
    // Switches the language ("en", "zh", or "" for the system's) and remembers it.
    void setLanguage(const QString& code);
    // Presentation mode (View > Presentation mode, F5): text, icons, the
    // canvas's and the host view's zoom half again as large (presentation.hpp).
    void setPresentation(bool on);
    bool presentation() const;

protected:
    void closeEvent(QCloseEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    // main_window.cpp
    void buildCanvas();
    void buildDocks();
    void buildSimulation();
    void buildLive();
    void canvasMenu(QPoint viewPos);
    // A palette entry dropped on the canvas (TopologyScene::dropRequested).
    void dropFromPalette(const QString& what, QPointF pos, const QString& host,
                         const QString& networkId);
    void playXProbe(int index);
    QDockWidget* addDock(QWidget* content, Qt::DockWidgetArea area, const QString& objectName);
    void updateTitle();
    void updateStatus();
    void showMessage(const QString& text);
    void retitleTabs();

    // main_window_files.cpp
    void newFromTemplate(const QString& resource);
    void openDialog();
    bool save();
    bool saveAsDialog();
    bool maybeSave();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void exportDialog();

    // main_window_menus.cpp: the menus, one builder each, and the toolbar.
    void buildActions();
    void buildFileMenu(QMenuBar* bar);
    void buildEditMenu(QMenuBar* bar);
    void buildUndoActions();
    void buildNudges();
    void buildViewMenu(QMenuBar* bar);
    void buildLookActions();
    void buildLiveMenu(QMenuBar* bar);
    void buildLanguageMenu(QMenuBar* bar);
    void buildHelpMenu(QMenuBar* bar);
    void buildToolbar();
    void retranslate();
    void retranslateUndo();
    void deleteSelection();
    void nudgeSelection(QPointF delta);
    void arrange(bool spring);

    ScenarioDocument* m_doc = nullptr;
    TopologyScene* m_scene = nullptr;
    CanvasView* m_view = nullptr;
    QTabWidget* m_centre = nullptr;  // the canvas, and the host view when open
    HostView* m_hostView = nullptr;
    CompareView* m_compare = nullptr;
    EditController* m_editor = nullptr;
    PaletteWidget* m_palette = nullptr;
    InspectorPanel* m_inspector = nullptr;
    QDockWidget* m_paletteDock = nullptr;
    QDockWidget* m_inspectorDock = nullptr;
    SimulationController* m_sim = nullptr;
    SimulationBar* m_simBar = nullptr;
    EventsPanel* m_events = nullptr;
    PacketInspector* m_packets = nullptr;
    ReachPanel* m_reach = nullptr;
    ProbesPanel* m_probes = nullptr;
    PlanView* m_plan = nullptr;
    LessonPanel* m_lesson = nullptr;
    QDockWidget* m_eventsDock = nullptr;
    QDockWidget* m_packetsDock = nullptr;
    QDockWidget* m_reachDock = nullptr;
    QDockWidget* m_probesDock = nullptr;
    QDockWidget* m_planDock = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    LiveSession* m_live = nullptr;
    LivePanel* m_livePanel = nullptr;
    QDockWidget* m_liveDock = nullptr;
    bool m_liveMatrixPending = false;  // raise the matrix when the first one after `up` arrives
    bool m_closing = false;            // closing waits for Live to go down
    QLabel* m_statusRight = nullptr;
    QMenu* m_recentMenu = nullptr;
    struct Actions;
    Actions* m_act = nullptr;
};

}  // namespace cnmlab::ui

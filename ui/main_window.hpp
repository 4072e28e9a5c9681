#pragma once
// The studio's main window: the canvas over the loaded scenario, a status bar,
// and File > Open. Owns the Scenario and its Topology.

#include <QMainWindow>

#include <memory>

#include "model/scenario.hpp"
#include "model/topology.hpp"

class QGraphicsView;

namespace cnmlab::ui {

class TopologyScene;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads FILE; on an invalid file shows the FILE:LINE:COL message in a dialog
    // (unless `quiet`) and keeps the previous scenario. Returns the error text,
    // empty on success.
    QString openFile(const QString& path, bool quiet = false);
    void fitToContents();

private:
    void openDialog();

    QGraphicsView* m_view = nullptr;
    TopologyScene* m_scene = nullptr;
    std::unique_ptr<model::Scenario> m_scenario;
    std::unique_ptr<model::Topology> m_topology;
};

}  // namespace cnmlab::ui

#include "ui/main_window.hpp"

#include <QAction>
#include <QFileDialog>
#include <QGraphicsView>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "model/compose_reader.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("cnmlab studio"));
    m_scene = new TopologyScene(this);
    m_view = new QGraphicsView(m_scene, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setDragMode(QGraphicsView::ScrollHandDrag);
    setCentralWidget(m_view);

    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    auto* view = menuBar()->addMenu(tr("&View"));
    auto* fit = view->addAction(tr("&Fit to window"), this, &MainWindow::fitToContents);
    fit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));

    statusBar()->showMessage(tr("Open a scenario (a Compose file) to begin"));
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

QString MainWindow::openFile(const QString& path, bool quiet) {
    try {
        auto scenario = std::make_unique<model::Scenario>(model::readScenarioFile(path.toStdString()));
        auto topology = std::make_unique<model::Topology>(model::resolve(*scenario));
        m_scene->showTopology(*topology);
        m_scenario = std::move(scenario);
        m_topology = std::move(topology);
        setWindowTitle(tr("%1 — cnmlab studio").arg(path));
        statusBar()->showMessage(tr("%1: %n container(s)", nullptr,
                                    static_cast<int>(m_topology->containers.size()))
                                     .arg(path));
        fitToContents();
        return {};
    } catch (const model::Error& e) {
        const QString text = QString::fromStdString(e.formatted());
        if (!quiet) {
            QMessageBox::critical(this, tr("Cannot open scenario"), text);
        }
        statusBar()->showMessage(text);
        return text;
    }
}

void MainWindow::fitToContents() {
    m_view->fitInView(m_scene->itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt::KeepAspectRatio);
}

void MainWindow::openDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), {},
                                                      tr("Compose files (*.yaml *.yml)"));
    if (!path.isEmpty()) {
        openFile(path);
    }
}

}  // namespace cnmlab::ui

#include "ui/main_window.hpp"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QUndoStack>

#include "packet/frame.hpp"
#include "ui/canvas_view.hpp"
#include "ui/compare/compare_view.hpp"
#include "ui/dock.hpp"
#include "ui/edge_item.hpp"
#include "ui/edit_controller.hpp"
#include "ui/host/host_view.hpp"
#include "ui/inspector/inspector_panel.hpp"
#include "ui/lesson/lesson_panel.hpp"
#include "ui/main_window_actions.hpp"
#include "ui/node_item.hpp"
#include "ui/palette_widget.hpp"
#include "ui/plan/plan_view.hpp"
#include "ui/probes/probes_panel.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/events_panel.hpp"
#include "ui/sim/packet_animator.hpp"
#include "ui/sim/packet_inspector.hpp"
#include "ui/sim/playback.hpp"
#include "ui/sim/reach_panel.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui/sim/simulation_controller.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_act(new Actions) {
    setWindowIcon(QIcon(QStringLiteral(":/cnmlab-studio.svg")));
    m_doc = new ScenarioDocument(this);
    m_editor = new EditController(m_doc, this);
    buildCanvas();
    m_sim = new SimulationController(m_doc, m_scene, this);
    m_editor->setPositionSource([this](const QString& id) -> std::optional<QPointF> {
        if (m_scene->nodeItem(id) == nullptr) {
            return std::nullopt;
        }
        return m_scene->positionOf(id);
    });
    buildDocks();
    buildSimulation();
    buildLive();
    buildActions();
    retitleTabs();
    m_statusRight = new QLabel(this);
    statusBar()->addPermanentWidget(m_statusRight);
    connect(m_doc, &ScenarioDocument::changed, this, &MainWindow::updateStatus);
    connect(m_doc, &ScenarioDocument::reset, this, &MainWindow::updateStatus);
    connect(m_doc, &ScenarioDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_doc, &ScenarioDocument::pathChanged, this, &MainWindow::updateTitle);
    updateTitle();
    updateStatus();
    showMessage(tr("Open a scenario (a Compose file) or start from a template"));
    resize(1440, 900);
}

MainWindow::~MainWindow() {
    // The document goes with the window's children, and its undo stack says so
    // as it clears: nothing here may listen any more.
    m_doc->undoStack()->disconnect(this);
    m_doc->blockSignals(true);
    m_scene->blockSignals(true);
    delete m_act;
    m_act = nullptr;
}

void MainWindow::buildCanvas() {
    m_scene = new TopologyScene(m_doc, this);
    m_view = new CanvasView(m_scene, this);
    m_centre = new QTabWidget(this);
    m_centre->setDocumentMode(true);
    m_centre->setTabsClosable(true);
    m_centre->addTab(m_view, QString());
    m_centre->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);  // the canvas stays
    connect(m_centre, &QTabWidget::tabCloseRequested, this, [this](int i) {
        if (i > 0) {
            m_centre->removeTab(i);
        }
    });
    setCentralWidget(m_centre);
    connect(m_scene, &TopologyScene::hostActivated, this, &MainWindow::openHost);
    connect(m_view, &CanvasView::zoomChanged, m_scene, &TopologyScene::setViewZoom);
    connect(m_scene, &TopologyScene::movesFinished, this,
            [this](const std::vector<NodeMove>& moves) { m_editor->move(moves); });
    connect(m_scene, &TopologyScene::connectRequested, this,
            [this](const QString& service, const QString& network) {
                showMessage(m_editor->connectService(service.toStdString(), network.toStdString()));
            });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MainWindow::canvasMenu);
    connect(m_scene, &TopologyScene::dropRequested, this, &MainWindow::dropFromPalette);
}

void MainWindow::dropFromPalette(const QString& what, QPointF pos, const QString& host,
                                 const QString& networkId) {
    const NodeItem* net = networkId.isEmpty() ? nullptr : m_scene->nodeItem(networkId);
    if (what != QLatin1String("container") || net == nullptr) {
        const QString id = m_editor->add(what, pos, host.toStdString());
        if (!id.isEmpty()) {
            m_scene->selectIds({id});
        }
        return;
    }
    // A container dropped on a network joins it, placed above the network's
    // box (where the bands put containers), not on it.
    const QPointF spot = m_scene->freeSpotNear(net->pos() + QPointF(0, -150), NodeKind::Container);
    const std::string onHost = net->node().host.empty() ? host.toStdString() : net->node().host;
    const QString id = m_editor->add(what, spot, onHost, net->node().key);
    if (!id.isEmpty()) {
        m_scene->selectIds({id});
        showMessage(tr("Added %1 on %2").arg(id.mid(4), QString::fromStdString(net->node().key)));
    }
}

QDockWidget* MainWindow::addDock(QWidget* content, Qt::DockWidgetArea area,
                                 const QString& objectName) {
    auto* dock = new Dock(this);
    dock->setObjectName(objectName);
    dock->setWidget(content);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetClosable |
                      QDockWidget::DockWidgetFloatable);
    if (area != Qt::LeftDockWidgetArea) {
        // Tabbed docks: the tab names the panel; no second title above it.
        dock->setTitleBarWidget(new QWidget(dock));
    }
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildDocks() {
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_palette = new PaletteWidget(this);
    m_paletteDock = addDock(m_palette, Qt::LeftDockWidgetArea, QStringLiteral("paletteDock"));
    connect(m_palette, &PaletteWidget::activated, this, [this](const QString& what) {
        const QPointF centre = m_view->mapToScene(m_view->viewport()->rect().center());
        std::string host = m_scene->hostAt(centre);
        const QPointF spot = m_scene->freeSpotNear(
            centre, what == QLatin1String("container")          ? NodeKind::Container
                    : what.startsWith(QLatin1String("network")) ? NodeKind::Network
                    : what == QLatin1String("host")             ? NodeKind::Host
                                                                : NodeKind::External);
        const QString id = m_editor->add(what, spot, host);
        if (!id.isEmpty()) {
            m_scene->selectIds({id});
            m_view->reveal(spot);
        }
    });
    m_inspector = new InspectorPanel(m_doc, m_editor, this);
    m_inspector->setMinimumWidth(320);
    m_inspectorDock =
        addDock(m_inspector, Qt::RightDockWidgetArea, QStringLiteral("inspectorDock"));
    connect(m_scene, &TopologyScene::selectedIdsChanged, m_inspector,
            &InspectorPanel::showSelection);
    connect(m_inspector, &InspectorPanel::selectRequested, this, [this](const QString& id) {
        m_scene->selectIds({id});
        m_view->reveal(m_scene->positionOf(id));
    });
    connect(m_inspector, &InspectorPanel::message, this, &MainWindow::showMessage);
    connect(m_scene, &TopologyScene::nodeActivated, this, [this] { raisePanel(m_inspector); });
    // Selecting an object shows its inspector, even when the lesson is the tab in front.
    connect(m_scene, &TopologyScene::selectedIdsChanged, this, [this](const QStringList& ids) {
        if (!ids.isEmpty()) {
            raisePanel(m_inspector);
        }
    });
    resizeDocks({m_paletteDock, m_inspectorDock}, {96, 360}, Qt::Horizontal);
}

void MainWindow::buildSimulation() {
    Playback* pb = m_sim->playback();
    m_simBar =
        new SimulationBar(m_doc, m_sim, this);  // placed under the main toolbar by buildActions()
    connect(m_simBar, &SimulationBar::message, this, &MainWindow::showMessage);

    m_events = new EventsPanel(pb, this);
    m_packets = new PacketInspector(pb, this);
    m_reach = new ReachPanel(m_doc, m_sim, this);
    m_probes = new ProbesPanel(m_doc, m_sim, this);
    m_plan = new PlanView(m_doc, this);
    m_hostView = new HostView(m_doc, pb, this);
    m_hostView->hide();  // a tab of the centre once a host is opened
    m_eventsDock = addDock(m_events, Qt::BottomDockWidgetArea, QStringLiteral("eventsDock"));
    m_packetsDock = addDock(m_packets, Qt::BottomDockWidgetArea, QStringLiteral("packetsDock"));
    m_reachDock = addDock(m_reach, Qt::BottomDockWidgetArea, QStringLiteral("reachDock"));
    m_probesDock = addDock(m_probes, Qt::BottomDockWidgetArea, QStringLiteral("probesDock"));
    m_planDock = addDock(m_plan, Qt::BottomDockWidgetArea, QStringLiteral("planDock"));
    for (QDockWidget* d : {m_packetsDock, m_reachDock, m_probesDock, m_planDock}) {
        tabifyDockWidget(m_eventsDock, d);
    }
    setTabPosition(Qt::BottomDockWidgetArea, QTabWidget::North);
    m_eventsDock->raise();
    m_lesson = new LessonPanel(m_doc, m_scene, m_sim, this);
    m_lessonDock = addDock(m_lesson, Qt::RightDockWidgetArea, QStringLiteral("lessonDock"));
    tabifyDockWidget(m_inspectorDock, m_lessonDock);
    setTabPosition(Qt::RightDockWidgetArea, QTabWidget::North);
    m_inspectorDock->raise();
    resizeDocks({m_eventsDock}, {236}, Qt::Vertical);

    // The packet inspector's signal pair, routed here: a packet chosen in the
    // event list or the packet list moves the playback there; the playback's
    // hop is the packet shown; a field chosen in the tree marks its bytes.
    connect(m_events, &EventsPanel::packetSelected, this, [pb](int hop) {
        pb->pause();
        pb->seek(hop);
    });
    connect(m_packets, &PacketInspector::packetSelected, this, [pb](int hop) {
        pb->pause();
        pb->seek(hop);
    });
    connect(pb, &Playback::hopChanged, m_packets, &PacketInspector::showPacket);
    connect(m_packets, &PacketInspector::fieldSelected, m_packets,
            &PacketInspector::highlightField);

    auto runRequest = [this](const ProbeRequest& req) {
        const QString err = m_sim->run(req);
        if (!err.isEmpty()) {
            showMessage(err);
        } else {
            raisePanel(m_events);
        }
    };
    connect(m_reach, &ReachPanel::probeRequested, this, runRequest);
    connect(m_probes, &ProbesPanel::playRequested, this, &MainWindow::playXProbe);
    connect(m_lesson, &LessonPanel::playRequested, this, &MainWindow::playXProbe);
    connect(m_probes, &ProbesPanel::summaryChanged, this, [this](int passed, int failed) {
        m_probesDock->setWindowTitle(failed > 0   ? tr("Probes (%1 failed)").arg(failed)
                                     : passed > 0 ? tr("Probes (%1 passed)").arg(passed)
                                                  : tr("Probes"));
    });
    connect(
        m_sim, &SimulationController::probeLoaded, this,
        [this](const QString& label, bool reachable, const QString&) {
            showMessage(
                tr("Playing %1: %2").arg(label, reachable ? tr("reachable") : tr("unreachable")));
        });
    connect(m_scene, &TopologyScene::selectedIdsChanged, this, [this](const QStringList& ids) {
        m_plan->focusOn(ids.isEmpty() ? QString() : ids.front());
    });
    connect(m_doc, &ScenarioDocument::reset, this, [this] {
        if (m_lesson->stepCount() > 0) {
            m_lessonDock->raise();
        }
    });
}

void MainWindow::canvasMenu(QPoint viewPos) {
    QMenu menu(this);
    const QPointF at = m_view->mapToScene(viewPos);
    QGraphicsItem* item = m_view->itemAt(viewPos);
    if (auto* n = qgraphicsitem_cast<NodeItem*>(item)) {
        if (!n->isSelected()) {
            m_scene->selectIds({n->id()});
        }
        const QString key = QString::fromStdString(n->node().key);
        const NodeKind kind = n->node().kind;
        const bool machine =
            kind == NodeKind::Container || kind == NodeKind::Host || kind == NodeKind::External;
        if (machine) {
            const QString from = m_simBar->source();
            if (!from.isEmpty() && from != key) {
                menu.addAction(Theme::icon(QStringLiteral("probe")),
                               tr("Ping %1 from %2").arg(key, from), this, [this, from, key] {
                                   m_simBar->send(from, key);
                                   raisePanel(m_events);
                               });
            }
            menu.addAction(Theme::icon(QStringLiteral("probe")), tr("Send probes from %1").arg(key),
                           this, [this, key] { m_simBar->setSource(key); });
            menu.addSeparator();
        }
        menu.addAction(Theme::icon(QStringLiteral("info")), tr("Show in the inspector"), this,
                       [this] { raisePanel(m_inspector); });
        menu.addAction(Theme::icon(QStringLiteral("plan")), tr("Show what Docker creates"), this,
                       [this, n] {
                           raisePanel(m_plan);
                           m_plan->focusOn(n->id());
                       });
        if (kind == NodeKind::Host) {
            menu.addAction(Theme::icon(QStringLiteral("host")), tr("Open host %1").arg(key), this,
                           [this, key] { openHost(key); });
        }
        if (kind != NodeKind::Lan && kind != NodeKind::Router) {
            menu.addSeparator();
            menu.addAction(Theme::icon(QStringLiteral("delete")), tr("Delete"), this,
                           &MainWindow::deleteSelection);
        }
    } else if (auto* e = qgraphicsitem_cast<EdgeItem*>(item);
               e != nullptr && e->edge().kind == EdgeKind::Endpoint) {
        const QStringList parts = e->edge().id.mid(3).split('|');
        menu.addAction(Theme::icon(QStringLiteral("cross")),
                       tr("Disconnect %1 from %2").arg(parts.value(0), parts.value(1)), this,
                       [this, parts] {
                           showMessage(m_editor->disconnect(parts.value(0).toStdString(),
                                                            parts.value(1).toStdString()));
                       });
    } else {
        const std::string host = m_scene->hostAt(at);
        if (!host.empty()) {
            const QString name = QString::fromStdString(host);
            menu.addAction(Theme::icon(QStringLiteral("host")), tr("Open host %1").arg(name), this,
                           [this, name] { openHost(name); });
            menu.addSeparator();
        }
        menu.addAction(Theme::icon(QStringLiteral("container")), tr("Add a container here"), this,
                       [this, at, host] {
                           m_scene->selectIds(
                               {m_editor->add(QStringLiteral("container"), at, host)});
                       });
        menu.addAction(Theme::icon(QStringLiteral("net-bridge")), tr("Add a bridge network here"),
                       this, [this, at, host] {
                           m_scene->selectIds(
                               {m_editor->add(QStringLiteral("network:bridge"), at, host)});
                       });
        menu.addSeparator();
        menu.addAction(Theme::icon(QStringLiteral("fit")), tr("Fit to window"), this,
                       &MainWindow::fitToContents);
    }
    menu.exec(m_view->viewport()->mapToGlobal(viewPos));
}

void MainWindow::playXProbe(int index) {
    auto req = m_sim->requestForXProbe(index);
    if (!req) {
        return;
    }
    const QString err = m_sim->run(*req);
    if (!err.isEmpty()) {
        showMessage(err);
    }
}

void MainWindow::raisePanel(QWidget* panel) {
    for (QDockWidget* d : {m_eventsDock, m_packetsDock, m_reachDock, m_probesDock, m_planDock,
                           m_liveDock, m_lessonDock, m_inspectorDock}) {
        if (d != nullptr && d->widget() == panel) {
            d->show();
            d->raise();
        }
    }
}

void MainWindow::openHost(const QString& host) {
    if (m_centre->indexOf(m_hostView) < 0) {
        m_centre->addTab(m_hostView, QString());
    }
    m_hostView->openHost(host);
    retitleTabs();
    m_centre->setCurrentWidget(m_hostView);
}

CompareView* MainWindow::openCompare(const QStringList& drivers, const QString& network) {
    if (m_compare == nullptr) {
        m_compare = new CompareView(m_doc, this);
        connect(m_compare, &CompareView::message, this, &MainWindow::showMessage);
    }
    m_compare->show();
    m_compare->raise();
    m_compare->activateWindow();
    if (!drivers.isEmpty()) {
        m_compare->setDrivers(drivers);
        m_compare->setNetwork(network);
        m_compare->compare();
    } else if (m_compare->comparison() == nullptr && !m_compare->running()) {
        m_compare->compare();  // the default drivers: something to look at at once
    }
    return m_compare;
}

void MainWindow::retitleTabs() {
    m_centre->setTabText(0, tr("Topology"));
    if (const int i = m_centre->indexOf(m_hostView); i >= 0) {
        m_centre->setTabText(i, tr("Host %1").arg(m_hostView->host()));
        m_centre->setTabIcon(i, Theme::icon(QStringLiteral("host")));
    }
}

QString MainWindow::simulateForScreenshot(const QString& from, const QString& to, int atHop,
                                          const QString& proto, int port) {
    const QString err = m_simBar->send(from, to, proto, port);
    if (!err.isEmpty()) {
        return err;
    }
    Playback* pb = m_sim->playback();
    const int n = pb->hopCount();
    // Halfway, on a link (the token between two places), preferring the probe's
    // own packet (IPv4) to the ARP exchange around it.
    const auto& places = m_sim->animator()->places();
    const auto& hops = pb->probe()->record.hops;
    auto moving = [&](int h) {
        return !(places[static_cast<std::size_t>(h)] == places[static_cast<std::size_t>(h - 1)]);
    };
    auto ipv4 = [&](int h) {
        const auto& f = hops[static_cast<std::size_t>(h)].frame;
        return f && f->ethertype == packet::kEtherTypeIpv4;
    };
    int hop = std::max(1, n / 2);
    int best = -1;
    for (int h = std::max(1, n / 3); h < n && best < 0; ++h) {
        if (moving(h) && ipv4(h) && ipv4(h - 1)) {
            best = h;
        }
    }
    for (int h = hop; h < n && best < 0; ++h) {
        if (moving(h)) {
            best = h;
        }
    }
    hop = best > 0 ? best : hop;
    if (atHop >= 1) {
        pb->seek(std::min(atHop, n) - 1);  // as the event list numbers it
    } else {
        pb->seekBetween(hop, 0.55);
    }
    raisePanel(m_events);
    return {};
}

QString MainWindow::openFile(const QString& path, bool quiet) {
    QElapsedTimer timer;
    timer.start();
    try {
        m_doc->load(path);
    } catch (const model::Error& e) {
        const QString text = QString::fromStdString(e.formatted());
        if (!quiet) {
            QMessageBox box(QMessageBox::Critical, tr("Cannot open scenario"),
                            tr("cnmlab cannot open %1.").arg(QFileInfo(path).fileName()),
                            QMessageBox::Ok, this);
            box.setInformativeText(text);
            box.exec();
        }
        showMessage(text);
        return text;
    }
    addRecent(path);
    fitToContents();
    const auto& r = m_doc->resolved();
    if (r.error) {
        const QString text = QString::fromStdString(r.error->formatted());
        if (!quiet) {
            QMessageBox box(QMessageBox::Warning, tr("Scenario has an error"),
                            tr("%1 was opened, but Docker would reject it. The object at fault "
                               "is marked on the canvas; fix it in the inspector.")
                                .arg(QFileInfo(path).fileName()),
                            QMessageBox::Ok, this);
            box.setInformativeText(text);
            box.exec();
        }
        showMessage(text);
        return text;
    }
    showMessage(tr("Opened %1 in %2 ms").arg(QFileInfo(path).fileName()).arg(timer.elapsed()));
    return {};
}

void MainWindow::fitToContents() {
    m_view->fitAll();
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] — cnmlab studio").arg(m_doc->displayName()));
    setWindowModified(m_doc->isModified());
}

void MainWindow::updateStatus() {
    const auto& r = m_doc->resolved();
    const auto& sc = m_doc->scenario();
    QString state;
    if (m_doc->validating()) {
        state =
            QStringLiteral("<span style='color:%1'>●</span> ").arg(Theme::colors().subtext.name()) +
            tr("checking…");
    } else if (r.ok()) {
        state = QStringLiteral("<span style='color:%1'>●</span> ").arg(Theme::colors().ok.name()) +
                tr("valid");
    } else {
        state =
            QStringLiteral("<span style='color:%1'>●</span> ").arg(Theme::colors().error.name()) +
            (r.stage == Resolved::Stage::Plan ? tr("cannot simulate") : tr("invalid"));
    }
    m_statusRight->setText(
        state + QStringLiteral("  ·  ") +
        tr("%n host(s)", nullptr, static_cast<int>(sc.hosts.size())) + QStringLiteral("  ·  ") +
        tr("%n network(s)", nullptr, static_cast<int>(sc.networks.size())) +
        QStringLiteral("  ·  ") +
        tr("%n container(s)", nullptr, static_cast<int>(sc.services.size())) +
        QStringLiteral("  ·  ") + tr("zoom %1%").arg(qRound(m_view->zoom() * 100)));
}

void MainWindow::showMessage(const QString& text) {
    if (!text.isEmpty()) {
        statusBar()->showMessage(text, 8000);
    }
}

void MainWindow::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
        retitleTabs();
        updateTitle();
        updateStatus();
    }
    QMainWindow::changeEvent(e);
}

}  // namespace cnmlab::ui

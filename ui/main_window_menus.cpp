// The main window's actions, menus and toolbar, and retranslate().
#include <QApplication>
#include <QDockWidget>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QToolButton>
#include <QUndoStack>

#include <cmath>

#include "ui/canvas_view.hpp"
#include "ui/edit_controller.hpp"
#include "ui/language.hpp"
#include "ui/live/live_panel.hpp"
#include "ui/live/live_session.hpp"
#include "ui/main_window.hpp"
#include "ui/main_window_actions.hpp"
#include "ui/node_item.hpp"
#include "ui/presentation.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/simulation_bar.hpp"
#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {

QAction* action(QObject* parent, const QString& icon, const QKeySequence& key = {}) {
    auto* a = new QAction(parent);
    if (!icon.isEmpty()) {
        Theme::setIcon(a, icon);
    }
    if (!key.isEmpty()) {
        a->setShortcut(key);
    }
    return a;
}

}  // namespace

void MainWindow::buildActions() {
    QMenuBar* bar = menuBar();
    buildFileMenu(bar);
    buildEditMenu(bar);
    buildViewMenu(bar);
    buildLiveMenu(bar);
    buildLanguageMenu(bar);
    buildHelpMenu(bar);
    buildToolbar();
    connect(m_view, &CanvasView::zoomChanged, this, &MainWindow::updateStatus);
    rebuildRecentMenu();
    retranslate();
}

void MainWindow::buildFileMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    a.newDoc = action(this, QStringLiteral("new"), QKeySequence::New);
    connect(a.newDoc, &QAction::triggered, this,
            [this] { newFromTemplate(QStringLiteral(":/templates/web-db.yaml")); });
    a.open = action(this, QStringLiteral("open"), QKeySequence::Open);
    connect(a.open, &QAction::triggered, this, &MainWindow::openDialog);
    a.save = action(this, QStringLiteral("save"), QKeySequence::Save);
    connect(a.save, &QAction::triggered, this, &MainWindow::save);
    a.saveAs = action(this, {}, QKeySequence::SaveAs);
    connect(a.saveAs, &QAction::triggered, this, &MainWindow::saveAsDialog);
    a.exportImage = action(this, QStringLiteral("export"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(a.exportImage, &QAction::triggered, this, &MainWindow::exportDialog);
    a.quit = action(this, {}, QKeySequence::Quit);
    connect(a.quit, &QAction::triggered, this, &QWidget::close);

    a.file = bar->addMenu(QString());
    a.file->addAction(a.newDoc);
    a.newFrom = a.file->addMenu(QString());
    for (const char* t : {"blank", "web-db", "two-hosts"}) {
        const QString res = QStringLiteral(":/templates/%1.yaml").arg(QLatin1String(t));
        QAction* ta = a.newFrom->addAction(QString(), this, [this, res] { newFromTemplate(res); });
        ta->setData(QLatin1String(t));
        a.templates << ta;
    }
    a.file->addAction(a.open);
    m_recentMenu = a.file->addMenu(QString());
    a.file->addSeparator();
    a.file->addAction(a.save);
    a.file->addAction(a.saveAs);
    a.file->addAction(a.exportImage);
    a.file->addSeparator();
    a.file->addAction(a.quit);
}

void MainWindow::buildEditMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    buildUndoActions();
    a.del = action(this, QStringLiteral("delete"));
    a.del->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
    a.del->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(a.del);
    connect(a.del, &QAction::triggered, this, &MainWindow::deleteSelection);
    a.selectAll = action(this, {}, QKeySequence::SelectAll);
    a.selectAll->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(a.selectAll);
    connect(a.selectAll, &QAction::triggered, this, [this] {
        for (QGraphicsItem* item : m_scene->items()) {
            if (item->type() == NodeItem::Type) {
                item->setSelected(true);
            }
        }
    });
    a.connectMode = action(this, QStringLiteral("connect"), QKeySequence(Qt::Key_C));
    a.connectMode->setCheckable(true);
    connect(a.connectMode, &QAction::toggled, this,
            [this](bool on) { m_scene->setConnectMode(on); });
    buildNudges();

    a.edit = bar->addMenu(QString());
    a.edit->addAction(a.undo);
    a.edit->addAction(a.redo);
    a.edit->addSeparator();
    a.edit->addAction(a.del);
    a.edit->addAction(a.selectAll);
    a.edit->addAction(a.connectMode);
}

void MainWindow::buildUndoActions() {
    Actions& a = *m_act;
    QUndoStack* undo = m_doc->undoStack();
    // Our own undo/redo actions (not QUndoStack::createUndoAction): their
    // "Undo %1" text is translated and follows language changes.
    a.undo = action(this, QStringLiteral("undo"), QKeySequence::Undo);
    // The status bar says what was undone: a message of the gesture undone
    // ("Connected web to back") must not stay up as if it still held.
    connect(a.undo, &QAction::triggered, this, [this, undo] {
        const QString text = undo->undoText();
        undo->undo();
        showMessage(tr("Undone: %1").arg(text));
    });
    connect(undo, &QUndoStack::canUndoChanged, a.undo, &QAction::setEnabled);
    connect(undo, &QUndoStack::undoTextChanged, this, [this] { retranslateUndo(); });
    a.undo->setEnabled(false);
    a.redo = action(this, QStringLiteral("redo"));
    a.redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    connect(a.redo, &QAction::triggered, this, [this, undo] {
        const QString text = undo->redoText();
        undo->redo();
        showMessage(tr("Redone: %1").arg(text));
    });
    connect(undo, &QUndoStack::canRedoChanged, a.redo, &QAction::setEnabled);
    connect(undo, &QUndoStack::redoTextChanged, this, [this] { retranslateUndo(); });
    a.redo->setEnabled(false);
}

void MainWindow::buildNudges() {
    // Nudging the selection with the arrow keys.
    for (auto [key, dx, dy] : {std::tuple{Qt::Key_Left, -10, 0}, std::tuple{Qt::Key_Right, 10, 0},
                               std::tuple{Qt::Key_Up, 0, -10}, std::tuple{Qt::Key_Down, 0, 10}}) {
        auto* nudge = new QAction(this);
        nudge->setShortcut(QKeySequence(key));
        nudge->setShortcutContext(Qt::WidgetShortcut);
        m_view->addAction(nudge);
        connect(nudge, &QAction::triggered, this,
                [this, dx = dx, dy = dy] { nudgeSelection(QPointF(dx, dy)); });
    }
}

void MainWindow::buildViewMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    a.zoomIn = action(this, QStringLiteral("zoom-in"), QKeySequence(Qt::CTRL | Qt::Key_Equal));
    a.zoomIn->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal),
                            QKeySequence(Qt::CTRL | Qt::Key_Plus), QKeySequence::ZoomIn});
    connect(a.zoomIn, &QAction::triggered, m_view, &CanvasView::zoomIn);
    a.zoomOut = action(this, QStringLiteral("zoom-out"), QKeySequence(Qt::CTRL | Qt::Key_Minus));
    connect(a.zoomOut, &QAction::triggered, m_view, &CanvasView::zoomOut);
    a.zoomReset = action(this, {}, QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(a.zoomReset, &QAction::triggered, m_view, &CanvasView::resetZoom);
    a.fit = action(this, QStringLiteral("fit"), QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(a.fit, &QAction::triggered, this, &MainWindow::fitToContents);
    a.arrangeBands = action(this, QStringLiteral("arrange"), QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(a.arrangeBands, &QAction::triggered, this, [this] { arrange(false); });
    a.arrangeSpring = action(this, {});
    connect(a.arrangeSpring, &QAction::triggered, this, [this] { arrange(true); });
    a.compare =
        action(this, QStringLiteral("compare"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    connect(a.compare, &QAction::triggered, this, [this] { openCompare(); });
    buildLookActions();

    a.view = bar->addMenu(QString());
    a.view->addAction(a.zoomIn);
    a.view->addAction(a.zoomOut);
    a.view->addAction(a.zoomReset);
    a.view->addAction(a.fit);
    a.arrange = a.view->addMenu(QString());
    a.arrange->addAction(a.arrangeBands);
    a.arrange->addAction(a.arrangeSpring);
    a.view->addSeparator();
    for (QDockWidget* d : {m_paletteDock, m_inspectorDock, m_lessonDock, m_eventsDock,
                           m_packetsDock, m_reachDock, m_probesDock, m_planDock, m_liveDock}) {
        a.view->addAction(d->toggleViewAction());
    }
    a.view->addSeparator();
    a.view->addAction(a.compare);
    a.view->addSeparator();
    a.view->addAction(a.dark);
    a.view->addAction(a.presentation);
}

// The View menu's dark theme and presentation mode.
void MainWindow::buildLookActions() {
    Actions& a = *m_act;
    a.dark = action(this, QStringLiteral("theme"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    a.dark->setCheckable(true);
    a.dark->setChecked(Theme::dark());
    connect(a.dark, &QAction::toggled, this, [this](bool on) {
        Theme::setDark(on);
        m_scene->update();
        m_view->resetCachedContent();
        m_scene->refresh();  // the canvas projection's colours follow the theme
    });
    a.presentation = action(this, {}, QKeySequence(Qt::Key_F5));
    a.presentation->setCheckable(true);
    connect(a.presentation, &QAction::toggled, this, &MainWindow::setPresentation);
}

void MainWindow::buildLiveMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    a.live = bar->addMenu(QString());
    a.liveToggle = m_livePanel->toggleAction();
    a.live->addAction(a.liveToggle);
    a.liveMatrix = action(this, QStringLiteral("matrix"));
    connect(a.liveMatrix, &QAction::triggered, m_live, &LiveSession::runMatrix);
    auto liveEnable = [this] {
        m_act->liveMatrix->setEnabled(m_live->state() == LiveSession::State::Up &&
                                      !m_live->stale() && !m_live->matrixRunning());
    };
    connect(m_live, &LiveSession::stateChanged, this, liveEnable);
    connect(m_live, &LiveSession::matrixChanged, this, liveEnable);
    liveEnable();
    a.live->addAction(a.liveMatrix);
}

void MainWindow::buildLanguageMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    a.language = bar->addMenu(QString());
    a.languages = new QActionGroup(this);
    a.langSystem = a.language->addAction(QString());
    a.language->addSeparator();
    a.langEn = a.language->addAction(QStringLiteral("English"));
    a.langZh = a.language->addAction(QStringLiteral("简体中文"));
    for (auto [act, code] :
         {std::pair{a.langSystem, QString()}, std::pair{a.langEn, QStringLiteral("en")},
          std::pair{a.langZh, QStringLiteral("zh")}}) {
        act->setCheckable(true);
        a.languages->addAction(act);
        connect(act, &QAction::triggered, this, [this, code = code] { setLanguage(code); });
    }
    const QString saved = QSettings().value(QStringLiteral("language")).toString();
    (saved == QLatin1String("en")   ? a.langEn
     : saved == QLatin1String("zh") ? a.langZh
                                    : a.langSystem)
        ->setChecked(true);
}

void MainWindow::buildHelpMenu(QMenuBar* bar) {
    Actions& a = *m_act;
    a.about = action(this, QStringLiteral("info"));
    connect(a.about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About cnmlab studio"),
                           tr("<h3>cnmlab studio</h3><p>Draw Docker networks, watch packets cross "
                              "each driver's data plane, and see what Docker builds in the "
                              "kernel.</p><p>Docker Engine 20.10 semantics.</p>"));
    });
    a.help = bar->addMenu(QString());
    a.help->addAction(a.about);
}

// The main toolbar (the menus' actions, built before it) and the probe bar below it.
void MainWindow::buildToolbar() {
    Actions& a = *m_act;
    a.toolbar = addToolBar(QString());
    a.toolbar->setObjectName(QStringLiteral("mainToolbar"));
    a.toolbar->setMovable(false);
    a.toolbar->setIconSize(QSize(20, 20));
    // nullptr: a separator.
    for (QAction* act : {a.newDoc, a.open, a.save, static_cast<QAction*>(nullptr), a.undo, a.redo,
                         a.del, a.connectMode, static_cast<QAction*>(nullptr), a.zoomOut, a.zoomIn,
                         a.fit, a.arrangeBands, static_cast<QAction*>(nullptr), a.exportImage,
                         a.compare, static_cast<QAction*>(nullptr), a.liveToggle}) {
        if (act == nullptr) {
            a.toolbar->addSeparator();
        } else {
            a.toolbar->addAction(act);
        }
    }
    if (auto* b = qobject_cast<QToolButton*>(a.toolbar->widgetForAction(a.liveToggle))) {
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);  // a switch people should find
    }
    addToolBarBreak();
    addToolBar(Qt::TopToolBarArea, m_simBar);
}

void MainWindow::retranslate() {
    Actions& a = *m_act;
    a.file->setTitle(tr("&File"));
    a.newFrom->setTitle(tr("New from &template"));
    a.edit->setTitle(tr("&Edit"));
    a.view->setTitle(tr("&View"));
    a.arrange->setTitle(tr("&Arrange"));
    a.help->setTitle(tr("&Help"));
    a.language->setTitle(tr("&Language"));
    a.live->setTitle(tr("Li&ve"));
    a.langSystem->setText(tr("&System language"));
    m_recentMenu->setTitle(tr("Open &recent"));
    a.toolbar->setWindowTitle(tr("Main toolbar"));
    m_paletteDock->setWindowTitle(tr("Palette"));
    m_inspectorDock->setWindowTitle(tr("Inspector"));
    m_lessonDock->setWindowTitle(tr("Lesson"));
    m_eventsDock->setWindowTitle(tr("Events"));
    m_packetsDock->setWindowTitle(tr("Packet"));
    m_reachDock->setWindowTitle(tr("Reachability"));
    m_probesDock->setWindowTitle(tr("Probes"));
    m_planDock->setWindowTitle(tr("Plan"));
    m_liveDock->setWindowTitle(tr("Live"));

    auto set = [](QAction* act, const QString& text, const QString& tip = {}) {
        act->setText(text);
        act->setToolTip(tip.isEmpty() ? QString(text).remove('&') : tip);
        if (!act->shortcut().isEmpty()) {
            act->setToolTip(act->toolTip() + QStringLiteral("  (") +
                            act->shortcut().toString(QKeySequence::NativeText) + ')');
        }
    };
    set(a.newDoc, tr("&New"), tr("New scenario from the web-and-database template"));
    set(a.open, tr("&Open…"));
    set(a.save, tr("&Save"));
    set(a.saveAs, tr("Save &as…"));
    set(a.exportImage, tr("&Export canvas…"), tr("Export the canvas as PNG or SVG"));
    set(a.quit, tr("&Quit"));
    retranslateUndo();
    set(a.del, tr("&Delete"), tr("Delete the selection"));
    set(a.selectAll, tr("Select &all"));
    set(a.connectMode, tr("&Connect mode"),
        tr("Connect mode: drag from a container to a network to connect them"));
    set(a.zoomIn, tr("Zoom &in"));
    set(a.zoomOut, tr("Zoom &out"));
    set(a.zoomReset, tr("&Actual size"));
    set(a.fit, tr("&Fit to window"));
    set(a.arrangeBands, tr("Arrange in &bands"), tr("Lay the canvas out again (hosts as bands)"));
    set(a.arrangeSpring, tr("Arrange with &springs (Kamada–Kawai)"));
    set(a.compare, tr("&Compare drivers…"),
        tr("Compare drivers: the file with its networks on bridge, macvlan, ipvlan, overlay … "
           "side by side, one ping played on two of them in step"));
    set(a.dark, tr("&Dark theme"));
    set(a.presentation, tr("&Presentation mode"),
        tr("Presentation mode: text, icons, the canvas and the host view half again as large, for "
           "a projector"));
    set(a.about, tr("&About cnmlab studio"));
    set(a.liveMatrix, tr("Send the &matrix again"),
        tr("Send every probe of the reachability matrix in the kernel again"));
    for (QAction* t : a.templates) {
        const QString k = t->data().toString();
        t->setText(k == QLatin1String("blank")    ? tr("&Blank (one host)")
                   : k == QLatin1String("web-db") ? tr("&Web, API and database (two bridges)")
                                                  : tr("&Two hosts on a LAN"));
    }
    rebuildRecentMenu();
}

void MainWindow::retranslateUndo() {
    const QUndoStack* undo = m_doc->undoStack();
    m_act->undo->setText(undo->canUndo() ? tr("&Undo %1").arg(undo->undoText()) : tr("&Undo"));
    m_act->redo->setText(undo->canRedo() ? tr("&Redo %1").arg(undo->redoText()) : tr("&Redo"));
    m_act->undo->setToolTip(QString(m_act->undo->text()).remove('&') + QStringLiteral("  (") +
                            m_act->undo->shortcut().toString(QKeySequence::NativeText) + ')');
    m_act->redo->setToolTip(QString(m_act->redo->text()).remove('&') + QStringLiteral("  (") +
                            m_act->redo->shortcut().toString(QKeySequence::NativeText) + ')');
}

void MainWindow::setLanguage(const QString& code) {
    QSettings().setValue(QStringLiteral("language"), code);
    if (!Language::set(code)) {
        showMessage(tr("The Chinese translation could not be loaded"));
    }
    QAction* act = code == QLatin1String("en")   ? m_act->langEn
                   : code == QLatin1String("zh") ? m_act->langZh
                                                 : m_act->langSystem;
    act->setChecked(true);
    m_scene->refresh();  // canvas labels come from the projection
}

bool MainWindow::presentation() const {
    return Theme::uiScale() != 1.0;
}

void MainWindow::setPresentation(bool on) {
    const double scale = on ? kPresentationScale : 1.0;
    {
        const QSignalBlocker block(m_act->presentation);
        m_act->presentation->setChecked(on);
    }
    if (scale == Theme::uiScale()) {
        return;
    }
    const double ratio = scale / Theme::uiScale();
    applyUiScale(this, scale);  // the host view refits to the new font
    m_view->zoomAroundCentre(ratio);
    // The palette's tiles grew (or shrank) with their text and icons.
    resizeDocks({m_paletteDock}, {static_cast<int>(std::lround(m_paletteDock->width() * ratio))},
                Qt::Horizontal);
    showMessage(on ? tr("Presentation mode: press F5 to leave it") : tr("Presentation mode off"));
}

void MainWindow::deleteSelection() {
    QStringList ids = m_scene->selectedIds();
    if (ids.isEmpty()) {
        return;
    }
    showMessage(m_editor->remove(ids));
}

void MainWindow::nudgeSelection(QPointF delta) {
    std::vector<NodeMove> moves;
    for (const QString& id : m_scene->selectedIds()) {
        const NodeItem* item = m_scene->nodeItem(id);
        if (item != nullptr && !item->node().layoutName.empty()) {
            moves.push_back({id, item->node().layoutName, item->pos(), item->pos() + delta});
        }
    }
    if (!moves.empty()) {
        std::vector<Edit> edits;
        for (const auto& m : moves) {
            edits.emplace_back(
                LayoutEdit{m.layoutName,
                           m_doc->position(m.layoutName)
                               ? std::optional<Position>(Position{m.before.x(), m.before.y()})
                               : std::nullopt,
                           Position{m.after.x(), m.after.y()}});
        }
        m_doc->edit(tr("Nudge"), std::move(edits), true);
    }
}

void MainWindow::arrange(bool spring) {
    m_editor->move(m_scene->arrange(spring),
                   spring ? tr("Arrange with springs") : tr("Arrange in bands"));
    fitToContents();
}

}  // namespace cnmlab::ui

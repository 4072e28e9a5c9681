#pragma once
// The main window's actions and menus, kept together so retranslate() can
// give each its text again when the language changes. Private to the window.

#include <QAction>
#include <QActionGroup>
#include <QMenu>
#include <QToolBar>

#include "ui/main_window.hpp"

namespace cnmlab::ui {

struct MainWindow::Actions {
    QMenu* file = nullptr;
    QMenu* newFrom = nullptr;
    QMenu* edit = nullptr;
    QMenu* view = nullptr;
    QMenu* arrange = nullptr;
    QMenu* simulate = nullptr;
    QMenu* live = nullptr;
    QMenu* language = nullptr;
    QMenu* help = nullptr;
    QToolBar* toolbar = nullptr;

    QAction* newDoc = nullptr;
    QAction* open = nullptr;
    QAction* save = nullptr;
    QAction* saveAs = nullptr;
    QAction* exportImage = nullptr;
    QAction* quit = nullptr;
    QAction* undo = nullptr;
    QAction* redo = nullptr;
    QAction* del = nullptr;
    QAction* selectAll = nullptr;
    QAction* connectMode = nullptr;
    QAction* zoomIn = nullptr;
    QAction* zoomOut = nullptr;
    QAction* zoomReset = nullptr;
    QAction* fit = nullptr;
    QAction* arrangeBands = nullptr;
    QAction* arrangeSpring = nullptr;
    QAction* dark = nullptr;
    QAction* presentation = nullptr;
    QAction* compare = nullptr;  // View > Compare drivers… (the Compare view)
    QAction* about = nullptr;
    QAction* liveToggle = nullptr;  // the Live panel's switch
    QAction* liveMatrix = nullptr;
    QActionGroup* languages = nullptr;
    QAction* langSystem = nullptr;
    QAction* langEn = nullptr;
    QAction* langZh = nullptr;
    QList<QAction*> templates;  // File > New from template entries
    QList<QAction*> panels;     // View > panel toggles (dock toggleViewActions)
};

}  // namespace cnmlab::ui

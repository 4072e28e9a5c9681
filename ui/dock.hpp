#pragma once
// A QDockWidget whose title bar is drawn in the dock's own font. Qt's draws
// it in the application font of the time the dock was made (QDockWidget
// keeps QApplication::font("QDockWidgetTitle") from its constructor), so
// presentation mode (presentation.hpp) would leave the Palette's title at
// the old size; the title bar's height already follows the dock's font.
// MainWindow::addDock makes every dock one of these.

#include <QDockWidget>

namespace cnmlab::ui {

class Dock : public QDockWidget {
    Q_OBJECT
public:
    explicit Dock(QWidget* parent = nullptr) : QDockWidget(parent) {}

protected:
    void paintEvent(QPaintEvent* e) override;
};

}  // namespace cnmlab::ui

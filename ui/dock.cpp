#include "ui/dock.hpp"

#include <QStyleOptionDockWidget>
#include <QStylePainter>

namespace cnmlab::ui {

void Dock::paintEvent(QPaintEvent* e) {
    if (isFloating() || titleBarWidget() != nullptr) {
        QDockWidget::paintEvent(e);  // a window's frame, or a title bar of its own
        return;
    }
    // QDockWidget::paintEvent for a docked dock, without its saved font.
    QStylePainter p(this);
    QStyleOptionDockWidget title;
    initStyleOption(&title);
    p.drawControl(QStyle::CE_DockWidgetTitle, title);
}

}  // namespace cnmlab::ui

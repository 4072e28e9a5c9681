// The main window's Live switch: the Live session and panel, the matrix shown
// by agreement in the Reachability panel, errors in a dialog, and closing that
// waits until the topology is down.
#include <QCloseEvent>
#include <QDockWidget>
#include <QMessageBox>

#include "ui/live/live_panel.hpp"
#include "ui/live/live_session.hpp"
#include "ui/main_window.hpp"
#include "ui/sim/reach_panel.hpp"

namespace cnmlab::ui {

void MainWindow::buildLive() {
    m_live = new LiveSession(m_doc, this);
    m_livePanel = new LivePanel(m_doc, m_live, this);
    m_liveDock = addDock(m_livePanel, Qt::BottomDockWidgetArea, QStringLiteral("liveDock"));
    tabifyDockWidget(m_eventsDock, m_liveDock);
    m_eventsDock->raise();

    connect(m_live, &LiveSession::message, this, &MainWindow::showMessage);
    connect(m_live, &LiveSession::failed, this, [this](const QString& title, const QString& text) {
        showMessage(title);
        // Window-modal but not blocking: the UI thread never waits.
        auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    connect(m_live, &LiveSession::stateChanged, this, [this](LiveSession::State s) {
        if (s == LiveSession::State::GoingUp) {
            m_liveMatrixPending = true;
            raisePanel(m_livePanel);
        } else if (s == LiveSession::State::Off && m_closing) {
            // Queued: switching off may end at once (a consent still asked
            // for), inside the close event that asked for it.
            QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
        }
    });
    connect(m_live, &LiveSession::matrixChanged, this, [this] {
        const LiveMatrix* m = m_live->matrix();
        const bool shown = m != nullptr && m->error.isEmpty();
        m_reach->showLive(shown ? m->reach.get() : nullptr, shown ? &m->kernel : nullptr);
        if (shown && m_liveMatrixPending) {
            m_liveMatrixPending = false;
            raisePanel(m_reach);
        }
    });
    connect(m_livePanel, &LivePanel::showMatrixRequested, this, [this] { raisePanel(m_reach); });
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!m_closing && !maybeSave()) {
        e->ignore();
        return;
    }
    if (m_live->state() != LiveSession::State::Off) {
        // Take the topology down first, then close (stateChanged calls close() again).
        m_closing = true;
        showMessage(tr("Switching Live off before closing…"));
        m_live->switchOff();
        e->ignore();
        return;
    }
    e->accept();
}

}  // namespace cnmlab::ui

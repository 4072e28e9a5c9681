#pragma once
// The simulation toolbar above the canvas: choose a source, a destination and
// a protocol (or one of the file's x-probes), send it, and drive the playback
// (to start, step back, play/pause, step forward, speed). The verdict of the
// probe being played is shown at the end of the bar (cut to the room there
// is, whole in its tooltip: verdict_label.hpp).

#include <QStringList>
#include <QToolBar>

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace cnmlab::ui {

class ScenarioDocument;
class SimulationController;
class VerdictLabel;

class SimulationBar : public QToolBar {
    Q_OBJECT
public:
    SimulationBar(ScenarioDocument* doc, SimulationController* sim, QWidget* parent = nullptr);

    // Fills the fields and sends (used by the screenshot's --simulate too).
    QString send(const QString& from, const QString& to,
                 const QString& proto = QStringLiteral("icmp"), int port = 0);

    // The chosen source; choosing one (the canvas's context menu does).
    QString source() const;
    void setSource(const QString& name);

signals:
    void message(const QString& text);

protected:
    void changeEvent(QEvent* e) override;

private:
    void refill();
    void retranslate();
    void sendCurrent();
    void pickXProbe(int index);
    void updateTransport();
    // The verdict of the probe being played, in the current language.
    void renderVerdict();
    // Shows the request of the probe being played in the fields.
    void showRequest();

    ScenarioDocument* m_doc;
    SimulationController* m_sim;
    QLabel* m_fromLabel = nullptr;
    QComboBox* m_from = nullptr;
    QComboBox* m_to = nullptr;
    QComboBox* m_proto = nullptr;
    QSpinBox* m_port = nullptr;
    QToolButton* m_send = nullptr;
    QComboBox* m_xprobes = nullptr;
    QStringList m_machines;  // what the from/to lists were filled with (refill())
    QAction* m_toStart = nullptr;
    QAction* m_back = nullptr;
    QAction* m_play = nullptr;
    QAction* m_forward = nullptr;
    QComboBox* m_speed = nullptr;
    QLabel* m_hop = nullptr;
    VerdictLabel* m_verdict = nullptr;
};

}  // namespace cnmlab::ui

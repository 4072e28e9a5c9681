#pragma once
// The event list panel: the hops of the probe being played, in step with the
// animation (it scrolls to the hop the packet has reached). Clicking a row
// emits packetSelected with that hop; the main window seeks the playback and
// shows the packet in the inspector. Above the hops, a line says how the
// probe played ended and why — also when it never left its sender (no hops).

#include <QWidget>

class QLabel;
class QTableView;

namespace cnmlab::ui {

class EventListModel;
class Playback;

class EventsPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventsPanel(Playback* playback, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    EventListModel* model() const { return m_model; }
    // The line above the hops: "sealed → web icmp: unreachable — <why>"
    // (hidden when no probe is loaded).
    QLabel* ending() const { return m_ending; }

signals:
    void packetSelected(int hop);

protected:
    void changeEvent(QEvent* e) override;

private:
    void follow(int hop);
    void showLoaded();

    Playback* m_playback;
    EventListModel* m_model;
    QTableView* m_table;
    QLabel* m_empty;
    QLabel* m_ending;
};

}  // namespace cnmlab::ui

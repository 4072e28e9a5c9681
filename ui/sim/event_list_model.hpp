#pragma once
// The event list: one row per hop of the probe being played (time, node,
// device, action, explanation in the studio's language), in step with the
// animation: the hop the packet has reached is emphasised and the hops still
// ahead are dimmed. Strings are built when a row is shown.

#include <QAbstractTableModel>

namespace cnmlab::ui {

class Playback;

class EventListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Time, Node, Device, Action, Explain, ColumnCount };

    explicit EventListModel(Playback* playback, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // After a language change: explanations and headers again.
    void retranslate();

private:
    void onHop(int hop);

    Playback* m_playback;
    int m_current = -1;
};

}  // namespace cnmlab::ui

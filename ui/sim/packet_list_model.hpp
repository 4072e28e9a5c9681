#pragma once
// The packet list of the inspector, as Wireshark's: one light record per hop
// that carries a frame (No., time, where, source, destination, protocol,
// length, info). Column strings are built the first time a row is shown and
// cached, so a trace of thousands of hops costs nothing until scrolled.

#include <QAbstractTableModel>

#include <array>
#include <optional>
#include <vector>

namespace cnmlab::ui {

class Playback;

class PacketListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { No, Time, Where, Source, Destination, Protocol, Length, Info, ColumnCount };

    explicit PacketListModel(Playback* playback, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

    // Hop index of a row, and the row showing a hop (or the last row before it).
    int hopOfRow(int row) const;
    int rowOfHop(int hop) const;
    void retranslate();

private:
    using Row = std::array<QString, ColumnCount>;
    const Row& row(int r) const;

    Playback* m_playback;
    std::vector<int> m_hops;                         // rows -> hop index
    mutable std::vector<std::optional<Row>> m_rows;  // built lazily
};

}  // namespace cnmlab::ui

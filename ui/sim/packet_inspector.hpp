#pragma once
// The packet inspector, as Wireshark's three panes: the packet list (the
// frames of the probe being played), the details tree of the selected frame
// (packet::describe: layers and their fields) and its bytes (packet::serialize) in
// hex. It emits packetSelected when a packet is chosen in its list and
// fieldSelected when a field is chosen in its tree; the main window routes
// them back to showPacket() and highlightField() (and the event list), so the
// list, the tree, the bytes and the animation stay on the same packet.

#include <QWidget>

#include <cstddef>
#include <vector>

#include "packet/packet_codec.hpp"

class QTableView;
class QTreeWidget;
class QTreeWidgetItem;

namespace cnmlab::ui {

class HexView;
class PacketListModel;
class Playback;

class PacketInspector : public QWidget {
    Q_OBJECT
public:
    explicit PacketInspector(Playback* playback, QWidget* parent = nullptr);

    QTableView* list() const { return m_list; }
    QTreeWidget* details() const { return m_details; }
    HexView* hex() const { return m_hex; }
    int currentHop() const { return m_hop; }

public slots:
    // Shows the frame of hop `hop` (or of the last packet before it).
    void showPacket(int hop);
    void highlightField(std::size_t offset, std::size_t length);

signals:
    void packetSelected(int hop);
    void fieldSelected(std::size_t offset, std::size_t length);

protected:
    void changeEvent(QEvent* e) override;

private:
    void selectFieldAt(std::size_t offset);

    Playback* m_playback;
    PacketListModel* m_model;
    QTableView* m_list;
    QTreeWidget* m_details;
    HexView* m_hex;
    std::vector<packet::Field> m_fields;
    int m_hop = -1;
    bool m_updating = false;
};

}  // namespace cnmlab::ui

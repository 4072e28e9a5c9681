#pragma once
// One kernel object of a host diagram (host_diagram.hpp): a namespace box, an
// interface, a veth end, a bridge bar, the host's kernel, its uplink, or the
// world outside. It holds a copy of its DiagramDevice for painting only and is
// placed in scene coordinates (the item sits at 0,0). The packet's path marks
// it: Trail for devices the packet has crossed, Current for where it is.

#include <QGraphicsItem>

#include "ui/host/host_diagram.hpp"

namespace cnmlab::ui {

class DeviceItem : public QGraphicsItem {
public:
    explicit DeviceItem(DiagramDevice device);

    enum { Type = UserType + 20 };
    int type() const override { return Type; }

    enum class Mark { None, Trail, Current };
    const DiagramDevice& device() const { return m_device; }
    const QString& id() const { return m_device.id; }
    Mark mark() const { return m_mark; }
    void setMark(Mark mark);

    QRectF boundingRect() const override;
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

private:
    void paintBox(QPainter* p) const;
    void paintChip(QPainter* p) const;
    void paintBar(QPainter* p) const;

    DiagramDevice m_device;
    Mark m_mark = Mark::None;
};

}  // namespace cnmlab::ui

#pragma once
// The inspector's bytes pane: offset, 16 bytes in hex, and their ASCII, as
// Wireshark shows them. highlight(offset, length) marks a field's bytes (the
// details tree calls it through the main window); clicking a byte emits
// byteClicked so the tree can select the field that holds it.

#include <QAbstractScrollArea>

#include <cstdint>
#include <vector>

namespace cnmlab::ui {

class HexView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit HexView(QWidget* parent = nullptr);

    void setBytes(std::vector<std::uint8_t> bytes);
    void highlight(std::size_t offset, std::size_t length);
    const std::vector<std::uint8_t>& bytes() const { return m_bytes; }
    std::pair<std::size_t, std::size_t> highlighted() const { return {m_hlOffset, m_hlLength}; }
    QSize sizeHint() const override;

signals:
    void byteClicked(std::size_t offset);

protected:
    void paintEvent(QPaintEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void updateScroll();
    int lineHeight() const;
    double charWidth() const;

    std::vector<std::uint8_t> m_bytes;
    std::size_t m_hlOffset = 0;
    std::size_t m_hlLength = 0;
};

}  // namespace cnmlab::ui

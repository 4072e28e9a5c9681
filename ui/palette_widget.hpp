#pragma once
// The palette: tiles for what can be added to the canvas (a Docker host,
// networks of each driver, a container, a laptop on the LAN, a machine on the
// internet). Drag a tile onto the canvas to place it there (mime type
// application/x-cnmlab-palette, the tile's id), or click it to add it in the
// middle of the view. It knows nothing of the document.

#include <QWidget>

#include <vector>

class QLabel;
class QToolButton;

namespace cnmlab::ui {

class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

    // Ids: "host", "network:bridge", "network:macvlan", "network:ipvlan",
    // "network:overlay", "container", "external:lan", "external:internet".
    static QStringList ids();

signals:
    void activated(const QString& id);

protected:
    void changeEvent(QEvent* e) override;

private:
    void retranslate();

    std::vector<QToolButton*> m_tiles;
    std::vector<QLabel*> m_headers;
};

}  // namespace cnmlab::ui

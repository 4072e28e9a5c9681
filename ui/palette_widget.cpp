#include "ui/palette_widget.hpp"

#include <QApplication>
#include <QDrag>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QPainter>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

constexpr const char* kMime = "application/x-cnmlab-palette";

// A tile that starts a drag after the usual distance, and clicks otherwise.
class PaletteTile : public QToolButton {
public:
    PaletteTile(QString id, QWidget* parent) : QToolButton(parent), m_id(std::move(id)) {
        setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
        setIconSize(QSize(26, 26));
        setAutoRaise(true);
        setMinimumSize(74, 58);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        setCursor(Qt::OpenHandCursor);
        setProperty("paletteId", m_id);
    }

protected:
    void mousePressEvent(QMouseEvent* e) override {
        if (e->button() == Qt::LeftButton) {
            m_pressAt = e->position().toPoint();
        }
        QToolButton::mousePressEvent(e);
    }
    void mouseMoveEvent(QMouseEvent* e) override {
        if (!(e->buttons() & Qt::LeftButton) ||
            (e->position().toPoint() - m_pressAt).manhattanLength() <
                QApplication::startDragDistance()) {
            QToolButton::mouseMoveEvent(e);
            return;
        }
        setDown(false);
        auto* mime = new QMimeData;
        mime->setData(kMime, m_id.toUtf8());
        auto* drag = new QDrag(this);
        drag->setMimeData(mime);
        drag->setPixmap(icon().pixmap(QSize(32, 32), devicePixelRatio()));
        drag->setHotSpot(QPoint(16, 16));
        drag->exec(Qt::CopyAction);
    }

private:
    QString m_id;
    QPoint m_pressAt;
};

QIcon tileIcon(const QString& id) {
    QString path = QStringLiteral(":/icons/container.svg");
    QColor color = Theme::colors().selection;
    if (id == QLatin1String("host")) {
        path = QStringLiteral(":/icons/host.svg");
        color = Theme::colors().lan;
    } else if (id.startsWith(QLatin1String("network:"))) {
        path = Theme::driverIcon(id.mid(8));
        color = Theme::driverColor(id.mid(8));
    } else if (id == QLatin1String("external:lan")) {
        path = QStringLiteral(":/icons/laptop.svg");
        color = Theme::colors().ok;
    } else if (id == QLatin1String("external:internet")) {
        path = QStringLiteral(":/icons/internet.svg");
        color = Theme::colors().ok;
    }
    QIcon icon;
    for (int px : {24, 26, 32}) {
        icon.addPixmap(Theme::tinted(path, color, px));
    }
    return icon;
}

}  // namespace

// Only what cnmlab can run (a tile whose network is then refused would teach
// the wrong thing).
QStringList PaletteWidget::ids() {
    return {QStringLiteral("container"),       QStringLiteral("network:bridge"),
            QStringLiteral("network:macvlan"), QStringLiteral("network:ipvlan"),
            QStringLiteral("network:overlay"), QStringLiteral("host"),
            QStringLiteral("external:lan"),    QStringLiteral("external:internet")};
}

PaletteWidget::PaletteWidget(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 8);
    outer->setSpacing(4);
    const std::vector<std::pair<int, QStringList>> sections = {
        {0, {QStringLiteral("container")}},
        {1,
         {QStringLiteral("network:bridge"), QStringLiteral("network:macvlan"),
          QStringLiteral("network:ipvlan"), QStringLiteral("network:overlay")}},
        {2,
         {QStringLiteral("host"), QStringLiteral("external:lan"),
          QStringLiteral("external:internet")}},
    };
    for (const auto& [section, ids] : sections) {
        auto* header = new QLabel(this);
        header->setObjectName(QStringLiteral("sectionTitle"));
        header->setProperty("section", section);
        m_headers.push_back(header);
        outer->addWidget(header);
        auto* grid = new QGridLayout;
        grid->setSpacing(4);
        int i = 0;
        for (const QString& id : ids) {
            auto* tile = new PaletteTile(id, this);
            tile->setIcon(tileIcon(id));
            connect(tile, &QToolButton::clicked, this, [this, id] { emit activated(id); });
            grid->addWidget(tile, i, 0);
            m_tiles.push_back(tile);
            ++i;
        }
        outer->addLayout(grid);
    }
    outer->addStretch(1);
    retranslate();
}

void PaletteWidget::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (e->type() == QEvent::PaletteChange) {
        for (QToolButton* t : m_tiles) {
            t->setIcon(tileIcon(t->property("paletteId").toString()));
        }
    }
    QWidget::changeEvent(e);
}

void PaletteWidget::retranslate() {
    for (QLabel* h : m_headers) {
        const int s = h->property("section").toInt();
        h->setText(s == 0 ? tr("Add") : s == 1 ? tr("Networks") : tr("Machines"));
        h->setAlignment(Qt::AlignHCenter);
    }
    for (QToolButton* t : m_tiles) {
        const QString id = t->property("paletteId").toString();
        QString text;
        QString tip;
        if (id == QLatin1String("container")) {
            text = tr("Container");
            tip = tr("A Compose service: one container with its own network namespace");
        } else if (id == QLatin1String("host")) {
            text = tr("Docker host");
            tip = tr("Another machine running dockerd, on the same LAN");
        } else if (id == QLatin1String("external:lan")) {
            text = tr("Laptop");
            tip = tr("A machine on the hosts' LAN that is not a Docker host");
        } else if (id == QLatin1String("external:internet")) {
            text = tr("Internet");
            tip = tr("An address beyond the LAN's router");
        } else {
            const QString driver = id.mid(8);
            text = driver;
            if (driver == QLatin1String("bridge")) {
                tip = tr("bridge: a Linux bridge on one host, NAT to the outside");
            } else if (driver == QLatin1String("macvlan")) {
                tip = tr("macvlan: containers appear on the LAN with their own MAC");
            } else if (driver == QLatin1String("overlay")) {
                tip = tr("overlay: one network across the hosts (a swarm), VXLAN between them");
            } else {
                tip = tr("ipvlan: containers share the parent's MAC, own IP addresses");
            }
        }
        t->setText(text);
        t->setToolTip(tip + QStringLiteral("\n") + tr("Drag onto the canvas, or click to add"));
    }
    setToolTip(tr("Drag a tile onto the canvas. To connect a container to a network, drag from the "
                  "dot under the container (or Shift+drag) onto the network."));
}

}  // namespace cnmlab::ui

#include "ui/theme.hpp"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QHash>
#include <QPainter>
#include <QPalette>
#include <QStyleFactory>
#include <QSvgRenderer>

namespace cnmlab::ui {

namespace {

bool g_dark = false;
double g_uiScale = 1.0;

ThemeColors lightColors() {
    ThemeColors c;
    c.canvas = QColor(0xf6, 0xf7, 0xf9);
    c.grid = QColor(0xdd, 0xe1, 0xe7);
    c.frameFill = QColor(0xff, 0xff, 0xff, 0xd8);
    c.frameBorder = QColor(0xc3, 0xcb, 0xd6);
    c.cardFill = QColor(0xff, 0xff, 0xff);
    c.cardBorder = QColor(0xcb, 0xd2, 0xdc);
    c.text = QColor(0x1f, 0x29, 0x37);
    c.subtext = QColor(0x5b, 0x67, 0x78);
    c.labelFill = QColor(0xff, 0xff, 0xff, 0xf0);
    c.lan = QColor(0x47, 0x55, 0x69);
    c.selection = QColor(0x25, 0x63, 0xeb);
    c.error = QColor(0xdc, 0x26, 0x26);
    c.ok = QColor(0x16, 0xa3, 0x4a);
    c.token = QColor(0xf5, 0x9e, 0x0b);
    c.highlight = QColor(0xf5, 0x9e, 0x0b);
    return c;
}

ThemeColors darkColors() {
    ThemeColors c;
    c.canvas = QColor(0x17, 0x1b, 0x22);
    c.grid = QColor(0x2a, 0x31, 0x3c);
    c.frameFill = QColor(0x1f, 0x25, 0x2e, 0xe0);
    c.frameBorder = QColor(0x3b, 0x45, 0x54);
    c.cardFill = QColor(0x26, 0x2d, 0x38);
    c.cardBorder = QColor(0x45, 0x50, 0x60);
    c.text = QColor(0xe5, 0xe9, 0xf0);
    c.subtext = QColor(0x9a, 0xa5, 0xb5);
    c.labelFill = QColor(0x1f, 0x25, 0x2e, 0xf0);
    c.lan = QColor(0x94, 0xa3, 0xb8);
    c.selection = QColor(0x60, 0xa5, 0xfa);
    c.error = QColor(0xf8, 0x71, 0x71);
    c.ok = QColor(0x4a, 0xde, 0x80);
    c.token = QColor(0xfb, 0xbf, 0x24);
    c.highlight = QColor(0xfb, 0xbf, 0x24);
    return c;
}

QPalette makePalette(bool dark) {
    const ThemeColors c = dark ? darkColors() : lightColors();
    QPalette p;
    const QColor window = dark ? QColor(0x1e, 0x23, 0x2b) : QColor(0xee, 0xf0, 0xf3);
    const QColor base = dark ? QColor(0x16, 0x1a, 0x20) : QColor(0xff, 0xff, 0xff);
    const QColor alt = dark ? QColor(0x1c, 0x21, 0x29) : QColor(0xf6, 0xf7, 0xf9);
    const QColor button = dark ? QColor(0x2a, 0x31, 0x3b) : QColor(0xf8, 0xf9, 0xfb);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, c.text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alt);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, c.text);
    p.setColor(QPalette::PlaceholderText, c.subtext);
    p.setColor(QPalette::Text, c.text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, c.text);
    p.setColor(QPalette::BrightText, c.error);
    p.setColor(QPalette::Highlight, c.selection);
    p.setColor(QPalette::HighlightedText, QColor(Qt::white));
    p.setColor(QPalette::Link, c.selection);
    p.setColor(QPalette::Mid, c.cardBorder);
    p.setColor(QPalette::Dark, dark ? QColor(0x10, 0x13, 0x18) : QColor(0xa0, 0xa8, 0xb4));
    p.setColor(QPalette::Light, dark ? QColor(0x3a, 0x42, 0x4e) : QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Disabled, QPalette::Text, c.subtext);
    p.setColor(QPalette::Disabled, QPalette::WindowText, c.subtext);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, c.subtext);
    return p;
}

QString styleSheet(bool dark) {
    const ThemeColors c = dark ? darkColors() : lightColors();
    const QString border = c.cardBorder.name();
    const QString sub = c.subtext.name();
    const QString accent = c.selection.name();
    const QString hover = dark ? "#323a46" : "#e3e8ef";
    return QStringLiteral(
               "QToolBar { border: none; spacing: 2px; padding: 3px 6px; }"
               "QToolBar QToolButton { border-radius: 5px; padding: 4px; }"
               "QToolButton:hover { background: %4; }"
               "QToolButton:checked { background: %4; }"
               "QDockWidget { titlebar-close-icon: none; }"
               "QDockWidget::title { padding: 6px 8px; font-weight: 600; }"
               "QTabWidget::pane { border: 1px solid %1; border-radius: 4px; top: -1px; }"
               "QTabBar::tab { padding: 5px 12px; border: none; color: %2; }"
               "QTabBar::tab:selected { color: palette(text); border-bottom: 2px solid %3; }"
               "QHeaderView::section { padding: 4px 6px; border: none;"
               "  border-bottom: 1px solid %1; font-weight: 600; }"
               "QStatusBar { border-top: 1px solid %1; }"
               "QLabel#sectionTitle { font-weight: 600; color: %2; padding-top: 6px; }"
               "QLabel#inlineError { color: %5; }"
               "QLabel#banner { padding: 6px 10px; border-radius: 4px; }"
               "QGroupBox { font-weight: 600; border: 1px solid %1; border-radius: 6px;"
               "  margin-top: 10px; padding-top: 6px; }"
               "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }")
        .arg(border, sub, accent, hover, c.error.name());
}

}  // namespace

bool Theme::dark() {
    return g_dark;
}

void Theme::setDark(bool dark) {
    g_dark = dark;
    apply();
}

const ThemeColors& Theme::colors() {
    static const ThemeColors light = lightColors();
    static const ThemeColors darkC = darkColors();
    return g_dark ? darkC : light;
}

QColor Theme::driverColor(const QString& driver) {
    if (driver == QLatin1String("bridge")) {
        return g_dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x25, 0x63, 0xeb);
    }
    if (driver == QLatin1String("overlay")) {
        return g_dark ? QColor(0xa7, 0x8b, 0xfa) : QColor(0x7c, 0x3a, 0xed);
    }
    if (driver == QLatin1String("macvlan")) {
        return g_dark ? QColor(0x2d, 0xd4, 0xbf) : QColor(0x0d, 0x94, 0x88);
    }
    if (driver == QLatin1String("ipvlan")) {
        return g_dark ? QColor(0xfb, 0x92, 0x3c) : QColor(0xea, 0x58, 0x0c);
    }
    if (driver == QLatin1String("host")) {
        return g_dark ? QColor(0x94, 0xa3, 0xb8) : QColor(0x47, 0x55, 0x69);
    }
    if (driver == QLatin1String("null") || driver == QLatin1String("none")) {
        return g_dark ? QColor(0x64, 0x74, 0x8b) : QColor(0x94, 0xa3, 0xb8);
    }
    return g_dark ? QColor(0xf4, 0x72, 0xb6) : QColor(0xdb, 0x27, 0x77);  // plugins
}

QString Theme::driverIcon(const QString& driver) {
    static const QStringList known{"bridge", "overlay", "macvlan", "ipvlan", "host"};
    if (known.contains(driver)) {
        return QStringLiteral(":/icons/net-%1.svg").arg(driver);
    }
    if (driver == QLatin1String("null") || driver == QLatin1String("none")) {
        return QStringLiteral(":/icons/net-none.svg");
    }
    return QStringLiteral(":/icons/net-plugin.svg");
}

QString Theme::driverLabel(const QString& driver) {
    return driver == QLatin1String("null") ? QStringLiteral("null (none)") : driver;
}

QPixmap Theme::tinted(const QString& path, const QColor& color, int px, qreal dpr) {
    static QHash<QString, QPixmap> cache;
    const QString key =
        QStringLiteral("%1|%2|%3|%4").arg(path, color.name(QColor::HexArgb)).arg(px).arg(dpr);
    auto it = cache.constFind(key);
    if (it != cache.constEnd()) {
        return *it;
    }
    const int side = qRound(px * dpr);
    QImage img(side, side, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    {
        QSvgRenderer svg(path);
        QPainter p(&img);
        p.setRenderHint(QPainter::Antialiasing);
        svg.render(&p);
        p.setCompositionMode(QPainter::CompositionMode_SourceIn);
        p.fillRect(img.rect(), color);
    }
    QPixmap pm = QPixmap::fromImage(img);
    pm.setDevicePixelRatio(dpr);
    cache.insert(key, pm);
    return pm;
}

QIcon Theme::icon(const QString& name) {
    const QString path = QStringLiteral(":/icons/%1.svg").arg(name);
    QIcon icon;
    for (int px : {16, 20, 24, 32}) {
        icon.addPixmap(tinted(path, colors().text, px), QIcon::Normal);
        QColor off = colors().subtext;
        off.setAlpha(120);
        icon.addPixmap(tinted(path, off, px), QIcon::Disabled);
    }
    return icon;
}

void Theme::setIcon(QObject* target, const QString& name) {
    target->setProperty("themeIcon", name);
    if (auto* a = qobject_cast<QAction*>(target)) {
        a->setIcon(icon(name));
    } else if (auto* b = qobject_cast<QAbstractButton*>(target)) {
        b->setIcon(icon(name));
    }
}

void Theme::refreshIcons(QObject* root) {
    for (QObject* o : root->findChildren<QObject*>()) {
        const QString name = o->property("themeIcon").toString();
        if (!name.isEmpty()) {
            setIcon(o, name);
        }
    }
}

QFont Theme::pixelFont(int px, bool bold) {
    QFont f = uiFont(10, bold);
    f.setPixelSize(px);
    return f;
}

QColor Theme::mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t),
                            static_cast<float>(a.alphaF() * (1 - t) + b.alphaF() * t));
}

QFont Theme::uiFont(qreal pointSize, bool bold) {
    QFont f;
    f.setFamilies({QStringLiteral("Inter"), QStringLiteral("Noto Sans"),
                   QStringLiteral("Noto Sans CJK SC"), QStringLiteral("DejaVu Sans")});
    f.setPointSizeF(pointSize);
    f.setWeight(bold ? QFont::DemiBold : QFont::Normal);
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

QFont Theme::monoFont(qreal pointSize) {
    QFont f;
    f.setFamilies({QStringLiteral("JetBrains Mono"), QStringLiteral("DejaVu Sans Mono"),
                   QStringLiteral("Noto Sans Mono CJK SC"), QStringLiteral("monospace")});
    f.setStyleHint(QFont::Monospace);
    f.setPointSizeF(pointSize);
    return f;
}

double Theme::uiScale() {
    return g_uiScale;
}

void Theme::setUiScale(double scale) {
    g_uiScale = scale;
    QApplication::setFont(uiFont(10 * g_uiScale));
}

void Theme::apply() {
    if (QStyleFactory::keys().contains(QStringLiteral("Fusion"))) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }
    QApplication::setFont(uiFont(10 * g_uiScale));
    QApplication::setPalette(makePalette(g_dark));
    qApp->setStyleSheet(styleSheet(g_dark));
}

}  // namespace cnmlab::ui

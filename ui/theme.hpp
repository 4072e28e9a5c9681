#pragma once
// Colours, fonts and icons of the studio, for a light and a dark palette.
// One colour per network driver is the visual key of the whole app (canvas,
// palette, inspector, matrix). Icons are monochrome SVGs (assets/icons,
// compiled in as :/icons/NAME.svg) tinted at draw time; tinted pixmaps are
// cached per (icon, colour, size), so painting 1000 items costs no SVG parsing.

#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPixmap>
#include <QString>

namespace cnmlab::ui {

struct ThemeColors {
    QColor canvas;     // scene background
    QColor grid;       // dot grid
    QColor frameFill;  // host frames
    QColor frameBorder;
    QColor cardFill;  // containers, externals
    QColor cardBorder;
    QColor text;
    QColor subtext;
    QColor labelFill;  // edge label plates
    QColor lan;
    QColor selection;
    QColor error;
    QColor ok;
    QColor token;
    QColor highlight;  // lesson highlights
};

class Theme {
public:
    static bool dark();
    // Switches the app's QPalette and style sheet; emits nothing (callers refresh).
    static void setDark(bool dark);
    static const ThemeColors& colors();

    static QColor driverColor(const QString& driver);
    static QString driverIcon(const QString& driver);   // ":/icons/net-bridge.svg" ...
    static QString driverLabel(const QString& driver);  // "bridge", "null (none)", ...

    // A monochrome icon tinted with `color`, `px` device-independent pixels
    // square, at the screen's device pixel ratio. Cached.
    static QPixmap tinted(const QString& path, const QColor& color, int px, qreal dpr = 2.0);
    // An action/tool icon in the palette's text colour (and a disabled shade).
    static QIcon icon(const QString& name);
    // Sets an action's or button's icon and remembers its name, so that
    // refreshIcons() can tint it again after a theme change.
    static void setIcon(QObject* actionOrButton, const QString& name);
    static void refreshIcons(QObject* root);

    static QFont uiFont(qreal pointSize = 10, bool bold = false);
    // The UI font at `px` pixels, for items drawn at a fixed scene size.
    static QFont pixelFont(int px, bool bold = false);
    // `a` blended towards `b` by `t` (0..1), alpha included.
    static QColor mix(const QColor& a, const QColor& b, double t);
    static QFont monoFont(qreal pointSize = 9.5);
    // The scale of the studio's widgets: 1, or 1.5 in presentation mode
    // (presentation.hpp). setUiScale() sets the application's font to it;
    // fonts code sets on widgets and items multiply their size by uiScale()
    // when made, and presentation.hpp scales the ones already set.
    static double uiScale();
    static void setUiScale(double scale);
    // Applies fonts, palette and style sheet to the application.
    static void apply();
};

}  // namespace cnmlab::ui

#include "ui/presentation.hpp"

#include <QAbstractButton>
#include <QHeaderView>
#include <QStyle>
#include <QToolBar>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ui/theme.hpp"

namespace cnmlab::ui {

namespace {

QFont scaled(QFont f, double ratio) {
    if (f.pixelSize() > 0) {
        f.setPixelSize(std::max(1, static_cast<int>(std::lround(f.pixelSize() * ratio))));
    } else {
        f.setPointSizeF(f.pointSizeF() * ratio);
    }
    return f;
}

int scaled(int size, double ratio) {
    return static_cast<int>(std::lround(size * ratio));
}

void scaleHeader(QHeaderView* h, double ratio) {
    // setDefaultSectionSize() resizes every section: keep the columns' own widths.
    std::vector<int> sizes;
    for (int i = 0; i < h->count(); ++i) {
        sizes.push_back(h->sectionSize(i));
    }
    h->setDefaultSectionSize(scaled(h->defaultSectionSize(), ratio));
    if (h->orientation() == Qt::Vertical) {
        return;  // rows: all of the default height
    }
    for (int i = 0; i < h->count(); ++i) {
        const auto mode = h->sectionResizeMode(i);
        const bool last = h->stretchLastSection() && i == h->count() - 1;
        if ((mode == QHeaderView::Interactive || mode == QHeaderView::Fixed) && !last) {
            h->resizeSection(i, scaled(sizes[static_cast<std::size_t>(i)], ratio));
        }
    }
}

void scaleItems(QTreeWidget* tree, double ratio) {
    for (QTreeWidgetItemIterator it(tree); *it != nullptr; ++it) {
        for (int c = 0; c < tree->columnCount(); ++c) {
            const QVariant v = (*it)->data(c, Qt::FontRole);
            if (!v.isValid()) {
                continue;
            }
            const QFont f = v.value<QFont>();
            if ((f.resolveMask() & QFont::SizeResolved) !=
                0) {  // a bold-only font follows the tree's
                (*it)->setFont(c, scaled(f, ratio));
            }
        }
    }
}

// Fonts set on widgets (and the one a style sheet restores when it
// unpolishes a widget, as a theme change does: Qt's property of the widget)
// and on tree items. Before the application's font changes: a font set with
// only some of its attributes takes the rest from it at the time.
void scaleFonts(const QList<QWidget*>& widgets, double ratio) {
    static const char* const kStyleSheetFont = "_q_styleSheetWidgetFont";
    for (QWidget* w : widgets) {
        if (w->testAttribute(Qt::WA_SetFont)) {
            w->setFont(scaled(w->font(), ratio));
        }
        if (const QVariant saved = w->property(kStyleSheetFont); saved.isValid()) {
            const QFont f = saved.value<QFont>();
            if ((f.resolveMask() & QFont::SizeResolved) != 0) {
                w->setProperty(kStyleSheetFont, scaled(f, ratio));
            }
        }
        if (auto* t = qobject_cast<QTreeWidget*>(w)) {
            scaleItems(t, ratio);
        }
    }
}

// The application style sheet (theme.cpp) keeps Qt from passing a new
// application font on to widgets without a style sheet of their own: each is
// polished again, parents first, which resolves its font from its parent's.
void followApplicationFont(const QList<QWidget*>& widgets) {
    for (QWidget* w : widgets) {
        if (w->testAttribute(Qt::WA_StyleSheet)) {
            w->style()->polish(w);
        }
    }
}

// Rows, columns and icons. After the fonts: a header keeps its sections at
// least as tall as its font.
void scaleSizes(const QList<QWidget*>& widgets, double ratio) {
    for (QWidget* w : widgets) {
        if (auto* h = qobject_cast<QHeaderView*>(w)) {
            scaleHeader(h, ratio);
        } else if (auto* b = qobject_cast<QAbstractButton*>(w)) {
            b->setIconSize(b->iconSize() * ratio);
        }
    }
    // After the buttons: a tool bar sets its buttons' icon size to its own.
    for (QWidget* w : widgets) {
        if (auto* bar = qobject_cast<QToolBar*>(w)) {
            bar->setIconSize(bar->iconSize() * ratio);
        }
    }
}

}  // namespace

void applyUiScale(QWidget* root, double scale) {
    const double ratio = scale / Theme::uiScale();
    if (ratio == 1.0) {
        return;
    }
    QList<QWidget*> widgets = root->findChildren<QWidget*>();  // parents before their children
    widgets.prepend(root);
    scaleFonts(widgets, ratio);
    Theme::setUiScale(scale);
    followApplicationFont(widgets);
    scaleSizes(widgets, ratio);
}

}  // namespace cnmlab::ui

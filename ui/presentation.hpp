#pragma once
// Presentation mode: the whole studio half again as large, for a projector at
// the back of a room (View > Presentation mode, F5, or cnmlab-studio
// --presentation). The application font follows Theme::setUiScale(); what it
// does not reach is scaled here, for every widget already made: fonts set on
// widgets and on tree items, the sizes of table rows and columns, and icon
// sizes of buttons and tool bars. The canvas and the host view zoom by
// themselves (MainWindow::setPresentation). Going back to scale 1 gives back
// the sizes there were.

class QWidget;

namespace cnmlab::ui {

// The scale presentation mode sets (Theme::uiScale()).
inline constexpr double kPresentationScale = 1.5;

// Sets the studio's scale (Theme::uiScale()) to `scale` for `root` and its
// children: the fonts set on widgets and on tree items, the application's
// font (and so every widget's), then the sizes of table rows and columns
// and icons, all by the ratio of `scale` to the scale before. Cost: a few
// passes over the widgets and the tree items.
void applyUiScale(QWidget* root, double scale);

}  // namespace cnmlab::ui

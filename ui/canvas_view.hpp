#pragma once
// The view onto the canvas: wheel and Ctrl+=/- zoom around the cursor, pan
// with the middle button, the space bar or a drag on empty canvas with Alt,
// rubber-band selection, fit (Ctrl+0; a fitted view stays fitted as the
// window is shown and resized, until the user zooms), and export of the whole canvas as PNG
// or SVG (QSvgGenerator). It never changes the model.

#include <QGraphicsView>

namespace cnmlab::ui {

class CanvasView : public QGraphicsView {
    Q_OBJECT
public:
    explicit CanvasView(QGraphicsScene* scene, QWidget* parent = nullptr);

    void zoomBy(double factor);
    // Zooms by `factor` keeping the centre of the view where it is (whatever
    // the mouse), as presentation mode does.
    void zoomAroundCentre(double factor);
    void zoomIn() { zoomBy(1.25); }
    void zoomOut() { zoomBy(0.8); }
    void fitAll();
    void resetZoom();
    double zoom() const;
    // Centres the view on `scenePos` without changing the zoom.
    void reveal(QPointF scenePos);

    // The whole canvas (items' bounding rect plus a margin) as an image at
    // `scale` device pixels per scene unit; false when it cannot be written.
    bool exportPng(const QString& path, double scale = 2.0) const;
    bool exportSvg(const QString& path, const QString& title) const;

signals:
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void keyReleaseEvent(QKeyEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    // Set by fitAll, cleared by any zoom the user asks for: while set, a
    // resize fits again. A file is opened before the window is shown, when
    // the viewport is still tiny; without this it would open at 2 %.
    bool m_keepFitted = false;
    QRectF exportRect() const;
    // What the scene draws, less what is sized for the screen
    // (TopologyScene::drawingRect), so that a fit does not depend on the zoom.
    QRectF drawingRect() const;
    bool m_spacePan = false;
    bool m_middlePan = false;
};

}  // namespace cnmlab::ui

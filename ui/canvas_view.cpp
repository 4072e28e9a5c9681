#include "ui/canvas_view.hpp"

#include <QImage>
#include <QKeyEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSvgGenerator>
#include <QWheelEvent>

#include <cmath>

#include "ui/theme.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 4.0;
}  // namespace

CanvasView::CanvasView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                   QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setCacheMode(QGraphicsView::CacheBackground);
    setFrameShape(QFrame::NoFrame);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
}

double CanvasView::zoom() const {
    return transform().m11();
}

void CanvasView::zoomBy(double factor) {
    m_keepFitted = false;
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double f = target / zoom();
    scale(f, f);
    emit zoomChanged(zoom());
}

void CanvasView::zoomAroundCentre(double factor) {
    m_keepFitted = false;
    const QPointF centre = mapToScene(viewport()->rect().center());
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    setTransform(QTransform::fromScale(target, target));
    centerOn(centre);
    emit zoomChanged(zoom());
}

void CanvasView::resetZoom() {
    m_keepFitted = false;
    setTransform(QTransform());
    emit zoomChanged(1.0);
}

void CanvasView::fitAll() {
    if (scene() == nullptr) {
        return;
    }
    const QRectF r = drawingRect().adjusted(-40, -40, 40, 40);
    if (r.isEmpty()) {
        return;
    }
    // Leave room around the picture: the scene rect grows so panning works.
    setSceneRect(r.adjusted(-r.width(), -r.height(), r.width(), r.height()));
    fitInView(r, Qt::KeepAspectRatio);
    if (zoom() > 1.0) {  // small scenarios stay at 100 %, centred
        const QPointF c = r.center();
        setTransform(QTransform());
        centerOn(c);
    }
    m_keepFitted = true;
    emit zoomChanged(zoom());
}

void CanvasView::resizeEvent(QResizeEvent* e) {
    QGraphicsView::resizeEvent(e);
    if (m_keepFitted) {
        fitAll();
    }
}

void CanvasView::reveal(QPointF scenePos) {
    if (!mapToScene(viewport()->rect().adjusted(60, 60, -60, -60))
             .boundingRect()
             .contains(scenePos)) {
        centerOn(scenePos);
    }
}

void CanvasView::wheelEvent(QWheelEvent* e) {
    if (e->modifiers() & Qt::ShiftModifier) {  // horizontal scroll
        m_keepFitted = false;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - e->angleDelta().y());
        return;
    }
    const double steps = e->angleDelta().y() / 120.0;
    if (std::abs(steps) > 0) {
        zoomBy(std::pow(1.15, steps));
    }
    e->accept();
}

void CanvasView::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::MiddleButton || (m_spacePan && e->button() == Qt::LeftButton)) {
        m_middlePan = true;
        m_keepFitted = false;  // the user chose where to look
        setDragMode(QGraphicsView::ScrollHandDrag);
        // ScrollHandDrag reacts to the left button: replay the press as one.
        QMouseEvent left(e->type(), e->position(), e->globalPosition(), Qt::LeftButton,
                         Qt::LeftButton, e->modifiers());
        QGraphicsView::mousePressEvent(&left);
        return;
    }
    QGraphicsView::mousePressEvent(e);
}

void CanvasView::mouseReleaseEvent(QMouseEvent* e) {
    if (m_middlePan) {
        QMouseEvent left(e->type(), e->position(), e->globalPosition(), Qt::LeftButton,
                         Qt::NoButton, e->modifiers());
        QGraphicsView::mouseReleaseEvent(&left);
        m_middlePan = false;
        setDragMode(QGraphicsView::RubberBandDrag);
        return;
    }
    QGraphicsView::mouseReleaseEvent(e);
}

void CanvasView::keyPressEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_Space && !e->isAutoRepeat()) {
        m_spacePan = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        return;
    }
    QGraphicsView::keyPressEvent(e);
}

void CanvasView::keyReleaseEvent(QKeyEvent* e) {
    if (e->key() == Qt::Key_Space && !e->isAutoRepeat()) {
        m_spacePan = false;
        viewport()->unsetCursor();
        return;
    }
    QGraphicsView::keyReleaseEvent(e);
}

QRectF CanvasView::exportRect() const {
    return scene() ? drawingRect().adjusted(-30, -30, 30, 30) : QRectF();
}

QRectF CanvasView::drawingRect() const {
    const auto* topology = qobject_cast<const TopologyScene*>(scene());
    return topology != nullptr ? topology->drawingRect() : scene()->itemsBoundingRect();
}

bool CanvasView::exportPng(const QString& path, double scaleFactor) const {
    const QRectF r = exportRect();
    if (r.isEmpty()) {
        return false;
    }
    // Keep huge canvases within a sane image size.
    const double s = std::min(scaleFactor, 16000.0 / std::max(r.width(), r.height()));
    QImage img(static_cast<int>(std::ceil(r.width() * s)),
               static_cast<int>(std::ceil(r.height() * s)), QImage::Format_ARGB32_Premultiplied);
    img.fill(Theme::colors().canvas);
    QPainter p(&img);
    p.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing |
                     QPainter::SmoothPixmapTransform);
    scene()->render(&p, QRectF(img.rect()), r);
    p.end();
    return img.save(path, "PNG");
}

bool CanvasView::exportSvg(const QString& path, const QString& title) const {
    const QRectF r = exportRect();
    if (r.isEmpty()) {
        return false;
    }
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(r.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), r.size()));
    svg.setTitle(title);
    svg.setDescription(QStringLiteral("cnmlab studio canvas"));
    QPainter p;
    if (!p.begin(&svg)) {
        return false;
    }
    scene()->render(&p, QRectF(QPointF(0, 0), r.size()), r);
    return p.end();
}

}  // namespace cnmlab::ui

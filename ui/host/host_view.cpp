#include "ui/host/host_view.hpp"

#include <QComboBox>
#include <QEvent>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/host/host_animator.hpp"
#include "ui/host/host_scene.hpp"
#include "ui/host/netfilter_item.hpp"
#include "ui/scenario_document.hpp"
#include "ui/sim/playback.hpp"
#include "ui/theme.hpp"

namespace cnmlab::ui {

HostView::HostView(ScenarioDocument* doc, Playback* playback, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_scene(new HostScene(this)),
      m_animator(new HostAnimator(m_scene, playback, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(8, 0, 8, 0);
    m_hosts = new QComboBox(this);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    bar->addWidget(m_hosts);
    bar->addWidget(m_hint, 1);
    layout->addLayout(bar);
    auto* split = new QSplitter(Qt::Vertical, this);
    m_sideBySide = new QSplitter(Qt::Horizontal, split);
    m_sideBySide->setChildrenCollapsible(false);
    m_view = new QGraphicsView(m_scene, m_sideBySide);
    m_rulesView = new QGraphicsView(m_scene->rulesScene(), m_sideBySide);
    for (QGraphicsView* v : {m_view, m_rulesView}) {
        v->setRenderHint(QPainter::Antialiasing);
        v->setDragMode(QGraphicsView::ScrollHandDrag);
        v->setFrameShape(QFrame::NoFrame);
        v->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    }
    m_rulesView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // laid out to its width
    m_sideBySide->addWidget(m_view);
    m_sideBySide->addWidget(m_rulesView);
    m_sideBySide->setStretchFactor(0, 1);
    m_sideBySide->setStretchFactor(1, 0);
    connect(m_sideBySide, &QSplitter::splitterMoved, this, &HostView::fitViews);
    m_details = new QPlainTextEdit(split);
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setFont(Theme::monoFont(9.5));
    m_details->setMinimumHeight(48);
    split->addWidget(m_sideBySide);
    split->addWidget(m_details);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setSizes({600, 70});  // the diagram first; a few lines of commands
    layout->addWidget(split, 1);
    connect(m_hosts, &QComboBox::activated, this,
            [this] { openHost(m_hosts->currentData().toString()); });
    connect(m_scene, &HostScene::objectSelected, m_details, &QPlainTextEdit::setPlainText);
    connect(playback, &Playback::moved, this, &HostView::followToken);
    doc->followWhenVisible(this, &m_stale, [this] { rebuild(); });
    retranslate();
}

void HostView::openHost(const QString& host) {
    m_host = host;
    m_stale = true;
    if (isVisible()) {
        rebuild();
    }
}

void HostView::fillHosts() {
    const QSignalBlocker block(m_hosts);
    m_hosts->clear();
    for (const auto& h : m_doc->scenario().hosts) {
        const QString name = QString::fromStdString(h.name);
        m_hosts->addItem(
            QIcon(Theme::tinted(QStringLiteral(":/icons/host.svg"), Theme::colors().lan, 16)), name,
            name);
    }
    if (m_hosts->findData(m_host) < 0 && m_hosts->count() > 0) {
        m_host = m_hosts->itemData(0).toString();
    }
    m_hosts->setCurrentIndex(m_hosts->findData(m_host));
}

void HostView::rebuild() {
    m_stale = false;
    fillHosts();
    m_scene->show(m_doc->snapshot(), m_host.toStdString());  // the animator follows
    const Resolved& r = m_doc->resolved();
    m_details->setPlainText(
        m_scene->empty() && r.error
            ? tr("Docker would not create this scenario:\n%1")
                  .arg(QString::fromStdString(r.error->formatted()))
            : tr("Select a device or a rule to see the commands that create it."));
    fit();
}

void HostView::fit() {
    if (m_scene->sceneRect().isEmpty()) {
        return;
    }
    const double p = Theme::uiScale();  // presentation mode zooms both
    const int room = m_sideBySide->width() - m_sideBySide->handleWidth();
    int rules = 0;
    if (const NetfilterItem* nf = m_scene->netfilter()) {
        const int natural = static_cast<int>(std::ceil((nf->naturalWidth() + 16) * p)) +
                            m_rulesView->verticalScrollBar()->sizeHint().width();
        rules = std::min(natural, static_cast<int>(0.45 * room));
        // The diagram fits at 50 % if the tables make room for it, down to 30 %.
        const int diagram = static_cast<int>(std::ceil(m_scene->sceneRect().width() * 0.5 * p)) +
                            m_view->verticalScrollBar()->sizeHint().width();
        if (room - rules < diagram) {
            rules = std::max(std::min(natural, static_cast<int>(0.3 * room)), room - diagram);
        }
    }
    m_rulesView->setVisible(rules > 0);
    m_sideBySide->setSizes({room - rules, rules});
    fitViews();
}

void HostView::fitViews() {
    const QRectF r = m_scene->sceneRect();
    if (r.isEmpty()) {
        return;
    }
    const double p = Theme::uiScale();  // presentation mode zooms both
    // The width, so that labels stay readable; a tall host scrolls, and the
    // view follows the packet (see the constructor). Room is kept for the
    // vertical scroll bar a tall host needs.
    const int bar = m_view->verticalScrollBar()->sizeHint().width();
    const double room = m_sideBySide->sizes().value(0) - bar;
    const double zoom = std::clamp(room / r.width(), 0.5 * p, 1.0 * p);
    m_view->resetTransform();
    m_view->scale(zoom, zoom);
    // From the top left (a host of 1000 sandboxes is wide), then to the packet.
    m_view->horizontalScrollBar()->setValue(m_view->horizontalScrollBar()->minimum());
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->minimum());
    // The tables at 100 % (times the presentation scale), as wide as their view.
    const int rules = m_sideBySide->sizes().value(1);
    m_rulesView->resetTransform();
    m_rulesView->scale(p, p);
    m_scene->setNetfilterWidth((rules - bar) / p - 16);
    m_rulesView->verticalScrollBar()->setValue(m_rulesView->verticalScrollBar()->minimum());
    followToken();
}

void HostView::followToken() {
    if (!m_animator->tokenVisible()) {
        return;
    }
    m_view->ensureVisible(QRectF(m_animator->tokenPos(), QSizeF(1, 1)), 60, 90);
    const NetfilterItem* nf = m_scene->netfilter();
    if (nf != nullptr && nf->currentRule() >= 0) {
        m_rulesView->ensureVisible(nf->ruleRect(nf->currentRule()), 0, 60);
    }
}

void HostView::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (m_stale) {
        rebuild();  // fits too
    } else if (m_refit) {
        fit();
    }
    m_refit = false;
}

void HostView::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    // After the layout has sized the view.
    QTimer::singleShot(0, this, &HostView::fit);
}

void HostView::changeEvent(QEvent* e) {
    if (e->type() == QEvent::FontChange) {
        // Presentation mode: both views' zoom follows Theme::uiScale().
        if (isVisible()) {
            fit();
        } else {
            m_refit = true;
        }
    }
    if (e->type() == QEvent::LanguageChange) {
        retranslate();
    }
    if (e->type() == QEvent::PaletteChange || e->type() == QEvent::LanguageChange) {
        m_stale = true;
        if (isVisible()) {
            rebuild();
        }
    }
    QWidget::changeEvent(e);
}

void HostView::retranslate() {
    m_hint->setText(
        tr("What Docker creates on this host. Hover or click a device or a rule for its "
           "ip / iptables command; a played probe moves through it."));
}

}  // namespace cnmlab::ui

#pragma once
// "Open a host": what Docker actually creates on one Docker host, drawn as
// devices (host_scene.hpp) — bridges, veth pairs, sandboxes, the uplink and the
// netfilter chains — with the played packet moving through them in step with
// the canvas. A host chooser, the diagram with the host's iptables tables
// beside it (in a view of their own, at a fixed zoom: their type stays
// readable however far the diagram is zoomed out to fit, and they scroll to
// the rule the packet meets), and below them the `ip` / `iptables` commands
// of the selected object.
//
// It follows the document: rebuilt from the current snapshot after each change
// while visible (lazily when hidden, as the Plan view is).

#include <QWidget>

class QComboBox;
class QGraphicsView;
class QLabel;
class QPlainTextEdit;
class QSplitter;

namespace cnmlab::ui {

class HostAnimator;
class HostScene;
class Playback;
class ScenarioDocument;

class HostView : public QWidget {
    Q_OBJECT
public:
    HostView(ScenarioDocument* doc, Playback* playback, QWidget* parent = nullptr);

    // Shows `host` (a Docker host of the scenario).
    void openHost(const QString& host);
    QString host() const { return m_host; }
    HostScene* scene() const { return m_scene; }
    HostAnimator* animator() const { return m_animator; }
    QGraphicsView* view() const { return m_view; }
    // The iptables tables' view, to the right of the diagram's.
    QGraphicsView* rulesView() const { return m_rulesView; }
    QPlainTextEdit* details() const { return m_details; }
    // Gives the iptables tables their natural width at 100 % (at most 45 % of
    // the room, less down to 30 % when the diagram needs it to fit at 50 %)
    // and fits the diagram's width into the rest (between 50 % and 100 %).
    void fit();

protected:
    void showEvent(QShowEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    void rebuild();
    void fillHosts();
    // Scrolls the packet token into view, and the rule it meets into the
    // rules' view.
    void followToken();
    // Zooms the diagram to the width its view has, lays the tables out to theirs.
    void fitViews();
    void retranslate();

    ScenarioDocument* m_doc;
    HostScene* m_scene;
    HostAnimator* m_animator;
    QComboBox* m_hosts;
    QLabel* m_hint;
    QSplitter* m_sideBySide;
    QGraphicsView* m_view;
    QGraphicsView* m_rulesView;
    QPlainTextEdit* m_details;
    QString m_host;
    bool m_stale = true;
    bool m_refit = false;  // the font changed (presentation mode) while hidden
};

}  // namespace cnmlab::ui

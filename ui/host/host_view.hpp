#pragma once
// "Open a host": what Docker actually creates on one Docker host, drawn as
// devices (host_scene.hpp) — bridges, veth pairs, sandboxes, the uplink and the
// netfilter chains — with the played packet moving through them in step with
// the canvas. A host chooser, the diagram, and below it the `ip` / `iptables`
// commands of the selected object.
//
// It follows the document: rebuilt from the current snapshot after each change
// while visible (lazily when hidden, as the Plan view is).

#include <QWidget>

class QComboBox;
class QGraphicsView;
class QLabel;
class QPlainTextEdit;

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
    QPlainTextEdit* details() const { return m_details; }
    // Fits the diagram's width into the view (between 50 % and 100 %).
    void fit();

protected:
    void showEvent(QShowEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    void rebuild();
    void fillHosts();
    // Scrolls the packet token into view.
    void followToken();
    void retranslate();

    ScenarioDocument* m_doc;
    HostScene* m_scene;
    HostAnimator* m_animator;
    QComboBox* m_hosts;
    QLabel* m_hint;
    QGraphicsView* m_view;
    QPlainTextEdit* m_details;
    QString m_host;
    bool m_stale = true;
};

} // namespace cnmlab::ui

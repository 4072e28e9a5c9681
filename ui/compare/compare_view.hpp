#pragma once
// The Compare view (issue #17, 对比分析; View > Compare drivers…): the open
// file with its networks put on each of several drivers, side by side.
//
//   - the drivers to compare (bridge, macvlan, ipvlan, overlay, host, none
//     and the shipped plugins), the network to move (all, or one), Compare;
//   - the table (CompareTableModel): one column per driver, a cell that
//     differs from the first driver's marked;
//   - two canvases (ComparePane), each the file on one driver, playing the
//     same probe in step under one step control (Lockstep): hop k on the left
//     and hop k on the right at once. The probe defaults to the comparison's
//     reference ping (the report's wire.from → wire.to); the user may pick
//     another.
//
// sim::compare() runs on a worker thread (ui/worker.hpp) on a copy of the
// document's scenario; the view keeps the result until the next Compare. An
// edit of the document after it marks the result as out of date.
//
// Split by concern: compare_view.cpp builds the window and runs the
// comparison; compare_view_player.cpp has the probe, the panes and the step
// control.

#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>

#include <memory>

#include "sim/compare.hpp"
#include "ui/worker.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QTableView;
class QToolButton;

namespace cnmlab::ui {

class CompareTableModel;
class ComparePane;
class Lockstep;
class ScenarioDocument;

class CompareView : public QWidget {
    Q_OBJECT
public:
    // `doc` outlives the view. Shown as a window of its own (Qt::Window).
    explicit CompareView(ScenarioDocument* doc, QWidget* parent = nullptr);
    ~CompareView() override;

    // The drivers the boxes offer, in the table's order: the built-in ones,
    // then the shipped plugins.
    static QStringList availableDrivers();
    // What Compare starts with: bridge, macvlan, ipvlan, overlay.
    static QStringList defaultDrivers();

    // Ticks exactly `drivers` (known ones; others are ignored) and keeps their order.
    void setDrivers(const QStringList& drivers);
    QStringList drivers() const;
    // "" for every user network of the file, else one network's key.
    void setNetwork(const QString& key);

    // Runs the comparison of the document's scenario on a worker thread;
    // compared() follows (also when it failed: error() says why).
    void compare();
    bool running() const { return m_watcher != nullptr; }
    QString error() const { return m_error; }
    const sim::Comparison* comparison() const { return m_comparison.get(); }

    // Puts drivers `left` and `right` on the two canvases and plays the
    // current probe on both again. Returns an error sentence, "" on success.
    QString setPaneDrivers(const QString& left, const QString& right);
    // Traces FROM -> TO (proto "icmp", "tcp", "udp", or "dns" with TO the name;
    // `network` a network key of TO's, "" for any of its addresses) on both
    // canvases, at their first hop. Returns an error sentence or "".
    QString play(const QString& from, const QString& to,
                 const QString& proto = QStringLiteral("icmp"), int port = 0,
                 const QString& network = {});

    CompareTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    ComparePane* pane(int i) const { return i == 0 ? m_left : m_right; }
    Lockstep* lockstep() const { return m_lockstep; }
    QLabel* status() const { return m_status; }

signals:
    void compared();
    void message(const QString& text);

protected:
    void changeEvent(QEvent* e) override;

private:
    using Watcher = QFutureWatcher<WorkerOutcome<sim::Comparison>>;

    // compare_view.cpp
    QWidget* buildPicker();
    void retranslate();
    void refillNetworks();
    void onCompared();
    void markStale();
    void updateTitle();
    void sizeTable();

    // compare_view_player.cpp
    QWidget* buildPlayer();
    void retranslatePlayer();
    void refillMachines();
    // The first compared network both services are on ("" when none): where
    // compare measures their reference ping.
    QString sharedNetwork(const QString& from, const QString& to) const;
    void playCurrent();
    void updateTransport();
    void onHop(int hop);
    // The first two valid drivers, and the reference ping, after a comparison.
    void showDefaults();
    // Draws drivers `left` and `right`; returns an error sentence or "".
    QString showPanes(const QString& left, const QString& right);

    ScenarioDocument* m_doc;
    std::shared_ptr<const sim::Comparison> m_comparison;
    QString m_error;
    Watcher* m_watcher = nullptr;
    bool m_stale = false;

    QLabel* m_driversLabel = nullptr;
    std::vector<QCheckBox*> m_checks;  // one per availableDrivers()
    QStringList m_order;               // the ticked drivers in the order they were given
    QLabel* m_networkLabel = nullptr;
    QComboBox* m_network = nullptr;
    QPushButton* m_compare = nullptr;
    QLabel* m_status = nullptr;
    QSplitter* m_split = nullptr;
    CompareTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_legend = nullptr;

    QLabel* m_probeLabel = nullptr;
    QComboBox* m_from = nullptr;
    QComboBox* m_to = nullptr;
    QComboBox* m_proto = nullptr;
    QSpinBox* m_port = nullptr;
    QComboBox* m_probeNet = nullptr;  // the target's network, or any
    QPushButton* m_send = nullptr;
    QToolButton* m_toStart = nullptr;
    QToolButton* m_back = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_forward = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_hop = nullptr;
    QComboBox* m_speed = nullptr;
    ComparePane* m_left = nullptr;
    ComparePane* m_right = nullptr;
    Lockstep* m_lockstep = nullptr;
};

}  // namespace cnmlab::ui

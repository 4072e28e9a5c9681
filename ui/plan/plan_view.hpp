#pragma once
// "What Docker actually creates": the Plan of one host (its own namespace and
// its containers' sandboxes), as a tree of namespaces and the objects in each
// (links, addresses, routes, neighbours, FDB entries, sysctls, iptables chains
// and rules, DNS records, listeners), each shown as its `ip` / `iptables`
// equivalent (drivers::equivalent), or as the whole script
// (drivers::planText). Selecting something on the canvas focuses the objects
// that belong to it (a container's sandbox, a network's bridge).

#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

#include "drivers/plan.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace cnmlab::ui {

class ScenarioDocument;

class PlanView : public QWidget {
    Q_OBJECT
public:
    explicit PlanView(ScenarioDocument* doc, QWidget* parent = nullptr);

    // Shows the objects of the canvas node `id` ("svc:web", "net:front",
    // "host:host1"); "" shows everything of the current host.
    void focusOn(const QString& id);
    QTreeWidget* tree() const { return m_tree; }
    // The tree's objects are being made on a worker thread (after a change).
    bool collecting() const { return m_collecting; }
    QString filter() const;

protected:
    void showEvent(QShowEvent* e) override;
    void changeEvent(QEvent* e) override;

private:
    // One object of the Plan as shown: its group ("Links", "iptables rules" ...),
    // its command and a tooltip. Kept per namespace; tree rows are made only
    // when a namespace is expanded (a host with 1000 sandboxes has 100k objects).
    struct Entry {
        QString group;
        QString text;
        QString tip;
    };
    struct Namespace {
        QString name;
        QString kind;
        QString icon;
        std::vector<Entry> entries;
    };

    void rebuild();
    // The namespaces of `host` ("" for all) with their objects as commands
    // (a worker thread's job: pure, O(size of the Plan)); install() shows them.
    static std::vector<Namespace> collect(const drivers::Plan& plan, const std::string& host);
    void install(std::vector<Namespace> namespaces);
    void applyFilter();
    void populate(QTreeWidgetItem* nsItem);

    ScenarioDocument* m_doc;
    QComboBox* m_host;
    QToolButton* m_script;
    QLineEdit* m_search;
    QStackedWidget* m_stack;
    QTreeWidget* m_tree;
    QPlainTextEdit* m_text;
    QLabel* m_empty;
    std::vector<Namespace> m_namespaces;
    QString m_pendingFocus;
    bool m_focusPending = false;
    bool m_stale = true;
    std::uint64_t m_generation = 0;  // of the tree being collected
    bool m_collecting = false;
};

}  // namespace cnmlab::ui

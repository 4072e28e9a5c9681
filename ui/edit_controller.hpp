#pragma once
// Turns the user's gestures into undoable edits of the document: add an object
// from the palette, connect or disconnect a container and a network, delete
// (with the references Compose would otherwise reject: probes, lesson
// highlights, x-layout entries, network_mode targets), rename with the same
// cascade, and move. Every method builds value edits from the current scenario
// and pushes them as ONE command, so one Ctrl+Z undoes one gesture.
//
// Methods return a short sentence for the status bar ("" when nothing changed).

#include <QObject>
#include <QPointF>
#include <QString>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ui/scenario_edit.hpp"
#include "ui/topology_scene.hpp"

namespace cnmlab::ui {

class ScenarioDocument;

class EditController : public QObject {
    Q_OBJECT
public:
    EditController(ScenarioDocument* doc, QObject* parent = nullptr);

    // `what`: "network:DRIVER", "container", "host", "external:lan",
    // "external:internet". `host`: the frame it was dropped in ("" = none).
    // `network` (containers only): the network key it joins from the start,
    // as connectService() would connect it, instead of Compose's default
    // network. Returns the new object's canvas id, or "" when nothing was added.
    QString add(const QString& what, QPointF pos, const std::string& host,
                const std::string& network = {});
    QString connectService(const std::string& service, const std::string& network);
    QString disconnect(const std::string& service, const std::string& network);
    // Canvas ids: nodes ("svc:", "net:", "host:", "ext:") and endpoint edges ("ep:").
    QString remove(const QStringList& ids);
    // Renames an object and every reference to it. Returns an error sentence
    // when the new name is taken or not a valid Compose name.
    QString rename(ObjectKind kind, const std::string& from, const std::string& to);
    void move(const std::vector<NodeMove>& moves, const QString& text = {});

    // Where the canvas shows a node (by canvas id) now; lets a rename keep an
    // automatically placed node where it is. Set by the main window.
    void setPositionSource(std::function<std::optional<QPointF>(const QString&)> source) {
        m_positions = std::move(source);
    }

private:
    ScenarioDocument* m_doc;
    std::function<std::optional<QPointF>(const QString&)> m_positions;
};

// An unused address on the hosts' LAN (for a new host or external).
std::string nextLanAddress(const model::Scenario& sc);

}  // namespace cnmlab::ui

#include "ui/edit_controller.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "ui/qt_text.hpp"
#include "ui/scenario_document.hpp"

namespace cnmlab::ui {

namespace {

Position rounded(QPointF p) {
    return {std::round(p.x()), std::round(p.y())};
}

// Copy-on-write edits of one scenario, emitted as one list: objects changed,
// added or removed, the probes and lesson sections, and layout entries.
class EditBuilder {
public:
    explicit EditBuilder(const model::Scenario& sc) : m_sc(sc) {}

    model::ServiceSpec& service(const std::string& key) {
        auto it = m_services.find(key);
        if (it == m_services.end()) {
            it = m_services.emplace(key, *m_sc.findService(key)).first;
        }
        return it->second;
    }
    std::vector<model::ProbeSpec>& probes() {
        if (!m_probes) {
            m_probes = m_sc.probes;
        }
        return *m_probes;
    }
    std::optional<model::Lesson>& lesson() {
        if (!m_lesson) {
            m_lesson = m_sc.lesson;
        }
        return *m_lesson;
    }
    void push(Edit e) { m_edits.push_back(std::move(e)); }
    void moveLayout(const std::string& from, const std::optional<std::string>& to) {
        for (const auto& [name, xy] : m_sc.layout) {
            if (name == from) {
                push(LayoutEdit{from, xy, std::nullopt});
                if (to) {
                    push(LayoutEdit{*to, std::nullopt, xy});
                }
            }
        }
    }

    // Drops probes that name `name` and fixes the lesson's probe indexes.
    void dropProbesNaming(const std::string& name) {
        auto& ps = probes();
        std::vector<int> newIndex(ps.size(), -1);
        std::vector<model::ProbeSpec> kept;
        for (std::size_t i = 0; i < ps.size(); ++i) {
            const auto& p = ps[i];
            if (p.from == name || p.to == name) {
                continue;
            }
            newIndex[i] = static_cast<int>(kept.size());
            kept.push_back(p);
        }
        if (kept.size() == ps.size()) {
            return;
        }
        ps = std::move(kept);
        if (auto& l = lesson()) {
            for (auto& st : l->steps) {
                if (st.probe && *st.probe >= 0 && *st.probe < static_cast<int>(newIndex.size())) {
                    const int n = newIndex[static_cast<std::size_t>(*st.probe)];
                    st.probe = n < 0 ? std::nullopt : std::optional<int>(n);
                }
            }
        }
    }
    void renameInProbes(const std::string& from, const std::string& to, bool network) {
        for (auto& p : probes()) {
            if (network) {
                if (p.network == from) {
                    p.network = to;
                }
                continue;
            }
            if (p.from == from) {
                p.from = to;
            }
            if (p.to == from) {
                p.to = to;
            }
        }
    }
    void clearProbeNetwork(const std::string& network) {
        for (auto& p : probes()) {
            if (p.network == network) {
                p.network.reset();
            }
        }
    }
    void renameInLesson(const std::string& from, const std::optional<std::string>& to) {
        auto& l = lesson();
        if (!l) {
            return;
        }
        for (auto& st : l->steps) {
            auto& h = st.highlight;
            if (to) {
                std::replace(h.begin(), h.end(), from, *to);
            } else {
                h.erase(std::remove(h.begin(), h.end(), from), h.end());
            }
        }
    }

    std::vector<Edit> finish() {
        for (auto& [key, s] : m_services) {
            if (m_removed.count(key) == 0) {
                m_edits.insert(m_edits.begin(), replaceService(m_sc, s));
            }
        }
        if (m_probes) {
            m_edits.emplace_back(ProbesEdit{m_sc.probes, *m_probes});
        }
        if (m_lesson) {
            m_edits.emplace_back(LessonEdit{m_sc.lesson, *m_lesson});
        }
        return std::move(m_edits);
    }
    void markRemoved(const std::string& serviceKey) { m_removed.insert(serviceKey); }

private:
    const model::Scenario& m_sc;
    std::map<std::string, model::ServiceSpec> m_services;
    std::optional<std::vector<model::ProbeSpec>> m_probes;
    std::optional<std::optional<model::Lesson>> m_lesson;
    std::vector<Edit> m_edits;
    std::set<std::string> m_removed;
};

// `s` connected to `network` as Compose writes it: docker0 ("bridge") is
// network_mode: bridge; any other network a short-form entry of `networks`
// (which excludes network_mode and Compose's implicit default network).
void joinNetwork(model::ServiceSpec& s, const std::string& network, const std::string& file) {
    if (network == "bridge") {
        s.networkMode = model::NetworkMode::Bridge;
        s.networkModePos.file = file;
        s.networks.clear();
        s.implicitNetworks = false;
        return;
    }
    if (s.networkMode != model::NetworkMode::Default || s.implicitNetworks) {
        s.networks.clear();  // network_mode and networks exclude each other
    }
    s.networkMode = model::NetworkMode::Default;
    s.networkModeTarget.clear();
    s.implicitNetworks = false;
    model::ServiceNetwork sn;
    sn.key = network;
    sn.shortForm = true;
    s.networks.push_back(sn);
}

template <typename T>
std::size_t indexOf(const std::vector<T>& list, const std::string& key,
                    const std::string T::*field) {
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i].*field == key) {
            return i;
        }
    }
    return list.size();
}

}  // namespace

std::string nextLanAddress(const model::Scenario& sc) {
    const model::Cidr lan = sc.hosts.front().underlay;
    std::set<std::uint32_t> used;
    for (const auto& h : sc.hosts) {
        used.insert(h.underlay.address.value());
    }
    for (const auto& e : sc.externals) {
        if (e.underlay) {
            used.insert(e.underlay->address.value());
        }
    }
    const std::uint32_t first = lan.network().value() + 11;
    for (std::uint32_t v = first; v < lan.broadcast().value(); ++v) {
        if (used.count(v) == 0 && v != lan.network().value() + 1) {
            return model::Cidr{model::Ipv4(v), lan.prefix}.str();
        }
    }
    return lan.str();
}

EditController::EditController(ScenarioDocument* doc, QObject* parent)
    : QObject(parent), m_doc(doc) {}

QString EditController::add(const QString& what, QPointF pos, const std::string& host,
                            const std::string& network) {
    const model::Scenario& sc = m_doc->scenario();
    std::vector<Edit> edits;
    QString id;
    QString text;
    if (what.startsWith(QLatin1String("network:"))) {
        model::NetworkSpec n;
        n.driver = what.mid(8).toStdString();
        n.key = freshKey(sc, ObjectKind::Network, n.driver == "bridge" ? "net" : n.driver);
        if (n.driver == "macvlan" || n.driver == "ipvlan") {
            n.driverOpts.emplace_back("parent", "eth0");
        }
        // The studio's containers are plain ones (docker run): an overlay
        // takes them only when attachable.
        n.attachable = n.driver == "overlay";
        edits.emplace_back(
            ObjectEdit{ObjectKind::Network, n.key, sc.networks.size(), std::nullopt, n});
        edits.emplace_back(LayoutEdit{n.key, std::nullopt, rounded(pos)});
        id = "net:" + qstr(n.key);
        text = tr("Add network %1").arg(qstr(n.key));
    } else if (what == QLatin1String("container")) {
        model::ServiceSpec s;
        s.key = freshKey(sc, ObjectKind::Service, "app");
        if (!host.empty() && host != sc.hosts.front().name) {
            s.host = host;
        }
        s.extra.emplace_back("image", YAML::Node("busybox"));
        if (!network.empty()) {
            joinNetwork(s, network, sc.file);
        }
        edits.emplace_back(
            ObjectEdit{ObjectKind::Service, s.key, sc.services.size(), std::nullopt, s});
        edits.emplace_back(LayoutEdit{s.key, std::nullopt, rounded(pos)});
        id = "svc:" + qstr(s.key);
        text = network.empty() ? tr("Add container %1").arg(qstr(s.key))
                               : tr("Add container %1 on %2").arg(qstr(s.key), qstr(network));
    } else if (what == QLatin1String("host")) {
        model::HostSpec h;
        h.name = freshKey(sc, ObjectKind::Host, "host");
        h.underlay = *model::Cidr::parse(nextLanAddress(sc));
        edits.emplace_back(ObjectEdit{ObjectKind::Host, h.name, sc.hosts.size(), std::nullopt, h});
        edits.emplace_back(LayoutEdit{h.name, std::nullopt, rounded(pos)});
        id = "host:" + qstr(h.name);
        text = tr("Add host %1").arg(qstr(h.name));
    } else if (what.startsWith(QLatin1String("external:"))) {
        model::ExternalSpec e;
        const bool internet = what.endsWith(QLatin1String("internet"));
        e.name = freshKey(sc, ObjectKind::External, internet ? "internet" : "laptop");
        if (internet) {
            std::uint32_t v = model::Ipv4(203, 0, 113, 10).value();
            for (const auto& o : sc.externals) {
                if (o.address && o.address->value() >= v) {
                    v = o.address->value() + 1;
                }
            }
            e.address = model::Ipv4(v);
        } else {
            e.underlay = *model::Cidr::parse(nextLanAddress(sc));
        }
        edits.emplace_back(
            ObjectEdit{ObjectKind::External, e.name, sc.externals.size(), std::nullopt, e});
        edits.emplace_back(LayoutEdit{e.name, std::nullopt, rounded(pos)});
        id = "ext:" + qstr(e.name);
        text = tr("Add %1").arg(qstr(e.name));
    }
    if (edits.empty()) {
        return {};
    }
    m_doc->edit(text, std::move(edits));
    return id;
}

QString EditController::connectService(const std::string& service, const std::string& network) {
    const model::Scenario& sc = m_doc->scenario();
    const model::ServiceSpec* s = sc.findService(service);
    if (s == nullptr) {
        return {};
    }
    if (network == "bridge" && s->networkMode == model::NetworkMode::Bridge) {
        return tr("%1 is already on docker0").arg(qstr(service));
    }
    const bool already = network != "bridge" && !s->implicitNetworks &&
                         s->networkMode == model::NetworkMode::Default &&
                         std::any_of(s->networks.begin(), s->networks.end(),
                                     [&](const auto& sn) { return sn.key == network; });
    if (already) {
        return tr("%1 is already connected to %2").arg(qstr(service), qstr(network));
    }
    model::ServiceSpec after = *s;
    joinNetwork(after, network, sc.file);
    m_doc->edit(tr("Connect %1 to %2").arg(qstr(service), qstr(network)),
                {replaceService(sc, std::move(after))});
    return tr("Connected %1 to %2").arg(qstr(service), qstr(network));
}

QString EditController::disconnect(const std::string& service, const std::string& network) {
    const model::Scenario& sc = m_doc->scenario();
    const model::ServiceSpec* s = sc.findService(service);
    if (s == nullptr) {
        return {};
    }
    model::ServiceSpec after = *s;
    if (network == "bridge" && s->networkMode == model::NetworkMode::Bridge) {
        after.networkMode = model::NetworkMode::None;
    } else {
        auto& nets = after.networks;
        const auto before = nets.size();
        nets.erase(std::remove_if(nets.begin(), nets.end(),
                                  [&](const auto& sn) { return sn.key == network; }),
                   nets.end());
        if (nets.size() == before || s->implicitNetworks) {
            return {};
        }
        if (nets.empty()) {
            after.networkMode = model::NetworkMode::None;  // no network left: Docker's none
            after.networkModePos.file = sc.file;
        }
    }
    m_doc->edit(tr("Disconnect %1 from %2").arg(qstr(service), qstr(network)),
                {replaceService(sc, std::move(after))});
    return tr("Disconnected %1 from %2").arg(qstr(service), qstr(network));
}

QString EditController::remove(const QStringList& ids) {
    const model::Scenario& sc = m_doc->scenario();
    EditBuilder b(sc);
    QStringList names;
    std::vector<Edit> removals;
    std::set<std::string> removedNetworks;
    // Endpoints first (they edit services that may also be removed below).
    for (const QString& id : ids) {
        if (!id.startsWith(QLatin1String("ep:"))) {
            continue;
        }
        const QStringList parts = id.mid(3).split('|');
        if (parts.size() != 2 || sc.findService(parts[0].toStdString()) == nullptr) {
            continue;
        }
        model::ServiceSpec& s = b.service(parts[0].toStdString());
        const std::string net = parts[1].toStdString();
        if (net == "bridge" && s.networkMode == model::NetworkMode::Bridge) {
            s.networkMode = model::NetworkMode::None;
        } else if (!s.implicitNetworks) {
            s.networks.erase(std::remove_if(s.networks.begin(), s.networks.end(),
                                            [&](const auto& sn) { return sn.key == net; }),
                             s.networks.end());
            if (s.networks.empty()) {
                s.networkMode = model::NetworkMode::None;
                s.networkModePos.file = sc.file;
            }
        }
        names << parts[0] + QStringLiteral("–") + parts[1];
    }
    for (const QString& id : ids) {
        const std::string key = id.section(':', 1).section('@', 0, 0).toStdString();
        if (id.startsWith(QLatin1String("svc:")) && sc.findService(key) != nullptr) {
            const auto index = indexOf(sc.services, key, &model::ServiceSpec::key);
            removals.emplace_back(
                ObjectEdit{ObjectKind::Service, key, index, sc.services[index], std::nullopt});
            b.markRemoved(key);
            b.moveLayout(key, std::nullopt);
            b.dropProbesNaming(key);
            b.renameInLesson(key, std::nullopt);
            for (const auto& o : sc.services) {
                if ((o.networkMode == model::NetworkMode::Service && o.networkModeTarget == key) ||
                    (o.networkMode == model::NetworkMode::Container &&
                     o.networkModeTarget == sc.containerName(sc.services[index]))) {
                    b.service(o.key).networkMode = model::NetworkMode::Default;
                    b.service(o.key).networkModeTarget.clear();
                }
            }
            names << qstr(key);
        } else if (id.startsWith(QLatin1String("net:")) && sc.findNetwork(key) != nullptr &&
                   !sc.findNetwork(key)->implicit && removedNetworks.insert(key).second) {
            const auto index = indexOf(sc.networks, key, &model::NetworkSpec::key);
            removals.emplace_back(
                ObjectEdit{ObjectKind::Network, key, index, sc.networks[index], std::nullopt});
            b.moveLayout(key, std::nullopt);
            b.clearProbeNetwork(key);
            b.renameInLesson(key, std::nullopt);
            for (const auto& o : sc.services) {
                const bool uses = !o.implicitNetworks &&
                                  std::any_of(o.networks.begin(), o.networks.end(),
                                              [&](const auto& sn) { return sn.key == key; });
                if (uses) {
                    auto& nets = b.service(o.key).networks;
                    nets.erase(std::remove_if(nets.begin(), nets.end(),
                                              [&](const auto& sn) { return sn.key == key; }),
                               nets.end());
                }
            }
            names << qstr(key);
        } else if (id.startsWith(QLatin1String("host:")) && sc.findHost(key) != nullptr &&
                   sc.hosts.size() > 1) {
            const auto index = indexOf(sc.hosts, key, &model::HostSpec::name);
            removals.emplace_back(
                ObjectEdit{ObjectKind::Host, key, index, sc.hosts[index], std::nullopt});
            b.moveLayout(key, std::nullopt);
            b.dropProbesNaming(key);
            b.renameInLesson(key, std::nullopt);
            for (const auto& o : sc.services) {
                if (o.host == key) {
                    b.service(o.key).host.reset();
                }
            }
            names << qstr(key);
        } else if (id.startsWith(QLatin1String("ext:")) && sc.findExternal(key) != nullptr) {
            const auto index = indexOf(sc.externals, key, &model::ExternalSpec::name);
            removals.emplace_back(
                ObjectEdit{ObjectKind::External, key, index, sc.externals[index], std::nullopt});
            b.moveLayout(key, std::nullopt);
            b.dropProbesNaming(key);
            b.renameInLesson(key, std::nullopt);
            names << qstr(key);
        }
    }
    std::vector<Edit> edits = b.finish();
    // Remove objects after the references to them are gone; remove from the
    // back of each list so stored indexes stay right on undo.
    std::sort(removals.begin(), removals.end(), [](const Edit& x, const Edit& y) {
        return std::get<ObjectEdit>(x).index < std::get<ObjectEdit>(y).index;
    });
    for (auto it = removals.rbegin(); it != removals.rend(); ++it) {
        edits.push_back(*it);
    }
    if (edits.empty()) {
        return {};
    }
    m_doc->edit(tr("Delete %1").arg(names.join(QStringLiteral(", "))), std::move(edits));
    return tr("Deleted %1").arg(names.join(QStringLiteral(", ")));
}

QString EditController::rename(ObjectKind kind, const std::string& from, const std::string& to) {
    const model::Scenario& sc = m_doc->scenario();
    if (from == to) {
        return {};
    }
    static const std::regex valid("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    if (!std::regex_match(to, valid)) {
        return tr("'%1' is not a valid name: use letters, digits, '_', '.' and '-'").arg(qstr(to));
    }
    if (freshKey(sc, kind, to) != to) {
        return tr("'%1' is already taken").arg(qstr(to));
    }
    EditBuilder b(sc);
    std::vector<Edit> edits;
    if (kind == ObjectKind::Service) {
        model::ServiceSpec s = *sc.findService(from);
        const auto index = indexOf(sc.services, from, &model::ServiceSpec::key);
        s.key = to;
        edits.emplace_back(ObjectEdit{kind, from, index, sc.services[index], std::nullopt});
        edits.emplace_back(ObjectEdit{kind, to, index, std::nullopt, s});
        for (const auto& o : sc.services) {
            if (o.networkMode == model::NetworkMode::Service && o.networkModeTarget == from) {
                b.service(o.key).networkModeTarget = to;
            }
        }
        b.renameInProbes(from, to, false);
    } else if (kind == ObjectKind::Network) {
        model::NetworkSpec n = *sc.findNetwork(from);
        const auto index = indexOf(sc.networks, from, &model::NetworkSpec::key);
        n.key = to;
        edits.emplace_back(ObjectEdit{kind, from, index, sc.networks[index], std::nullopt});
        edits.emplace_back(ObjectEdit{kind, to, index, std::nullopt, n});
        for (const auto& o : sc.services) {
            for (std::size_t i = 0; i < o.networks.size(); ++i) {
                if (o.networks[i].key == from) {
                    b.service(o.key).networks[i].key = to;
                }
            }
        }
        b.renameInProbes(from, to, true);
    } else if (kind == ObjectKind::Host) {
        model::HostSpec h = *sc.findHost(from);
        const auto index = indexOf(sc.hosts, from, &model::HostSpec::name);
        h.name = to;
        edits.emplace_back(ObjectEdit{kind, from, index, sc.hosts[index], std::nullopt});
        edits.emplace_back(ObjectEdit{kind, to, index, std::nullopt, h});
        for (const auto& o : sc.services) {
            if (o.host == from) {
                b.service(o.key).host = to;
            }
        }
        b.renameInProbes(from, to, false);
    } else {
        model::ExternalSpec e = *sc.findExternal(from);
        const auto index = indexOf(sc.externals, from, &model::ExternalSpec::name);
        e.name = to;
        edits.emplace_back(ObjectEdit{kind, from, index, sc.externals[index], std::nullopt});
        edits.emplace_back(ObjectEdit{kind, to, index, std::nullopt, e});
        b.renameInProbes(from, to, false);
    }
    if (m_doc->position(from)) {
        b.moveLayout(from, to);
    } else if (m_positions) {
        const char* prefix = kind == ObjectKind::Service   ? "svc:"
                             : kind == ObjectKind::Network ? "net:"
                             : kind == ObjectKind::Host    ? "host:"
                                                           : "ext:";
        if (auto p = m_positions(QLatin1String(prefix) + qstr(from))) {
            b.push(LayoutEdit{to, std::nullopt, rounded(*p)});
        }
    }
    b.renameInLesson(from, to);
    std::vector<Edit> rest = b.finish();
    edits.insert(edits.end(), rest.begin(), rest.end());
    m_doc->edit(tr("Rename %1 to %2").arg(qstr(from), qstr(to)), std::move(edits));
    return tr("Renamed %1 to %2").arg(qstr(from), qstr(to));
}

void EditController::move(const std::vector<NodeMove>& moves, const QString& text) {
    std::vector<Edit> edits;
    for (const auto& m : moves) {
        if (m.layoutName.empty()) {
            continue;
        }
        edits.emplace_back(LayoutEdit{m.layoutName,
                                      m_doc->position(m.layoutName)
                                          ? std::optional<Position>(rounded(m.before))
                                          : std::nullopt,
                                      rounded(m.after)});
    }
    if (edits.empty()) {
        return;
    }
    const QString t = !text.isEmpty() ? text
                      : moves.size() == 1
                          ? tr("Move %1").arg(qstr(moves.front().layoutName))
                          : tr("Move %n items", nullptr, static_cast<int>(moves.size()));
    m_doc->edit(t, std::move(edits));
}

}  // namespace cnmlab::ui

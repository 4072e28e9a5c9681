#include "model/compose_patch.hpp"

#include <algorithm>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "model/compose_reader.hpp"
#include "model/compose_writer.hpp"

namespace cnmlab::model {

namespace {

// The original text as lines (without their line break), and the break it uses.
struct Lines {
    std::vector<std::string> text;
    std::string eol = "\n";
    bool finalEol = true;

    explicit Lines(std::string_view s) {
        if (s.find("\r\n") != std::string_view::npos) {
            eol = "\r\n";
        }
        std::size_t at = 0;
        while (at < s.size()) {
            std::size_t nl = s.find('\n', at);
            if (nl == std::string_view::npos) {
                text.emplace_back(s.substr(at));
                finalEol = false;
                break;
            }
            std::string line(s.substr(at, nl - at));
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            text.push_back(std::move(line));
            at = nl + 1;
        }
    }

    int size() const { return static_cast<int>(text.size()); }

    // -1 for a blank line, else the column of its first character.
    int indent(int i) const {
        const std::string& l = text[static_cast<std::size_t>(i)];
        const auto first = l.find_first_not_of(' ');
        return first == std::string::npos ? -1 : static_cast<int>(first);
    }
    bool comment(int i) const {
        const int c = indent(i);
        return c >= 0 && text[static_cast<std::size_t>(i)][static_cast<std::size_t>(c)] == '#';
    }
};

// Lines [first, end) of a mapping entry whose key starts line `first` at
// column `col`: every following line indented deeper (or blank, or a comment
// indented deeper), up to the next line at `col` or left of it. Blank lines
// and comments at the end that are not indented deeper belong to what comes
// next, and stay.
int entryEnd(const Lines& lines, int first, int col) {
    int lastContent = first;
    for (int i = first + 1; i < lines.size(); ++i) {
        const int c = lines.indent(i);
        if (c < 0) {
            continue;
        }
        // A block sequence may sit at its key's own column ("key:\n- a").
        const std::string& l = lines.text[static_cast<std::size_t>(i)];
        const bool item = c == col && l[static_cast<std::size_t>(c)] == '-' &&
                          (l.size() == static_cast<std::size_t>(c) + 1 ||
                           l[static_cast<std::size_t>(c) + 1] == ' ');
        if (c <= col && !item) {
            break;
        }
        lastContent = i;
    }
    return lastContent + 1;
}

struct Edit {
    int first = 0;  // lines [first, end) are replaced by `text`
    int end = 0;
    std::string text;  // whole lines, each ending in '\n'
};

// `entry` (column-0 YAML from writeEntry) moved to column `col`.
std::string indented(const std::string& entry, int col) {
    std::string out;
    std::size_t at = 0;
    const std::string pad(static_cast<std::size_t>(col), ' ');
    while (at < entry.size()) {
        const std::size_t nl = entry.find('\n', at);
        const std::string line = entry.substr(at, nl - at);
        out += (line.empty() ? "" : pad) + line + "\n";
        at = nl == std::string::npos ? entry.size() : nl + 1;
    }
    return out;
}

// A mapping of the original, entry by entry.
struct EntryAt {
    int line = 0;
    int col = 0;
    bool flow = false;  // the value is a flow collection
};

struct SectionAt {
    bool present = false;
    int line = 0;        // the top-level key's line
    int end = 0;         // end of the whole top-level entry
    bool block = false;  // the value is a block mapping (or sequence) we can edit inside
    std::map<std::string, EntryAt> entries;
    std::vector<std::string> order;
};

SectionAt findSection(const YAML::Node& root, const Lines& lines, const std::string& key) {
    SectionAt s;
    for (const auto& kv : root) {
        if (kv.first.Scalar() != key) {
            continue;
        }
        s.present = true;
        s.line = kv.first.Mark().line;
        s.end = entryEnd(lines, s.line, kv.first.Mark().column);
        const YAML::Node& v = kv.second;
        s.block = v.IsMap() && v.Style() != YAML::EmitterStyle::Flow && v.size() > 0;
        if (s.block) {
            for (const auto& e : v) {
                EntryAt at;
                at.line = e.first.Mark().line;
                at.col = e.first.Mark().column;
                at.flow = (e.second.IsMap() || e.second.IsSequence()) &&
                          e.second.Style() == YAML::EmitterStyle::Flow;
                s.entries[e.first.Scalar()] = at;
                s.order.push_back(e.first.Scalar());
            }
        }
    }
    return s;
}

// Compares objects of one section by key and makes the edits that turn the
// section's text from `before` into `after`. `emit(obj, flow)` writes one
// entry; `whole(after)` writes the whole top-level entry for a section that
// cannot be edited inside (flow style, empty) or is new.
template <typename T>
void patchSection(const Lines& lines, const SectionAt& sec, const std::vector<T>& before,
                  const std::vector<T>& after, const std::function<std::string(const T&)>& keyOf,
                  const std::function<std::string(const T&, bool)>& emit,
                  const std::function<std::string()>& whole, std::vector<Edit>& edits,
                  std::vector<std::string>& appendAtEnd) {
    std::map<std::string, const T*> was;
    std::map<std::string, std::size_t> wasIndex;
    for (std::size_t i = 0; i < before.size(); ++i) {
        was[keyOf(before[i])] = &before[i];
        wasIndex[keyOf(before[i])] = i;
    }
    std::map<std::string, const T*> now;
    for (const auto& o : after) {
        now[keyOf(o)] = &o;
    }
    bool changed = before.size() != after.size();
    for (const auto& o : after) {
        auto it = was.find(keyOf(o));
        changed = changed || it == was.end() || emit(*it->second, false) != emit(o, false);
    }
    if (!changed) {
        return;
    }
    if (!sec.present || !sec.block) {
        const std::string text = after.empty() ? std::string() : whole();
        if (sec.present) {
            edits.push_back({sec.line, sec.end, text});
        } else if (!text.empty()) {
            appendAtEnd.push_back(text);
        }
        return;
    }
    const int col = sec.entries.empty() ? 2 : sec.entries.begin()->second.col;
    // Removed objects go, unless their place is taken by a renamed one (the
    // object at the same index is new): that one is written in their place.
    std::map<std::string, std::string> renamedInto;  // new key -> old key
    for (std::size_t i = 0; i < after.size(); ++i) {
        const std::string k = keyOf(after[i]);
        if (was.count(k) == 0 && i < before.size() && now.count(keyOf(before[i])) == 0) {
            renamedInto[k] = keyOf(before[i]);
        }
    }
    std::map<std::string, bool> reused;
    for (const auto& [k, old] : renamedInto) {
        reused[old] = true;
    }
    int lastEnd = sec.line + 1;
    for (const auto& k : sec.order) {
        const EntryAt& at = sec.entries.at(k);
        lastEnd = std::max(lastEnd, entryEnd(lines, at.line, at.col));
    }
    for (const auto& k : sec.order) {
        const EntryAt& at = sec.entries.at(k);
        const int end = entryEnd(lines, at.line, at.col);
        if (now.count(k) == 0 && reused.count(k) == 0) {
            edits.push_back({at.line, end, ""});
        }
    }
    for (const auto& o : after) {
        const std::string k = keyOf(o);
        std::string from = k;
        if (auto r = renamedInto.find(k); r != renamedInto.end()) {
            from = r->second;
        }
        auto at = sec.entries.find(from);
        if (at == sec.entries.end()) {
            edits.push_back({lastEnd, lastEnd, indented(emit(o, false), col)});
            continue;
        }
        const bool same = was.count(k) != 0 && emit(*was.at(k), false) == emit(o, false);
        if (!same) {
            const int end = entryEnd(lines, at->second.line, at->second.col);
            edits.push_back({at->second.line, end, indented(emit(o, at->second.flow), col)});
        }
    }
}

std::string layoutEntry(const std::string& name, const std::pair<double, double>& xy) {
    return fmt::format("{}: [{}, {}]\n", name, layoutNumber(xy.first), layoutNumber(xy.second));
}

std::string layoutFlow(const Scenario& sc) {
    std::string s = "x-layout: {";
    for (std::size_t i = 0; i < sc.layout.size(); ++i) {
        s += (i == 0 ? "" : ", ") + sc.layout[i].first + ": [" +
             layoutNumber(sc.layout[i].second.first) + ", " +
             layoutNumber(sc.layout[i].second.second) + "]";
    }
    return s + "}\n";
}

std::string applyEdits(const Lines& lines, std::vector<Edit> edits,
                       const std::vector<std::string>& appendAtEnd) {
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.first < b.first; });
    std::string out;
    int at = 0;
    auto emitLines = [&](int from, int to) {
        for (int i = from; i < to; ++i) {
            out += lines.text[static_cast<std::size_t>(i)];
            if (i + 1 < lines.size() || lines.finalEol) {
                out += lines.eol;
            }
        }
    };
    auto emitText = [&](const std::string& t) {
        if (!out.empty() && out.back() != '\n') {
            out += lines.eol;  // the file did not end in a line break
        }
        for (char c : t) {
            if (c == '\n') {
                out += lines.eol;
            } else {
                out += c;
            }
        }
    };
    for (const Edit& e : edits) {
        if (e.first < at) {
            continue;  // overlaps an edit already made (cannot happen for distinct objects)
        }
        emitLines(at, e.first);
        emitText(e.text);
        at = std::max(at, e.end);
    }
    emitLines(at, lines.size());
    for (const auto& t : appendAtEnd) {
        emitText(t);
    }
    return out;
}

bool sameLayoutEntry(const Scenario& a, const Scenario& b, const std::string& name) {
    auto find = [&](const Scenario& s) -> const std::pair<double, double>* {
        for (const auto& [n, xy] : s.layout) {
            if (n == name) {
                return &xy;
            }
        }
        return nullptr;
    };
    const auto* x = find(a);
    const auto* y = find(b);
    return (x == nullptr) == (y == nullptr) &&
           (x == nullptr || (layoutNumber(x->first) == layoutNumber(y->first) &&
                             layoutNumber(x->second) == layoutNumber(y->second)));
}

std::string patchText(std::string_view original, const Scenario& before, const Scenario& after) {
    const Lines lines(original);
    const YAML::Node root = YAML::Load(std::string(original));
    if (!root.IsMap()) {
        return writeScenario(after);
    }
    std::vector<Edit> edits;
    std::vector<std::string> appendAtEnd;

    // name
    const SectionAt name = findSection(root, lines, "name");
    if (after.nameGiven && (!before.nameGiven || before.projectName != after.projectName)) {
        const std::string text = "name: " + after.projectName + "\n";
        if (name.present) {
            edits.push_back({name.line, name.end, text});
        } else {
            edits.push_back({0, 0, text});
        }
    } else if (!after.nameGiven && name.present) {
        edits.push_back({name.line, name.end, ""});
    }

    const std::vector<HostSpec> noHosts;
    patchSection<HostSpec>(
        lines, findSection(root, lines, "x-hosts"), before.hostsGiven ? before.hosts : noHosts,
        after.hostsGiven ? after.hosts : noHosts, [](const HostSpec& h) { return h.name; },
        [](const HostSpec& h, bool flow) { return writeEntry(h, flow); },
        [&] {
            std::string s = "x-hosts:\n";
            for (const auto& h : after.hosts) {
                s += indented(writeEntry(h, false), 2);
            }
            return s;
        },
        edits, appendAtEnd);
    patchSection<ExternalSpec>(
        lines, findSection(root, lines, "x-externals"), before.externals, after.externals,
        [](const ExternalSpec& e) { return e.name; },
        [](const ExternalSpec& e, bool flow) { return writeEntry(e, flow); },
        [&] {
            std::string s = "x-externals:\n";
            for (const auto& e : after.externals) {
                s += indented(writeEntry(e, false), 2);
            }
            return s;
        },
        edits, appendAtEnd);
    patchSection<ServiceSpec>(
        lines, findSection(root, lines, "services"), before.services, after.services,
        [](const ServiceSpec& s) { return s.key; },
        [](const ServiceSpec& s, bool flow) { return writeEntry(s, flow); },
        [&] {
            std::string s = "services:\n";
            for (const auto& svc : after.services) {
                s += indented(writeEntry(svc, false), 2);
            }
            return s;
        },
        edits, appendAtEnd);
    auto declared = [](const std::vector<NetworkSpec>& v) {
        std::vector<NetworkSpec> out;
        std::copy_if(v.begin(), v.end(), std::back_inserter(out),
                     [](const NetworkSpec& n) { return !n.implicit; });
        return out;
    };
    const std::vector<NetworkSpec> netsBefore = declared(before.networks);
    const std::vector<NetworkSpec> netsAfter = declared(after.networks);
    patchSection<NetworkSpec>(
        lines, findSection(root, lines, "networks"), netsBefore, netsAfter,
        [](const NetworkSpec& n) { return n.key; },
        [](const NetworkSpec& n, bool flow) { return writeEntry(n, flow); },
        [&] {
            std::string s = "networks:\n";
            for (const auto& n : netsAfter) {
                s += indented(writeEntry(n, false), 2);
            }
            return s;
        },
        edits, appendAtEnd);

    // x-probes and x-lesson: written anew as a whole when they changed.
    auto wholeEntry = [&](const char* key, const std::string& was, const std::string& is) {
        if (was == is) {
            return;
        }
        const SectionAt s = findSection(root, lines, key);
        if (s.present) {
            edits.push_back({s.line, s.end, is});
        } else if (!is.empty()) {
            appendAtEnd.push_back(is);
        }
    };
    wholeEntry("x-probes", before.probes.empty() ? "" : writeProbesEntry(before.probes),
               after.probes.empty() ? "" : writeProbesEntry(after.probes));
    wholeEntry("x-lesson", before.lesson ? writeLessonEntry(*before.lesson) : "",
               after.lesson ? writeLessonEntry(*after.lesson) : "");

    // x-layout, entry by entry.
    const SectionAt layout = findSection(root, lines, "x-layout");
    bool layoutChanged = before.layout.size() != after.layout.size();
    for (const auto& [n, xy] : after.layout) {
        layoutChanged = layoutChanged || !sameLayoutEntry(before, after, n);
    }
    if (layoutChanged) {
        if (!layout.present) {
            if (!after.layout.empty()) {
                std::string s = "x-layout:\n";
                for (const auto& [n, xy] : after.layout) {
                    s += "  " + layoutEntry(n, xy);
                }
                appendAtEnd.push_back(s);
            }
        } else if (!layout.block) {
            edits.push_back(
                {layout.line, layout.end, after.layout.empty() ? "" : layoutFlow(after)});
        } else {
            const int col = layout.entries.begin()->second.col;
            int lastEnd = layout.line + 1;
            for (const auto& [k, at] : layout.entries) {
                lastEnd = std::max(lastEnd, entryEnd(lines, at.line, at.col));
            }
            auto has = [](const Scenario& s, const std::string& k) {
                return std::any_of(s.layout.begin(), s.layout.end(),
                                   [&](const auto& e) { return e.first == k; });
            };
            // A node renamed keeps its line: the entry at the same index.
            std::map<std::string, std::string> renamedFrom;
            for (std::size_t i = 0; i < after.layout.size() && i < before.layout.size(); ++i) {
                const std::string& k = after.layout[i].first;
                const std::string& old = before.layout[i].first;
                if (!has(before, k) && !has(after, old) && layout.entries.count(old) != 0) {
                    renamedFrom[k] = old;
                }
            }
            for (const auto& [k, at] : layout.entries) {
                const std::string& key = k;
                const bool reused = std::any_of(renamedFrom.begin(), renamedFrom.end(),
                                                [&](const auto& r) { return r.second == key; });
                if (!has(after, k) && !reused) {
                    edits.push_back({at.line, entryEnd(lines, at.line, at.col), ""});
                }
            }
            for (const auto& [n, xy] : after.layout) {
                auto at = layout.entries.find(n);
                if (auto r = renamedFrom.find(n); r != renamedFrom.end()) {
                    at = layout.entries.find(r->second);
                    edits.push_back({at->second.line, entryEnd(lines, at->second.line, col),
                                     indented(layoutEntry(n, xy), col)});
                } else if (at == layout.entries.end()) {
                    edits.push_back({lastEnd, lastEnd, indented(layoutEntry(n, xy), col)});
                } else if (!sameLayoutEntry(before, after, n)) {
                    edits.push_back({at->second.line, entryEnd(lines, at->second.line, col),
                                     indented(layoutEntry(n, xy), col)});
                }
            }
        }
    }
    return applyEdits(lines, std::move(edits), appendAtEnd);
}

}  // namespace

PatchResult patchScenario(std::string_view original, const Scenario& before,
                          const Scenario& after) {
    PatchResult r;
    try {
        r.text = patchText(original, before, after);
        // The patch must read as `after` does: otherwise write the file whole.
        // x-layout is a set of positions: its order does not count.
        auto canonical = [](Scenario s) {
            std::sort(s.layout.begin(), s.layout.end());
            return writeScenario(s);
        };
        if (canonical(readScenario(r.text, after.file)) == canonical(after)) {
            return r;
        }
    } catch (const YAML::Exception&) {
    } catch (const Error&) {
    }
    r.text = writeScenario(after);
    r.patched = false;
    return r;
}

}  // namespace cnmlab::model

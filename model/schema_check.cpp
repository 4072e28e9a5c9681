#include "model/schema_check.hpp"

#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/error.hpp"
#include "model/yaml_util.hpp"

namespace cnmlab::model {

extern const std::string_view kComposeSchemaJson;  // schema_data.cpp (generated)

namespace {

using Json = nlohmann::json;

const Json& composeSchema() {
    static const Json schema = Json::parse(kComposeSchemaJson);
    return schema;
}

// The keys of Compose's mappings of names (services, networks, volumes ...).
constexpr const char* kNamePattern = "^[a-zA-Z0-9._-]+$";

struct Failure {
    std::string message;
    YAML::Mark mark;
    std::size_t depth = 0;  // how far into the document it got; the deepest wins
};

bool isPlainScalar(const YAML::Node& n) {
    return n.IsScalar() && n.Tag() == "?";
}

bool matchesType(const YAML::Node& n, std::string_view type) {
    static const std::regex integer(R"(^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$)");
    static const std::regex number(
        R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$)");
    if (type == "object") {
        return n.IsMap();
    }
    if (type == "array") {
        return n.IsSequence();
    }
    if (type == "null") {
        return n.IsNull();
    }
    if (type == "string") {
        return n.IsScalar();
    }
    if (!isPlainScalar(n)) {
        return false;
    }
    const std::string& s = n.Scalar();
    if (type == "boolean") {
        return s == "true" || s == "false" || s == "True" || s == "False" || s == "TRUE" ||
               s == "FALSE";
    }
    if (type == "integer") {
        return std::regex_match(s, integer);
    }
    if (type == "number") {
        return std::regex_match(s, integer) || std::regex_match(s, number);
    }
    return false;
}

std::string typeList(const Json& type) {
    auto word = [](const std::string& t) -> std::string {
        if (t == "object") {
            return "a mapping";
        }
        if (t == "array") {
            return "a list";
        }
        if (t == "null") {
            return "nothing";
        }
        return "a " + t;
    };
    if (type.is_string()) {
        return word(type.get<std::string>());
    }
    std::string out;
    for (std::size_t i = 0; i < type.size(); ++i) {
        out += (i == 0 ? "" : (i + 1 == type.size() ? " or " : ", ")) +
               word(type[i].get<std::string>());
    }
    return out;
}

class SchemaChecker {
public:
    explicit SchemaChecker(const Json& root) : m_root(root) {}

    std::optional<Failure> check(const YAML::Node& n, const Json& schemaIn, const std::string& path,
                                 std::size_t depth) {
        const Json& s = resolve(schemaIn);
        if (!s.is_object()) {
            return std::nullopt;  // `{}` or `true`: anything goes
        }
        if (auto f = checkType(n, s, path, depth)) {
            return f;
        }
        if (auto it = s.find("oneOf"); it != s.end()) {
            if (auto f = checkAlternatives(n, *it, path, depth)) {
                return f;
            }
        }
        if (auto it = s.find("anyOf"); it != s.end()) {
            if (auto f = checkAlternatives(n, *it, path, depth)) {
                return f;
            }
        }
        if (auto it = s.find("allOf"); it != s.end()) {
            for (const auto& sub : *it) {
                if (auto f = check(n, sub, path, depth)) {
                    return f;
                }
            }
        }
        if (auto it = s.find("enum"); it != s.end() && n.IsScalar()) {
            bool found = false;
            for (const auto& v : *it) {
                found = found || (v.is_string() && v.get<std::string>() == n.Scalar());
            }
            if (!found) {
                return Failure{fmt::format("{}: '{}' is not one of the allowed values {}", path,
                                           n.Scalar(), it->dump()),
                               n.Mark(), depth};
            }
        }
        if (n.IsMap()) {
            return checkMap(n, s, path, depth);
        }
        if (n.IsSequence()) {
            return checkSequence(n, s, path, depth);
        }
        return checkRange(n, s, path, depth);
    }

private:
    const Json& resolve(const Json& s) const {
        const Json* cur = &s;
        for (int guard = 0; guard < 16 && cur->is_object() && cur->contains("$ref"); ++guard) {
            const std::string ref = (*cur)["$ref"].get<std::string>();
            cur = &m_root.at(Json::json_pointer(ref.substr(1)));
        }
        return *cur;
    }

    std::optional<Failure> checkType(const YAML::Node& n, const Json& s, const std::string& path,
                                     std::size_t depth) const {
        auto it = s.find("type");
        if (it == s.end()) {
            return std::nullopt;
        }
        if (it->is_string() && matchesType(n, it->get<std::string>())) {
            return std::nullopt;
        }
        if (it->is_array()) {
            for (const auto& t : *it) {
                if (matchesType(n, t.get<std::string>())) {
                    return std::nullopt;
                }
            }
        }
        return Failure{fmt::format("{}: expected {}, found {}", path, typeList(*it), describe(n)),
                       n.Mark(), depth};
    }

    // A type-compatible alternative is tried first; the failure that got
    // deepest into the document is the one reported.
    std::optional<Failure> checkAlternatives(const YAML::Node& n, const Json& alts,
                                             const std::string& path, std::size_t depth) {
        std::optional<Failure> best;
        for (const auto& alt : alts) {
            auto f = check(n, alt, path, depth);
            if (!f) {
                return std::nullopt;
            }
            if (!best || f->depth > best->depth) {
                best = std::move(f);
            }
        }
        return best;
    }

    std::optional<Failure> checkMap(const YAML::Node& n, const Json& s, const std::string& path,
                                    std::size_t depth) {
        const Json* props = s.contains("properties") ? &s["properties"] : nullptr;
        const Json* patterns = s.contains("patternProperties") ? &s["patternProperties"] : nullptr;
        const Json* additional =
            s.contains("additionalProperties") ? &s["additionalProperties"] : nullptr;
        std::set<std::string> seen;
        for (const auto& kv : n) {
            const YAML::Node& key = kv.first;
            if (!key.IsScalar()) {
                return Failure{fmt::format("{}: a key must be a plain string", path), key.Mark(),
                               depth + 1};
            }
            const std::string& name = key.Scalar();
            const std::string sub = path.empty() ? name : path + "." + name;
            if (!seen.insert(name).second) {
                return Failure{
                    fmt::format("{}: duplicate key '{}'", path.empty() ? "top level" : path, name),
                    key.Mark(), depth + 1};
            }
            const Json* schema = nullptr;
            if (props != nullptr && props->contains(name)) {
                schema = &(*props)[name];
            } else if (patterns != nullptr) {
                for (const auto& [pattern, sch] : patterns->items()) {
                    if (std::regex_search(name, regexFor(pattern))) {
                        schema = &sch;
                        break;
                    }
                }
            }
            if (schema == nullptr && additional != nullptr) {
                if (additional->is_boolean() && !additional->get<bool>()) {
                    return Failure{patterns != nullptr && patterns->contains(kNamePattern)
                                       ? invalidNameMessage(path, name)
                                       : unknownKeyMessage(path, name),
                                   key.Mark(), depth + 1};
                }
                schema = additional;
            }
            if (schema != nullptr) {
                if (auto f = check(kv.second, *schema, sub, depth + 1)) {
                    if (f->mark.is_null()) {
                        f->mark = key.Mark();
                    }
                    return f;
                }
            }
        }
        if (auto it = s.find("required"); it != s.end()) {
            for (const auto& r : *it) {
                if (!n[r.get<std::string>()]) {
                    return Failure{
                        fmt::format("{}: the key '{}' is required", path, r.get<std::string>()),
                        n.Mark(), depth};
                }
            }
        }
        return std::nullopt;
    }

    std::optional<Failure> checkSequence(const YAML::Node& n, const Json& s,
                                         const std::string& path, std::size_t depth) {
        auto it = s.find("items");
        if (it == s.end()) {
            return std::nullopt;
        }
        for (std::size_t i = 0; i < n.size(); ++i) {
            if (auto f = check(n[i], *it, fmt::format("{}[{}]", path, i), depth + 1)) {
                return f;
            }
        }
        return std::nullopt;
    }

    static std::optional<Failure> checkRange(const YAML::Node& n, const Json& s,
                                             const std::string& path, std::size_t depth) {
        if (!isPlainScalar(n) || (!s.contains("minimum") && !s.contains("maximum"))) {
            return std::nullopt;
        }
        double value = 0;
        try {
            value = std::stod(n.Scalar());
        } catch (const std::exception&) {
            return std::nullopt;  // not a number; the type check has spoken
        }
        if (s.contains("minimum") && value < s["minimum"].get<double>()) {
            return Failure{fmt::format("{}: {} is below the minimum {}", path, n.Scalar(),
                                       s["minimum"].dump()),
                           n.Mark(), depth};
        }
        if (s.contains("maximum") && value > s["maximum"].get<double>()) {
            return Failure{fmt::format("{}: {} is above the maximum {}", path, n.Scalar(),
                                       s["maximum"].dump()),
                           n.Mark(), depth};
        }
        return std::nullopt;
    }

    // A key of a mapping of names (services, volumes, a service's networks ...)
    // that is not a name: "services: 'Bad Name!' is not a valid service name".
    static std::string invalidNameMessage(const std::string& path, const std::string& name) {
        const std::string last = path.substr(path.rfind('.') + 1);
        std::string what = last == "depends_on" ? "service" : last;
        if (what.size() > 1 && what.back() == 's') {
            what.pop_back();  // services -> service, networks -> network
        }
        return fmt::format("{}: '{}' is not a valid {} name (Compose allows letters, digits, "
                           "'.', '_' and '-')",
                           path, name, what);
    }

    static std::string unknownKeyMessage(const std::string& path, const std::string& name) {
        return fmt::format("{}unknown key '{}' (the Compose specification has no such key{})",
                           path.empty() ? "" : path + ": ", name,
                           path.empty() ? "; cnmlab's own keys start with x-" : " here");
    }

    static std::string describe(const YAML::Node& n) {
        if (n.IsMap()) {
            return "a mapping";
        }
        if (n.IsSequence()) {
            return "a list";
        }
        if (n.IsNull()) {
            return "nothing";
        }
        return fmt::format("'{}'", n.Scalar());
    }

    const std::regex& regexFor(const std::string& pattern) {
        auto it = m_regexes.find(pattern);
        if (it == m_regexes.end()) {
            it = m_regexes.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
        }
        return it->second;
    }

    const Json& m_root;
    std::map<std::string, std::regex> m_regexes;
};

}  // namespace

void checkComposeSchema(const YAML::Node& document, const std::string& file) {
    SchemaChecker checker(composeSchema());
    if (auto f = checker.check(document, composeSchema(), "", 0)) {
        throw Error(ErrorKind::Invalid, f->message, positionOf(file, f->mark));
    }
}

}  // namespace cnmlab::model

#include "plugins/sdk/datastore.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace cnmlab::plugins {

namespace fs = std::filesystem;

namespace {
// A key as one file name: '/' and '%' escaped.
std::string fileOf(const std::string& key) {
    std::string out;
    for (const char c : key) {
        if (c == '/') {
            out += "%2F";
        } else if (c == '%') {
            out += "%25";
        } else {
            out += c;
        }
    }
    return out;
}
std::string keyOf(const std::string& file) {
    std::string out;
    for (std::size_t i = 0; i < file.size(); ++i) {
        if (file[i] == '%' && i + 2 < file.size()) {
            out += file.compare(i, 3, "%2F") == 0 ? '/' : '%';
            i += 2;
        } else {
            out += file[i];
        }
    }
    return out;
}
}  // namespace

Datastore::Json Datastore::get(const std::string& key) const {
    const auto all = list(key);
    const auto it = all.find(key);
    return it == all.end() ? Json() : it->second;
}

void MemoryStore::put(const std::string& key, const Json& value) {
    m_data[key] = value;
}
void MemoryStore::remove(const std::string& key) {
    m_data.erase(key);
}
std::map<std::string, Datastore::Json> MemoryStore::list(const std::string& prefix) const {
    std::map<std::string, Json> out;
    for (auto it = m_data.lower_bound(prefix);
         it != m_data.end() && it->first.rfind(prefix, 0) == 0; ++it) {
        out.insert(*it);
    }
    return out;
}

DirectoryStore::DirectoryStore(std::string dir) : m_dir(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec || !fs::is_directory(m_dir)) {
        throw std::runtime_error(fmt::format("cannot use {} as the datastore: {}", m_dir,
                                             ec ? ec.message() : "not a directory"));
    }
}

void DirectoryStore::put(const std::string& key, const Json& value) {
    const fs::path file = fs::path(m_dir) / fileOf(key);
    const fs::path tmp = file.string() + ".tmp";
    {
        std::ofstream out(tmp);
        out << value.dump() << "\n";
    }
    fs::rename(tmp, file);
}

void DirectoryStore::remove(const std::string& key) {
    std::error_code ec;
    fs::remove(fs::path(m_dir) / fileOf(key), ec);
}

std::map<std::string, Datastore::Json> DirectoryStore::list(const std::string& prefix) const {
    std::map<std::string, Json> out;
    for (const auto& e : fs::directory_iterator(m_dir)) {
        const std::string name = e.path().filename().string();
        if (name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
            continue;
        }
        const std::string key = keyOf(name);
        if (key.rfind(prefix, 0) != 0) {
            continue;
        }
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        auto j = Json::parse(ss.str(), nullptr, false);
        if (!j.is_discarded()) {
            out.emplace(key, std::move(j));
        }
    }
    return out;
}

}  // namespace cnmlab::plugins

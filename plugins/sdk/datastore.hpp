#pragma once
// A plugin cluster's shared state, as etcd keeps Calico's and Contiv's and
// Neutron's server keeps Kuryr's: keys (paths such as
// "neutron/ports/<id>") to JSON values. Every host's plugin reads what the
// others wrote; reconcile() turns it into routes and forwarding entries.
//   MemoryStore     one process: the simulation's hosts, in process.
//   DirectoryStore  plugin processes on several hosts (or daemons) sharing a
//                   directory: one file per key, written atomically.

#include <map>
#include <memory>
#include <string>

#include "drivers/remote_api.hpp"

namespace cnmlab::plugins {

class Datastore {
public:
    using Json = drivers::remote::Json;
    virtual ~Datastore() = default;
    Datastore() = default;
    Datastore(const Datastore&) = delete;
    Datastore& operator=(const Datastore&) = delete;

    virtual void put(const std::string& key, const Json& value) = 0;
    virtual void remove(const std::string& key) = 0;
    // Every key starting with `prefix`, sorted.
    virtual std::map<std::string, Json> list(const std::string& prefix) const = 0;
    Json get(const std::string& key) const;  // null when absent
};

class MemoryStore final : public Datastore {
public:
    void put(const std::string& key, const Json& value) override;
    void remove(const std::string& key) override;
    std::map<std::string, Json> list(const std::string& prefix) const override;

private:
    std::map<std::string, Json> m_data;
};

class DirectoryStore final : public Datastore {
public:
    // Creates `dir` when absent; throws std::runtime_error when it cannot.
    explicit DirectoryStore(std::string dir);
    void put(const std::string& key, const Json& value) override;
    void remove(const std::string& key) override;
    std::map<std::string, Json> list(const std::string& prefix) const override;

private:
    std::string m_dir;
};

}  // namespace cnmlab::plugins

#include "drivers/names.hpp"

#include <fmt/format.h>

#include "model/topology.hpp"

namespace cnmlab::drivers {

namespace {

// Byte `i` of the 32-byte id model::objectId derives from `seed`.
std::uint8_t hashByte(const std::string& id, std::size_t i) {
    return static_cast<std::uint8_t>(std::stoi(id.substr(2 * i, 2), nullptr, 16));
}

}  // namespace

model::Mac dockerMac(std::string_view seed) {
    const std::string id = model::objectId(std::string("mac/") + std::string(seed));
    return {0x02, 0x42, hashByte(id, 0), hashByte(id, 1), hashByte(id, 2), hashByte(id, 3)};
}

model::Mac nicMac(std::string_view seed) {
    const std::string id = model::objectId(std::string("nic/") + std::string(seed));
    return {0x52, 0x54, 0x00, hashByte(id, 0), hashByte(id, 1), hashByte(id, 2)};
}

model::Mac kernelMac(std::string_view seed) {
    const std::string id = model::objectId(std::string("kernel/") + std::string(seed));
    const auto first = static_cast<std::uint8_t>((hashByte(id, 0) & 0xfcU) | 0x02U);
    return {first,           hashByte(id, 1), hashByte(id, 2),
            hashByte(id, 3), hashByte(id, 4), hashByte(id, 5)};
}

std::string vethName(std::string_view endpointId, int attempt) {
    // 64 hex digits give 9 windows of 7; past them, hash the id again.
    std::string id(endpointId);
    const auto window = static_cast<std::size_t>(attempt % 9);
    for (int round = 0; round < attempt / 9; ++round) {
        id = model::objectId(id);
    }
    if (id.size() < 7 * (window + 1)) {
        id = model::objectId(id);
    }
    return "veth" + id.substr(7 * window, 7);
}

std::string lanPortName(std::string_view machine) {
    // Names a hub has of its own (the LAN's bridge, the router's eth0) get a
    // '_', which no user's name starts with.
    for (std::string_view own : {"lo", "eth0", "br-lan"}) {
        if (machine == own) {
            return "_" + std::string(machine);
        }
    }
    if (machine.size() <= 15) {
        return std::string(machine);
    }
    return fmt::format("{}-{}", machine.substr(0, 10), model::objectId(machine).substr(0, 4));
}

}  // namespace cnmlab::drivers

#pragma once
// Netfilter as iptables evaluates it: a chain's rules in order; ACCEPT and
// DROP end the table, RETURN goes back to the calling chain (or to the
// built-in chain's policy), a jump evaluates the target chain. Docker's rules
// only use the matches drivers::NfMatch models. Rules are compiled once
// (interface names to device indices, jump targets to chain indices), and a
// chain is evaluated as far as a packet's key allows once per key, so a packet
// costs a few integer compares per rule.

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "drivers/plan.hpp"
#include "sim/flow_table.hpp"
#include "sim/trace.hpp"

namespace cnmlab::sim {

struct Device;

// A rule compiled for speed: interfaces as device indices of its namespace,
// the jump target as a chain index. `src` is the Plan's rule.
struct NfCompiledRule {
    int inDev = -1;  // -1: any interface; -2: a name no device has
    bool inNot = false;
    int outDev = -1;
    bool outNot = false;
    std::string inPrefix;  // iptables "veth+" wildcards (rare), else empty
    std::string outPrefix;
    int jump = -1;  // chain index for Jump
    const drivers::NfRule* src = nullptr;
};

// Packet fields a chain (with the chains it jumps to) reads.
namespace nffield {
inline constexpr std::uint8_t kInterfaces = 1;
inline constexpr std::uint8_t kConntrack = 2;
inline constexpr std::uint8_t kLocal = 4;
inline constexpr std::uint8_t kAddresses = 8;
inline constexpr std::uint8_t kProtoPort = 16;
}  // namespace nffield

struct NfChainState {
    std::string name;
    // The same name in the Plan's own strings: Reasons point there, so a Reason
    // made by one World reads the same in any World built from that Plan.
    const std::string* planName = nullptr;
    bool builtin = false;
    bool policyDrop = false;
    std::vector<NfCompiledRule> rules;
    std::uint8_t reads = 0;  // nffield bits, transitively
};

// What a hook hands netfilter.
struct NfPacket {
    int inDev = -1;   // -1: locally generated
    int outDev = -1;  // -1: locally delivered
    const Frame* frame = nullptr;
    bool established = false;
    bool dstLocal = false;
};

// A chain's verdict: the rule that decided, or its policy (rule == nullptr).
struct NfDecision {
    drivers::NfVerdict verdict = drivers::NfVerdict::Accept;
    const drivers::NfRule* rule = nullptr;
    const std::string* chain = nullptr;
};

// One table (filter or nat) of one namespace: chains by index.
class NfTableState {
public:
    std::vector<NfChainState> chains;
    std::unordered_map<std::string, int> index;

    int chainIndex(const std::string& name) const {
        auto it = index.find(name);
        return it == index.end() ? -1 : it->second;
    }
    // A chain of the table, added the first time it is named; `name` is a
    // string of the Plan (the chain keeps a pointer to it).
    NfChainState& chainNamed(const std::string& name);
    // Compiles every rule against the namespace's devices (`nsDevices`
    // indices into `devices`); called once jump targets all exist.
    void compile(const std::vector<int>& nsDevices, const std::vector<Device>& devices);
    bool readsConntrack() const;  // a rule matches on conntrack state
    // Runs built-in chain `chain` (-1: the table has no such hook: ACCEPT).
    NfDecision run(int chain, const NfPacket& p, const std::vector<Device>& devices) const;

private:
    // A chain evaluated as far as a key allows. The key is what every packet of
    // a flow shares at a hook: in and out interface, conntrack state, address
    // type. Rules the key rules out are gone; a rule the key alone decides
    // (ACCEPT, DROP, RETURN, or a jump to a chain the key alone decides, such
    // as DOCKER-USER or DOCKER-ISOLATION-STAGE-1/2) ends the list as `tail`.
    // What is left to compare per packet are the rules that read addresses,
    // protocol or port (DOCKER's published ports, MASQUERADE's -s).
    struct Outcome {
        const drivers::NfRule* rule = nullptr;  // nullptr: the chain returned
        const std::string* chain = nullptr;
    };
    struct KeyedChain {
        std::vector<std::uint32_t> rules;  // indices of the rules left, in order
        Outcome tail;                      // when none of them decides
    };
    Outcome eval(int chain, const NfPacket& p, const std::vector<Device>& devices, int depth) const;
    const KeyedChain& keyed(int chain, const NfPacket& p, const std::vector<Device>& devices,
                            int depth) const;
    void computeReads();
    // (chain, key) -> its entry in `m_keyed` (a deque: entries stay put while a
    // jump evaluates and adds more).
    mutable Table64<const KeyedChain*> m_keyedIndex;
    mutable std::deque<KeyedChain> m_keyed;
};

}  // namespace cnmlab::sim

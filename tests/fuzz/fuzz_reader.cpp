// Feeds arbitrary bytes to the scenario reader and resolver. Any input must
// either load or raise cnmlab::model::Error: no crash, no leak, no other
// exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/compose_reader.hpp"
#include "model/compose_writer.hpp"
#include "model/topology.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        cnmlab::model::Scenario sc = cnmlab::model::readScenario(text, "fuzz.yaml");
        cnmlab::model::resolve(sc);
        // What was read must also write and read back.
        const std::string again = cnmlab::model::writeScenario(sc);
        cnmlab::model::Scenario sc2 = cnmlab::model::readScenario(again, "fuzz.yaml");
        cnmlab::model::resolve(sc2);
    } catch (const cnmlab::model::Error&) {
        // A clear error is a correct answer.
    }
    return 0;
}

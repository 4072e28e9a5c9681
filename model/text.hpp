#pragma once
// Words a person reads, in English and Simplified Chinese: a lesson's title
// and steps as the teacher wrote them, the simulation's explanations.

#include <string>

namespace cnmlab::model {

struct Text {
    std::string en;
    std::string zh;
    // The words in `lang` ("zh" for Chinese; anything else is English).
    const std::string& in(const std::string& lang) const { return lang == "zh" ? zh : en; }
    bool operator==(const Text&) const = default;
};

}  // namespace cnmlab::model

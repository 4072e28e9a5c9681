#pragma once
// Text from the core libraries into Qt: model/, drivers/ and sim/ keep text
// as UTF-8 std::string (they do not link Qt), the studio shows QStrings. The
// one spelling of that conversion in ui/.

#include <QString>

#include <string>

namespace cnmlab::ui {

// `s` (UTF-8) as a QString. Cost: one UTF-8 decode and allocation.
inline QString qstr(const std::string& s) {
    return QString::fromStdString(s);
}

}  // namespace cnmlab::ui

#include "model/error.hpp"

#include <fmt/format.h>

namespace cnmlab::model {

std::string Warning::formatted() const {
    if (pos.file.empty()) {
        return fmt::format("warning: {}", message);
    }
    return fmt::format("{}:{}:{}: warning: {}", pos.file, pos.line, pos.column, message);
}

std::string Error::formatted() const {
    if (m_pos.file.empty()) {
        return fmt::format("error: {}", m_message);
    }
    return fmt::format("{}:{}:{}: error: {}", m_pos.file, m_pos.line, m_pos.column, m_message);
}

}  // namespace cnmlab::model

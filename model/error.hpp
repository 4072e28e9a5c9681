#pragma once
// The one error type of cnmlab's core. It has a kind (what went wrong) and a
// context (where): a position in a scenario file, or a kernel operation.

#include <stdexcept>
#include <string>

namespace cnmlab::model {

enum class ErrorKind { Invalid, NotFound, Conflict, Unsupported, System };

struct SourcePos {
    std::string file;  // as the user named it; "-" for standard input
    int line = 0;      // 1-based; 0 when unknown
    int column = 0;    // 1-based; 0 when unknown
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string message, SourcePos pos = {})
        : std::runtime_error(message), m_kind(kind), m_message(std::move(message)),
          m_pos(std::move(pos)) {}

    ErrorKind kind() const { return m_kind; }
    const std::string& message() const { return m_message; }
    const SourcePos& pos() const { return m_pos; }

    // "FILE:LINE:COL: error: MESSAGE", as the command line prints file errors
    // (docs/command-line.md).
    std::string formatted() const;

private:
    ErrorKind m_kind;
    std::string m_message;
    SourcePos m_pos;
};

// Something legal that is probably not what the author meant (a near-miss `x-`
// key, an address that belongs to a host): the file still loads.
struct Warning {
    SourcePos pos;
    std::string message;
    // "FILE:LINE:COL: warning: MESSAGE".
    std::string formatted() const;
};

}  // namespace cnmlab::model

#include "drivers/go_json.hpp"

#include <cctype>

#include <fmt/format.h>

namespace cnmlab::drivers::remote {

namespace {

// Go's quoteChar: the character as a Go rune literal.
std::string quoteChar(char c) {
    switch (c) {
    case '\'':
        return "'\\''";
    case '"':
        return "'\"'";
    case '\n':
        return "'\\n'";
    case '\r':
        return "'\\r'";
    case '\t':
        return "'\\t'";
    default:
        break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
        return fmt::format("'\\x{:02x}'", u);
    }
    return fmt::format("'{}'", c);
}

struct SyntaxError {
    std::string message;
};

class Scanner {
public:
    explicit Scanner(std::string_view s) : m_s(s) {}

    void top() {
        skipSpace();
        if (m_i == m_s.size()) {
            throw SyntaxError{"EOF"};
        }
        value();
    }

private:
    [[noreturn]] void fail(std::string_view context) const {
        if (m_i >= m_s.size()) {
            throw SyntaxError{"unexpected EOF"};
        }
        throw SyntaxError{fmt::format("invalid character {} {}", quoteChar(m_s[m_i]), context)};
    }
    void skipSpace() {
        while (m_i < m_s.size() &&
               (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r')) {
            ++m_i;
        }
    }
    bool at(char c) const { return m_i < m_s.size() && m_s[m_i] == c; }
    bool digit() const {
        return m_i < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_i])) != 0;
    }

    void value() {
        skipSpace();
        if (at('{')) {
            object();
        } else if (at('[')) {
            array();
        } else if (at('"')) {
            string();
        } else if (at('-') || digit()) {
            number();
        } else if (at('t')) {
            literal("true");
        } else if (at('f')) {
            literal("false");
        } else if (at('n')) {
            literal("null");
        } else {
            fail("looking for beginning of value");
        }
    }

    void object() {
        ++m_i;
        skipSpace();
        if (at('}')) {
            ++m_i;
            return;
        }
        for (;;) {
            skipSpace();
            if (!at('"')) {
                fail("looking for beginning of object key string");
            }
            string();
            skipSpace();
            if (!at(':')) {
                fail("after object key");
            }
            ++m_i;
            value();
            skipSpace();
            if (at(',')) {
                ++m_i;
                continue;
            }
            if (at('}')) {
                ++m_i;
                return;
            }
            fail("after object key:value pair");
        }
    }

    void array() {
        ++m_i;
        skipSpace();
        if (at(']')) {
            ++m_i;
            return;
        }
        for (;;) {
            value();
            skipSpace();
            if (at(',')) {
                ++m_i;
                continue;
            }
            if (at(']')) {
                ++m_i;
                return;
            }
            fail("after array element");
        }
    }

    void string() {
        ++m_i;
        for (;;) {
            if (m_i >= m_s.size()) {
                fail("");
            }
            const char c = m_s[m_i];
            if (c == '"') {
                ++m_i;
                return;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                fail("in string literal");
            }
            if (c == '\\') {
                ++m_i;
                if (m_i < m_s.size() && m_s[m_i] == 'u') {
                    ++m_i;
                    for (int k = 0; k < 4; ++k, ++m_i) {
                        if (m_i >= m_s.size() ||
                            std::isxdigit(static_cast<unsigned char>(m_s[m_i])) == 0) {
                            fail("in \\u hexadecimal character escape");
                        }
                    }
                    continue;
                }
                if (m_i >= m_s.size() ||
                    std::string_view("\"\\/bfnrt").find(m_s[m_i]) == std::string_view::npos) {
                    fail("in string escape code");
                }
            }
            ++m_i;
        }
    }

    void number() {
        if (at('-')) {
            ++m_i;
            if (!digit()) {
                fail("in numeric literal");
            }
        }
        if (at('0')) {
            ++m_i;
        } else {
            while (digit()) {
                ++m_i;
            }
        }
        if (at('.')) {
            ++m_i;
            if (!digit()) {
                fail("after decimal point in numeric literal");
            }
            while (digit()) {
                ++m_i;
            }
        }
        if (at('e') || at('E')) {
            ++m_i;
            if (at('+') || at('-')) {
                ++m_i;
            }
            if (!digit()) {
                fail("in exponent of numeric literal");
            }
            while (digit()) {
                ++m_i;
            }
        }
    }

    void literal(std::string_view word) {
        for (std::size_t k = 0; k < word.size(); ++k, ++m_i) {
            if (!at(word[k])) {
                fail(fmt::format("in literal {} (expecting {})", word, quoteChar(word[k])));
            }
        }
    }

    std::string_view m_s;
    std::size_t m_i = 0;
};

}  // namespace

std::optional<std::string> goJsonSyntaxError(std::string_view body) {
    try {
        Scanner(body).top();
    } catch (const SyntaxError& e) {
        return e.message;
    }
    return std::nullopt;
}

}  // namespace cnmlab::drivers::remote

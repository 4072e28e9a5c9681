#pragma once
// What Go's encoding/json Decoder says of a body that is not JSON: the first
// syntax error in its scanner's words ("invalid character 'n' looking for
// beginning of object key string", "unexpected EOF", "EOF" for an empty
// body), so `cnmlab plugin check` reports a malformed reply as dockerd logs it.
// Only the first value is read, as Decoder.Decode reads it.

#include <optional>
#include <string>
#include <string_view>

namespace cnmlab::drivers::remote {

// nullopt when `body` starts with one well-formed JSON value.
std::optional<std::string> goJsonSyntaxError(std::string_view body);

}  // namespace cnmlab::drivers::remote

#pragma once
// Text fields of the inspector <-> model values. Parsing never throws: it
// returns nullopt (with a reason) for text the field cannot hold, and the
// inspector shows that reason next to the field without touching the model.
// What the text means for Docker (overlaps, ranges, conflicts) is checked by
// the document's full validation, the same as the CLI's.

#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "model/scenario.hpp"

namespace cnmlab::ui {

template <typename T> struct Parsed {
    std::optional<T> value;
    QString error;  // set when value is empty and the text was not blank
};

// "10.0.0.0/24"; blank -> no value, no error.
Parsed<model::Cidr> parseCidr(const QString& text);
Parsed<model::Ipv4> parseIpv4(const QString& text);
// "80/tcp, 53/udp, 8080" (tcp by default).
Parsed<std::vector<model::PortProto>> parsePortList(const QString& text);
QString portListText(const std::vector<model::PortProto>& ports);
// Compose's short syntax, comma separated: "8080:80, 127.0.0.1:53:53/udp, 9000-9001:90-91".
Parsed<std::vector<model::PortMapping>> parsePortMappings(const QString& text);
QString portMappingsText(const std::vector<model::PortMapping>& ports);
// "a, b, c" -> {"a","b","c"} (blank items dropped).
std::vector<std::string> parseNameList(const QString& text);
QString nameListText(const std::vector<std::string>& names);

}  // namespace cnmlab::ui

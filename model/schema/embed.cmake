# Writes OUT as a C++ source that holds the file IN as a string constant.
file(READ "${IN}" content)
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace cnmlab::model {\nextern const std::string_view kComposeSchemaJson;\nconst std::string_view kComposeSchemaJson = R\"cnmlabschema(${content})cnmlabschema\";\n}\n")

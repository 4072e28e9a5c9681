# Warnings and sanitizers as INTERFACE targets, linked PRIVATE by every
# cnmlab target (the cpp-best-practices/cmake_template habit).
add_library(cnmlab_warnings INTERFACE)
add_library(cnmlab::warnings ALIAS cnmlab_warnings)
target_compile_options(cnmlab_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wno-sign-conversion)
# The dev preset (what scripts/test.sh and CI build) turns every warning into an error.
option(CNMLAB_WERROR "Treat compiler warnings as errors" OFF)
if(CNMLAB_WERROR)
    target_compile_options(cnmlab_warnings INTERFACE -Werror)
endif()

add_library(cnmlab_options INTERFACE)
add_library(cnmlab::options ALIAS cnmlab_options)
option(CNMLAB_SANITIZE "Build with AddressSanitizer and UBSan" OFF)
if(CNMLAB_SANITIZE)
    target_compile_options(cnmlab_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(cnmlab_options INTERFACE -fsanitize=address,undefined)
endif()

# The layers the link graph declares, checked against what the sources include.
#
#   cmake -DROOT=<source tree> -P check_layers.cmake
#
# For each library directory (model, drivers, packet, sim, live, verify, plugins, ui),
# its CMakeLists.txt names the cnmlab:: libraries it links. A source file of
# that directory may include headers of its own directory and of the libraries
# it links, directly or through them; anything else (a header of a library the
# link graph keeps it away from, such as live/ from sim/ or sim/ from live/)
# fails. Header-only protocols a library may share without linking are listed
# in ALLOWED_HEADERS. Prints every violation with its file and line.
cmake_minimum_required(VERSION 3.20)
if(NOT ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P check_layers.cmake")
endif()

set(LIBRARIES model drivers packet sim live verify plugins ui)
# The studio talks to `cnmlab live helper` over this protocol without linking live/.
set(ALLOWED_HEADERS_ui "live/helper_protocol.hpp")
# What DESIGN.md keeps apart, whatever a CMakeLists.txt says: the two executors
# never see each other, packet/ sees only model/, the studio never enters a
# namespace itself.
set(FORBIDDEN_sim live verify ui)
set(FORBIDDEN_live sim verify ui)
set(FORBIDDEN_packet drivers sim live verify ui)
set(FORBIDDEN_ui live verify)
# Plugins build with the live executor and describe with drivers/; the
# simulation reaches them only through the protocol.
set(FORBIDDEN_plugins sim verify ui)

# Direct dependencies from each library's target_link_libraries.
foreach(lib IN LISTS LIBRARIES)
    set(file "${ROOT}/${lib}/CMakeLists.txt")
    if(NOT EXISTS "${file}")
        continue()
    endif()
    file(READ "${file}" text)
    string(REGEX MATCH "target_link_libraries\\(cnmlab_${lib}[^)]*\\)" link "${text}")
    if(NOT link)
        message(FATAL_ERROR "${file}: no target_link_libraries(cnmlab_${lib} ...)")
    endif()
    string(REGEX MATCHALL "cnmlab::[a-z_]+" deps "${link}")
    set(DIRECT_${lib} "")
    foreach(d IN LISTS deps)
        string(REPLACE "cnmlab::" "" d "${d}")
        if(d IN_LIST LIBRARIES)
            list(APPEND DIRECT_${lib} ${d})
        endif()
    endforeach()
    list(APPEND PRESENT ${lib})
endforeach()

# Transitive closure, by repeated expansion (the graph is small).
foreach(lib IN LISTS PRESENT)
    set(SEES_${lib} ${DIRECT_${lib}})
    set(grew TRUE)
    while(grew)
        set(grew FALSE)
        foreach(d IN LISTS SEES_${lib})
            foreach(dd IN LISTS DIRECT_${d})
                if(NOT dd IN_LIST SEES_${lib})
                    list(APPEND SEES_${lib} ${dd})
                    set(grew TRUE)
                endif()
            endforeach()
        endforeach()
    endwhile()
    if(lib IN_LIST SEES_${lib})
        message(FATAL_ERROR "${lib}: the link graph has a cycle through ${lib}")
    endif()
endforeach()

set(violations 0)
foreach(lib IN LISTS PRESENT)
    foreach(f IN LISTS FORBIDDEN_${lib})
        if(f IN_LIST SEES_${lib})
            message("${lib}/CMakeLists.txt: ${lib}/ links ${f}/ (through: ${DIRECT_${lib}}), which the layers forbid")
            math(EXPR violations "${violations} + 1")
        endif()
    endforeach()
endforeach()
foreach(lib IN LISTS PRESENT)
    file(GLOB_RECURSE sources "${ROOT}/${lib}/*.cpp" "${ROOT}/${lib}/*.hpp")
    foreach(src IN LISTS sources)
        file(STRINGS "${src}" lines REGEX "^[ \t]*#[ \t]*include[ \t]+\"[a-z_]+/")
        foreach(line IN LISTS lines)
            string(REGEX MATCH "\"([a-z_]+)/([^\"]+)\"" inc "${line}")
            set(dir "${CMAKE_MATCH_1}")
            set(header "${CMAKE_MATCH_1}/${CMAKE_MATCH_2}")
            if(NOT dir IN_LIST LIBRARIES OR dir STREQUAL lib OR dir IN_LIST SEES_${lib})
                continue()
            endif()
            if(header IN_LIST ALLOWED_HEADERS_${lib})
                continue()
            endif()
            file(RELATIVE_PATH rel "${ROOT}" "${src}")
            message("${rel}: includes ${header}, but ${lib}/ links only: ${SEES_${lib}}")
            math(EXPR violations "${violations} + 1")
        endforeach()
    endforeach()
endforeach()

if(violations GREATER 0)
    message(FATAL_ERROR "${violations} include(s) cross the layers the link graph declares")
endif()
foreach(lib IN LISTS PRESENT)
    message(STATUS "${lib}/ sees: ${SEES_${lib}}")
endforeach()

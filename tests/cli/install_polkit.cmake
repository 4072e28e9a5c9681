# Installs the build into PREFIX and checks the polkit action pkexec uses for
# `cnmlab live helper`: present, naming the installed cnmlab and `live`.
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD}" --prefix "${PREFIX}"
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${err}")
endif()
set(policy "${PREFIX}/share/polkit-1/actions/org.cnmlab.live.policy")
if(NOT EXISTS "${policy}" OR NOT EXISTS "${PREFIX}/bin/cnmlab")
    message(FATAL_ERROR "missing ${policy} or ${PREFIX}/bin/cnmlab")
endif()
file(READ "${policy}" text)
foreach(expected
        "<action id=\"org.cnmlab.live\">"
        "<annotate key=\"org.freedesktop.policykit.exec.path\">${PREFIX}/bin/cnmlab</annotate>"
        "<annotate key=\"org.freedesktop.policykit.exec.argv1\">live</annotate>"
        "<allow_active>auth_admin_keep</allow_active>")
    string(FIND "${text}" "${expected}" at)
    if(at LESS 0)
        message(FATAL_ERROR "${policy} lacks ${expected}:\n${text}")
    endif()
endforeach()
if(text MATCHES "@[A-Z_]+@")
    message(FATAL_ERROR "${policy} has an unsubstituted variable:\n${text}")
endif()
file(REMOVE_RECURSE "${PREFIX}")

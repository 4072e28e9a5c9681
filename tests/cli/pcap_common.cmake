# Shared by the pcapng scripts (run with -P; CLI, TSHARK, SCENARIO and OUT set
# by the test): a traced probe written to OUT, tshark's reading of it, and the
# check that tshark found nothing wrong. Each stops the test with the tool's
# own message when it fails.

# ARGN: the trace's arguments after the scenario.
function(trace_to_pcap)
    execute_process(COMMAND ${CLI} trace ${SCENARIO} ${ARGN} --pcap ${OUT}
                    RESULT_VARIABLE rc OUTPUT_QUIET)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "trace ${ARGN} failed: ${rc}")
    endif()
endfunction()

# Sets `result` to what tshark prints for OUT with the options in ARGN.
function(tshark_read result)
    execute_process(COMMAND ${TSHARK} -r ${OUT} ${ARGN}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "tshark failed: ${err}")
    endif()
    set(${result} "${out}" PARENT_SCOPE)
endfunction()

function(expect_clean_decode out)
    if(out MATCHES "[Mm]alformed|[Bb]ad checksum|incorrect")
        message(FATAL_ERROR "tshark reports a problem:\n${out}")
    endif()
endfunction()

# Writes a trace as pcapng and checks that tshark decodes every frame cleanly, on
# one interface per wire segment, with no copy taken for a retransmission.
execute_process(COMMAND ${CLI} trace ${SCENARIO} --from laptop --to host1 --proto tcp --port 8080
                        --pcap ${OUT} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "trace failed: ${rc}")
endif()
execute_process(COMMAND ${TSHARK} -r ${OUT} -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE
                        -o udp.check_checksum:TRUE -T fields -e frame.interface_name -e frame.protocols -e _ws.expert.message
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tshark failed: ${err}")
endif()
if(out MATCHES "[Mm]alformed|[Bb]ad checksum|incorrect")
    message(FATAL_ERROR "tshark reports a problem:\n${out}")
endif()
if(NOT out MATCHES "eth:ethertype:arp" OR NOT out MATCHES "eth:ethertype:ip:tcp")
    message(FATAL_ERROR "tshark did not see ARP and TCP:\n${out}")
endif()
if(out MATCHES "[Rr]etransmission")
    message(FATAL_ERROR "tshark takes a copy for a retransmission:\n${out}")
endif()
if(NOT out MATCHES "(^|\n)LAN\t" OR NOT out MATCHES "(^|\n)br-[0-9a-f]+@host1\t")
    message(FATAL_ERROR "not one interface per wire segment (LAN, the bridge on host1):\n${out}")
endif()

# A cross-host ping over an overlay, and one over an encrypted overlay, as
# pcapng: tshark decodes VXLAN and the inner ICMP on the LAN, every checksum
# correct; ESP on the LAN, which tshark opens with the key `cnmlab plan`
# prints for the security association (real AES-GCM).
execute_process(COMMAND ${CLI} trace ${SCENARIO} --from web --to api --pcap ${OUT}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "trace failed: ${rc}")
endif()
execute_process(COMMAND ${TSHARK} -r ${OUT} -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE
                        -T fields -e frame.interface_name
                        -e frame.protocols -e _ws.expert.message
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tshark failed: ${err}")
endif()
if(out MATCHES "[Mm]alformed|[Bb]ad checksum|incorrect")
    message(FATAL_ERROR "tshark reports a problem:\n${out}")
endif()
if(NOT out MATCHES "(^|\n)LAN\teth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp")
    message(FATAL_ERROR "no VXLAN with inner ICMP on the LAN:\n${out}")
endif()

# The encrypted network: api -> db crosses host2 -> host3 as ESP.
execute_process(COMMAND ${CLI} trace ${SCENARIO} --from api --to db --pcap ${OUT}
                RESULT_VARIABLE rc OUTPUT_QUIET)
execute_process(COMMAND ${CLI} plan ${SCENARIO} --host host2 OUTPUT_VARIABLE plan)
string(REGEX MATCH "ip xfrm state add src 192.168.100.12 dst 192.168.100.13 proto esp spi (0x[0-9a-f]+) reqid 0xd0c4e3 mode transport aead 'rfc4106\\(gcm\\(aes\\)\\)' (0x[0-9a-f]+) 64"
       sa "${plan}")
if(NOT sa)
    message(FATAL_ERROR "no SA host2 -> host3 in the plan:\n${plan}")
endif()
set(spi ${CMAKE_MATCH_1})
set(key ${CMAKE_MATCH_2})
execute_process(COMMAND ${TSHARK} -r ${OUT} -o esp.enable_encryption_decode:TRUE
                        "-ouat:esp_sa:\"IPv4\",\"192.168.100.12\",\"192.168.100.13\",\"${spi}\",\"AES-GCM with 8 octet ICV [RFC4106]\",\"${key}\",\"NULL\",\"\""
                        -T fields -e frame.interface_name -e frame.protocols
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "tshark failed: ${err}")
endif()
if(NOT out MATCHES "(^|\n)LAN\teth:ethertype:ip:esp:udp:vxlan:eth:ethertype:ip:icmp")
    message(FATAL_ERROR "the ESP packet host2 -> host3 does not open with the plan's key:\n${out}")
endif()

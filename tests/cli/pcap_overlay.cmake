# A cross-host ping over an overlay, and one over an encrypted overlay, as
# pcapng: tshark decodes VXLAN and the inner ICMP on the LAN, every checksum
# correct; ESP on the LAN, which tshark opens with the key `cnmlab plan`
# prints for the security association (real AES-GCM).
include(${CMAKE_CURRENT_LIST_DIR}/pcap_common.cmake)
trace_to_pcap(--from web --to api)
tshark_read(out -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE
            -T fields -e frame.interface_name -e frame.protocols -e _ws.expert.message)
expect_clean_decode("${out}")
if(NOT out MATCHES "(^|\n)LAN\teth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp")
    message(FATAL_ERROR "no VXLAN with inner ICMP on the LAN:\n${out}")
endif()

# The encrypted network: api -> db crosses host2 -> host3 as ESP.
trace_to_pcap(--from api --to db)
execute_process(COMMAND ${CLI} plan ${SCENARIO} --host host2 OUTPUT_VARIABLE plan)
string(REGEX MATCH "ip xfrm state add src 192.168.100.12 dst 192.168.100.13 proto esp spi (0x[0-9a-f]+) reqid 0xd0c4e3 mode transport aead 'rfc4106\\(gcm\\(aes\\)\\)' (0x[0-9a-f]+) 64"
       sa "${plan}")
if(NOT sa)
    message(FATAL_ERROR "no SA host2 -> host3 in the plan:\n${plan}")
endif()
set(spi ${CMAKE_MATCH_1})
set(key ${CMAKE_MATCH_2})
tshark_read(out -o esp.enable_encryption_decode:TRUE
            "-ouat:esp_sa:\"IPv4\",\"192.168.100.12\",\"192.168.100.13\",\"${spi}\",\"AES-GCM with 8 octet ICV [RFC4106]\",\"${key}\",\"NULL\",\"\""
            -T fields -e frame.interface_name -e frame.protocols)
if(NOT out MATCHES "(^|\n)LAN\teth:ethertype:ip:esp:udp:vxlan:eth:ethertype:ip:icmp")
    message(FATAL_ERROR "the ESP packet host2 -> host3 does not open with the plan's key:\n${out}")
endif()

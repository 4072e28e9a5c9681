# A macvlan network on parent eth0.10 across two hosts: on the LAN, tshark sees
# the frames tagged 802.1Q with VLAN id 10, the TCP handshake inside, and no
# untagged copy.
include(${CMAKE_CURRENT_LIST_DIR}/pcap_common.cmake)
trace_to_pcap(--from web --to api --proto tcp --port 8080)
tshark_read(out -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE
            -T fields -e frame.interface_name -e vlan.id -e frame.protocols -e ip.src -e ip.dst
            -e _ws.expert.message)
expect_clean_decode("${out}")
tshark_read(tagged -Y "vlan.id == 10 && tcp" -T fields -e ip.src -e ip.dst)
if(NOT tagged MATCHES "10.10.0.11\t10.10.0.12" OR NOT tagged MATCHES "10.10.0.12\t10.10.0.11")
    message(FATAL_ERROR "tshark found no TCP both ways in VLAN 10:\n${out}")
endif()
if(out MATCHES "(^|\n)LAN\t\t")
    message(FATAL_ERROR "an untagged frame on the LAN:\n${out}")
endif()

# Writes a trace as pcapng and checks that tshark decodes every frame cleanly, on
# one interface per wire segment, with no copy taken for a retransmission.
include(${CMAKE_CURRENT_LIST_DIR}/pcap_common.cmake)
trace_to_pcap(--from laptop --to host1 --proto tcp --port 8080)
tshark_read(out -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
            -T fields -e frame.interface_name -e frame.protocols -e _ws.expert.message)
expect_clean_decode("${out}")
if(NOT out MATCHES "eth:ethertype:arp" OR NOT out MATCHES "eth:ethertype:ip:tcp")
    message(FATAL_ERROR "tshark did not see ARP and TCP:\n${out}")
endif()
if(out MATCHES "[Rr]etransmission")
    message(FATAL_ERROR "tshark takes a copy for a retransmission:\n${out}")
endif()
if(NOT out MATCHES "(^|\n)LAN\t" OR NOT out MATCHES "(^|\n)br-[0-9a-f]+@host1\t")
    message(FATAL_ERROR "not one interface per wire segment (LAN, the bridge on host1):\n${out}")
endif()

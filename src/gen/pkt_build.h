/* Builds GTP-U frames: Ethernet, optional VLAN tags, outer IPv4/IPv6, UDP,
 * GTP-U with an optional PDU Session Container, inner IPv4/IPv6 with UDP or
 * TCP. Checksums are filled in, so captures decode cleanly in tshark. */
#ifndef GTPC_PKT_BUILD_H
#define GTPC_PKT_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct gtpc_pkt_spec {
	int n_vlan;
	uint16_t vlan[2];
	int outer_v6;
	uint8_t outer_src[16]; /* IPv4 addresses IPv4-mapped */
	uint8_t outer_dst[16];
	uint16_t udp_sport;
	uint16_t udp_dport;    /* 0 means 2152 */
	uint8_t msg_type;      /* 0 means 255 (G-PDU) */
	uint32_t teid;
	int psc;               /* add a PDU Session Container */
	uint8_t pdu_type;      /* 0 downlink, 1 uplink */
	uint8_t qfi;
	uint16_t seq;          /* with psc or seq_present, the S flag is set */
	int seq_present;
	int inner_v6;
	int inner_ext;         /* with inner_v6: destination-options headers before L4 */
	uint8_t inner_src[16];
	uint8_t inner_dst[16];
	uint8_t proto;         /* 17 UDP, 6 TCP, other: no L4 header */
	uint16_t sport, dport;
	uint16_t inner_len;    /* inner IP total length; raised to the headers' size */
};

/* Returns the frame length, or 0 when cap is too small. */
size_t gtpc_pkt_build(uint8_t *buf, size_t cap, const struct gtpc_pkt_spec *s);

#endif

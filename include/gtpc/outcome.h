/* SPDX-License-Identifier: MIT */
/* Every way a packet can end, named once. The XDP program counts each packet
 * in exactly one of the datapath counters; user space prints them by name. */
#ifndef GTPC_OUTCOME_H
#define GTPC_OUTCOME_H

/* What the parser concluded about a frame. */
#define GTPC_PARSE_OUTCOMES(X)                                                 \
	X(GPDU, "gpdu") \
	X(NOT_GTPU, "not_gtpu") \
	X(GTPU_OTHER, "gtpu_other") \
	X(FRAGMENT, "outer_fragment") \
	X(MALFORMED, "malformed") \
	X(UNPARSED, "unparsed")

/* Why a frame that claimed to be GTP-U could not be decoded: name and help
 * (each is also a datapath counter, include/gtpc/metrics.h). */
#define GTPC_MALFORMED_REASONS(X)                                              \
	X(NONE, "none", "not malformed (never counted)") \
	X(TRUNC_L2, "truncated_l2", "frame ends inside the Ethernet or VLAN header") \
	X(TRUNC_IP, "truncated_outer_ip", "frame ends inside the outer IP header") \
	X(BAD_IP, "bad_outer_ip_header", "outer IP header invalid (version, IHL, length)") \
	X(OUTER_LEN, "outer_ip_length", "outer IP length beyond the frame (Linux drops these)") \
	X(TRUNC_UDP, "truncated_udp", "frame ends inside the UDP header") \
	X(BAD_UDP_LEN, "bad_udp_length", "UDP length beyond the frame or below 8") \
	X(TRUNC_GTP, "truncated_gtp", "frame ends inside the GTP-U header") \
	X(GTP_VERSION, "gtp_version", "GTP version is not 1") \
	X(GTP_PT, "gtp_protocol_type", "GTP protocol type is not GTP (PT=0)") \
	X(GTP_LEN, "gtp_length", "GTP length disagrees with the UDP payload") \
	X(EXT_ZERO_LEN, "ext_zero_length", "GTP extension header of length 0") \
	X(EXT_OVERRUN, "ext_overrun", "GTP extension chain runs past the GTP payload") \
	X(INNER_NOT_IP, "inner_not_ip", "G-PDU payload is neither IPv4 nor IPv6") \
	X(TRUNC_INNER, "truncated_inner_ip", "frame ends inside the inner IP header") \
	X(BAD_INNER, "bad_inner_ip_header", "inner IP header invalid") \
	X(TRUNC_INNER_L4, "truncated_inner_l4", "frame ends inside the inner TCP/UDP ports")

/* Why a frame that may well be a valid G-PDU was not walked to its end: it
 * goes beyond the parser's bounds (the verifier needs them). Its own
 * outcome, never "not GTP-U", passed or dropped as parser.on_unparsed says
 * (p->reason holds one of these when the outcome is UNPARSED). */
#define GTPC_UNPARSED_REASONS(X)                                               \
	X(VLAN_DEPTH, "vlan_depth", "more VLAN tags than the parser walks (2)") \
	X(IP6_EXT, "ipv6_ext_chain", "more outer IPv6 extension headers than the parser walks (3)") \
	X(GTP_EXT, "gtp_ext_chain", "more GTP extension headers than the parser walks (8)")

#define GTPC_ENUM_OUTCOME(id, name) GTPC_OUT_##id,
#define GTPC_ENUM_MALFORMED(id, name, help) GTPC_MAL_##id,
enum gtpc_outcome { GTPC_PARSE_OUTCOMES(GTPC_ENUM_OUTCOME) GTPC_OUT__COUNT };
enum gtpc_malformed { GTPC_MALFORMED_REASONS(GTPC_ENUM_MALFORMED) GTPC_MAL__COUNT };
#define GTPC_ENUM_UNPARSED(id, name, help) GTPC_UNP_##id,
enum gtpc_unparsed { GTPC_UNP_NONE, GTPC_UNPARSED_REASONS(GTPC_ENUM_UNPARSED) GTPC_UNP__COUNT };

#endif

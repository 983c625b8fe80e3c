/* SPDX-License-Identifier: MIT */
/* Every way a packet can end, named once. The XDP program counts each packet
 * in exactly one of the datapath counters; user space prints them by name. */
#ifndef GTPC_OUTCOME_H
#define GTPC_OUTCOME_H

/* What the parser concluded about a frame. */
#define GTPC_PARSE_OUTCOMES(X)                                                 \
	X(GPDU, "gpdu")                                                        \
	X(NOT_GTPU, "not_gtpu")                                                \
	X(GTPU_OTHER, "gtpu_other")                                            \
	X(FRAGMENT, "outer_fragment")                                          \
	X(MALFORMED, "malformed")

/* Why a frame that claimed to be GTP-U could not be decoded. */
#define GTPC_MALFORMED_REASONS(X)                                              \
	X(NONE, "none")                                                        \
	X(TRUNC_L2, "truncated_l2")                                            \
	X(TRUNC_IP, "truncated_outer_ip")                                      \
	X(BAD_IP, "bad_outer_ip_header")                                       \
	X(TRUNC_UDP, "truncated_udp")                                          \
	X(BAD_UDP_LEN, "bad_udp_length")                                       \
	X(TRUNC_GTP, "truncated_gtp")                                          \
	X(GTP_VERSION, "gtp_version")                                          \
	X(GTP_PT, "gtp_protocol_type")                                         \
	X(GTP_LEN, "gtp_length")                                               \
	X(EXT_ZERO_LEN, "ext_zero_length")                                     \
	X(EXT_OVERRUN, "ext_overrun")                                          \
	X(EXT_TOO_MANY, "ext_chain_too_long")                                  \
	X(INNER_NOT_IP, "inner_not_ip")                                        \
	X(TRUNC_INNER, "truncated_inner_ip")                                   \
	X(BAD_INNER, "bad_inner_ip_header")                                    \
	X(TRUNC_INNER_L4, "truncated_inner_l4")

#define GTPC_ENUM_OUTCOME(id, name) GTPC_OUT_##id,
#define GTPC_ENUM_MALFORMED(id, name) GTPC_MAL_##id,
enum gtpc_outcome { GTPC_PARSE_OUTCOMES(GTPC_ENUM_OUTCOME) GTPC_OUT__COUNT };
enum gtpc_malformed { GTPC_MALFORMED_REASONS(GTPC_ENUM_MALFORMED) GTPC_MAL__COUNT };

/* Datapath counters of the XDP programs: the first block is the final fate of
 * a well-formed packet, the second one slot per malformed reason (those
 * packets are passed to the stack). Their sum equals the packets seen. */
#define GTPC_DATAPATH_FATES(X)                                                 \
	X(REDIRECTED, "redirected")                                            \
	X(PASS_NOT_GTPU, "passed_not_gtpu")                                    \
	X(PASS_GTPU_OTHER, "passed_gtpu_other")                                \
	X(PASS_FRAGMENT, "passed_outer_fragment")                              \
	X(PASS_NO_SOCKET, "passed_no_socket")                                  \
	X(PASS_CLASSIFIED, "passed_classified")                                \
	X(DROP_VERDICT, "dropped_verdict")

#define GTPC_ENUM_FATE(id, name) GTPC_CNT_##id,
enum gtpc_counter {
	GTPC_DATAPATH_FATES(GTPC_ENUM_FATE)
	GTPC_CNT_MALFORMED_BASE,
	GTPC_CNT__COUNT = GTPC_CNT_MALFORMED_BASE + GTPC_MAL__COUNT,
};

/* Extra per-CPU event counters that are not packet fates (they overlap). */
#define GTPC_DATAPATH_EVENTS(X)                                                \
	X(META_FAIL, "metadata_unavailable")                                   \
	X(VERDICT_EXPIRED, "verdict_expired_seen")

#define GTPC_ENUM_EVENT(id, name) GTPC_EV_##id,
enum gtpc_event { GTPC_DATAPATH_EVENTS(GTPC_ENUM_EVENT) GTPC_EV__COUNT };

#endif

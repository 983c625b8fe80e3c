/* SPDX-License-Identifier: MIT */
/* What identifies "one UE" for windows and verdicts. The XDP program and the
 * workers build it with this one function, so a verdict written by a worker
 * is found by the datapath. */
#ifndef GTPC_KEY_H
#define GTPC_KEY_H

#include "parse.h"

enum gtpc_key_mode {
	GTPC_KEY_UE = 0,   /* the UE's inner address */
	GTPC_KEY_FLOW = 1, /* inner 5-tuple, as seed 000 */
	GTPC_KEY_TEID = 2, /* the tunnel */
	GTPC_KEY__COUNT
};

struct gtpc_key {
	__u8 addr[16]; /* UE address, or the flow's source */
	__u8 peer[16]; /* the flow's destination */
	__u32 teid;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 mode;
	/* To 48 bytes: the zeroing then takes three stores that do not
	 * overlap, and a field read right after the key is built comes from
	 * exactly one of them (user space hashes it at once). */
	__u8 pad[6];
};

/* Whether gtpc_key_build() needs to be told which inner address is the UE's:
 * only a per-UE key of a packet without a PDU Session Container. Callers
 * look the UE prefixes up only then. */
GTPC_INLINE int gtpc_key_needs_direction(__u32 mode, const struct gtpc_pkt *p)
{
	return mode == GTPC_KEY_UE && p->dir == GTPC_DIR_UNKNOWN;
}

/* The parser options a key mode needs: key: flow needs the ports behind
 * inner IPv6 extension headers. */
GTPC_INLINE __u32 gtpc_key_parse_opts(__u32 mode)
{
	return mode == GTPC_KEY_FLOW ? GTPC_PARSE_INNER_EXT : 0;
}

/* ue_is_src says which inner address is the UE's when the packet has no PDU
 * Session Container telling the direction. */
GTPC_INLINE void gtpc_key_build(struct gtpc_key *k, const struct gtpc_pkt *p,
				__u32 mode, int ue_is_src)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->mode = (__u8)mode;
	if (mode == GTPC_KEY_TEID) {
		k->teid = p->teid;
	} else if (mode == GTPC_KEY_FLOW) {
		__builtin_memcpy(k->addr, p->src, 16);
		__builtin_memcpy(k->peer, p->dst, 16);
		k->sport = p->sport;
		k->dport = p->dport;
		k->proto = p->proto;
	} else {
		if (p->dir == GTPC_DIR_UL || (p->dir == GTPC_DIR_UNKNOWN && ue_is_src))
			__builtin_memcpy(k->addr, p->src, 16);
		else
			__builtin_memcpy(k->addr, p->dst, 16);
	}
}

#endif

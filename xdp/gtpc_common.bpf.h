/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Maps and helpers shared by both XDP programs (redirect and in-kernel). */
#ifndef GTPC_COMMON_BPF_H
#define GTPC_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Set by the loader before load (see xdp-tools' xdp_basic). */
const volatile __u32 cfg_parse_opts = 0;    /* GTPC_PARSE_* */
/* The parser reads its options where it uses them, from the read-only
 * map: the verifier then knows them there and does not walk the code of an
 * option that is off (a value carried through the parse loses that). */
#define GTPC_PARSE_OPTS(c) ((__u64)cfg_parse_opts)
#include "gtpc/parse.h"
#include "gtpc/key.h"
#include "gtpc/maps.h"
#include "gtpc/metrics.h"
#include "gtpc/rewrite.h"

const volatile __u32 cfg_key_mode = GTPC_KEY_UE;
const volatile __u32 cfg_ue_is_src = 1;   /* direction when no PSC, no prefix */
const volatile __u32 cfg_use_prefixes = 0;
/* forward.egress: what is not for the stack leaves by the egress device,
 * from the egress's MAC to the next hop's (next_hops by outer destination,
 * else the configured default). */
const volatile __u32 cfg_forward = 0;
const volatile struct gtpc_mac cfg_egress_mac = {};
const volatile __u32 cfg_has_default_next_hop = 0;
const volatile struct gtpc_mac cfg_default_next_hop = {};
/* parser.on_unparsed: drop what the parser cannot walk (else pass it). */
const volatile __u32 cfg_unparsed_drop = 0;
/* Entries in the allow map, kept by the daemon: no lookup while it is
 * empty. */
volatile __u32 allow_n = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct gtpc_key);
	__type(value, struct gtpc_verdict);
	__uint(max_entries, 65536);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, GTPC_CNT__COUNT);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, GTPC_EV__COUNT);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct gtpc_prefix_key);
	__type(value, __u32);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} ue_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} egress SEC(".maps");

/* UE prefixes that are never dropped or marked (policy.allow, and
 * `gtpclass verdicts allow` at run time). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct gtpc_prefix_key);
	__type(value, __u32);
	__uint(max_entries, GTPC_ALLOW_MAX);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} allow SEC(".maps");

/* Outer destination (16 bytes, IPv4-mapped) -> next-hop MAC, from the
 * egress's neighbour table, kept by the daemon. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct gtpc_prefix_key);
	__type(value, struct gtpc_mac);
	__uint(max_entries, 256);
} next_hops SEC(".maps");

static __always_inline void gtpc_count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += 1;
}

static __always_inline void gtpc_event(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&events, &idx);

	if (v)
		*v += 1;
}

/* Stamps the frame; returns 0 when the driver gave no metadata room. */
static __always_inline int gtpc_stamp(struct xdp_md *ctx, __u64 now)
{
	struct gtpc_meta *m;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m)))
		return 0;
	m = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(m + 1) > data)
		return 0;
	m->rx_ns = now;
	m->magic = GTPC_META_MAGIC;
	m->pad = 0;
	return 1;
}

/* Which inner address is the UE's when no PSC says so. */
static __always_inline int gtpc_ue_is_src(const struct gtpc_pkt *p)
{
	struct gtpc_prefix_key pk = { .prefixlen = 128 };

	if (!cfg_use_prefixes)
		return cfg_ue_is_src;
	__builtin_memcpy(pk.addr, p->src, 16);
	if (bpf_map_lookup_elem(&ue_prefixes, &pk))
		return 1;
	__builtin_memcpy(pk.addr, p->dst, 16);
	if (bpf_map_lookup_elem(&ue_prefixes, &pk))
		return 0;
	return cfg_ue_is_src;
}

/* A MAC from the read-only settings. Read through the volatile lvalue: a
 * copy from a cast-away pointer lets the compiler fold in the zero the
 * object file holds, not what the loader wrote. */
static __always_inline void gtpc_cfg_mac(struct gtpc_mac *out, const volatile struct gtpc_mac *in)
{
	int i;

	for (i = 0; i < 6; i++)
		out->addr[i] = in->addr[i];
}

/* The next hop of the frame's outer destination, if there is one. */
static __always_inline int gtpc_next_hop(struct xdp_md *ctx, const struct gtpc_pkt *p, struct gtpc_mac *dst)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct gtpc_prefix_key k = { .prefixlen = 128 };
	const struct gtpc_mac *nh;

	if (cfg_has_default_next_hop) {
		gtpc_cfg_mac(dst, &cfg_default_next_hop);
		return 1;
	}
	if (gtpc_outer_dst(data, end, p, k.addr))
		return 0;
	nh = bpf_map_lookup_elem(&next_hops, &k);
	if (nh)
		*dst = *nh;
	return nh != 0;
}

/* Gives the frame the Ethernet addresses it leaves the egress with: the
 * egress's as source, the next hop's as destination. Done here for both
 * modes, so the AF_XDP workers transmit frames as they get them. Returns 0,
 * or -1 when the next hop is not known (yet). */
static __always_inline int gtpc_egress_macs(struct xdp_md *ctx, const struct gtpc_pkt *p)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct gtpc_mac src, dst;

	if (!gtpc_next_hop(ctx, p, &dst))
		return -1;
	gtpc_cfg_mac(&src, &cfg_egress_mac);
	return gtpc_set_macs(data, end, &dst, &src);
}

/* Sends the frame to the egress by devmap. Returns XDP_REDIRECT, or -1 when
 * it cannot be forwarded (no next-hop MAC, no egress), which the caller
 * passes to the stack and counts. */
static __always_inline int gtpc_forward(struct xdp_md *ctx, const struct gtpc_pkt *p)
{
	if (gtpc_egress_macs(ctx, p))
		return -1;
	return bpf_redirect_map(&egress, 0, 0) == XDP_REDIRECT ? XDP_REDIRECT : -1;
}

/* Forwards, counting the fate; a frame that cannot go is passed. */
static __always_inline int gtpc_forward_counted(struct xdp_md *ctx, const struct gtpc_pkt *p, __u32 fate)
{
	if (gtpc_forward(ctx, p) == XDP_REDIRECT) {
		gtpc_count(fate);
		return XDP_REDIRECT;
	}
	gtpc_count(GTPC_CNT_PASS_NOT_FORWARDED);
	return XDP_PASS;
}

/* The fate of a parsed frame that is not a G-PDU. With an egress, GTP-U
 * messages and outer fragments are the UPF's and go there; the rest (ARP,
 * ICMP, routing, malformed frames) is the host's. */
static __always_inline int gtpc_non_gpdu(struct xdp_md *ctx, const struct gtpc_pkt *p)
{
	switch (p->outcome) {
	case GTPC_OUT_NOT_GTPU:
		gtpc_count(GTPC_CNT_PASS_NOT_GTPU);
		break;
	case GTPC_OUT_GTPU_OTHER:
		if (cfg_forward)
			return gtpc_forward_counted(ctx, p, GTPC_CNT_FWD_GTPU_OTHER);
		gtpc_count(GTPC_CNT_PASS_GTPU_OTHER);
		break;
	case GTPC_OUT_FRAGMENT:
		if (cfg_forward)
			return gtpc_forward_counted(ctx, p, GTPC_CNT_FWD_FRAGMENT);
		gtpc_count(GTPC_CNT_PASS_FRAGMENT);
		break;
	case GTPC_OUT_UNPARSED:
		gtpc_count(p->reason == GTPC_UNP_VLAN_DEPTH ? GTPC_CNT_UNPARSED_VLAN_DEPTH :
			   p->reason == GTPC_UNP_IP6_EXT    ? GTPC_CNT_UNPARSED_IP6_EXT :
							      GTPC_CNT_UNPARSED_GTP_EXT);
		return cfg_unparsed_drop ? XDP_DROP : XDP_PASS;
	default:
		gtpc_count(GTPC_CNT_MALFORMED_BASE + (p->reason < GTPC_MAL__COUNT ? p->reason : 0));
		break;
	}
	return XDP_PASS;
}

/* The UE's verdict, unless it has expired (a stalled daemon cannot extend
 * one). */
static __always_inline const struct gtpc_verdict *gtpc_live_verdict(const struct gtpc_key *k, __u64 now)
{
	struct gtpc_verdict *v = bpf_map_lookup_elem(&verdicts, k);

	if (!v)
		return 0;
	if (now >= v->expires_ns) {
		gtpc_event(GTPC_EV_VERDICT_EXPIRED);
		return 0;
	}
	return v;
}

/* Whether the UE is in an allowed prefix: its address, or with a flow key
 * either end (a TEID names no address). */
static __always_inline int gtpc_allowed(const struct gtpc_key *k)
{
	struct gtpc_prefix_key pk = { .prefixlen = 128 };

	if (!allow_n || k->mode == GTPC_KEY_TEID)
		return 0;
	__builtin_memcpy(pk.addr, k->addr, 16);
	if (bpf_map_lookup_elem(&allow, &pk))
		return 1;
	if (k->mode != GTPC_KEY_FLOW)
		return 0;
	__builtin_memcpy(pk.addr, k->peer, 16);
	return bpf_map_lookup_elem(&allow, &pk) != 0;
}

/* The one place an action is carried out in XDP, for both programs.
 * Returns the XDP action (counted) when the action ends the packet here,
 * or -1 when the caller goes on to pass, forward or redirect it. */
static __always_inline int gtpc_enforce(struct xdp_md *ctx, const struct gtpc_pkt *p, const struct gtpc_act *a)
{
	switch (a->action) {
	case GTPC_ACT_DROP:
		gtpc_count(GTPC_CNT_DROP_VERDICT);
		return XDP_DROP;
	case GTPC_ACT_MARK:
		if (gtpc_mark((void *)(long)ctx->data, (void *)(long)ctx->data_end, p, GTPC_MARK_DSCP(a->param),
			      a->param & GTPC_MARK_INNER))
			gtpc_event(GTPC_EV_MARK_FAILED);
		else
			gtpc_event(GTPC_EV_MARKED);
		return -1;
	default:
		return -1;
	}
}

/* What both programs do first: parse, build the UE key (looking up which
 * inner address is the UE's only when the key needs it), carry out a live
 * verdict. Returns -1 for a G-PDU to classify (p and k filled), otherwise
 * the XDP action, already counted. */
static __always_inline int gtpc_front(struct xdp_md *ctx, __u64 now, struct gtpc_pkt *p, struct gtpc_key *k)
{
	const struct gtpc_verdict *v;

	if (gtpc_parse_opts((void *)(long)ctx->data, (void *)(long)ctx->data_end, cfg_parse_opts, p) !=
	    GTPC_OUT_GPDU)
		return gtpc_non_gpdu(ctx, p);
	gtpc_key_build(k, p, cfg_key_mode, gtpc_key_needs_direction(cfg_key_mode, p) ? gtpc_ue_is_src(p) : 1);
	v = gtpc_allowed(k) ? 0 : gtpc_live_verdict(k, now);
	return v ? gtpc_enforce(ctx, p, &v->act) : -1;
}

#endif

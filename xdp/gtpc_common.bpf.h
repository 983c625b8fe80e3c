/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Maps and helpers shared by both XDP programs (redirect and in-kernel). */
#ifndef GTPC_COMMON_BPF_H
#define GTPC_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "gtpc/parse.h"
#include "gtpc/key.h"
#include "gtpc/maps.h"
#include "gtpc/metrics.h"

/* Set by the loader before load (see xdp-tools' xdp_basic). */
const volatile __u32 cfg_key_mode = GTPC_KEY_UE;
const volatile __u32 cfg_ue_is_src = 1;   /* direction when no PSC, no prefix */
const volatile __u32 cfg_use_prefixes = 0;
const volatile __u32 cfg_parse_opts = 0;    /* GTPC_PARSE_* */

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

/* The fate of a parsed frame that is not a G-PDU. */
static __always_inline int gtpc_pass_non_gpdu(const struct gtpc_pkt *p)
{
	switch (p->outcome) {
	case GTPC_OUT_NOT_GTPU:
		gtpc_count(GTPC_CNT_PASS_NOT_GTPU);
		break;
	case GTPC_OUT_GTPU_OTHER:
		gtpc_count(GTPC_CNT_PASS_GTPU_OTHER);
		break;
	case GTPC_OUT_FRAGMENT:
		gtpc_count(GTPC_CNT_PASS_FRAGMENT);
		break;
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

/* The one place an action is carried out in XDP, for both programs.
 * Returns the XDP action (counted) when the action ends the packet here,
 * or -1 when the caller goes on to pass or redirect it. */
static __always_inline int gtpc_enforce(const struct gtpc_act *a)
{
	switch (a->action) {
	case GTPC_ACT_DROP:
		gtpc_count(GTPC_CNT_DROP_VERDICT);
		return XDP_DROP;
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
		return gtpc_pass_non_gpdu(p);
	gtpc_key_build(k, p, cfg_key_mode, gtpc_key_needs_direction(cfg_key_mode, p) ? gtpc_ue_is_src(p) : 1);
	v = gtpc_live_verdict(k, now);
	return v ? gtpc_enforce(&v->act) : -1;
}

#endif

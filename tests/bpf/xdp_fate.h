/* The rule that ties the two compilations of the parser together: which
 * counter the XDP program must move for a frame, from what the user-space
 * parser made of it, and whether both build the same UE key. Shared by the
 * differential test (tests/bpf) and its libFuzzer target (tests/fuzz). */
#ifndef GTPC_XDP_FATE_H
#define GTPC_XDP_FATE_H

#include <stdint.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "gtpc/key.h"
#include "gtpc/maps.h"
#include "gtpc/metrics.h"
#include "gtpc/parse.h"

/* The fate of a frame in a program without sockets, egress or verdicts. */
static inline int gtpc_fate_expected(const struct gtpc_pkt *p)
{
	switch (p->outcome) {
	case GTPC_OUT_GPDU:
		return GTPC_CNT_PASS_NO_SOCKET;
	case GTPC_OUT_NOT_GTPU:
		return GTPC_CNT_PASS_NOT_GTPU;
	case GTPC_OUT_GTPU_OTHER:
		return GTPC_CNT_PASS_GTPU_OTHER;
	case GTPC_OUT_FRAGMENT:
		return GTPC_CNT_PASS_FRAGMENT;
	case GTPC_OUT_UNPARSED:
		return p->reason == GTPC_UNP_VLAN_DEPTH ? GTPC_CNT_UNPARSED_VLAN_DEPTH :
		       p->reason == GTPC_UNP_IP6_EXT    ? GTPC_CNT_UNPARSED_IP6_EXT :
							   GTPC_CNT_UNPARSED_GTP_EXT;
	default:
		return GTPC_CNT_MALFORMED_BASE + p->reason;
	}
}

static inline int gtpc_fate_sum(int fd, uint64_t *out)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t vals[ncpu > 0 ? ncpu : 1];
	uint32_t i;
	int c;

	for (i = 0; i < GTPC_CNT__COUNT; i++) {
		if (bpf_map_lookup_elem(fd, &i, vals))
			return -1;
		out[i] = 0;
		for (c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
	return 0;
}

/* Runs one frame; returns the one fate counter that moved by one, or -1
 * when none or several did. */
static inline int gtpc_fate_run(int prog_fd, int counters_fd, const uint8_t *pkt, size_t len)
{
	uint64_t before[GTPC_CNT__COUNT], after[GTPC_CNT__COUNT];
	uint8_t out[4096 + 64];
	struct xdp_md in_ctx = { .data_end = (uint32_t)len };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .ctx_in = &in_ctx, .ctx_size_in = sizeof(in_ctx), .repeat = 1);
	int i, fate = -1, moved = 0;

	if (gtpc_fate_sum(counters_fd, before) || bpf_prog_test_run_opts(prog_fd, &o) ||
	    gtpc_fate_sum(counters_fd, after))
		return -2;
	for (i = 0; i < GTPC_CNT__COUNT; i++) {
		if (after[i] != before[i]) {
			moved++;
			fate = after[i] - before[i] == 1 ? i : -1;
		}
	}
	return moved == 1 ? fate : -1;
}

/* Whether XDP keys the G-PDU as user space does: a drop verdict put at
 * user space's key must drop the frame. */
static inline int gtpc_fate_same_key(int prog_fd, int counters_fd, int verdicts_fd, const uint8_t *pkt, size_t len,
				     const struct gtpc_key *k)
{
	struct gtpc_verdict v = { .act = { .action = GTPC_ACT_DROP }, .expires_ns = UINT64_MAX };
	int fate;

	if (bpf_map_update_elem(verdicts_fd, k, &v, BPF_ANY))
		return 0;
	fate = gtpc_fate_run(prog_fd, counters_fd, pkt, len);
	bpf_map_delete_elem(verdicts_fd, k);
	return fate == GTPC_CNT_DROP_VERDICT;
}

#endif

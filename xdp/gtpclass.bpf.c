// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The AF_XDP-mode datapath: parse, stamp, enforce verdicts, redirect G-PDUs
 * to the socket of their RX queue, pass everything else to the stack. */
#include "gtpc_common.bpf.h"

/* The longest frame a socket's UMEM frame holds (frame_size less the
 * XDP headroom): a longer one would be redirected, then dropped by the
 * socket; it goes to the stack instead, as without gtpclass. */
const volatile __u32 cfg_max_frame = 0;

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 64);
} xsks SEC(".maps");

SEC("xdp")
int gtpc_redirect(struct xdp_md *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	struct gtpc_pkt p;
	struct gtpc_key k;
	long rc;

	if (!gtpc_stamp(ctx, now))
		gtpc_event(GTPC_EV_META_FAIL);
	rc = gtpc_front(ctx, now, &p, &k);
	if (rc >= 0)
		return rc;
	if (cfg_max_frame && ctx->data_end - ctx->data > cfg_max_frame) {
		gtpc_count(GTPC_CNT_PASS_TOO_BIG);
		return XDP_PASS;
	}
	/* The worker transmits the frame as it gets it, so its MACs are set
	 * here; a destination not yet resolved goes to the kernel, which
	 * forwards it and resolves the address on the way. */
	if (cfg_forward && gtpc_egress_macs(ctx, &p)) {
		gtpc_count(GTPC_CNT_PASS_NOT_FORWARDED);
		return XDP_PASS;
	}
	rc = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	gtpc_count(rc == XDP_REDIRECT ? GTPC_CNT_REDIRECTED : GTPC_CNT_PASS_NO_SOCKET);
	return rc;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

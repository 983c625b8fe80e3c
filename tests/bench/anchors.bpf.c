// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The bench's anchors: programs that do the least each job needs, so that
 * gtpclass's figures stand beside what the rig itself allows.
 *  fwd_bare  every frame to the egress by devmap, MACs rewritten (the least
 *            an XDP forwarder does);
 *  xsk_bare  every frame to the AF_XDP socket of its queue (for the bare
 *            AF_XDP forwarder, tests/bench/bench_afxdp_fwd.c);
 *  upf_count counts and drops what reaches the UPF's interface (the
 *            receiver the zero-loss trials read). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u8 cfg_src_mac[6] = {};
const volatile __u8 cfg_dst_mac[6] = {};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 1);
} egress SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 64);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} received SEC(".maps");

SEC("xdp")
int fwd_bare(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	int i;

	if (data + 12 > end)
		return XDP_PASS;
	for (i = 0; i < 6; i++) {
		data[i] = cfg_dst_mac[i];
		data[6 + i] = cfg_src_mac[i];
	}
	return bpf_redirect_map(&egress, 0, XDP_PASS);
}

SEC("xdp")
int xsk_bare(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
}

/* Counts IPv4 UDP to port 2152 (the G-PDUs; ARP and ND from the host are
 * not the traffic under test) and drops everything. */
SEC("xdp")
int upf_count(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	__u64 *n;

	if (data + 14 + 20 + 8 > end || data[12] != 0x08 || data[13] != 0x00 || data[14 + 9] != 17)
		return XDP_DROP;
	if (data[14 + 20 + 2] != 0x08 || data[14 + 20 + 3] != 0x68) /* 2152, no IP options */
		return XDP_DROP;
	n = bpf_map_lookup_elem(&received, &zero);
	if (n)
		*n += 1;
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* The bench's bare AF_XDP forwarder: every frame of N3 queue 0 is
 * transmitted on the egress from the frame it arrived in (shared UMEM),
 * with only its MACs rewritten: no parsing, no engine. gtpclass's
 * forwarding is measured as a ratio to it. Uses the daemon's own socket
 * code (src/daemon/xsk_port.c), so the two differ only by what gtpclass
 * adds.
 * Usage: bench_afxdp_fwd N3 EGRESS NEXT_HOP_MAC SECONDS   (pin it with taskset) */
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_xdp.h>

#include "anchors.skel.h"
#include "config/config.h"
#include "daemon/xsk_port.h"
#include "gtpc/rewrite.h"
#include "util/util.h"

/* The run ends at its duration or at SIGTERM (the trial's traffic is over). */
static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void forward_batch(struct gtpc_xsk *x, const struct gtpc_mac *dst, const struct gtpc_mac *src, uint64_t *rx,
			  uint64_t *lost)
{
	uint32_t idx, n, i, t, sent = 0;

	n = xsk_ring_cons__peek(&x->rx, 64, &idx);
	if (!n) {
		struct pollfd p = { .fd = x->fd, .events = POLLIN };

		poll(&p, 1, 1);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, idx + i);
		uint8_t *pkt = xsk_umem__get_data(x->area, xsk_umem__add_offset_to_addr(d->addr));

		gtpc_set_macs(pkt, pkt + d->len, dst, src);
		if (xsk_ring_prod__reserve(&x->tx, 1, &t) != 1) {
			gtpc_xsk_kick_tx(x);
			gtpc_xsk_complete(x);
			if (xsk_ring_prod__reserve(&x->tx, 1, &t) != 1) {
				x->free_frames[x->n_free++] = xsk_umem__extract_addr(d->addr);
				(*lost)++;
				continue;
			}
		}
		xsk_ring_prod__tx_desc(&x->tx, t)->addr = d->addr;
		xsk_ring_prod__tx_desc(&x->tx, t)->len = d->len;
		sent++;
	}
	xsk_ring_prod__submit(&x->tx, sent);
	gtpc_xsk_kick_tx(x);
	gtpc_xsk_complete(x);
	xsk_ring_cons__release(&x->rx, n);
	gtpc_xsk_refill(x);
	if (xsk_ring_prod__needs_wakeup(&x->fq))
		recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	*rx += n;
}

int main(int argc, char **argv)
{
	struct gtpc_worker_cfg wc = { .queue = 0, .cpu = 1 };
	struct gtpc_config c = {
		.frame_size = 4096, .frames_per_worker = 16384, .rx_ring_size = 8192, .tx_ring_size = 2048,
		.fill_ring_size = 8192, .need_wakeup = true, .bind_mode = GTPC_BIND_AUTO,
	};
	struct anchors_bpf *skel;
	struct gtpc_mac dst, src;
	struct gtpc_xsk x;
	uint64_t rx = 0, lost = 0, end;
	char err[256];
	int ifindex;

	if (argc != 5 || gtpc_mac_parse(argv[3], dst.addr)) {
		fprintf(stderr, "usage: bench_afxdp_fwd N3 EGRESS NEXT_HOP_MAC SECONDS\n");
		return 2;
	}
	c.interface = argv[1];
	c.forward.egress = argv[2];
	if (gtpc_if_mac(argv[2], src.addr)) {
		fprintf(stderr, "cannot read the MAC of %s\n", argv[2]);
		return 1;
	}
	ifindex = (int)if_nametoindex(argv[1]);
	skel = anchors_bpf__open_and_load();
	if (!skel || bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.xsk_bare), XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "cannot attach the bare XDP program to %s\n", argv[1]);
		return 1;
	}
	if (gtpc_xsk_open(&x, &c, &wc, bpf_map__fd(skel->maps.xsks), err, sizeof(err)) ||
	    gtpc_xsk_open_tx(&x, &c, 0, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
		return 1;
	}
	signal(SIGTERM, on_term);
	printf("running\n");
	fflush(stdout);
	end = gtpc_now_ns() + (uint64_t)(atof(argv[4]) * 1e9);
	while (gtpc_now_ns() < end && !stop)
		forward_batch(&x, &dst, &src, &rx, &lost);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	while (xsk_ring_cons__peek(&x.rx, 64, &(uint32_t){ 0 }))
		forward_batch(&x, &dst, &src, &rx, &lost);
	{
		struct xdp_statistics st;
		socklen_t len = sizeof(st);

		getsockopt(x.tx_fd, SOL_XDP, XDP_STATISTICS, &st, &len);
		fprintf(stderr, "tx: invalid %llu ring_empty %llu; tx prod %u cons %u; cq prod %u cons %u\n",
			(unsigned long long)st.tx_invalid_descs, (unsigned long long)st.tx_ring_empty_descs,
			*x.tx.producer, *x.tx.consumer, *x.tx_cq.producer, *x.tx_cq.consumer);
	}
	printf("rx=%llu tx_ring_full=%llu\n", (unsigned long long)rx, (unsigned long long)lost);
	gtpc_xsk_close(&x);
	anchors_bpf__destroy(skel);
	return 0;
}

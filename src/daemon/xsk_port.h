/* One AF_XDP socket with its own UMEM, bound to one (interface, queue).
 *
 * With forwarding, a second socket on the egress shares the UMEM
 * (XDP_SHARED_UMEM) and transmits frames where they arrived; its
 * completions return them to the free stack.
 *
 * UMEM frames are always in exactly one place: the fill ring, the RX ring,
 * the TX ring, the completion ring, the port's free stack, the worker's
 * hands (during a batch) or the kernel (driver rings in zero-copy mode).
 * gtpc_xsk_frames() accounts for them. */
#ifndef GTPC_XSK_PORT_H
#define GTPC_XSK_PORT_H

#include <stddef.h>
#include <stdint.h>
#include <xdp/xsk.h>

#include "config/config.h"

struct gtpc_xsk {
	void *area;
	size_t area_size;
	int numa_node;
	int numa_alloc;   /* area came from libnuma */
	struct xsk_umem *umem;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_ring_cons rx;
	struct xsk_socket *xsk;
	int fd;
	int zerocopy;
	/* The egress socket: TX only; its (device, queue) has its own fill
	 * and completion rings, the fill ring unused. */
	struct xsk_socket *txsk;
	struct xsk_ring_prod tx;
	struct xsk_ring_prod tx_fq;
	struct xsk_ring_cons tx_cq;
	int tx_fd;
	int tx_zerocopy;
	uint32_t frame_size;
	uint32_t n_frames;
	uint64_t *free_frames; /* frames not in any ring */
	uint32_t n_free;
};

struct gtpc_frame_count {
	uint32_t total, fill, rx, tx, completion, free, elsewhere;
};

int gtpc_xsk_open(struct gtpc_xsk *x, const struct gtpc_config *c, const struct gtpc_worker_cfg *w,
		  int xsks_map_fd, char *err, size_t errlen);
/* Opens the TX socket on the egress's queue, sharing the UMEM. */
int gtpc_xsk_open_tx(struct gtpc_xsk *x, const struct gtpc_config *c, uint32_t queue, char *err, size_t errlen);
/* Takes transmitted frames back onto the free stack; returns how many. */
uint32_t gtpc_xsk_complete(struct gtpc_xsk *x);
/* Has the kernel send what the TX ring holds (copy mode sends in these
 * calls, 32 a call; zero-copy only when the ring asks for a wakeup). */
void gtpc_xsk_kick_tx(struct gtpc_xsk *x);
/* Moves free frames into the fill ring; returns how many. */
uint32_t gtpc_xsk_refill(struct gtpc_xsk *x);
/* Where the frames are now. Call from the worker, or after it stopped. */
void gtpc_xsk_frames(const struct gtpc_xsk *x, struct gtpc_frame_count *fc);
/* The socket's XDP_STATISTICS. */
int gtpc_xsk_stats(const struct gtpc_xsk *x, struct xdp_statistics *st);
void gtpc_xsk_close(struct gtpc_xsk *x);

#endif

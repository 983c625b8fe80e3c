#include "daemon/xsk_port.h"

#include <errno.h>
#include <linux/if_xdp.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

/* The NIC's NUMA node, or the worker CPU's when the device has none (veth). */
static int pick_node(const char *ifname, unsigned cpu)
{
	char path[128];
	FILE *f;
	int node = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/numa_node", ifname);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &node) != 1)
			node = -1;
		fclose(f);
	}
	if (node < 0 && numa_available() >= 0)
		node = numa_node_of_cpu((int)cpu);
	return node;
}

static int alloc_area(struct gtpc_xsk *x, const char *ifname, unsigned cpu)
{
	x->numa_node = pick_node(ifname, cpu);
	if (x->numa_node >= 0 && numa_available() >= 0) {
		x->area = numa_alloc_onnode(x->area_size, x->numa_node);
		x->numa_alloc = x->area != NULL;
	}
	if (!x->area) {
		x->area = mmap(NULL, x->area_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (x->area == MAP_FAILED) {
			x->area = NULL;
			return -ENOMEM;
		}
	}
	/* Frames sit a page apart, so with 4 KiB pages every frame a worker
	 * touches is a TLB miss (a page walk, costlier still in a guest);
	 * 2 MiB pages cover 512 frames each. Where transparent huge pages
	 * are off, or only on for madvise (Debian's default), this asks for
	 * them; without them the frames still work, only slower. */
	madvise(x->area, x->area_size, MADV_HUGEPAGE);
	/* Fault the pages in now, on the chosen node, not on the hot path. */
	memset(x->area, 0, x->area_size);
	return 0;
}

static int create_socket(struct gtpc_xsk *x, const struct gtpc_config *c, uint32_t queue, uint16_t mode_flag)
{
	struct xsk_socket_config sc = {
		.rx_size = c->rx_ring_size,
		.tx_size = 0,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = (uint16_t)(mode_flag | (c->need_wakeup ? XDP_USE_NEED_WAKEUP : 0)),
	};

	return xsk_socket__create(&x->xsk, c->interface, queue, x->umem, &x->rx, NULL, &sc);
}

static int bind_socket(struct gtpc_xsk *x, const struct gtpc_config *c, uint32_t queue)
{
	int rc;

	if (c->bind_mode == GTPC_BIND_COPY)
		return create_socket(x, c, queue, XDP_COPY);
	rc = create_socket(x, c, queue, XDP_ZEROCOPY);
	if (rc && c->bind_mode == GTPC_BIND_AUTO) {
		pr_debug("zero-copy bind on %s queue %u failed (%s); trying copy\n", c->interface, queue, strerror(-rc));
		rc = create_socket(x, c, queue, XDP_COPY);
	}
	return rc;
}

static void set_busy_poll(struct gtpc_xsk *x, const struct gtpc_config *c)
{
	int one = 1, to = (int)c->busy_poll.timeout_us, budget = (int)c->busy_poll.budget;

	if (!c->busy_poll.enabled)
		return;
	if (setsockopt(x->fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &one, sizeof(one)) ||
	    setsockopt(x->fd, SOL_SOCKET, SO_BUSY_POLL, &to, sizeof(to)) ||
	    setsockopt(x->fd, SOL_SOCKET, SO_BUSY_POLL_BUDGET, &budget, sizeof(budget)))
		pr_warn("busy polling on %s: %s; continuing without\n", c->interface, strerror(errno));
}

/* KiB of the area on transparent huge pages (its mapping's AnonHugePages
 * line in /proc/self/smaps), or -1 when that cannot be read. */
static long area_huge_kib(const struct gtpc_xsk *x)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	long kib = -1;
	int inside = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		/* A mapping's first line starts "LO-HI "; its fields, "Name:". */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			inside = (uintptr_t)x->area >= lo && (uintptr_t)x->area < hi;
		else if (inside && sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib;
}

static void report_mode(struct gtpc_xsk *x, const struct gtpc_config *c, uint32_t queue)
{
	struct xdp_options opts = { 0 };
	socklen_t len = sizeof(opts);
	long huge = area_huge_kib(x);

	if (getsockopt(x->fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
		x->zerocopy = !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
	pr_info("AF_XDP socket on %s queue %u: %s mode, %u frames of %u bytes on NUMA node %d, %ld of %zu MiB on huge pages\n",
		c->interface, queue, x->zerocopy ? "zero-copy" : "copy", x->n_frames, x->frame_size, x->numa_node,
		huge < 0 ? 0 : huge / 1024, x->area_size >> 20);
}

int gtpc_xsk_open_tx(struct gtpc_xsk *x, const struct gtpc_config *c, uint32_t queue, char *err, size_t errlen)
{
	struct xsk_socket_config sc = {
		.rx_size = 0,
		.tx_size = c->tx_ring_size,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = (uint16_t)(c->need_wakeup ? XDP_USE_NEED_WAKEUP : 0),
	};
	struct xdp_options opts = { 0 };
	socklen_t len = sizeof(opts);
	int rc;

	rc = xsk_socket__create_shared(&x->txsk, c->forward.egress, queue, x->umem, NULL, &x->tx, &x->tx_fq, &x->tx_cq,
				       &sc);
	if (rc) {
		snprintf(err, errlen, "cannot bind an AF_XDP TX socket on %s queue %u (sharing the UMEM of %s): %s",
			 c->forward.egress, queue, c->interface, strerror(-rc));
		x->txsk = NULL;
		return rc;
	}
	x->tx_fd = xsk_socket__fd(x->txsk);
	if (getsockopt(x->tx_fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
		x->tx_zerocopy = !!(opts.flags & XDP_OPTIONS_ZEROCOPY);
	pr_info("AF_XDP TX socket on %s queue %u: %s mode, sharing the UMEM of %s\n", c->forward.egress, queue,
		x->tx_zerocopy ? "zero-copy" : "copy", c->interface);
	return 0;
}

uint32_t gtpc_xsk_complete(struct gtpc_xsk *x)
{
	uint32_t idx, n, i;

	if (!x->txsk)
		return 0;
	n = xsk_ring_cons__peek(&x->tx_cq, x->n_frames, &idx);
	for (i = 0; i < n; i++)
		x->free_frames[x->n_free++] = xsk_umem__extract_addr(*xsk_ring_cons__comp_addr(&x->tx_cq, idx + i));
	if (n)
		xsk_ring_cons__release(&x->tx_cq, n);
	return n;
}

/* Copy mode sends at most 32 descriptors a call (the kernel's per-socket
 * budget): kick until the ring is empty, or it stops taking them. */
#define KICKS 8

void gtpc_xsk_kick_tx(struct gtpc_xsk *x)
{
	int i;

	if (x->tx_zerocopy) {
		if (xsk_ring_prod__needs_wakeup(&x->tx))
			sendto(x->tx_fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		return;
	}
	for (i = 0; i < KICKS; i++) {
		uint32_t before = __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);

		if (before == __atomic_load_n(x->tx.producer, __ATOMIC_RELAXED))
			return;
		sendto(x->tx_fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) == before)
			return;
	}
}

int gtpc_xsk_open(struct gtpc_xsk *x, const struct gtpc_config *c, const struct gtpc_worker_cfg *w,
		  int xsks_map_fd, char *err, size_t errlen)
{
	struct xsk_umem_config uc = {
		.fill_size = c->fill_ring_size,
		/* Also the size of the egress socket's completion ring (libxdp sizes a
		 * shared socket's rings from the UMEM's config). */
		.comp_size = c->tx_ring_size,
		.frame_size = c->frame_size,
		.frame_headroom = 0,
	};
	uint32_t i;
	int rc;

	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->tx_fd = -1;
	x->frame_size = c->frame_size;
	x->n_frames = c->frames_per_worker;
	x->area_size = (size_t)x->n_frames * x->frame_size;
	x->free_frames = calloc(x->n_frames, sizeof(*x->free_frames));
	if (!x->free_frames || alloc_area(x, c->interface, w->cpu)) {
		snprintf(err, errlen, "cannot allocate %zu bytes of UMEM for queue %u", x->area_size, w->queue);
		return -ENOMEM;
	}
	rc = xsk_umem__create(&x->umem, x->area, x->area_size, &x->fq, &x->cq, &uc);
	if (rc) {
		snprintf(err, errlen, "cannot register UMEM for %s queue %u: %s", c->interface, w->queue, strerror(-rc));
		return rc;
	}
	rc = bind_socket(x, c, w->queue);
	if (rc) {
		snprintf(err, errlen, "cannot bind AF_XDP socket on %s queue %u: %s", c->interface, w->queue, strerror(-rc));
		return rc;
	}
	x->fd = xsk_socket__fd(x->xsk);
	rc = xsk_socket__update_xskmap(x->xsk, xsks_map_fd);
	if (rc) {
		snprintf(err, errlen, "cannot add the socket of queue %u to the XSKMAP: %s", w->queue, strerror(-rc));
		return rc;
	}
	set_busy_poll(x, c);
	for (i = 0; i < x->n_frames; i++)
		x->free_frames[x->n_free++] = (uint64_t)(x->n_frames - 1 - i) * x->frame_size;
	gtpc_xsk_refill(x);
	report_mode(x, c, w->queue);
	return 0;
}

uint32_t gtpc_xsk_refill(struct gtpc_xsk *x)
{
	uint32_t idx, n, i;

	if (!x->n_free)
		return 0;
	n = xsk_prod_nb_free(&x->fq, x->n_free);
	if (n > x->n_free)
		n = x->n_free;
	if (!n || xsk_ring_prod__reserve(&x->fq, n, &idx) != n)
		return 0;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) = x->free_frames[--x->n_free];
	xsk_ring_prod__submit(&x->fq, n);
	return n;
}

void gtpc_xsk_frames(const struct gtpc_xsk *x, struct gtpc_frame_count *fc)
{
	int64_t elsewhere;

	/* Each ring is read before the one the kernel fills it from (RX before
	 * fill, completion before TX): a frame the kernel moves between two
	 * reads is then missed, never counted twice. Read from another thread
	 * while the worker runs, the worker's own moves can still count one
	 * twice, so the live remainder is held at 0; once the worker has
	 * stopped, the count is exact. */
	fc->rx = __atomic_load_n(x->rx.producer, __ATOMIC_ACQUIRE) - __atomic_load_n(x->rx.consumer, __ATOMIC_ACQUIRE);
	fc->fill = __atomic_load_n(x->fq.producer, __ATOMIC_ACQUIRE) - __atomic_load_n(x->fq.consumer, __ATOMIC_ACQUIRE);
	fc->tx = fc->completion = 0;
	if (x->txsk) {
		fc->completion = __atomic_load_n(x->tx_cq.producer, __ATOMIC_ACQUIRE) -
				 __atomic_load_n(x->tx_cq.consumer, __ATOMIC_ACQUIRE);
		fc->tx = __atomic_load_n(x->tx.producer, __ATOMIC_ACQUIRE) - __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
	}
	fc->total = x->n_frames;
	fc->free = x->n_free;
	elsewhere = (int64_t)x->n_frames - fc->fill - fc->rx - fc->tx - fc->completion - x->n_free;
	fc->elsewhere = elsewhere > 0 ? (uint32_t)elsewhere : 0;
}

int gtpc_xsk_stats(const struct gtpc_xsk *x, struct xdp_statistics *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	return getsockopt(x->fd, SOL_XDP, XDP_STATISTICS, st, &len) ? -errno : 0;
}

void gtpc_xsk_close(struct gtpc_xsk *x)
{
	if (x->txsk)
		xsk_socket__delete(x->txsk);
	if (x->xsk)
		xsk_socket__delete(x->xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	if (x->area) {
		if (x->numa_alloc)
			numa_free(x->area, x->area_size);
		else
			munmap(x->area, x->area_size);
	}
	free(x->free_frames);
	memset(x, 0, sizeof(*x));
	x->fd = -1;
	x->tx_fd = -1;
}

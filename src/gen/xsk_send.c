#include "gen/xsk_send.h"

#include <errno.h>
#include <stdlib.h>
#include <xdp/xsk.h>
#include <linux/if_xdp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define FRAMES 4096
#define FRAME 2048

struct gtpc_xsk_sender {
	void *area;
	struct xsk_umem *umem;
	struct xsk_ring_prod fq;
	struct xsk_ring_cons cq;
	struct xsk_ring_prod tx;
	struct xsk_socket *xsk;
	uint64_t free_frames[FRAMES];
	uint32_t n_free;
	uint32_t pending; /* descriptors written, not yet submitted */
	uint64_t cur;     /* the frame slot() handed out */
	uint64_t sent;    /* completed by the kernel */
};

static void destroy(struct gtpc_xsk_sender *s);

struct gtpc_xsk_sender *gtpc_xsk_sender_open(const char *ifname, char *err, size_t errlen)
{
	struct gtpc_xsk_sender *s = calloc(1, sizeof(*s));
	struct xsk_umem_config uc = {
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = FRAMES,
		.frame_size = FRAME,
	};
	struct xsk_socket_config sc = {
		.tx_size = FRAMES,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_COPY,
	};
	size_t size = (size_t)FRAMES * FRAME;
	uint32_t i;
	int rc;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (s->area == MAP_FAILED) {
		s->area = NULL;
		snprintf(err, errlen, "cannot map the sender's UMEM: %s", strerror(errno));
		destroy(s);
		return NULL;
	}
	rc = xsk_umem__create(&s->umem, s->area, size, &s->fq, &s->cq, &uc);
	if (!rc)
		rc = xsk_socket__create(&s->xsk, ifname, 0, s->umem, NULL, &s->tx, &sc);
	if (rc) {
		snprintf(err, errlen, "cannot open an AF_XDP TX socket on %s queue 0: %s", ifname, strerror(-rc));
		destroy(s);
		return NULL;
	}
	for (i = 0; i < FRAMES; i++)
		s->free_frames[s->n_free++] = (uint64_t)i * FRAME;
	return s;
}

static void complete(struct gtpc_xsk_sender *s)
{
	uint32_t idx, n, i;

	n = xsk_ring_cons__peek(&s->cq, FRAMES, &idx);
	for (i = 0; i < n; i++)
		s->free_frames[s->n_free++] = *xsk_ring_cons__comp_addr(&s->cq, idx + i);
	if (n)
		xsk_ring_cons__release(&s->cq, n);
	s->sent += n;
}

static void kick(struct gtpc_xsk_sender *s)
{
	sendto(xsk_socket__fd(s->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
}

void gtpc_xsk_sender_flush(struct gtpc_xsk_sender *s)
{
	if (s->pending) {
		xsk_ring_prod__submit(&s->tx, s->pending);
		s->pending = 0;
	}
	kick(s);
	complete(s);
}

uint8_t *gtpc_xsk_sender_slot(struct gtpc_xsk_sender *s)
{
	while (!s->n_free)
		gtpc_xsk_sender_flush(s);
	s->cur = s->free_frames[--s->n_free];
	return xsk_umem__get_data(s->area, s->cur);
}

void gtpc_xsk_sender_commit(struct gtpc_xsk_sender *s, size_t len)
{
	uint32_t idx;

	while (xsk_ring_prod__reserve(&s->tx, 1, &idx) != 1)
		gtpc_xsk_sender_flush(s);
	xsk_ring_prod__tx_desc(&s->tx, idx)->addr = s->cur;
	xsk_ring_prod__tx_desc(&s->tx, idx)->len = (uint32_t)len;
	if (++s->pending == BATCH)
		gtpc_xsk_sender_flush(s);
}

static void destroy(struct gtpc_xsk_sender *s)
{
	if (s->xsk)
		xsk_socket__delete(s->xsk);
	if (s->umem)
		xsk_umem__delete(s->umem);
	if (s->area)
		munmap(s->area, (size_t)FRAMES * FRAME);
	free(s);
}

void gtpc_xsk_sender_close(struct gtpc_xsk_sender *s, uint64_t *sent, uint64_t *failed)
{
	struct xdp_statistics st;
	socklen_t len = sizeof(st);
	int i;

	*sent = *failed = 0;
	if (!s)
		return;
	gtpc_xsk_sender_flush(s);
	for (i = 0; i < 1000 && s->n_free < FRAMES; i++) {
		usleep(100);
		gtpc_xsk_sender_flush(s);
	}
	if (!getsockopt(xsk_socket__fd(s->xsk), SOL_XDP, XDP_STATISTICS, &st, &len))
		*failed = st.tx_invalid_descs;
	*sent = s->sent;
	destroy(s);
}

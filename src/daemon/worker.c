#include "daemon/worker.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>

#include "gtpc/maps.h"
#include "util/log.h"
#include "io/pcap_out.h"
#include "util/util.h"
#include "io/window_csv.h"

#define PUBLISH_NS 10000000ULL /* 10 ms */
#define IDLE_POLL_MS 1

static void publish(struct gtpc_worker *w)
{
	const uint64_t *src;
	uint64_t *dst;
	size_t i;

	w->engine.cnt.c[GTPC_CL_UES] = w->engine.table.count;
	src = (const uint64_t *)&w->engine.cnt;
	dst = (uint64_t *)&w->pub;
	for (i = 0; i < sizeof(w->pub) / sizeof(uint64_t); i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

void gtpc_worker_snapshot(const struct gtpc_worker *w, struct gtpc_classifier_counters *out)
{
	const uint64_t *src = (const uint64_t *)&w->pub;
	uint64_t *dst = (uint64_t *)out;
	size_t i;

	for (i = 0; i < sizeof(*out) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

static int on_verdict(void *ctx, const struct gtpc_key *k, const struct gtpc_verdict *v)
{
	struct gtpc_worker *w = ctx;

	if (v)
		return bpf_map_update_elem(w->verdicts_fd, k, v, BPF_ANY) ? -errno : 0;
	if (bpf_map_delete_elem(w->verdicts_fd, k) && errno != ENOENT)
		return -errno;
	return 0;
}

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct gtpc_worker *w = ctx;

	if (w->window_log)
		gtpc_window_csv_row(w->window_log, ev, w->model, NULL);
}

static uint32_t finish_batch(struct gtpc_worker *w, uint32_t n)
{
	struct gtpc_xsk *x = &w->xsk;

	xsk_ring_cons__release(&x->rx, n);
	w->engine.cnt.c[GTPC_CL_RX] += n;
	w->engine.cnt.c[GTPC_CL_BATCHES]++;
	gtpc_xsk_refill(x);
	if (w->cfg->need_wakeup && xsk_ring_prod__needs_wakeup(&x->fq)) {
		recvfrom(x->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		w->engine.cnt.c[GTPC_CL_WAKEUPS]++;
	}
	return n;
}

static uint32_t recycle_only(struct gtpc_worker *w, uint32_t idx, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		w->xsk.free_frames[w->xsk.n_free++] =
			xsk_umem__extract_addr(xsk_ring_cons__rx_desc(&w->xsk.rx, idx + i)->addr);
	return finish_batch(w, n);
}

/* One batch: every frame is parsed and put back on the free stack, the
 * G-PDUs go to the engine together, then the RX slots are released. */
static uint32_t rx_batch(struct gtpc_worker *w)
{
	struct gtpc_xsk *x = &w->xsk;
	struct gtpc_pkt p[GTPC_ENGINE_BATCH];
	uint64_t t[GTPC_ENGINE_BATCH], clock_ns = 0;
	uint32_t idx, n, i, ng = 0;

	n = xsk_ring_cons__peek(&x->rx, w->cfg->batch_size, &idx);
	if (!n)
		return 0;
	if (w->null_mode)
		return recycle_only(w, idx, n);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, idx + i);
		uint8_t *pkt = xsk_umem__get_data(x->area, xsk_umem__add_offset_to_addr(d->addr));
		struct gtpc_meta *m = (struct gtpc_meta *)(pkt - sizeof(*m));
		uint64_t ts;

		if (m->magic == GTPC_META_MAGIC) {
			ts = m->rx_ns;
			m->magic = 0; /* the frame will be reused */
		} else {
			if (!clock_ns)
				clock_ns = gtpc_now_ns();
			ts = clock_ns;
			w->engine.cnt.c[GTPC_CL_NO_STAMP]++;
		}
		if (w->pcap_out)
			gtpc_pcap_write(w->pcap_out, pkt, d->len, ts);
		if (gtpc_parse_opts(pkt, pkt + d->len, w->parse_opts, &p[ng]) == GTPC_OUT_GPDU)
			t[ng++] = ts;
		else
			w->engine.cnt.c[GTPC_CL_NOT_GPDU]++;
		x->free_frames[x->n_free++] = xsk_umem__extract_addr(d->addr);
	}
	gtpc_engine_batch(&w->engine, p, t, ng);
	w->engine.cnt.c[GTPC_CL_GPDU] += ng;
	return finish_batch(w, n);
}

static void idle_wait(struct gtpc_worker *w)
{
	struct pollfd pfd = { .fd = w->xsk.fd, .events = POLLIN };

	if (w->cfg->busy_poll.enabled)
		recvfrom(w->xsk.fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	else
		poll(&pfd, 1, IDLE_POLL_MS);
}

void gtpc_worker_loop(struct gtpc_worker *w)
{
	uint64_t last_pub = 0;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		uint32_t n = rx_batch(w);
		uint64_t now = gtpc_now_ns();

		gtpc_engine_tick(&w->engine, now);
		if (now - last_pub >= PUBLISH_NS) {
			publish(w);
			last_pub = now;
		}
		if (!n)
			idle_wait(w);
	}
	/* The datapath is detached by now: take what is left in the ring. */
	while (rx_batch(w))
		;
	publish(w);
}

static void *thread_main(void *arg)
{
	gtpc_worker_loop(arg);
	return NULL;
}

int gtpc_worker_start(struct gtpc_worker *w, char *err, size_t errlen)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int rc;

	CPU_ZERO(&set);
	CPU_SET(w->wc->cpu, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	w->engine.ops.on_verdict = on_verdict;
	w->engine.ops.on_window = on_window;
	w->engine.ctx = w;
	rc = pthread_create(&w->thread, &attr, thread_main, w);
	pthread_attr_destroy(&attr);
	if (rc) {
		snprintf(err, errlen, "cannot start the worker of queue %u on CPU %u: %s", w->wc->queue, w->wc->cpu,
			 strerror(rc));
		return -rc;
	}
	w->started = 1;
	return 0;
}

void gtpc_worker_stop(struct gtpc_worker *w)
{
	if (!w->started)
		return;
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
	pthread_join(w->thread, NULL);
	w->started = 0;
}

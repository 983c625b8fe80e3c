#include "daemon/worker.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <urcu/urcu-qsbr.h>

#include "gtpc/maps.h"
#include "gtpc/rewrite.h"
#include "util/log.h"
#include "io/pcap_out.h"
#include "util/util.h"
#include "io/window_csv.h"

#define PUBLISH_NS 10000000ULL /* 10 ms */
/* A quiet worker promises that no frame older than this is still on its
 * way to its RX ring: XDP stamps a frame before the driver's poll flushes
 * it to the socket, and a descheduled vCPU can sit between the two. A
 * record that breaks the promise is counted as late. */
#define HANDOFF_SLACK_NS 5000000ULL /* 5 ms */
/* How long a record waits for room in a full hand-off ring. */
#define HANDOFF_WAIT_NS 2000000ULL /* 2 ms */
/* Batches of records a worker accounts before it looks at its RX again. */
#define HANDOFF_BATCHES 16
#define IDLE_POLL_MS 1
/* Kicks while the egress TX ring is full, before a frame counts as lost. */
#define TX_TRIES 8

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

	if (v && v->act.action == GTPC_ACT_OBSERVE) {
		gtpc_events_verdict(w->events, k, v, w->cur->model);
		return 0;
	}
	if (v && bpf_map_update_elem(w->verdicts_fd, k, v, BPF_ANY))
		return -errno;
	if (!v && bpf_map_delete_elem(w->verdicts_fd, k) && errno != ENOENT)
		return -errno;
	gtpc_events_verdict(w->events, k, v, w->cur->model);
	return 0;
}

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct gtpc_worker *w = ctx;

	if (w->window_log)
		gtpc_window_csv_row(w->window_log, ev, w->cur->model, NULL);
	gtpc_events_window(w->events, ev, w->cur->model);
}

/* One RX batch: every frame's slot of parse results. G-PDUs fill the slots
 * from the front (the engine takes them as one array), other frames from
 * the back. */
struct batch {
	uint32_t idx, n, ng, nother;
	uint64_t newest; /* the latest stamp in the batch */
	uint8_t slot[GTPC_ENGINE_BATCH];
	struct gtpc_pkt p[GTPC_ENGINE_BATCH];
	uint64_t t[GTPC_ENGINE_BATCH];
	struct gtpc_act act[GTPC_ENGINE_BATCH];
};

static inline void recycle(struct gtpc_xsk *x, uint64_t addr)
{
	x->free_frames[x->n_free++] = xsk_umem__extract_addr(addr);
}

static inline uint8_t *frame_data(struct gtpc_xsk *x, const struct xdp_desc *d)
{
	return xsk_umem__get_data(x->area, xsk_umem__add_offset_to_addr(d->addr));
}

/* The frame's XDP timestamp, or one clock read for the batch without it. */
static uint64_t stamp(struct gtpc_worker *w, uint8_t *pkt, uint64_t *clock_ns)
{
	struct gtpc_meta *m = (struct gtpc_meta *)(pkt - sizeof(*m));

	if (m->magic == GTPC_META_MAGIC) {
		m->magic = 0; /* the frame will be reused */
		return m->rx_ns;
	}
	if (!*clock_ns)
		*clock_ns = gtpc_now_ns();
	w->engine.cnt.c[GTPC_CL_NO_STAMP]++;
	return *clock_ns;
}

/* Asks for every frame's stamp and headers before the first is read. The
 * kernel wrote them when it copied the frame in, but by the time a busy
 * worker gets there other frames have pushed them out: frames sit a page
 * apart, so their first lines all fall in the same few cache sets. Read one
 * by one, each frame then costs a full miss before its parse can start
 * (90% of the worker's user-space samples at 300 kpps, on the stamp's
 * load); asked for together, the misses overlap. */
static void prefetch_frames(struct gtpc_xsk *x, const struct batch *b)
{
	uint32_t i;

	for (i = 0; i < b->n; i++) {
		const uint8_t *pkt = frame_data(x, xsk_ring_cons__rx_desc(&x->rx, b->idx + i));

		__builtin_prefetch(pkt - sizeof(struct gtpc_meta), 1);
		__builtin_prefetch(pkt);
		__builtin_prefetch(pkt + 64); /* GTP-U and the inner header */
	}
}

static void receive(struct gtpc_worker *w, struct batch *b)
{
	struct gtpc_xsk *x = &w->xsk;
	uint64_t clock_ns = 0;
	uint32_t i;

	b->ng = b->nother = 0;
	b->newest = 0;
	prefetch_frames(x, b);
	for (i = 0; i < b->n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, b->idx + i);
		uint8_t *pkt = frame_data(x, d);
		uint64_t ts = stamp(w, pkt, &clock_ns);
		uint32_t s = b->ng;

		if (ts > b->newest)
			b->newest = ts;
		if (w->pcap_out)
			gtpc_pcap_write(w->pcap_out, pkt, d->len, ts);
		if (gtpc_parse_opts(pkt, pkt + d->len, w->parse_opts, &b->p[s]) == GTPC_OUT_GPDU) {
			b->t[b->ng++] = ts;
		} else {
			/* Not a G-PDU after all: its parse moves to the back. */
			s = GTPC_ENGINE_BATCH - 1 - b->nother++;
			b->p[s] = b->p[b->ng];
			b->act[s] = (struct gtpc_act){ .action = GTPC_ACT_PASS };
			w->engine.cnt.c[GTPC_CL_NOT_GPDU]++;
		}
		b->slot[i] = (uint8_t)s;
	}
	w->engine.cnt.c[GTPC_CL_GPDU] += b->ng;
}

/* Accounts the records handed to this worker (its own included), oldest
 * first, as far as every worker's watermark allows; returns the time the
 * engine has reached: every record up to it is accounted. */
static uint64_t account_handed(struct gtpc_worker *w)
{
	struct gtpc_engine_rec r[GTPC_ENGINE_BATCH];
	uint64_t horizon = 0;
	unsigned n = 0, i, foreign, rounds;

	for (rounds = 0; rounds < HANDOFF_BATCHES; rounds++) {
		n = gtpc_handoff_merge(w->hub, w->id, r, GTPC_ENGINE_BATCH, &foreign, &horizon);
		for (i = 0; i < n; i++) {
			if (r[i].t < w->last_t)
				w->engine.cnt.c[GTPC_CL_HANDOFF_LATE]++;
			else
				w->last_t = r[i].t;
		}
		gtpc_engine_account(&w->engine, r, n, NULL);
		w->engine.cnt.c[GTPC_CL_HANDOFF_IN] += foreign;
		if (n < GTPC_ENGINE_BATCH)
			return horizon;
	}
	return w->last_t;
}

/* Room for a record in a full ring: what is put so far is published (the
 * owner may be waiting for exactly that) and this worker's own incoming
 * records are accounted meanwhile (the owner may be waiting for room in
 * ours), for up to HANDOFF_WAIT_NS. t is the record's time: nothing older
 * is still to come from this worker. */
static int wait_room(struct gtpc_worker *w, unsigned to, uint64_t t)
{
	uint64_t deadline = gtpc_now_ns() + HANDOFF_WAIT_NS;

	w->engine.cnt.c[GTPC_CL_HANDOFF_FULL]++;
	gtpc_handoff_ring(w->hub, w->id, to)->full++;
	gtpc_handoff_flush(w->hub, w->id, t);
	while (!gtpc_handoff_room(w->hub, w->id, to)) {
		account_handed(w);
		if (gtpc_now_ns() > deadline)
			return 0;
		sched_yield();
	}
	return 1;
}

/* Each G-PDU's record to the worker that owns its UE. The frames leave as
 * XDP left them: XDP carried out the verdict in force when they arrived
 * (the owner's verdict reaches every queue through the verdict map), and
 * forwarding never waits for a classification. */
static void hand_off(struct gtpc_worker *w, struct batch *b)
{
	uint32_t given_up = 0; /* owners whose ring stayed full: no more waits this batch */
	uint32_t i;

	for (i = 0; i < b->ng; i++) {
		struct gtpc_engine_rec rec;
		unsigned to;
		int room;

		gtpc_engine_rec(&w->engine, &b->p[i], b->t[i], &rec);
		to = gtpc_handoff_owner(w->hub, rec.hash);
		room = gtpc_handoff_room(w->hub, w->id, to);
		if (!room && !(given_up & (1u << (to & 31))))
			room = wait_room(w, to, rec.t);
		b->act[i] = (struct gtpc_act){ .action = GTPC_ACT_PASS };
		if (!room) {
			given_up |= 1u << (to & 31);
			w->engine.cnt.c[GTPC_CL_NOT_ACCOUNTED]++;
			continue;
		}
		gtpc_handoff_put(w->hub, w->id, to, &rec);
		w->engine.cnt.c[GTPC_CL_HANDED_OFF] += to != w->id;
	}
}

/* A TX slot, waiting a little for the kernel to take what it holds. */
static int tx_slot(struct gtpc_worker *w, uint32_t *idx)
{
	int tries;

	for (tries = 0; tries < TX_TRIES; tries++) {
		if (xsk_ring_prod__reserve(&w->xsk.tx, 1, idx) == 1)
			return 0;
		gtpc_xsk_kick_tx(&w->xsk);
		gtpc_xsk_complete(&w->xsk);
	}
	return -1;
}

/* Where one frame goes: the free stack, or the egress TX ring (its MACs
 * were set by XDP). Returns 1 when it was put on the TX ring. */
static int deliver_one(struct gtpc_worker *w, const struct xdp_desc *d, const struct gtpc_pkt *p, struct gtpc_act act)
{
	struct gtpc_xsk *x = &w->xsk;
	uint8_t *data = frame_data(x, d);
	uint32_t idx;

	if (act.action == GTPC_ACT_DROP) {
		w->engine.cnt.c[GTPC_CL_DROPPED]++;
		recycle(x, d->addr);
		return 0;
	}
	if (act.action == GTPC_ACT_MARK &&
	    !gtpc_mark(data, data + d->len, p, GTPC_MARK_DSCP(act.param), act.param & GTPC_MARK_INNER))
		w->engine.cnt.c[GTPC_CL_MARKED]++;
	if (tx_slot(w, &idx)) {
		w->engine.cnt.c[GTPC_CL_TX_RING_FULL]++;
		recycle(x, d->addr);
		return 0;
	}
	xsk_ring_prod__tx_desc(&x->tx, idx)->addr = d->addr;
	xsk_ring_prod__tx_desc(&x->tx, idx)->len = d->len;
	return 1;
}

/* Frames in RX order, so a UE's packets leave in the order they came. */
static void deliver(struct gtpc_worker *w, struct batch *b)
{
	struct gtpc_xsk *x = &w->xsk;
	uint32_t i, sent = 0;

	for (i = 0; i < b->n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, b->idx + i);

		if (!w->forwarding) {
			recycle(x, d->addr);
			continue;
		}
		sent += (uint32_t)deliver_one(w, d, &b->p[b->slot[i]], b->act[b->slot[i]]);
	}
	if (!w->forwarding) {
		w->engine.cnt.c[GTPC_CL_CONSUMED] += b->n;
		return;
	}
	if (sent) {
		xsk_ring_prod__submit(&x->tx, sent);
		w->engine.cnt.c[GTPC_CL_FORWARDED] += sent;
		gtpc_xsk_kick_tx(x);
	}
	gtpc_xsk_complete(x);
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
		recycle(&w->xsk, xsk_ring_cons__rx_desc(&w->xsk.rx, idx + i)->addr);
	w->engine.cnt.c[GTPC_CL_CONSUMED] += n;
	return finish_batch(w, n);
}

/* receive -> classify -> deliver -> release and refill. */
static uint32_t rx_batch(struct gtpc_worker *w)
{
	static __thread struct batch b;

	b.n = xsk_ring_cons__peek(&w->xsk.rx, w->cfg->batch_size, &b.idx);
	if (!b.n)
		return 0;
	if (w->null_mode)
		return recycle_only(w, b.idx, b.n);
	receive(w, &b);
	if (w->hub) {
		hand_off(w, &b);
		/* The batch's records are out: nothing older will follow. */
		gtpc_handoff_publish(w->hub, w->id, b.newest);
	} else {
		gtpc_engine_batch(&w->engine, b.p, b.t, b.ng, b.act);
	}
	deliver(w, &b);
	return finish_batch(w, b.n);
}

static void drain_tx(struct gtpc_worker *w)
{
	int i;

	for (i = 0; w->xsk.txsk && i < 1000; i++) {
		struct gtpc_frame_count fc;

		gtpc_xsk_kick_tx(&w->xsk);
		gtpc_xsk_complete(&w->xsk);
		gtpc_xsk_frames(&w->xsk, &fc);
		if (!fc.tx && !fc.completion)
			return;
		usleep(100);
	}
}

static void idle_wait(struct gtpc_worker *w)
{
	struct pollfd pfd = { .fd = w->xsk.fd, .events = POLLIN };

	if (w->cfg->busy_poll.enabled)
		recvfrom(w->xsk.fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
	else
		poll(&pfd, 1, IDLE_POLL_MS);
}

/* The engine's clock: without a hub, the time now; with one, how far the
 * merged records have come (a quiet worker first promises that nothing
 * older than HANDOFF_SLACK_NS is still on its way). */
static uint64_t engine_time(struct gtpc_worker *w, uint32_t received, uint64_t now)
{
	if (!w->hub)
		return now;
	if (!received && now > HANDOFF_SLACK_NS)
		gtpc_handoff_publish(w->hub, w->id, now - HANDOFF_SLACK_NS);
	return account_handed(w);
}

/* After the last RX batch: this worker will put nothing more; it accounts
 * what the others hand it until they are done too. */
static void finish_handoff(struct gtpc_worker *w)
{
	gtpc_handoff_publish(w->hub, w->id, GTPC_HANDOFF_DONE);
	while (!gtpc_handoff_drained(w->hub, w->id)) {
		uint64_t before = w->engine.cnt.c[GTPC_CL_ACCOUNTED];

		account_handed(w);
		if (w->engine.cnt.c[GTPC_CL_ACCOUNTED] == before)
			sched_yield();
	}
}

int gtpc_worker_command(struct gtpc_worker *w, const struct gtpc_command *c)
{
	struct gtpc_command_ring *r = &w->commands;
	uint32_t tail = r->tail;

	if (tail - __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == GTPC_WORKER_COMMANDS)
		return -EAGAIN;
	r->c[tail % GTPC_WORKER_COMMANDS] = *c;
	__atomic_store_n(&r->tail, tail + 1, __ATOMIC_RELEASE);
	return 0;
}

static void take_commands(struct gtpc_worker *w)
{
	struct gtpc_command_ring *r = &w->commands;
	uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);

	for (; r->head != tail; __atomic_store_n(&r->head, r->head + 1, __ATOMIC_RELEASE)) {
		const struct gtpc_command *c = &r->c[r->head % GTPC_WORKER_COMMANDS];

		if (c->type == GTPC_CMD_LIFT) {
			gtpc_engine_lift(&w->engine, &c->key);
		} else if (c->type == GTPC_CMD_ALLOW) {
			struct gtpc_prefix p = { .len = c->prefix.prefixlen };

			memcpy(p.addr, c->prefix.addr, 16);
			gtpc_engine_allow(&w->engine, &p);
		}
	}
}

/* A reload takes effect between two batches. */
static void follow_policy(struct gtpc_worker *w)
{
	const struct gtpc_policy *p = rcu_dereference(*w->policy);

	if (p == w->cur)
		return;
	gtpc_engine_set_policy(&w->engine, p->model, &p->rules);
	w->cur = p;
}

void gtpc_worker_loop(struct gtpc_worker *w)
{
	uint64_t last_pub = 0;

	urcu_qsbr_register_thread();
	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		uint32_t n;

		follow_policy(w);
		take_commands(w);
		n = rx_batch(w);
		uint64_t now = gtpc_now_ns(), t = engine_time(w, n, now);

		if (t && t != GTPC_HANDOFF_DONE)
			gtpc_engine_tick(&w->engine, t);
		if (now - last_pub >= PUBLISH_NS) {
			publish(w);
			last_pub = now;
		}
		/* Nothing of the policy is held from here on. */
		urcu_qsbr_quiescent_state();
		if (!n)
			idle_wait(w);
	}
	/* Nothing is reloaded once the workers are asked to stop. */
	urcu_qsbr_unregister_thread();
	/* The datapath is detached by now: take what is left in the ring, and
	 * let the egress send what its ring holds. */
	while (rx_batch(w))
		;
	if (w->hub)
		finish_handoff(w);
	drain_tx(w);
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

void gtpc_worker_ask_stop(struct gtpc_worker *w)
{
	__atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
}

void gtpc_worker_stop(struct gtpc_worker *w)
{
	if (!w->started)
		return;
	gtpc_worker_ask_stop(w);
	pthread_join(w->thread, NULL);
	w->started = 0;
}

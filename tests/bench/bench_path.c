/* The user-space per-packet path (parse, UE lookup, window update; the
 * model amortized at window ends) over an in-memory trace of 1M packets of
 * 100k UEs, each packet's UE drawn at random (the worst case for caches).
 * The trace is played for 2 s of traffic time at a given aggregate rate,
 * looping as often as that takes: the rate sets how many packets share a
 * window's classification (each UE closes about four windows whatever the
 * rate). Prints ns/packet, the best of several passes. */
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/handoff.h"
#include "pktbuild.h"
#include "gen/profiles.h"
#include "util/util.h"

#define N_PKTS 1000000
#define FRAME 160
#define PASSES 3
#define TRAFFIC_NS 2000000000ULL

static uint64_t sink;

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	sink += (uint64_t)ev->cls;
}

static uint8_t *make_trace(uint32_t *lens, uint32_t n_ues)
{
	uint8_t *trace = malloc((size_t)N_PKTS * FRAME);
	struct gtpc_pkt_spec s = test_spec();
	uint64_t rng = 1;
	uint32_t i;

	if (!trace)
		return NULL;
	gtpc_addr_parse("10.0.0.0", s.inner_src);
	for (i = 0; i < N_PKTS; i++) {
		uint32_t ue = (uint32_t)(gtpc_rng_next(&rng) % n_ues);

		s.inner_src[13] = (uint8_t)(ue >> 16);
		s.inner_src[14] = (uint8_t)(ue >> 8);
		s.inner_src[15] = (uint8_t)ue;
		s.teid = ue;
		s.inner_len = (uint16_t)(60 + gtpc_rng_next(&rng) % 40);
		lens[i] = (uint32_t)gtpc_pkt_build(trace + (size_t)i * FRAME, FRAME, &s);
	}
	return trace;
}

struct pass {
	struct gtpc_engine *e;
	const uint8_t *trace;
	const uint32_t *lens;
	uint64_t n;     /* packets to play */
	uint64_t gap_ns; /* between packets */
	int hot, tick;
};

/* One pass, as the worker does it: parse a batch, hand it over, tick.
 * Hot frames are what AF_XDP delivers: the kernel has just written each
 * batch into the UMEM, so the worker reads them from cache. Each batch's
 * frames are then copied into a 64-frame buffer outside the timed section
 * (that copy is the kernel's work); otherwise frames stream from the trace
 * in DRAM, inside it. Returns ns/packet. */
static double play(const struct pass *ps)
{
	static uint8_t umem[GTPC_ENGINE_BATCH][FRAME];
	uint64_t spent = 0, g, t0 = 0;

	if (!ps->hot)
		t0 = gtpc_now_ns();
	for (g = 0; g < ps->n; g += GTPC_ENGINE_BATCH) {
		struct gtpc_pkt p[GTPC_ENGINE_BATCH];
		uint64_t t[GTPC_ENGINE_BATCH], now = 0, b0 = 0;
		struct gtpc_act act[GTPC_ENGINE_BATCH];
		const uint8_t *f[GTPC_ENGINE_BATCH];
		unsigned j, m = 0, n = 0;

		for (; m < GTPC_ENGINE_BATCH && g + m < ps->n; m++) {
			uint32_t i = (uint32_t)((g + m) % N_PKTS);

			f[m] = ps->trace + (size_t)i * FRAME;
			if (ps->hot)
				f[m] = memcpy(umem[m], f[m], ps->lens[i]);
		}
		if (ps->hot)
			b0 = gtpc_now_ns();
		for (j = 0; j < m; j++) {
			uint32_t i = (uint32_t)((g + j) % N_PKTS);

			now = 1000000000ULL + (g + j) * ps->gap_ns;
			if (gtpc_parse(f[j], f[j] + ps->lens[i], &p[n]) == GTPC_OUT_GPDU)
				t[n++] = now;
		}
		gtpc_engine_batch(ps->e, p, t, n, act);
		if (ps->tick)
			gtpc_engine_tick(ps->e, now);
		if (ps->hot)
			spent += gtpc_now_ns() - b0;
	}
	if (!ps->hot)
		spent = gtpc_now_ns() - t0;
	return (double)spent / (double)ps->n;
}

/* The hand-off's cost: the trace split packet by packet over two workers
 * (as RSS that ignores the UE spreads it), each a thread on its own CPU
 * with its own engine. With a hub each hands every record to the owner of
 * its UE (itself included) and accounts, merged in time order, what it
 * owns, as the AF_XDP workers do with classifier.distribute; without one
 * each accounts its half itself (its UEs' windows then come from halves). */
struct split_worker {
	unsigned id, lane;
	struct gtpc_handoff *hub;
	struct gtpc_engine e;
	const struct pass *ps;
	pthread_barrier_t *go;
	uint64_t last_t, late;
	uint64_t packets, spent; /* received; ns in the timed sections */
	uint64_t waits;          /* times a ring was full */
};

static uint64_t split_account(struct split_worker *w)
{
	struct gtpc_engine_rec r[GTPC_ENGINE_BATCH];
	uint64_t horizon;
	unsigned n, i, foreign;

	do {
		n = gtpc_handoff_merge(w->hub, w->id, r, GTPC_ENGINE_BATCH, &foreign, &horizon);
		for (i = 0; i < n; i++) {
			w->late += r[i].t < w->last_t;
			w->last_t = r[i].t;
		}
		gtpc_engine_account(&w->e, r, n, NULL);
	} while (n == GTPC_ENGINE_BATCH);
	return horizon;
}

static void split_hand_off(struct split_worker *w, const struct gtpc_pkt *p, const uint64_t *t, unsigned n)
{
	unsigned j;

	for (j = 0; j < n; j++) {
		struct gtpc_engine_rec rec;
		unsigned to;

		gtpc_engine_rec(&w->e, &p[j], t[j], &rec);
		to = gtpc_handoff_owner(w->hub, rec.hash);
		while (!gtpc_handoff_room(w->hub, w->id, to)) {
			w->waits++;
			gtpc_handoff_flush(w->hub, w->id, rec.t);
			split_account(w);
		}
		gtpc_handoff_put(w->hub, w->id, to, &rec);
	}
	if (n)
		gtpc_handoff_publish(w->hub, w->id, t[n - 1]);
}

/* As play() with hot frames: each batch is copied into the worker's
 * buffer outside the timed section (the kernel's work), then parsed,
 * handed off or accounted, and merged inside it. The trace plays in real
 * time (PPS over both workers), so the figure is CPU time per packet at
 * that rate. */
static void *split_main(void *arg)
{
	static __thread uint8_t umem[GTPC_ENGINE_BATCH][FRAME];
	struct split_worker *w = arg;
	const struct pass *ps = w->ps;
	uint64_t g, b0, start, due;

	pthread_barrier_wait(w->go);
	start = gtpc_now_ns();
	for (g = w->lane; g < ps->n; g += 2 * GTPC_ENGINE_BATCH) {
		struct gtpc_pkt p[GTPC_ENGINE_BATCH];
		uint64_t t[GTPC_ENGINE_BATCH], now = 0, k;
		struct gtpc_act act[GTPC_ENGINE_BATCH];
		uint32_t len[GTPC_ENGINE_BATCH];
		unsigned n = 0, m = 0, j;

		for (k = g; k < g + 2 * GTPC_ENGINE_BATCH && k < ps->n; k += 2, m++) {
			uint32_t i = (uint32_t)(k % N_PKTS);

			len[m] = ps->lens[i];
			memcpy(umem[m], ps->trace + (size_t)i * FRAME, len[m]);
		}
		/* Paced: the batch is processed once its last packet has
		 * "arrived", so both workers go at the trace's rate and the
		 * timed sections hold work, not one worker waiting for room
		 * while the other has yet to start. Until then, as a quiet
		 * worker does, it promises nothing older is to come. */
		due = start + (g + 2 * (uint64_t)(m - 1)) * ps->gap_ns;
		if (w->hub)
			gtpc_handoff_publish(w->hub, w->id, 1000000000ULL + g * ps->gap_ns);
		while (gtpc_now_ns() < due)
			;
		b0 = gtpc_now_ns();
		for (j = 0; j < m; j++) {
			now = 1000000000ULL + (g + 2 * j) * ps->gap_ns;
			if (gtpc_parse(umem[j], umem[j] + len[j], &p[n]) == GTPC_OUT_GPDU)
				t[n++] = now;
		}
		w->packets += m;
		if (!w->hub) {
			gtpc_engine_batch(&w->e, p, t, n, act);
			gtpc_engine_tick(&w->e, now);
		} else {
			split_hand_off(w, p, t, n);
			now = split_account(w);
			if (now != GTPC_HANDOFF_DONE)
				gtpc_engine_tick(&w->e, now);
		}
		w->spent += gtpc_now_ns() - b0;
	}
	b0 = gtpc_now_ns();
	if (w->hub) {
		gtpc_handoff_publish(w->hub, w->id, GTPC_HANDOFF_DONE);
		while (!gtpc_handoff_drained(w->hub, w->id))
			split_account(w);
	}
	w->spent += gtpc_now_ns() - b0;
	return NULL;
}

/* One split pass on CPUs 0 and 1; returns ns per packet received, both
 * workers' timed sections over both workers' packets. */
static double play_split(const struct pass *ps, const struct gtpc_engine_cfg *cfg, int distribute, uint64_t *windows,
			 uint64_t *handed, uint64_t *late)
{
	struct split_worker w[2];
	struct gtpc_handoff hub, own[2] = { 0 };
	pthread_barrier_t go;
	pthread_t th[2];
	uint64_t spent, packets;
	unsigned i;
	/* BENCH_HANDOFF_RING: records per ring (classifier.handoff_ring_size). */
	uint32_t ring = getenv("BENCH_HANDOFF_RING") ? (uint32_t)atoi(getenv("BENCH_HANDOFF_RING")) : 8192;

	if (distribute && gtpc_handoff_init(&hub, 2, ring, cfg->key_mode))
		return -1;
	/* BENCH_HANDOFF_EAGER=1: every publish visible at once, as after
	 * each batch. */
	if (getenv("BENCH_HANDOFF_EAGER"))
		hub.lazy_records = 0;
	pthread_barrier_init(&go, NULL, 3);
	for (i = 0; i < 2; i++) {
		pthread_attr_t attr;
		cpu_set_t set;

		w[i] = (struct split_worker){ .id = i, .lane = i, .hub = distribute ? &hub : NULL, .ps = ps, .go = &go };
		/* BENCH_HANDOFF_SELF=1: each worker its own hub, every record
		 * to itself: the rings and the merge without the cores'
		 * traffic. */
		if (distribute && getenv("BENCH_HANDOFF_SELF")) {
			if (gtpc_handoff_init(&own[i], 1, ring, cfg->key_mode))
				return -1;
			if (getenv("BENCH_HANDOFF_EAGER"))
				own[i].lazy_records = 0;
			w[i].hub = &own[i];
			w[i].id = 0;
		}
		if (gtpc_engine_init(&w[i].e, cfg, &(struct gtpc_engine_ops){ .on_window = on_window }, NULL))
			return -1;
		CPU_ZERO(&set);
		CPU_SET(i, &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		pthread_create(&th[i], &attr, split_main, &w[i]);
		pthread_attr_destroy(&attr);
	}
	pthread_barrier_wait(&go);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	*windows = *handed = *late = 0;
	spent = packets = 0;
	for (i = 0; i < 2; i++) {
		spent += w[i].spent;
		if (w[i].waits)
			fprintf(stderr, "worker %u waited for room %" PRIu64 " times\n", i, w[i].waits);
		packets += w[i].packets;
		*windows += w[i].e.cnt.c[GTPC_CL_WINDOWS];
		*late += w[i].late;
		gtpc_engine_free(&w[i].e);
	}
	if (distribute) {
		*handed = gtpc_handoff_ring(&hub, 0, 1)->ptail + gtpc_handoff_ring(&hub, 1, 0)->ptail;
		gtpc_handoff_free(&hub);
		gtpc_handoff_free(&own[0]);
		gtpc_handoff_free(&own[1]);
	}
	pthread_barrier_destroy(&go);
	return (double)spent / (double)packets;
}

/* bench_path MODEL UES split PPS: the split trace without and with the
 * hand-off, best of PASSES each. */
static int bench_split(const struct gtpc_model *model, const uint8_t *trace, const uint32_t *lens, uint32_t n_ues,
		       uint64_t pps)
{
	struct gtpc_engine_cfg cfg = { .key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500000000ULL,
				       .idle_ns = 5000000000ULL, .rules = { .ttl_ns = 10000000000ULL },
				       .max_ues = 2 * n_ues, .model = model };
	struct pass ps = { NULL, trace, lens, TRAFFIC_NS * pps / 1000000000ULL, 1000000000ULL / pps, 0, 1 };
	double best[2] = { 1e9, 1e9 };
	uint64_t windows[2] = { 0 }, handed = 0, late = 0;
	int pass, d;

	for (pass = 0; pass < PASSES; pass++)
		for (d = 0; d < 2; d++) {
			double ns = play_split(&ps, &cfg, d, &windows[d], d ? &handed : &(uint64_t){ 0 }, d ? &late : &(uint64_t){ 0 });

			if (ns < 0) {
				fprintf(stderr, "cannot allocate the engines or the hand-off rings\n");
				return 1;
			}
			fprintf(stderr, "pass %d, %s: %.1f ns/packet per worker, %" PRIu64 " windows\n", pass,
				d ? "hand-off" : "local", ns, windows[d]);
			if (ns < best[d])
				best[d] = ns;
		}
	printf("split_local_ns=%.1f split_handoff_ns=%.1f handed_off_share=%.3f late=%" PRIu64
	       " windows_local=%" PRIu64 " windows_handoff=%" PRIu64 " ues=%u pps=%" PRIu64 "\n",
	       best[0], best[1], (double)handed / (double)ps.n, late, windows[0], windows[1], n_ues, pps);
	return 0;
}

/* usage: bench_path [MODEL|none [UES [hot|trace|split [PPS]]]]
 * MODEL none keeps and closes windows but classifies nothing;
 * BENCH_NO_TICK=1 leaves the sweep out. */
int main(int argc, char **argv)
{
	uint32_t n_ues = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 100000;
	int hot = argc > 3 && !strcmp(argv[3], "hot");
	uint64_t pps = argc > 4 ? (uint64_t)strtoull(argv[4], NULL, 10) : 500000;
	int no_model = argc > 1 && !strcmp(argv[1], "none");
	static uint32_t lens[N_PKTS];
	struct gtpc_engine_ops ops = { .on_window = on_window };
	struct gtpc_model model;
	uint64_t windows = 0;
	char err[256];
	uint8_t *trace;
	double best = 1e9;
	int pass;

	if (n_ues == 0 || pps == 0) {
		fprintf(stderr, "usage: bench_path [MODEL|none [UES [hot|trace|split [PPS]]]]\n");
		return 2;
	}
	if (!no_model && gtpc_model_load(argc > 1 ? argv[1] : "model/default.yaml", &model, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	trace = make_trace(lens, n_ues);
	if (!trace)
		return 1;
	if (argc > 3 && !strcmp(argv[3], "split")) {
		int rc = bench_split(no_model ? NULL : &model, trace, lens, n_ues, pps);

		free(trace);
		if (!no_model)
			gtpc_model_free(&model);
		return rc;
	}
	for (pass = 0; pass < PASSES; pass++) {
		/* Room for twice the UEs, as a deployment sizes max_ues. */
		struct gtpc_engine_cfg cfg = { .key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500000000ULL,
					       .idle_ns = 5000000000ULL, .rules = { .ttl_ns = 10000000000ULL },
					       .max_ues = 2 * n_ues, .model = no_model ? NULL : &model };
		struct gtpc_engine e;
		struct pass ps = { &e, trace, lens, TRAFFIC_NS * pps / 1000000000ULL, 1000000000ULL / pps, hot,
				   !getenv("BENCH_NO_TICK") };
		double ns;

		if (gtpc_engine_init(&e, &cfg, &ops, NULL)) {
			fprintf(stderr, "cannot allocate the UE table\n");
			return 1;
		}
		ns = play(&ps);
		if (ns < best)
			best = ns;
		windows = e.cnt.c[GTPC_CL_WINDOWS];
		fprintf(stderr, "pass %d: %.1f ns/packet, %" PRIu64 " packets, %" PRIu64 " windows, %u UEs\n", pass, ns,
			ps.n, (uint64_t)e.cnt.c[GTPC_CL_WINDOWS], e.table.count);
		gtpc_engine_free(&e);
	}
	printf("path_ns_per_packet=%.1f ues=%u pps=%" PRIu64 " packets=%" PRIu64 " windows_per_packet=%.4f frames=%s\n",
	       best, n_ues, pps, (uint64_t)(TRAFFIC_NS * pps / 1000000000ULL),
	       (double)windows / (double)(TRAFFIC_NS * pps / 1000000000ULL), hot ? "hot" : "trace");
	free(trace);
	if (!no_model)
		gtpc_model_free(&model);
	return sink == 0xdeadbeef;
}

/* The user-space per-packet path (parse, UE lookup, window update; the
 * model amortized at window ends) over an in-memory trace of 1M packets of
 * 100k UEs, each packet's UE drawn at random (the worst case for caches).
 * The trace is played for 2 s of traffic time at a given aggregate rate,
 * looping as often as that takes: the rate sets how many packets share a
 * window's classification (each UE closes about four windows whatever the
 * rate). Prints ns/packet, the best of several passes. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
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

/* usage: bench_path [MODEL|none [UES [hot|trace [PPS]]]]
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
		fprintf(stderr, "usage: bench_path [MODEL|none [UES [hot|trace [PPS]]]]\n");
		return 2;
	}
	if (!no_model && gtpc_model_load(argc > 1 ? argv[1] : "model/default.yaml", &model, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	trace = make_trace(lens, n_ues);
	if (!trace)
		return 1;
	for (pass = 0; pass < PASSES; pass++) {
		/* Room for twice the UEs, as a deployment sizes max_ues. */
		struct gtpc_engine_cfg cfg = { .key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500000000ULL,
					       .idle_ns = 5000000000ULL, .ttl_ns = 10000000000ULL,
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

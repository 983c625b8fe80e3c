/* The user-space per-packet path (parse, UE lookup, window update; the
 * model amortized at window ends) over an in-memory trace: 1M packets of
 * 100k UEs spread over 2 s. Prints ns/packet, the best of several passes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "pktbuild.h"
#include "profiles.h"
#include "util.h"

#define N_PKTS 1000000
#define FRAME 160
#define PASSES 5

static uint64_t sink;

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	sink += (uint64_t)ev->cls;
}

static uint8_t *make_trace(uint32_t *lens, uint64_t *ts, uint32_t n_ues)
{
	uint8_t *trace = malloc((size_t)N_PKTS * FRAME);
	struct gtpc_pkt_spec s = test_spec();
	uint64_t rng = 1;
	uint32_t i;

	gtpc_addr_parse("10.0.0.0", s.inner_src);
	for (i = 0; i < N_PKTS; i++) {
		uint32_t ue = (uint32_t)(gtpc_rng_next(&rng) % n_ues);

		s.inner_src[13] = (uint8_t)(ue >> 16);
		s.inner_src[14] = (uint8_t)(ue >> 8);
		s.inner_src[15] = (uint8_t)ue;
		s.teid = ue;
		s.inner_len = (uint16_t)(60 + gtpc_rng_next(&rng) % 40);
		lens[i] = (uint32_t)gtpc_pkt_build(trace + (size_t)i * FRAME, FRAME, &s);
		ts[i] = 1000000000ULL + (uint64_t)i * 2000; /* 500 kpps for 2 s */
	}
	return trace;
}

/* Frames as AF_XDP delivers them: the kernel has just written each batch
 * into the UMEM, so the worker reads them from cache. The trace keeps only
 * which UE, how long and when; a batch's frames are written into a 64-frame
 * buffer outside the timed section (that copy is the kernel's work). */
static double hot_pass(struct gtpc_engine *e, const uint8_t *trace, const uint32_t *lens, const uint64_t *ts)
{
	static uint8_t umem[GTPC_ENGINE_BATCH][FRAME];
	uint64_t spent = 0;
	uint32_t i;

	for (i = 0; i < N_PKTS; i += GTPC_ENGINE_BATCH) {
		struct gtpc_pkt p[GTPC_ENGINE_BATCH];
		uint64_t t[GTPC_ENGINE_BATCH], t0;
		unsigned j, n = 0, m = 0;

		for (j = i; j < i + GTPC_ENGINE_BATCH && j < N_PKTS; j++)
			memcpy(umem[m++], trace + (size_t)j * FRAME, lens[j]);
		t0 = gtpc_now_ns();
		for (j = 0; j < m; j++)
			if (gtpc_parse(umem[j], umem[j] + lens[i + j], &p[n]) == GTPC_OUT_GPDU)
				t[n++] = ts[i + j];
		gtpc_engine_batch(e, p, t, n);
		if (!getenv("BENCH_NO_TICK"))
			gtpc_engine_tick(e, ts[i + m - 1]);
		spent += gtpc_now_ns() - t0;
	}
	return (double)spent / N_PKTS;
}

/* usage: bench_path [MODEL [UES [hot]]] */
int main(int argc, char **argv)
{
	uint32_t n_ues = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 100000;
	int hot = argc > 3 && !strcmp(argv[3], "hot");
	static uint32_t lens[N_PKTS];
	static uint64_t ts[N_PKTS];
	struct gtpc_engine_ops ops = { .on_window = on_window };
	struct gtpc_model model;
	char err[256];
	uint8_t *trace;
	double best = 1e9;
	int pass;

	/* MODEL "none": windows are kept and closed, but nothing is classified. */
	int no_model = argc > 1 && !strcmp(argv[1], "none");

	if (!no_model && gtpc_model_load(argc > 1 ? argv[1] : "model/default.yaml", &model, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	trace = make_trace(lens, ts, n_ues);
	for (pass = 0; pass < PASSES; pass++) {
		struct gtpc_engine_cfg cfg = { .key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500000000ULL,
					       .idle_ns = 5000000000ULL, .ttl_ns = 10000000000ULL,
					       .max_ues = 2 * n_ues, .model = no_model ? NULL : &model };
		struct gtpc_engine e;
		uint64_t t0, t1;
		uint32_t i;

		gtpc_engine_init(&e, &cfg, &ops, NULL);
		if (hot) {
			double ns = hot_pass(&e, trace, lens, ts);

			if (ns < best)
				best = ns;
			fprintf(stderr, "pass %d (hot frames): %.1f ns/packet\n", pass, ns);
			gtpc_engine_free(&e);
			continue;
		}
		t0 = gtpc_now_ns();
		/* As the worker does: parse a batch, hand it over, tick. */
		for (i = 0; i < N_PKTS; i += GTPC_ENGINE_BATCH) {
			struct gtpc_pkt p[GTPC_ENGINE_BATCH];
			uint64_t t[GTPC_ENGINE_BATCH];
			unsigned j, n = 0;

			for (j = i; j < i + GTPC_ENGINE_BATCH && j < N_PKTS; j++) {
				const uint8_t *f = trace + (size_t)j * FRAME;

				if (gtpc_parse(f, f + lens[j], &p[n]) == GTPC_OUT_GPDU)
					t[n++] = ts[j];
			}
			gtpc_engine_batch(&e, p, t, n);
			if (!getenv("BENCH_NO_TICK"))
				gtpc_engine_tick(&e, ts[j - 1]);
		}
		t1 = gtpc_now_ns();
		if ((double)(t1 - t0) / N_PKTS < best)
			best = (double)(t1 - t0) / N_PKTS;
		fprintf(stderr, "pass %d: %.1f ns/packet, %lu windows, %u UEs\n", pass, (double)(t1 - t0) / N_PKTS,
			(unsigned long)e.st.windows, e.table.count);
		gtpc_engine_free(&e);
	}
	printf("path_ns_per_packet=%.1f ues=%u packets=%d frames=%s\n", best, n_ues, N_PKTS, hot ? "hot" : "trace");
	free(trace);
	if (!no_model)
		gtpc_model_free(&model);
	return sink == 0xdeadbeef;
}

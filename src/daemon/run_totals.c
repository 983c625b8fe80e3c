#include "daemon/run_totals.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/names.h"
#include "util/util.h"

struct totals {
	struct gtpc_counters dp;
	uint64_t seen;
	struct gtpc_worker_stats w;  /* summed over workers */
	uint64_t sock_dropped, ring_full, fill_empty, invalid;
	uint64_t ues_by_class[GTPC_FOREST_MAX_CLASSES];
	uint64_t ues_unclassified;
	uint64_t lat_p50, lat_p99;
};

static void sum_workers(struct totals *t, struct gtpc_worker *workers, unsigned n)
{
	unsigned i, k;

	for (i = 0; i < n; i++) {
		struct gtpc_worker_stats s;
		struct xdp_statistics xs;
		const uint64_t *src = (const uint64_t *)&s;
		uint64_t *dst = (uint64_t *)&t->w;
		const struct gtpc_ue_table *tab = &workers[i].engine.table;

		gtpc_worker_snapshot(&workers[i], &s);
		for (k = 0; k < sizeof(s) / sizeof(uint64_t); k++)
			dst[k] += src[k];
		gtpc_xsk_stats(&workers[i].xsk, &xs);
		t->sock_dropped += xs.rx_dropped;
		t->ring_full += xs.rx_ring_full;
		t->fill_empty += xs.rx_fill_ring_empty_descs;
		t->invalid += xs.rx_invalid_descs;
		for (k = 0; k < tab->max; k++) {
			const struct gtpc_ue *ue = &tab->ues[k];

			if (!ue->used)
				continue;
			if (ue->last_class == 0xff)
				t->ues_unclassified++;
			else
				t->ues_by_class[ue->last_class]++;
		}
	}
}

#define LINE(f, name, val) fprintf(f, "%s=%" PRIu64 "\n", name, (uint64_t)(val))

static void write_summary(const char *path, const struct totals *t, const struct gtpc_model *m, int ok)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return;
	LINE(f, "seen", t->seen);
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		LINE(f, gtpc_counter_name((unsigned)i), t->dp.c[i]);
	LINE(f, "metadata_unavailable", t->dp.ev[GTPC_EV_META_FAIL]);
	LINE(f, "worker_rx", t->w.rx);
	LINE(f, "worker_gpdu", t->w.gpdu);
	LINE(f, "worker_not_gpdu", t->w.not_gpdu);
	LINE(f, "worker_no_stamp", t->w.no_stamp);
	LINE(f, "worker_after_drop", t->w.after_drop);
	LINE(f, "socket_dropped", t->sock_dropped);
	LINE(f, "socket_ring_full", t->ring_full);
	LINE(f, "windows", t->w.windows);
	LINE(f, "verdicts_drop", t->w.verdicts_drop);
	LINE(f, "verdicts_cleared", t->w.verdicts_cleared);
	LINE(f, "verdict_errors", t->w.verdict_errors);
	LINE(f, "ues_new", t->w.ues_new);
	LINE(f, "ues_evicted", t->w.ues_evicted);
	for (i = 0; i < m->n_classes; i++) {
		char name[64];

		snprintf(name, sizeof(name), "windows_%s", m->class_names[i]);
		LINE(f, name, t->w.class_windows[i]);
		snprintf(name, sizeof(name), "ues_%s", m->class_names[i]);
		LINE(f, name, t->ues_by_class[i]);
	}
	LINE(f, "verdict_p50_ns", t->lat_p50);
	LINE(f, "verdict_p99_ns", t->lat_p99);
	LINE(f, "balanced", ok);
	fclose(f);
}

/* p50 and p99 of the workers' window-end-to-verdict samples. */
static void verdict_latency(struct gtpc_worker *workers, unsigned n, uint64_t *p50, uint64_t *p99)
{
	uint64_t *all = malloc((size_t)n * GTPC_LAT_SAMPLES * sizeof(*all));
	size_t k = 0;
	unsigned i, j;

	*p50 = *p99 = 0;
	if (!all)
		return;
	for (i = 0; i < n; i++) {
		uint32_t m = workers[i].engine.n_lat < GTPC_LAT_SAMPLES ? workers[i].engine.n_lat : GTPC_LAT_SAMPLES;

		for (j = 0; j < m; j++)
			all[k++] = workers[i].engine.lat[j];
	}
	gtpc_percentiles(all, k, p50, p99);
	free(all);
}

static int print_frames(struct gtpc_worker *workers, unsigned n)
{
	unsigned i;
	int ok = 1;

	for (i = 0; i < n; i++) {
		struct gtpc_frame_count fc;

		gtpc_xsk_frames(&workers[i].xsk, &fc);
		printf("  umem q%u: %u frames = fill %u + rx %u + free %u + in kernel %u\n", workers[i].wc->queue,
		       fc.total, fc.fill, fc.rx, fc.free, fc.elsewhere);
		/* In copy mode the kernel holds no frame once the ring is drained. */
		if (!workers[i].xsk.zerocopy && fc.elsewhere)
			ok = 0;
	}
	return ok;
}

int gtpc_run_totals(const struct gtpc_datapath *dp, const struct gtpc_counters *base,
		    struct gtpc_worker *workers, unsigned n, const struct gtpc_model *m, const char *summary_path)
{
	struct totals t;
	uint64_t accounted;
	int i, ok;

	memset(&t, 0, sizeof(t));
	gtpc_datapath_read(dp, &t.dp);
	for (i = 0; i < GTPC_CNT__COUNT; i++) {
		t.dp.c[i] -= base->c[i];
		t.seen += t.dp.c[i];
	}
	for (i = 0; i < GTPC_EV__COUNT; i++)
		t.dp.ev[i] -= base->ev[i];
	sum_workers(&t, workers, n);
	printf("totals:\n  packets seen by XDP %" PRIu64 "\n", t.seen);
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		if (t.dp.c[i] || i < GTPC_CNT_MALFORMED_BASE)
			printf("    %-28s %" PRIu64 "%s\n", gtpc_counter_name((unsigned)i), t.dp.c[i],
			       i >= GTPC_CNT_MALFORMED_BASE ? " (malformed, passed)" : "");
	accounted = t.w.rx + t.sock_dropped + t.ring_full;
	ok = accounted == t.dp.c[GTPC_CNT_REDIRECTED];
	printf("  redirected %" PRIu64 " = worker rx %" PRIu64 " + socket dropped %" PRIu64 " + ring full %" PRIu64
	       ": %s\n", t.dp.c[GTPC_CNT_REDIRECTED], t.w.rx, t.sock_dropped, t.ring_full,
	       ok ? "balanced" : "NOT BALANCED");
	printf("  worker rx %" PRIu64 " = G-PDUs %" PRIu64 " + not G-PDU %" PRIu64 "; without XDP stamp %" PRIu64
	       "; in flight after a drop verdict %" PRIu64 "\n", t.w.rx, t.w.gpdu, t.w.not_gpdu, t.w.no_stamp, t.w.after_drop);
	ok &= print_frames(workers, n);
	printf("  windows classified %" PRIu64 ", drop verdicts %" PRIu64 ", cleared %" PRIu64 ", errors %" PRIu64 "\n",
	       t.w.windows, t.w.verdicts_drop, t.w.verdicts_cleared, t.w.verdict_errors);
	verdict_latency(workers, n, &t.lat_p50, &t.lat_p99);
	printf("  window end to verdict p50 %.3f ms, p99 %.3f ms\n", t.lat_p50 / 1e6, t.lat_p99 / 1e6);
	printf("  UEs: new %" PRIu64 ", evicted %" PRIu64 ", idle %" PRIu64 ", resident %" PRIu64 "\n", t.w.ues_new,
	       t.w.ues_evicted, t.w.ues_idle, t.w.ues);
	printf("  %-12s %10s %12s\n", "class", "windows", "UEs (last)");
	for (i = 0; i < m->n_classes; i++)
		printf("  %-12s %10" PRIu64 " %12" PRIu64 "\n", m->class_names[i], t.w.class_windows[i], t.ues_by_class[i]);
	if (t.ues_unclassified)
		printf("  %-12s %10s %12" PRIu64 "\n", "(none yet)", "", t.ues_unclassified);
	if (summary_path)
		write_summary(summary_path, &t, m, ok);
	return ok ? 0 : -1;
}

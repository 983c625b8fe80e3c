#include "daemon/totals.h"

#include <inttypes.h>
#include <string.h>

#define V(m, base, id) ((m)->v[(base) + (id)])

static uint64_t fates(const struct gtpc_metrics *m)
{
	uint64_t s = 0;
	int i;

	for (i = 0; i < GTPC_CNT__COUNT; i++)
		s += m->v[GTPC_M_XDP + i];
	return s;
}

static int report(FILE *f, const char *what, uint64_t left, uint64_t right)
{
	fprintf(f, "  %s: %" PRIu64 " = %" PRIu64 ": %s\n", what, left, right, left == right ? "balanced" : "NOT BALANCED");
	return left == right;
}

int gtpc_totals_balance(FILE *f, struct gtpc_metrics *m, int frames_ok)
{
	uint64_t rx = V(m, GTPC_M_CL, GTPC_CL_RX);
	int ok = 1;

	V(m, GTPC_M_RUN, GTPC_RUN_SEEN) = fates(m);
	ok &= report(f, "redirected = worker_rx + socket_dropped + socket_ring_full", V(m, GTPC_M_XDP, GTPC_CNT_REDIRECTED),
		     rx + V(m, GTPC_M_SK, GTPC_SK_RX_DROPPED) + V(m, GTPC_M_SK, GTPC_SK_RX_RING_FULL));
	ok &= report(f, "worker_rx = worker_gpdu + worker_not_gpdu", rx,
		     V(m, GTPC_M_CL, GTPC_CL_GPDU) + V(m, GTPC_M_CL, GTPC_CL_NOT_GPDU));
	ok &= report(f, "worker_gpdu = worker_accounted + worker_not_accounted", V(m, GTPC_M_CL, GTPC_CL_GPDU),
		     V(m, GTPC_M_CL, GTPC_CL_ACCOUNTED) + V(m, GTPC_M_CL, GTPC_CL_NOT_ACCOUNTED));
	ok &= report(f, "worker_rx = worker_forwarded + worker_tx_ring_full + worker_dropped_verdict + worker_consumed",
		     rx, V(m, GTPC_M_CL, GTPC_CL_FORWARDED) + V(m, GTPC_M_CL, GTPC_CL_TX_RING_FULL) +
				 V(m, GTPC_M_CL, GTPC_CL_DROPPED) + V(m, GTPC_M_CL, GTPC_CL_CONSUMED));
	ok &= report(f, "umem_frames = umem_fill + umem_rx + umem_tx + umem_completion + umem_free + umem_in_kernel",
		     V(m, GTPC_M_SK, GTPC_SK_UMEM_FRAMES),
		     V(m, GTPC_M_SK, GTPC_SK_UMEM_FILL) + V(m, GTPC_M_SK, GTPC_SK_UMEM_RX) + V(m, GTPC_M_SK, GTPC_SK_UMEM_TX) +
			     V(m, GTPC_M_SK, GTPC_SK_UMEM_COMPLETION) + V(m, GTPC_M_SK, GTPC_SK_UMEM_FREE) +
			     V(m, GTPC_M_SK, GTPC_SK_UMEM_IN_KERNEL));
	if (!frames_ok)
		fprintf(f, "  umem_in_kernel: %" PRIu64 " frames held by the kernel in copy mode: NOT BALANCED\n",
			V(m, GTPC_M_SK, GTPC_SK_UMEM_IN_KERNEL));
	ok &= frames_ok;
	V(m, GTPC_M_RUN, GTPC_RUN_BALANCED) = (uint64_t)ok;
	return ok;
}

void gtpc_totals_print(FILE *f, const struct gtpc_metrics *m, const struct gtpc_model *model)
{
	int src, i, c;

	fprintf(f, "totals:\n  packets seen by XDP %" PRIu64 "\n", fates(m));
	for (src = GTPC_SRC_XDP; src <= GTPC_SRC_RUN; src++) {
		int shown = 0;

		for (i = 0; i < GTPC_M__COUNT; i++) {
			const struct gtpc_metric_desc *d = &gtpc_metric_table[i];

			if (d->src != src || !(m->v[i] || (src == GTPC_SRC_XDP && i < GTPC_M_XDP + GTPC_CNT_MALFORMED_BASE)))
				continue;
			if (!shown++)
				fprintf(f, "  %s:\n", gtpc_metric_src_names[src]);
			fprintf(f, "    %-28s %12" PRIu64 "  %s\n", d->name, m->v[i], d->help);
		}
	}
	fprintf(f, "  %-12s", "class");
	for (i = 0; i < GTPC_CLS__COUNT; i++)
		fprintf(f, " %12s", gtpc_class_metric_table[i].name);
	fprintf(f, "\n");
	for (c = 0; model && c < model->n_classes && c < GTPC_METRIC_MAX_CLASSES; c++) {
		fprintf(f, "  %-12s", model->class_names[c]);
		for (i = 0; i < GTPC_CLS__COUNT; i++)
			fprintf(f, " %12" PRIu64, m->cls[i][c]);
		fprintf(f, "\n");
	}
}

void gtpc_totals_interval(FILE *f, const char *who, const struct gtpc_metrics *now, const struct gtpc_metrics *prev,
			  double secs, int from_src, int to_src)
{
	char line[4096];
	size_t off;
	int i, any = 0;

	off = (size_t)snprintf(line, sizeof(line), "  %s:", who);
	for (i = 0; i < GTPC_M__COUNT && off < sizeof(line); i++) {
		const struct gtpc_metric_desc *d = &gtpc_metric_table[i];

		if (d->src < from_src || d->src > to_src)
			continue;
		if (d->kind == GTPC_KIND_GAUGE && now->v[i]) {
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s %" PRIu64, d->name, now->v[i]);
			any = 1;
		} else if (d->kind == GTPC_KIND_COUNTER && now->v[i] != prev->v[i]) {
			off += (size_t)snprintf(line + off, sizeof(line) - off, " %s %.0f/s", d->name,
						(double)(now->v[i] - prev->v[i]) / secs);
			any = 1;
		}
	}
	if (!any && off < sizeof(line))
		snprintf(line + off, sizeof(line) - off, " quiet");
	fprintf(f, "%s\n", line);
}

#include "util/metrics.h"

#include <inttypes.h>
#include <string.h>

#define ROW(n, k, h, s) { .name = n, .help = h, .kind = GTPC_KIND_##k, .src = s },
#define FATE(id, n, k, h) ROW(n, k, h, GTPC_SRC_XDP)
#define MAL(id, n, h) ROW("malformed_" n, COUNTER, h, GTPC_SRC_XDP)
#define EV(id, n, k, h) ROW(n, k, h, GTPC_SRC_XDP_EVENT)
#define CL(id, n, k, h) ROW(n, k, h, GTPC_SRC_CLASSIFIER)
#define SK(id, n, k, h) ROW(n, k, h, GTPC_SRC_SOCKET)
#define RUN(id, n, k, h) ROW(n, k, h, GTPC_SRC_RUN)

const struct gtpc_metric_desc gtpc_metric_table[GTPC_M__COUNT] = {
	GTPC_XDP_FATES(FATE) GTPC_MALFORMED_REASONS(MAL) GTPC_XDP_EVENTS(EV) GTPC_CLASSIFIER_COUNTERS(CL)
	GTPC_SOCKET_COUNTERS(SK) GTPC_RUN_VALUES(RUN)
};

const struct gtpc_metric_desc gtpc_class_metric_table[GTPC_CLS__COUNT] = { GTPC_CLASS_METRICS(CL) };

const char *const gtpc_metric_src_names[] = { "xdp", "xdp_event", "classifier", "socket", "run" };

int gtpc_metric_find(const char *name)
{
	int i;

	for (i = 0; i < GTPC_M__COUNT; i++)
		if (!strcmp(gtpc_metric_table[i].name, name))
			return i;
	return -1;
}

void gtpc_metrics_write(FILE *f, const struct gtpc_metrics *m, const char (*class_names)[32], int n_classes)
{
	int i, c;

	for (i = 0; i < GTPC_M__COUNT; i++)
		fprintf(f, "%s=%" PRIu64 "\n", gtpc_metric_table[i].name, m->v[i]);
	for (i = 0; i < GTPC_CLS__COUNT; i++)
		for (c = 0; c < n_classes && c < GTPC_METRIC_MAX_CLASSES; c++)
			fprintf(f, "%s_%s=%" PRIu64 "\n", gtpc_class_metric_table[i].name, class_names[c], m->cls[i][c]);
}

/* The counter table of include/gtpc/metrics.h as data: every row's name,
 * help, kind and source, and a set of values indexed like it. Everything
 * that reports counters (the interval line, the totals, --summary, the
 * exporters) walks this table instead of naming counters. */
#ifndef GTPC_METRICS_TABLE_H
#define GTPC_METRICS_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "gtpc/metrics.h"

#define GTPC_METRIC_MAX_CLASSES 32

enum gtpc_metric_kind { GTPC_KIND_COUNTER, GTPC_KIND_GAUGE };
enum gtpc_metric_src { GTPC_SRC_XDP, GTPC_SRC_XDP_EVENT, GTPC_SRC_CLASSIFIER, GTPC_SRC_SOCKET, GTPC_SRC_RUN };

struct gtpc_metric_desc {
	const char *name;
	const char *help;
	uint8_t kind;
	uint8_t src;
};

extern const struct gtpc_metric_desc gtpc_metric_table[GTPC_M__COUNT];
extern const struct gtpc_metric_desc gtpc_class_metric_table[GTPC_CLS__COUNT];
extern const char *const gtpc_metric_src_names[];

struct gtpc_metrics {
	uint64_t v[GTPC_M__COUNT];
	uint64_t cls[GTPC_CLS__COUNT][GTPC_METRIC_MAX_CLASSES];
};

/* The row index of a name, or -1. */
int gtpc_metric_find(const char *name);
/* Writes every row, then every class row, as name=value lines. */
void gtpc_metrics_write(FILE *f, const struct gtpc_metrics *m, const char (*class_names)[32], int n_classes);

#endif

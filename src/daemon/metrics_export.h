/* A stats page in the formats other programs read: JSON (`gtpclass stats
 * --json`), OpenMetrics/Prometheus text (the metrics endpoint) and plain
 * name/value lines. All walk the one counter table. */
#ifndef GTPC_METRICS_EXPORT_H
#define GTPC_METRICS_EXPORT_H

#include <stdio.h>

#include "daemon/stats_page.h"

void gtpc_export_text(FILE *f, const struct gtpc_stats_page *p);
/* Returns 0, or -ENOMEM. */
int gtpc_export_json(FILE *f, const struct gtpc_stats_page *p);
/* Prometheus text format 0.0.4: counters as NAME_total, gauges as NAME,
 * per-class rows with a class label, every sample labelled with the
 * interface. */
void gtpc_export_prometheus(FILE *f, const struct gtpc_stats_page *p);

#endif

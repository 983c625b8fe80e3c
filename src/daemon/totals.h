/* The books of a run, from the counter table: the interval line, the exit
 * totals and the checks that every packet is in one outcome and every
 * UMEM frame somewhere. */
#ifndef GTPC_TOTALS_H
#define GTPC_TOTALS_H

#include <stdio.h>

#include "model/model.h"
#include "util/metrics.h"

/* Fills the derived run values (seen, balanced) and prints each balance;
 * frames_ok is the mode's word on its UMEM frames. Returns 1 when all hold. */
int gtpc_totals_balance(FILE *f, struct gtpc_metrics *m, int frames_ok);
/* Every non-zero row by source (all XDP fates), then the classes. */
void gtpc_totals_print(FILE *f, const struct gtpc_metrics *m, const struct gtpc_model *model);
/* One line of what changed since prev over secs: counters as rates, gauges
 * as levels; rows of the sources in [from, to] only. */
void gtpc_totals_interval(FILE *f, const char *who, const struct gtpc_metrics *now, const struct gtpc_metrics *prev,
			  double secs, int from_src, int to_src);

#endif

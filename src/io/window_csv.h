/* One CSV row per closed window: the format of `gtpclass features` and of
 * the live workers' window log, so the two can be compared line by line. */
#ifndef GTPC_WINDOW_CSV_H
#define GTPC_WINDOW_CSV_H

#include <stdio.h>

#include "engine/engine.h"

/* "10.45.0.2", "10.45.0.2:4000>8.8.8.8:53/17" or "teid:0x00001234". */
const char *gtpc_key_str(const struct gtpc_key *k, char *buf, size_t len);
void gtpc_window_csv_header(FILE *f, const struct gtpc_model *m);
/* label may be NULL (no ground truth); class_name NULL without a model. */
void gtpc_window_csv_row(FILE *f, const struct gtpc_window_event *ev, const struct gtpc_model *m,
			 const char *label);

/* The same row with the integer features of the in-kernel mode. */
void gtpc_window_csv_row_int(FILE *f, const struct gtpc_window_event *ev, const struct gtpc_model *m,
			     const char *label);

#endif

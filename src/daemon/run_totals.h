/* The closing report of `gtpclass run`: every packet in one outcome, every
 * redirected packet received or counted dropped by its socket, every UMEM
 * frame somewhere. */
#ifndef GTPC_RUN_TOTALS_H
#define GTPC_RUN_TOTALS_H

#include "daemon/datapath.h"
#include "model/model.h"
#include "daemon/worker.h"

/* Prints the totals; writes them as name=value lines to summary_path when
 * it is not NULL. Returns 0 when every balance holds. */
int gtpc_run_totals(const struct gtpc_datapath *dp, const struct gtpc_counters *base,
		    struct gtpc_worker *workers, unsigned n, const struct gtpc_model *m, const char *summary_path);

#endif

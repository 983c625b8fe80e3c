/* What `run` needs of a classification mode. The AF_XDP workers and the
 * in-kernel classifier sit behind the same operations, so the daemon is one
 * loop with one totals path and one window-CSV writer. */
#ifndef GTPC_MODE_H
#define GTPC_MODE_H

#include <stddef.h>
#include <stdio.h>

#include "config/config.h"
#include "daemon/datapath.h"
#include "daemon/events.h"
#include "daemon/policy.h"
#include "engine/engine_setup.h"
#include "model/model.h"
#include "util/metrics.h"

/* What a mode is given; all of it outlives the mode. */
struct gtpc_mode_args {
	const struct gtpc_config *cfg;
	const struct gtpc_model *model;
	const struct gtpc_engine_setup *setup;
	struct gtpc_datapath *dp; /* loaded, not yet attached */
	FILE *window_log;         /* NULL, or a CSV whose header is written */
	const char *pcap_out;     /* AF_XDP only: record received frames */
	struct gtpc_policy **policy; /* the current policy, swapped by reload */
	struct gtpc_events *events;  /* NULL without events.file */
	int null_mode;            /* AF_XDP only: receive and recycle, nothing else */
};

struct gtpc_mode_ops {
	const char *name;
	/* Prepares everything but the attach; *state is the mode's. */
	int (*open)(void **state, const struct gtpc_mode_args *a, char *err, size_t errlen);
	/* Starts classifying; the program is attached by now. */
	int (*start)(void *state, char *err, size_t errlen);
	/* The main thread's share of the work, for up to timeout_ms. */
	void (*poll)(void *state, int timeout_ms);
	/* Units that report counters of their own (workers; 1 in kernel mode). */
	unsigned (*n_units)(void *state);
	void (*unit_name)(void *state, unsigned unit, char *buf, size_t len);
	/* Adds one unit's classifier and socket rows (and per-class counts) to m. */
	void (*read_unit)(void *state, unsigned unit, struct gtpc_metrics *m);
	/* Stops classifying; the program is detached by now. */
	void (*stop)(void *state);
	/* After stop: the run values only the mode knows (latency, UEs by
	 * class, inference time); returns 0 when its UMEM frames are all
	 * accounted for. */
	int (*finish)(void *state, struct gtpc_metrics *m);
	/* Puts p in force (*policy is still the old one); model_changed when
	 * p->model is a new model rather than the running one. 0, or an error
	 * in err and the old policy stays. */
	int (*reload)(void *state, struct gtpc_policy *p, int model_changed, char *err, size_t errlen);
	/* An operator's request (the datapath's part is done): hands it to
	 * whoever holds the UEs. 0 or -errno. */
	int (*command)(void *state, const struct gtpc_command *c);
	/* Optional: what the totals cannot hold (per worker pair), as text
	 * lines, or with summary set as name=value lines. */
	void (*details)(void *state, FILE *f, int summary);
	void (*close)(void *state);
};

extern const struct gtpc_mode_ops gtpc_mode_afxdp;
extern const struct gtpc_mode_ops gtpc_mode_kernel;

#endif

/* A worker: one thread pinned to one CPU, polling one AF_XDP socket and
 * running its own engine. Nothing is shared with other workers; the main
 * thread only reads the published counters. */
#ifndef GTPC_WORKER_H
#define GTPC_WORKER_H

#include <pthread.h>
#include <stdio.h>

#include "config/config.h"
#include "engine/engine.h"
#include "daemon/xsk_port.h"

/* Every field is a uint64_t so the set can be published word by word. */
struct gtpc_worker_stats {
	uint64_t rx;         /* frames taken from the RX ring */
	uint64_t gpdu;       /* of which G-PDUs given to the engine */
	uint64_t not_gpdu;   /* of which the parser disagreed with XDP */
	uint64_t no_stamp;   /* of which had no XDP timestamp */
	uint64_t wakeups;
	uint64_t after_drop; /* G-PDUs of UEs already dropped, in flight */
	uint64_t ues;
	uint64_t ues_new;
	uint64_t ues_evicted;
	uint64_t ues_idle;
	uint64_t windows;
	uint64_t verdicts_drop;
	uint64_t verdicts_cleared;
	uint64_t verdict_errors;
	uint64_t class_windows[GTPC_FOREST_MAX_CLASSES];
};

struct gtpc_worker {
	const struct gtpc_config *cfg;
	const struct gtpc_worker_cfg *wc;
	struct gtpc_xsk xsk;
	struct gtpc_engine engine;
	int verdicts_fd;
	unsigned parse_opts;
	int null_mode;     /* receive and recycle only: the bench's baseline */
	FILE *window_log;  /* optional, shared by workers (stdio locks it) */
	void *pcap_out;    /* optional pcap_dumper_t: frames as received, XDP time */
	const struct gtpc_model *model;
	pthread_t thread;
	int started;
	int stop;          /* set by the main thread */
	struct gtpc_worker_stats mine;  /* written by the worker only */
	struct gtpc_worker_stats pub;   /* published copy */
};

int gtpc_worker_start(struct gtpc_worker *w, char *err, size_t errlen);
/* Asks the worker to drain its RX ring and stop; waits for it. */
void gtpc_worker_stop(struct gtpc_worker *w);
/* A consistent-enough copy of the published counters. */
void gtpc_worker_snapshot(const struct gtpc_worker *w, struct gtpc_worker_stats *out);
/* Runs the receive loop on the calling thread (the thread body). */
void gtpc_worker_loop(struct gtpc_worker *w);

#endif

/* A worker: one thread pinned to one CPU, polling one AF_XDP socket and
 * running its own engine, and with forwarding, transmitting what passes on
 * the egress from the frame it arrived in. With classifier.distribute the
 * workers share only the hand-off rings: each accounts the UEs it owns,
 * whichever worker received their packets. The main thread only reads the
 * published counters. */
#ifndef GTPC_WORKER_H
#define GTPC_WORKER_H

#include <pthread.h>
#include <stdio.h>

#include "config/config.h"
#include "engine/engine.h"
#include "engine/handoff.h"
#include "daemon/events.h"
#include "daemon/policy.h"
#include "daemon/xsk_port.h"

/* Operator requests from the main thread (SPSC): lift a verdict, allow a
 * prefix. Empty, taking them costs the worker a load per pass. */
#define GTPC_WORKER_COMMANDS 64
struct gtpc_command_ring {
	struct gtpc_command c[GTPC_WORKER_COMMANDS];
	uint32_t head; /* the worker's */
	uint32_t tail; /* the main thread's */
};

struct gtpc_worker {
	const struct gtpc_config *cfg;
	const struct gtpc_worker_cfg *wc;
	struct gtpc_xsk xsk;
	struct gtpc_engine engine;
	int verdicts_fd;
	unsigned parse_opts;
	int null_mode;     /* receive and recycle only: the bench's baseline */
	int forwarding;    /* an egress: passed frames leave by AF_XDP TX */
	FILE *window_log;  /* optional, shared by workers (stdio locks it) */
	struct gtpc_events *events; /* optional, shared likewise */
	void *pcap_out;    /* optional pcap_dumper_t: frames as received, XDP time */
	struct gtpc_policy **policy;   /* the run's current one (RCU) */
	const struct gtpc_policy *cur; /* the one this worker's engine uses */
	struct gtpc_handoff *hub; /* NULL: this worker accounts what it receives */
	unsigned id;              /* in the hub */
	uint64_t last_t;          /* the newest record it accounted */
	struct gtpc_command_ring commands;
	pthread_t thread;
	int started;
	int engine_ready;
	int stop;          /* set by the main thread */
	/* The counters live in the engine (engine.cnt), written by this
	 * worker only; the main thread reads this published copy. */
	struct gtpc_classifier_counters pub;
};

int gtpc_worker_start(struct gtpc_worker *w, char *err, size_t errlen);
/* Asks the worker to drain its RX ring and stop; waits for it. Workers
 * that share a hub must all be asked (gtpc_worker_ask_stop) before any is
 * waited for: each accounts what the others hand it until they are done. */
void gtpc_worker_stop(struct gtpc_worker *w);
void gtpc_worker_ask_stop(struct gtpc_worker *w);
/* A consistent-enough copy of the published counters. */
void gtpc_worker_snapshot(const struct gtpc_worker *w, struct gtpc_classifier_counters *out);
/* From the main thread: queues a request; -EAGAIN when 64 are waiting. */
int gtpc_worker_command(struct gtpc_worker *w, const struct gtpc_command *c);
/* Runs the receive loop on the calling thread (the thread body). */
void gtpc_worker_loop(struct gtpc_worker *w);

#endif

/* `run` in kernel mode: the XDP program classifies; user space loads the
 * model, reads the classification events, and deletes idle UEs. */
#ifndef GTPC_KERNEL_MODE_H
#define GTPC_KERNEL_MODE_H

#include <stdint.h>
#include <stdio.h>

#include "daemon/datapath.h"
#include "engine/engine_setup.h"
#include "gtpc/kmodel.h"

#define GTPC_KLAT_SAMPLES 65536

struct gtpc_kmode {
	struct ring_buffer *rb;
	int ues_fd;
	int kstats_fd;
	uint64_t idle_ns;
	uint64_t window_ns;
	const struct gtpc_model *model;
	FILE *window_log;
	uint64_t events;
	uint64_t class_events[GTPC_KMAX_CLASSES];
	uint64_t ues_idle;
	uint64_t inference_ns_sum;
	/* Time from a window's end to its verdict: a sample per event. */
	uint64_t lat[GTPC_KLAT_SAMPLES];
	uint32_t n_lat;
};

int gtpc_kmode_open(struct gtpc_kmode *k, struct gtpc_datapath *dp, const struct gtpc_model *m,
		    const struct gtpc_engine_setup *s, char *err, size_t errlen);
/* Reads events for up to timeout_ms. */
void gtpc_kmode_poll(struct gtpc_kmode *k, int timeout_ms);
/* Deletes UEs idle for idle_ns; returns how many. */
uint64_t gtpc_kmode_sweep(struct gtpc_kmode *k, uint64_t now);
/* kstats: untracked, classified, ringbuf full, new UEs (summed over CPUs). */
void gtpc_kmode_stats(const struct gtpc_kmode *k, uint64_t out[4]);
void gtpc_kmode_totals(struct gtpc_kmode *k, FILE *summary);
void gtpc_kmode_close(struct gtpc_kmode *k);

#endif

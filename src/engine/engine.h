/* The classification engine: UE table, windows, features, model, verdicts.
 * The AF_XDP workers and the offline `gtpclass features` run this same code,
 * one with XDP timestamps, the other with a capture's. The engine never
 * reads a clock: time is whatever its caller says. */
#ifndef GTPC_ENGINE_H
#define GTPC_ENGINE_H

#include <stdint.h>

#include "gtpc/maps.h"
#include "gtpc/metrics.h"
#include "gtpc/parse.h"
#include "model/model.h"
#include "engine/ue_table.h"

struct gtpc_prefix {
	uint8_t addr[16];
	uint32_t len; /* in bits over the 16 bytes (IPv4: 96 + length) */
};

/* What turns a window's class into a verdict (the config's policy). */
struct gtpc_rules {
	struct gtpc_act class_act[GTPC_FOREST_MAX_CLASSES];
	uint64_t ttl_ns;
	/* A class whose action is not pass acts only once it won at least
	 * min_votes of the trees' votes in min_windows consecutive windows
	 * (0: at once). */
	uint32_t min_votes;
	uint32_t min_windows;
	/* A drop also needs at least this many packets in each of those
	 * windows: a UE that sends fewer is no flood, whatever the model says
	 * (0: no floor). */
	uint32_t drop_min_pkts;
};

struct gtpc_engine_cfg {
	int key_mode;
	int ue_is_src; /* when there is no PSC and no prefix matches */
	const struct gtpc_prefix *prefixes;
	uint32_t n_prefixes;
	uint64_t window_ns;
	uint64_t idle_ns;
	uint32_t max_ues;
	const struct gtpc_model *model; /* NULL: windows only, no classes */
	struct gtpc_rules rules;
};

struct gtpc_engine;

/* A closed window: the UE, its window state before closing (cur is the
 * window that ended). feat holds the model's features in its order (NULL
 * without a model); cls is -1 without a model. Both modes report windows in
 * this form, so one writer serves them. */
struct gtpc_window_event {
	const struct gtpc_key *key;
	const struct gtpc_ue_win *win;
	const float *feat;
	int cls;
	int votes; /* trees that voted for cls */
	uint64_t now;
};

struct gtpc_engine_ops {
	void (*on_window)(void *ctx, const struct gtpc_window_event *ev);
	/* v NULL removes the UE's verdict. Returns 0 or -errno. */
	int (*on_verdict)(void *ctx, const struct gtpc_key *k, const struct gtpc_verdict *v);
};

/* The counters of whoever runs an engine (a worker; `features`), indexed by
 * the classifier rows of include/gtpc/metrics.h. All uint64_t, so the set
 * can be published word by word. */
struct gtpc_classifier_counters {
	uint64_t c[GTPC_CL__COUNT];
	uint64_t class_windows[GTPC_FOREST_MAX_CLASSES];
	uint64_t class_verdicts[GTPC_FOREST_MAX_CLASSES];
};

/* Time from a window's end to its classification, the latest samples. */
#define GTPC_LAT_SAMPLES 4096

#define GTPC_ENGINE_ALLOW_MAX 1024

struct gtpc_engine {
	struct gtpc_engine_cfg cfg;
	/* UE prefixes never given a verdict (policy.allow, and at run time). */
	struct gtpc_prefix allow[GTPC_ENGINE_ALLOW_MAX];
	uint32_t n_allow;
	struct gtpc_engine_ops ops;
	void *ctx;
	struct gtpc_ue_table table;
	uint64_t *due; /* per record: when age_ue() may have work; may be early */
	int with_prev; /* the model reads prev_ features */
	struct gtpc_classifier_counters cnt;
	uint64_t last_tick_ns;
	uint32_t sweep_pos;
	uint32_t n_lat;
	uint64_t lat[GTPC_LAT_SAMPLES];
};

int gtpc_engine_init(struct gtpc_engine *e, const struct gtpc_engine_cfg *cfg,
		     const struct gtpc_engine_ops *ops, void *ctx);
void gtpc_engine_free(struct gtpc_engine *e);
/* Switches the model and the rules between two calls (a reload): UE state
 * and open windows carry over, and the next window to end is classified and
 * acted on under the new ones. The model must have the same classes, key
 * and window as the one it replaces. */
void gtpc_engine_set_policy(struct gtpc_engine *e, const struct gtpc_model *m, const struct gtpc_rules *rules);
/* A G-PDU as the engine accounts it: everything accounting reads of the
 * packet, in one cache line, so that the worker that receives a G-PDU can
 * hand it to the worker that owns its UE without the frame. */
struct gtpc_engine_rec {
	struct gtpc_key key;
	uint64_t t;    /* arrival, ns */
	uint32_t hash; /* gtpc_key_hash(&key) */
	uint16_t len;  /* inner IP total length */
	uint8_t dir;   /* enum gtpc_dir */
	uint8_t proto; /* inner L4 protocol */
};
_Static_assert(sizeof(struct gtpc_engine_rec) == 64, "a record is one cache line");

/* The UE key of a G-PDU, as the XDP program builds it. */
void gtpc_engine_key(const struct gtpc_engine *e, const struct gtpc_pkt *p, struct gtpc_key *k);
/* The record of a G-PDU received at time t (ns): key and hash included. */
void gtpc_engine_rec(const struct gtpc_engine *e, const struct gtpc_pkt *p, uint64_t t, struct gtpc_engine_rec *r);
/* Accounts one G-PDU received at time now (ns). */
void gtpc_engine_packet(struct gtpc_engine *e, const struct gtpc_pkt *p, uint64_t now);
/* Accounts records in the order given, prefetching their UE state ahead so
 * that the table's cache misses overlap instead of queueing. act (may be
 * NULL) gets the action in force for each record's UE once accounted. */
void gtpc_engine_account(struct gtpc_engine *e, const struct gtpc_engine_rec *r, unsigned n, struct gtpc_act *act);
/* Accounts a batch of G-PDUs: records for all, then gtpc_engine_account(). */
void gtpc_engine_batch(struct gtpc_engine *e, const struct gtpc_pkt *p, const uint64_t *now, unsigned n,
		       struct gtpc_act *act);
#define GTPC_ENGINE_BATCH 64
/* Periodic work spread over calls: closes due windows, expires idle UEs and
 * verdicts. Visits every record's due time once per window: active UEs close
 * their windows on their next packet anyway; the sweep is for quiet ones. */
void gtpc_engine_tick(struct gtpc_engine *e, uint64_t now);
/* An operator removed the UE's verdict from the map: the UE passes until
 * its next window is classified. Returns 1 when it had one. */
int gtpc_engine_lift(struct gtpc_engine *e, const struct gtpc_key *k);
/* UEs in the prefix are never given a verdict from now on; those that have
 * one lose it. Returns how many did, or -ENOSPC when the list is full. */
int gtpc_engine_allow(struct gtpc_engine *e, const struct gtpc_prefix *p);
/* Closes every open window (end of a capture, shutdown). */
void gtpc_engine_flush(struct gtpc_engine *e, uint64_t now);

#endif

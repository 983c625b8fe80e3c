/* The generator's packet source: N UEs, each following a profile of one or
 * more streams, all merged in time order. Deterministic for a given seed. */
#ifndef GTPC_GEN_H
#define GTPC_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gen/profiles.h"

struct gtpc_gen_ue {
	int profile;
	uint64_t rng; /* one per UE, shared by its streams */
	uint32_t teid;
	uint16_t sport;
	uint16_t seq;
	uint8_t addr[16];
	uint8_t gnb[16];
};

#define GTPC_GEN_ACKS 64 /* ACKs a stream holds back; more are coalesced */

/* One stream of one UE: the heap orders these by due_ns. */
struct gtpc_gen_src {
	uint32_t ue;
	uint16_t stream;
	uint8_t off;        /* in an off period */
	uint8_t pad;
	uint64_t due_ns;    /* min(next_ns, the oldest ACK's time) */
	uint64_t next_ns;   /* the next data (or, off, silence) packet */
	uint64_t burst_start_ns;
	uint64_t phase_end_ns; /* on/off streams: when this period ends */
	uint32_t burst_left;
	uint32_t since_ack; /* packets since the last ACK was planned */
	uint32_t ack_head, ack_tail;
	uint64_t *ack_ns;   /* GTPC_GEN_ACKS times, for a stream with ACKs */
};

struct gtpc_gen_opts {
	unsigned n_ues;
	const int *ue_profile;  /* profile per UE, n_ues entries */
	uint64_t seed;
	uint64_t duration_ns;
	int outer_v6;
	int inner_v6;
	int uplink_only;
	int no_psc;
	unsigned shard, shards; /* generate UE i only when i % shards == shard */
	uint8_t upf[16];  /* outer address of the UPF; zero: the default */
	uint8_t gnb[16];  /* first gNB's outer address; zero: the default */
};

struct gtpc_gen {
	const struct gtpc_profiles *profiles;
	struct gtpc_gen_opts o;
	struct gtpc_gen_ue *ues;
	struct gtpc_gen_src *srcs;
	uint64_t *acks;  /* the ack_ns of every source that has them */
	uint32_t *heap; /* source indices, ordered by due_ns */
	unsigned heap_n;
};

int gtpc_gen_init(struct gtpc_gen *g, const struct gtpc_profiles *p, const struct gtpc_gen_opts *o);
/* Builds the next packet; returns its length, or 0 when the duration ends.
 * t_ns is its time from the start. */
size_t gtpc_gen_next(struct gtpc_gen *g, uint8_t *buf, size_t cap, uint64_t *t_ns);
/* Writes "ue,teid,class" for every UE (its profile's class): the ground
 * truth. */
int gtpc_gen_labels(const struct gtpc_gen *g, FILE *f);
void gtpc_gen_free(struct gtpc_gen *g);

#endif

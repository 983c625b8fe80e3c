/* The generator's packet source: N UEs, each following a profile, merged in
 * time order. Deterministic for a given seed. */
#ifndef GTPC_GEN_H
#define GTPC_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "gen/profiles.h"

struct gtpc_gen_ue {
	int profile;
	uint64_t rng;
	uint64_t next_ns;
	uint64_t burst_start_ns;
	uint32_t burst_left;
	uint32_t teid;
	uint16_t sport;
	uint16_t seq;
	uint8_t addr[16];
	uint8_t gnb[16];
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
	uint32_t *heap; /* UE indices, ordered by next_ns */
	unsigned heap_n;
};

int gtpc_gen_init(struct gtpc_gen *g, const struct gtpc_profiles *p, const struct gtpc_gen_opts *o);
/* Builds the next packet; returns its length, or 0 when the duration ends.
 * t_ns is its time from the start. */
size_t gtpc_gen_next(struct gtpc_gen *g, uint8_t *buf, size_t cap, uint64_t *t_ns);
/* Writes "ue,teid,profile" for every UE: the ground truth. */
int gtpc_gen_labels(const struct gtpc_gen *g, FILE *f);
void gtpc_gen_free(struct gtpc_gen *g);

#endif

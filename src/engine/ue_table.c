#include "engine/ue_table.h"
#include "util/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t gtpc_hash_seed;

/* Candidates examined when choosing an eviction victim (sampled LRU, as
 * Redis does): cheap, and close enough to LRU for idle-UE eviction. */
#define VICTIM_SAMPLES 16

int gtpc_ue_table_init(struct gtpc_ue_table *t, uint32_t max_ues)
{
	uint64_t cap = 16;
	uint32_t i;

	memset(t, 0, sizeof(*t));
	if (max_ues == 0)
		return -EINVAL;
	while (cap < (uint64_t)max_ues * 2)
		cap <<= 1;
	t->index_bytes = cap * sizeof(*t->index);
	t->ues_bytes = (size_t)max_ues * sizeof(*t->ues);
	/* Lookups land anywhere in these arrays. */
	t->index = gtpc_hot_alloc(t->index_bytes);
	t->ues = gtpc_hot_alloc(t->ues_bytes);
	t->free = malloc((size_t)max_ues * sizeof(*t->free));
	if (!t->index || !t->ues || !t->free) {
		gtpc_ue_table_free(t);
		return -ENOMEM;
	}
	/* Records are handed out from the low end, so a table that is far from
	 * full keeps its UEs in a few megabytes. */
	for (i = 0; i < max_ues; i++)
		t->free[i] = max_ues - 1 - i;
	t->n_free = max_ues;
	t->mask = (uint32_t)(cap - 1);
	t->max = max_ues;
	return 0;
}

void gtpc_ue_table_free(struct gtpc_ue_table *t)
{
	gtpc_hot_free(t->index, t->index_bytes);
	gtpc_hot_free(t->ues, t->ues_bytes);
	free(t->free);
	t->index = NULL;
	t->ues = NULL;
	t->free = NULL;
}

static inline uint64_t entry(uint32_t hash, uint32_t id)
{
	return (uint64_t)hash << 32 | (id + 1);
}

struct gtpc_ue *gtpc_ue_find(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash)
{
	uint32_t i = hash & t->mask;

	for (;; i = (i + 1) & t->mask) {
		uint64_t e = t->index[i];

		if (!e)
			return NULL;
		if ((uint32_t)(e >> 32) == hash) {
			struct gtpc_ue *u = &t->ues[(uint32_t)e - 1];

			if (!memcmp(&u->key, k, sizeof(*k)))
				return u;
		}
	}
}

struct gtpc_ue *gtpc_ue_insert(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash)
{
	uint32_t i = hash & t->mask, id;
	struct gtpc_ue *u;

	if (t->count >= t->max)
		return NULL;
	while (t->index[i])
		i = (i + 1) & t->mask;
	id = t->free[--t->n_free];
	t->index[i] = entry(hash, id);
	u = &t->ues[id];
	memset(u, 0, sizeof(*u));
	u->key = *k;
	u->used = 1;
	u->last_class = 0xff;
	u->hash = hash;
	t->count++;
	return u;
}

struct gtpc_ue *gtpc_ue_victim(struct gtpc_ue_table *t, uint32_t hash)
{
	struct gtpc_ue *best = NULL;
	uint32_t i = hash & t->mask, n;

	for (n = 0; n <= t->mask && (n < VICTIM_SAMPLES || !best); n++, i = (i + 1) & t->mask) {
		struct gtpc_ue *u;

		if (!t->index[i])
			continue;
		u = &t->ues[(uint32_t)t->index[i] - 1];
		if (!best || u->win.last_ns < best->win.last_ns)
			best = u;
	}
	return best;
}

/* Backward-shift deletion in the index: keeps every probe run unbroken
 * without tombstones, so lookups never slow down as UEs come and go. Only
 * 8-byte entries move; records stay where they are. */
void gtpc_ue_remove(struct gtpc_ue_table *t, struct gtpc_ue *ue)
{
	uint64_t want = entry(ue->hash, gtpc_ue_id(t, ue));
	uint32_t hole = ue->hash & t->mask, j;

	while (t->index[hole] != want)
		hole = (hole + 1) & t->mask;
	for (j = hole;;) {
		uint32_t h;

		j = (j + 1) & t->mask;
		if (!t->index[j])
			break;
		h = (uint32_t)(t->index[j] >> 32) & t->mask;
		/* Move j into the hole unless its home lies cyclically in (hole, j]. */
		if ((j > hole && (h <= hole || h > j)) || (j < hole && (h <= hole && h > j))) {
			t->index[hole] = t->index[j];
			hole = j;
		}
	}
	t->index[hole] = 0;
	ue->used = 0;
	t->free[t->n_free++] = gtpc_ue_id(t, ue);
	t->count--;
}

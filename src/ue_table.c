#include "ue_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Candidates examined when choosing an eviction victim (sampled LRU, as
 * Redis does): cheap, and close enough to LRU for idle-UE eviction. */
#define VICTIM_SAMPLES 16

int gtpc_ue_table_init(struct gtpc_ue_table *t, uint32_t max_ues)
{
	uint64_t cap = 16;

	while (cap < (uint64_t)max_ues * 2)
		cap <<= 1;
	t->bytes = cap * sizeof(*t->slots);
	t->slots = mmap(NULL, t->bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->slots == MAP_FAILED) {
		t->slots = NULL;
		return -ENOMEM;
	}
	/* Lookups land anywhere in the table: huge pages spare a TLB miss on
	 * most of them (advice only; without THP it still works). */
	madvise(t->slots, t->bytes, MADV_HUGEPAGE);
	/* Touch every page now: no page fault on the per-packet path. */
	memset(t->slots, 0, t->bytes);
	t->mask = (uint32_t)(cap - 1);
	t->count = 0;
	t->max = max_ues;
	return 0;
}

void gtpc_ue_table_free(struct gtpc_ue_table *t)
{
	if (t->slots)
		munmap(t->slots, t->bytes);
	t->slots = NULL;
}

/* The key is 44 bytes: five 8-byte words and one 4-byte word. Each word is
 * multiplied by its own odd constant (independent multiplies run in
 * parallel), then one finalizer mixes the sum. */
uint32_t gtpc_key_hash(const struct gtpc_key *k)
{
	uint64_t w[6] = { 0 }, a, b, h;

	memcpy(w, k, sizeof(*k));
	a = w[0] * 0x9e3779b97f4a7c15ULL + w[1] * 0xc2b2ae3d27d4eb4fULL + w[2] * 0x165667b19e3779f9ULL;
	b = w[3] * 0x85ebca77c2b2ae63ULL + w[4] * 0x27d4eb2f165667c5ULL + w[5] * 0xff51afd7ed558ccdULL;
	h = a ^ ((b << 29) | (b >> 35));
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h;
}

struct gtpc_ue *gtpc_ue_find(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash)
{
	uint32_t i = hash & t->mask;

	for (;; i = (i + 1) & t->mask) {
		struct gtpc_ue *s = &t->slots[i];

		if (!s->used)
			return NULL;
		if (s->hash == hash && !memcmp(&s->key, k, sizeof(*k)))
			return s;
	}
}

struct gtpc_ue *gtpc_ue_insert(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash)
{
	uint32_t i = hash & t->mask;

	if (t->count >= t->max)
		return NULL;
	while (t->slots[i].used)
		i = (i + 1) & t->mask;
	memset(&t->slots[i], 0, sizeof(t->slots[i]));
	t->slots[i].key = *k;
	t->slots[i].used = 1;
	t->slots[i].last_class = 0xff;
	t->slots[i].hash = hash;
	t->count++;
	return &t->slots[i];
}

struct gtpc_ue *gtpc_ue_victim(struct gtpc_ue_table *t, uint32_t hash)
{
	struct gtpc_ue *best = NULL;
	uint32_t i = hash & t->mask, n;

	for (n = 0; n <= t->mask && (n < VICTIM_SAMPLES || !best); n++, i = (i + 1) & t->mask) {
		struct gtpc_ue *s = &t->slots[i];

		if (s->used && (!best || s->win.last_ns < best->win.last_ns))
			best = s;
	}
	return best;
}

static inline uint32_t home(const struct gtpc_ue_table *t, const struct gtpc_ue *s)
{
	return s->hash & t->mask;
}

/* Backward-shift deletion: keeps every probe run unbroken without
 * tombstones, so lookups never slow down as UEs come and go. */
void gtpc_ue_remove(struct gtpc_ue_table *t, struct gtpc_ue *ue)
{
	uint32_t hole = (uint32_t)(ue - t->slots), j = hole;

	for (;;) {
		uint32_t h;

		j = (j + 1) & t->mask;
		if (!t->slots[j].used)
			break;
		h = home(t, &t->slots[j]);
		/* Move j into the hole unless its home lies cyclically in (hole, j]. */
		if ((j > hole && (h <= hole || h > j)) || (j < hole && (h <= hole && h > j))) {
			t->slots[hole] = t->slots[j];
			hole = j;
		}
	}
	t->slots[hole].used = 0;
	t->count--;
}

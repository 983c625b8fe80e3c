/* Per-worker table of UE state: fixed capacity, no allocation after
 * creation, no locks (one table per worker).
 *
 * Two arrays. The records (struct gtpc_ue) sit densely in one array of max
 * entries and never move, so 100k UEs take 32 MB, most of which a server's
 * last-level cache holds. A compact index in front of them (8 bytes an
 * entry: the key's hash and the record's number), open addressing with
 * linear probing, at most half full, finds a record with one probe line;
 * only a record whose hash matches is read. */
#ifndef GTPC_UE_TABLE_H
#define GTPC_UE_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gtpc/key.h"
#include "gtpc/window.h"

/* What every packet touches comes first: key, flags, then the window's
 * per-packet fields (win starts with last_ns and cur), in the first three
 * lines; the previous window and the counters, which a window's end also
 * touches, fill the last two. Line-aligned, so that a record is always
 * exactly those five lines and prefetching them fetches no neighbour. */
struct gtpc_ue {
	struct gtpc_key key;
	uint8_t used;
	uint8_t action;     /* the verdict in force: enum gtpc_action ... */
	uint8_t last_class; /* 0xff before the first classification */
	uint8_t param;      /* ... and its parameter */
	struct gtpc_ue_win win;
	uint32_t hash;      /* of key, to find the index entry on removal */
	uint32_t windows;   /* classified so far */
	uint64_t verdict_expires_ns;
	uint8_t streak;     /* sure windows of last_class in a row */
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct gtpc_ue) == 5 * 64, "gtpc_ue_prefetch_record() fetches five lines");

struct gtpc_ue_table {
	uint64_t *index;     /* hash << 32 | (record + 1); 0 is empty */
	struct gtpc_ue *ues; /* max records */
	uint32_t *free;      /* stack of free record numbers */
	uint32_t n_free;
	uint32_t mask;       /* index capacity - 1 */
	uint32_t count;
	uint32_t max;        /* count never exceeds it */
	size_t index_bytes, ues_bytes;
};

int gtpc_ue_table_init(struct gtpc_ue_table *t, uint32_t max_ues);
void gtpc_ue_table_free(struct gtpc_ue_table *t);
/* The UE's record, or NULL. */
struct gtpc_ue *gtpc_ue_find(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash);
/* A new zeroed record for k; NULL when the table holds max UEs. */
struct gtpc_ue *gtpc_ue_insert(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash);
/* The least recently seen UE among the entries near hash: the one to evict. */
struct gtpc_ue *gtpc_ue_victim(struct gtpc_ue_table *t, uint32_t hash);
/* Removes a UE; its record is free for the next insert. */
void gtpc_ue_remove(struct gtpc_ue_table *t, struct gtpc_ue *ue);

/* Mixed into every key's hash: 0 offline (reproducible), random in a
 * running daemon, so that keys a sender chooses (key: flow) cannot be
 * picked to collide in the index or to land on one owner worker. */
extern uint64_t gtpc_hash_seed;

/* Reads the key field by field, each read within one store of
 * gtpc_key_build(), so that the stores just made forward to it (a wide copy
 * of the whole key would span several and stall). Each field is multiplied
 * by its own odd constant (independent multiplies run in parallel), then
 * one finalizer mixes the sum. */
static inline uint32_t gtpc_key_hash(const struct gtpc_key *k)
{
	uint64_t a0, a1, p0, p1, a, b, h;

	memcpy(&a0, k->addr, 8);
	memcpy(&a1, k->addr + 8, 8);
	memcpy(&p0, k->peer, 8);
	memcpy(&p1, k->peer + 8, 8);
	/* Small fields each get their own multiply: combined with shifts, the
	 * compiler would merge their loads into one that spans two stores. */
	a = a0 * 0x9e3779b97f4a7c15ULL + a1 * 0xc2b2ae3d27d4eb4fULL + p0 * 0x165667b19e3779f9ULL +
	    p1 * 0x85ebca77c2b2ae63ULL;
	b = k->teid * 0x27d4eb2f165667c5ULL + k->sport * 0xff51afd7ed558ccdULL + k->dport * 0x94d049bb133111ebULL +
	    k->proto * 0xbf58476d1ce4e5b9ULL + k->mode * 0xd6e8feb86659fd93ULL;
	h = a ^ ((b << 29) | (b >> 35)) ^ gtpc_hash_seed;
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h;
}

static inline uint32_t gtpc_ue_id(const struct gtpc_ue_table *t, const struct gtpc_ue *ue)
{
	return (uint32_t)(ue - t->ues);
}

/* GCC deems a function that only loads and prefetches pure, and drops calls
 * to a pure function returning nothing unless it was inlined first: these
 * two must be inlined. */
#define GTPC_PREFETCH_FN static inline __attribute__((always_inline)) void

/* Starts bringing in the index line a lookup of hash reads first. */
GTPC_PREFETCH_FN gtpc_ue_prefetch_index(const struct gtpc_ue_table *t, uint32_t hash)
{
	__builtin_prefetch(&t->index[hash & t->mask]);
}

/* Once that line is in: starts bringing in the record its first entry
 * names, when that entry is the key's (the usual case at half load). All
 * five lines: a packet that ends a window touches the last two, and waiting
 * for them there cost more than fetching them for every packet. */
GTPC_PREFETCH_FN gtpc_ue_prefetch_record(const struct gtpc_ue_table *t, uint32_t hash)
{
	uint64_t ent = t->index[hash & t->mask];

	if (ent && (uint32_t)(ent >> 32) == hash) {
		const char *r = (const char *)&t->ues[(uint32_t)ent - 1];

		__builtin_prefetch(r);
		__builtin_prefetch(r + 64);
		__builtin_prefetch(r + 128);
		__builtin_prefetch(r + 192);
		__builtin_prefetch(r + 256);
	}
}

#endif

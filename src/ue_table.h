/* Per-worker table of UE state: fixed capacity, open addressing with linear
 * probing, at most half full so probes stay short. No allocation after
 * creation, no locks (one table per worker). */
#ifndef GTPC_UE_TABLE_H
#define GTPC_UE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "gtpc/key.h"
#include "gtpc/window.h"

struct gtpc_ue {
	struct gtpc_key key;
	uint8_t used;
	uint8_t action;     /* enum gtpc_action in force */
	uint8_t last_class; /* 0xff before the first classification */
	uint8_t pad;
	uint32_t hash;      /* of key, kept for removal */
	uint32_t windows;   /* classified so far */
	uint64_t verdict_expires_ns;
	struct gtpc_ue_win win;
};

struct gtpc_ue_table {
	struct gtpc_ue *slots;
	uint32_t mask;     /* capacity - 1 */
	uint32_t count;
	uint32_t max;      /* count never exceeds it */
	size_t bytes;
};

int gtpc_ue_table_init(struct gtpc_ue_table *t, uint32_t max_ues);
void gtpc_ue_table_free(struct gtpc_ue_table *t);
uint32_t gtpc_key_hash(const struct gtpc_key *k);
/* The UE's slot, or NULL. */
struct gtpc_ue *gtpc_ue_find(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash);
/* A new zeroed slot for k; NULL when the table holds max UEs. */
struct gtpc_ue *gtpc_ue_insert(struct gtpc_ue_table *t, const struct gtpc_key *k, uint32_t hash);
/* The least recently seen UE among the slots near hash: the one to evict. */
struct gtpc_ue *gtpc_ue_victim(struct gtpc_ue_table *t, uint32_t hash);
/* Removes a slot, shifting back later entries of its probe run. */
void gtpc_ue_remove(struct gtpc_ue_table *t, struct gtpc_ue *ue);

#endif

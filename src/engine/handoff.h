/* Hand-off of G-PDU records between workers, so that each UE is accounted
 * by one worker, its owner (a hash of its key over the workers), whatever
 * queue or port its packets arrive on.
 *
 * One single-producer single-consumer ring of records per (from, to) pair
 * of workers, a worker's own records included: the receiving worker keeps
 * the frame (it is forwarded or recycled there) and passes only the record.
 * The owner must account a UE's packets in arrival-time order, as the
 * offline extractor does with a capture, yet its records come from several
 * workers, each in time order. So each producer publishes a watermark (no
 * record it puts from now on is older) and the owner merges its incoming
 * rings oldest first, up to the smallest watermark: a stream merge with
 * punctuation, in the manner of the ordered event merges of stream
 * processors. No lock: each ring index has one writer, and a watermark is
 * stored after the tails it covers. */
#ifndef GTPC_HANDOFF_H
#define GTPC_HANDOFF_H

#include <stdint.h>
#include <string.h>

#include "engine/engine.h"

#define GTPC_HANDOFF_LINE __attribute__((aligned(64)))
/* The watermark of a producer that will put nothing more. */
#define GTPC_HANDOFF_DONE UINT64_MAX

/* A prefetch for writing (PREFETCHW, which x86-64 CPUs of the last decade
 * carry out and older ones run as a no-op): GCC emits it only when told
 * the CPU has it, and a plain prefetch brings the line in shared, so the
 * store would still wait for ownership. */
static inline void gtpc_prefetch_write(const void *p)
{
#if defined(__x86_64__)
	__asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
#else
	__builtin_prefetch(p, 1);
#endif
}

/* A record as it crosses between the cores when the key is one address or
 * a TEID (key: ue or teid): half a cache line, so every line that moves
 * from the producer's core to the owner's carries two records, and those
 * moves are most of what a hand-off costs. key: flow needs the whole
 * record. */
struct gtpc_handoff_rec {
	uint64_t t;
	uint8_t id[16]; /* the UE's address, or the TEID in the first four bytes */
	uint32_t hash;
	uint16_t len;
	uint8_t dir;
	uint8_t proto;
};
_Static_assert(sizeof(struct gtpc_handoff_rec) == 32, "two records a cache line");

struct gtpc_handoff_ring {
	/* The producer's own line: written at every put, so the consumer
	 * never reads it (each of its reads would pull the line away and the
	 * next put fetch it back). */
	uint64_t ptail GTPC_HANDOFF_LINE; /* put, ever */
	uint64_t phead;                   /* the producer's last look at head */
	uint64_t full;                    /* times the producer found it full */
	uint64_t tail GTPC_HANDOFF_LINE;  /* published */
	/* The consumer's line. */
	uint64_t head GTPC_HANDOFF_LINE; /* released */
	uint64_t chead;                  /* taken by a merge */
	uint64_t ctail;                  /* the consumer's last look at tail */
	/* Set once. */
	unsigned char *slots GTPC_HANDOFF_LINE;
	uint32_t mask;
	uint8_t shift;    /* log2 of a slot's size: 5 (compact) or 6 */
	uint8_t key_mode; /* enum gtpc_key_mode, to rebuild a compact record's key */
};

struct gtpc_handoff_mark {
	uint64_t wm GTPC_HANDOFF_LINE; /* published */
	/* The producer's own. */
	uint64_t want GTPC_HANDOFF_LINE; /* the watermark it has promised itself */
};

struct gtpc_handoff {
	unsigned n;
	uint32_t lazy_records; /* a publish waits for this many records to others... */
	uint64_t lazy_ns;      /* ...or this much traffic time */
	struct gtpc_handoff_ring *rings;   /* [from * n + to] */
	struct gtpc_handoff_mark *marks;   /* [from] */
	unsigned char *slots;              /* every ring's, one after another */
	size_t slots_bytes;
};

/* n workers, rings of size records each (a power of two), records keyed
 * by key_mode (enum gtpc_key_mode). */
int gtpc_handoff_init(struct gtpc_handoff *h, unsigned n, uint32_t size, int key_mode);
void gtpc_handoff_free(struct gtpc_handoff *h);

static inline struct gtpc_handoff_ring *gtpc_handoff_ring(const struct gtpc_handoff *h, unsigned from, unsigned to)
{
	return &h->rings[from * h->n + to];
}

/* The owner of a UE: its hash's high bits (the UE table indexes with the
 * low ones), spread evenly over the workers. */
static inline unsigned gtpc_handoff_owner(const struct gtpc_handoff *h, uint32_t hash)
{
	return (unsigned)(((uint64_t)hash * h->n) >> 32);
}

/* Producer: whether the ring to `to` has room for a record. */
static inline int gtpc_handoff_room(struct gtpc_handoff *h, unsigned from, unsigned to)
{
	struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, from, to);

	if (r->ptail - r->phead > r->mask) {
		r->phead = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
		if (r->ptail - r->phead > r->mask)
			return 0;
	}
	return 1;
}

static inline void *gtpc_handoff_slot_at(const struct gtpc_handoff_ring *r, uint64_t i)
{
	return r->slots + ((i & r->mask) << r->shift);
}

/* Producer: puts rec for `to` (visible at the next publish); only after
 * gtpc_handoff_room() said yes. */
static inline void gtpc_handoff_put(struct gtpc_handoff *h, unsigned from, unsigned to,
				    const struct gtpc_engine_rec *rec)
{
	struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, from, to);
	void *slot = gtpc_handoff_slot_at(r, r->ptail);

	/* The owner read that line last: ask for it ahead, for writing, so
	 * that the ownership transfers overlap instead of filling the store
	 * buffer one at a time. Eight lines ahead, whatever the slot size. */
	gtpc_prefetch_write(gtpc_handoff_slot_at(r, r->ptail + (8u << (6 - r->shift))));
	if (r->shift == 6) {
		*(struct gtpc_engine_rec *)slot = *rec;
	} else {
		struct gtpc_handoff_rec *c = slot;

		c->t = rec->t;
		if (r->key_mode == GTPC_KEY_TEID) {
			memset(c->id, 0, sizeof(c->id));
			memcpy(c->id, &rec->key.teid, sizeof(rec->key.teid));
		} else {
			memcpy(c->id, rec->key.addr, sizeof(c->id));
		}
		c->hash = rec->hash;
		c->len = rec->len;
		c->dir = rec->dir;
		c->proto = rec->proto;
	}
	r->ptail++;
}

/* Producer: promises that no record it puts from now on is older than wm
 * (the watermark only ever rises), and makes that and the records put so
 * far visible to their owners once lazy_records for other workers or
 * lazy_ns of traffic time have piled up (at once for GTPC_HANDOFF_DONE).
 * Every line a publish writes is one the owners read and the next publish
 * must fetch back from them; on a batch of 64 packets those fetches cost
 * more than the records' own lines, so they are spread over several
 * batches. The worker's own records and promise count for itself at once. */
void gtpc_handoff_publish(struct gtpc_handoff *h, unsigned from, uint64_t wm);
/* Producer: as gtpc_handoff_publish(), visible now (an owner may be
 * waiting for exactly these records, or for room in the producer's ring). */
void gtpc_handoff_flush(struct gtpc_handoff *h, unsigned from, uint64_t wm);

/* Consumer (worker `to`, which is also producer `to`): up to max of the
 * records for `to`, oldest first, none newer
 * than the smallest watermark (*horizon): once they are accounted, no
 * record older than the last one can still come, unless a producer broke
 * its promise. They are copied to out (whole records, keys rebuilt) and
 * their slots freed. *foreign: how many came from other workers. */
unsigned gtpc_handoff_merge(struct gtpc_handoff *h, unsigned to, struct gtpc_engine_rec *out, unsigned max,
			    unsigned *foreign, uint64_t *horizon);
/* Consumer: every producer is done and nothing for `to` is left. */
int gtpc_handoff_drained(const struct gtpc_handoff *h, unsigned to);

#endif

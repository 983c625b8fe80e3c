#include "engine/handoff.h"
#include "util/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int gtpc_handoff_init(struct gtpc_handoff *h, unsigned n, uint32_t size, int key_mode)
{
	const uint8_t shift = key_mode == GTPC_KEY_FLOW ? 6 : 5; /* log2 of a slot's size */
	unsigned i;

	memset(h, 0, sizeof(*h));
	if (!n || !size || (size & (size - 1)))
		return -EINVAL;
	h->n = n;
	h->lazy_records = size / 4 < 256 ? size / 4 : 256;
	h->lazy_ns = 1000000; /* 1 ms: little next to windows of hundreds of ms */
	h->rings = aligned_alloc(64, (size_t)n * n * sizeof(*h->rings));
	h->marks = aligned_alloc(64, (size_t)n * sizeof(*h->marks));
	/* Both ends walk round the whole ring: on 4 KiB pages faulted in at
	 * first use, a page fault every 128 records (32-byte slots) on the
	 * per-packet path for the whole first lap. */
	h->slots_bytes = (size_t)n * n * ((size_t)size << shift);
	h->slots = gtpc_hot_alloc(h->slots_bytes);
	if (!h->rings || !h->marks || !h->slots) {
		gtpc_handoff_free(h);
		return -ENOMEM;
	}
	memset(h->rings, 0, (size_t)n * n * sizeof(*h->rings));
	memset(h->marks, 0, (size_t)n * sizeof(*h->marks));
	for (i = 0; i < n * n; i++) {
		struct gtpc_handoff_ring *r = &h->rings[i];

		r->mask = size - 1;
		r->shift = shift;
		r->key_mode = (uint8_t)key_mode;
		r->slots = h->slots + (size_t)i * ((size_t)size << shift);
	}
	return 0;
}

void gtpc_handoff_free(struct gtpc_handoff *h)
{
	free(h->rings);
	free(h->marks);
	gtpc_hot_free(h->slots, h->slots_bytes);
	memset(h, 0, sizeof(*h));
}

void gtpc_handoff_flush(struct gtpc_handoff *h, unsigned from, uint64_t wm)
{
	struct gtpc_handoff_mark *m = &h->marks[from];
	unsigned to;

	for (to = 0; to < h->n; to++) {
		struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, from, to);

		if (r->tail != r->ptail)
			__atomic_store_n(&r->tail, r->ptail, __ATOMIC_RELEASE);
	}
	if (wm > m->want)
		m->want = wm;
	if (m->want > m->wm)
		__atomic_store_n(&m->wm, m->want, __ATOMIC_RELEASE);
}

void gtpc_handoff_publish(struct gtpc_handoff *h, unsigned from, uint64_t wm)
{
	struct gtpc_handoff_mark *m = &h->marks[from];
	struct gtpc_handoff_ring *self = gtpc_handoff_ring(h, from, from);
	uint64_t unpublished = 0;
	unsigned to;

	if (wm > m->want)
		m->want = wm;
	for (to = 0; to < h->n; to++) {
		const struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, from, to);

		unpublished += to == from ? 0 : r->ptail - r->tail;
	}
	if (m->want == GTPC_HANDOFF_DONE || unpublished >= h->lazy_records || m->want - m->wm >= h->lazy_ns) {
		gtpc_handoff_flush(h, from, wm);
		return;
	}
	/* The worker's own ring: no other core reads it. */
	if (self->tail != self->ptail)
		__atomic_store_n(&self->tail, self->ptail, __ATOMIC_RELEASE);
}

static uint64_t slot_time(const struct gtpc_handoff_ring *r, const void *slot)
{
	return r->shift == 6 ? ((const struct gtpc_engine_rec *)slot)->t : ((const struct gtpc_handoff_rec *)slot)->t;
}

static void unpack(const struct gtpc_handoff_ring *r, const void *slot, struct gtpc_engine_rec *out)
{
	const struct gtpc_handoff_rec *c = slot;

	if (r->shift == 6) {
		*out = *(const struct gtpc_engine_rec *)slot;
		return;
	}
	memset(&out->key, 0, sizeof(out->key));
	out->key.mode = r->key_mode;
	if (r->key_mode == GTPC_KEY_TEID)
		memcpy(&out->key.teid, c->id, sizeof(out->key.teid));
	else
		memcpy(out->key.addr, c->id, sizeof(out->key.addr));
	out->t = c->t;
	out->hash = c->hash;
	out->len = c->len;
	out->dir = c->dir;
	out->proto = c->proto;
}

unsigned gtpc_handoff_merge(struct gtpc_handoff *h, unsigned to, struct gtpc_engine_rec *out, unsigned max,
			    unsigned *foreign, uint64_t *horizon)
{
	uint64_t limit = GTPC_HANDOFF_DONE;
	unsigned s, n = 0;

	*foreign = 0;
	/* Watermarks first, then tails: a watermark read covers at least
	 * the records of the tails read after it. */
	for (s = 0; s < h->n; s++) {
		/* Its own promise, published or not. */
		uint64_t wm = s == to ? h->marks[s].want : __atomic_load_n(&h->marks[s].wm, __ATOMIC_ACQUIRE);

		limit = wm < limit ? wm : limit;
	}
	for (s = 0; s < h->n; s++) {
		struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, s, to);

		r->ctail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	}
	*horizon = limit;
	while (n < max) {
		struct gtpc_handoff_ring *best = 0;
		uint64_t best_t = 0, next_t = GTPC_HANDOFF_DONE;
		unsigned from = 0, next = h->n;

		/* The oldest head, and the next oldest: every record of the
		 * oldest's ring up to the next can go at once. */
		for (s = 0; s < h->n; s++) {
			struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, s, to);
			uint64_t t;

			if (r->chead == r->ctail)
				continue;
			t = slot_time(r, gtpc_handoff_slot_at(r, r->chead));
			if (!best || t < best_t) {
				if (best) {
					next_t = best_t;
					next = from;
				}
				best = r;
				best_t = t;
				from = s;
			} else if (t < next_t) {
				next_t = t;
				next = s;
			}
		}
		if (!best || best_t > limit)
			break;
		if (next_t > limit) {
			next_t = limit;
			next = h->n;
		}
		/* Ties go to the lower ring, as one record at a time would. */
		do {
			unpack(best, gtpc_handoff_slot_at(best, best->chead), &out[n++]);
			best->chead++;
			*foreign += from != to;
			if (best->chead == best->ctail)
				break;
			best_t = slot_time(best, gtpc_handoff_slot_at(best, best->chead));
		} while (n < max && (best_t < next_t || (best_t == next_t && from < next)));
	}
	for (s = 0; s < h->n; s++) {
		struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, s, to);

		if (r->head != r->chead)
			__atomic_store_n(&r->head, r->chead, __ATOMIC_RELEASE);
	}
	return n;
}

int gtpc_handoff_drained(const struct gtpc_handoff *h, unsigned to)
{
	unsigned s;

	for (s = 0; s < h->n; s++) {
		const struct gtpc_handoff_ring *r = gtpc_handoff_ring(h, s, to);

		if (__atomic_load_n(&h->marks[s].wm, __ATOMIC_ACQUIRE) != GTPC_HANDOFF_DONE ||
		    r->chead != __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE))
			return 0;
	}
	return 1;
}

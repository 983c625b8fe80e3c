/* The hand-off rings: records merge oldest first and never beyond the
 * smallest watermark; a full ring refuses a record until the owner frees
 * room; owners spread evenly; and a trace split over two workers and
 * merged at each UE's owner gives exactly the windows of one engine that
 * saw the whole trace in order (what "distribute" promises live). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/handoff.h"
#include "gen/profiles.h"
#include "pktbuild.h"

#define MS 1000000ULL

static void put(struct gtpc_handoff *h, unsigned from, unsigned to, uint64_t t)
{
	struct gtpc_engine_rec rec = { .t = t };

	assert_true(gtpc_handoff_room(h, from, to));
	gtpc_handoff_put(h, from, to, &rec);
}

static unsigned merge_all(struct gtpc_handoff *h, unsigned to, uint64_t *out, unsigned max, uint64_t *horizon)
{
	struct gtpc_engine_rec r[64];
	unsigned n, i, total = 0, foreign;

	do {
		n = gtpc_handoff_merge(h, to, r, 64, &foreign, horizon);
		for (i = 0; i < n && total < max; i++)
			out[total++] = r[i].t;
	} while (n == 64);
	return total;
}

static void test_merge_stops_at_the_smallest_watermark(void **state)
{
	struct gtpc_handoff h;
	uint64_t got[16], horizon;
	unsigned n;

	assert_int_equal(gtpc_handoff_init(&h, 2, 256, GTPC_KEY_UE), 0);
	put(&h, 0, 0, 1);
	put(&h, 0, 0, 3);
	put(&h, 0, 0, 5);
	put(&h, 1, 0, 2);
	put(&h, 1, 0, 4);
	put(&h, 1, 0, 6);
	/* Nothing is visible before it is published. */
	assert_int_equal(merge_all(&h, 0, got, 16, &horizon), 0);
	gtpc_handoff_flush(&h, 0, 5);
	gtpc_handoff_flush(&h, 1, 4);
	n = merge_all(&h, 0, got, 16, &horizon);
	assert_int_equal(horizon, 4);
	assert_int_equal(n, 4);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 3);
	assert_int_equal(got[3], 4);
	assert_false(gtpc_handoff_drained(&h, 0));
	/* A watermark never goes back. */
	gtpc_handoff_flush(&h, 1, 3);
	assert_int_equal(merge_all(&h, 0, got, 16, &horizon), 0);
	gtpc_handoff_publish(&h, 0, GTPC_HANDOFF_DONE);
	gtpc_handoff_publish(&h, 1, GTPC_HANDOFF_DONE);
	n = merge_all(&h, 0, got, 16, &horizon);
	assert_int_equal(n, 2);
	assert_int_equal(got[0], 5);
	assert_int_equal(got[1], 6);
	assert_true(gtpc_handoff_drained(&h, 0));
	gtpc_handoff_free(&h);
}

/* A publish reaches the other workers once enough records or traffic time
 * have piled up; a worker's own records and promise count at once. */
static void test_publish_waits_for_records_or_time(void **state)
{
	struct gtpc_handoff h;
	uint64_t got[256], horizon;
	unsigned i;

	assert_int_equal(gtpc_handoff_init(&h, 2, 256, GTPC_KEY_UE), 0);
	assert_int_equal(h.lazy_records, 64);
	gtpc_handoff_flush(&h, 1, 10);
	gtpc_handoff_flush(&h, 0, 10);
	put(&h, 0, 0, 10);
	put(&h, 1, 0, 11);
	gtpc_handoff_publish(&h, 0, 20);
	gtpc_handoff_publish(&h, 1, 20);
	/* Worker 0's own record, up to worker 1's last published promise. */
	assert_int_equal(merge_all(&h, 0, got, 256, &horizon), 1);
	assert_int_equal(got[0], 10);
	assert_int_equal(horizon, 10);
	/* Traffic time: a millisecond after the last publish. */
	gtpc_handoff_publish(&h, 1, 10 + h.lazy_ns - 1);
	assert_int_equal(merge_all(&h, 0, got, 256, &horizon), 0);
	gtpc_handoff_publish(&h, 1, 10 + h.lazy_ns);
	assert_int_equal(merge_all(&h, 0, got, 256, &horizon), 1);
	assert_int_equal(got[0], 11);
	assert_int_equal(horizon, 20);
	/* Records: the 64th since the last publish. */
	gtpc_handoff_flush(&h, 0, GTPC_HANDOFF_DONE);
	for (i = 0; i < 63; i++)
		put(&h, 1, 0, h.lazy_ns + 10 + i);
	gtpc_handoff_publish(&h, 1, h.lazy_ns + 10 + 62);
	assert_int_equal(merge_all(&h, 0, got, 256, &horizon), 0);
	put(&h, 1, 0, h.lazy_ns + 10 + 63);
	gtpc_handoff_publish(&h, 1, h.lazy_ns + 10 + 63);
	assert_int_equal(merge_all(&h, 0, got, 256, &horizon), 64);
	gtpc_handoff_free(&h);
}

static void test_full_ring_waits_for_the_owner(void **state)
{
	struct gtpc_handoff h;
	uint64_t got[512], horizon;
	unsigned i;

	assert_int_equal(gtpc_handoff_init(&h, 2, 256, GTPC_KEY_UE), 0);
	for (i = 0; i < 256; i++)
		put(&h, 1, 0, i);
	assert_false(gtpc_handoff_room(&h, 1, 0));
	/* The other rings are not affected. */
	assert_true(gtpc_handoff_room(&h, 1, 1));
	gtpc_handoff_flush(&h, 1, 100);
	gtpc_handoff_publish(&h, 0, GTPC_HANDOFF_DONE);
	assert_int_equal(merge_all(&h, 0, got, 512, &horizon), 101);
	assert_true(gtpc_handoff_room(&h, 1, 0));
	gtpc_handoff_free(&h);
	assert_int_equal(gtpc_handoff_init(&h, 2, 300, GTPC_KEY_UE), -EINVAL);
}

/* Every page of every ring is in memory once the hub is made: a record
 * put on the per-packet path never waits for a page fault, which in a
 * guest costs more than a hundred records' hand-off. */
static void test_rings_are_in_memory_from_the_start(void **state)
{
	const size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct gtpc_handoff h;
	unsigned char *resident;
	size_t pages, i, missing = 0;

	(void)state;
	assert_int_equal(gtpc_handoff_init(&h, 2, 8192, GTPC_KEY_UE), 0);
	assert_true(h.slots_bytes >= 4 * 8192 * sizeof(struct gtpc_handoff_rec));
	pages = (h.slots_bytes + page - 1) / page;
	resident = malloc(pages);
	assert_non_null(resident);
	assert_int_equal(mincore(h.slots, h.slots_bytes, resident), 0);
	for (i = 0; i < pages; i++)
		missing += !(resident[i] & 1);
	assert_int_equal(missing, 0);
	free(resident);
	gtpc_handoff_free(&h);
}

static void test_owners_spread_evenly(void **state)
{
	struct gtpc_handoff h;
	unsigned count[3] = { 0 }, i;

	assert_int_equal(gtpc_handoff_init(&h, 3, 256, GTPC_KEY_UE), 0);
	for (i = 0; i < 30000; i++) {
		struct gtpc_key k = { .addr = { [12] = 10, [13] = (uint8_t)(i >> 16), [14] = (uint8_t)(i >> 8), [15] = (uint8_t)i } };

		count[gtpc_handoff_owner(&h, gtpc_key_hash(&k))]++;
	}
	for (i = 0; i < 3; i++)
		assert_in_range(count[i], 9000, 11000);
	gtpc_handoff_free(&h);
}

/* A record comes out of the ring as it went in, in every key mode: half a
 * line per record for a UE's address or a TEID, the whole record for a
 * flow's key. */
static void test_records_cross_whole_in_every_key_mode(void **state)
{
	static const char *const ues[] = { "10.45.0.2", "2001:db8:5::9", "10.45.255.254", "2001:db8::1" };
	int mode;

	for (mode = 0; mode < GTPC_KEY__COUNT; mode++) {
		struct gtpc_engine_rec in[16], out[16];
		struct gtpc_handoff h;
		uint64_t horizon;
		unsigned i, foreign;

		assert_int_equal(gtpc_handoff_init(&h, 2, 256, mode), 0);
		for (i = 0; i < 16; i++) {
			struct gtpc_pkt_spec s = test_spec();
			uint8_t buf[2048];
			struct gtpc_pkt p;
			size_t n;

			gtpc_addr_parse(ues[i % 4], s.inner_src);
			if (i % 4 == 1 || i % 4 == 3)
				gtpc_addr_parse("2001:db8:ff::1", s.inner_dst);
			s.teid = 0x01020304u * (i + 1);
			s.sport = (uint16_t)(1000 + i);
			s.pdu_type = i % 2;
			s.proto = i % 3 ? GTPC_IPPROTO_UDP : GTPC_IPPROTO_TCP;
			s.inner_len = (uint16_t)(60 + 90 * i);
			n = gtpc_pkt_build(buf, sizeof(buf), &s);
			assert_int_equal(gtpc_parse(buf, buf + n, &p), GTPC_OUT_GPDU);
			memset(&in[i], 0, sizeof(in[i]));
			gtpc_key_build(&in[i].key, &p, (uint32_t)mode, 1);
			in[i].hash = gtpc_key_hash(&in[i].key);
			in[i].t = 1000 + i;
			in[i].len = p.inner_len;
			in[i].dir = p.dir;
			in[i].proto = p.proto;
			assert_true(gtpc_handoff_room(&h, 1, 0));
			gtpc_handoff_put(&h, 1, 0, &in[i]);
		}
		gtpc_handoff_publish(&h, 0, GTPC_HANDOFF_DONE);
		gtpc_handoff_publish(&h, 1, GTPC_HANDOFF_DONE);
		assert_int_equal(gtpc_handoff_merge(&h, 0, out, 16, &foreign, &horizon), 16);
		assert_int_equal(foreign, 16);
		assert_memory_equal(in, out, sizeof(in));
		assert_true(gtpc_handoff_drained(&h, 0));
		gtpc_handoff_free(&h);
	}
}

/* Two producer threads, one consumer: every record arrives, in order. */
#define THREAD_RECS 200000

struct producer {
	struct gtpc_handoff *h;
	unsigned id;
};

static void *produce(void *arg)
{
	struct producer *p = arg;
	uint64_t i;

	for (i = 0; i < THREAD_RECS; i++) {
		uint64_t t = 2 * i + p->id;
		struct gtpc_engine_rec rec = { .t = t };

		while (!gtpc_handoff_room(p->h, p->id, 0))
			gtpc_handoff_flush(p->h, p->id, t);
		gtpc_handoff_put(p->h, p->id, 0, &rec);
		if (i % 64 == 63)
			gtpc_handoff_publish(p->h, p->id, t);
	}
	gtpc_handoff_publish(p->h, p->id, GTPC_HANDOFF_DONE);
	return NULL;
}

static void test_threads_deliver_everything_in_order(void **state)
{
	struct gtpc_handoff h;
	struct producer p[2];
	pthread_t th[2];
	uint64_t n = 0, last = 0, late = 0, horizon;
	int i;

	assert_int_equal(gtpc_handoff_init(&h, 3, 1024, GTPC_KEY_UE), 0);
	gtpc_handoff_publish(&h, 0, GTPC_HANDOFF_DONE);
	for (i = 0; i < 2; i++) {
		p[i] = (struct producer){ &h, (unsigned)i + 1 };
		assert_int_equal(pthread_create(&th[i], NULL, produce, &p[i]), 0);
	}
	while (!gtpc_handoff_drained(&h, 0)) {
		struct gtpc_engine_rec r[64];
		unsigned k, m, foreign;

		m = gtpc_handoff_merge(&h, 0, r, 64, &foreign, &horizon);
		for (k = 0; k < m; k++) {
			late += r[k].t < last;
			last = r[k].t;
		}
		n += m;
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(n, 2 * THREAD_RECS);
	assert_int_equal(late, 0);
	gtpc_handoff_free(&h);
}

/* Windows as the engine reports them, to compare two runs as sets. */
struct win {
	uint64_t ue, start, pkts, bytes, iat_sum, iat_sq, iat_max;
};

struct wins {
	struct win w[4096];
	unsigned n;
};

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct wins *ws = ctx;

	assert_true(ws->n < 4096);
	ws->w[ws->n++] = (struct win){ ev->key->addr[15], ev->win->cur.start_ns, ev->win->cur.pkts, ev->win->cur.bytes,
				       ev->win->cur.iat_sum_us, ev->win->cur.iat_sq_us2, ev->win->cur.iat_max_us };
}

static int cmp_win(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct win));
}

static void engine_init(struct gtpc_engine *e, struct wins *ws)
{
	struct gtpc_engine_cfg cfg = {
		.key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 100 * MS, .idle_ns = 1000 * MS,
		.rules = { .ttl_ns = 1000 * MS }, .max_ues = 64,
	};
	struct gtpc_engine_ops ops = { .on_window = on_window };

	assert_int_equal(gtpc_engine_init(e, &cfg, &ops, ws), 0);
}

#define TRACE 20000
#define UES 12

static void test_split_trace_merges_to_the_same_windows(void **state)
{
	static struct gtpc_pkt p[TRACE];
	static uint64_t t[TRACE];
	static struct wins ref, split;
	struct gtpc_engine one, owner[2];
	struct gtpc_handoff h;
	unsigned next[2] = { 0, 1 }, i, k, late = 0;
	uint64_t rng = 11, now = 1000 * MS, last[2] = { 0, 0 };

	for (i = 0; i < TRACE; i++) {
		struct gtpc_pkt_spec s = test_spec();
		uint8_t buf[2048];
		size_t n;

		s.inner_src[15] = (uint8_t)(1 + gtpc_rng_next(&rng) % UES);
		s.inner_len = (uint16_t)(60 + gtpc_rng_next(&rng) % 1400);
		n = gtpc_pkt_build(buf, sizeof(buf), &s);
		assert_int_equal(gtpc_parse(buf, buf + n, &p[i]), GTPC_OUT_GPDU);
		now += gtpc_rng_next(&rng) % (2 * MS);
		t[i] = now;
	}
	engine_init(&one, &ref);
	for (i = 0; i < TRACE; i++)
		gtpc_engine_packet(&one, &p[i], t[i]);
	gtpc_engine_flush(&one, now + 1);

	/* Worker k received packets i with i % 2 == k. In random steps a
	 * worker hands off a few records, or accounts its own. */
	engine_init(&owner[0], &split);
	engine_init(&owner[1], &split);
	assert_int_equal(gtpc_handoff_init(&h, 2, 256, GTPC_KEY_UE), 0);
	while (next[0] < TRACE || next[1] < TRACE || !gtpc_handoff_drained(&h, 0) || !gtpc_handoff_drained(&h, 1)) {
		unsigned w = (unsigned)(gtpc_rng_next(&rng) % 2);

		if (gtpc_rng_next(&rng) % 2) {
			unsigned burst = 1 + (unsigned)(gtpc_rng_next(&rng) % 16);

			for (k = 0; k < burst && next[w] < TRACE; k++, next[w] += 2) {
				struct gtpc_engine_rec rec;
				unsigned to;

				gtpc_engine_rec(&owner[w], &p[next[w]], t[next[w]], &rec);
				to = gtpc_handoff_owner(&h, rec.hash);
				if (!gtpc_handoff_room(&h, w, to))
					break;
				gtpc_handoff_put(&h, w, to, &rec);
			}
			gtpc_handoff_publish(&h, w, next[w] < TRACE ? t[next[w]] : GTPC_HANDOFF_DONE);
		} else {
			struct gtpc_engine_rec r[64];
			unsigned n, foreign;
			uint64_t horizon;

			n = gtpc_handoff_merge(&h, w, r, 64, &foreign, &horizon);
			for (k = 0; k < n; k++) {
				late += r[k].t < last[w];
				last[w] = r[k].t;
			}
			gtpc_engine_account(&owner[w], r, n, NULL);
			if (n < 64 && horizon != GTPC_HANDOFF_DONE && horizon > 1000 * MS)
				gtpc_engine_tick(&owner[w], horizon);
		}
	}
	gtpc_engine_flush(&owner[0], now + 1);
	gtpc_engine_flush(&owner[1], now + 1);
	assert_int_equal(late, 0);
	assert_true(ref.n > 100);
	assert_int_equal(split.n, ref.n);
	qsort(ref.w, ref.n, sizeof(ref.w[0]), cmp_win);
	qsort(split.w, split.n, sizeof(split.w[0]), cmp_win);
	assert_memory_equal(ref.w, split.w, ref.n * sizeof(ref.w[0]));
	/* Both owners had UEs. */
	assert_true(owner[0].cnt.c[GTPC_CL_WINDOWS] > 10 && owner[1].cnt.c[GTPC_CL_WINDOWS] > 10);
	gtpc_engine_free(&one);
	gtpc_engine_free(&owner[0]);
	gtpc_engine_free(&owner[1]);
	gtpc_handoff_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_stops_at_the_smallest_watermark),
		cmocka_unit_test(test_publish_waits_for_records_or_time),
		cmocka_unit_test(test_full_ring_waits_for_the_owner),
		cmocka_unit_test(test_rings_are_in_memory_from_the_start),
		cmocka_unit_test(test_owners_spread_evenly),
		cmocka_unit_test(test_records_cross_whole_in_every_key_mode),
		cmocka_unit_test(test_threads_deliver_everything_in_order),
		cmocka_unit_test(test_split_trace_merges_to_the_same_windows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

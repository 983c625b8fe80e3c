/* The UE table and the engine: windows closed by the next packet or by the
 * sweep give the same features; drop verdicts are written once, hold until
 * their TTL, then the UE starts afresh; idle UEs leave; a full table evicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/feature_values.h"
#include "pktbuild.h"
#include "gen/profiles.h"

#define MS 1000000ULL

struct recorder {
	int windows, drops, clears, observes;
	int last_cls;
	uint64_t pkts[64];
	uint64_t var[64];
};

static void rec_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct recorder *r = ctx;

	if (r->windows < 64) {
		r->pkts[r->windows] = ev->win->cur.pkts;
		r->var[r->windows] = gtpc_feature_int(GTPC_STAT_IAT_VAR_US2, ev->win);
	}
	r->windows++;
	r->last_cls = ev->cls;
}

static int rec_verdict(void *ctx, const struct gtpc_key *k, const struct gtpc_verdict *v)
{
	struct recorder *r = ctx;

	if (v && v->act.action == GTPC_ACT_OBSERVE)
		r->observes++;
	else if (v)
		r->drops++;
	else
		r->clears++;
	return 0;
}

static struct gtpc_model model;

static int setup(void **state)
{
	char err[256];

	return gtpc_model_load("model/starter.yaml", &model, err, sizeof(err));
}

static int teardown(void **state)
{
	gtpc_model_free(&model);
	return 0;
}

static void engine_init(struct gtpc_engine *e, struct recorder *r, uint32_t max_ues)
{
	struct gtpc_engine_cfg cfg = {
		.key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500 * MS, .idle_ns = 2000 * MS,
		.rules = { .ttl_ns = 3000 * MS }, .max_ues = max_ues, .model = &model,
	};
	struct gtpc_engine_ops ops = { rec_window, rec_verdict };

	cfg.rules.class_act[2].action = GTPC_ACT_DROP; /* flood */
	memset(r, 0, sizeof(*r));
	assert_int_equal(gtpc_engine_init(e, &cfg, &ops, r), 0);
}

static struct gtpc_pkt ue_pkt(unsigned ue, uint16_t len)
{
	struct gtpc_pkt_spec s = test_spec();
	uint8_t buf[2048];
	struct gtpc_pkt p;
	size_t n;

	s.inner_src[14] = (uint8_t)(ue >> 8);
	s.inner_src[15] = (uint8_t)ue;
	s.inner_len = len;
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	assert_int_equal(gtpc_parse(buf, buf + n, &p), GTPC_OUT_GPDU);
	return p;
}

/* The same traffic, once with windows closed by later packets only and
 * once with a sweep every millisecond, gives the same windows. */
static void test_lazy_and_sweep_agree(void **state)
{
	struct gtpc_engine a, b;
	struct recorder ra, rb;
	uint64_t t = 1000 * MS, rng = 7;
	int i;

	engine_init(&a, &ra, 16);
	engine_init(&b, &rb, 16);
	for (i = 0; i < 3000; i++) {
		struct gtpc_pkt p = ue_pkt(1 + (unsigned)(i % 3), 100);
		uint64_t next = t + gtpc_rng_next(&rng) % (3 * MS);

		gtpc_engine_packet(&a, &p, t);
		gtpc_engine_packet(&b, &p, t);
		for (; t < next; t += MS)
			gtpc_engine_tick(&b, t);
		t = next;
	}
	gtpc_engine_flush(&a, t);
	gtpc_engine_flush(&b, t);
	assert_true(ra.windows > 20);
	assert_int_equal(ra.windows, rb.windows);
	/* The order differs (the sweep closes windows earlier), the sums not. */
	{
		uint64_t sa = 0, sb = 0, va = 0, vb = 0;

		for (i = 0; i < 64 && i < ra.windows; i++) {
			sa += ra.pkts[i];
			sb += rb.pkts[i];
			va += ra.var[i];
			vb += rb.var[i];
		}
		assert_int_equal(sa, sb);
		assert_int_equal(va, vb);
	}
	gtpc_engine_free(&a);
	gtpc_engine_free(&b);
}

static void test_drop_verdict_lifecycle(void **state)
{
	struct gtpc_engine e;
	struct recorder r;
	struct gtpc_pkt p = ue_pkt(9, 100);
	uint64_t t = 1000 * MS;
	int i;

	engine_init(&e, &r, 16);
	/* 3000 packets in 300 ms: a flood by the starter model. */
	for (i = 0; i < 3000; i++, t += 100000)
		gtpc_engine_packet(&e, &p, t);
	gtpc_engine_tick(&e, t);
	gtpc_engine_tick(&e, 1600 * MS);
	assert_int_equal(r.windows, 1);
	assert_int_equal(r.last_cls, 2);
	assert_int_equal(r.drops, 1);
	/* Packets that were already on their way are not a new window. */
	for (i = 0; i < 10; i++)
		gtpc_engine_packet(&e, &p, 1600 * MS + (uint64_t)i);
	assert_int_equal(e.cnt.c[GTPC_CL_AFTER_DROP], 10);
	/* A dropped UE is not idle while its verdict lives. */
	gtpc_engine_tick(&e, 4000 * MS);
	assert_int_equal(e.table.count, 1);
	assert_int_equal(r.clears, 0);
	/* The TTL ends 3 s after the verdict: cleared once, windows restart. */
	gtpc_engine_tick(&e, 4700 * MS);
	assert_int_equal(r.clears, 1);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_CLEARED], 1);
	gtpc_engine_packet(&e, &p, 4800 * MS);
	{
		struct gtpc_key k;
		struct gtpc_ue *ue;

		gtpc_engine_key(&e, &p, &k);
		ue = gtpc_ue_find(&e.table, &k, gtpc_key_hash(&k));
		assert_non_null(ue);
		assert_int_equal(ue->win.cur.pkts, 1);
		assert_int_equal(ue->win.cur.iat_n, 0);
		assert_int_equal(ue->win.has_prev, 0);
	}
	gtpc_engine_free(&e);
}

/* One window of the class, 600 ms long: 3000 packets in 300 ms (a flood
 * to the starter model) or 3 small ones (urllc); the sweep closes it. */
static uint64_t one_window(struct gtpc_engine *e, const struct gtpc_pkt *p, uint64_t t, int flood)
{
	int i, n = flood ? 3000 : 3;

	for (i = 0; i < n; i++)
		gtpc_engine_packet(e, p, t + (uint64_t)i * (flood ? 100000 : 100 * MS));
	gtpc_engine_tick(e, t + 550 * MS);
	return t + 600 * MS;
}

static void policy_engine_init(struct gtpc_engine *e, struct recorder *r, const struct gtpc_rules *rules)
{
	engine_init(e, r, 16);
	gtpc_engine_set_policy(e, &model, rules);
}

/* Drops of a fresh engine under rules after n flood windows of p. */
static int flood_drops(const struct gtpc_rules *rules, const struct gtpc_pkt *p, int n, uint64_t *t)
{
	struct gtpc_engine e;
	struct recorder r;

	policy_engine_init(&e, &r, rules);
	while (n-- > 0)
		*t = one_window(&e, p, *t, 1);
	gtpc_engine_free(&e);
	return r.drops;
}

/* policy.min_windows and min_confidence: a drop needs the class in that
 * many consecutive windows, each with enough of the trees' votes; one
 * unsure window never drops. observe reports and passes. */
static void test_policy_needs_sure_windows(void **state)
{
	struct gtpc_engine e;
	struct recorder r;
	struct gtpc_pkt a = ue_pkt(21, 100), b = ue_pkt(22, 100);
	struct gtpc_rules rules = { .ttl_ns = 30000 * MS, .min_votes = 1, .min_windows = 2 };
	uint64_t t = 1000 * MS;

	rules.class_act[2].action = GTPC_ACT_DROP;
	policy_engine_init(&e, &r, &rules);
	/* Flood, a urllc window, flood again: never two in a row. */
	t = one_window(&e, &b, t, 1);
	t = one_window(&e, &b, t, 0);
	t = one_window(&e, &b, t, 1);
	assert_int_equal(r.windows, 3);
	assert_int_equal(r.drops, 0);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_HELD], 2);
	/* Two flood windows in a row: the second drops. */
	t = one_window(&e, &a, t, 1);
	assert_int_equal(r.drops, 0);
	t = one_window(&e, &a, t, 1);
	assert_int_equal(r.drops, 1);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_HELD], 3);
	gtpc_engine_free(&e);

	/* More votes than the forest has trees: never sure, never dropped. */
	rules.min_votes = 2;
	policy_engine_init(&e, &r, &rules);
	t = one_window(&e, &a, t, 1);
	t = one_window(&e, &a, t, 1);
	t = one_window(&e, &a, t, 1);
	assert_int_equal(r.drops, 0);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_HELD], 3);
	gtpc_engine_free(&e);

	/* policy.drop_min_packets: flood windows of 3000 packets against a
	 * floor of 3001 never drop; at the floor they do. */
	rules.min_votes = 1;
	rules.drop_min_pkts = 3001;
	assert_int_equal(flood_drops(&rules, &a, 3, &t), 0);
	rules.drop_min_pkts = 3000;
	assert_int_equal(flood_drops(&rules, &a, 2, &t), 1);
	rules.drop_min_pkts = 0;

	/* observe: each sure window reported, nothing in force. */
	rules.min_votes = 1;
	rules.min_windows = 1;
	rules.class_act[2].action = GTPC_ACT_OBSERVE;
	policy_engine_init(&e, &r, &rules);
	t = one_window(&e, &a, t, 1);
	t = one_window(&e, &a, t, 1);
	assert_int_equal(r.observes, 2);
	assert_int_equal(r.drops, 0);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_OBSERVED], 2);
	assert_int_equal(e.cnt.c[GTPC_CL_VERDICTS_SET], 0);
	gtpc_engine_free(&e);
}

static void test_idle_and_eviction(void **state)
{
	struct gtpc_engine e;
	struct recorder r;
	unsigned i;

	engine_init(&e, &r, 8);
	for (i = 0; i < 8; i++) {
		struct gtpc_pkt p = ue_pkt(100 + i, 100);

		gtpc_engine_packet(&e, &p, (1000 + i) * MS);
	}
	assert_int_equal(e.table.count, 8);
	{
		struct gtpc_pkt p = ue_pkt(200, 100);

		/* All seen within the last window: the newcomer waits. */
		gtpc_engine_packet(&e, &p, 1010 * MS);
		assert_int_equal(e.cnt.c[GTPC_CL_UES_UNTRACKED], 1);
		assert_int_equal(e.cnt.c[GTPC_CL_UES_EVICTED], 0);
		/* A window later the quietest goes. */
		gtpc_engine_packet(&e, &p, 1600 * MS);
	}
	assert_int_equal(e.table.count, 8);
	assert_int_equal(e.cnt.c[GTPC_CL_UES_EVICTED], 1);
	/* After the idle timeout a full sweep removes them all. */
	for (i = 0; i < 8; i++)
		gtpc_engine_tick(&e, (4000 + i * 200) * MS);
	assert_int_equal(e.table.count, 0);
	assert_int_equal(e.cnt.c[GTPC_CL_UES_IDLE], 8);
	gtpc_engine_free(&e);
}

/* Churn: more UEs than room, all of them active (200 UEs round robin
 * through a table of 64, each every 20 ms). Plain LRU would evict each UE
 * before its next packet, and no window would ever close; instead the UEs
 * that got in keep their state and are classified window after window,
 * and the others are counted as untracked. */
static void test_churn_keeps_established_ues(void **state)
{
	struct gtpc_engine e;
	struct recorder r;
	uint64_t t = 1000 * MS;
	unsigned i;

	engine_init(&e, &r, 64);
	for (i = 0; i < 30000; i++, t += MS / 10) {
		struct gtpc_pkt p = ue_pkt(1 + i % 200, 100);

		gtpc_engine_packet(&e, &p, t);
		if (i % 100 == 0)
			gtpc_engine_tick(&e, t);
	}
	/* 64 UEs, about 6 windows each in 3 s. */
	assert_true(e.cnt.c[GTPC_CL_WINDOWS] >= 64 * 5);
	assert_true(e.cnt.c[GTPC_CL_UES_UNTRACKED] > 0);
	assert_int_equal(e.cnt.c[GTPC_CL_UES_EVICTED], 0);
	gtpc_engine_free(&e);
}

static void test_table_backward_shift(void **state)
{
	struct gtpc_ue_table t;
	struct gtpc_key keys[300];
	unsigned i;

	assert_int_equal(gtpc_ue_table_init(&t, 300), 0);
	for (i = 0; i < 300; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].teid = i * 7919;
		keys[i].mode = GTPC_KEY_TEID;
		/* Force collisions: every key hashes into 16 buckets. */
		assert_non_null(gtpc_ue_insert(&t, &keys[i], gtpc_key_hash(&keys[i]) & 15));
	}
	assert_null(gtpc_ue_insert(&t, &keys[0], 0));
	for (i = 0; i < 300; i += 2)
		gtpc_ue_remove(&t, gtpc_ue_find(&t, &keys[i], gtpc_key_hash(&keys[i]) & 15));
	for (i = 0; i < 300; i++) {
		struct gtpc_ue *u = gtpc_ue_find(&t, &keys[i], gtpc_key_hash(&keys[i]) & 15);

		if (i % 2)
			assert_non_null(u);
		else
			assert_null(u);
	}
	assert_int_equal(t.count, 150);
	gtpc_ue_table_free(&t);
}

/* The sweep reads only due times. A UE that keeps sending pushes its idle
 * deadline back without storing it (the stored time is early): the sweep
 * must look, find it busy, and keep it; a UE that falls silent must still
 * have its window closed and then leave, each within one sweep period. */
static void test_sweep_due_times(void **state)
{
	struct gtpc_pkt busy = ue_pkt(1, 100), quiet = ue_pkt(2, 100);
	struct gtpc_engine e;
	struct recorder r;
	uint64_t t = 1000 * MS;
	unsigned i;

	engine_init(&e, &r, 64);
	gtpc_engine_packet(&e, &quiet, t);
	/* 10 s of the busy UE, one packet per 100 ms, ticking every 10 ms. */
	for (i = 0; i < 1000; i++, t += 10 * MS) {
		if (i % 10 == 0)
			gtpc_engine_packet(&e, &busy, t);
		gtpc_engine_tick(&e, t);
		if (t == 2000 * MS) {
			/* The quiet UE's one window ended at 1.5 s: closed by
			 * the sweep by now, the UE still there (idle at 3 s). */
			struct gtpc_key k;
			struct gtpc_ue *u;

			gtpc_engine_key(&e, &quiet, &k);
			u = gtpc_ue_find(&e.table, &k, gtpc_key_hash(&k));
			assert_non_null(u);
			assert_int_equal(u->win.open, 0);
			assert_int_equal(u->windows, 1);
		}
	}
	/* 10 s: the quiet UE left once idle, the busy one never did. */
	assert_int_equal(e.cnt.c[GTPC_CL_UES_IDLE], 1);
	assert_int_equal(e.table.count, 1);
	assert_int_equal(e.cnt.c[GTPC_CL_UES_NEW], 2);
	/* Every window of the busy UE (500 ms, 5 packets each) but the open
	 * one closed. */
	assert_int_equal(r.windows, 1 + 19);
	gtpc_engine_free(&e);
}

/* Records never move: removing other UEs (which shifts index entries) leaves
 * a UE's record where it was, and a freed record is reused. */
static void test_records_stay_put(void **state)
{
	struct gtpc_ue_table t;
	struct gtpc_key keys[64];
	struct gtpc_ue *at[64];
	unsigned i;

	assert_int_equal(gtpc_ue_table_init(&t, 64), 0);
	for (i = 0; i < 64; i++) {
		memset(&keys[i], 0, sizeof(keys[i]));
		keys[i].teid = i;
		keys[i].mode = GTPC_KEY_TEID;
		/* Four home buckets: long probe runs that removals shift. */
		at[i] = gtpc_ue_insert(&t, &keys[i], gtpc_key_hash(&keys[i]) & 3);
		assert_non_null(at[i]);
	}
	for (i = 0; i < 64; i += 3)
		gtpc_ue_remove(&t, at[i]);
	for (i = 0; i < 64; i++)
		if (i % 3)
			assert_ptr_equal(gtpc_ue_find(&t, &keys[i], gtpc_key_hash(&keys[i]) & 3), at[i]);
	/* Full again with new keys: exactly the freed records come back. */
	for (i = 0; i < 64; i += 3) {
		struct gtpc_ue *u;

		keys[i].teid = 1000 + i;
		u = gtpc_ue_insert(&t, &keys[i], gtpc_key_hash(&keys[i]) & 3);
		assert_non_null(u);
		assert_int_equal(u->used, 1);
		assert_true(u >= t.ues && u < t.ues + 64);
	}
	assert_int_equal(t.count, 64);
	assert_null(gtpc_ue_insert(&t, &keys[1], 0));
	gtpc_ue_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lazy_and_sweep_agree),
		cmocka_unit_test(test_drop_verdict_lifecycle),
		cmocka_unit_test(test_policy_needs_sure_windows),
		cmocka_unit_test(test_idle_and_eviction),
		cmocka_unit_test(test_churn_keeps_established_ues),
		cmocka_unit_test(test_table_backward_shift),
		cmocka_unit_test(test_sweep_due_times),
		cmocka_unit_test(test_records_stay_put),
	};

	return cmocka_run_group_tests_name("engine", tests, setup, teardown);
}

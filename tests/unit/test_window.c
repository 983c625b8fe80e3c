/* Window statistics against values this test computes itself, from the
 * packet times, with 128-bit exact arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "engine/feature_values.h"
#include "gtpc/features.h"
#include "util/names.h"
#include "gen/profiles.h"

struct expect {
	uint64_t n, sum, min, max;
	unsigned __int128 sq;
	uint64_t pkts, bytes;
	unsigned __int128 len_sq;
	uint64_t ul_pkts, ul_bytes, small, large, burst, tcp;
};

/* Feeds npk packets with random gaps and lengths; fills e independently. */
static void feed(struct gtpc_ue_win *u, uint64_t *t, int npk, uint64_t max_gap_ns, uint64_t *rng,
		 struct expect *e, int first_has_prev_packet)
{
	int i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < npk; i++) {
		uint64_t gap = gtpc_rng_next(rng) % max_gap_ns;
		uint32_t len = 40 + (uint32_t)(gtpc_rng_next(rng) % 1400);
		int uplink = (int)(gtpc_rng_next(rng) % 3) == 0;
		int tcp = (int)(gtpc_rng_next(rng) % 4) == 0;

		if (i > 0 || first_has_prev_packet) {
			uint64_t us = gap / 1000;

			e->n++;
			e->sum += us;
			e->sq += (unsigned __int128)us * us;
			e->min = e->n == 1 || us < e->min ? us : e->min;
			e->max = us > e->max ? us : e->max;
			e->burst += us < 1000;
			*t += gap;
		}
		e->pkts++;
		e->bytes += len;
		e->len_sq += (unsigned __int128)len * len;
		e->ul_pkts += uplink;
		e->ul_bytes += uplink ? len : 0;
		e->small += len <= 128;
		e->large += len >= 1000;
		e->tcp += tcp;
		gtpc_win_add(u, *t, len, (uplink ? GTPC_WIN_UL : 0) | (tcp ? GTPC_WIN_TCP : 0));
	}
}

static uint64_t var_floor(uint64_t n, uint64_t sum, unsigned __int128 sq)
{
	return n ? (uint64_t)(((unsigned __int128)n * sq - (unsigned __int128)sum * sum) /
			      ((unsigned __int128)n * n))
		 : 0;
}

static double var_exact(uint64_t n, uint64_t sum, unsigned __int128 sq)
{
	return n ? (double)((long double)((unsigned __int128)n * sq - (unsigned __int128)sum * sum) /
			    ((long double)n * n))
		 : 0;
}

/* Expected value of a direction or shape feature, and that its float and
 * integer forms agree (floor of the float; equal for the shares). */
static void check_feature(const struct gtpc_ue_win *u, unsigned id, double want)
{
	double v = gtpc_feature_value(id, u);

	assert_true(fabs(v - want) <= 1e-9 * (1 + want));
	assert_int_equal(gtpc_feature_int(id, u), (uint64_t)floor(v));
}

static void check_shape(const struct gtpc_ue_win *u, const struct expect *e)
{
	uint64_t dl = e->pkts - e->ul_pkts;

	check_feature(u, GTPC_STAT_UL_PKTS, (double)e->ul_pkts);
	check_feature(u, GTPC_STAT_DL_PKTS, (double)dl);
	check_feature(u, GTPC_STAT_UL_PKTS_PM, e->pkts ? (double)(e->ul_pkts * 1000 / e->pkts) : 0);
	check_feature(u, GTPC_STAT_UL_BYTES_PM, e->bytes ? (double)(e->ul_bytes * 1000 / e->bytes) : 0);
	check_feature(u, GTPC_STAT_UL_LEN_MEAN, e->ul_pkts ? (double)e->ul_bytes / (double)e->ul_pkts : 0);
	check_feature(u, GTPC_STAT_DL_LEN_MEAN, dl ? (double)(e->bytes - e->ul_bytes) / (double)dl : 0);
	check_feature(u, GTPC_STAT_SMALL_PM, (double)(e->small * 1000 / e->pkts));
	check_feature(u, GTPC_STAT_LARGE_PM, (double)(e->large * 1000 / e->pkts));
	check_feature(u, GTPC_STAT_BURST_PM, e->n ? (double)(e->burst * 1000 / e->n) : 0);
	check_feature(u, GTPC_STAT_TCP_PM, (double)(e->tcp * 1000 / e->pkts));
	assert_int_equal(gtpc_feature_int(GTPC_STAT_UL_PKTS_PM, u), (uint64_t)gtpc_feature_value(GTPC_STAT_UL_PKTS_PM, u));
}

static void check(const struct gtpc_ue_win *u, const struct expect *e)
{
	double mean = e->n ? (double)e->sum / e->n : 0;

	assert_int_equal(gtpc_feature_int(GTPC_STAT_PKTS, u), e->pkts);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_BYTES, u), e->bytes);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_IAT_MIN_US, u), e->min);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_IAT_MAX_US, u), e->max);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_IAT_MEAN_US, u), e->n ? e->sum / e->n : 0);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_IAT_VAR_US2, u), var_floor(e->n, e->sum, e->sq));
	assert_int_equal(gtpc_feature_int(GTPC_STAT_LEN_VAR, u), var_floor(e->pkts, e->bytes, e->len_sq));
	assert_true(fabs(gtpc_feature_value(GTPC_STAT_IAT_MEAN_MS, u) - mean / 1e3) <= 1e-12 * (1 + mean));
	assert_true(fabs(gtpc_feature_value(GTPC_STAT_IAT_VAR_US2, u) - var_exact(e->n, e->sum, e->sq)) <=
		    1e-9 * (1 + var_exact(e->n, e->sum, e->sq)));
	/* The integer is the floor of the float value times the scale. */
	assert_int_equal(gtpc_feature_int(GTPC_STAT_IAT_VAR_MS2, u),
			 (uint64_t)floor(gtpc_feature_value(GTPC_STAT_IAT_VAR_US2, u)));
	check_shape(u, e);
}

static void test_random_windows(void **state)
{
	uint64_t rng = 42, t = 1000000000ULL;
	struct gtpc_ue_win u;
	struct expect e, prev = { 0 };
	int round;

	memset(&u, 0, sizeof(u));
	for (round = 0; round < 200; round++) {
		int npk = 1 + (int)(gtpc_rng_next(&rng) % 300);
		uint64_t max_gap = 1000 + gtpc_rng_next(&rng) % 3000000;

		feed(&u, &t, npk, max_gap, &rng, &e, round > 0);
		check(&u, &e);
		if (round > 0) {
			assert_int_equal(gtpc_feature_int(GTPC_FEAT_PREV + GTPC_STAT_PKTS, &u), prev.pkts);
			assert_int_equal(gtpc_feature_int(GTPC_FEAT_PREV + GTPC_STAT_IAT_VAR_US2, &u),
					 var_floor(prev.n, prev.sum, prev.sq));
		}
		gtpc_win_close(&u);
		prev = e;
	}
}

/* Seed 000's features: per-packet IAT truncated to ms, then integer mean
 * and sum_sq/n - mean^2. */
static void test_seed_features(void **state)
{
	static const uint64_t gaps_ns[] = { 1999999, 2000001, 3500000, 1000, 10000000 };
	struct gtpc_ue_win u;
	uint64_t t = 5000000000ULL, sum = 0, sq = 0, m;
	unsigned i;

	memset(&u, 0, sizeof(u));
	gtpc_win_add(&u, t, 100, GTPC_WIN_UL);
	for (i = 0; i < 5; i++) {
		t += gaps_ns[i];
		gtpc_win_add(&u, t, 100, GTPC_WIN_UL);
		sum += gaps_ns[i] / 1000000;
		sq += (gaps_ns[i] / 1000000) * (gaps_ns[i] / 1000000);
	}
	m = sum / 5;
	assert_int_equal(gtpc_feature_int(GTPC_STAT_SEED_IAT_MEAN_MS, &u), m);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_SEED_IAT_VAR_MS2, &u), sq / 5 - m * m);
}

static void test_lifecycle_and_clamp(void **state)
{
	struct gtpc_ue_win u;
	const uint64_t w = 500000000ULL;

	memset(&u, 0, sizeof(u));
	assert_false(gtpc_win_due(&u, 0, w));
	gtpc_win_add(&u, 1000, 60, 0);
	assert_int_equal(u.cur.iat_n, 0); /* the first packet has no gap */
	assert_false(gtpc_win_due(&u, 1000 + w - 1, w));
	assert_true(gtpc_win_due(&u, 1000 + w, w));
	gtpc_win_close(&u);
	assert_false(gtpc_win_due(&u, 1000 + 10 * w, w));
	/* A gap of one hour is clamped; time going backwards counts as 0. */
	gtpc_win_add(&u, 1000 + 3600ULL * 1000000000ULL, 60, 0);
	assert_int_equal(u.cur.iat_max_us, GTPC_IAT_CLAMP_US);
	gtpc_win_add(&u, 1000, 60, 0);
	assert_int_equal(u.cur.iat_min_us, 0);
	assert_int_equal(u.cur.start_ns, 1000 + 3600ULL * 1000000000ULL);
}

static void test_vocabulary_names(void **state)
{
	assert_int_equal(gtpc_feature_lookup("iat_mean_ms"), GTPC_STAT_IAT_MEAN_MS);
	assert_int_equal(gtpc_feature_lookup("prev_iat_var_ms2"), GTPC_FEAT_PREV + GTPC_STAT_IAT_VAR_MS2);
	assert_int_equal(gtpc_feature_lookup("iat_mean_s"), -1);
	assert_true(gtpc_feature_scale(GTPC_STAT_IAT_VAR_MS2) == 1e6);
	assert_int_equal(gtpc_feature_lookup("prev_ul_bytes_pm"), GTPC_FEAT_PREV + GTPC_STAT_UL_BYTES_PM);
}

/* A download as N3 both ways sees it: full segments down, an ACK up for
 * every two, back to back: the direction and shape features say so. */
static void test_download_shape(void **state)
{
	struct gtpc_ue_win u;
	uint64_t t = 1000000000ULL;
	int i;

	memset(&u, 0, sizeof(u));
	for (i = 0; i < 30; i++) {
		gtpc_win_add(&u, t, 1400, GTPC_WIN_TCP);
		t += 100000;
		if (i % 2) {
			gtpc_win_add(&u, t, 52, GTPC_WIN_UL | GTPC_WIN_TCP);
			t += 100000;
		}
	}
	assert_int_equal(gtpc_feature_int(GTPC_STAT_UL_PKTS, &u), 15);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_DL_PKTS, &u), 30);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_UL_PKTS_PM, &u), 333);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_UL_BYTES_PM, &u), 15 * 52 * 1000 / (15 * 52 + 30 * 1400));
	assert_int_equal(gtpc_feature_int(GTPC_STAT_UL_LEN_MEAN, &u), 52);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_DL_LEN_MEAN, &u), 1400);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_SMALL_PM, &u), 333);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_LARGE_PM, &u), 666);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_BURST_PM, &u), 1000);
	assert_int_equal(gtpc_feature_int(GTPC_STAT_TCP_PM, &u), 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_windows),
		cmocka_unit_test(test_seed_features),
		cmocka_unit_test(test_lifecycle_and_clamp),
		cmocka_unit_test(test_vocabulary_names),
		cmocka_unit_test(test_download_shape),
	};

	return cmocka_run_group_tests_name("window", tests, NULL, NULL);
}

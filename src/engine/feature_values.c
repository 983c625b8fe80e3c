/* Float features are computed from the same exact integer sums as the
 * kernel's integer features (include/gtpc/window.h), in wide arithmetic, so
 * floor(value * scale) is the kernel's integer value. */
#include "engine/feature_values.h"

#include <stdint.h>

static double mean(uint64_t n, uint64_t sum)
{
	return n ? (double)sum / (double)n : 0.0;
}

/* Population variance (n*sq - sum^2) / n^2 with an exact numerator. */
static double variance(uint64_t n, uint64_t sum, uint64_t sq)
{
	unsigned __int128 num;

	if (!n)
		return 0.0;
	num = (unsigned __int128)n * sq - (unsigned __int128)sum * sum;
	/* Exact in double while the numerator has at most 53 bits (nearly
	 * always); long double otherwise. Both round once, the same way. */
	if (!(num >> 53) && n < (1ULL << 26))
		return (double)(uint64_t)num / ((double)n * (double)n);
	return (double)((long double)num / ((long double)n * (long double)n));
}

/* Every statistic of one window, straight-line: this runs at every window's
 * end on the serving path, where a switch per feature cost more in
 * mispredicted jumps than computing the twenty values. */
static void stat_values(const struct gtpc_win *w, double *v)
{
	uint64_t n = w->iat_n;
	double iat_mean = mean(n, w->iat_sum_us), iat_var = variance(n, w->iat_sum_us, w->iat_sq_us2);

	v[GTPC_STAT_PKTS] = (double)w->pkts;
	v[GTPC_STAT_BYTES] = (double)w->bytes;
	v[GTPC_STAT_IAT_MEAN_US] = iat_mean;
	v[GTPC_STAT_IAT_VAR_US2] = iat_var;
	v[GTPC_STAT_IAT_MIN_US] = (double)w->iat_min_us;
	v[GTPC_STAT_IAT_MAX_US] = (double)w->iat_max_us;
	v[GTPC_STAT_IAT_MEAN_MS] = iat_mean / 1e3;
	v[GTPC_STAT_IAT_VAR_MS2] = iat_var / 1e6;
	v[GTPC_STAT_LEN_MEAN] = mean(w->pkts, w->bytes);
	v[GTPC_STAT_LEN_VAR] = variance(w->pkts, w->bytes, w->len_sq);
	v[GTPC_STAT_UL_LEN_MEAN] = mean(w->ul_pkts, w->ul_bytes);
	v[GTPC_STAT_DL_LEN_MEAN] = mean(w->pkts - w->ul_pkts, w->bytes - w->ul_bytes);
	/* Integer-valued statistics are the same in both modes. */
	v[GTPC_STAT_SEED_IAT_MEAN_MS] = (double)gtpc_stat_int(GTPC_STAT_SEED_IAT_MEAN_MS, w);
	v[GTPC_STAT_SEED_IAT_VAR_MS2] = (double)gtpc_stat_int(GTPC_STAT_SEED_IAT_VAR_MS2, w);
	v[GTPC_STAT_UL_PKTS] = (double)w->ul_pkts;
	v[GTPC_STAT_DL_PKTS] = (double)(w->pkts - w->ul_pkts);
	v[GTPC_STAT_UL_PKTS_PM] = (double)gtpc_stat_int(GTPC_STAT_UL_PKTS_PM, w);
	v[GTPC_STAT_UL_BYTES_PM] = (double)gtpc_stat_int(GTPC_STAT_UL_BYTES_PM, w);
	v[GTPC_STAT_SMALL_PM] = (double)gtpc_stat_int(GTPC_STAT_SMALL_PM, w);
	v[GTPC_STAT_LARGE_PM] = (double)gtpc_stat_int(GTPC_STAT_LARGE_PM, w);
	v[GTPC_STAT_BURST_PM] = (double)gtpc_stat_int(GTPC_STAT_BURST_PM, w);
	v[GTPC_STAT_TCP_PM] = (double)gtpc_stat_int(GTPC_STAT_TCP_PM, w);
}

void gtpc_feature_values(const struct gtpc_ue_win *u, int with_prev, double v[GTPC_FEAT__COUNT])
{
	unsigned i;

	stat_values(&u->cur, v);
	if (!with_prev)
		return;
	if (u->has_prev)
		stat_values(&u->prev, v + GTPC_FEAT_PREV);
	else
		for (i = GTPC_FEAT_PREV; i < GTPC_FEAT__COUNT; i++)
			v[i] = 0.0;
}

double gtpc_feature_value(unsigned int id, const struct gtpc_ue_win *u)
{
	double v[GTPC_FEAT__COUNT];

	gtpc_feature_values(u, id >= GTPC_FEAT_PREV, v);
	return v[id];
}

/* Float features are computed from the same exact integer sums as the
 * kernel's integer features (include/gtpc/window.h), in wide arithmetic, so
 * floor(value * scale) is the kernel's integer value. */
#include "feature_values.h"

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

static double stat_value(unsigned int stat, const struct gtpc_win *w)
{
	uint64_t n = w->iat_n;

	switch (stat) {
	case GTPC_STAT_IAT_MEAN_US:
		return mean(n, w->iat_sum_us);
	case GTPC_STAT_IAT_MEAN_MS:
		return mean(n, w->iat_sum_us) / 1e3;
	case GTPC_STAT_IAT_VAR_US2:
		return variance(n, w->iat_sum_us, w->iat_sq_us2);
	case GTPC_STAT_IAT_VAR_MS2:
		return variance(n, w->iat_sum_us, w->iat_sq_us2) / 1e6;
	case GTPC_STAT_LEN_MEAN:
		return mean(w->pkts, w->bytes);
	case GTPC_STAT_LEN_VAR:
		return variance(w->pkts, w->bytes, w->len_sq);
	default:
		/* Integer-valued statistics are the same in both modes. */
		return (double)gtpc_stat_int(stat, w);
	}
}

double gtpc_feature_value(unsigned int id, const struct gtpc_ue_win *u)
{
	if (id >= GTPC_FEAT_PREV)
		return u->has_prev ? stat_value(id - GTPC_FEAT_PREV, &u->prev) : 0.0;
	return stat_value(id, &u->cur);
}

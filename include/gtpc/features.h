/* SPDX-License-Identifier: MIT */
/* The feature vocabulary. A feature is a statistic of a window, either the
 * one that just ended or the one before it ("prev_"). Each has a float value
 * (user space, what models are trained on) and an integer value (kernel
 * mode): the integer is floor(float value * scale), exactly, so a float
 * threshold t becomes the integer test x <= ceil(t * scale) - 1. */
#ifndef GTPC_FEATURES_H
#define GTPC_FEATURES_H

#include "window.h"

/* id, name, scale of the integer unit per float unit */
#define GTPC_STATS(X)                                                          \
	X(PKTS, "pkts", 1)                                                     \
	X(BYTES, "bytes", 1)                                                   \
	X(IAT_MEAN_US, "iat_mean_us", 1)                                       \
	X(IAT_VAR_US2, "iat_var_us2", 1)                                       \
	X(IAT_MIN_US, "iat_min_us", 1)                                         \
	X(IAT_MAX_US, "iat_max_us", 1)                                         \
	X(IAT_MEAN_MS, "iat_mean_ms", 1000)                                    \
	X(IAT_VAR_MS2, "iat_var_ms2", 1000000)                                 \
	X(LEN_MEAN, "len_mean", 1)                                             \
	X(LEN_VAR, "len_var", 1)                                               \
	X(SEED_IAT_MEAN_MS, "seed_iat_mean_ms", 1)                             \
	X(SEED_IAT_VAR_MS2, "seed_iat_var_ms2", 1)                             \
	X(UL_PKTS, "ul_pkts", 1)                                               \
	X(DL_PKTS, "dl_pkts", 1)                                               \
	X(UL_PKTS_PM, "ul_pkts_pm", 1)                                         \
	X(UL_BYTES_PM, "ul_bytes_pm", 1)                                       \
	X(UL_LEN_MEAN, "ul_len_mean", 1)                                       \
	X(DL_LEN_MEAN, "dl_len_mean", 1)                                       \
	X(SMALL_PM, "small_pm", 1)                                             \
	X(LARGE_PM, "large_pm", 1)                                             \
	X(BURST_PM, "burst_pm", 1)                                             \
	X(TCP_PM, "tcp_pm", 1)

#define GTPC_ENUM_STAT(id, name, scale) GTPC_STAT_##id,
enum gtpc_stat { GTPC_STATS(GTPC_ENUM_STAT) GTPC_STAT__COUNT };

/* Feature ids: stat for the window that ended, stat + GTPC_STAT__COUNT for
 * the one before it. */
#define GTPC_FEAT_PREV GTPC_STAT__COUNT
#define GTPC_FEAT__COUNT (2 * GTPC_STAT__COUNT)
#define GTPC_MAX_FEATURES 16

/* Shares are whole per mille (floor), in both modes: the same integer. */
GTPC_INLINE __u64 gtpc_per_mille(__u64 part, __u64 whole)
{
	return whole ? part * 1000 / whole : 0;
}

/* The integer value of one statistic of a window. */
GTPC_INLINE __u64 gtpc_stat_int(__u32 stat, const struct gtpc_win *w)
{
	__u64 n = w->iat_n;

	switch (stat) {
	case GTPC_STAT_PKTS:
		return w->pkts;
	case GTPC_STAT_BYTES:
		return w->bytes;
	case GTPC_STAT_IAT_MEAN_US:
	case GTPC_STAT_IAT_MEAN_MS:
		return n ? w->iat_sum_us / n : 0;
	case GTPC_STAT_IAT_VAR_US2:
	case GTPC_STAT_IAT_VAR_MS2:
		return gtpc_var_floor(n, w->iat_sum_us, w->iat_sq_us2);
	case GTPC_STAT_IAT_MIN_US:
		return w->iat_min_us;
	case GTPC_STAT_IAT_MAX_US:
		return w->iat_max_us;
	case GTPC_STAT_LEN_MEAN:
		return w->pkts ? w->bytes / w->pkts : 0;
	case GTPC_STAT_LEN_VAR:
		return gtpc_var_floor(w->pkts, w->bytes, w->len_sq);
	case GTPC_STAT_SEED_IAT_MEAN_MS:
		return n ? w->iat_sum_ms / n : 0;
	case GTPC_STAT_SEED_IAT_VAR_MS2: {
		/* Seed 000's own formula: sum_sq/n - mean^2, both truncated. */
		__u64 m = n ? w->iat_sum_ms / n : 0;

		return n ? w->iat_sq_ms2 / n - m * m : 0;
	}
	case GTPC_STAT_UL_PKTS:
		return w->ul_pkts;
	case GTPC_STAT_DL_PKTS:
		return w->pkts - w->ul_pkts;
	case GTPC_STAT_UL_PKTS_PM:
		return gtpc_per_mille(w->ul_pkts, w->pkts);
	case GTPC_STAT_UL_BYTES_PM:
		return gtpc_per_mille(w->ul_bytes, w->bytes);
	case GTPC_STAT_UL_LEN_MEAN:
		return w->ul_pkts ? w->ul_bytes / w->ul_pkts : 0;
	case GTPC_STAT_DL_LEN_MEAN:
		return w->pkts > w->ul_pkts ? (w->bytes - w->ul_bytes) / (w->pkts - w->ul_pkts) : 0;
	case GTPC_STAT_SMALL_PM:
		return gtpc_per_mille(w->small_pkts, w->pkts);
	case GTPC_STAT_LARGE_PM:
		return gtpc_per_mille(w->large_pkts, w->pkts);
	case GTPC_STAT_BURST_PM:
		return gtpc_per_mille(w->burst_n, n);
	case GTPC_STAT_TCP_PM:
		return gtpc_per_mille(w->tcp_pkts, w->pkts);
	}
	return 0;
}

/* The integer value of feature id for a UE whose window u->cur just ended. */
GTPC_INLINE __u64 gtpc_feature_int(__u32 id, const struct gtpc_ue_win *u)
{
	if (id >= GTPC_FEAT_PREV)
		return u->has_prev ? gtpc_stat_int(id - GTPC_FEAT_PREV, &u->prev) : 0;
	return gtpc_stat_int(id, &u->cur);
}

#endif

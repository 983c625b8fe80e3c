/* SPDX-License-Identifier: MIT */
/* Per-UE window accumulators, shared by the user-space workers, the offline
 * feature extractor and the in-kernel classifier.
 *
 * Arithmetic: exact integer sums (count, sum, sum of squares) rather than
 * Welford. Sums are associative and exact, so the kernel (no floats) and user
 * space hold bit-identical state, and any statistic can be derived at the
 * window's end with a known rounding. Inter-arrival times are integer
 * microseconds (truncated from ns) clamped to GTPC_IAT_CLAMP_US; with that
 * clamp every product used below fits in 64 bits (see gtpc_var_floor). */
#ifndef GTPC_WINDOW_H
#define GTPC_WINDOW_H

#include "common.h"

#define GTPC_IAT_CLAMP_US 10000000ULL /* 10 s */
/* Shape thresholds (inner IP lengths, gaps): an ACK, a voice frame or a
 * sensor report is small; a media or download segment is large; packets
 * closer than a millisecond come back to back, in a burst. */
#define GTPC_SMALL_LEN 128
#define GTPC_LARGE_LEN 1000
#define GTPC_BURST_GAP_US 1000

struct gtpc_win {
	__u64 start_ns;   /* time of the window's first packet */
	__u64 bytes;      /* sum of inner IP lengths */
	__u64 len_sq;     /* sum of squared inner IP lengths */
	__u64 iat_sum_us;
	__u64 iat_sq_us2;
	__u64 iat_sum_ms; /* seed 000's per-packet truncated milliseconds */
	__u64 iat_sq_ms2;
	__u64 ul_bytes;   /* of the uplink packets (PSC says UL) */
	__u32 pkts;
	__u32 iat_n;
	__u32 iat_min_us;
	__u32 iat_max_us;
	__u32 ul_pkts;
	__u32 small_pkts; /* inner length <= GTPC_SMALL_LEN */
	__u32 large_pkts; /* inner length >= GTPC_LARGE_LEN */
	__u32 burst_n;    /* inter-arrival times < GTPC_BURST_GAP_US */
	__u32 tcp_pkts;   /* inner TCP */
};

/* The state one UE needs for windowing: the open window, the last closed
 * one, and the last packet's time (for the next inter-arrival time). */
struct gtpc_ue_win {
	/* Per-packet fields first: with cur they share the UE's first lines. */
	__u64 last_ns;
	__u8 open;     /* cur holds packets */
	__u8 has_prev; /* prev holds a closed window */
	__u8 has_last; /* last_ns is valid */
	__u8 pad[5];
	struct gtpc_win cur;
	struct gtpc_win prev;
};

GTPC_INLINE int gtpc_win_due(const struct gtpc_ue_win *u, __u64 now,
			     __u64 window_ns)
{
	return u->open && now >= u->cur.start_ns + window_ns;
}

/* Ends the open window: it becomes "previous". The caller classifies first. */
GTPC_INLINE void gtpc_win_close(struct gtpc_ue_win *u)
{
	u->prev = u->cur;
	u->has_prev = 1;
	u->open = 0;
}

/* What a packet is, besides its time and length. */
#define GTPC_WIN_UL 1  /* uplink: the PSC said so (a packet without one
			* counts as downlink in the per-direction sums) */
#define GTPC_WIN_TCP 2 /* inner TCP */

/* Adds one packet (flags: GTPC_WIN_*). A window opens on a UE's first
 * packet after the previous one closed, so windows never hold zero packets
 * and their boundaries depend only on packet times, not on when a sweep
 * happened to run. */
GTPC_INLINE void gtpc_win_add(struct gtpc_ue_win *u, __u64 now, __u32 len, __u32 flags)
{
	struct gtpc_win *w = &u->cur;

	if (!u->open) {
		__builtin_memset(w, 0, sizeof(*w));
		w->start_ns = now;
		u->open = 1;
	}
	w->pkts++;
	w->bytes += len;
	w->len_sq += (__u64)len * len;
	if (flags & GTPC_WIN_UL) {
		w->ul_pkts++;
		w->ul_bytes += len;
	}
	w->small_pkts += len <= GTPC_SMALL_LEN;
	w->large_pkts += len >= GTPC_LARGE_LEN;
	w->tcp_pkts += !!(flags & GTPC_WIN_TCP);
	if (u->has_last) {
		/* Reordering between queues can make time run backwards. */
		__u64 d = now > u->last_ns ? now - u->last_ns : 0;
		__u64 us = d / 1000;
		__u64 ms = d / 1000000;

		if (us > GTPC_IAT_CLAMP_US)
			us = GTPC_IAT_CLAMP_US;
		if (ms > GTPC_IAT_CLAMP_US / 1000)
			ms = GTPC_IAT_CLAMP_US / 1000;
		if (w->iat_n == 0 || us < w->iat_min_us)
			w->iat_min_us = (__u32)us;
		if (us > w->iat_max_us)
			w->iat_max_us = (__u32)us;
		w->iat_n++;
		w->burst_n += us < GTPC_BURST_GAP_US;
		w->iat_sum_us += us;
		w->iat_sq_us2 += us * us;
		w->iat_sum_ms += ms;
		w->iat_sq_ms2 += ms * ms;
	}
	u->last_ns = now;
	u->has_last = 1;
}

/* floor(num / den) for a signed numerator and positive denominator, without
 * signed division (not in the BPF instruction set clang 14 targets). */
GTPC_INLINE __s64 gtpc_floor_div(__s64 num, __u64 den)
{
	if (num >= 0)
		return (__s64)((__u64)num / den);
	return -(__s64)(((__u64)(-num) + den - 1) / den);
}

/* floor of the population variance (n*sq - sum^2) / n^2, exactly, in 64-bit
 * arithmetic. With m = sum/n, s = sum%n, q = sq/n, r = sq%n:
 *   var = q - m^2 + (r*n - 2*m*s*n - s^2) / n^2
 * and m*n <= sum keeps 2*m*s*n below 2*sum*n. */
GTPC_INLINE __u64 gtpc_var_floor(__u64 n, __u64 sum, __u64 sq)
{
	__u64 m, s, q, r;
	__s64 frac;

	if (n == 0)
		return 0;
	m = sum / n;
	s = sum % n;
	q = sq / n;
	r = sq % n;
	frac = gtpc_floor_div((__s64)(r * n) - (__s64)(2 * m * s * n) - (__s64)(s * s),
			      n * n);
	return (__u64)((__s64)(q - m * m) + frac);
}

#endif

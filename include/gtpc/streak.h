/* SPDX-License-Identifier: MIT */
/* When a class is sure enough to act on, the one rule of both modes (the
 * workers' engine and the in-kernel classifier): a UE's streak is how many
 * windows in a row ended in the same class, each sure. */
#ifndef GTPC_STREAK_H
#define GTPC_STREAK_H

#include "common.h"

/* The streak after a window of class cls: a window counts when its class
 * won at least min_votes of the trees' votes and, when that class's action
 * is a drop, the window held at least drop_min_pkts packets (a UE that sends
 * fewer is no flood, whatever the model says); an unsure window ends the
 * streak, and another class starts it again. same_class: the UE's previous
 * window ended in cls too. */
GTPC_INLINE __u8 gtpc_streak_next(__u8 streak, int same_class, __u32 votes, __u32 min_votes, int drops,
				  __u32 pkts, __u32 drop_min_pkts)
{
	if (votes < min_votes || (drops && pkts < drop_min_pkts))
		return 0;
	if (!same_class)
		return 1;
	return streak + (streak < 255);
}

#endif

/* SPDX-License-Identifier: MIT */
/* Structures that cross the kernel boundary, declared once. */
#ifndef GTPC_MAPS_H
#define GTPC_MAPS_H

#include "common.h"
#include "key.h"

/* Written by the XDP program in front of the frame (bpf_xdp_adjust_meta);
 * in AF_XDP frames it sits just before the packet. */
struct gtpc_meta {
	__u64 rx_ns; /* bpf_ktime_get_ns(), CLOCK_MONOTONIC */
	__u32 magic;
	__u32 pad;
};
#define GTPC_META_MAGIC 0x67747063u /* "gtpc" */

/* observe: report what the class would have done, and pass. It never
 * reaches the verdict map. */
enum gtpc_action { GTPC_ACT_PASS = 0, GTPC_ACT_DROP = 1, GTPC_ACT_MARK = 2, GTPC_ACT_OBSERVE = 3 };

/* The mark action's parameter: the DSCP (0-63), and whether the inner IP
 * header is marked too. */
#define GTPC_MARK_DSCP(param) ((__u8)((param) & 0x3f))
#define GTPC_MARK_INNER 0x80

/* What is done with a UE's packets: the action and its parameter. A class
 * maps to one; a verdict carries one. */
struct gtpc_act {
	__u8 action; /* enum gtpc_action */
	__u8 param;  /* the action's argument: GTPC_MARK_* for mark, else 0 */
};

/* Value of the pinned verdict map, keyed by struct gtpc_key. Only UEs whose
 * action is not pass have an entry. */
struct gtpc_verdict {
	struct gtpc_act act;
	__u16 votes;      /* trees that voted for the class (0: not known) */
	__u32 class_id;
	__u64 set_ns;     /* CLOCK_MONOTONIC when decided */
	__u64 expires_ns; /* the datapath ignores it from then on */
};

/* One LPM entry of the UE prefixes (used when a packet has no PSC). */
struct gtpc_prefix_key {
	__u32 prefixlen;
	__u8 addr[16];
};

/* An operator's request to the running daemon (`gtpclass verdicts`),
 * through its pinned queue map "commands". */
enum gtpc_command_type {
	GTPC_CMD_LIFT = 1,  /* the UE's verdict was removed: forget it */
	GTPC_CMD_ALLOW = 2, /* never drop or mark UEs in this prefix */
};

struct gtpc_command {
	__u32 type;
	struct gtpc_prefix_key prefix; /* ALLOW */
	struct gtpc_key key;           /* LIFT */
};

#define GTPC_ALLOW_MAX 1024
#define GTPC_PIN_DEFAULT "/sys/fs/bpf/gtpclass"

#endif

/* SPDX-License-Identifier: MIT */
/* The in-kernel model: a forest in BPF array maps, walked with bounded
 * loops, on integer features (include/gtpc/features.h). A float threshold t
 * on a feature of scale s becomes the integer test x <= ceil(t * s) - 1,
 * which for integer x is exactly x < t * s. */
#ifndef GTPC_KMODEL_H
#define GTPC_KMODEL_H

#ifndef __bpf__
#include <linux/bpf.h> /* struct bpf_spin_lock */
#endif
#include "features.h"
#include "key.h"
#include "maps.h"
#include "window.h"

#define GTPC_KMAX_NODES 131072
#define GTPC_KMAX_TREES 64
#define GTPC_KMAX_DEPTH 16
#define GTPC_KMAX_CLASSES 32

/* Go left iff x <= thr. A child < 0 is a leaf: class -child-1. */
struct gtpc_knode {
	__s64 thr;
	__s32 left;
	__s32 right;
	__u32 feature; /* position in the model's feature vector */
	__u32 pad;
};

struct gtpc_kcfg {
	__u64 window_ns;
	__u64 ttl_ns;
	__u32 n_trees;
	__u32 n_features;
	__u32 n_classes;
	__u32 min_votes;   /* policy: votes and consecutive windows a class */
	__u32 min_windows; /* needs before its action (0: at once) */
	__u32 drop_min_pkts; /* and packets in each window, for a drop */
	__u32 feature_ids[GTPC_MAX_FEATURES]; /* vocabulary ids */
	__s32 roots[GTPC_KMAX_TREES];
	struct gtpc_act class_act[GTPC_KMAX_CLASSES];
};

/* Per-UE state (the value of the program's "ues" map): the windows under a
 * lock, since a UE's packets may arrive on several CPUs. */
struct gtpc_kue {
	struct bpf_spin_lock lock;
	__u8 classified; /* last_class is valid */
	__u8 streak;     /* sure windows of last_class in a row */
	__u16 last_class;
	struct gtpc_ue_win win;
};

/* One per classification, through the ring buffer: the window state as it
 * closed (cur is the window that ended), so user space derives every
 * feature from it as the workers do, and the integer features the forest
 * read. */
struct gtpc_kevent {
	struct gtpc_key key;
	__u32 cls;
	__u32 votes; /* trees that voted for cls */
	__u32 n_features;
	__u32 pad;
	__s64 feat[GTPC_MAX_FEATURES];
	struct gtpc_ue_win win;
	__u64 now_ns;
	__u64 inference_ns;
};

#endif

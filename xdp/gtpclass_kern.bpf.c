// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The in-kernel mode: the same parser, key, windows and features as user
 * space, in integers, and the forest walked from array maps at each
 * window's end. Verdicts go to the same pinned map; one ring buffer event
 * per classification.
 *
 * Per-UE state is exact when a UE's packets arrive on several CPUs: the
 * value holds a bpf_spin_lock taken around every window update. The kernel
 * refuses a bpf_spin_lock in an LRU hash, so the map is a plain hash: when
 * it is full a new UE is passed and counted (ues_untracked), never lost
 * silently, and the daemon's sweep deletes idle UEs to make room. */
#include "gtpc_common.bpf.h"
#include "gtpc/kmodel.h"
#include "gtpc/streak.h"

/* Replay (BPF_PROG_RUN of a capture): take each packet's time from the
 * metadata the caller puts in front of it, not from the clock. */
const volatile __u32 cfg_replay_time = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct gtpc_key);
	__type(value, struct gtpc_kue);
	__uint(max_entries, 65536);
} ues SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct gtpc_knode);
	__uint(max_entries, GTPC_KMAX_NODES);
} knodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct gtpc_kcfg);
	__uint(max_entries, 1);
} kcfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} kevents SEC(".maps");

/* The event (with the closed window) and the vote, per CPU (too big for the
 * stack). */
struct scratch {
	struct gtpc_kevent ev;
	__u32 votes[GTPC_KMAX_CLASSES];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct scratch);
	__uint(max_entries, 1);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, GTPC_CL__COUNT);
} kstats SEC(".maps");

/* The classifier rows of include/gtpc/metrics.h that the program counts. */
static __always_inline void kstat(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&kstats, &idx);

	if (v)
		*v += 1;
}

struct tree_ctx {
	struct scratch *s;
	const struct gtpc_kcfg *cfg;
	__u32 best;
};

/* One tree: at most GTPC_KMAX_DEPTH decisions (the loader refuses deeper). */
static long walk_tree(__u32 t, void *arg)
{
	struct tree_ctx *c = arg;
	__s32 node;
	int d;

	if (t >= GTPC_KMAX_TREES)
		return 1;
	node = c->cfg->roots[t];
	for (d = 0; d < GTPC_KMAX_DEPTH && node >= 0; d++) {
		__u32 idx = (__u32)node;
		struct gtpc_knode *n = bpf_map_lookup_elem(&knodes, &idx);
		__u32 f;

		if (!n)
			return 1;
		f = n->feature & (GTPC_MAX_FEATURES - 1);
		node = c->s->ev.feat[f] <= n->thr ? n->left : n->right;
	}
	if (node < 0) {
		__u32 cls = (__u32)(-node - 1);

		if (cls < GTPC_KMAX_CLASSES)
			c->s->votes[cls & (GTPC_KMAX_CLASSES - 1)]++;
	}
	return 0;
}

static long one_feature(__u32 i, void *arg)
{
	struct tree_ctx *c = arg;

	if (i >= GTPC_MAX_FEATURES)
		return 1;
	i &= GTPC_MAX_FEATURES - 1;
	c->s->ev.feat[i] = (__s64)gtpc_feature_int(c->cfg->feature_ids[i], &c->s->ev.win);
	return 0;
}

/* Majority vote, ties to the lowest class; in a callback so the verifier
 * checks it once instead of following every running maximum. */
static long vote(__u32 i, void *arg)
{
	struct tree_ctx *c = arg;
	/* Masks, not only checks: the verifier keeps the bound through them. */
	__u32 b = c->best & (GTPC_KMAX_CLASSES - 1);

	if (i >= GTPC_KMAX_CLASSES)
		return 1;
	i &= GTPC_KMAX_CLASSES - 1;
	if (c->s->votes[i] > c->s->votes[b])
		c->best = i;
	return 0;
}

/* Features, forest, vote. */
static __always_inline __u32 classify(struct scratch *s, const struct gtpc_kcfg *cfg)
{
	struct tree_ctx c = { s, cfg, 0 };

	__builtin_memset(s->votes, 0, sizeof(s->votes));
	bpf_loop(cfg->n_features, one_feature, &c, 0);
	bpf_loop(cfg->n_trees, walk_tree, &c, 0);
	bpf_loop(cfg->n_classes, vote, &c, 0);
	return c.best;
}

static __always_inline struct gtpc_kue *ue_state(const struct gtpc_key *k)
{
	struct gtpc_kue *v = bpf_map_lookup_elem(&ues, k);
	struct gtpc_kue fresh = {};

	if (v)
		return v;
	if (bpf_map_update_elem(&ues, k, &fresh, BPF_NOEXIST) && !bpf_map_lookup_elem(&ues, k)) {
		kstat(GTPC_CL_UES_UNTRACKED);
		return NULL;
	}
	kstat(GTPC_CL_UES_NEW);
	return bpf_map_lookup_elem(&ues, k);
}

/* A classified G-PDU that may go on: to the egress, or to the stack. */
static __always_inline int deliver(struct xdp_md *ctx, const struct gtpc_pkt *p)
{
	if (cfg_forward)
		return gtpc_forward_counted(ctx, p, GTPC_CNT_FWD_CLASSIFIED);
	gtpc_count(GTPC_CNT_PASS_CLASSIFIED);
	return XDP_PASS;
}

/* The class's {action, param} becomes the UE's verdict (a pass removes it),
 * then is carried out on this packet by the same function as in front.
 * As in user space (decide() in src/engine/engine.c): an action other than
 * pass waits until the class is sure (streak windows of it with enough
 * votes), and observe only counts. Returns the XDP action, counted. */
static __always_inline int act(struct xdp_md *ctx, const struct gtpc_pkt *p, const struct gtpc_key *k, __u32 cls,
			       const struct gtpc_kcfg *cfg, __u32 streak, __u64 now)
{
	struct gtpc_verdict v = { .act = cfg->class_act[cls & (GTPC_KMAX_CLASSES - 1)], .class_id = cls,
				  .set_ns = now, .expires_ns = now + cfg->ttl_ns };
	int rc;

	if (gtpc_allowed(k))
		v.act = (struct gtpc_act){ .action = GTPC_ACT_PASS };
	if (v.act.action != GTPC_ACT_PASS && streak < cfg->min_windows) {
		kstat(GTPC_CL_VERDICTS_HELD);
		return deliver(ctx, p);
	}
	if (v.act.action == GTPC_ACT_OBSERVE) {
		kstat(GTPC_CL_VERDICTS_OBSERVED);
		v.act = (struct gtpc_act){ .action = GTPC_ACT_PASS };
	}
	if (v.act.action != GTPC_ACT_PASS)
		kstat(bpf_map_update_elem(&verdicts, k, &v, BPF_ANY) ? GTPC_CL_VERDICT_ERRORS : GTPC_CL_VERDICTS_SET);
	else if (!bpf_map_delete_elem(&verdicts, k))
		kstat(GTPC_CL_VERDICTS_CLEARED);
	rc = gtpc_enforce(ctx, p, &v.act);
	return rc >= 0 ? rc : deliver(ctx, p);
}

SEC("xdp")
int gtpc_kernel(struct xdp_md *ctx)
{
	__u64 now = bpf_ktime_get_ns();
	struct gtpc_kcfg *cfg;
	struct scratch *s;
	struct gtpc_kue *ue;
	struct gtpc_pkt p;
	struct gtpc_key k;
	__u32 zero = 0, cls;
	int closed = 0, rc;
	__u64 t0;

	if (cfg_replay_time) {
		struct gtpc_meta *m = (void *)(long)ctx->data_meta;

		if ((void *)(m + 1) <= (void *)(long)ctx->data && m->magic == GTPC_META_MAGIC)
			now = m->rx_ns;
	}
	rc = gtpc_front(ctx, now, &p, &k);
	if (rc >= 0)
		return rc;
	cfg = bpf_map_lookup_elem(&kcfg, &zero);
	s = bpf_map_lookup_elem(&scratch, &zero);
	ue = ue_state(&k);
	if (!cfg || !s || !ue)
		return deliver(ctx, &p);
	bpf_spin_lock(&ue->lock);
	if (gtpc_win_due(&ue->win, now, cfg->window_ns)) {
		s->ev.win = ue->win;
		gtpc_win_close(&ue->win);
		closed = 1;
	}
	gtpc_win_add(&ue->win, now, p.inner_len,
		     (p.dir == GTPC_DIR_UL ? GTPC_WIN_UL : 0) | (p.proto == GTPC_IPPROTO_TCP ? GTPC_WIN_TCP : 0));
	bpf_spin_unlock(&ue->lock);
	if (!closed)
		return deliver(ctx, &p);
	t0 = bpf_ktime_get_ns();
	cls = classify(s, cfg);
	s->ev.inference_ns = bpf_ktime_get_ns() - t0;
	s->ev.key = k;
	s->ev.cls = cls;
	s->ev.votes = s->votes[cls & (GTPC_KMAX_CLASSES - 1)];
	s->ev.n_features = cfg->n_features;
	s->ev.now_ns = now;
	ue->streak = gtpc_streak_next(ue->streak, ue->classified && ue->last_class == cls, s->ev.votes, cfg->min_votes,
				      cfg->class_act[cls & (GTPC_KMAX_CLASSES - 1)].action == GTPC_ACT_DROP,
				      s->ev.win.cur.pkts, cfg->drop_min_pkts);
	ue->last_class = (__u16)cls;
	ue->classified = 1;
	kstat(GTPC_CL_WINDOWS);
	if (bpf_ringbuf_output(&kevents, &s->ev, sizeof(s->ev), 0))
		kstat(GTPC_CL_EVENTS_LOST);
	return act(ctx, &p, &k, cls, cfg, ue->streak, now);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

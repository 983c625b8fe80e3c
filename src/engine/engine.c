#include "engine/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/feature_values.h"
#include "gtpc/streak.h"
#include "util/util.h"

#define NEVER UINT64_MAX

static int reads_prev(const struct gtpc_model *m)
{
	int i;

	for (i = 0; m && i < m->n_features; i++)
		if (m->feature_ids[i] >= GTPC_FEAT_PREV)
			return 1;
	return 0;
}

void gtpc_engine_set_policy(struct gtpc_engine *e, const struct gtpc_model *m, const struct gtpc_rules *rules)
{
	e->cfg.model = m;
	e->cfg.rules = *rules;
	e->with_prev = reads_prev(m);
}

int gtpc_engine_init(struct gtpc_engine *e, const struct gtpc_engine_cfg *cfg,
		     const struct gtpc_engine_ops *ops, void *ctx)
{
	uint32_t i;
	int err;

	memset(e, 0, sizeof(*e));
	e->cfg = *cfg;
	e->ops = *ops;
	e->ctx = ctx;
	err = gtpc_ue_table_init(&e->table, cfg->max_ues);
	if (err)
		return err;
	/* Written at random UE ids, as the table is. */
	e->due = gtpc_hot_alloc((size_t)cfg->max_ues * sizeof(*e->due));
	if (!e->due) {
		gtpc_ue_table_free(&e->table);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->max_ues; i++)
		e->due[i] = NEVER;
	e->with_prev = reads_prev(cfg->model);
	return 0;
}

void gtpc_engine_free(struct gtpc_engine *e)
{
	gtpc_ue_table_free(&e->table);
	gtpc_hot_free(e->due, (size_t)e->cfg.max_ues * sizeof(*e->due));
	e->due = NULL;
}

static int prefix_match(const struct gtpc_prefix *p, const uint8_t addr[16])
{
	return gtpc_prefix_match(p->addr, p->len, addr);
}

/* Mirrors gtpc_ue_is_src() of the XDP program. */
static int ue_is_src(const struct gtpc_engine *e, const struct gtpc_pkt *p)
{
	uint32_t i;

	for (i = 0; i < e->cfg.n_prefixes; i++)
		if (prefix_match(&e->cfg.prefixes[i], p->src))
			return 1;
	for (i = 0; i < e->cfg.n_prefixes; i++)
		if (prefix_match(&e->cfg.prefixes[i], p->dst))
			return 0;
	return e->cfg.ue_is_src;
}

static inline void engine_key(const struct gtpc_engine *e, const struct gtpc_pkt *p, struct gtpc_key *k)
{
	int src = gtpc_key_needs_direction((uint32_t)e->cfg.key_mode, p) ? ue_is_src(e, p) : 1;

	gtpc_key_build(k, p, (uint32_t)e->cfg.key_mode, src);
}

void gtpc_engine_key(const struct gtpc_engine *e, const struct gtpc_pkt *p, struct gtpc_key *k)
{
	engine_key(e, p, k);
}

void gtpc_engine_rec(const struct gtpc_engine *e, const struct gtpc_pkt *p, uint64_t t, struct gtpc_engine_rec *r)
{
	engine_key(e, p, &r->key);
	r->hash = gtpc_key_hash(&r->key);
	r->t = t;
	r->len = p->inner_len;
	r->dir = p->dir;
	r->proto = p->proto;
}

static void set_verdict(struct gtpc_engine *e, struct gtpc_ue *ue, const struct gtpc_verdict *v)
{
	if (e->ops.on_verdict && e->ops.on_verdict(e->ctx, &ue->key, v)) {
		e->cnt.c[GTPC_CL_VERDICT_ERRORS]++;
		return;
	}
	if (v) {
		ue->action = v->act.action;
		ue->param = v->act.param;
		ue->verdict_expires_ns = v->expires_ns;
		e->cnt.c[GTPC_CL_VERDICTS_SET]++;
	} else {
		ue->action = GTPC_ACT_PASS;
		ue->param = 0;
		e->cnt.c[GTPC_CL_VERDICTS_CLEARED]++;
	}
}

static int allowed(const struct gtpc_engine *e, const struct gtpc_key *k)
{
	uint32_t i;

	if (k->mode == GTPC_KEY_TEID)
		return 0;
	for (i = 0; i < e->n_allow; i++)
		if (prefix_match(&e->allow[i], k->addr) || (k->mode == GTPC_KEY_FLOW && prefix_match(&e->allow[i], k->peer)))
			return 1;
	return 0;
}

/* The one place a class becomes a verdict: the class's {action, param},
 * written only when it differs from the one in force; an allowed UE only
 * ever passes. An action other than pass waits until the class is sure
 * (ue->streak windows of it, each with enough votes): one unsure window
 * never drops a UE, and until then the verdict in force stays. observe
 * reports what would have been done and passes. */
static void decide(struct gtpc_engine *e, struct gtpc_ue *ue, int cls, int votes, uint64_t now)
{
	const struct gtpc_rules *r = &e->cfg.rules;
	struct gtpc_act want = r->class_act[cls];
	struct gtpc_verdict v = {
		.act = want,
		.votes = (uint16_t)votes,
		.class_id = (uint32_t)cls,
		.set_ns = now,
		.expires_ns = now + r->ttl_ns,
	};

	if (want.action != GTPC_ACT_PASS && e->n_allow && allowed(e, &ue->key))
		want = (struct gtpc_act){ .action = GTPC_ACT_PASS };
	if (want.action != GTPC_ACT_PASS && ue->streak < r->min_windows) {
		e->cnt.c[GTPC_CL_VERDICTS_HELD]++;
		return;
	}
	if (want.action == GTPC_ACT_OBSERVE) {
		e->cnt.c[GTPC_CL_VERDICTS_OBSERVED]++;
		if (e->ops.on_verdict)
			e->ops.on_verdict(e->ctx, &ue->key, &v);
		want = (struct gtpc_act){ .action = GTPC_ACT_PASS };
	}
	if (want.action == ue->action && want.param == ue->param)
		return;
	if (want.action != GTPC_ACT_PASS)
		e->cnt.class_verdicts[cls]++;
	set_verdict(e, ue, want.action == GTPC_ACT_PASS ? NULL : &v);
}

/* Classifies the window that just ended, acts on the result, and makes it
 * the previous window. */
static void close_window(struct gtpc_engine *e, struct gtpc_ue *ue, uint64_t now)
{
	const struct gtpc_model *m = e->cfg.model;
	struct gtpc_window_event ev = { .key = &ue->key, .win = &ue->win, .cls = -1, .now = now };
	float feat[GTPC_MAX_FEATURES];
	int i;

	if (m) {
		double v[GTPC_FEAT__COUNT];

		gtpc_feature_values(&ue->win, e->with_prev, v);
		for (i = 0; i < m->n_features; i++)
			feat[i] = (float)v[m->feature_ids[i]];
		ev.feat = feat;
		ev.cls = gtpc_forest_vote(&m->forest, feat, &ev.votes);
		e->cnt.class_windows[ev.cls]++;
		ue->streak = gtpc_streak_next(ue->streak, ue->last_class == ev.cls, (uint32_t)ev.votes,
					      e->cfg.rules.min_votes,
					      e->cfg.rules.class_act[ev.cls].action == GTPC_ACT_DROP, ue->win.cur.pkts,
					      e->cfg.rules.drop_min_pkts);
		ue->last_class = (uint8_t)ev.cls;
	}
	e->cnt.c[GTPC_CL_WINDOWS]++;
	ue->windows++;
	{
		uint64_t end = ue->win.cur.start_ns + e->cfg.window_ns;

		e->lat[e->n_lat++ % GTPC_LAT_SAMPLES] = now > end ? now - end : 0;
	}
	if (e->ops.on_window)
		e->ops.on_window(e->ctx, &ev);
	if (ev.cls >= 0)
		decide(e, ue, ev.cls, ev.votes, now);
	gtpc_win_close(&ue->win);
}

/* Idle: no packet for idle_ns, and no live drop verdict (a dropped UE sends
 * nothing we see; it stays until its verdict ends). */
static int is_idle(const struct gtpc_engine *e, const struct gtpc_ue *ue, uint64_t now)
{
	return ue->action != GTPC_ACT_DROP && now >= ue->win.last_ns + e->cfg.idle_ns;
}

/* The earliest time age_ue() has work for this UE. */
static uint64_t next_due(const struct gtpc_engine *e, const struct gtpc_ue *ue)
{
	uint64_t due = ue->win.last_ns + e->cfg.idle_ns, end;

	if (ue->action == GTPC_ACT_DROP)
		return ue->verdict_expires_ns;
	if (ue->win.open) {
		end = ue->win.cur.start_ns + e->cfg.window_ns;
		due = end < due ? end : due;
	}
	if (ue->action != GTPC_ACT_PASS && ue->verdict_expires_ns < due)
		due = ue->verdict_expires_ns;
	return due;
}

static void forget(struct gtpc_engine *e, struct gtpc_ue *ue)
{
	e->due[gtpc_ue_id(&e->table, ue)] = NEVER;
	gtpc_ue_remove(&e->table, ue);
}

/* Brings one UE up to date at time now. Returns 1 when it was removed. */
static int age_ue(struct gtpc_engine *e, struct gtpc_ue *ue, uint64_t now)
{
	if (ue->action != GTPC_ACT_PASS && now >= ue->verdict_expires_ns) {
		int was_drop = ue->action == GTPC_ACT_DROP;

		set_verdict(e, ue, NULL);
		/* Windows restart: the gap while dropped is not traffic. */
		if (was_drop) {
			memset(&ue->win, 0, sizeof(ue->win));
			ue->win.last_ns = now;
		}
	}
	if (gtpc_win_due(&ue->win, now, e->cfg.window_ns))
		close_window(e, ue, now);
	if (is_idle(e, ue, now)) {
		if (ue->win.open)
			close_window(e, ue, now);
		forget(e, ue);
		e->cnt.c[GTPC_CL_UES_IDLE]++;
		return 1;
	}
	return 0;
}

static struct gtpc_ue *lookup_or_add(struct gtpc_engine *e, const struct gtpc_key *k, uint32_t h, uint64_t now)
{
	struct gtpc_ue *ue = gtpc_ue_find(&e->table, k, h);

	if (ue) {
		if (!age_ue(e, ue, now))
			return ue;
	} else if (e->table.count >= e->table.max) {
		struct gtpc_ue *victim = gtpc_ue_victim(&e->table, h);

		/* Under churn (more UEs than room) a newcomer may not push
		 * out a UE seen within the last window, nor one with a live
		 * drop verdict: otherwise UEs evict each other before any
		 * window closes, and a flood of new keys frees the dropped.
		 * The newcomer goes unaccounted until some UE goes quiet. */
		if (now < victim->win.last_ns + e->cfg.window_ns ||
		    (victim->action == GTPC_ACT_DROP && now < victim->verdict_expires_ns)) {
			e->cnt.c[GTPC_CL_UES_UNTRACKED]++;
			return NULL;
		}
		if (victim->action != GTPC_ACT_PASS)
			set_verdict(e, victim, NULL);
		forget(e, victim);
		e->cnt.c[GTPC_CL_UES_EVICTED]++;
	}
	ue = gtpc_ue_insert(&e->table, k, h);
	e->cnt.c[GTPC_CL_UES_NEW]++;
	return ue;
}

/* Returns the action in force for the packet's UE. */
static struct gtpc_act account(struct gtpc_engine *e, const struct gtpc_engine_rec *r)
{
	uint64_t now = r->t;
	struct gtpc_ue *ue;
	int opens;

	e->cnt.c[GTPC_CL_ACCOUNTED]++;
	ue = lookup_or_add(e, &r->key, r->hash, now);
	if (!ue)
		return (struct gtpc_act){ .action = GTPC_ACT_PASS };
	if (ue->action == GTPC_ACT_DROP) {
		/* Redirected before the datapath saw the verdict: not part of
		 * the UE's traffic from now on, so not a new window. */
		e->cnt.c[GTPC_CL_AFTER_DROP]++;
		return (struct gtpc_act){ .action = GTPC_ACT_DROP };
	}
	opens = !ue->win.open;
	gtpc_win_add(&ue->win, now, r->len,
		     (r->dir == GTPC_DIR_UL ? GTPC_WIN_UL : 0) | (r->proto == GTPC_IPPROTO_TCP ? GTPC_WIN_TCP : 0));
	/* The due time only has to move earlier when a window opens: a
	 * sweep that finds it early looks again later (see sweep()). */
	if (opens)
		e->due[gtpc_ue_id(&e->table, ue)] = next_due(e, ue);
	return (struct gtpc_act){ .action = ue->action, .param = ue->param };
}

void gtpc_engine_packet(struct gtpc_engine *e, const struct gtpc_pkt *p, uint64_t now)
{
	struct gtpc_engine_rec r;

	gtpc_engine_rec(e, p, now, &r);
	account(e, &r);
}

/* A rolling pipeline over the records, so that the table's cache misses
 * overlap instead of queueing, and only a few are in flight at once (more
 * than the core can track are dropped or stall it): while record i is
 * accounted, the index line of record i + 2 * AHEAD and the UE state of
 * record i + AHEAD (named by its index entry, which by then has arrived)
 * are requested. */
#define AHEAD 8

void gtpc_engine_account(struct gtpc_engine *e, const struct gtpc_engine_rec *r, unsigned n, struct gtpc_act *act)
{
	unsigned i;

	for (i = 0; i < n && i < 2 * AHEAD; i++)
		gtpc_ue_prefetch_index(&e->table, r[i].hash);
	for (i = 0; i < n && i < AHEAD; i++)
		gtpc_ue_prefetch_record(&e->table, r[i].hash);
	for (i = 0; i < n; i++) {
		struct gtpc_act a;

		if (i + 2 * AHEAD < n)
			gtpc_ue_prefetch_index(&e->table, r[i + 2 * AHEAD].hash);
		if (i + AHEAD < n)
			gtpc_ue_prefetch_record(&e->table, r[i + AHEAD].hash);
		a = account(e, &r[i]);
		if (act)
			act[i] = a;
	}
}

void gtpc_engine_batch(struct gtpc_engine *e, const struct gtpc_pkt *p, const uint64_t *now, unsigned n,
		       struct gtpc_act *act)
{
	struct gtpc_engine_rec r[GTPC_ENGINE_BATCH];
	unsigned i;

	for (i = 0; i < n; i++)
		gtpc_engine_rec(e, &p[i], now[i], &r[i]);
	gtpc_engine_account(e, r, n, act);
}

/* Walks the compact due array, not the records: a record is read only when
 * its due time has come. A due time may be early (a later packet pushed the
 * idle deadline back); the visit then finds nothing to do and stores the
 * true one. */
static void sweep(struct gtpc_engine *e, uint64_t now, uint64_t n)
{
	uint32_t max = e->table.max;

	while (n--) {
		uint32_t id = e->sweep_pos;

		if (++e->sweep_pos == max)
			e->sweep_pos = 0;
		if (e->due[id] > now)
			continue;
		if (!age_ue(e, &e->table.ues[id], now))
			e->due[id] = next_due(e, &e->table.ues[id]);
	}
}

void gtpc_engine_tick(struct gtpc_engine *e, uint64_t now)
{
	uint64_t period = e->cfg.window_ns, max = e->table.max, n;

	if (!e->last_tick_ns || now < e->last_tick_ns) {
		e->last_tick_ns = now;
		return;
	}
	n = (now - e->last_tick_ns) * max / (period ? period : 1);
	if (n == 0)
		return;
	sweep(e, now, n < max ? n : max);
	e->last_tick_ns = now;
}

/* A verdict removed before its time. A dropped UE's windows start again:
 * what XDP dropped meanwhile never reached them. */
static void lift(struct gtpc_engine *e, struct gtpc_ue *ue)
{
	uint64_t since = ue->verdict_expires_ns - e->cfg.rules.ttl_ns;

	if (ue->action == GTPC_ACT_DROP) {
		memset(&ue->win, 0, sizeof(ue->win));
		ue->win.last_ns = since;
	}
	set_verdict(e, ue, NULL);
	e->due[gtpc_ue_id(&e->table, ue)] = next_due(e, ue);
}

int gtpc_engine_lift(struct gtpc_engine *e, const struct gtpc_key *k)
{
	struct gtpc_ue *ue = gtpc_ue_find(&e->table, k, gtpc_key_hash(k));

	if (!ue || ue->action == GTPC_ACT_PASS)
		return 0;
	lift(e, ue);
	return 1;
}

int gtpc_engine_allow(struct gtpc_engine *e, const struct gtpc_prefix *p)
{
	uint32_t i;
	int lifted = 0;

	if (e->n_allow == GTPC_ENGINE_ALLOW_MAX)
		return -ENOSPC;
	e->allow[e->n_allow++] = *p;
	for (i = 0; i < e->table.max; i++) {
		struct gtpc_ue *ue = &e->table.ues[i];

		if (ue->used && ue->action != GTPC_ACT_PASS && allowed(e, &ue->key)) {
			lift(e, ue);
			lifted++;
		}
	}
	return lifted;
}

void gtpc_engine_flush(struct gtpc_engine *e, uint64_t now)
{
	uint32_t i;

	for (i = 0; i < e->table.max; i++) {
		struct gtpc_ue *ue = &e->table.ues[i];

		if (ue->used && ue->win.open)
			close_window(e, ue, now);
	}
}

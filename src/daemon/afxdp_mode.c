/* The AF_XDP mode behind the mode interface: one worker per configured
 * queue, each with its socket, UMEM and engine; the main thread only reads
 * their published counters. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <urcu/urcu-qsbr.h>

#include "daemon/mode.h"
#include "daemon/worker.h"
#include "io/pcap_out.h"
#include "util/util.h"

struct afxdp {
	struct gtpc_mode_args a;
	struct gtpc_worker *workers;
	unsigned n;
	struct gtpc_handoff hub; /* with classifier.distribute */
	int distribute;
};

/* One capture per worker (pcap writers are not shared between threads):
 * FILE for a single worker, FILE.qN otherwise. */
static int open_dump(struct afxdp *x, struct gtpc_worker *w, char *err, size_t errlen)
{
	char path[512];

	if (x->n == 1)
		snprintf(path, sizeof(path), "%s", x->a.pcap_out);
	else
		snprintf(path, sizeof(path), "%s.q%u", x->a.pcap_out, w->wc->queue);
	w->pcap_out = gtpc_pcap_dump_open(path, err, errlen);
	return w->pcap_out ? 0 : -EIO;
}

static int open_worker(struct afxdp *x, unsigned i, char *err, size_t errlen)
{
	const struct gtpc_config *c = x->a.cfg;
	struct gtpc_worker *w = &x->workers[i];
	unsigned k;
	int rc;

	w->cfg = c;
	w->wc = &c->workers[i];
	w->policy = x->a.policy;
	w->cur = *x->a.policy;
	w->verdicts_fd = x->a.dp->verdicts_fd;
	w->parse_opts = gtpc_config_parse_opts(c);
	w->null_mode = x->a.null_mode;
	w->window_log = x->a.window_log;
	w->events = x->a.events;
	w->xsk.fd = -1;
	w->id = i;
	w->hub = x->distribute ? &x->hub : NULL;
	if (x->a.pcap_out && (rc = open_dump(x, w, err, errlen)))
		return rc;
	rc = gtpc_engine_init(&w->engine, &x->a.setup->cfg, &(struct gtpc_engine_ops){ 0 }, w);
	if (rc) {
		snprintf(err, errlen, "cannot allocate the UE table of %u UEs", c->classifier.max_ues);
		return rc;
	}
	w->engine_ready = 1;
	for (k = 0; k < c->policy.allow_count; k++) {
		struct gtpc_prefix p;

		gtpc_prefix_parse(c->policy.allow[k], p.addr, &p.len); /* checked when loaded */
		gtpc_engine_allow(&w->engine, &p);
	}
	rc = gtpc_xsk_open(&w->xsk, c, w->wc, x->a.dp->xsks_fd, err, errlen);
	if (rc || !x->a.dp->egress_ifindex)
		return rc;
	w->forwarding = 1;
	/* Each worker has its own UMEM, so each needs an egress queue of its own. */
	return gtpc_xsk_open_tx(&w->xsk, c, i, err, errlen);
}

static int afxdp_open(void **state, const struct gtpc_mode_args *a, char *err, size_t errlen)
{
	struct afxdp *x = calloc(1, sizeof(*x));
	unsigned i;
	int rc = 0;

	if (!x)
		return -ENOMEM;
	*state = x;
	x->a = *a;
	x->n = a->cfg->workers_count;
	x->workers = calloc(x->n, sizeof(*x->workers));
	if (!x->workers)
		return -ENOMEM;
	if (a->dp->egress_ifindex && gtpc_if_queues(a->cfg->forward.egress, "tx") < x->n) {
		snprintf(err, errlen, "forward.egress: %s has %u TX queue%s for %u workers (each needs one)",
			 a->cfg->forward.egress, gtpc_if_queues(a->cfg->forward.egress, "tx"),
			 gtpc_if_queues(a->cfg->forward.egress, "tx") == 1 ? "" : "s", x->n);
		return -EINVAL;
	}
	/* The null mode (the bench's baseline) neither parses nor accounts;
	 * one worker owns every UE already, and its records would only make
	 * a round trip through its own ring. */
	x->distribute = a->cfg->classifier.distribute && x->n > 1 && !a->null_mode;
	if (x->distribute && gtpc_handoff_init(&x->hub, x->n, a->cfg->classifier.handoff_ring_size, a->cfg->classifier.key)) {
		snprintf(err, errlen, "cannot allocate the hand-off rings (%u workers, %u records each)", x->n,
			 a->cfg->classifier.handoff_ring_size);
		return -ENOMEM;
	}
	for (i = 0; !rc && i < x->n; i++)
		rc = open_worker(x, i, err, errlen);
	return rc;
}

static int afxdp_start(void *state, char *err, size_t errlen)
{
	struct afxdp *x = state;
	unsigned i;
	int rc = 0;

	for (i = 0; !rc && i < x->n; i++)
		rc = gtpc_worker_start(&x->workers[i], err, errlen);
	return rc;
}

static void afxdp_poll(void *state, int timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static unsigned afxdp_n_units(void *state)
{
	return ((struct afxdp *)state)->n;
}

static void afxdp_unit_name(void *state, unsigned unit, char *buf, size_t len)
{
	const struct gtpc_worker *w = &((struct afxdp *)state)->workers[unit];

	snprintf(buf, len, "q%u cpu%u", w->wc->queue, w->wc->cpu);
}

static void afxdp_read_unit(void *state, unsigned unit, struct gtpc_metrics *m)
{
	struct gtpc_worker *w = &((struct afxdp *)state)->workers[unit];
	struct gtpc_classifier_counters s;
	uint64_t *sk = &m->v[GTPC_M_SK];
	struct gtpc_frame_count fc;
	struct xdp_statistics xs;
	unsigned i;

	gtpc_worker_snapshot(w, &s);
	for (i = 0; i < GTPC_CL__COUNT; i++)
		m->v[GTPC_M_CL + i] += s.c[i];
	for (i = 0; i < GTPC_METRIC_MAX_CLASSES; i++)
		m->cls[GTPC_CLS_WINDOWS][i] += s.class_windows[i];
	for (i = 0; i < GTPC_METRIC_MAX_CLASSES; i++)
		m->cls[GTPC_CLS_VERDICTS][i] += s.class_verdicts[i];
	gtpc_xsk_stats(&w->xsk, &xs);
	sk[GTPC_SK_RX_DROPPED] += xs.rx_dropped;
	sk[GTPC_SK_RX_RING_FULL] += xs.rx_ring_full;
	sk[GTPC_SK_FILL_EMPTY] += xs.rx_fill_ring_empty_descs;
	sk[GTPC_SK_INVALID] += xs.rx_invalid_descs;
	if (w->xsk.txsk) {
		struct xdp_statistics ts;
		socklen_t len = sizeof(ts);

		if (!getsockopt(w->xsk.tx_fd, SOL_XDP, XDP_STATISTICS, &ts, &len))
			sk[GTPC_SK_TX_INVALID] += ts.tx_invalid_descs;
	}
	gtpc_xsk_frames(&w->xsk, &fc);
	sk[GTPC_SK_UMEM_FRAMES] += fc.total;
	sk[GTPC_SK_UMEM_FILL] += fc.fill;
	sk[GTPC_SK_UMEM_RX] += fc.rx;
	sk[GTPC_SK_UMEM_TX] += fc.tx;
	sk[GTPC_SK_UMEM_COMPLETION] += fc.completion;
	sk[GTPC_SK_UMEM_FREE] += fc.free;
	sk[GTPC_SK_UMEM_IN_KERNEL] += fc.elsewhere;
}

static void afxdp_stop(void *state)
{
	struct afxdp *x = state;
	unsigned i;

	/* All at once: a worker accounts its UEs' records until every
	 * worker has handed over its last (one that never started, at once). */
	for (i = 0; x->workers && i < x->n; i++) {
		gtpc_worker_ask_stop(&x->workers[i]);
		if (x->distribute && !x->workers[i].started)
			gtpc_handoff_publish(&x->hub, i, GTPC_HANDOFF_DONE);
	}
	for (i = 0; x->workers && i < x->n; i++)
		gtpc_worker_stop(&x->workers[i]);
}

/* UEs by their last class, read from the tables once the workers stopped. */
static void ues_by_class(const struct gtpc_ue_table *t, struct gtpc_metrics *m)
{
	uint32_t k;

	for (k = 0; k < t->max; k++)
		if (t->ues[k].used && t->ues[k].last_class < GTPC_METRIC_MAX_CLASSES)
			m->cls[GTPC_CLS_UES][t->ues[k].last_class]++;
}

static int afxdp_finish(void *state, struct gtpc_metrics *m)
{
	struct afxdp *x = state;
	uint64_t *all = malloc((size_t)x->n * GTPC_LAT_SAMPLES * sizeof(*all));
	size_t k = 0;
	unsigned i, j;
	int ok = 1;

	for (i = 0; i < x->n; i++) {
		const struct gtpc_engine *e = &x->workers[i].engine;
		uint32_t n = e->n_lat < GTPC_LAT_SAMPLES ? e->n_lat : GTPC_LAT_SAMPLES;
		struct gtpc_frame_count fc;

		ues_by_class(&e->table, m);
		for (j = 0; all && j < n; j++)
			all[k++] = e->lat[j];
		/* In copy mode the kernel holds no frame once the ring is drained. */
		gtpc_xsk_frames(&x->workers[i].xsk, &fc);
		if (!x->workers[i].xsk.zerocopy && fc.elsewhere)
			ok = 0;
	}
	gtpc_percentiles(all, k, &m->v[GTPC_M_RUN + GTPC_RUN_VERDICT_P50_NS], &m->v[GTPC_M_RUN + GTPC_RUN_VERDICT_P99_NS]);
	free(all);
	return ok ? 0 : -1;
}

/* The workers switch at their next pass; the old policy is theirs until
 * every one has passed (a grace period), then the caller frees it. */
static int afxdp_reload(void *state, struct gtpc_policy *p, int model_changed, char *err, size_t errlen)
{
	struct afxdp *x = state;

	rcu_xchg_pointer(x->a.policy, p);
	urcu_qsbr_synchronize_rcu();
	return 0;
}

/* A lifted verdict goes to the worker that holds the UE (its owner, or
 * without distribute any of them); an allowed prefix to all. */
static int afxdp_command(void *state, const struct gtpc_command *c)
{
	struct afxdp *x = state;
	unsigned i;
	int rc = 0;

	if (c->type == GTPC_CMD_LIFT && x->distribute)
		return gtpc_worker_command(&x->workers[gtpc_handoff_owner(&x->hub, gtpc_key_hash(&c->key))], c);
	for (i = 0; i < x->n; i++) {
		int e = gtpc_worker_command(&x->workers[i], c);

		rc = e ? e : rc;
	}
	return rc;
}

/* The hand-off between each pair of workers. */
static void afxdp_details(void *state, FILE *f, int summary)
{
	struct afxdp *x = state;
	unsigned from, to;

	if (!x->distribute)
		return;
	if (!summary)
		fprintf(f, "hand-off (records each worker passed to the owner of their UE):\n");
	for (from = 0; from < x->n; from++)
		for (to = 0; to < x->n; to++) {
			const struct gtpc_handoff_ring *r = gtpc_handoff_ring(&x->hub, from, to);
			unsigned qf = x->workers[from].wc->queue, qt = x->workers[to].wc->queue;

			if (summary)
				fprintf(f, "handoff_q%u_q%u_records=%" PRIu64 "\nhandoff_q%u_q%u_ring_full=%" PRIu64 "\n", qf,
					qt, r->ptail, qf, qt, r->full);
			else
				fprintf(f, "  q%u -> q%u %12" PRIu64 " records%s, ring full %" PRIu64 " times\n", qf, qt,
					r->ptail, from == to ? " (its own)" : "", r->full);
		}
}

static void afxdp_close(void *state)
{
	struct afxdp *x = state;
	unsigned i;

	if (!x)
		return;
	afxdp_stop(x);
	for (i = 0; x->workers && i < x->n; i++) {
		struct gtpc_worker *w = &x->workers[i];

		gtpc_xsk_close(&w->xsk);
		if (w->engine_ready)
			gtpc_engine_free(&w->engine);
		gtpc_pcap_dump_close(w->pcap_out);
	}
	free(x->workers);
	if (x->distribute)
		gtpc_handoff_free(&x->hub);
	free(x);
}

const struct gtpc_mode_ops gtpc_mode_afxdp = {
	.name = "afxdp",
	.open = afxdp_open,
	.start = afxdp_start,
	.poll = afxdp_poll,
	.n_units = afxdp_n_units,
	.unit_name = afxdp_unit_name,
	.read_unit = afxdp_read_unit,
	.stop = afxdp_stop,
	.finish = afxdp_finish,
	.details = afxdp_details,
	.reload = afxdp_reload,
	.command = afxdp_command,
	.close = afxdp_close,
};

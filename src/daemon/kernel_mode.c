/* The in-kernel mode behind the mode interface: the XDP program classifies;
 * user space writes the model into its maps, reads one event per
 * classification, and deletes idle UEs (the kernel refuses an LRU map with
 * a spin lock, see xdp/gtpclass_kern.bpf.c). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/mode.h"
#include "gtpc/kmodel.h"
#include "io/window_csv.h"
#include "model/kmodel_build.h"
#include "util/log.h"
#include "util/util.h"

#define KLAT_SAMPLES 65536
#define SWEEP_NS 1000000000ULL

struct kmode {
	struct gtpc_mode_args a;
	struct ring_buffer *rb;
	int ues_fd;
	int kstats_fd;
	uint64_t class_windows[GTPC_KMAX_CLASSES];
	uint64_t ues_idle;
	uint64_t ues_resident; /* as the last sweep counted them */
	uint64_t events;
	uint64_t inference_ns_sum;
	uint64_t last_sweep_ns;
	/* Time from a window's end to its verdict: a sample per event. */
	uint32_t n_lat;
	uint64_t lat[KLAT_SAMPLES];
};

static int on_event(void *ctx, void *data, size_t len)
{
	struct kmode *k = ctx;
	const struct gtpc_kevent *ev = data;
	uint64_t end;

	if (len < sizeof(*ev))
		return 0;
	k->events++;
	if (ev->cls < GTPC_KMAX_CLASSES)
		k->class_windows[ev->cls]++;
	k->inference_ns_sum += ev->inference_ns;
	end = ev->win.cur.start_ns + k->a.setup->cfg.window_ns;
	if (k->n_lat < KLAT_SAMPLES)
		k->lat[k->n_lat++] = ev->now_ns > end ? ev->now_ns - end : 0;
	if (k->a.window_log) {
		struct gtpc_window_event w = { .key = &ev->key, .win = &ev->win, .cls = (int)ev->cls,
					       .votes = (int)ev->votes, .now = ev->now_ns };

		gtpc_window_csv_row(k->a.window_log, &w, k->a.model, NULL);
	}
	if (k->a.events) {
		struct gtpc_window_event w = { .key = &ev->key, .win = &ev->win, .cls = (int)ev->cls,
					       .votes = (int)ev->votes, .now = ev->now_ns };

		gtpc_events_window(k->a.events, &w, k->a.model);
	}
	return 0;
}

static int kernel_open(void **state, const struct gtpc_mode_args *a, char *err, size_t errlen)
{
	static struct gtpc_knode nodes[GTPC_KMAX_NODES];
	const struct gtpc_model *m = a->model;
	struct kmode *k = calloc(1, sizeof(*k));
	struct gtpc_kcfg cfg;
	int rc;

	if (!k)
		return -ENOMEM;
	*state = k;
	k->a = *a;
	memset(nodes, 0, sizeof(nodes));
	rc = gtpc_kmodel_build(m, &a->setup->cfg.rules, a->setup->cfg.window_ns, &cfg, nodes,
			       err, errlen);
	if (!rc)
		rc = gtpc_datapath_load_model(a->dp, &cfg, nodes, err, errlen);
	if (rc)
		return rc;
	k->ues_fd = bpf_object__find_map_fd_by_name(a->dp->obj, "ues");
	k->kstats_fd = bpf_object__find_map_fd_by_name(a->dp->obj, "kstats");
	k->rb = ring_buffer__new(bpf_object__find_map_fd_by_name(a->dp->obj, "kevents"), on_event, k, NULL);
	if (!k->rb) {
		snprintf(err, errlen, "cannot open the classification ring buffer: %s", strerror(errno));
		return -errno;
	}
	pr_info("in-kernel model: %d trees, %d nodes, depth %d\n", m->forest.n_trees, m->forest.n_nodes,
		m->forest.max_depth);
	return 0;
}

static int kernel_start(void *state, char *err, size_t errlen)
{
	((struct kmode *)state)->last_sweep_ns = gtpc_now_ns();
	return 0;
}

/* Deletes UEs idle for idle_ns and counts those that stay. */
static void sweep(struct kmode *k, uint64_t now)
{
	struct gtpc_key key, next, *prev = NULL;
	uint64_t idle_ns = k->a.setup->cfg.idle_ns, resident = 0;
	struct gtpc_kue v;

	while (bpf_map_get_next_key(k->ues_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(k->ues_fd, &key, &v))
			continue;
		if (v.win.has_last && now > v.win.last_ns + idle_ns && !bpf_map_delete_elem(k->ues_fd, &key))
			k->ues_idle++;
		else
			resident++;
	}
	k->ues_resident = resident;
}

static void kernel_poll(void *state, int timeout_ms)
{
	struct kmode *k = state;
	uint64_t now;

	ring_buffer__poll(k->rb, timeout_ms);
	now = gtpc_now_ns();
	if (now - k->last_sweep_ns >= SWEEP_NS) {
		sweep(k, now);
		k->last_sweep_ns = now;
	}
}

static unsigned kernel_n_units(void *state)
{
	return 1;
}

static void kernel_unit_name(void *state, unsigned unit, char *buf, size_t len)
{
	snprintf(buf, len, "kernel");
}

static void kernel_read_unit(void *state, unsigned unit, struct gtpc_metrics *m)
{
	struct kmode *k = state;
	uint64_t st[GTPC_CL__COUNT] = { 0 };
	unsigned i;

	gtpc_percpu_sum(k->kstats_fd, GTPC_CL__COUNT, st);
	st[GTPC_CL_UES_IDLE] += k->ues_idle;
	st[GTPC_CL_UES] = k->ues_resident;
	for (i = 0; i < GTPC_CL__COUNT; i++)
		m->v[GTPC_M_CL + i] += st[i];
	for (i = 0; i < GTPC_KMAX_CLASSES && i < GTPC_METRIC_MAX_CLASSES; i++)
		m->cls[GTPC_CLS_WINDOWS][i] += k->class_windows[i];
}

static void kernel_stop(void *state)
{
	/* Detached: no event comes after what is in the ring now. */
	ring_buffer__poll(((struct kmode *)state)->rb, 0);
}

static void ues_by_class(struct kmode *k, struct gtpc_metrics *m)
{
	struct gtpc_key key, next, *prev = NULL;
	struct gtpc_kue v;

	while (bpf_map_get_next_key(k->ues_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(k->ues_fd, &key, &v) && v.classified && v.last_class < GTPC_METRIC_MAX_CLASSES)
			m->cls[GTPC_CLS_UES][v.last_class]++;
	}
}

static int kernel_finish(void *state, struct gtpc_metrics *m)
{
	struct kmode *k = state;

	ues_by_class(k, m);
	gtpc_percentiles(k->lat, k->n_lat, &m->v[GTPC_M_RUN + GTPC_RUN_VERDICT_P50_NS],
			 &m->v[GTPC_M_RUN + GTPC_RUN_VERDICT_P99_NS]);
	m->v[GTPC_M_RUN + GTPC_RUN_INFERENCE_NS] = k->events ? k->inference_ns_sum / k->events : 0;
	return 0;
}

/* The verdicts' actions and TTL live in the kcfg entry, one map update.
 * The trees are read by the program while it walks them, so a new model
 * cannot be written in place: that takes a restart. */
static int kernel_reload(void *state, struct gtpc_policy *p, int model_changed, char *err, size_t errlen)
{
	static struct gtpc_knode nodes[GTPC_KMAX_NODES];
	struct kmode *k = state;
	struct gtpc_kcfg cfg;
	uint32_t zero = 0;
	int rc;

	if (model_changed) {
		snprintf(err, errlen, "kernel mode cannot swap the model under the running program; restart to change it");
		return -EOPNOTSUPP;
	}
	rc = gtpc_kmodel_build(p->model, &p->rules, k->a.setup->cfg.window_ns, &cfg, nodes, err, errlen);
	if (rc)
		return rc;
	if (bpf_map_update_elem(bpf_object__find_map_fd_by_name(k->a.dp->obj, "kcfg"), &zero, &cfg, BPF_ANY)) {
		snprintf(err, errlen, "cannot write the new actions into the in-kernel model: %s", strerror(errno));
		return -errno;
	}
	*k->a.policy = p;
	return 0;
}

/* The program reads the verdict and allow maps itself: nothing is held
 * here. */
static int kernel_command(void *state, const struct gtpc_command *c)
{
	return 0;
}

static void kernel_close(void *state)
{
	struct kmode *k = state;

	if (!k)
		return;
	if (k->rb)
		ring_buffer__free(k->rb);
	free(k);
}

const struct gtpc_mode_ops gtpc_mode_kernel = {
	.name = "kernel",
	.open = kernel_open,
	.start = kernel_start,
	.poll = kernel_poll,
	.n_units = kernel_n_units,
	.unit_name = kernel_unit_name,
	.read_unit = kernel_read_unit,
	.stop = kernel_stop,
	.finish = kernel_finish,
	.reload = kernel_reload,
	.command = kernel_command,
	.close = kernel_close,
};

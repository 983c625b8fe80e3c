#include "daemon/kernel_mode.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/kmodel_build.h"
#include "util/log.h"
#include "util/util.h"
#include "io/window_csv.h"

static int on_event(void *ctx, void *data, size_t len)
{
	struct gtpc_kmode *k = ctx;
	const struct gtpc_kevent *ev = data;
	uint64_t end;
	char key[128];
	uint32_t i;

	if (len < sizeof(*ev))
		return 0;
	k->events++;
	if (ev->cls < GTPC_KMAX_CLASSES)
		k->class_events[ev->cls]++;
	k->inference_ns_sum += ev->inference_ns;
	end = ev->window_start_ns + k->window_ns;
	if (k->n_lat < GTPC_KLAT_SAMPLES)
		k->lat[k->n_lat++] = ev->now_ns > end ? ev->now_ns - end : 0;
	if (k->window_log) {
		fprintf(k->window_log, "%s,%" PRIu64, gtpc_key_str(&ev->key, key, sizeof(key)),
			(uint64_t)ev->window_start_ns);
		for (i = 0; i < ev->n_features && i < GTPC_MAX_FEATURES; i++)
			fprintf(k->window_log, ",%lld", (long long)ev->feat[i]);
		fprintf(k->window_log, ",%s\n", ev->cls < (uint32_t)k->model->n_classes ? k->model->class_names[ev->cls] : "?");
	}
	return 0;
}

int gtpc_kmode_open(struct gtpc_kmode *k, struct gtpc_datapath *dp, const struct gtpc_model *m,
		    const struct gtpc_engine_setup *s, char *err, size_t errlen)
{
	static struct gtpc_knode nodes[GTPC_KMAX_NODES];
	struct gtpc_kcfg cfg;
	int rc;

	k->model = m;
	k->idle_ns = s->cfg.idle_ns;
	k->window_ns = s->cfg.window_ns;
	memset(nodes, 0, sizeof(nodes));
	rc = gtpc_kmodel_build(m, s->cfg.class_action, s->cfg.window_ns, s->cfg.ttl_ns, &cfg, nodes, err, errlen);
	if (!rc)
		rc = gtpc_datapath_load_model(dp, &cfg, nodes, err, errlen);
	if (rc)
		return rc;
	k->ues_fd = bpf_object__find_map_fd_by_name(dp->obj, "ues");
	k->kstats_fd = bpf_object__find_map_fd_by_name(dp->obj, "kstats");
	k->rb = ring_buffer__new(bpf_object__find_map_fd_by_name(dp->obj, "kevents"), on_event, k, NULL);
	if (!k->rb) {
		snprintf(err, errlen, "cannot open the classification ring buffer: %s", strerror(errno));
		return -errno;
	}
	if (k->window_log) {
		int i;

		fprintf(k->window_log, "ue,window_start_ns");
		for (i = 0; i < m->n_features; i++)
			fprintf(k->window_log, ",%s_int", m->feature_names[i]);
		fprintf(k->window_log, ",class\n");
	}
	pr_info("in-kernel model: %d trees, %d nodes, depth %d\n", m->forest.n_trees, m->forest.n_nodes,
		m->forest.max_depth);
	return 0;
}

void gtpc_kmode_poll(struct gtpc_kmode *k, int timeout_ms)
{
	ring_buffer__poll(k->rb, timeout_ms);
}

/* The value's layout after the lock: see struct gtpc_kue in the program. */
struct kue_view {
	uint32_t lock;
	uint32_t pad;
	struct gtpc_ue_win win;
};

uint64_t gtpc_kmode_sweep(struct gtpc_kmode *k, uint64_t now)
{
	struct gtpc_key key, next, *prev = NULL;
	struct kue_view v;
	uint64_t n = 0;

	while (bpf_map_get_next_key(k->ues_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(k->ues_fd, &key, &v))
			continue;
		if (v.win.has_last && now > v.win.last_ns + k->idle_ns && !bpf_map_delete_elem(k->ues_fd, &key))
			n++;
	}
	k->ues_idle += n;
	return n;
}

void gtpc_kmode_stats(const struct gtpc_kmode *k, uint64_t out[4])
{
	int ncpu = libbpf_num_possible_cpus(), c;
	uint64_t vals[512];
	uint32_t i;

	for (i = 0; i < 4; i++) {
		out[i] = 0;
		if (ncpu > 512 || bpf_map_lookup_elem(k->kstats_fd, &i, vals))
			continue;
		for (c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
}

void gtpc_kmode_totals(struct gtpc_kmode *k, FILE *summary)
{
	uint64_t st[4], p50 = 0, p99 = 0;
	int i;

	gtpc_kmode_poll(k, 0);
	gtpc_kmode_stats(k, st);
	gtpc_percentiles(k->lat, k->n_lat, &p50, &p99);
	printf("  in kernel: %" PRIu64 " windows classified (%" PRIu64 " events read, %" PRIu64 " lost to a full ring),"
	       " %" PRIu64 " UEs new, %" PRIu64 " untracked (map full), %" PRIu64 " idle removed\n",
	       st[1], k->events, st[2], st[3], st[0], k->ues_idle);
	printf("  inference %.0f ns on average; window end to verdict p50 %.3f ms, p99 %.3f ms\n",
	       k->events ? (double)k->inference_ns_sum / k->events : 0.0, p50 / 1e6, p99 / 1e6);
	printf("  %-12s %10s\n", "class", "windows");
	for (i = 0; i < k->model->n_classes; i++)
		printf("  %-12s %10" PRIu64 "\n", k->model->class_names[i], k->class_events[i]);
	if (!summary)
		return;
	fprintf(summary, "kernel_classified=%" PRIu64 "\nkernel_events=%" PRIu64 "\nkernel_ringbuf_full=%" PRIu64
		"\nkernel_ues_new=%" PRIu64 "\nkernel_ues_untracked=%" PRIu64 "\nkernel_verdict_p50_ns=%" PRIu64
		"\nkernel_verdict_p99_ns=%" PRIu64 "\n", st[1], k->events, st[2], st[3], st[0], p50, p99);
	for (i = 0; i < k->model->n_classes; i++)
		fprintf(summary, "windows_%s=%" PRIu64 "\n", k->model->class_names[i], k->class_events[i]);
}

void gtpc_kmode_close(struct gtpc_kmode *k)
{
	if (k->rb)
		ring_buffer__free(k->rb);
	k->rb = NULL;
}

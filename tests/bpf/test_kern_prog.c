/* The in-kernel program through BPF_PROG_RUN: a window closes on the first
 * packet after its end, is classified as the user-space integer evaluator
 * says, a drop class drops and writes the verdict, and every packet is
 * counted once. Also: the limits of the in-kernel model. Needs root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpf_test.h"
#include "daemon/datapath.h"
#include "gtpc/maps.h"
#include "gtpc/rewrite.h"
#include "engine/engine.h"
#include "gtpclass_kern.skel.h"
#include "model/kmodel_build.h"
#include "pktbuild.h"
#include "gen/profiles.h"

#define WINDOW_NS 20000000ULL /* 20 ms: the test waits it out */

static struct gtpc_knode nodes[GTPC_KMAX_NODES];
static struct gtpc_kevent last_ev;
static int n_ev;

static int on_ev(void *ctx, void *data, size_t len)
{
	memcpy(&last_ev, data, sizeof(last_ev));
	n_ev++;
	return 0;
}

/* One tree: pkts < 5 -> class 0 (pass), else class 1 (drop). */
static void small_model(struct gtpc_model *m)
{
	static struct gtpc_node n[1] = { { 0, 5.0f, -1, -2 } };
	static int32_t roots[1] = { 0 }, leaves[2] = { 0, 1 };

	memset(m, 0, sizeof(*m));
	m->forest = (struct gtpc_forest){ 1, 2, 1, 1, 2, 1, n, roots, leaves };
	m->n_features = 1;
	m->feature_ids[0] = GTPC_STAT_PKTS;
	m->n_classes = 2;
}

struct kctx {
	struct gtpclass_kern_bpf *skel;
	struct ring_buffer *rb;
	struct gtpc_kcfg cfg;
};

static int setup(void **state)
{
	static const struct gtpc_rules rules = {
		.class_act = { { .action = GTPC_ACT_PASS }, { .action = GTPC_ACT_DROP } },
		.ttl_ns = 60ULL * 1000000000ULL,
	};
	struct kctx *k;
	struct gtpc_model m;
	char err[256];
	uint32_t zero = 0, i;

	NOT_ROOT_SETUP(state);
	k = calloc(1, sizeof(*k));
	k->skel = gtpclass_kern_bpf__open_and_load();
	if (!k->skel)
		return -1;
	small_model(&m);
	memset(nodes, 0, sizeof(nodes));
	if (gtpc_kmodel_build(&m, &rules, WINDOW_NS, &k->cfg, nodes, err, sizeof(err)))
		return -1;
	bpf_map_update_elem(bpf_map__fd(k->skel->maps.kcfg), &zero, &k->cfg, BPF_ANY);
	for (i = 0; i < 1; i++)
		bpf_map_update_elem(bpf_map__fd(k->skel->maps.knodes), &i, &nodes[i], BPF_ANY);
	k->rb = ring_buffer__new(bpf_map__fd(k->skel->maps.kevents), on_ev, NULL, NULL);
	*state = k;
	return k->rb ? 0 : -1;
}

static int teardown(void **state)
{
	struct kctx *k = *state;

	if (!k)
		return 0;
	ring_buffer__free(k->rb);
	gtpclass_kern_bpf__destroy(k->skel);
	free(k);
	return 0;
}

static int run(struct kctx *k, const uint8_t *pkt, size_t len, int *counter)
{
	struct gtpc_metrics before, after;
	uint8_t out[4096];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	int i, moved = 0;

	gtpc_counters_read_fds(bpf_map__fd(k->skel->maps.counters), bpf_map__fd(k->skel->maps.events), &before);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(k->skel->progs.gtpc_kernel), &o), 0);
	gtpc_counters_read_fds(bpf_map__fd(k->skel->maps.counters), bpf_map__fd(k->skel->maps.events), &after);
	*counter = -1;
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		if (after.v[GTPC_M_XDP + i] != before.v[GTPC_M_XDP + i]) {
			moved++;
			*counter = after.v[GTPC_M_XDP + i] - before.v[GTPC_M_XDP + i] == 1 ? i : -1;
		}
	if (moved != 1)
		*counter = -1;
	return (int)o.retval;
}

static void pause_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };

	nanosleep(&ts, NULL);
}

static size_t ue_packet(uint8_t *buf, uint8_t ue)
{
	struct gtpc_pkt_spec s = test_spec();

	s.inner_src[15] = ue;
	return gtpc_pkt_build(buf, 2048, &s);
}

static void test_window_classify_drop(void **state)
{
	struct kctx *k = *state;
	uint8_t buf[2048];
	size_t n;
	int i, cnt;

	SKIP_IF_NO_STATE(state);
	/* UE 7: 3 packets, then one after the window: pkts = 3 -> pass. */
	n = ue_packet(buf, 7);
	for (i = 0; i < 3; i++) {
		assert_int_equal(run(k, buf, n, &cnt), XDP_PASS);
		assert_int_equal(cnt, GTPC_CNT_PASS_CLASSIFIED);
	}
	pause_ns(WINDOW_NS + 2000000);
	n_ev = 0;
	assert_int_equal(run(k, buf, n, &cnt), XDP_PASS);
	ring_buffer__poll(k->rb, 100);
	assert_int_equal(n_ev, 1);
	assert_int_equal(last_ev.cls, 0);
	assert_int_equal(last_ev.feat[0], 3);
	assert_int_equal(gtpc_kmodel_predict(&k->cfg, nodes, (const int64_t *)last_ev.feat), (int)last_ev.cls);

	/* UE 8: 6 packets -> class 1, whose action is drop. */
	n = ue_packet(buf, 8);
	for (i = 0; i < 6; i++)
		assert_int_equal(run(k, buf, n, &cnt), XDP_PASS);
	pause_ns(WINDOW_NS + 2000000);
	n_ev = 0;
	assert_int_equal(run(k, buf, n, &cnt), XDP_DROP);
	assert_int_equal(cnt, GTPC_CNT_DROP_VERDICT);
	ring_buffer__poll(k->rb, 100);
	assert_int_equal(n_ev, 1);
	assert_int_equal(last_ev.cls, 1);
	assert_int_equal(last_ev.feat[0], 6);
	/* The verdict holds: the next packets are dropped before any window. */
	assert_int_equal(run(k, buf, n, &cnt), XDP_DROP);
	assert_int_equal(cnt, GTPC_CNT_DROP_VERDICT);
	/* UE 7 is not affected. */
	n = ue_packet(buf, 7);
	assert_int_equal(run(k, buf, n, &cnt), XDP_PASS);
	/* Not a G-PDU: counted by its own outcome. */
	buf[14 + 9] = 6;
	assert_int_equal(run(k, buf, n, &cnt), XDP_PASS);
	assert_int_equal(cnt, GTPC_CNT_PASS_NOT_GTPU);
}

/* One window of UE ue with 6 packets (class 1), closed by a seventh after
 * the window; returns that packet's XDP action. */
static int drop_class_window(struct kctx *k, uint8_t ue)
{
	uint8_t buf[2048];
	size_t n = ue_packet(buf, ue);
	int i, cnt;

	for (i = 0; i < 6; i++)
		run(k, buf, n, &cnt);
	pause_ns(WINDOW_NS + 2000000);
	return run(k, buf, n, &cnt);
}

static uint64_t kstat_of(struct kctx *k, int row)
{
	uint64_t v[GTPC_CL__COUNT];

	assert_int_equal(gtpc_percpu_sum(bpf_map__fd(k->skel->maps.kstats), GTPC_CL__COUNT, v), 0);
	return v[row];
}

static void put_kcfg(struct kctx *k, const struct gtpc_kcfg *cfg)
{
	uint32_t zero = 0;

	assert_int_equal(bpf_map_update_elem(bpf_map__fd(k->skel->maps.kcfg), &zero, cfg, BPF_ANY), 0);
}

/* n windows of the drop class from one UE: all but the last pass; the
 * last one's fate. */
static int fate_after_windows(struct kctx *k, uint8_t ue, int n)
{
	while (--n > 0)
		assert_int_equal(drop_class_window(k, ue), XDP_PASS);
	return drop_class_window(k, ue);
}

/* policy.min_windows and observe in XDP, as in user space: the first
 * window of the drop class is held, the second drops; observe counts and
 * passes, writing no verdict. */
static void test_policy_in_kernel(void **state)
{
	struct kctx *k = *state;
	struct gtpc_kcfg cfg;

	SKIP_IF_NO_STATE(state);
	cfg = k->cfg;
	cfg.min_votes = 1;
	cfg.min_windows = 2;
	put_kcfg(k, &cfg);
	assert_int_equal(drop_class_window(k, 9), XDP_PASS);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_HELD), 1);
	assert_int_equal(drop_class_window(k, 9), XDP_DROP);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_SET), 1);

	/* drop_min_pkts: windows of 6 or 7 packets against a floor of 8
	 * are never sure enough to drop, at 6 they are. */
	cfg.drop_min_pkts = 8;
	put_kcfg(k, &cfg);
	assert_int_equal(fate_after_windows(k, 11, 3), XDP_PASS);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_SET), 1);
	cfg.drop_min_pkts = 6;
	put_kcfg(k, &cfg);
	assert_int_equal(fate_after_windows(k, 12, 2), XDP_DROP);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_SET), 2);
	cfg.drop_min_pkts = 0;

	cfg.min_windows = 1;
	cfg.class_act[1].action = GTPC_ACT_OBSERVE;
	put_kcfg(k, &cfg);
	assert_int_equal(drop_class_window(k, 10), XDP_PASS);
	assert_int_equal(drop_class_window(k, 10), XDP_PASS);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_OBSERVED), 2);
	assert_int_equal(kstat_of(k, GTPC_CL_VERDICTS_SET), 2);
}

/* Thresholds: x < t on a scaled feature is x_int <= ceil(t * scale) - 1. */
static void test_threshold_conversion(void **state)
{
	assert_int_equal(gtpc_kthreshold(5.0f, 1), 4);
	assert_int_equal(gtpc_kthreshold(4.5f, 1), 4);
	assert_int_equal(gtpc_kthreshold(2.5f, 1000), 2499);   /* ms -> us */
	/* 0.001f is a hair above 1e-3: x < 1.00000005 us admits x = 1. */
	assert_int_equal(gtpc_kthreshold(0.001f, 1000), 1);
	assert_int_equal(gtpc_kthreshold(-0.5f, 1), -1);
	assert_int_equal(gtpc_kthreshold(0.0f, 1), -1);
}

/* A random 25-tree forest of depth 12 fits the maps and loops; one deeper
 * than the bound is refused with a message. */
static int32_t grow(struct gtpc_node *n, int *count, int depth, uint64_t *rng)
{
	int me;

	if (depth == 0 || (*count > 0 && (gtpc_rng_next(rng) & 7) == 0))
		return -(int32_t)(gtpc_rng_next(rng) % 3) - 1;
	me = (*count)++;
	n[me].feature = (int32_t)(gtpc_rng_next(rng) % 4);
	n[me].threshold = (float)(gtpc_rng_next(rng) % 1000);
	n[me].left = grow(n, count, depth - 1, rng);
	n[me].right = grow(n, count, depth - 1, rng);
	return me;
}

static void build_forest(struct gtpc_model *m, int trees, int depth)
{
	static struct gtpc_node n[GTPC_KMAX_NODES];
	static int32_t roots[64], leaves[3] = { 0, 1, 2 };
	char err[256];
	uint64_t rng = 5;
	int count = 0, t;

	for (t = 0; t < trees; t++)
		roots[t] = grow(n, &count, depth, &rng);
	memset(m, 0, sizeof(*m));
	m->forest = (struct gtpc_forest){ 4, 3, count, trees, 3, 0, n, roots, leaves };
	assert_int_equal(gtpc_forest_validate(&m->forest, err, sizeof(err)), 0);
	m->n_features = 4;
	m->n_classes = 3;
	m->feature_ids[0] = GTPC_STAT_PKTS;
	m->feature_ids[1] = GTPC_STAT_IAT_MEAN_MS;
	m->feature_ids[2] = GTPC_STAT_IAT_VAR_MS2;
	m->feature_ids[3] = GTPC_STAT_LEN_MEAN;
}

static void test_model_limits(void **state)
{
	struct kctx *k = *state;
	struct gtpc_kcfg cfg;
	struct gtpc_model m;
	char err[256];
	uint32_t i;

	SKIP_IF_NO_STATE(state);
	build_forest(&m, 25, 12);
	printf("  25 trees, %d nodes, depth %d\n", m.forest.n_nodes, m.forest.max_depth);
	assert_int_equal(m.forest.max_depth, 12);
	assert_int_equal(gtpc_kmodel_build(&m, NULL, WINDOW_NS, &cfg, nodes, err, sizeof(err)), 0);
	for (i = 0; i < (uint32_t)m.forest.n_nodes; i++)
		assert_int_equal(bpf_map_update_elem(bpf_map__fd(k->skel->maps.knodes), &i, &nodes[i], BPF_ANY), 0);
	put_kcfg(k, &cfg);
	build_forest(&m, 2, 20);
	assert_int_not_equal(gtpc_kmodel_build(&m, NULL, WINDOW_NS, &cfg, nodes, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "exceeds the in-kernel limits"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_window_classify_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_in_kernel, setup, teardown),
		cmocka_unit_test(test_threshold_conversion),
		cmocka_unit_test_setup_teardown(test_model_limits, setup, teardown),
	};

	return cmocka_run_group_tests_name("kern_prog", tests, NULL, NULL);
}

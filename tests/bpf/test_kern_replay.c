/* The two modes on the same traffic, without an interface: a generated
 * capture goes through the in-kernel program by BPF_PROG_RUN, each packet
 * carrying its capture time in the XDP metadata, and through the user-space
 * engine. Every window the kernel classifies has the user space's integer
 * features exactly and the same class from the integer evaluator; the float
 * model agrees on at least 99.9% of them. Needs root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "gen/gen.h"
#include "gtpc/maps.h"
#include "gtpc/rewrite.h"
#include "gtpclass_kern.skel.h"
#include "model/kmodel_build.h"
#include "io/window_csv.h"

#define MAX_WIN 20000

struct uwin {
	char key[64];
	uint64_t start;
	int64_t feat[GTPC_MAX_FEATURES];
	int cls_float;
};

static struct uwin uwins[MAX_WIN];
static int n_uwin, n_kev, feat_equal, int_agree, float_agree, unmatched;
static struct gtpc_model model;
static struct gtpc_kcfg kcfg;
static struct gtpc_knode knodes[GTPC_KMAX_NODES];

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct uwin *w;
	int i;

	if (n_uwin >= MAX_WIN)
		return;
	w = &uwins[n_uwin++];
	gtpc_key_str(ev->key, w->key, sizeof(w->key));
	w->start = ev->win->cur.start_ns;
	for (i = 0; i < model.n_features; i++)
		w->feat[i] = (int64_t)gtpc_feature_int((unsigned)model.feature_ids[i], ev->win);
	w->cls_float = ev->cls;
}

static int on_kevent(void *ctx, void *data, size_t len)
{
	const struct gtpc_kevent *ev = data;
	char key[64];
	int i;

	n_kev++;
	gtpc_key_str(&ev->key, key, sizeof(key));
	for (i = n_uwin - 1; i >= 0; i--)
		if (uwins[i].start == ev->win.cur.start_ns && !strcmp(uwins[i].key, key))
			break;
	if (i < 0) {
		unmatched++;
		return 0;
	}
	feat_equal += !memcmp(uwins[i].feat, ev->feat, sizeof(int64_t) * (size_t)model.n_features);
	int_agree += gtpc_kmodel_predict(&kcfg, knodes, (const int64_t *)ev->feat) == (int)ev->cls;
	float_agree += uwins[i].cls_float == (int)ev->cls;
	return 0;
}

static void test_replay(void **state)
{
	struct gtpc_engine_cfg ecfg = { .key_mode = GTPC_KEY_UE, .ue_is_src = 1, .window_ns = 500000000ULL,
					.idle_ns = 5000000000ULL, .rules = { .ttl_ns = 1 }, .max_ues = 4096, .model = &model };
	struct gtpc_engine_ops ops = { .on_window = on_window };
	struct gtpc_gen_opts go = { .n_ues = 25, .seed = 3, .duration_ns = 6000000000ULL };
	struct gtpclass_kern_bpf *skel;
	struct gtpc_profiles *prof = NULL;
	struct ring_buffer *rb;
	struct gtpc_engine e;
	struct gtpc_gen g;
	int map[25], i, rc;
	uint8_t frame[2048 + 16];
	uint32_t zero = 0;
	uint64_t t, n = 0;
	char err[512];
	size_t len;

	if (geteuid() != 0) {
		printf("SKIP: BPF_PROG_RUN needs root\n");
		skip();
	}
	assert_int_equal(gtpc_model_load("model/default.yaml", &model, err, sizeof(err)), 0);
	assert_int_equal(gtpc_profiles_load("conf/profiles.yaml", &prof, err, sizeof(err)), 0);
	for (i = 0; i < 25; i++)
		map[i] = i % (int)prof->profiles_count;
	go.ue_profile = map;
	assert_int_equal(gtpc_gen_init(&g, prof, &go), 0);

	skel = gtpclass_kern_bpf__open();
	assert_non_null(skel);
	skel->rodata->cfg_replay_time = 1;
	assert_int_equal(gtpclass_kern_bpf__load(skel), 0);
	assert_int_equal(gtpc_kmodel_build(&model, NULL, ecfg.window_ns, &kcfg, knodes, err, sizeof(err)), 0);
	for (i = 0; i < model.forest.n_nodes; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.knodes), &i, &knodes[i], BPF_ANY);
	bpf_map_update_elem(bpf_map__fd(skel->maps.kcfg), &zero, &kcfg, BPF_ANY);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.kevents), on_kevent, NULL, NULL);
	assert_non_null(rb);
	assert_int_equal(gtpc_engine_init(&e, &ecfg, &ops, NULL), 0);

	while ((len = gtpc_gen_next(&g, frame + 16, sizeof(frame) - 16, &t))) {
		struct gtpc_meta *m = (struct gtpc_meta *)frame;
		struct xdp_md in = { .data_meta = 0, .data = 16, .data_end = (uint32_t)(16 + len) };
		uint64_t ts = 1000000000ULL + t;
		struct gtpc_pkt p;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = (uint32_t)(16 + len),
			    .ctx_in = &in, .ctx_size_in = sizeof(in), .repeat = 1);

		m->rx_ns = ts;
		m->magic = GTPC_META_MAGIC;
		m->pad = 0;
		/* User space first: its windows are there when the events come. */
		if (gtpc_parse(frame + 16, frame + 16 + len, &p) == GTPC_OUT_GPDU)
			gtpc_engine_packet(&e, &p, ts);
		rc = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.gtpc_kernel), &o);
		assert_int_equal(rc, 0);
		if (++n % 512 == 0)
			ring_buffer__poll(rb, 0);
	}
	ring_buffer__poll(rb, 0);
	printf("  %lu packets; kernel classified %d windows, user space %d; features equal %d, "
	       "integer evaluator agrees %d, float model agrees %d (%.2f%%), unmatched %d\n",
	       (unsigned long)n, n_kev, n_uwin, feat_equal, int_agree, float_agree,
	       n_kev ? 100.0 * float_agree / n_kev : 0.0, unmatched);
	assert_true(n_kev > 100);
	assert_int_equal(unmatched, 0);
	assert_int_equal(feat_equal, n_kev);
	assert_int_equal(int_agree, n_kev);
	assert_true(float_agree * 1000 >= n_kev * 999);
	ring_buffer__free(rb);
	gtpclass_kern_bpf__destroy(skel);
	gtpc_engine_free(&e);
	gtpc_gen_free(&g);
	gtpc_profiles_free(prof);
	gtpc_model_free(&model);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay),
	};

	return cmocka_run_group_tests_name("kern_replay", tests, NULL, NULL);
}

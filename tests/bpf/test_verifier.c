/* Every variant of the two XDP programs the loader can make loads: the
 * read-only settings prune code at load time, so the verifier sees a
 * different program for each combination, and the parser's paths multiply
 * with what follows them. Prints each variant's verified instructions, so
 * that a change which eats the 1M-instruction budget shows before a user
 * with that combination finds it. Needs root (BPF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gtpc/key.h"
#include "gtpc/rewrite.h"
#include "gtpclass.skel.h"
#include "gtpclass_kern.skel.h"
#include "util/names.h"

#define LIMIT 1000000u

static uint32_t verified(int fd)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.verified_insns;
}

struct variant {
	uint32_t forward, key, prefixes, src_port, default_hop;
};

#define SET_COMMON(ro, v)                                                                  \
	do {                                                                               \
		(ro)->cfg_forward = (v)->forward;                                          \
		(ro)->cfg_key_mode = (v)->key;                                             \
		(ro)->cfg_use_prefixes = (v)->prefixes;                                    \
		(ro)->cfg_parse_opts = ((v)->src_port ? GTPC_PARSE_SRC_PORT : 0) | gtpc_key_parse_opts((v)->key); \
		(ro)->cfg_has_default_next_hop = (v)->default_hop;                         \
		(ro)->cfg_unparsed_drop = 1;                                               \
	} while (0)

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static uint32_t load_afxdp(const struct variant *v)
{
	struct gtpclass_bpf *s = gtpclass_bpf__open();
	uint32_t n = 0;

	assert_non_null(s);
	SET_COMMON(s->rodata, v);
	s->rodata->cfg_max_frame = 3840;
	if (!gtpclass_bpf__load(s))
		n = verified(bpf_program__fd(s->progs.gtpc_redirect));
	gtpclass_bpf__destroy(s);
	return n;
}

static uint32_t load_kernel(const struct variant *v)
{
	struct gtpclass_kern_bpf *s = gtpclass_kern_bpf__open();
	struct bpf_program *prog;
	uint32_t n = 0;

	assert_non_null(s);
	SET_COMMON(s->rodata, v);
	if (!gtpclass_kern_bpf__load(s)) {
		bpf_object__for_each_program(prog, s->obj) {
			uint32_t m = verified(bpf_program__fd(prog));

			n = m > n ? m : n;
		}
	}
	gtpclass_kern_bpf__destroy(s);
	return n;
}

static void test_every_variant_loads(void **state)
{
	static const char *const prog_names[] = { "afxdp", "kernel" };
	uint32_t worst[2] = { 0, 0 };
	struct variant worst_v[2];
	int failed = 0, loaded = 0, p;
	struct variant v;

	(void)state;
	if (geteuid() != 0) {
		printf("SKIP: loading BPF needs root\n");
		skip();
	}
	libbpf_set_print(quiet);
	for (p = 0; p < 2; p++) {
		for (v.forward = 0; v.forward < 2; v.forward++)
			for (v.key = 0; v.key < GTPC_KEY__COUNT; v.key++)
				for (v.prefixes = 0; v.prefixes < 2; v.prefixes++)
					for (v.src_port = 0; v.src_port < 2; v.src_port++)
						for (v.default_hop = 0; v.default_hop <= v.forward; v.default_hop++) {
							uint32_t n = p ? load_kernel(&v) : load_afxdp(&v);

							if (!n) {
								failed++;
								printf("  %s forward=%u key=%s prefixes=%u src_port=%u default_hop=%u: REFUSED\n",
								       prog_names[p], v.forward, gtpc_key_mode_name((int)v.key), v.prefixes,
								       v.src_port, v.default_hop);
							}
							loaded++;
							if (n > worst[p]) {
								worst[p] = n;
								worst_v[p] = v;
							}
						}
		printf("  %s: the costliest variant (forward=%u key=%s prefixes=%u src_port=%u default_hop=%u) verified "
		       "%u instructions, %.0f%% of the limit\n",
		       prog_names[p], worst_v[p].forward, gtpc_key_mode_name((int)worst_v[p].key), worst_v[p].prefixes,
		       worst_v[p].src_port, worst_v[p].default_hop, worst[p], 100.0 * worst[p] / LIMIT);
	}
	printf("  %d variants, %d refused\n", loaded, failed);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_variant_loads),
	};

	return cmocka_run_group_tests_name("verifier", tests, NULL, NULL);
}

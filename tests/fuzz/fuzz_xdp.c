/* libFuzzer target, differential: the same bytes through the XDP program
 * (BPF_PROG_RUN) and the user-space parser, which are one source compiled
 * twice. The fate XDP counts must be the one the user-space outcome
 * implies, and for a G-PDU both must build the same key, in each key mode
 * (with the parser options each one sets).
 * Needs root (BPF). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gtpc/rewrite.h" /* the skeleton holds MAC addresses */
#include "gtpclass.skel.h"
#include "util/names.h"
#include "xdp_fate.h"

static struct gtpclass_bpf *skels[GTPC_KEY__COUNT];

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int m;

	(void)argc;
	(void)argv;
	libbpf_set_print(silent);
	for (m = 0; m < GTPC_KEY__COUNT; m++) {
		skels[m] = gtpclass_bpf__open();
		if (!skels[m])
			abort();
		skels[m]->rodata->cfg_key_mode = (uint32_t)m;
		skels[m]->rodata->cfg_parse_opts = gtpc_key_parse_opts((uint32_t)m);
		if (gtpclass_bpf__load(skels[m])) {
			fprintf(stderr, "fuzz_xdp: cannot load the XDP program (root needed)\n");
			exit(1);
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gtpc_pkt p;
	int m;

	/* BPF_PROG_RUN refuses less than an Ethernet header, and keeps a frame
	 * linear only up to about a page. */
	if (size < 14 || size > 3000)
		return 0;
	for (m = 0; m < GTPC_KEY__COUNT; m++) {
		int prog = bpf_program__fd(skels[m]->progs.gtpc_redirect);
		int counters = bpf_map__fd(skels[m]->maps.counters);
		int fate = gtpc_fate_run(prog, counters, data, size);

		gtpc_parse_opts(data, data + size, gtpc_key_parse_opts((uint32_t)m), &p);

		if (fate != gtpc_fate_expected(&p)) {
			fprintf(stderr, "fuzz_xdp: key mode %d: user space %s/%s, XDP counted %d\n", m,
				gtpc_outcome_name(p.outcome), gtpc_malformed_name(p.reason), fate);
			abort();
		}
		if (p.outcome == GTPC_OUT_GPDU) {
			struct gtpc_key k;

			gtpc_key_build(&k, &p, (enum gtpc_key_mode)m, 1);
			if (!gtpc_fate_same_key(prog, counters, bpf_map__fd(skels[m]->maps.verdicts), data, size,
						&k)) {
				fprintf(stderr, "fuzz_xdp: key mode %d: XDP keys the G-PDU differently\n", m);
				abort();
			}
		}
	}
	return 0;
}

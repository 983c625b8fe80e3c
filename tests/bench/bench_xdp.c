/* ns/packet of each XDP program by BPF_PROG_RUN with repeat, on the same
 * G-PDU: the redirect program (no socket bound, so the redirect falls back
 * to XDP_PASS) and the in-kernel program (window update only: a packet that
 * closes a window adds the inference time the kernel mode reports). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

#include "gtpc/rewrite.h"
#include "gtpclass.skel.h"
#include "gtpclass_kern.skel.h"
#include "model/kmodel_build.h"
#include "pktbuild.h"

#define REPEAT 2000000

static double run(int prog_fd, const uint8_t *pkt, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len, .repeat = REPEAT);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		return -1;
	return (double)o.duration; /* the kernel reports ns per run */
}

int main(void)
{
	static struct gtpc_knode nodes[GTPC_KMAX_NODES];
	struct gtpc_pkt_spec s = test_spec();
	struct gtpclass_kern_bpf *kern;
	struct gtpclass_bpf *redir;
	struct gtpc_model m;
	struct gtpc_kcfg cfg;
	uint8_t buf[2048];
	char err[256];
	uint32_t zero = 0, i;
	size_t len = gtpc_pkt_build(buf, sizeof(buf), &s);

	redir = gtpclass_bpf__open_and_load();
	kern = gtpclass_kern_bpf__open_and_load();
	if (!redir || !kern || gtpc_model_load("model/default.yaml", &m, err, sizeof(err)) ||
	    gtpc_kmodel_build(&m, NULL, 500000000ULL, &cfg, nodes, err, sizeof(err))) {
		fprintf(stderr, "bench_xdp: cannot load (root?) %s\n", err);
		return 1;
	}
	for (i = 0; i < (uint32_t)m.forest.n_nodes; i++)
		bpf_map_update_elem(bpf_map__fd(kern->maps.knodes), &i, &nodes[i], BPF_ANY);
	bpf_map_update_elem(bpf_map__fd(kern->maps.kcfg), &zero, &cfg, BPF_ANY);
	printf("xdp_redirect_ns=%.1f\n", run(bpf_program__fd(redir->progs.gtpc_redirect), buf, len));
	printf("xdp_kernel_ns=%.1f\n", run(bpf_program__fd(kern->progs.gtpc_kernel), buf, len));
	gtpclass_bpf__destroy(redir);
	gtpclass_kern_bpf__destroy(kern);
	gtpc_model_free(&m);
	return 0;
}

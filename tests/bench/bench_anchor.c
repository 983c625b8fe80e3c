/* The bench's XDP anchors, each held for a trial:
 *   bench_anchor count NETNS IF SECONDS      count what reaches IF (inside NETNS:
 *                                            the UPF) and drop it; prints received=N,
 *                                            and so far=N on SIGUSR1 (a trial's
 *                                            warm-up ends there)
 *   bench_anchor xdp-fwd IF EGRESS MAC SECONDS  the bare XDP forwarder on IF
 * Each holds for SECONDS or until SIGTERM, whichever comes first: a trial
 * ends as soon as its traffic has, not at a duration guessed in advance. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchors.skel.h"
#include "util/util.h"

static int enter_netns(const char *name)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

static volatile sig_atomic_t asked, stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	asked = 1;
}

static uint64_t received(struct anchors_bpf *skel, uint64_t *v, int ncpu)
{
	uint32_t zero = 0;
	uint64_t total = 0;
	int i;

	bpf_map_lookup_elem(bpf_map__fd(skel->maps.received), &zero, v);
	for (i = 0; i < ncpu; i++)
		total += v[i];
	return total;
}

static int count(struct anchors_bpf *skel, int ifindex, double secs)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v = calloc((size_t)ncpu, sizeof(*v)), end = gtpc_now_ns() + (uint64_t)(secs * 1e9);

	if (!v || bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.upf_count), XDP_FLAGS_DRV_MODE, NULL))
		return 1;
	signal(SIGUSR1, on_usr1);
	signal(SIGTERM, on_term);
	printf("running\n");
	fflush(stdout);
	while (gtpc_now_ns() < end && !stop) {
		usleep(10000);
		if (asked) {
			asked = 0;
			printf("so far=%llu\n", (unsigned long long)received(skel, v, ncpu));
			fflush(stdout);
		}
	}
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	printf("received=%llu\n", (unsigned long long)received(skel, v, ncpu));
	free(v);
	return 0;
}

static int xdp_fwd(struct anchors_bpf *skel, int ifindex, const char *egress, double secs)
{
	uint32_t zero = 0, eg = if_nametoindex(egress);
	uint64_t end = gtpc_now_ns() + (uint64_t)(secs * 1e9);

	if (!eg || bpf_map_update_elem(bpf_map__fd(skel->maps.egress), &zero, &eg, BPF_ANY))
		return 1;
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.fwd_bare), XDP_FLAGS_DRV_MODE, NULL))
		return 1;
	signal(SIGTERM, on_term);
	printf("running\n");
	fflush(stdout);
	while (gtpc_now_ns() < end && !stop)
		usleep(10000);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct anchors_bpf *skel = anchors_bpf__open();
	uint8_t src[6], dst[6];
	int rc = 2;

	if (!skel)
		return 1;
	if (argc == 5 && !strcmp(argv[1], "count")) {
		if (enter_netns(argv[2]) || anchors_bpf__load(skel))
			return 1;
		rc = count(skel, (int)if_nametoindex(argv[3]), atof(argv[4]));
	} else if (argc == 6 && !strcmp(argv[1], "xdp-fwd") && !gtpc_mac_parse(argv[4], dst)) {
		if (gtpc_if_mac(argv[3], src))
			return 1;
		memcpy((void *)skel->rodata->cfg_src_mac, src, 6);
		memcpy((void *)skel->rodata->cfg_dst_mac, dst, 6);
		if (anchors_bpf__load(skel))
			return 1;
		rc = xdp_fwd(skel, (int)if_nametoindex(argv[2]), argv[3], atof(argv[5]));
	} else {
		fprintf(stderr, "usage: bench_anchor count NETNS IF SECONDS | xdp-fwd IF EGRESS NEXT_HOP_MAC SECONDS\n");
	}
	anchors_bpf__destroy(skel);
	return rc;
}

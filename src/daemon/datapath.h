/* Loading, pinning and attaching the XDP program, and reading its counters.
 *
 * The program is attached through a bpf_link owned by this process: if
 * gtpclass dies, even by SIGKILL, the kernel closes the link, the program
 * detaches and traffic flows to the stack untouched (fail open). Verdicts
 * live in a pinned map so that a restart finds them. */
#ifndef GTPC_DATAPATH_H
#define GTPC_DATAPATH_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "gtpc/rewrite.h"
#include "util/metrics.h"

struct bpf_object;
struct bpf_object_skeleton;
struct bpf_program;

struct gtpc_datapath {
	void *skel;          /* the mode's skeleton */
	struct bpf_object_skeleton *skeleton;
	struct bpf_object *obj;
	struct bpf_program *prog;
	int link_fd;         /* -1 when detached */
	int ifindex;
	int attached_mode;   /* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	int verdicts_fd;
	int counters_fd;
	int events_fd;
	int xsks_fd;         /* -1 in kernel mode */
	int next_hops_fd;
	int egress_ifindex;  /* 0 when nothing is forwarded */
	struct gtpc_mac egress_mac;
	int has_default_next_hop;
	struct gtpc_mac default_next_hop; /* forward.next_hop_mac */
	char pin_dir[256];
	int keep_pinned;
	int mode;            /* enum gtpc_mode */
};

/* Mounts bpffs at /sys/fs/bpf when it is not. */
int gtpc_bpffs_ensure(const char *pin_dir, char *err, size_t errlen);
/* Opens and loads the program of c->mode with the config's settings. */
int gtpc_datapath_load(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen);
struct gtpc_kcfg;
struct gtpc_knode;
/* Kernel mode: writes the model into its maps. */
int gtpc_datapath_load_model(struct gtpc_datapath *d, const struct gtpc_kcfg *cfg, const struct gtpc_knode *nodes,
			     char *err, size_t errlen);
int gtpc_datapath_attach(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen);
void gtpc_datapath_detach(struct gtpc_datapath *d);
/* Detaches, unpins (unless keep_pinned) and frees. */
void gtpc_datapath_close(struct gtpc_datapath *d);
/* Never drop or mark UEs in the prefix from now on: into the program's
 * allow map, and the verdicts it covers are deleted. Returns how many, or
 * -errno with a message. */
struct gtpc_prefix_key;
int gtpc_datapath_allow(struct gtpc_datapath *d, const struct gtpc_prefix_key *pk, char *err, size_t errlen);
/* Sums the per-CPU counters into the XDP rows of out. */
int gtpc_datapath_read(const struct gtpc_datapath *d, struct gtpc_metrics *out);
/* The same from the maps' fds (tests, and reading pinned maps). */
int gtpc_counters_read_fds(int counters_fd, int events_fd, struct gtpc_metrics *out);
/* Sums a per-CPU array of n u64 into out[0..n). */
int gtpc_percpu_sum(int fd, uint32_t n, uint64_t *out);

#endif

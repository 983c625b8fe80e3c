#include "daemon/privileges.h"

#include <cap-ng.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

struct need {
	int cap, alt;      /* alt: another capability that also does (-1: none) */
	const char *name, *alt_name;
	const char *what;
	int afxdp_only;
};

static const struct need needs[] = {
	{ CAP_BPF, CAP_SYS_ADMIN, "CAP_BPF", "CAP_SYS_ADMIN", "to load the XDP program and create its maps", 0 },
	{ CAP_PERFMON, CAP_SYS_ADMIN, "CAP_PERFMON", "CAP_SYS_ADMIN",
	  "for the verifier to accept the programs' pointer arithmetic and spin locks", 0 },
	{ CAP_NET_ADMIN, -1, "CAP_NET_ADMIN", NULL, "to attach XDP to the interface", 0 },
	{ CAP_NET_RAW, -1, "CAP_NET_RAW", NULL, "to open AF_XDP sockets", 1 },
};

/* What the UMEMs lock: every worker's frames (a TX socket on the egress
 * shares its worker's UMEM). */
static unsigned long long umem_bytes(const struct gtpc_config *c)
{
	return (unsigned long long)c->workers_count * c->frames_per_worker * c->frame_size;
}

int gtpc_privileges_check(const struct gtpc_config *c, char *err, size_t errlen)
{
	int afxdp = c->mode == GTPC_MODE_AFXDP;
	struct rlimit rl;
	size_t i;

	capng_clear(CAPNG_SELECT_BOTH);
	if (capng_get_caps_process()) {
		snprintf(err, errlen, "cannot read this process's capabilities");
		return -EPERM;
	}
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct need *n = &needs[i];

		if (n->afxdp_only && !afxdp)
			continue;
		if (capng_have_capability(CAPNG_EFFECTIVE, (unsigned)n->cap) ||
		    (n->alt >= 0 && capng_have_capability(CAPNG_EFFECTIVE, (unsigned)n->alt)))
			continue;
		snprintf(err, errlen, "missing capability %s%s%s (%s); run as root, or grant the list in "
			 "docs/OPERATIONS.md, \"Capabilities\"", n->name, n->alt_name ? " or " : "",
			 n->alt_name ? n->alt_name : "", n->what);
		return -EPERM;
	}
	if (!afxdp || capng_have_capability(CAPNG_EFFECTIVE, CAP_IPC_LOCK))
		return 0;
	/* Without CAP_IPC_LOCK the UMEMs count against RLIMIT_MEMLOCK. */
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < umem_bytes(c)) {
		snprintf(err, errlen, "missing capability CAP_IPC_LOCK, and the locked-memory limit (%llu KiB, ulimit -l) is "
			 "below the UMEMs' %llu KiB (%u workers x %u frames x %u bytes): grant CAP_IPC_LOCK or raise "
			 "the limit (LimitMEMLOCK= in a unit)", (unsigned long long)rl.rlim_cur / 1024, umem_bytes(c) / 1024,
			 c->workers_count, c->frames_per_worker, c->frame_size);
		return -EPERM;
	}
	return 0;
}

#include "daemon/housekeeping.h"

#include <sched.h>

/* A worker shares its CPU with the NIC queue's interrupt or NAPI thread,
 * and every slice another thread takes there is a slice that queue's ring
 * waits through: on this project's veth rig the main thread, left to the
 * scheduler, sat on the worker's CPU. DPDK keeps its main lcore off the
 * forwarding lcores for the same reason. */
int gtpc_housekeeping_pin(const struct gtpc_config *c)
{
	cpu_set_t set;
	unsigned i;

	if (c->mode != GTPC_MODE_AFXDP || sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (i = 0; i < c->workers_count; i++)
		if (c->workers[i].cpu < CPU_SETSIZE)
			CPU_CLR(c->workers[i].cpu, &set);
	if (!CPU_COUNT(&set) || sched_setaffinity(0, sizeof(set), &set))
		return 0;
	return CPU_COUNT(&set);
}

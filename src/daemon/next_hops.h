/* Next hops on the egress: the MAC to send each outer destination to. The
 * main thread refreshes the table from the egress's neighbour entries
 * (rtnetlink) once a second, mirrors it into the XDP programs' next_hops
 * map, and asks the kernel to resolve destinations the workers could not
 * send to (a managed neighbour entry, which the kernel keeps reachable).
 * Workers read it without locks, only when their one-entry cache misses. */
#ifndef GTPC_NEXT_HOPS_H
#define GTPC_NEXT_HOPS_H

#include <stdint.h>

#include "gtpc/rewrite.h"

#define GTPC_NEXT_HOPS_MAX 64

struct gtpc_next_hop {
	uint8_t addr[16]; /* IPv4-mapped or IPv6 */
	struct gtpc_mac mac;
};

struct gtpc_next_hops {
	uint32_t seq; /* odd while the main thread writes */
	uint32_t n;
	struct gtpc_next_hop e[GTPC_NEXT_HOPS_MAX];
	int ifindex;
	int map_fd;   /* the XDP programs' next_hops, or -1 */
	int nl;       /* rtnetlink socket */
	int has_default;
	struct gtpc_mac dflt; /* forward.next_hop_mac: every destination */
};

/* A worker's memory of its last destination. */
struct gtpc_next_hop_cache {
	uint8_t addr[16];
	struct gtpc_mac mac;
	uint32_t seq;
	int valid;
};

int gtpc_next_hops_open(struct gtpc_next_hops *t, int ifindex, int map_fd, const struct gtpc_mac *dflt,
			char *err, size_t errlen);
/* Rereads the neighbour table; returns how many next hops it holds. */
int gtpc_next_hops_refresh(struct gtpc_next_hops *t);
/* Asks the kernel to resolve addr on the egress and keep it resolved. */
int gtpc_next_hops_want(struct gtpc_next_hops *t, const uint8_t addr[16]);
void gtpc_next_hops_close(struct gtpc_next_hops *t);

/* The next hop of addr, for a worker: 0, or -1 when there is none. */
int gtpc_next_hop_find(const struct gtpc_next_hops *t, struct gtpc_next_hop_cache *c, const uint8_t addr[16],
		       struct gtpc_mac *out);

#endif

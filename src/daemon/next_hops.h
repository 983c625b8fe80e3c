/* Next hops on the egress: the MAC to send each outer destination to. The
 * main thread rereads the egress's neighbour entries (rtnetlink) every 100
 * ms and mirrors them into the XDP programs' next_hops map, where XDP sets
 * every forwarded frame's MACs. A destination with no entry yet is handed
 * to the kernel by XDP, which forwards it and resolves the address. */
#ifndef GTPC_NEXT_HOPS_H
#define GTPC_NEXT_HOPS_H

#include <stddef.h>
#include <stdint.h>

#include "gtpc/rewrite.h"

#define GTPC_NEXT_HOPS_MAX 64

struct gtpc_next_hop {
	uint8_t addr[16]; /* IPv4-mapped or IPv6 */
	struct gtpc_mac mac;
};

struct gtpc_next_hops {
	uint32_t n;
	struct gtpc_next_hop e[GTPC_NEXT_HOPS_MAX]; /* what the map holds */
	int ifindex;
	int map_fd; /* the XDP programs' next_hops */
	int nl;     /* rtnetlink socket */
};

int gtpc_next_hops_open(struct gtpc_next_hops *t, int ifindex, int map_fd, char *err, size_t errlen);
/* Rereads the neighbour table; returns how many next hops it holds. */
int gtpc_next_hops_refresh(struct gtpc_next_hops *t);
void gtpc_next_hops_close(struct gtpc_next_hops *t);

#endif

#include "daemon/next_hops.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtpc/maps.h"
#include "util/log.h"

#define USABLE (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP)

int gtpc_next_hops_open(struct gtpc_next_hops *t, int ifindex, int map_fd, char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->ifindex = ifindex;
	t->map_fd = map_fd;
	t->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (t->nl < 0) {
		snprintf(err, errlen, "cannot open an rtnetlink socket for the egress's neighbours: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

void gtpc_next_hops_close(struct gtpc_next_hops *t)
{
	if (t->nl > 0)
		close(t->nl);
	t->nl = -1;
}

/* One neighbour of the egress from an RTM_NEWNEIGH message, if usable. */
static int parse_neigh(const struct gtpc_next_hops *t, struct nlmsghdr *h, struct gtpc_next_hop *out)
{
	struct ndmsg *nd = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*nd)), have_dst = 0, have_mac = 0;
	struct rtattr *a;

	if (h->nlmsg_type != RTM_NEWNEIGH || len < 0 || nd->ndm_ifindex != t->ifindex || !(nd->ndm_state & USABLE))
		return -1;
	for (a = (struct rtattr *)((char *)nd + NLMSG_ALIGN(sizeof(*nd))); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 4) {
			gtpc_map4(out->addr, RTA_DATA(a));
			have_dst = 1;
		} else if (a->rta_type == NDA_DST && RTA_PAYLOAD(a) == 16) {
			memcpy(out->addr, RTA_DATA(a), 16);
			have_dst = 1;
		} else if (a->rta_type == NDA_LLADDR && RTA_PAYLOAD(a) == 6) {
			memcpy(out->mac.addr, RTA_DATA(a), 6);
			have_mac = 1;
		}
	}
	return have_dst && have_mac ? 0 : -1;
}

static int dump(struct gtpc_next_hops *t, struct gtpc_next_hop *found, uint32_t *n)
{
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
	} req = {
		.h = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETNEIGH, .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.nd = { .ndm_family = AF_UNSPEC, .ndm_ifindex = t->ifindex },
	};
	char buf[16384];

	*n = 0;
	if (send(t->nl, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t got = recv(t->nl, buf, sizeof(buf), 0);
		struct nlmsghdr *h;
		int left = (int)got;

		if (got < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			if (*n < GTPC_NEXT_HOPS_MAX && !parse_neigh(t, h, &found[*n]))
				(*n)++;
		}
	}
}

/* Mirrors found into the map when it changed. */
static void publish(struct gtpc_next_hops *t, const struct gtpc_next_hop *found, uint32_t n)
{
	uint32_t i;

	if (n == t->n && !memcmp(found, t->e, n * sizeof(*found)))
		return;
	for (i = 0; i < t->n; i++) {
		struct gtpc_prefix_key k = { .prefixlen = 128 };

		memcpy(k.addr, t->e[i].addr, 16);
		bpf_map_delete_elem(t->map_fd, &k);
	}
	memcpy(t->e, found, n * sizeof(*found));
	t->n = n;
	for (i = 0; i < n; i++) {
		struct gtpc_prefix_key k = { .prefixlen = 128 };

		memcpy(k.addr, found[i].addr, 16);
		if (bpf_map_update_elem(t->map_fd, &k, &found[i].mac, BPF_ANY))
			pr_warn("cannot add a next hop to the XDP map: %s\n", strerror(errno));
	}
}

int gtpc_next_hops_refresh(struct gtpc_next_hops *t)
{
	struct gtpc_next_hop found[GTPC_NEXT_HOPS_MAX];
	uint32_t n;
	int rc;

	rc = dump(t, found, &n);
	if (rc) {
		pr_warn("cannot read the egress's neighbours: %s\n", strerror(-rc));
		return rc;
	}
	publish(t, found, n);
	return (int)n;
}

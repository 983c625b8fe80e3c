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

int gtpc_next_hops_open(struct gtpc_next_hops *t, int ifindex, int map_fd, const struct gtpc_mac *dflt,
			char *err, size_t errlen)
{
	memset(t, 0, sizeof(*t));
	t->ifindex = ifindex;
	t->map_fd = map_fd;
	t->has_default = dflt != NULL;
	if (dflt)
		t->dflt = *dflt;
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

/* Publishes found under the sequence count, and mirrors it into the map. */
static void publish(struct gtpc_next_hops *t, const struct gtpc_next_hop *found, uint32_t n)
{
	uint32_t i;

	if (n == t->n && !memcmp(found, t->e, n * sizeof(*found)))
		return;
	__atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (i = 0; i < t->n && t->map_fd >= 0; i++) {
		struct gtpc_prefix_key k = { .prefixlen = 128 };

		memcpy(k.addr, t->e[i].addr, 16);
		bpf_map_delete_elem(t->map_fd, &k);
	}
	memcpy(t->e, found, n * sizeof(*found));
	t->n = n;
	for (i = 0; i < n && t->map_fd >= 0; i++) {
		struct gtpc_prefix_key k = { .prefixlen = 128 };

		memcpy(k.addr, found[i].addr, 16);
		if (bpf_map_update_elem(t->map_fd, &k, &found[i].mac, BPF_ANY))
			pr_warn("cannot add a next hop to the XDP map: %s\n", strerror(errno));
	}
	__atomic_store_n(&t->seq, t->seq + 1, __ATOMIC_RELEASE);
}

int gtpc_next_hops_refresh(struct gtpc_next_hops *t)
{
	struct gtpc_next_hop found[GTPC_NEXT_HOPS_MAX];
	uint32_t n;
	int rc;

	if (t->has_default)
		return 0;
	rc = dump(t, found, &n);
	if (rc) {
		pr_warn("cannot read the egress's neighbours: %s\n", strerror(-rc));
		return rc;
	}
	publish(t, found, n);
	return (int)n;
}

int gtpc_next_hops_want(struct gtpc_next_hops *t, const uint8_t addr[16])
{
	static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	int v4 = !memcmp(addr, v4mapped, 12);
	struct {
		struct nlmsghdr h;
		struct ndmsg nd;
		char attrs[64];
	} req = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ndmsg)), .nlmsg_type = RTM_NEWNEIGH,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL },
		.nd = { .ndm_family = (uint8_t)(v4 ? AF_INET : AF_INET6), .ndm_ifindex = t->ifindex,
			.ndm_state = NUD_NONE },
	};
	struct rtattr *a = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.h.nlmsg_len));
	uint32_t managed = NTF_EXT_MANAGED;

	if (t->has_default)
		return 0;
	a->rta_type = NDA_DST;
	a->rta_len = (unsigned short)RTA_LENGTH(v4 ? 4 : 16);
	memcpy(RTA_DATA(a), v4 ? addr + 12 : addr, v4 ? 4 : 16);
	req.h.nlmsg_len = NLMSG_ALIGN(req.h.nlmsg_len) + RTA_ALIGN(a->rta_len);
	a = (struct rtattr *)((char *)&req + req.h.nlmsg_len);
	a->rta_type = NDA_FLAGS_EXT;
	a->rta_len = (unsigned short)RTA_LENGTH(sizeof(managed));
	memcpy(RTA_DATA(a), &managed, sizeof(managed));
	req.h.nlmsg_len += RTA_ALIGN(a->rta_len);
	/* No ack is read: an entry that exists already is fine. */
	return send(t->nl, &req, req.h.nlmsg_len, 0) < 0 ? -errno : 0;
}

int gtpc_next_hop_find(const struct gtpc_next_hops *t, struct gtpc_next_hop_cache *c, const uint8_t addr[16],
		       struct gtpc_mac *out)
{
	uint32_t s1, s2, i, n;
	int found;

	if (t->has_default) {
		*out = t->dflt;
		return 0;
	}
	s1 = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);
	if (c->valid && c->seq == s1 && !memcmp(c->addr, addr, 16)) {
		*out = c->mac;
		return 0;
	}
	do {
		s1 = __atomic_load_n(&t->seq, __ATOMIC_ACQUIRE);
		found = 0;
		n = t->n < GTPC_NEXT_HOPS_MAX ? t->n : GTPC_NEXT_HOPS_MAX;
		for (i = 0; i < n && !found; i++)
			if (!memcmp(t->e[i].addr, addr, 16)) {
				*out = t->e[i].mac;
				found = 1;
			}
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&t->seq, __ATOMIC_RELAXED);
	} while ((s1 & 1) || s1 != s2);
	if (!found)
		return -1;
	memcpy(c->addr, addr, 16);
	c->mac = *out;
	c->seq = s1;
	c->valid = 1;
	return 0;
}

#include "daemon/link_watch.h"

#include <errno.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

#define LINK_UP(flags) (((flags) & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING))

int gtpc_link_watch_open(struct gtpc_link_watch *w, char *err, size_t errlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };

	memset(w, 0, sizeof(*w));
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (w->fd < 0 || bind(w->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "cannot listen to link changes (rtnetlink): %s", strerror(errno));
		if (w->fd >= 0)
			close(w->fd);
		w->fd = -1;
		return -errno;
	}
	return 0;
}

static int link_flags(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
	close(fd);
	return rc ? 0 : ifr.ifr_flags;
}

static void drain(int fd)
{
	char buf[8192];

	while (fd >= 0 && recv(fd, buf, sizeof(buf), 0) > 0)
		;
}

void gtpc_link_watch_add(struct gtpc_link_watch *w, const char *name, int ifindex)
{
	if (w->n == GTPC_LINK_WATCH_MAX)
		return;
	/* What is queued predates the state read now (the interface's
	 * creation, say): news from here on only. */
	drain(w->fd);
	snprintf(w->link[w->n].name, sizeof(w->link[w->n].name), "%s", name);
	w->link[w->n].ifindex = ifindex;
	w->link[w->n].up = LINK_UP(link_flags(name));
	w->link[w->n].gone = 0;
	if (!w->link[w->n].up)
		pr_warn("%s is down (administratively, or no carrier): nothing arrives on it until it is up\n", name);
	w->n++;
}

static void on_message(struct gtpc_link_watch *w, const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	unsigned i;

	if ((h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	for (i = 0; i < w->n; i++) {
		int up = LINK_UP(ifi->ifi_flags);

		if (ifi->ifi_index != w->link[i].ifindex || w->link[i].gone)
			continue;
		if (h->nlmsg_type == RTM_DELLINK) {
			w->link[i].gone = 1;
			pr_err("%s was deleted: its XDP program and sockets went with it\n", w->link[i].name);
		} else if (up != w->link[i].up) {
			w->link[i].up = up;
			w->changes++;
			if (up)
				pr_info("%s is up again\n", w->link[i].name);
			else
				pr_warn("%s went down (%s): nothing arrives on it until it is up\n", w->link[i].name,
					ifi->ifi_flags & IFF_UP ? "carrier lost" : "set down");
		}
	}
}

const char *gtpc_link_watch_poll(struct gtpc_link_watch *w)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	unsigned i;
	ssize_t n;

	while (w->fd >= 0 && (n = recv(w->fd, buf, sizeof(buf), 0)) > 0) {
		const struct nlmsghdr *h;
		int len = (int)n;

		for (h = (const struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			on_message(w, h);
	}
	/* A notification lost to a full socket buffer (ENOBUFS) must not hide
	 * a deletion: the name still has to lead to the index attached to. */
	for (i = 0; i < w->n; i++) {
		if (!w->link[i].gone && if_nametoindex(w->link[i].name) != (unsigned)w->link[i].ifindex) {
			w->link[i].gone = 1;
			pr_err("%s was deleted or re-created: its XDP program and sockets went with it\n",
			       w->link[i].name);
		}
		if (w->link[i].gone)
			return w->link[i].name;
	}
	return NULL;
}

int gtpc_link_watch_all_up(const struct gtpc_link_watch *w)
{
	unsigned i;

	for (i = 0; i < w->n; i++)
		if (!w->link[i].up || w->link[i].gone)
			return 0;
	return 1;
}

void gtpc_link_watch_reset(struct gtpc_link_watch *w)
{
	w->n = 0;
}

int gtpc_link_wait_for(struct gtpc_link_watch *w, const char *const *names, unsigned n, volatile sig_atomic_t *stop)
{
	unsigned i;

	while (!*stop) {
		struct pollfd p = { .fd = w->fd, .events = POLLIN };

		for (i = 0; i < n && if_nametoindex(names[i]); i++)
			;
		if (i == n)
			return 0;
		/* Woken by any link notification; the timeout covers one lost
		 * to a full buffer, and a signal. */
		if (poll(&p, 1, 100) > 0)
			drain(w->fd);
	}
	return -EINTR;
}

void gtpc_link_watch_close(struct gtpc_link_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->n = 0;
}

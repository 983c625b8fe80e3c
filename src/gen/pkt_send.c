#include "gen/pkt_send.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int gtpc_sender_open(struct gtpc_sender *s, const char *ifname, char *err, size_t errlen)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int one = 1;

	memset(s, 0, sizeof(*s));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		snprintf(err, errlen, "no interface named '%s'", ifname);
		return -ENODEV;
	}
	s->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (s->fd < 0) {
		snprintf(err, errlen, "AF_PACKET socket: %s", strerror(errno));
		return -errno;
	}
	if (setsockopt(s->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    bind(s->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		snprintf(err, errlen, "AF_PACKET socket on %s: %s", ifname, strerror(errno));
		close(s->fd);
		return -errno;
	}
	return 0;
}

uint8_t *gtpc_sender_slot(struct gtpc_sender *s)
{
	if (s->n == GTPC_SEND_BATCH)
		gtpc_sender_flush(s);
	return s->frames[s->n];
}

void gtpc_sender_commit(struct gtpc_sender *s, size_t len)
{
	s->lens[s->n++] = len;
}

void gtpc_sender_flush(struct gtpc_sender *s)
{
	struct mmsghdr msgs[GTPC_SEND_BATCH];
	struct iovec iov[GTPC_SEND_BATCH];
	unsigned i, done = 0;

	for (i = 0; i < s->n; i++) {
		iov[i].iov_base = s->frames[i];
		iov[i].iov_len = s->lens[i];
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < s->n) {
		int rc = sendmmsg(s->fd, msgs + done, s->n - done, 0);

		if (rc < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN)
				continue; /* the peer is busy: retry, never lose a frame silently */
			s->failed += s->n - done;
			break;
		}
		done += (unsigned)rc;
	}
	s->sent += done;
	s->n = 0;
}

void gtpc_sender_close(struct gtpc_sender *s)
{
	if (s->fd > 0) {
		gtpc_sender_flush(s);
		close(s->fd);
	}
	s->fd = -1;
}

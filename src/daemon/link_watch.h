/* The interfaces' life, from rtnetlink: carrier and administrative state
 * changes, deletion, and an interface of the name coming back. Read from
 * the main loop, never from the workers. */
#ifndef GTPC_LINK_WATCH_H
#define GTPC_LINK_WATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#define GTPC_LINK_WATCH_MAX 2 /* N3 and the egress */

struct gtpc_link_watch {
	int fd;
	unsigned n;
	struct {
		char name[16];
		int ifindex;
		int up;   /* administratively up with carrier */
		int gone; /* deleted, or its name now has another index */
	} link[GTPC_LINK_WATCH_MAX];
	uint64_t changes; /* down/up transitions seen */
};

int gtpc_link_watch_open(struct gtpc_link_watch *w, char *err, size_t errlen);
/* Watches name (at ifindex); its state now is read at once. */
void gtpc_link_watch_add(struct gtpc_link_watch *w, const char *name, int ifindex);
/* Takes the pending notifications, logging each change. Returns the name
 * of a watched interface that is gone, or NULL. */
const char *gtpc_link_watch_poll(struct gtpc_link_watch *w);
/* 1 when every watched link is up. */
int gtpc_link_watch_all_up(const struct gtpc_link_watch *w);
/* Forgets the watched links (the socket stays, for the next attach). */
void gtpc_link_watch_reset(struct gtpc_link_watch *w);
/* Blocks until every name exists again (0), or *stop is set (-EINTR). */
int gtpc_link_wait_for(struct gtpc_link_watch *w, const char *const *names, unsigned n,
		       volatile sig_atomic_t *stop);
void gtpc_link_watch_close(struct gtpc_link_watch *w);

#endif

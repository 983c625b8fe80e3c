/* The event log (events.file): JSON Lines, one object per verdict change
 * (and with events.windows, one per classified window), for a SIEM or a
 * script to follow. Written by the worker that made the change; each line
 * is one stdio write on a shared stream, whose lock keeps lines whole. A
 * verdict line is flushed at once (they are rare, and someone may be
 * waiting for it); window lines leave when the buffer fills. */
#ifndef GTPC_EVENTS_H
#define GTPC_EVENTS_H

#include <stdio.h>

#include "engine/engine.h"

struct gtpc_events {
	FILE *f;
	int windows;
};

int gtpc_events_open(struct gtpc_events *ev, const char *path, int windows, char *err, size_t errlen);
/* v NULL: the UE's verdict was lifted (expired, or its class passes again). */
void gtpc_events_verdict(struct gtpc_events *ev, const struct gtpc_key *k, const struct gtpc_verdict *v,
			 const struct gtpc_model *m);
void gtpc_events_window(struct gtpc_events *ev, const struct gtpc_window_event *w, const struct gtpc_model *m);
void gtpc_events_close(struct gtpc_events *ev);

#endif

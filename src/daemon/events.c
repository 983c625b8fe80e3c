#include "daemon/events.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "io/window_csv.h"
#include "util/names.h"
#include "util/util.h"

int gtpc_events_open(struct gtpc_events *ev, const char *path, int windows, char *err, size_t errlen)
{
	ev->f = fopen(path, "a");
	ev->windows = windows;
	if (!ev->f) {
		snprintf(err, errlen, "events.file: cannot append to %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

void gtpc_events_close(struct gtpc_events *ev)
{
	if (ev->f)
		fclose(ev->f);
	ev->f = NULL;
}

/* An object with the time (UTC, milliseconds), the event and the UE. */
static struct json_object *event(const char *what, const struct gtpc_key *k)
{
	struct json_object *o = json_object_new_object();
	char when[48], ue[128];
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - n, ".%03ldZ", ts.tv_nsec / 1000000);
	gtpc_key_str(k, ue, sizeof(ue));
	json_object_object_add(o, "time", json_object_new_string(when));
	json_object_object_add(o, "event", json_object_new_string(what));
	json_object_object_add(o, "ue", json_object_new_string(ue));
	return o;
}

static void emit(struct gtpc_events *ev, struct json_object *o, int flush)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	flockfile(ev->f);
	fputs(s, ev->f);
	fputc('\n', ev->f);
	if (flush)
		fflush(ev->f);
	funlockfile(ev->f);
	json_object_put(o);
}

static void add_class(struct json_object *o, int cls, const struct gtpc_model *m)
{
	if (m && cls >= 0 && cls < m->n_classes)
		json_object_object_add(o, "class", json_object_new_string(m->class_names[cls]));
	else
		json_object_object_add(o, "class", json_object_new_int(cls));
}

void gtpc_events_verdict(struct gtpc_events *ev, const struct gtpc_key *k, const struct gtpc_verdict *v,
			 const struct gtpc_model *m)
{
	struct json_object *o;

	if (!ev || !ev->f)
		return;
	/* observe: what would have been done, nothing in force. */
	o = event(!v ? "verdict_lifted" : v->act.action == GTPC_ACT_OBSERVE ? "observed" : "verdict", k);
	if (v) {
		add_class(o, (int)v->class_id, m);
		if (m && m->forest.n_trees) {
			json_object_object_add(o, "votes", json_object_new_int(v->votes));
			json_object_object_add(o, "trees", json_object_new_int(m->forest.n_trees));
			json_object_object_add(o, "vote_share", json_object_new_double((double)v->votes / m->forest.n_trees));
		}
		json_object_object_add(o, "action",
				       json_object_new_string(gtpc_action_name(v->act.action)));
		if (v->act.action == GTPC_ACT_MARK) {
			json_object_object_add(o, "dscp", json_object_new_int(GTPC_MARK_DSCP(v->act.param)));
			json_object_object_add(o, "inner", json_object_new_boolean(!!(v->act.param & GTPC_MARK_INNER)));
		}
		json_object_object_add(o, "ttl_ms", json_object_new_uint64((v->expires_ns - v->set_ns) / 1000000));
	}
	emit(ev, o, 1);
}

void gtpc_events_window(struct gtpc_events *ev, const struct gtpc_window_event *w, const struct gtpc_model *m)
{
	struct json_object *o;

	if (!ev || !ev->f || !ev->windows)
		return;
	o = event("window", w->key);
	json_object_object_add(o, "start_mono_ns", json_object_new_uint64(w->win->cur.start_ns));
	json_object_object_add(o, "packets", json_object_new_uint64(w->win->cur.pkts));
	json_object_object_add(o, "bytes", json_object_new_uint64(w->win->cur.bytes));
	if (w->cls >= 0) {
		add_class(o, w->cls, m);
		json_object_object_add(o, "votes", json_object_new_int(w->votes));
	}
	emit(ev, o, 0);
}

#include "io/window_csv.h"

#include <inttypes.h>

#include "engine/feature_values.h"
#include "util/names.h"
#include "util/util.h"

const char *gtpc_key_str(const struct gtpc_key *k, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN_GTPC], b[INET6_ADDRSTRLEN_GTPC];

	if (k->mode == GTPC_KEY_TEID)
		snprintf(buf, len, "teid:0x%08x", k->teid);
	else if (k->mode == GTPC_KEY_FLOW)
		snprintf(buf, len, "%s:%u>%s:%u/%u", gtpc_addr_str(k->addr, a, sizeof(a)), k->sport,
			 gtpc_addr_str(k->peer, b, sizeof(b)), k->dport, k->proto);
	else
		snprintf(buf, len, "%s", gtpc_addr_str(k->addr, a, sizeof(a)));
	return buf;
}

/* Every vocabulary feature is written, whatever the model reads, so one
 * feature file can train models on any subset. */
void gtpc_window_csv_header(FILE *f, const struct gtpc_model *m)
{
	unsigned i;

	fprintf(f, "ue,window_start_ns");
	for (i = 0; i < GTPC_FEAT__COUNT; i++)
		fprintf(f, ",%s%s", i >= GTPC_FEAT_PREV ? "prev_" : "", gtpc_stat_name(i % GTPC_STAT__COUNT));
	fprintf(f, ",class,votes,label\n");
}

static void row(FILE *f, const struct gtpc_window_event *ev, const struct gtpc_model *m, const char *label,
		int integers)
{
	/* One fputs per row: stdio locks each call, so rows of workers that
	 * share the file never interleave. */
	char line[2048], key[128];
	double v[GTPC_FEAT__COUNT];
	size_t off;
	unsigned i;

	gtpc_feature_values(ev->win, 1, v);
	off = (size_t)snprintf(line, sizeof(line), "%s,%" PRIu64, gtpc_key_str(ev->key, key, sizeof(key)),
			       (uint64_t)ev->win->cur.start_ns);
	for (i = 0; i < GTPC_FEAT__COUNT && off < sizeof(line); i++) {
		if (integers)
			off += (size_t)snprintf(line + off, sizeof(line) - off, ",%" PRIu64,
						(uint64_t)gtpc_feature_int(i, ev->win));
		else
			off += (size_t)snprintf(line + off, sizeof(line) - off, ",%.17g", v[i]);
	}
	if (off < sizeof(line))
		snprintf(line + off, sizeof(line) - off, ",%s,%d,%s\n", m && ev->cls >= 0 ? m->class_names[ev->cls] : "",
			 m && ev->cls >= 0 ? ev->votes : 0, label ? label : "");
	fputs(line, f);
}

void gtpc_window_csv_row(FILE *f, const struct gtpc_window_event *ev, const struct gtpc_model *m,
			 const char *label)
{
	row(f, ev, m, label, 0);
}

void gtpc_window_csv_row_int(FILE *f, const struct gtpc_window_event *ev, const struct gtpc_model *m,
			     const char *label)
{
	row(f, ev, m, label, 1);
}

#include "daemon/metrics_export.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <time.h>

static void iso_time(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int n_classes(const struct gtpc_stats_page *p)
{
	return p->n_classes < GTPC_METRIC_MAX_CLASSES ? (int)p->n_classes : GTPC_METRIC_MAX_CLASSES;
}

void gtpc_export_text(FILE *f, const struct gtpc_stats_page *p)
{
	char when[32];
	int i, c;

	iso_time(p->updated_ns, when, sizeof(when));
	fprintf(f, "gtpclass on %s, pid %" PRIu64 ", counters of %s\n", p->interface, p->pid, when);
	for (i = 0; i < GTPC_M__COUNT; i++)
		fprintf(f, "%-30s %14" PRIu64 "\n", gtpc_metric_table[i].name, p->m.v[i]);
	for (i = 0; i < GTPC_CLS__COUNT; i++)
		for (c = 0; c < n_classes(p); c++) {
			char name[80];

			snprintf(name, sizeof(name), "%s_%s", gtpc_class_metric_table[i].name, p->class_names[c]);
			fprintf(f, "%-30s %14" PRIu64 "\n", name, p->m.cls[i][c]);
		}
}

int gtpc_export_json(FILE *f, const struct gtpc_stats_page *p)
{
	struct json_object *o = json_object_new_object(), *cnt = json_object_new_object(),
			   *cls = json_object_new_object();
	char when[32];
	int i, c;

	if (!o || !cnt || !cls)
		return -ENOMEM;
	iso_time(p->updated_ns, when, sizeof(when));
	json_object_object_add(o, "interface", json_object_new_string(p->interface));
	json_object_object_add(o, "pid", json_object_new_int64((int64_t)p->pid));
	json_object_object_add(o, "updated", json_object_new_string(when));
	for (i = 0; i < GTPC_M__COUNT; i++)
		json_object_object_add(cnt, gtpc_metric_table[i].name, json_object_new_uint64(p->m.v[i]));
	for (c = 0; c < n_classes(p); c++) {
		struct json_object *one = json_object_new_object();

		for (i = 0; i < GTPC_CLS__COUNT; i++)
			json_object_object_add(one, gtpc_class_metric_table[i].name, json_object_new_uint64(p->m.cls[i][c]));
		json_object_object_add(cls, p->class_names[c], one);
	}
	json_object_object_add(o, "counters", cnt);
	json_object_object_add(o, "classes", cls);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

static void prom_head(FILE *f, const char *name, const struct gtpc_metric_desc *d)
{
	const char *type = d->kind == GTPC_KIND_GAUGE ? "gauge" : "counter";

	fprintf(f, "# HELP gtpclass_%s%s %s\n# TYPE gtpclass_%s%s %s\n", name, d->kind == GTPC_KIND_GAUGE ? "" : "_total",
		d->help, name, d->kind == GTPC_KIND_GAUGE ? "" : "_total", type);
}

void gtpc_export_prometheus(FILE *f, const struct gtpc_stats_page *p)
{
	int i, c;

	for (i = 0; i < GTPC_M__COUNT; i++) {
		const struct gtpc_metric_desc *d = &gtpc_metric_table[i];

		prom_head(f, d->name, d);
		fprintf(f, "gtpclass_%s%s{interface=\"%s\"} %" PRIu64 "\n", d->name, d->kind == GTPC_KIND_GAUGE ? "" : "_total",
			p->interface, p->m.v[i]);
	}
	for (i = 0; i < GTPC_CLS__COUNT; i++) {
		const struct gtpc_metric_desc *d = &gtpc_class_metric_table[i];
		char name[64];

		snprintf(name, sizeof(name), "class_%s", d->name);
		prom_head(f, name, d);
		for (c = 0; c < n_classes(p); c++)
			fprintf(f, "gtpclass_%s%s{interface=\"%s\",class=\"%s\"} %" PRIu64 "\n", name,
				d->kind == GTPC_KIND_GAUGE ? "" : "_total", p->interface, p->class_names[c], p->m.cls[i][c]);
	}
}

/* gtpclass counters: the counter table, one row per counter (name, kind,
 * source, help), as every report and exporter names them. Rows of source
 * xdp are in the order of the XDP program's counters array. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "util/metrics.h"

int gtpc_cmd_counters(int argc, char **argv)
{
	const struct gtpc_cmd_spec spec = {
		"counters", "", "List every counter: name, kind, source and help, tab-separated.", NULL, 0, 0, 0,
	};
	int first, rc = gtpc_opts_parse(&spec, argc, argv, &first);
	int i;

	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	for (i = 0; i < GTPC_M__COUNT; i++) {
		const struct gtpc_metric_desc *d = &gtpc_metric_table[i];

		printf("%s\t%s\t%s\t%s\n", d->name, d->kind == GTPC_KIND_GAUGE ? "gauge" : "counter",
		       gtpc_metric_src_names[d->src], d->help);
	}
	for (i = 0; i < GTPC_CLS__COUNT; i++) {
		const struct gtpc_metric_desc *d = &gtpc_class_metric_table[i];

		printf("%s_<class>\t%s\tclass\t%s\n", d->name, d->kind == GTPC_KIND_GAUGE ? "gauge" : "counter", d->help);
	}
	return 0;
}

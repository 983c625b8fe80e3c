/* gtpclass stats: the counters of a running instance, read from the page
 * it publishes under its pins (pin_path/IF/stats), from any shell. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/pins.h"
#include "daemon/metrics_export.h"
#include "gtpc/maps.h"
#include "util/log.h"

int gtpc_cmd_stats(int argc, char **argv)
{
	const char *iface = NULL, *pin_path = GTPC_PIN_DEFAULT;
	char dir[PATH_MAX], path[PATH_MAX + 8], err[512];
	struct gtpc_stats_page page;
	int json = 0, prom = 0, first, rc;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("interface", 'i', &iface, "IF", "the instance on IF (needed when several run)"),
		GTPC_OPT_STRING("pin-path", 'p', &pin_path, "DIR", "the config's pin_path (default " GTPC_PIN_DEFAULT ")"),
		GTPC_OPT_BOOL("json", 'j', &json, "one JSON object"),
		GTPC_OPT_BOOL("prometheus", 0, &prom, "Prometheus text format, as the metrics endpoint serves"),
	};
	const struct gtpc_cmd_spec spec = {
		"stats", "[-i IF] [-p PIN_PATH] [--json | --prometheus]",
		"Print the counters of a running instance (as of its last stats interval).", opts,
		sizeof(opts) / sizeof(opts[0]), 0, 0,
	};

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	if (gtpc_cli_pin_dir("stats", pin_path, iface, dir, sizeof(dir)))
		return 1;
	snprintf(path, sizeof(path), "%s/stats", dir);
	if (gtpc_stats_read(path, &page, err, sizeof(err))) {
		pr_err("stats: %s\n", err);
		return 1;
	}
	if (json)
		return gtpc_export_json(stdout, &page) ? 1 : 0;
	if (prom)
		gtpc_export_prometheus(stdout, &page);
	else
		gtpc_export_text(stdout, &page);
	return 0;
}

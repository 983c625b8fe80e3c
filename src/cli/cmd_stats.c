/* gtpclass stats: the counters of a running instance, read from the page
 * it publishes under its pins (pin_path/IF/stats), from any shell. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "daemon/metrics_export.h"
#include "gtpc/maps.h"
#include "util/log.h"

/* The one instance under pin_path when -i is not given. */
static int find_instance(const char *pin_path, char *ifname, size_t len)
{
	DIR *d = opendir(pin_path);
	struct dirent *e;
	char path[PATH_MAX], found[512] = "";
	int n = 0;

	if (!d) {
		pr_err("stats: %s: %s (no instance has run with that pin_path)\n", pin_path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s/stats", pin_path, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st))
			continue;
		if (n++ == 0)
			snprintf(ifname, len, "%s", e->d_name);
		snprintf(found + strlen(found), sizeof(found) - strlen(found), " %s", e->d_name);
	}
	closedir(d);
	if (n == 1)
		return 0;
	if (n == 0)
		pr_err("stats: no running instance under %s\n", pin_path);
	else
		pr_err("stats: instances on%s: say which with -i\n", found);
	return -1;
}

int gtpc_cmd_stats(int argc, char **argv)
{
	const char *iface = NULL, *pin_path = GTPC_PIN_DEFAULT;
	char ifname[256], path[PATH_MAX], err[512];
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
	if (iface)
		snprintf(ifname, sizeof(ifname), "%s", iface);
	else if (find_instance(pin_path, ifname, sizeof(ifname)))
		return 1;
	snprintf(path, sizeof(path), "%s/%s/stats", pin_path, ifname);
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

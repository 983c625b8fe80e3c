/* gtpclass run: the daemon's command line. */
#include "cli/commands.h"
#include "cli/options.h"
#include "config/config.h"
#include "daemon/run.h"
#include "util/log.h"

static const char *const modes[] = { "afxdp", "kernel", NULL };

int gtpc_cmd_run(int argc, char **argv)
{
	struct gtpc_run_opts o = { .mode = -1 };
	int verbose = 0, first;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("config", 'c', &o.config_path, "FILE", "configuration (conf/gtpclass.yaml)"),
		GTPC_OPT_STRING("interface", 'i', &o.interface, "NAME", "override the config's interface"),
		GTPC_OPT_CHOICE("mode", 'm', &o.mode, "MODE", modes, "afxdp or kernel: override the config's mode"),
		GTPC_OPT_NUMBER(GTPC_OPT_DOUBLE, "duration", 'd', &o.duration_s, "SEC", 0.001, 1e9,
				"stop after SEC seconds (default: until SIGINT or SIGTERM)"),
		GTPC_OPT_STRING("windows", 'w', &o.windows_path, "FILE", "write one CSV row per classified window"),
		GTPC_OPT_STRING("summary", 's', &o.summary_path, "FILE", "write the final totals as name=value lines"),
		GTPC_OPT_BOOL("null-worker", 0, &o.null_mode, "receive and recycle only (the benchmark's baseline)"),
		GTPC_OPT_STRING("pcap-out", 0, &o.pcap_out, "FILE",
				"record received frames with their XDP timestamps (FILE.qN per worker when several)"),
		GTPC_OPT_BOOL("verbose", 'v', &verbose, "debug messages, including libbpf's"),
	};
	const struct gtpc_cmd_spec spec = {
		"run", "-c FILE [options]", "Attach to an interface and classify its GTP-U traffic.", opts,
		sizeof(opts) / sizeof(opts[0]), 0, 0,
	};
	int rc = gtpc_opts_parse(&spec, argc, argv, &first);

	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	if (!o.config_path) {
		pr_err("run: --config is required\n");
		return 2;
	}
	if (verbose)
		gtpc_log_level = GTPC_LOG_DEBUG;
	gtpc_log_daemon();
	gtpc_log_route_libs();
	return gtpc_run(&o);
}

/* gtpclass: classify 5G user-plane (GTP-U) traffic with AF_XDP or in XDP. */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "run", gtpc_cmd_run, "attach to an interface and classify its GTP-U traffic" },
	{ "inspect", gtpc_cmd_inspect, "decode a capture with the datapath's parser, one line per packet" },
	{ "gen", gtpc_cmd_gen, "generate GTP-U traffic of UEs following traffic profiles" },
	{ "model", gtpc_cmd_model, "import emlearn models, inspect them, check their predictions" },
	{ "features", gtpc_cmd_features, "replay a capture through the workers' window code: one CSV row per window" },
	{ "counters", gtpc_cmd_counters, "list every counter gtpclass reports, with its meaning" },
	{ "check", gtpc_cmd_check, "check a configuration and its model without an interface, every error" },
	{ "verdicts", gtpc_cmd_verdicts, "list the verdicts in force; lift one; allow a UE prefix (running instance)" },
	{ "stats", gtpc_cmd_stats, "print the counters of a running instance (text, JSON, Prometheus)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gtpclass COMMAND [options]   (gtpclass COMMAND --help for its options)\n"
		   "       gtpclass --version\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("gtpclass %s (%s), libbpf %s\n", GTPC_VERSION, GTPC_GIT_REV, libbpf_version_string());
		return 0;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "gtpclass: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}

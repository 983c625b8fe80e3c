/* gtpclass check: validates a config and its model without an interface
 * (before a deployment, in CI, after an edit and before SIGHUP), and
 * reports every error it finds, each with its file and line. */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/config.h"
#include "engine/engine_setup.h"
#include "util/log.h"

/* One error per line of msg; returns how many. */
static int report(const char *msg)
{
	char line[1024];
	int n = 0;

	while (*msg) {
		size_t len = strcspn(msg, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, msg);
		pr_err("%s\n", line);
		n++;
		msg += len + (msg[len] == '\n');
	}
	return n;
}

int gtpc_cmd_check(int argc, char **argv)
{
	const char *path = NULL;
	struct gtpc_config *c = NULL;
	struct gtpc_engine_setup *s;
	struct gtpc_model m;
	char err[4096] = "";
	int first, rc, errors = 0;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("config", 'c', &path, "FILE", "the configuration to check"),
	};
	const struct gtpc_cmd_spec spec = {
		"check", "-c FILE", "Check a configuration and its model without touching an interface; report every error.",
		opts, sizeof(opts) / sizeof(opts[0]), 0, 0,
	};

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	if (!path) {
		pr_err("check: needs -c FILE\n");
		return 2;
	}
	if (gtpc_config_load(path, &c, err, sizeof(err))) {
		errors = report(err);
		pr_err("check: %s: %d error%s\n", path, errors, errors == 1 ? "" : "s");
		return 1;
	}
	s = malloc(sizeof(*s));
	err[0] = 0;
	if (!s || gtpc_engine_setup_load(s, c, &m, 1, err, sizeof(err))) {
		errors = report(s ? err : "out of memory");
	} else {
		printf("%s: ok; model: %d features, %d classes, %d trees\n", path, m.n_features, m.n_classes,
		       m.forest.n_trees);
		gtpc_model_free(&m);
	}
	/* Not an error here: the file may be checked away from its host. */
	if (!if_nametoindex(c->interface))
		printf("%s: note: no interface named '%s' on this host (run checks it)\n", path, c->interface);
	free(s);
	gtpc_config_free(c);
	if (errors)
		pr_err("check: %s: %d error%s\n", path, errors, errors == 1 ? "" : "s");
	return errors ? 1 : 0;
}

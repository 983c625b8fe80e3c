/* gtpclass verdicts: who is dropped or marked and why, from another shell,
 * read from the running instance's pinned verdict map; and the operator's
 * two levers: lift a UE's verdict, allow a prefix. */
#include <bpf/bpf.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/pins.h"
#include "daemon/commands.h"
#include "daemon/stats_page.h"
#include "gtpc/maps.h"
#include "io/window_csv.h"
#include "util/log.h"
#include "util/names.h"
#include "util/util.h"

/* A CLOCK_MONOTONIC time as the wall-clock time it was or will be. */
static void wall(uint64_t mono_ns, char *buf, size_t len)
{
	struct timespec m, r;
	time_t t;
	struct tm tm;

	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r);
	t = r.tv_sec + (time_t)(((int64_t)mono_ns - ((int64_t)m.tv_sec * 1000000000LL + m.tv_nsec)) / 1000000000LL);
	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static int open_verdicts(const char *dir)
{
	char path[PATH_MAX + 16];
	int fd;

	snprintf(path, sizeof(path), "%s/verdicts", dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		pr_err("verdicts: %s: %s (is gtpclass running on that interface?)\n", path, strerror(errno));
	return fd;
}

static int list(const char *dir)
{
	struct gtpc_stats_page page;
	struct gtpc_key k, next, *prev = NULL;
	char path[PATH_MAX + 16], err[256], ue[128], since[32], until[32], action[24];
	int fd = open_verdicts(dir), n = 0, named;

	if (fd < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/stats", dir);
	named = gtpc_stats_read(path, &page, err, sizeof(err)) == 0;
	printf("%-40s %-10s %-9s %-5s %-19s %-19s\n", "UE", "class", "action", "votes", "since", "expires");
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		struct gtpc_verdict v;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &v))
			continue;
		gtpc_key_str(&k, ue, sizeof(ue));
		wall(v.set_ns, since, sizeof(since));
		wall(v.expires_ns, until, sizeof(until));
		snprintf(action, sizeof(action), "%s", gtpc_action_name(v.act.action));
		if (v.act.action == GTPC_ACT_MARK)
			snprintf(action, sizeof(action), "mark %u", GTPC_MARK_DSCP(v.act.param));
		if (named && v.class_id < page.n_classes)
			printf("%-40s %-10s %-9s %-5u %-19s %-19s\n", ue, page.class_names[v.class_id], action, v.votes, since,
			       until);
		else
			printf("%-40s %-10u %-9s %-5u %-19s %-19s\n", ue, v.class_id, action, v.votes, since, until);
		n++;
	}
	close(fd);
	printf("%d verdict%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* Deletes the UE's verdicts (traffic flows at once) and tells the daemon,
 * whose worker would otherwise keep treating the UE as dropped. */
static int clear(const char *dir, const char *who)
{
	struct gtpc_key k, next, *prev = NULL;
	char ue[128], err[256];
	int fd = open_verdicts(dir), n = 0, rc = 0;

	if (fd < 0)
		return 1;
	/* A deleted key is not a position to walk on from: the walk then
	 * restarts, and only matching keys are deleted, so it ends. */
	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (strcmp(gtpc_key_str(&k, ue, sizeof(ue)), who))
			continue;
		prev = NULL;
		if (bpf_map_delete_elem(fd, &k) == 0) {
			struct gtpc_command c = { .type = GTPC_CMD_LIFT, .key = k };

			n++;
			if (gtpc_commands_push(dir, &c, err, sizeof(err))) {
				pr_err("verdicts: the verdict is gone but the daemon was not told: %s\n", err);
				rc = 1;
			}
		}
	}
	close(fd);
	if (!n) {
		pr_err("verdicts: no verdict for '%s' (UEs are written as `gtpclass verdicts` lists them)\n", who);
		return 1;
	}
	printf("lifted the verdict of %s; it passes until it is classified again\n", who);
	return rc;
}

static int allow(const char *dir, const char *prefix)
{
	struct gtpc_command c = { .type = GTPC_CMD_ALLOW };
	char err[256];

	if (gtpc_prefix_parse(prefix, c.prefix.addr, &c.prefix.prefixlen)) {
		pr_err("verdicts: '%s' is not an address/length prefix\n", prefix);
		return 2;
	}
	if (gtpc_commands_push(dir, &c, err, sizeof(err))) {
		pr_err("verdicts: %s\n", err);
		return 1;
	}
	printf("asked the instance to allow %s (its log says when done)\n", prefix);
	return 0;
}

int gtpc_cmd_verdicts(int argc, char **argv)
{
	const char *iface = NULL, *pin_path = GTPC_PIN_DEFAULT;
	char dir[PATH_MAX];
	int first, rc;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("interface", 'i', &iface, "IF", "the instance on IF (needed when several run)"),
		GTPC_OPT_STRING("pin-path", 'p', &pin_path, "DIR", "the config's pin_path (default " GTPC_PIN_DEFAULT ")"),
	};
	const struct gtpc_cmd_spec spec = {
		"verdicts", "[-i IF] [-p PIN_PATH] [list | clear UE | allow PREFIX]",
		"List the verdicts in force (UE, class, action, votes, since, expires); lift one; allow a UE prefix.",
		opts, sizeof(opts) / sizeof(opts[0]), 0, 2,
	};

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	if (gtpc_cli_pin_dir("verdicts", pin_path, iface, dir, sizeof(dir)))
		return 1;
	if (first >= argc || !strcmp(argv[first], "list"))
		return first + 1 < argc ? (pr_err("verdicts: list takes no argument\n"), 2) : list(dir);
	if (first + 2 != argc || (strcmp(argv[first], "clear") && strcmp(argv[first], "allow"))) {
		gtpc_opts_usage(&spec, stderr);
		return 2;
	}
	return !strcmp(argv[first], "clear") ? clear(dir, argv[first + 1]) : allow(dir, argv[first + 1]);
}

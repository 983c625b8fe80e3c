#include "daemon/run.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "daemon/commands.h"
#include "daemon/datapath.h"
#include "daemon/housekeeping.h"
#include "daemon/instance.h"
#include "daemon/link_watch.h"
#include "daemon/metrics_http.h"
#include "daemon/mode.h"
#include "daemon/next_hops.h"
#include "daemon/privileges.h"
#include "daemon/stats_page.h"
#include "daemon/totals.h"
#include "engine/ue_table.h"
#include "io/window_csv.h"
#include "util/log.h"
#include "util/util.h"

#define POLL_MS 20
#define NEXT_HOPS_NS 100000000ULL /* a new destination is usable within 0.1 s of resolving */

struct run {
	struct gtpc_config *cfg;
	struct gtpc_instance instance;
	struct gtpc_model model;
	int have_model;
	struct gtpc_engine_setup setup;
	struct gtpc_datapath dp;
	const struct gtpc_mode_ops *ops;
	void *mode;
	FILE *window_log;
	FILE *summary;
	struct gtpc_metrics base; /* XDP counters at start: pinned maps may carry old counts */
	struct gtpc_policy first_policy; /* from the files at start */
	struct gtpc_policy *policy;      /* in force: swapped by a reload */
	struct gtpc_next_hops next_hops;
	struct gtpc_stats_writer stats;
	struct gtpc_metrics_http http;
	struct gtpc_events events;
	int commands_fd; /* `gtpclass verdicts` requests */
	int watch_neighbours; /* forwarding without forward.next_hop_mac */
	uint64_t next_hops_ns; /* when they were last read */
	const char *gone;       /* the interface that disappeared, if one did */
	struct gtpc_link_watch links;
	unsigned attachments;   /* 1, plus one per return of a deleted interface */
};

static volatile sig_atomic_t stop_requested, reload_requested, totals_requested;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else if (sig == SIGUSR1)
		totals_requested = 1;
	else
		stop_requested = 1;
}

/* The handlers only set flags, which the main loop acts on. SIGPIPE is
 * ignored: a closed reader of the window log or stdout is an error on
 * that write, not the end of the datapath. */
static void handle_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const int sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGUSR1 };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void policy_free(struct gtpc_policy *p)
{
	if (p->owned) {
		gtpc_model_free(p->owned);
		free(p->owned);
	}
	free(p);
}

/* Checks what the files now say and builds the policy they give. The key
 * and the window cannot change: the open windows could not carry over. */
static int build_policy(struct run *r, struct gtpc_policy **out, int *model_changed, char *err, size_t errlen)
{
	struct gtpc_engine_setup *s = malloc(sizeof(*s));
	struct gtpc_model *m = calloc(1, sizeof(*m));
	struct gtpc_policy *p = calloc(1, sizeof(*p));
	struct gtpc_config *c = NULL;
	int rc = !s || !m || !p ? -ENOMEM : gtpc_config_load(r->cfg->source_path, &c, err, errlen);

	if (!rc && (c->classifier.key != r->cfg->classifier.key || c->classifier.window_ms != r->cfg->classifier.window_ms)) {
		snprintf(err, errlen, "classifier.key and classifier.window_ms cannot change while running (the open windows "
				      "could not carry over); restart for that");
		rc = -EINVAL;
	}
	if (!rc)
		rc = gtpc_engine_setup_load(s, c, m, 1, err, errlen);
	if (!rc && !gtpc_model_same_classes(m, &r->model)) {
		snprintf(err, errlen, "the new model's classes differ from the running one's; restart to change them");
		gtpc_model_free(m);
		rc = -EINVAL;
	}
	if (!rc) {
		*model_changed = !gtpc_model_equal(m, r->policy->model);
		if (*model_changed) {
			p->model = p->owned = m;
			m = NULL;
		} else {
			gtpc_model_free(m);
			p->model = r->policy->model;
		}
		p->rules = s->cfg.rules;
		*out = p;
		p = NULL;
	}
	gtpc_config_free(c);
	free(s);
	free(m);
	free(p);
	return rc;
}

static void reload(struct run *r)
{
	struct gtpc_policy *p = NULL, *old = r->policy;
	char err[512] = "";
	int changed = 0, rc;

	sd_notify(0, "RELOADING=1");
	rc = build_policy(r, &p, &changed, err, sizeof(err));
	if (!rc)
		rc = r->ops->reload(r->mode, p, changed, err, sizeof(err));
	if (rc) {
		pr_err("reload refused, the running model and policy stay: %s\n", err);
		sd_notifyf(0, "READY=1\nSTATUS=reload refused: %s", err);
		if (p)
			policy_free(p);
		return;
	}
	/* An unchanged model stays with whoever owned it. */
	if (!changed) {
		p->owned = old->owned;
		old->owned = NULL;
	}
	if (old != &r->first_policy)
		policy_free(old);
	pr_info("reloaded %s: %s model, policy of %u classes\n", r->cfg->source_path, changed ? "a new" : "the same",
		r->model.n_classes);
	sd_notifyf(0, "READY=1\nSTATUS=classifying on %s (reloaded)", r->cfg->interface);
}

static FILE *open_output(const char *path, const char *what)
{
	FILE *f = fopen(path, "w");

	if (!f)
		pr_err("cannot write the %s to %s: %s\n", what, path, strerror(errno));
	return f;
}

/* Everything that can be checked or opened before touching the interface. */
static int prepare(struct run *r, const struct gtpc_run_opts *o, char *err, size_t errlen)
{
	int rc = gtpc_config_load(o->config_path, &r->cfg, err, errlen), n;

	if (rc)
		return rc;
	if (o->mode >= 0)
		r->cfg->mode = o->mode;
	if (o->interface) {
		free(r->cfg->interface);
		r->cfg->interface = strdup(o->interface);
	}
	r->ops = r->cfg->mode == GTPC_MODE_KERNEL ? &gtpc_mode_kernel : &gtpc_mode_afxdp;
	rc = gtpc_privileges_check(r->cfg, err, errlen);
	if (!rc)
		rc = gtpc_instance_lock(&r->instance, r->cfg->interface, err, errlen);
	if (rc)
		return rc;
	if (o->windows_path && !(r->window_log = open_output(o->windows_path, "window log")))
		return -EIO;
	if (o->summary_path && !(r->summary = open_output(o->summary_path, "summary")))
		return -EIO;
	if (r->cfg->events.file && (rc = gtpc_events_open(&r->events, r->cfg->events.file, r->cfg->events.windows, err,
							     errlen)))
		return rc;
	rc = gtpc_config_check_system(r->cfg, err, errlen);
	if (!rc && (n = gtpc_housekeeping_pin(r->cfg)))
		pr_info("threads other than the workers run on the %d CPU%s the workers do not use\n", n,
			n == 1 ? "" : "s");
	if (!rc)
		rc = gtpc_engine_setup_load(&r->setup, r->cfg, &r->model, 1, err, errlen);
	r->have_model = !rc;
	if (!rc && r->window_log)
		gtpc_window_csv_header(r->window_log, &r->model);
	if (!rc) {
		r->first_policy.model = &r->model;
		r->first_policy.rules = r->setup.cfg.rules;
		r->policy = &r->first_policy;
	}
	return rc;
}

static int start(struct run *r, const struct gtpc_run_opts *o, char *err, size_t errlen)
{
	struct gtpc_mode_args a = {
		.cfg = r->cfg, .model = &r->model, .setup = &r->setup, .dp = &r->dp,
		.window_log = r->window_log, .pcap_out = o->pcap_out, .null_mode = o->null_mode,
		.policy = &r->policy,
		.events = r->events.f ? &r->events : NULL,
	};
	int rc = gtpc_datapath_load(&r->dp, r->cfg, err, errlen);

	if (rc)
		return rc;
	gtpc_datapath_read(&r->dp, &r->base);
	gtpc_link_watch_add(&r->links, r->cfg->interface, r->dp.ifindex);
	if (r->dp.egress_ifindex)
		gtpc_link_watch_add(&r->links, r->cfg->forward.egress, r->dp.egress_ifindex);
	rc = gtpc_stats_open(&r->stats, r->dp.pin_dir, r->cfg->interface, (const char (*)[32])r->model.class_names,
			     r->model.n_classes, err, errlen);
	if (!rc && (r->commands_fd = gtpc_commands_open(r->dp.pin_dir, err, errlen)) < 0)
		rc = r->commands_fd;
	if (!rc && r->cfg->metrics.listen)
		rc = gtpc_metrics_http_start(&r->http, r->cfg->metrics.listen, r->stats.page, err, errlen);
	if (rc)
		return rc;
	/* With forward.next_hop_mac every destination has it: nothing to read. */
	if (r->dp.egress_ifindex && !r->dp.has_default_next_hop) {
		rc = gtpc_next_hops_open(&r->next_hops, r->dp.egress_ifindex, r->dp.next_hops_fd, err, errlen);
		if (rc)
			return rc;
		r->watch_neighbours = 1;
		gtpc_next_hops_refresh(&r->next_hops);
	}
	rc = r->ops->open(&r->mode, &a, err, errlen);
	if (!rc)
		rc = gtpc_datapath_attach(&r->dp, r->cfg, err, errlen);
	if (!rc)
		rc = r->ops->start(r->mode, err, errlen);
	return rc;
}

/* The XDP rows since start, and with units, every unit's rows. */
static void read_all(struct run *r, struct gtpc_metrics *m, int units)
{
	unsigned u, i;

	memset(m, 0, sizeof(*m));
	gtpc_datapath_read(&r->dp, m);
	for (i = GTPC_M_XDP; i < GTPC_M_CL; i++)
		m->v[i] -= r->base.v[i];
	for (u = 0; units && u < r->ops->n_units(r->mode); u++)
		r->ops->read_unit(r->mode, u, m);
	m->v[GTPC_M_RUN + GTPC_RUN_LINK_UP] = (uint64_t)gtpc_link_watch_all_up(&r->links);
	m->v[GTPC_M_RUN + GTPC_RUN_LINK_CHANGES] = r->links.changes;
	m->v[GTPC_M_RUN + GTPC_RUN_ATTACHMENTS] = r->attachments;
}

static void print_interval(struct run *r, struct gtpc_metrics *prev, double secs)
{
	unsigned n = r->ops->n_units(r->mode), u;
	struct gtpc_metrics now;
	char stamp[32], who[64];
	time_t t = time(NULL);

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", localtime(&t));
	printf("%s\n", stamp);
	read_all(r, &now, 0);
	gtpc_totals_interval(stdout, "xdp", &now, &prev[0], secs, GTPC_SRC_XDP, GTPC_SRC_XDP_EVENT);
	prev[0] = now;
	for (u = 0; u < n; u++) {
		memset(&now, 0, sizeof(now));
		r->ops->read_unit(r->mode, u, &now);
		r->ops->unit_name(r->mode, u, who, sizeof(who));
		gtpc_totals_interval(stdout, who, &now, &prev[u + 1], secs, GTPC_SRC_CLASSIFIER, GTPC_SRC_SOCKET);
		prev[u + 1] = now;
	}
	fflush(stdout);
}

/* Requests from `gtpclass verdicts`: the datapath's part here, the rest by
 * the mode (the workers that hold the UEs). */
static void take_commands(struct run *r)
{
	struct gtpc_command c;
	char err[256] = "", who[128];

	while (gtpc_commands_pop(r->commands_fd, &c) == 0) {
		int rc = 0;

		if (c.type == GTPC_CMD_ALLOW) {
			rc = gtpc_datapath_allow(&r->dp, &c.prefix, err, sizeof(err));
			if (rc >= 0) {
				gtpc_prefix_str(c.prefix.addr, c.prefix.prefixlen, who, sizeof(who));
				pr_info("allowed %s: never dropped or marked from now on (%d verdict%s lifted)\n", who, rc,
					rc == 1 ? "" : "s");
			}
		} else if (c.type == GTPC_CMD_LIFT) {
			gtpc_key_str(&c.key, who, sizeof(who));
			pr_info("verdict of %s lifted by the operator; it passes until classified again\n", who);
		} else {
			pr_err("ignored an unknown request (type %u) from the command queue\n", c.type);
			continue;
		}
		if (rc >= 0)
			rc = r->ops->command(r->mode, &c);
		if (rc < 0)
			pr_err("request not carried out: %s\n", err[0] ? err : strerror(-rc));
	}
}

/* For `gtpclass stats` and the metrics endpoint. */
static void publish_stats(struct run *r)
{
	struct gtpc_metrics m;

	read_all(r, &m, 1);
	gtpc_stats_publish(&r->stats, &m);
}

static void loop(struct run *r, double duration)
{
	struct gtpc_metrics *prev = calloc(r->ops->n_units(r->mode) + 1, sizeof(*prev));
	uint64_t start = gtpc_now_ns(), last = start;
	uint64_t every = (uint64_t)r->cfg->stats_interval_ms * 1000000ULL;
	uint64_t changes = r->links.changes;

	publish_stats(r);
	while (!stop_requested && prev) {
		uint64_t now;

		r->ops->poll(r->mode, POLL_MS);
		/* Going on after a deletion would look healthy while seeing
		 * nothing. */
		if ((r->gone = gtpc_link_watch_poll(&r->links)))
			break;
		/* Health shows at once, not at the next interval. */
		if (r->links.changes != changes) {
			changes = r->links.changes;
			publish_stats(r);
		}
		take_commands(r);
		if (reload_requested) {
			reload_requested = 0;
			reload(r);
		}
		if (totals_requested) {
			struct gtpc_metrics m;

			totals_requested = 0;
			read_all(r, &m, 1);
			printf("SIGUSR1: the totals so far\n");
			gtpc_totals_print(stdout, &m, &r->model);
			fflush(stdout);
		}
		now = gtpc_now_ns();
		if (r->watch_neighbours && now - r->next_hops_ns >= NEXT_HOPS_NS) {
			gtpc_next_hops_refresh(&r->next_hops);
			r->next_hops_ns = now;
		}
		if (duration > 0 && now - start >= (uint64_t)(duration * 1e9))
			break;
		if (now - last < every)
			continue;
		print_interval(r, prev, (now - last) / 1e9);
		publish_stats(r);
		last = now;
	}
	free(prev);
}

/* Each unit's classifier and socket rows, as UNIT.NAME=VALUE (UNIT is the
 * first word of its name: q0, kernel). */
static void write_units(struct run *r, FILE *f)
{
	unsigned n = r->ops->n_units(r->mode), u;
	int i;

	for (u = 0; u < n; u++) {
		struct gtpc_metrics m;
		char who[64];

		memset(&m, 0, sizeof(m));
		r->ops->read_unit(r->mode, u, &m);
		r->ops->unit_name(r->mode, u, who, sizeof(who));
		who[strcspn(who, " ")] = 0;
		for (i = 0; i < GTPC_M__COUNT; i++)
			if (gtpc_metric_table[i].src == GTPC_SRC_CLASSIFIER || gtpc_metric_table[i].src == GTPC_SRC_SOCKET)
				fprintf(f, "%s.%s=%" PRIu64 "\n", who, gtpc_metric_table[i].name, m.v[i]);
	}
}

/* Detaches first, so that nothing arrives while the books are closed. */
static int finish(struct run *r, int final)
{
	struct gtpc_metrics m;
	int frames_ok, ok;

	gtpc_datapath_detach(&r->dp);
	r->ops->stop(r->mode);
	read_all(r, &m, 1);
	frames_ok = r->ops->finish(r->mode, &m) == 0;
	gtpc_stats_publish(&r->stats, &m);
	gtpc_totals_print(stdout, &m, &r->model);
	if (r->ops->details)
		r->ops->details(r->mode, stdout, 0);
	ok = gtpc_totals_balance(stdout, &m, frames_ok);
	fflush(stdout); /* before the log lines on stderr that follow */
	if (r->summary && final) {
		gtpc_metrics_write(r->summary, &m, (const char (*)[32])r->model.class_names, r->model.n_classes);
		write_units(r, r->summary);
		if (r->ops->details)
			r->ops->details(r->mode, r->summary, 1);
	}
	return ok;
}

/* What belongs to one attachment to the interface. */
static void close_attachment(struct run *r)
{
	if (r->mode)
		r->ops->close(r->mode);
	r->mode = NULL;
	if (r->watch_neighbours)
		gtpc_next_hops_close(&r->next_hops);
	r->watch_neighbours = 0;
	gtpc_metrics_http_stop(&r->http);
	gtpc_commands_close(r->commands_fd, r->dp.pin_dir, r->cfg && r->cfg->keep_pinned);
	r->commands_fd = -1;
	gtpc_stats_close(&r->stats, r->cfg && r->cfg->keep_pinned);
	gtpc_datapath_close(&r->dp);
	memset(&r->dp, 0, sizeof(r->dp));
	r->dp.link_fd = -1;
	gtpc_link_watch_reset(&r->links);
}

static void close_run(struct run *r)
{
	close_attachment(r);
	gtpc_link_watch_close(&r->links);
	gtpc_events_close(&r->events);
	if (r->policy && r->policy != &r->first_policy)
		policy_free(r->policy);
	if (r->have_model)
		gtpc_model_free(&r->model);
	if (r->window_log)
		fclose(r->window_log);
	if (r->summary)
		fclose(r->summary);
	gtpc_config_free(r->cfg);
	gtpc_instance_unlock(&r->instance);
}

/* After a deletion, with on_interface_gone: reattach: the attachment's
 * books are closed; wait for interfaces of the names to exist again. */
static int wait_for_return(struct run *r)
{
	const char *names[2] = { r->cfg->interface, r->cfg->forward.egress };
	unsigned n = gtpc_config_forwards(r->cfg) ? 2 : 1;

	pr_info("waiting for %s to return, to attach again (on_interface_gone: reattach)\n", r->gone);
	sd_notifyf(0, "STATUS=waiting for %s to return", r->gone);
	return gtpc_link_wait_for(&r->links, names, n, &stop_requested);
}

int gtpc_run(const struct gtpc_run_opts *o)
{
	struct run r = { 0 };
	char err[512] = "";
	int ok = 0;

	if (getrandom(&gtpc_hash_seed, sizeof(gtpc_hash_seed), 0) != sizeof(gtpc_hash_seed))
		gtpc_hash_seed = gtpc_now_ns() * 0x9e3779b97f4a7c15ULL;

	r.dp.link_fd = -1;
	r.instance.fd = -1;
	r.stats.fd = -1;
	r.commands_fd = -1;
	r.links.fd = -1;
	handle_signals();
	if (prepare(&r, o, err, sizeof(err)) || gtpc_link_watch_open(&r.links, err, sizeof(err))) {
		if (err[0])
			pr_err("%s\n", err);
		close_run(&r);
		return 1;
	}
	for (;;) {
		int final;

		r.gone = NULL;
		if (start(&r, o, err, sizeof(err))) {
			if (err[0])
				pr_err("%s\n", err);
			close_run(&r);
			return 1;
		}
		r.attachments++;
		if (r.cfg->mode == GTPC_MODE_KERNEL)
			pr_info("running on %s, classifying in the kernel; Ctrl-C to stop\n", r.cfg->interface);
		else
			pr_info("running on %s with %u worker%s; Ctrl-C to stop\n", r.cfg->interface,
				r.cfg->workers_count, r.cfg->workers_count == 1 ? "" : "s");
		sd_notifyf(0, "READY=1\nSTATUS=classifying on %s", r.cfg->interface);
		loop(&r, o->duration_s);
		final = !r.gone || r.cfg->on_interface_gone == GTPC_GONE_EXIT || stop_requested;
		if (final)
			sd_notify(0, "STOPPING=1");
		else
			pr_info("the books of this attachment, closed as %s went:\n", r.gone);
		ok = finish(&r, final);
		if (!ok)
			pr_err("the totals do not balance: packets or frames are unaccounted for\n");
		close_attachment(&r);
		if (final)
			break;
		if (wait_for_return(&r)) {
			r.gone = NULL; /* stopped while waiting: an ordinary stop */
			break;
		}
		pr_info("%s is back: attaching again\n", r.gone);
	}
	if (r.gone && r.cfg->on_interface_gone == GTPC_GONE_EXIT)
		pr_err("stopping (exit %d, on_interface_gone: exit) so that a supervisor starts gtpclass again\n",
		       GTPC_EXIT_INTERFACE_GONE);
	close_run(&r);
	if (r.gone)
		return GTPC_EXIT_INTERFACE_GONE;
	return ok ? 0 : GTPC_EXIT_UNBALANCED;
}

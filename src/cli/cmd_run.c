/* gtpclass run: attach, classify, print per-queue statistics each interval,
 * and on SIGINT/SIGTERM detach and print totals that add up. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "config/config.h"
#include "daemon/datapath.h"
#include "engine/engine_setup.h"
#include "daemon/kernel_mode.h"
#include "util/log.h"
#include "util/names.h"
#include "io/pcap_out.h"
#include "daemon/run_totals.h"
#include "util/util.h"
#include "io/window_csv.h"
#include "daemon/worker.h"

struct run {
	struct gtpc_config *cfg;
	struct gtpc_model model;
	struct gtpc_engine_setup setup;
	struct gtpc_datapath dp;
	struct gtpc_worker *workers;
	unsigned n_workers;
	FILE *window_log;
	const char *summary_path;
	int null_mode;
	const char *pcap_out;
	void *dumpers[64];
	struct gtpc_kmode *kmode; /* kernel mode */
	struct gtpc_counters base; /* counters at start: pinned maps may carry old counts */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* One capture per worker (pcap writers are not shared between threads):
 * FILE for a single worker, FILE.qN otherwise. */
static int open_dump(struct run *r, unsigned i, char *err, size_t errlen)
{
	char path[512];

	if (r->n_workers == 1)
		snprintf(path, sizeof(path), "%s", r->pcap_out);
	else
		snprintf(path, sizeof(path), "%s.q%u", r->pcap_out, r->cfg->workers[i].queue);
	r->dumpers[i] = gtpc_pcap_dump_open(path, err, errlen);
	return r->dumpers[i] ? 0 : -EIO;
}

static int open_workers(struct run *r, char *err, size_t errlen)
{
	unsigned i;
	int rc;

	r->workers = calloc(r->n_workers, sizeof(*r->workers));
	if (!r->workers)
		return -ENOMEM;
	for (i = 0; i < r->n_workers; i++) {
		struct gtpc_worker *w = &r->workers[i];

		w->cfg = r->cfg;
		w->wc = &r->cfg->workers[i];
		w->model = &r->model;
		w->verdicts_fd = r->dp.verdicts_fd;
		w->parse_opts = gtpc_config_parse_opts(r->cfg);
		w->null_mode = r->null_mode;
		if (r->pcap_out && (rc = open_dump(r, i, err, errlen)))
			return rc;
		w->pcap_out = r->dumpers[i];
		w->window_log = r->window_log;
		w->xsk.fd = -1;
		rc = gtpc_engine_init(&w->engine, &r->setup.cfg, &(struct gtpc_engine_ops){ 0 }, w);
		if (rc) {
			snprintf(err, errlen, "cannot allocate the UE table of %u UEs", r->cfg->classifier.max_ues);
			return rc;
		}
		rc = gtpc_xsk_open(&w->xsk, r->cfg, w->wc, r->dp.xsks_fd, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

static int run_open(struct run *r, char *err, size_t errlen)
{
	unsigned i;
	int rc;

	rc = gtpc_config_check_system(r->cfg, err, errlen);
	if (!rc)
		rc = gtpc_engine_setup_load(&r->setup, r->cfg, &r->model, 1, err, errlen);
	if (rc)
		return rc;
	rc = gtpc_datapath_load(&r->dp, r->cfg, err, errlen);
	if (rc)
		return rc;
	gtpc_datapath_read(&r->dp, &r->base);
	if (r->cfg->mode == GTPC_MODE_KERNEL) {
		r->kmode = calloc(1, sizeof(*r->kmode));
		if (!r->kmode)
			return -ENOMEM;
		r->kmode->window_log = r->window_log;
		rc = gtpc_kmode_open(r->kmode, &r->dp, &r->model, &r->setup, err, errlen);
		return rc ? rc : gtpc_datapath_attach(&r->dp, r->cfg, err, errlen);
	}
	r->n_workers = r->cfg->workers_count;
	rc = open_workers(r, err, errlen);
	if (!rc)
		rc = gtpc_datapath_attach(&r->dp, r->cfg, err, errlen);
	for (i = 0; !rc && i < r->n_workers; i++)
		rc = gtpc_worker_start(&r->workers[i], err, errlen);
	return rc;
}

static uint64_t fate_sum(const struct gtpc_counters *c, int from, int to)
{
	uint64_t s = 0;
	int i;

	for (i = from; i < to; i++)
		s += c->c[i];
	return s;
}

static void counters_delta(const struct run *r, struct gtpc_counters *now)
{
	int i;

	gtpc_datapath_read(&r->dp, now);
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		now->c[i] -= r->base.c[i];
	for (i = 0; i < GTPC_EV__COUNT; i++)
		now->ev[i] -= r->base.ev[i];
}

static void print_interval(struct run *r, struct gtpc_worker_stats *prev, struct gtpc_counters *prev_dp,
			   double secs)
{
	struct gtpc_counters dp;
	unsigned i;

	counters_delta(r, &dp);
	printf("xdp: redirected %.0f/s passed %.0f/s dropped %.0f/s malformed %.0f/s\n",
	       (dp.c[GTPC_CNT_REDIRECTED] - prev_dp->c[GTPC_CNT_REDIRECTED]) / secs,
	       (fate_sum(&dp, GTPC_CNT_PASS_NOT_GTPU, GTPC_CNT_DROP_VERDICT) -
		fate_sum(prev_dp, GTPC_CNT_PASS_NOT_GTPU, GTPC_CNT_DROP_VERDICT)) / secs,
	       (dp.c[GTPC_CNT_DROP_VERDICT] - prev_dp->c[GTPC_CNT_DROP_VERDICT]) / secs,
	       (fate_sum(&dp, GTPC_CNT_MALFORMED_BASE, GTPC_CNT__COUNT) -
		fate_sum(prev_dp, GTPC_CNT_MALFORMED_BASE, GTPC_CNT__COUNT)) / secs);
	*prev_dp = dp;
	if (r->kmode) {
		uint64_t st[4];

		gtpc_kmode_stats(r->kmode, st);
		printf("kernel: windows classified %" PRIu64 " | UEs new %" PRIu64 ", untracked %" PRIu64
		       " | events lost %" PRIu64 "\n", st[1], st[3], st[0], st[2]);
	}
	for (i = 0; i < r->n_workers; i++) {
		struct gtpc_worker *w = &r->workers[i];
		struct gtpc_worker_stats s;
		struct xdp_statistics xs;

		gtpc_worker_snapshot(w, &s);
		gtpc_xsk_stats(&w->xsk, &xs);
		printf("q%u cpu%u: rx %.0f pps | ues %" PRIu64 " | windows %.0f/s | drop verdicts %" PRIu64
		       " | ring_full %llu fill_empty %llu invalid %llu dropped %llu\n",
		       w->wc->queue, w->wc->cpu, (s.rx - prev[i].rx) / secs, s.ues, (s.windows - prev[i].windows) / secs,
		       s.verdicts_drop, (unsigned long long)xs.rx_ring_full,
		       (unsigned long long)xs.rx_fill_ring_empty_descs, (unsigned long long)xs.rx_invalid_descs,
		       (unsigned long long)xs.rx_dropped);
		prev[i] = s;
	}
	fflush(stdout);
}

static void run_loop(struct run *r, double duration)
{
	struct gtpc_worker_stats *prev = calloc(r->n_workers, sizeof(*prev));
	struct gtpc_counters prev_dp = { 0 };
	uint64_t start = gtpc_now_ns(), last = start;
	struct timespec ts = { 0, 20 * 1000000L };

	uint64_t last_sweep = start;

	while (!stop_requested && prev) {
		uint64_t now;

		if (r->kmode)
			gtpc_kmode_poll(r->kmode, 20);
		else
			nanosleep(&ts, NULL);
		now = gtpc_now_ns();
		if (r->kmode && now - last_sweep >= 1000000000ULL) {
			gtpc_kmode_sweep(r->kmode, now);
			last_sweep = now;
		}
		if (duration > 0 && now - start >= (uint64_t)(duration * 1e9))
			break;
		if (now - last < (uint64_t)r->cfg->stats_interval_ms * 1000000ULL)
			continue;
		print_interval(r, prev, &prev_dp, (now - last) / 1e9);
		last = now;
	}
	free(prev);
}



/* Kernel mode has no workers: the datapath's outcomes and the program's
 * classification counts. */
static void kernel_totals(struct run *r)
{
	struct gtpc_counters dp;
	FILE *sum = r->summary_path ? fopen(r->summary_path, "w") : NULL;
	uint64_t seen = 0;
	int i;

	counters_delta(r, &dp);
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		seen += dp.c[i];
	printf("totals:\n  packets seen by XDP %" PRIu64 "\n", seen);
	for (i = 0; i < GTPC_CNT__COUNT; i++)
		if (dp.c[i] || i < GTPC_CNT_MALFORMED_BASE)
			printf("    %-28s %" PRIu64 "\n", gtpc_counter_name((unsigned)i), dp.c[i]);
	if (sum) {
		fprintf(sum, "seen=%" PRIu64 "\n", seen);
		for (i = 0; i < GTPC_CNT__COUNT; i++)
			fprintf(sum, "%s=%" PRIu64 "\n", gtpc_counter_name((unsigned)i), dp.c[i]);
	}
	gtpc_kmode_totals(r->kmode, sum);
	if (sum)
		fclose(sum);
}

static void run_close(struct run *r, int print)
{
	unsigned i;

	gtpc_datapath_detach(&r->dp);
	for (i = 0; r->workers && i < r->n_workers; i++)
		gtpc_worker_stop(&r->workers[i]);
	if (print && r->workers)
		gtpc_run_totals(&r->dp, &r->base, r->workers, r->n_workers, &r->model, r->summary_path);
	if (print && r->kmode)
		kernel_totals(r);
	if (r->kmode)
		gtpc_kmode_close(r->kmode);
	free(r->kmode);
	for (i = 0; r->workers && i < r->n_workers; i++) {
		gtpc_xsk_close(&r->workers[i].xsk);
		gtpc_engine_free(&r->workers[i].engine);
	}
	free(r->workers);
	for (i = 0; i < 64; i++)
		gtpc_pcap_dump_close(r->dumpers[i]);
	gtpc_datapath_close(&r->dp);
	gtpc_model_free(&r->model);
	if (r->window_log)
		fclose(r->window_log);
	gtpc_config_free(r->cfg);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gtpclass run -c FILE [options]\n"
		   "  -c, --config FILE       configuration (conf/gtpclass.yaml)\n"
		   "  -i, --interface NAME    override the config's interface\n"
		   "  -m, --mode MODE         afxdp or kernel: override the config's mode\n"
		   "  -d, --duration SEC      stop after SEC seconds (default: until SIGINT/SIGTERM)\n"
		   "  -w, --windows FILE      write one CSV row per classified window\n"
		   "  -s, --summary FILE      write the final totals as name=value lines\n"
		   "      --null-worker       receive and recycle only (the benchmark's baseline)\n"
		   "      --pcap-out FILE     record received frames with their XDP timestamps (validation;\n"
		   "                          FILE.qN per worker when there are several)\n"
		   "  -v, --verbose           debug messages, including libbpf's\n"
		   "  -h, --help\n");
}

int gtpc_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, 0, 'c' }, { "interface", required_argument, 0, 'i' },
		{ "mode", required_argument, 0, 'm' },
		{ "duration", required_argument, 0, 'd' }, { "windows", required_argument, 0, 'w' },
		{ "summary", required_argument, 0, 's' }, { "verbose", no_argument, 0, 'v' },
		{ "null-worker", no_argument, 0, 1 }, { "pcap-out", required_argument, 0, 2 }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	const char *cfg_path = NULL, *ifname = NULL, *wlog = NULL, *mode = NULL;
	struct run r = { 0 };
	double duration = 0;
	char err[512] = "";
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "c:i:m:d:w:s:vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': cfg_path = optarg; break;
		case 'i': ifname = optarg; break;
		case 'm': mode = optarg; break;
		case 'd': duration = atof(optarg); break;
		case 'w': wlog = optarg; break;
		case 's': r.summary_path = optarg; break;
		case 'v': gtpc_log_level = GTPC_LOG_DEBUG; break;
		case 1: r.null_mode = 1; break;
		case 2: r.pcap_out = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!cfg_path) {
		usage(stderr);
		return 2;
	}
	gtpc_log_route_libs();
	rc = gtpc_config_load(cfg_path, &r.cfg, err, sizeof(err));
	if (rc) {
		pr_err("%s\n", err);
		return 1;
	}
	if (mode && strcmp(mode, "afxdp") && strcmp(mode, "kernel")) {
		pr_err("--mode: '%s' is not afxdp or kernel\n", mode);
		gtpc_config_free(r.cfg);
		return 2;
	}
	if (mode)
		r.cfg->mode = strcmp(mode, "kernel") ? GTPC_MODE_AFXDP : GTPC_MODE_KERNEL;
	if (ifname) {
		free(r.cfg->interface);
		r.cfg->interface = strdup(ifname);
	}
	if (wlog) {
		r.window_log = fopen(wlog, "w");
		if (!r.window_log) {
			pr_err("%s: %s\n", wlog, strerror(errno));
			gtpc_config_free(r.cfg);
			return 1;
		}
		if (r.cfg->mode == GTPC_MODE_AFXDP)
			gtpc_window_csv_header(r.window_log, NULL);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = run_open(&r, err, sizeof(err));
	if (rc) {
		pr_err("%s\n", err);
		run_close(&r, 0);
		return 1;
	}
	if (r.kmode)
		pr_info("running on %s, classifying in the kernel; Ctrl-C to stop\n", r.cfg->interface);
	else
		pr_info("running on %s with %u worker%s; Ctrl-C to stop\n", r.cfg->interface, r.n_workers,
			r.n_workers == 1 ? "" : "s");
	run_loop(&r, duration);
	run_close(&r, 1);
	return 0;
}

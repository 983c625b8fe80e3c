/* gtpclass features: replays a capture through the workers' parser, UE
 * table and window code, with the capture's timestamps, and writes one CSV
 * row per closed window (every vocabulary feature, the model's class when a
 * model is given, the ground-truth label when a labels file is given). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/config.h"
#include "engine/engine_setup.h"
#include "util/log.h"
#include "io/pcap_in.h"
#include "io/window_csv.h"

#define MAX_LABELS 65536

struct features_run {
	FILE *out;
	int integers; /* the kernel mode's integer features */
	const struct gtpc_model *model;
	char (*keys)[64];
	char (*labels)[32];
	unsigned n_labels;
	uint64_t rows;
};

/* Ground truth from `gen -l`: "ue,teid,class". The key column matching
 * the classifier's key mode is used. A line that is not that is an error
 * naming it: labels silently missing would make an evaluation lie. */
static int load_labels(struct features_run *f, const char *path, int key_mode)
{
	FILE *in = fopen(path, "r");
	char line[256];
	int lineno = 0;

	if (!in) {
		pr_err("%s: %s\n", path, strerror(errno));
		return -errno;
	}
	f->keys = calloc(MAX_LABELS, sizeof(*f->keys));
	f->labels = calloc(MAX_LABELS, sizeof(*f->labels));
	if (!f->keys || !f->labels) {
		fclose(in);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), in) && f->n_labels < MAX_LABELS) {
		char ue[64], teid[64], prof[32], rest;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == 0 || !strncmp(line, "ue,", 3))
			continue;
		line[strcspn(line, "\r\n")] = 0;
		if (sscanf(line, "%63[^,],%63[^,],%31[^,]%c", ue, teid, prof, &rest) != 3) {
			pr_err("%s:%d: '%.60s' is not ue,teid,class (as `gtpclass gen -l` writes)\n", path, lineno, line);
			fclose(in);
			return -EINVAL;
		}
		snprintf(f->keys[f->n_labels], 64, "%s", key_mode == GTPC_KEY_TEID ? teid : ue);
		snprintf(f->labels[f->n_labels++], 32, "%s", prof);
	}
	fclose(in);
	if (!f->n_labels) {
		pr_err("%s: no labels in it\n", path);
		return -EINVAL;
	}
	return 0;
}

static const char *label_of(const struct features_run *f, const char *key)
{
	unsigned i;

	for (i = 0; i < f->n_labels; i++)
		if (!strcmp(f->keys[i], key))
			return f->labels[i];
	return NULL;
}

static void on_window(void *ctx, const struct gtpc_window_event *ev)
{
	struct features_run *f = ctx;
	char key[128];

	gtpc_key_str(ev->key, key, sizeof(key));
	if (f->integers)
		gtpc_window_csv_row_int(f->out, ev, f->model, label_of(f, key));
	else
		gtpc_window_csv_row(f->out, ev, f->model, label_of(f, key));
	f->rows++;
}

/* Time never runs backwards for the engine: a frame stamped before the one
 * it follows (a capture merged out of order, a clock step) is taken at the
 * previous time, and counted. */
static int replay(pcap_t *pc, struct gtpc_engine *e, unsigned popts, uint64_t *n_pkts, uint64_t *backwards)
{
	const uint8_t *data;
	uint64_t ts = 0, last = 0;
	uint32_t len, wire;
	int rc;

	while ((rc = gtpc_pcap_next(pc, &data, &len, &wire, &ts)) == 1) {
		struct gtpc_pkt p;

		if (ts < last) {
			ts = last;
			(*backwards)++;
		}
		last = ts;
		if (gtpc_parse_frame(data, data + len, data + wire, popts, &p) == GTPC_OUT_GPDU) {
			gtpc_engine_packet(e, &p, ts);
			(*n_pkts)++;
		}
		gtpc_engine_tick(e, ts);
	}
	gtpc_engine_flush(e, ts);
	return rc;
}

int gtpc_cmd_features(int argc, char **argv)
{
	const char *cfg_path = NULL, *model_path = NULL, *labels = NULL, *out = NULL;
	struct features_run f = { .out = stdout };
	struct gtpc_engine_setup setup;
	struct gtpc_engine_ops ops = { .on_window = on_window };
	struct gtpc_config *cfg = NULL;
	struct gtpc_model model;
	struct gtpc_engine e;
	int first, rc = 1, have_model = 0;
	uint64_t n_pkts = 0;
	char err[512];
	pcap_t *pc;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("config", 'c', &cfg_path, "FILE",
				"classifier settings (key, window, idle timeout, model) from a config"),
		GTPC_OPT_STRING("model", 'm', &model_path, "FILE", "a model manifest: adds its class to each row"),
		GTPC_OPT_STRING("labels", 'l', &labels, "FILE", "ground truth from `gtpclass gen -l`: adds a label column"),
		GTPC_OPT_STRING("output", 'o', &out, "FILE", "CSV output (default: standard output)"),
		GTPC_OPT_BOOL("kernel", 'k', &f.integers, "the in-kernel mode's integer features (floor of value x scale)"),
	};
	const struct gtpc_cmd_spec spec = {
		"features", "FILE.pcap [options]",
		"Replay a capture through the workers' window code: one CSV row per window.", opts,
		sizeof(opts) / sizeof(opts[0]), 1, 1,
	};

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	rc = 1;
	argv += first;
	if (gtpc_config_load(cfg_path ? cfg_path : "conf/gtpclass.yaml", &cfg, err, sizeof(err))) {
		pr_err("%s\n", err);
		return 1;
	}
	if (model_path) {
		free(cfg->classifier.model);
		cfg->classifier.model = realpath(model_path, NULL);
	}
	if (model_path || cfg_path) {
		if (gtpc_engine_setup_load(&setup, cfg, &model, 0, err, sizeof(err))) {
			pr_err("%s\n", err);
			goto out_cfg;
		}
		have_model = 1;
	} else {
		gtpc_engine_setup(&setup, cfg, NULL, 0, err, sizeof(err));
	}
	if (labels && load_labels(&f, labels, cfg->classifier.key)) {
		goto out_model;
	}
	pc = gtpc_pcap_open(argv[0], err, sizeof(err));
	if (!pc) {
		pr_err("%s\n", err);
		goto out_model;
	}
	if (out && !(f.out = fopen(out, "w"))) {
		pr_err("%s: %s\n", out, strerror(errno));
		pcap_close(pc);
		goto out_model;
	}
	f.model = have_model ? &model : NULL;
	setup.cfg.max_ues = 1u << 20;
	/* Offline nothing is dropped: every window of every UE is wanted. */
	memset(setup.cfg.rules.class_act, 0, sizeof(setup.cfg.rules.class_act));
	if (gtpc_engine_init(&e, &setup.cfg, &ops, &f) == 0) {
		gtpc_window_csv_header(f.out, f.model);
		uint64_t backwards = 0;

		rc = replay(pc, &e, gtpc_config_parse_opts(cfg) | gtpc_key_parse_opts(setup.cfg.key_mode), &n_pkts,
			    &backwards) < 0 ? 1 : 0;
		fprintf(stderr, "features: %" PRIu64 " G-PDUs, %" PRIu64 " windows, %u UE entries (an idle UE that returns is a new entry)\n", n_pkts, f.rows,
			(unsigned)e.cnt.c[GTPC_CL_UES_NEW]);
		if (backwards)
			pr_warn("features: %" PRIu64 " frames were stamped before the frame they follow; taken at the "
				"previous time (sort the capture: reordercap)\n", backwards);
		gtpc_engine_free(&e);
	}
	if (out)
		fclose(f.out);
	pcap_close(pc);
out_model:
	if (have_model)
		gtpc_model_free(&model);
	free(f.keys);
	free(f.labels);
out_cfg:
	gtpc_config_free(cfg);
	return rc;
}

/* gtpclass model import|inspect|check: emlearn models in, manifests out,
 * and proof that a model predicts what it should. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "gtpc/key.h"
#include "util/log.h"
#include "model/model.h"
#include "model/model_import.h"
#include "util/names.h"

#define KEY_WORD(word, mode) word,
static const char *const key_words[] = { GTPC_KEY_MODE_NAMES(KEY_WORD) NULL };

/* Copies a comma-separated list into names[0..max); refuses a longer one. */
static int split_names(const char *list, const char *what, int max, char (*names)[32])
{
	char buf[1024], *save = NULL, *tok;
	int i;

	snprintf(buf, sizeof(buf), "%s", list);
	for (i = 0, tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), i++) {
		if (i >= max) {
			pr_err("--%s names more than the model's %d %s\n", what, max, what);
			return -EINVAL;
		}
		snprintf(names[i], sizeof(names[i]), "%s", tok);
	}
	return 0;
}

/* Fills names from comma-separated lists, or f0.. / 0.. when absent. */
static int name_model(struct gtpc_model *m, const char *features, const char *classes)
{
	/* A forest may have more features than a model can name and serve. */
	int n_feat = m->forest.n_features < GTPC_MAX_FEATURES ? m->forest.n_features : GTPC_MAX_FEATURES;
	int i, rc;

	gtpc_model_default_names(m);
	if (features) {
		rc = split_names(features, "features", n_feat, m->feature_names);
		if (rc)
			return rc;
		for (i = 0; i < n_feat; i++)
			m->feature_ids[i] = gtpc_feature_lookup(m->feature_names[i]);
	}
	if (classes)
		return split_names(classes, "classes", m->n_classes, m->class_names);
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	const char *out = NULL, *features = NULL, *classes = NULL;
	int key = -1, first, rc;
	struct gtpc_model m;
	uint32_t window = 0;
	char err[512];
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("output", 'o', &out, "NAME", "write NAME.yaml (the manifest) and NAME.csv (required)"),
		GTPC_OPT_STRING("features", 'f', &features, "A,B", "feature names in the model's order (default f0, f1, ...)"),
		GTPC_OPT_STRING("classes", 'c', &classes, "X,Y", "class names in the model's order (default 0, 1, ...)"),
		GTPC_OPT_NUMBER(GTPC_OPT_U32, "window-ms", 'w', &window, "N", 1, 3600000, "the window it was trained on"),
		GTPC_OPT_CHOICE("key", 'k', &key, "KEY", key_words, "ue, flow or teid: the key it was trained with"),
	};
	const struct gtpc_cmd_spec spec = {
		"model import", "FILE -o NAME [options]",
		"Import an emlearn model: inline C (float or integer dtype), loadable C, or CSV.", opts,
		sizeof(opts) / sizeof(opts[0]), 1, 1,
	};

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	if (!out) {
		pr_err("model import: --output is required\n");
		return 2;
	}
	argv += first;
	memset(&m, 0, sizeof(m));
	rc = gtpc_import_file(argv[0], &m.forest, err, sizeof(err));
	if (rc) {
		pr_err("%s\n", err);
		return 1;
	}
	if (m.forest.n_features > GTPC_MAX_FEATURES) {
		pr_err("%s: %d features, at most %d\n", argv[0], m.forest.n_features, GTPC_MAX_FEATURES);
		gtpc_model_free(&m);
		return 1;
	}
	rc = name_model(&m, features, classes);
	m.window_ms = window;
	if (key >= 0)
		m.key_mode = key;
	if (!rc && (rc = gtpc_model_save(&m, out, err, sizeof(err))))
		pr_err("%s\n", err);
	if (!rc)
		printf("imported %s: %d trees, %d nodes, %d features, %d classes -> %s.yaml, %s.csv\n", argv[0],
		       m.forest.n_trees, m.forest.n_nodes, m.forest.n_features, m.forest.n_classes, out, out);
	gtpc_model_free(&m);
	return rc ? 1 : 0;
}

static int tree_depth(const struct gtpc_forest *f, int32_t node)
{
	int l, r;

	if (node < 0)
		return 0;
	l = tree_depth(f, f->nodes[node].left);
	r = tree_depth(f, f->nodes[node].right);
	return 1 + (l > r ? l : r);
}

static int tree_nodes(const struct gtpc_forest *f, int32_t node)
{
	return node < 0 ? 0 : 1 + tree_nodes(f, f->nodes[node].left) + tree_nodes(f, f->nodes[node].right);
}

static int cmd_inspect(int argc, char **argv)
{
	struct gtpc_model m;
	char err[512];
	int i;

	const struct gtpc_cmd_spec spec = {
		"model inspect", "MODEL", "Describe a model: a manifest or an emlearn file.", NULL, 0, 1, 1,
	};
	int first, rc = gtpc_opts_parse(&spec, argc, argv, &first);

	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	argv += first - 1;
	if (gtpc_model_load(argv[1], &m, err, sizeof(err))) {
		const char *dot = strrchr(argv[1], '.');
		struct gtpc_forest f;

		/* A manifest or a CSV that failed: its own error is the one to give. */
		if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".csv"))) {
			pr_err("%s\n", err);
			return 1;
		}
		/* Otherwise maybe emlearn C. */
		if (gtpc_import_file(argv[1], &f, err, sizeof(err))) {
			pr_err("%s\n", err);
			return 1;
		}
		memset(&m, 0, sizeof(m));
		m.forest = f;
		name_model(&m, NULL, NULL);
	}
	printf("%s: %d trees, %d decision nodes, %d leaves, max depth %d\n", argv[1], m.forest.n_trees,
	       m.forest.n_nodes, m.forest.n_leaves, m.forest.max_depth);
	printf("features (%d):", m.n_features);
	for (i = 0; i < m.n_features; i++)
		printf(" %s", m.feature_names[i]);
	printf("\nclasses (%d):", m.n_classes);
	for (i = 0; i < m.n_classes; i++)
		printf(" %d=%s", i, m.class_names[i]);
	printf("\n");
	if (m.window_ms)
		printf("window: %u ms\n", m.window_ms);
	for (i = 0; i < m.forest.n_trees; i++)
		printf("  tree %d: root %d, %d nodes, depth %d\n", i, m.forest.roots[i], tree_nodes(&m.forest, m.forest.roots[i]),
		       tree_depth(&m.forest, m.forest.roots[i]));
	gtpc_model_free(&m);
	return 0;
}

/* Rows of cols comma-separated numbers; returns the count, or -1 with a
 * message naming the file and the line. */
static int read_rows(const char *path, float *rows, int max_rows, int cols, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0, lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (n < max_rows && fgets(line, sizeof(line), f)) {
		char *p = line, *end;
		int c;

		lineno++;
		if (line[strspn(line, " \t\r\n")] == 0)
			continue; /* a blank line, as a file's last often is */
		for (c = 0; c < cols; c++) {
			rows[(size_t)n * cols + c] = strtof(p, &end);
			if (end == p) {
				line[strcspn(line, "\r\n")] = 0;
				snprintf(err, errlen, "%s:%d: value %d of %d is missing or not a number ('%.40s')", path, lineno,
					 c + 1, cols, p);
				fclose(f);
				return -1;
			}
			p = end + (*end == ',');
		}
		n++;
	}
	fclose(f);
	return n;
}

static int cmd_check(int argc, char **argv)
{
	struct gtpc_model m;
	float *x = NULL, *y = NULL;
	int n, ny, i, agree = 0, max = 10000000;
	char err[512];

	const struct gtpc_cmd_spec spec = {
		"model check", "MODEL INPUTS.csv EXPECTED.csv",
		"Compare a model's predictions with expected classes; exits 1 on any disagreement.\n"
		"INPUTS: one row of feature values per line, in the model's order, no header.\n"
		"EXPECTED: one class index per line.",
		NULL, 0, 3, 3,
	};
	int first, rc = gtpc_opts_parse(&spec, argc, argv, &first);

	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	argv += first - 1;
	if (gtpc_model_load(argv[1], &m, err, sizeof(err))) {
		pr_err("%s\n", err);
		return 1;
	}
	x = malloc((size_t)max / 10 * (size_t)m.n_features * sizeof(float));
	y = malloc((size_t)max / 10 * sizeof(float));
	snprintf(err, sizeof(err), "out of memory");
	n = x ? read_rows(argv[2], x, max / 10, m.n_features, err, sizeof(err)) : -1;
	ny = n >= 0 && y ? read_rows(argv[3], y, max / 10, 1, err, sizeof(err)) : -1;
	if (n >= 0 && ny >= 0 && n != ny)
		snprintf(err, sizeof(err), "%s has %d rows, %s has %d: one expected class per input row", argv[2], n,
			 argv[3], ny);
	if (n < 0 || ny < 0 || n != ny) {
		pr_err("model check: %s\n", err);
		free(x);
		free(y);
		gtpc_model_free(&m);
		return 1;
	}
	for (i = 0; i < n; i++) {
		int p = gtpc_forest_predict(&m.forest, x + (size_t)i * m.n_features);

		if (p == (int)y[i])
			agree++;
		else if (n - agree <= 5)
			printf("row %d: predicted %d, expected %d\n", i + 1, p, (int)y[i]);
	}
	printf("%d of %d rows agree\n", agree, n);
	free(x);
	free(y);
	gtpc_model_free(&m);
	return agree == n ? 0 : 1;
}

int gtpc_cmd_model(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "inspect"))
		return cmd_inspect(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
		pr_err("model: unknown subcommand '%s'\n", argv[1]);
		return 2;
	}
	printf("usage: gtpclass model import|inspect|check ...   (each with --help)\n");
	return argc >= 2 ? 0 : 2;
}

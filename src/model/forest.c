/* emlearn CSV forests: parsing, validation and float evaluation.
 *
 * Format (emlearn's trees.py): "f,<features>", "c,<classes>", "lb,<leaf
 * bits>", "l,<leaf value>" per leaf, "r,<root>" per tree and
 * "n,<feature>,<threshold>,<left>,<right>" per decision node, where a child
 * >= 0 is a jump relative to the node and < 0 is leaf -child-1. */
#include "model/forest.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* What a validation error is about: a line kind of the CSV ('n' node,
 * 'r' root, 'l' leaf, 'f' the counts) and its index among those lines, so
 * that the loader can name the line. */
struct fault {
	char kind;
	int index;
};

static int validate(struct gtpc_forest *f, char *err, size_t errlen, struct fault *ft);
static void locate(const char *text, const char *name, const struct fault *ft, char *err, size_t errlen);

struct csv_parse {
	struct gtpc_forest *f;
	int cap_nodes, cap_roots, cap_leaves;
	int line;
	const char *name;
	char *err;
	size_t errlen;
};

static int perr(struct csv_parse *cp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct csv_parse *cp, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(cp->err, cp->errlen, "%s:%d: ", cp->name, cp->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < cp->errlen)
		vsnprintf(cp->err + n, cp->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int grow(void **arr, int *cap, int need, size_t elem)
{
	void *p;
	int ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Splits a line on commas into at most max fields. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *save = NULL, *tok;

	for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return max + 1;
		fields[n++] = tok;
	}
	return n;
}

static int parse_node(struct csv_parse *cp, char **fld, int nf)
{
	struct gtpc_forest *f = cp->f;
	long feature, left, right;
	double thr;
	struct gtpc_node *n;

	if (nf != 5)
		return perr(cp, "node line needs 4 values, has %d", nf - 1);
	if (gtpc_parse_long(fld[1], &feature) || gtpc_parse_double(fld[2], &thr) ||
	    gtpc_parse_long(fld[3], &left) || gtpc_parse_long(fld[4], &right))
		return perr(cp, "node line has a value that is not a number");
	if (!isfinite(thr))
		return perr(cp, "threshold '%s' is not finite", fld[2]);
	if (feature < 0 || feature >= GTPC_FOREST_MAX_FEATURES)
		return perr(cp, "feature index %ld out of range", feature);
	if (left < -100000000 || left > 100000000 || right < -100000000 || right > 100000000)
		return perr(cp, "child out of range");
	if (grow((void **)&f->nodes, &cp->cap_nodes, f->n_nodes + 1, sizeof(*f->nodes)))
		return -ENOMEM;
	n = &f->nodes[f->n_nodes];
	n->feature = (int32_t)feature;
	n->threshold = (float)thr;
	/* Relative jumps become absolute indices; range is checked later. */
	n->left = left >= 0 ? f->n_nodes + (int32_t)left : (int32_t)left;
	n->right = right >= 0 ? f->n_nodes + (int32_t)right : (int32_t)right;
	if (left == 0 || right == 0)
		return perr(cp, "node %d jumps to itself (a cycle)", f->n_nodes);
	f->n_nodes++;
	return 0;
}

static int parse_int_list(struct csv_parse *cp, char **fld, int nf, int32_t **arr,
			  int *count, int *cap, const char *what)
{
	long v;

	if (nf != 2 || gtpc_parse_long(fld[1], &v) || v < INT32_MIN || v > INT32_MAX)
		return perr(cp, "bad %s line", what);
	if (grow((void **)arr, cap, *count + 1, sizeof(**arr)))
		return -ENOMEM;
	(*arr)[(*count)++] = (int32_t)v;
	return 0;
}

static int parse_header(struct csv_parse *cp, char **fld, int nf, int *out, const char *what)
{
	long v;

	if (nf != 2 || gtpc_parse_long(fld[1], &v) || v < 0 || v > 1000000)
		return perr(cp, "bad %s line", what);
	*out = (int)v;
	return 0;
}

static int parse_line(struct csv_parse *cp, char *line)
{
	struct gtpc_forest *f = cp->f;
	char *fld[6];
	int nf, leaf_bits = 0;

	nf = split(line, fld, 5);
	if (nf == 0)
		return 0;
	if (nf > 5)
		return perr(cp, "too many fields");
	if (!strcmp(fld[0], "n"))
		return parse_node(cp, fld, nf);
	if (!strcmp(fld[0], "l"))
		return parse_int_list(cp, fld, nf, &f->leaves, &f->n_leaves, &cp->cap_leaves, "leaf");
	if (!strcmp(fld[0], "r"))
		return parse_int_list(cp, fld, nf, &f->roots, &f->n_trees, &cp->cap_roots, "root");
	if (!strcmp(fld[0], "f"))
		return parse_header(cp, fld, nf, &f->n_features, "feature count");
	if (!strcmp(fld[0], "c"))
		return parse_header(cp, fld, nf, &f->n_classes, "class count");
	if (!strcmp(fld[0], "lb")) {
		if (parse_header(cp, fld, nf, &leaf_bits, "leaf bits"))
			return -EINVAL;
		/* leaf_bits > 0 stores probabilities; gtpclass votes. */
		if (leaf_bits != 0)
			return perr(cp, "leaf_bits %d is not supported (only 0, class leaves)", leaf_bits);
		return 0;
	}
	return perr(cp, "unknown line type '%s'", fld[0]);
}

int gtpc_forest_parse_csv(const char *text, const char *name, struct gtpc_forest *f,
			  char *err, size_t errlen)
{
	struct csv_parse cp = { .f = f, .name = name, .err = err, .errlen = errlen };
	const char *p = text;
	char line[512];
	int rc = 0;

	memset(f, 0, sizeof(*f));
	f->n_features = -1;
	f->n_classes = -1;
	while (*p && !rc) {
		size_t len = strcspn(p, "\n");

		cp.line++;
		if (len >= sizeof(line)) {
			rc = perr(&cp, "line too long");
			break;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		rc = parse_line(&cp, line);
		p += len + (p[len] == '\n');
	}
	if (!rc && (f->n_features < 0 || f->n_classes < 0)) {
		snprintf(err, errlen, "%s: missing 'f' or 'c' line", name);
		rc = -EINVAL;
	}
	if (!rc) {
		struct fault ft = { 0, 0 };

		rc = validate(f, err, errlen, &ft);
		if (rc)
			locate(text, name, &ft, err, errlen);
	}
	if (rc)
		gtpc_forest_free(f);
	return rc;
}

int gtpc_forest_load_csv(const char *path, struct gtpc_forest *f, char *err, size_t errlen)
{
	char *text;
	int rc;

	text = gtpc_read_file(path, 64 << 20);
	if (!text) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	rc = gtpc_forest_parse_csv(text, path, f, err, errlen);
	free(text);
	return rc;
}

/* One pass in node order: children always lie after their parent (emlearn
 * only jumps forward; checked here), so a node's depth is known before its
 * children are met. A node with two parents is refused: no tree has one,
 * and walking such a graph path by path grows exponentially with its depth. */
static int fail_at(struct fault *ft, char kind, int index, int rc)
{
	ft->kind = kind;
	ft->index = index;
	return rc;
}

static int validate_shape(struct gtpc_forest *f, char *err, size_t errlen, struct fault *ft)
{
	uint8_t *depth = calloc((size_t)f->n_nodes + 1, 1);
	int i, k, rc = 0;

	if (!depth)
		return -ENOMEM;
	for (i = 0; i < f->n_trees && !rc; i++) {
		int32_t r = f->roots[i];

		if (r < 0)
			continue;
		if (r >= f->n_nodes) {
			snprintf(err, errlen, "tree %d: root %d beyond the %d nodes", i, r, f->n_nodes);
			rc = fail_at(ft, 'r', i, -EINVAL);
		} else if (depth[r]) {
			snprintf(err, errlen, "tree %d: root %d is already part of another tree", i, r);
			rc = fail_at(ft, 'r', i, -EINVAL);
		}
		if (!rc)
			depth[r] = 1;
	}
	for (i = 0; i < f->n_nodes && !rc; i++) {
		int32_t kids[2] = { f->nodes[i].left, f->nodes[i].right };

		if (!depth[i])
			continue; /* not reached from a root: never walked */
		if (depth[i] > f->max_depth)
			f->max_depth = depth[i];
		for (k = 0; k < 2 && !rc; k++) {
			int32_t c = kids[k];

			if (c < 0)
				continue;
			if (c >= f->n_nodes || c <= i) {
				snprintf(err, errlen, "node %d: child %d out of range or backwards", i, c);
				rc = fail_at(ft, 'n', i, -EINVAL);
			} else if (depth[c]) {
				snprintf(err, errlen, "node %d has two parents (node %d is one): not a tree", c, i);
				rc = fail_at(ft, 'n', i, -EINVAL);
			} else if (depth[i] >= GTPC_FOREST_MAX_DEPTH) {
				snprintf(err, errlen, "a tree is deeper than %d (at node %d)", GTPC_FOREST_MAX_DEPTH, c);
				rc = fail_at(ft, 'n', i, -E2BIG);
			} else {
				depth[c] = (uint8_t)(depth[i] + 1);
			}
		}
	}
	free(depth);
	return rc;
}

static int validate(struct gtpc_forest *f, char *err, size_t errlen, struct fault *ft)
{
	int i;

	if (f->n_trees == 0 || f->n_leaves == 0) {
		snprintf(err, errlen, "the forest has no trees or no leaves");
		return -EINVAL;
	}
	if (f->n_features < 1 || f->n_features > GTPC_FOREST_MAX_FEATURES ||
	    f->n_classes < 1 || f->n_classes > GTPC_FOREST_MAX_CLASSES) {
		snprintf(err, errlen, "%d features and %d classes: out of range", f->n_features, f->n_classes);
		return fail_at(ft, f->n_features < 1 || f->n_features > GTPC_FOREST_MAX_FEATURES ? 'f' : 'c', 0, -EINVAL);
	}
	for (i = 0; i < f->n_leaves; i++)
		if (f->leaves[i] < 0 || f->leaves[i] >= f->n_classes) {
			snprintf(err, errlen, "leaf %d: class %d, but there are %d classes", i, f->leaves[i], f->n_classes);
			return fail_at(ft, 'l', i, -EINVAL);
		}
	for (i = 0; i < f->n_nodes; i++) {
		const struct gtpc_node *n = &f->nodes[i];

		if (n->feature >= f->n_features) {
			snprintf(err, errlen, "node %d: feature %d, but there are %d features", i, n->feature, f->n_features);
			return fail_at(ft, 'n', i, -EINVAL);
		}
		if ((n->left < 0 && -n->left - 1 >= f->n_leaves) || (n->right < 0 && -n->right - 1 >= f->n_leaves)) {
			snprintf(err, errlen, "node %d: leaf beyond the %d leaves", i, f->n_leaves);
			return fail_at(ft, 'n', i, -EINVAL);
		}
	}
	f->max_depth = 0;
	for (i = 0; i < f->n_trees; i++)
		if (f->roots[i] < 0 && -f->roots[i] - 1 >= f->n_leaves) {
			snprintf(err, errlen, "tree %d: root leaf out of range", i);
			return fail_at(ft, 'r', i, -EINVAL);
		}
	return validate_shape(f, err, errlen, ft);
}

int gtpc_forest_validate(struct gtpc_forest *f, char *err, size_t errlen)
{
	struct fault ft = { 0, 0 };

	return validate(f, err, errlen, &ft);
}

/* The line of the index-th line of a kind in the CSV text, or 0. */
static int line_of(const char *text, char kind, int index)
{
	int line = 0, seen = 0;
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");

		line++;
		if (p[0] == kind && len > 1 && p[1] == ',' && seen++ == index)
			return line;
		p += len + (p[len] == '\n');
	}
	return 0;
}

/* A validation error, prefixed with the file and the line it is about. */
static void locate(const char *text, const char *name, const struct fault *ft, char *err, size_t errlen)
{
	char msg[512];
	int line = ft->kind ? line_of(text, ft->kind, ft->index) : 0;

	snprintf(msg, sizeof(msg), "%s", err);
	if (line)
		snprintf(err, errlen, "%s:%d: %s", name, line, msg);
	else
		snprintf(err, errlen, "%s: %s", name, msg);
}

int gtpc_forest_predict(const struct gtpc_forest *f, const float *x)
{
	int n;

	return gtpc_forest_vote(f, x, &n);
}

int gtpc_forest_vote(const struct gtpc_forest *f, const float *x, int *won)
{
	int votes[GTPC_FOREST_MAX_CLASSES];
	int t, c, best = 0;

	for (c = 0; c < f->n_classes; c++)
		votes[c] = 0;
	for (t = 0; t < f->n_trees; t++) {
		int32_t i = f->roots[t];

		while (i >= 0) {
			const struct gtpc_node *n = &f->nodes[i];

			i = x[n->feature] < n->threshold ? n->left : n->right;
		}
		votes[f->leaves[-i - 1]]++;
	}
	for (c = 1; c < f->n_classes; c++)
		if (votes[c] > votes[best])
			best = c;
	*won = f->n_classes ? votes[best] : 0;
	return best;
}

int gtpc_forest_save_csv(const struct gtpc_forest *f, const char *path)
{
	FILE *fp = fopen(path, "w");
	int i;

	if (!fp)
		return -errno;
	fprintf(fp, "f,%d\r\nc,%d\r\nlb,0\r\n", f->n_features, f->n_classes);
	for (i = 0; i < f->n_leaves; i++)
		fprintf(fp, "l,%d\r\n", f->leaves[i]);
	for (i = 0; i < f->n_trees; i++)
		fprintf(fp, "r,%d\r\n", f->roots[i]);
	for (i = 0; i < f->n_nodes; i++) {
		const struct gtpc_node *n = &f->nodes[i];

		/* %.9g round-trips a float exactly. */
		fprintf(fp, "n,%d,%.9g,%d,%d\r\n", n->feature, n->threshold,
			n->left >= 0 ? n->left - i : n->left, n->right >= 0 ? n->right - i : n->right);
	}
	return fclose(fp) ? -errno : 0;
}

void gtpc_forest_free(struct gtpc_forest *f)
{
	free(f->nodes);
	free(f->roots);
	free(f->leaves);
	memset(f, 0, sizeof(*f));
}

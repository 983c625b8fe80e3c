#include "model/model_import.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

int gtpc_model_format_of(const char *text)
{
	if (strstr(text, "EmlTreesNode"))
		return GTPC_FMT_LOADABLE_C;
	if (strstr(text, "_tree_") && strstr(text, "features["))
		return GTPC_FMT_INLINE_C;
	return GTPC_FMT_CSV;
}

/* A forest under construction: nodes in pre-order, leaves = classes. */
struct builder {
	struct gtpc_forest *f;
	int cap_nodes, cap_roots;
	int max_class, max_feature;
	const char *p; /* cursor in the text */
	const char *text;
	const char *name;
	char *err;
	size_t errlen;
};

static int line_of(const struct builder *b)
{
	const char *q;
	int line = 1;

	for (q = b->text; q < b->p; q++)
		line += *q == '\n';
	return line;
}

static int berr(struct builder *b, const char *what)
{
	snprintf(b->err, b->errlen, "%s:%d: %s", b->name, line_of(b), what);
	return -EINVAL;
}

static void skip_space(struct builder *b)
{
	while (*b->p && isspace((unsigned char)*b->p))
		b->p++;
}

/* Consumes tok after optional white space; 0 on success. */
static int expect(struct builder *b, const char *tok)
{
	size_t n = strlen(tok);

	skip_space(b);
	if (strncmp(b->p, tok, n))
		return -1;
	b->p += n;
	return 0;
}

static int number(struct builder *b, double *out)
{
	char *end;

	skip_space(b);
	*out = strtod(b->p, &end);
	if (end == b->p)
		return -1;
	b->p = end;
	if (*b->p == 'f' || *b->p == 'F' || *b->p == 'L' || *b->p == 'l')
		b->p++;
	return 0;
}

static int add_node(struct builder *b)
{
	struct gtpc_forest *f = b->f;

	if (f->n_nodes >= b->cap_nodes) {
		int ncap = b->cap_nodes ? 2 * b->cap_nodes : 256;
		void *n = realloc(f->nodes, (size_t)ncap * sizeof(*f->nodes));

		if (!n)
			return -ENOMEM;
		f->nodes = n;
		b->cap_nodes = ncap;
	}
	return f->n_nodes++;
}

/* stmt := "if" "(" "features" "[" INT "]" "<" NUM ")" "{" stmt "}" "else" "{" stmt "}"
 *       | "return" INT ";"
 * Returns the child encoding: a node index, or -class-1 for a leaf. */
static int parse_stmt(struct builder *b, int depth, int32_t *out)
{
	double feat, thr, cls;
	int32_t left, right;
	int idx, rc;

	if (depth > GTPC_FOREST_MAX_DEPTH)
		return berr(b, "tree deeper than the bound");
	if (!expect(b, "return")) {
		if (number(b, &cls) || expect(b, ";") || cls < 0 || cls >= GTPC_FOREST_MAX_CLASSES || cls != floor(cls))
			return berr(b, "expected 'return CLASS;'");
		if ((int)cls > b->max_class)
			b->max_class = (int)cls;
		*out = -(int32_t)cls - 1;
		return 0;
	}
	if (expect(b, "if") || expect(b, "(") || expect(b, "features") || expect(b, "[") || number(b, &feat) ||
	    expect(b, "]") || expect(b, "<") || number(b, &thr) || expect(b, ")") || expect(b, "{"))
		return berr(b, "expected 'if (features[K] < T) {'");
	if (feat < 0 || feat >= GTPC_FOREST_MAX_FEATURES || !isfinite(thr))
		return berr(b, "feature index or threshold out of range");
	idx = add_node(b);
	if (idx < 0)
		return idx;
	b->f->nodes[idx].feature = (int32_t)feat;
	b->f->nodes[idx].threshold = (float)thr;
	if ((int)feat > b->max_feature)
		b->max_feature = (int)feat;
	rc = parse_stmt(b, depth + 1, &left);
	if (rc)
		return rc;
	if (expect(b, "}") || expect(b, "else") || expect(b, "{"))
		return berr(b, "expected '} else {'");
	rc = parse_stmt(b, depth + 1, &right);
	if (rc)
		return rc;
	if (expect(b, "}"))
		return berr(b, "expected '}'");
	b->f->nodes[idx].left = left;
	b->f->nodes[idx].right = right;
	*out = idx;
	return 0;
}

static int add_root(struct builder *b, int32_t root)
{
	struct gtpc_forest *f = b->f;

	if (f->n_trees >= b->cap_roots) {
		int ncap = b->cap_roots ? 2 * b->cap_roots : 16;
		void *n = realloc(f->roots, (size_t)ncap * sizeof(*f->roots));

		if (!n)
			return -ENOMEM;
		f->roots = n;
		b->cap_roots = ncap;
	}
	f->roots[f->n_trees++] = root;
	return 0;
}

/* Classes are leaves: leaf c predicts class c. */
static int finish(struct builder *b, int n_classes)
{
	struct gtpc_forest *f = b->f;
	int i;

	f->n_features = b->max_feature + 1;
	f->n_classes = n_classes > b->max_class ? n_classes : b->max_class + 1;
	f->n_leaves = f->n_classes;
	f->leaves = calloc((size_t)f->n_leaves, sizeof(*f->leaves));
	if (!f->leaves)
		return -ENOMEM;
	for (i = 0; i < f->n_leaves; i++)
		f->leaves[i] = i;
	return gtpc_forest_validate(f, b->err, b->errlen);
}

int gtpc_import_inline_c(const char *text, const char *name, struct gtpc_forest *f, char *err, size_t errlen)
{
	struct builder b = { .f = f, .max_class = -1, .max_feature = -1, .text = text, .name = name,
			     .err = err, .errlen = errlen };
	const char *q = text, *votes;
	int rc = 0, n_classes = 0;

	memset(f, 0, sizeof(*f));
	/* Each tree function's definition: "..._tree_N(const T *features,
	 * ...) {"; calls of it in _predict end with ";" and are skipped. */
	while (!rc && (q = strstr(q, "_tree_"))) {
		const char *paren = strchr(q, '('), *close = paren ? strchr(paren, ')') : NULL;
		int32_t root;

		q += 6;
		if (!close)
			break;
		b.p = close + 1;
		if (expect(&b, "{")) {
			q = close;
			continue;
		}
		rc = parse_stmt(&b, 0, &root);
		if (!rc)
			rc = add_root(&b, root);
		q = b.p;
	}
	votes = strstr(text, "votes[");
	if (votes)
		n_classes = atoi(votes + 6);
	if (!rc && f->n_trees == 0)
		rc = berr(&b, "no '_tree_N' function found");
	if (!rc)
		rc = finish(&b, n_classes);
	if (rc)
		gtpc_forest_free(f);
	return rc;
}

/* The initializer list of the first array declared with a name containing
 * key: returns a pointer to its '{'. */
static const char *array_of(const char *text, const char *type, const char *key)
{
	const char *q = text;

	while ((q = strstr(q, type))) {
		const char *eq = strchr(q, '='), *semi = strchr(q, ';'), *brace;

		if (!eq || (semi && semi < eq)) {
			q++;
			continue;
		}
		brace = strchr(eq, '{');
		if (brace && (!key || memmem(q, (size_t)(eq - q), key, strlen(key))))
			return brace;
		q = eq;
	}
	return NULL;
}

static int int_list(struct builder *b, const char *brace, int32_t **out, int *n)
{
	int cap = 0;

	b->p = brace + 1;
	*n = 0;
	for (;;) {
		double v;

		if (!expect(b, "}"))
			return 0;
		if (number(b, &v))
			return berr(b, "expected a number in an array");
		if (*n >= cap) {
			void *m = realloc(*out, (size_t)(cap = cap ? 2 * cap : 64) * sizeof(**out));

			if (!m)
				return -ENOMEM;
			*out = m;
		}
		(*out)[(*n)++] = (int32_t)v;
		expect(b, ",");
	}
}

int gtpc_import_loadable_c(const char *text, const char *name, struct gtpc_forest *f, char *err, size_t errlen)
{
	struct builder b = { .f = f, .max_class = -1, .max_feature = -1, .text = text, .name = name,
			     .err = err, .errlen = errlen };
	const char *nodes = array_of(text, "EmlTreesNode", NULL);
	const char *roots = array_of(text, "int32_t", "root");
	const char *leaves = array_of(text, "int", "lea");
	int32_t *lv = NULL;
	int rc, i, n_leaves = 0;

	memset(f, 0, sizeof(*f));
	if (!nodes || !roots)
		return berr(&b, "no EmlTreesNode array or roots array");
	b.p = nodes + 1;
	while (!(rc = expect(&b, "{"))) {
		double v[4];
		int idx;

		if (number(&b, &v[0]) || expect(&b, ",") || number(&b, &v[1]) || expect(&b, ",") || number(&b, &v[2]) ||
		    expect(&b, ",") || number(&b, &v[3]) || expect(&b, "}"))
			return gtpc_forest_free(f), berr(&b, "expected '{ feature, value, left, right }'");
		idx = add_node(&b);
		if (idx < 0)
			return gtpc_forest_free(f), idx;
		f->nodes[idx] = (struct gtpc_node){ (int32_t)v[0], (float)v[1],
						    v[2] >= 0 ? idx + (int32_t)v[2] : (int32_t)v[2],
						    v[3] >= 0 ? idx + (int32_t)v[3] : (int32_t)v[3] };
		if ((int)v[0] > b.max_feature)
			b.max_feature = (int)v[0];
		expect(&b, ",");
	}
	rc = int_list(&b, roots, &f->roots, &f->n_trees);
	if (!rc && leaves)
		rc = int_list(&b, leaves, &lv, &n_leaves);
	if (!rc) {
		for (i = 0; i < n_leaves; i++)
			if (lv[i] > b.max_class)
				b.max_class = lv[i];
		rc = finish(&b, 0);
	}
	/* Leaves were given: leaf i predicts lv[i], not class i. */
	if (!rc && n_leaves) {
		free(f->leaves);
		f->leaves = lv;
		f->n_leaves = n_leaves;
		lv = NULL;
		rc = gtpc_forest_validate(f, err, errlen);
	}
	free(lv);
	if (rc)
		gtpc_forest_free(f);
	return rc;
}

int gtpc_import_file(const char *path, struct gtpc_forest *f, char *err, size_t errlen)
{
	char *text = gtpc_read_file(path, 64 << 20);
	int rc;

	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	switch (gtpc_model_format_of(text)) {
	case GTPC_FMT_INLINE_C:
		rc = gtpc_import_inline_c(text, path, f, err, errlen);
		break;
	case GTPC_FMT_LOADABLE_C:
		rc = gtpc_import_loadable_c(text, path, f, err, errlen);
		break;
	default:
		rc = gtpc_forest_parse_csv(text, path, f, err, errlen);
	}
	free(text);
	return rc;
}

#include "model/kmodel_build.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "util/names.h"

int64_t gtpc_kthreshold(float t, double scale)
{
	/* t * scale in double is exact for scales 1, 1e3, 1e6 while t has at
	 * most 24 significant bits and the product stays below 2^53. */
	double c = ceil((double)t * scale);

	if (c > 9.0e18)
		return INT64_MAX;
	if (c < -9.0e18)
		return INT64_MIN;
	return (int64_t)c - 1;
}

static int32_t kchild(const struct gtpc_forest *f, int32_t c)
{
	return c >= 0 ? c : -f->leaves[-c - 1] - 1;
}

int gtpc_kmodel_build(const struct gtpc_model *m, const struct gtpc_rules *rules, uint64_t window_ns,
		      struct gtpc_kcfg *cfg, struct gtpc_knode *nodes, char *err, size_t errlen)
{
	const struct gtpc_forest *f = &m->forest;
	int i;

	if (f->n_trees > GTPC_KMAX_TREES || f->n_nodes > GTPC_KMAX_NODES || f->max_depth > GTPC_KMAX_DEPTH ||
	    m->n_classes > GTPC_KMAX_CLASSES) {
		snprintf(err, errlen,
			 "the model (%d trees, %d nodes, depth %d, %d classes) exceeds the in-kernel limits "
			 "(%d trees, %d nodes, depth %d, %d classes)", f->n_trees, f->n_nodes, f->max_depth,
			 m->n_classes, GTPC_KMAX_TREES, GTPC_KMAX_NODES, GTPC_KMAX_DEPTH, GTPC_KMAX_CLASSES);
		return -E2BIG;
	}
	memset(cfg, 0, sizeof(*cfg));
	cfg->window_ns = window_ns;
	if (rules) {
		cfg->ttl_ns = rules->ttl_ns;
		cfg->min_votes = rules->min_votes;
		cfg->min_windows = rules->min_windows;
		cfg->drop_min_pkts = rules->drop_min_pkts;
	}
	cfg->n_trees = (uint32_t)f->n_trees;
	cfg->n_features = (uint32_t)m->n_features;
	cfg->n_classes = (uint32_t)m->n_classes;
	for (i = 0; i < m->n_features; i++) {
		if (m->feature_ids[i] < 0) {
			snprintf(err, errlen, "model feature '%s' is not in the vocabulary", m->feature_names[i]);
			return -EINVAL;
		}
		cfg->feature_ids[i] = (uint32_t)m->feature_ids[i];
	}
	for (i = 0; i < f->n_trees; i++)
		cfg->roots[i] = kchild(f, f->roots[i]);
	for (i = 0; i < m->n_classes; i++)
		cfg->class_act[i] = rules ? rules->class_act[i] : (struct gtpc_act){ 0 };
	for (i = 0; i < f->n_nodes; i++) {
		const struct gtpc_node *n = &f->nodes[i];

		nodes[i] = (struct gtpc_knode){
			.thr = gtpc_kthreshold(n->threshold, gtpc_feature_scale((unsigned)m->feature_ids[n->feature])),
			.left = kchild(f, n->left),
			.right = kchild(f, n->right),
			.feature = (uint32_t)n->feature,
		};
	}
	return 0;
}

int gtpc_kmodel_predict(const struct gtpc_kcfg *cfg, const struct gtpc_knode *nodes, const int64_t *x)
{
	uint32_t votes[GTPC_KMAX_CLASSES] = { 0 }, t, best = 0, c;

	for (t = 0; t < cfg->n_trees; t++) {
		int32_t node = cfg->roots[t];
		int d;

		for (d = 0; d < GTPC_KMAX_DEPTH && node >= 0; d++)
			node = x[nodes[node].feature] <= nodes[node].thr ? nodes[node].left : nodes[node].right;
		if (node < 0)
			votes[-node - 1]++;
	}
	for (c = 1; c < cfg->n_classes; c++)
		if (votes[c] > votes[best])
			best = c;
	return (int)best;
}

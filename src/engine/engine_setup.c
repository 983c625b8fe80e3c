#include "engine/engine_setup.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gtpc/maps.h"
#include "util/util.h"
#include "config/yamlfile.h"

static void parse_prefixes(struct gtpc_engine_setup *s, const struct gtpc_config *c)
{
	unsigned i;

	for (i = 0; i < c->classifier.ue_prefixes_count && i < 1024; i++)
		/* Validated by the config loader. */
		gtpc_prefix_parse(c->classifier.ue_prefixes[i], s->prefixes[i].addr, &s->prefixes[i].len);
	s->cfg.prefixes = s->prefixes;
	s->cfg.n_prefixes = i;
}

int gtpc_engine_setup(struct gtpc_engine_setup *s, const struct gtpc_config *c, const struct gtpc_model *m,
		      int policy, char *err, size_t errlen)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->cfg.key_mode = c->classifier.key;
	s->cfg.ue_is_src = c->classifier.default_direction == GTPC_DEFDIR_UPLINK;
	s->cfg.window_ns = (uint64_t)c->classifier.window_ms * 1000000ULL;
	s->cfg.idle_ns = (uint64_t)c->classifier.idle_timeout_ms * 1000000ULL;
	s->cfg.rules.ttl_ns = (uint64_t)c->policy.ttl_ms * 1000000ULL;
	s->cfg.rules.min_windows = c->policy.min_windows;
	s->cfg.rules.drop_min_pkts = c->policy.drop_min_packets;
	s->cfg.max_ues = c->classifier.max_ues;
	s->cfg.model = m;
	parse_prefixes(s, c);
	if (!m)
		return 0;
	/* The share of the trees, rounded up: 0.6 of 10 trees is 6 votes. */
	s->cfg.rules.min_votes = (uint32_t)ceil(c->policy.min_confidence * m->forest.n_trees - 1e-9);
	if (m->key_mode >= 0 && m->key_mode != c->classifier.key) {
		snprintf(err, errlen, "the model was trained with another classifier.key than the config's");
		return -EINVAL;
	}
	if (m->window_ms && m->window_ms != c->classifier.window_ms) {
		snprintf(err, errlen, "the model was trained on %u ms windows, the config says %u", m->window_ms,
			 c->classifier.window_ms);
		return -EINVAL;
	}
	for (i = 0; policy && i < c->policy.actions_count; i++) {
		int cls = gtpc_model_class_index(m, c->policy.actions[i].class_name);

		if (cls < 0) {
			char key[64];

			snprintf(key, sizeof(key), "policy.actions.%u.class", i);
			snprintf(err, errlen, "%s:%d: policy names class '%s', which the model does not have",
				 c->source_path, gtpc_yaml_line(c->source_path, key), c->policy.actions[i].class_name);
			return -EINVAL;
		}
		s->cfg.rules.class_act[cls] = gtpc_config_act(&c->policy.actions[i]);
	}
	return 0;
}

int gtpc_engine_setup_load(struct gtpc_engine_setup *s, const struct gtpc_config *c, struct gtpc_model *m,
			   int policy, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int rc;

	gtpc_config_model_path(c, path, sizeof(path));
	rc = gtpc_model_load(path, m, err, errlen);
	if (rc)
		return rc;
	rc = gtpc_model_check_servable(m, err, errlen);
	if (!rc)
		rc = gtpc_engine_setup(s, c, m, policy, err, errlen);
	if (rc)
		gtpc_model_free(m);
	return rc;
}

/* Builds an engine configuration from the daemon config and the model. */
#ifndef GTPC_ENGINE_SETUP_H
#define GTPC_ENGINE_SETUP_H

#include "config/config.h"
#include "engine/engine.h"

struct gtpc_engine_setup {
	struct gtpc_engine_cfg cfg;
	struct gtpc_prefix prefixes[1024];
};

/* Fails when the model was trained for another key or window than the
 * config's, or, with policy set, when the policy names a class the model
 * does not have (offline, nothing is enforced: policy 0). */
int gtpc_engine_setup(struct gtpc_engine_setup *s, const struct gtpc_config *c, const struct gtpc_model *m,
		      int policy, char *err, size_t errlen);
/* Loads the config's model, checks it can be served, and builds the setup. */
int gtpc_engine_setup_load(struct gtpc_engine_setup *s, const struct gtpc_config *c, struct gtpc_model *m,
			   int policy, char *err, size_t errlen);

#endif

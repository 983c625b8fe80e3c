#ifndef GTPC_NAMES_H
#define GTPC_NAMES_H

const char *gtpc_outcome_name(unsigned int o);
const char *gtpc_malformed_name(unsigned int r);
const char *gtpc_unparsed_name(unsigned int r);
/* A feature's id from its vocabulary name, or -1. */
int gtpc_feature_lookup(const char *name);
const char *gtpc_stat_name(unsigned int stat);
/* Integer units per float unit of a feature (see features.h). */
double gtpc_feature_scale(unsigned int id);

/* The words for the key modes, in configs, manifests and options. */
#define GTPC_KEY_MODE_NAMES(X) X("ue", GTPC_KEY_UE) X("flow", GTPC_KEY_FLOW) X("teid", GTPC_KEY_TEID)
const char *gtpc_key_mode_name(int mode);
/* The words for the actions (enum gtpc_action), as in the policy. */
const char *gtpc_action_name(unsigned action);

#endif

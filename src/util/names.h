#ifndef GTPC_NAMES_H
#define GTPC_NAMES_H

const char *gtpc_outcome_name(unsigned int o);
const char *gtpc_malformed_name(unsigned int r);
const char *gtpc_counter_name(unsigned int c);
/* A feature's id from its vocabulary name, or -1. */
int gtpc_feature_lookup(const char *name);
const char *gtpc_stat_name(unsigned int stat);
/* Integer units per float unit of a feature (see features.h). */
double gtpc_feature_scale(unsigned int id);

#endif

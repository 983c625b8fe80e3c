/* Float feature values (what models are trained on and served with). */
#ifndef GTPC_FEATURES_FLOAT_H
#define GTPC_FEATURES_FLOAT_H

#include "gtpc/features.h"

/* Every feature of a UE whose window u->cur just ended, indexed by feature
 * id; with_prev 0 leaves the prev_ ones out (a model that uses none). */
void gtpc_feature_values(const struct gtpc_ue_win *u, int with_prev, double v[GTPC_FEAT__COUNT]);
/* One of them, for callers that want a single value. */
double gtpc_feature_value(unsigned int id, const struct gtpc_ue_win *u);

#endif

/* Float feature values (what models are trained on and served with). */
#ifndef GTPC_FEATURES_FLOAT_H
#define GTPC_FEATURES_FLOAT_H

#include "gtpc/features.h"

/* The exact value of a feature for a UE whose window u->cur just ended. */
double gtpc_feature_value(unsigned int id, const struct gtpc_ue_win *u);

#endif

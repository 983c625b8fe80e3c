/* Turning a float model into the in-kernel model's maps. */
#ifndef GTPC_KMODEL_BUILD_H
#define GTPC_KMODEL_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "gtpc/kmodel.h"
#include "model/model.h"

struct gtpc_rules;

/* Integer threshold for "x < t" on a feature of the given scale: for every
 * integer x, x < t * scale <=> x <= the result. */
int64_t gtpc_kthreshold(float t, double scale);
/* Fills cfg and nodes (GTPC_KMAX_NODES entries); refuses, saying why, a
 * model larger or deeper than the maps and loops allow. */
int gtpc_kmodel_build(const struct gtpc_model *m, const struct gtpc_rules *rules, uint64_t window_ns,
		      struct gtpc_kcfg *cfg, struct gtpc_knode *nodes, char *err, size_t errlen);
/* The same decisions in user space, on integer features: what the kernel
 * computes, for comparing the modes offline. */
int gtpc_kmodel_predict(const struct gtpc_kcfg *cfg, const struct gtpc_knode *nodes, const int64_t *x);

#endif

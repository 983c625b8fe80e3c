/* What a reload (SIGHUP) changes while the windows go on: the model and
 * the rules (class actions, TTL, what an action needs before it is taken).
 * The AF_XDP workers read the current one through an RCU pointer at each
 * pass of their poll loop (liburcu's QSBR flavour: reading is a load, and
 * finishing a pass is the worker's quiescent state, so the hot path gains no
 * lock and no syscall); the main thread swaps it and frees the old one after
 * a grace period. */
#ifndef GTPC_POLICY_H
#define GTPC_POLICY_H

#include <stdint.h>

#include "gtpc/maps.h"
#include "engine/engine.h"
#include "model/model.h"

struct gtpc_policy {
	const struct gtpc_model *model;
	struct gtpc_rules rules;
	struct gtpc_model *owned; /* loaded by a reload, freed with the policy */
};

#endif

/* A deployable model: an emlearn forest plus the manifest that says which
 * features it reads, in which order, what its classes are called and which
 * window and key it was trained with. */
#ifndef GTPC_MODEL_H
#define GTPC_MODEL_H

#include <stddef.h>

#include "model/forest.h"
#include "gtpc/features.h"

struct gtpc_model {
	struct gtpc_forest forest;
	int n_features;
	int feature_ids[GTPC_MAX_FEATURES]; /* vocabulary ids, -1 when unnamed */
	char feature_names[GTPC_MAX_FEATURES][32];
	int n_classes;
	char class_names[GTPC_FOREST_MAX_CLASSES][32];
	unsigned window_ms; /* 0 when the manifest does not say */
	int key_mode;       /* -1 when the manifest does not say */
};

/* Loads a manifest (.yaml/.yml) or a bare emlearn CSV (features f0.., classes
 * 0..). Errors name the file and line. */
int gtpc_model_load(const char *path, struct gtpc_model *m, char *err, size_t errlen);
/* Requires every feature to be in the vocabulary (for serving). */
int gtpc_model_check_servable(const struct gtpc_model *m, char *err, size_t errlen);
/* Features f0.., classes 0.., no window or key: for a bare forest. */
void gtpc_model_default_names(struct gtpc_model *m);
int gtpc_model_class_index(const struct gtpc_model *m, const char *name);
/* Writes NAME.yaml and NAME.csv. */
int gtpc_model_save(const struct gtpc_model *m, const char *name, char *err, size_t errlen);
void gtpc_model_free(struct gtpc_model *m);
/* 1 when both name the same classes, in the same order. */
int gtpc_model_same_classes(const struct gtpc_model *a, const struct gtpc_model *b);
/* 1 when both decide alike: same features, classes and trees. */
int gtpc_model_equal(const struct gtpc_model *a, const struct gtpc_model *b);

#endif

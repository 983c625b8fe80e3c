/* A random forest in emlearn's semantics: go left iff x < threshold, each
 * tree votes for one class, the majority wins and ties go to the lowest
 * class index. */
#ifndef GTPC_FOREST_H
#define GTPC_FOREST_H

#include <stddef.h>
#include <stdint.h>

#define GTPC_FOREST_MAX_DEPTH 32
#define GTPC_FOREST_MAX_CLASSES 32
#define GTPC_FOREST_MAX_FEATURES 64

/* A child >= 0 is a node index; < 0 is leaf number -child-1. */
struct gtpc_node {
	int32_t feature;
	float threshold;
	int32_t left;
	int32_t right;
};

struct gtpc_forest {
	int n_features;
	int n_classes;
	int n_nodes;
	int n_trees;
	int n_leaves;
	int max_depth; /* decisions on the longest root-to-leaf path */
	struct gtpc_node *nodes;
	int32_t *roots;  /* node index, or a leaf (< 0) for a one-leaf tree */
	int32_t *leaves; /* class of each leaf */
};

/* Loads emlearn's CSV format. On error returns -errno and writes a message
 * naming the line into err. */
int gtpc_forest_load_csv(const char *path, struct gtpc_forest *f, char *err, size_t errlen);
/* Parses the same format from memory; name appears in messages. */
int gtpc_forest_parse_csv(const char *text, const char *name, struct gtpc_forest *f,
			  char *err, size_t errlen);
/* Checks structure: indices in range, features < n_features, classes <
 * n_classes, every path reaches a leaf within GTPC_FOREST_MAX_DEPTH. */
int gtpc_forest_validate(struct gtpc_forest *f, char *err, size_t errlen);
int gtpc_forest_predict(const struct gtpc_forest *f, const float *x);
/* The same, and *votes: how many trees voted for the class. */
int gtpc_forest_vote(const struct gtpc_forest *f, const float *x, int *votes);
/* Writes emlearn's CSV format (CRLF line ends, like emlearn). */
int gtpc_forest_save_csv(const struct gtpc_forest *f, const char *path);
void gtpc_forest_free(struct gtpc_forest *f);

#endif

#include "model/model.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtpc/key.h"
#include "util/names.h"
#include "util/util.h"
#include "config/yamlfile.h"

struct manifest {
	char *format;
	char *csv;
	char **features;
	unsigned features_count;
	char **classes;
	unsigned classes_count;
	unsigned window_ms;
	int key;
};

static const cyaml_schema_value_t name_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 31),
};
static const cyaml_schema_field_t manifest_fields[] = {
	CYAML_FIELD_STRING_PTR("format", CYAML_FLAG_OPTIONAL, struct manifest, format, 1, 32),
	CYAML_FIELD_STRING_PTR("csv", 0, struct manifest, csv, 1, PATH_MAX),
	CYAML_FIELD_SEQUENCE("features", CYAML_FLAG_POINTER, struct manifest, features, &name_entry, 1, GTPC_MAX_FEATURES),
	CYAML_FIELD_SEQUENCE("classes", CYAML_FLAG_POINTER, struct manifest, classes, &name_entry, 1, GTPC_FOREST_MAX_CLASSES),
	CYAML_FIELD_UINT("window_ms", CYAML_FLAG_OPTIONAL, struct manifest, window_ms),
	CYAML_FIELD_ENUM("key", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT, struct manifest, key,
			 gtpc_key_strvals, CYAML_ARRAY_LEN(gtpc_key_strvals)),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t manifest_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct manifest, manifest_fields),
};

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

void gtpc_model_default_names(struct gtpc_model *m)
{
	int i;

	m->n_features = m->forest.n_features;
	m->n_classes = m->forest.n_classes;
	for (i = 0; i < m->n_features && i < GTPC_MAX_FEATURES; i++) {
		snprintf(m->feature_names[i], sizeof(m->feature_names[i]), "f%d", i);
		m->feature_ids[i] = -1;
	}
	for (i = 0; i < m->n_classes; i++)
		snprintf(m->class_names[i], sizeof(m->class_names[i]), "%d", i);
	m->key_mode = -1;
}

static int load_manifest(const char *path, struct gtpc_model *m, char *err, size_t errlen)
{
	struct manifest *mf = NULL;
	char csv[PATH_MAX];
	int rc, key_line;
	unsigned i;

	rc = gtpc_yaml_load(path, &manifest_schema, (void **)&mf, err, errlen);
	if (rc)
		return rc;
	if (mf->format && strcmp(mf->format, "emlearn-csv")) {
		snprintf(err, errlen, "%s:%d: format '%s' is not emlearn-csv", path,
			 gtpc_yaml_line(path, "format"), mf->format);
		rc = -EINVAL;
		goto out;
	}
	gtpc_path_beside(path, mf->csv, csv, sizeof(csv));
	rc = gtpc_forest_load_csv(csv, &m->forest, err, errlen);
	if (rc)
		goto out;
	if ((int)mf->features_count != m->forest.n_features || (int)mf->classes_count != m->forest.n_classes) {
		snprintf(err, errlen, "%s: names %u features and %u classes, but %s has %d and %d", path,
			 mf->features_count, mf->classes_count, csv, m->forest.n_features, m->forest.n_classes);
		rc = -EINVAL;
		goto out;
	}
	gtpc_model_default_names(m);
	for (i = 0; i < mf->features_count; i++) {
		snprintf(m->feature_names[i], sizeof(m->feature_names[i]), "%s", mf->features[i]);
		m->feature_ids[i] = gtpc_feature_lookup(mf->features[i]);
	}
	for (i = 0; i < mf->classes_count; i++)
		snprintf(m->class_names[i], sizeof(m->class_names[i]), "%s", mf->classes[i]);
	m->window_ms = mf->window_ms;
	key_line = gtpc_yaml_line(path, "key");
	m->key_mode = key_line ? mf->key : -1;
out:
	if (rc)
		gtpc_forest_free(&m->forest);
	gtpc_yaml_free(&manifest_schema, mf);
	return rc;
}

int gtpc_model_load(const char *path, struct gtpc_model *m, char *err, size_t errlen)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
		return load_manifest(path, m, err, errlen);
	rc = gtpc_forest_load_csv(path, &m->forest, err, errlen);
	if (rc)
		return rc;
	if (m->forest.n_features > GTPC_MAX_FEATURES) {
		snprintf(err, errlen, "%s: %d features, at most %d", path, m->forest.n_features, GTPC_MAX_FEATURES);
		gtpc_forest_free(&m->forest);
		return -E2BIG;
	}
	gtpc_model_default_names(m);
	return 0;
}

int gtpc_model_check_servable(const struct gtpc_model *m, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < m->n_features; i++)
		if (m->feature_ids[i] < 0) {
			snprintf(err, errlen, "model feature '%s' is not in gtpclass's vocabulary", m->feature_names[i]);
			return -EINVAL;
		}
	return 0;
}

int gtpc_model_class_index(const struct gtpc_model *m, const char *name)
{
	int i;

	for (i = 0; i < m->n_classes; i++)
		if (!strcmp(m->class_names[i], name))
			return i;
	return -1;
}

int gtpc_model_save(const struct gtpc_model *m, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX];
	const char *base = strrchr(name, '/');
	FILE *f;
	int i, rc;

	snprintf(path, sizeof(path), "%s.csv", name);
	rc = gtpc_forest_save_csv(&m->forest, path);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s.yaml", name);
	f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "# gtpclass model manifest\nformat: emlearn-csv\ncsv: %s.csv\nfeatures:\n", base ? base + 1 : name);
	for (i = 0; i < m->n_features; i++)
		fprintf(f, "  - %s\n", m->feature_names[i]);
	fprintf(f, "classes:\n");
	for (i = 0; i < m->n_classes; i++)
		fprintf(f, "  - \"%s\"\n", m->class_names[i]);
	if (m->window_ms)
		fprintf(f, "window_ms: %u\n", m->window_ms);
	if (m->key_mode >= 0 && m->key_mode <= 2)
		fprintf(f, "key: %s\n", gtpc_key_mode_name(m->key_mode));
	if (fclose(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

void gtpc_model_free(struct gtpc_model *m)
{
	gtpc_forest_free(&m->forest);
}

int gtpc_model_same_classes(const struct gtpc_model *a, const struct gtpc_model *b)
{
	int i;

	if (a->n_classes != b->n_classes)
		return 0;
	for (i = 0; i < a->n_classes; i++)
		if (strcmp(a->class_names[i], b->class_names[i]))
			return 0;
	return 1;
}

/* memcmp without its undefined case (a NULL array of no elements). */
static int same_bytes(const void *a, const void *b, size_t n)
{
	return n == 0 || !memcmp(a, b, n);
}

int gtpc_model_equal(const struct gtpc_model *a, const struct gtpc_model *b)
{
	const struct gtpc_forest *fa = &a->forest, *fb = &b->forest;

	return gtpc_model_same_classes(a, b) && a->n_features == b->n_features &&
	       !memcmp(a->feature_ids, b->feature_ids, sizeof(a->feature_ids)) && fa->n_nodes == fb->n_nodes &&
	       fa->n_trees == fb->n_trees && fa->n_leaves == fb->n_leaves &&
	       same_bytes(fa->nodes, fb->nodes, (size_t)fa->n_nodes * sizeof(*fa->nodes)) &&
	       same_bytes(fa->roots, fb->roots, (size_t)fa->n_trees * sizeof(*fa->roots)) &&
	       same_bytes(fa->leaves, fb->leaves, (size_t)fa->n_leaves * sizeof(*fa->leaves));
}

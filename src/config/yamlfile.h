/* Loading YAML files into structs with libcyaml, with errors that name the
 * file, the line and the key. */
#ifndef GTPC_YAMLFILE_H
#define GTPC_YAMLFILE_H

#include <cyaml/cyaml.h>
#include <stddef.h>

#include "gtpc/key.h"

/* The key modes as libcyaml enum values (from GTPC_KEY_MODE_NAMES). */
extern const cyaml_strval_t gtpc_key_strvals[GTPC_KEY__COUNT];

/* Loads path with schema into *out. On failure returns -EINVAL and writes
 * "path:line: what (at key.path)" into err. */
int gtpc_yaml_load(const char *path, const cyaml_schema_value_t *schema, void **out,
		   char *err, size_t errlen);
void gtpc_yaml_free(const cyaml_schema_value_t *schema, void *data);
/* The line on which a key path such as "workers.1.cpu" stands (sequence
 * entries by index from 0), or 0 when it is not found. */
int gtpc_yaml_line(const char *path, const char *keypath);

#endif

/* Reading emlearn's C outputs into a forest: inline C (if/else trees, float
 * or integer dtype, as seed 000's model500msJANELA.h) and loadable C
 * (EmlTreesNode arrays). The CSV format is read by forest.c. */
#ifndef GTPC_MODEL_IMPORT_H
#define GTPC_MODEL_IMPORT_H

#include <stddef.h>

#include "model/forest.h"

enum gtpc_model_format { GTPC_FMT_CSV, GTPC_FMT_INLINE_C, GTPC_FMT_LOADABLE_C };

/* Guesses the format from the text. */
int gtpc_model_format_of(const char *text);
int gtpc_import_inline_c(const char *text, const char *name, struct gtpc_forest *f, char *err, size_t errlen);
int gtpc_import_loadable_c(const char *text, const char *name, struct gtpc_forest *f, char *err, size_t errlen);
/* Any of the three formats, by content. */
int gtpc_import_file(const char *path, struct gtpc_forest *f, char *err, size_t errlen);

#endif

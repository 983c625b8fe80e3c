/* libFuzzer target: emlearn's CSV forest format from any text, then the
 * validation that must refuse every forest the predictor cannot walk
 * (indices out of range, cycles, shared nodes, depth), then a prediction
 * on every accepted one, which must end and name a class. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/forest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct gtpc_forest f;
	float x[64];
	int i, cls;

	memcpy(text, data, size);
	text[size] = 0;
	memset(&f, 0, sizeof(f));
	if (gtpc_forest_parse_csv(text, "fuzz", &f, err, sizeof(err)) == 0 &&
	    gtpc_forest_validate(&f, err, sizeof(err)) == 0 && f.n_features <= 64) {
		for (i = 0; i < 64; i++)
			x[i] = (float)(i * 37 % 101) - 50.0f;
		cls = gtpc_forest_predict(&f, x);
		if (cls < 0 || cls >= f.n_classes)
			abort();
	}
	gtpc_forest_free(&f);
	free(text);
	return 0;
}

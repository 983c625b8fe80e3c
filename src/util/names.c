/* Names of the parser's outcomes and reasons (include/gtpc/outcome.h) and
 * of the feature vocabulary (include/gtpc/features.h). */
#include "gtpc/outcome.h"
#include "gtpc/features.h"
#include "gtpc/key.h"
#include "util/names.h"

#include <string.h>

#define NAME2(id, name) name,
#define NAME3(id, name, scale) name,

static const char *const outcome_names[] = { GTPC_PARSE_OUTCOMES(NAME2) };
#define MAL_NAME(id, name, help) name,
static const char *const malformed_names[] = { GTPC_MALFORMED_REASONS(MAL_NAME) };
static const char *const stat_names[] = { GTPC_STATS(NAME3) };
static const char *const unparsed_names[] = { "none", GTPC_UNPARSED_REASONS(MAL_NAME) };

const char *gtpc_outcome_name(unsigned int o)
{
	return o < GTPC_OUT__COUNT ? outcome_names[o] : "?";
}

const char *gtpc_malformed_name(unsigned int r)
{
	return r < GTPC_MAL__COUNT ? malformed_names[r] : "?";
}

const char *gtpc_unparsed_name(unsigned int r)
{
	return r < GTPC_UNP__COUNT ? unparsed_names[r] : "?";
}

/* Feature names: "iat_mean_us" for the window that ended, "prev_iat_mean_us"
 * for the one before. */
int gtpc_feature_lookup(const char *name)
{
	int prev = 0;
	unsigned int i;

	if (strncmp(name, "prev_", 5) == 0) {
		name += 5;
		prev = 1;
	}
	for (i = 0; i < GTPC_STAT__COUNT; i++)
		if (strcmp(name, stat_names[i]) == 0)
			return (int)i + (prev ? GTPC_FEAT_PREV : 0);
	return -1;
}

const char *gtpc_stat_name(unsigned int stat)
{
	return stat < GTPC_STAT__COUNT ? stat_names[stat] : "?";
}

double gtpc_feature_scale(unsigned int id)
{
#define SCALE(id_, name, scale) scale,
	static const double scales[] = { GTPC_STATS(SCALE) };
#undef SCALE
	return scales[id % GTPC_STAT__COUNT];
}

#define KEY_NAME(word, mode) [mode] = word,
static const char *const key_mode_names[GTPC_KEY__COUNT] = { GTPC_KEY_MODE_NAMES(KEY_NAME) };

const char *gtpc_action_name(unsigned action)
{
	static const char *const names[] = { "pass", "drop", "mark", "observe" };

	return action < sizeof(names) / sizeof(names[0]) ? names[action] : "?";
}

const char *gtpc_key_mode_name(int mode)
{
	return mode >= 0 && mode < GTPC_KEY__COUNT ? key_mode_names[mode] : "?";
}

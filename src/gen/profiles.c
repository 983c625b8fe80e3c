#include "gen/profiles.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/yamlfile.h"

static const cyaml_strval_t dist_names[] = {
	{ "const", GTPC_DIST_CONST }, { "uniform", GTPC_DIST_UNIFORM },
	{ "normal", GTPC_DIST_NORMAL }, { "exp", GTPC_DIST_EXP },
};

#define OPT CYAML_FLAG_OPTIONAL
static const cyaml_schema_field_t dist_fields[] = {
	CYAML_FIELD_ENUM("dist", CYAML_FLAG_STRICT, struct gtpc_dist, kind, dist_names, CYAML_ARRAY_LEN(dist_names)),
	CYAML_FIELD_FLOAT("mean", OPT, struct gtpc_dist, mean),
	CYAML_FIELD_FLOAT("sd", OPT, struct gtpc_dist, sd),
	CYAML_FIELD_FLOAT("min", OPT, struct gtpc_dist, min),
	CYAML_FIELD_FLOAT("max", OPT, struct gtpc_dist, max),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t profile_fields[] = {
	CYAML_FIELD_STRING_PTR("name", 0, struct gtpc_profile, name, 1, 31),
	CYAML_FIELD_UINT("qfi", 0, struct gtpc_profile, qfi),
	CYAML_FIELD_STRING_PTR("proto", 0, struct gtpc_profile, proto, 3, 3),
	CYAML_FIELD_UINT("port", 0, struct gtpc_profile, port),
	CYAML_FIELD_FLOAT("downlink_share", OPT, struct gtpc_profile, downlink_share),
	CYAML_FIELD_MAPPING("size", 0, struct gtpc_profile, size, dist_fields),
	CYAML_FIELD_MAPPING("interval_us", 0, struct gtpc_profile, interval_us, dist_fields),
	CYAML_FIELD_MAPPING("burst", OPT, struct gtpc_profile, burst, dist_fields),
	CYAML_FIELD_MAPPING("burst_gap_us", OPT, struct gtpc_profile, burst_gap_us, dist_fields),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t profile_schema = {
	CYAML_VALUE_MAPPING(0, struct gtpc_profile, profile_fields),
};
static const cyaml_schema_field_t top_fields[] = {
	CYAML_FIELD_SEQUENCE("profiles", CYAML_FLAG_POINTER, struct gtpc_profiles, profiles, &profile_schema, 1, 64),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t top_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct gtpc_profiles, top_fields),
};

static int check(const struct gtpc_profiles *ps, const char *path, char *err, size_t errlen)
{
	unsigned i;

	for (i = 0; i < ps->profiles_count; i++) {
		const struct gtpc_profile *p = &ps->profiles[i];
		char key[64];
		const char *bad = NULL;

		if (p->qfi > 63)
			bad = "qfi";
		else if (strcmp(p->proto, "udp") && strcmp(p->proto, "tcp"))
			bad = "proto";
		else if (p->port > 65535)
			bad = "port";
		else if (p->downlink_share < 0 || p->downlink_share > 1)
			bad = "downlink_share";
		else if (p->interval_us.mean <= 0 && p->interval_us.max <= 0)
			bad = "interval_us";
		if (bad) {
			snprintf(key, sizeof(key), "profiles.%u.%s", i, bad);
			snprintf(err, errlen, "%s:%d: '%s' is out of range", path, gtpc_yaml_line(path, key), key);
			return -EINVAL;
		}
	}
	return 0;
}

int gtpc_profiles_load(const char *path, struct gtpc_profiles **out, char *err, size_t errlen)
{
	int rc = gtpc_yaml_load(path, &top_schema, (void **)out, err, errlen);

	if (!rc && (rc = check(*out, path, err, errlen))) {
		gtpc_profiles_free(*out);
		*out = NULL;
	}
	return rc;
}

void gtpc_profiles_free(struct gtpc_profiles *p)
{
	gtpc_yaml_free(&top_schema, p);
}

int gtpc_profile_index(const struct gtpc_profiles *p, const char *name)
{
	unsigned i;

	for (i = 0; i < p->profiles_count; i++)
		if (!strcmp(p->profiles[i].name, name))
			return (int)i;
	return -1;
}

static double uniform01(uint64_t *rng)
{
	return ((gtpc_rng_next(rng) >> 11) + 0.5) / 9007199254740992.0; /* (0,1) */
}

double gtpc_dist_sample(const struct gtpc_dist *d, uint64_t *rng)
{
	double v;

	switch (d->kind) {
	case GTPC_DIST_UNIFORM:
		v = d->min + (d->max - d->min) * uniform01(rng);
		break;
	case GTPC_DIST_NORMAL: /* Box-Muller */
		v = d->mean + d->sd * sqrt(-2.0 * log(uniform01(rng))) * cos(2 * M_PI * uniform01(rng));
		break;
	case GTPC_DIST_EXP:
		v = -d->mean * log(uniform01(rng));
		break;
	default:
		v = d->mean;
	}
	if (d->max > 0 && v > d->max)
		v = d->max;
	if (v < d->min)
		v = d->min;
	return v;
}

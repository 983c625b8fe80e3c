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

static const cyaml_strval_t dir_names[] = {
	{ "mixed", GTPC_STREAM_MIXED }, { "ul", GTPC_STREAM_UL }, { "dl", GTPC_STREAM_DL },
};

/* A stream's fields, at M inside T: a stream of its own, or a profile's
 * main stream. */
#define STREAM_FIELDS(T, M)                                                                          \
	CYAML_FIELD_ENUM("dir", OPT | CYAML_FLAG_STRICT, T, M dir, dir_names, CYAML_ARRAY_LEN(dir_names)), \
	CYAML_FIELD_FLOAT("downlink_share", OPT, T, M downlink_share),                               \
	CYAML_FIELD_MAPPING("size", OPT, T, M size, dist_fields),                                     \
	CYAML_FIELD_MAPPING("interval_us", OPT, T, M interval_us, dist_fields),                       \
	CYAML_FIELD_MAPPING("burst", OPT, T, M burst, dist_fields),                                   \
	CYAML_FIELD_MAPPING("burst_gap_us", OPT, T, M burst_gap_us, dist_fields),                     \
	CYAML_FIELD_MAPPING("on_us", OPT, T, M on_us, dist_fields),                                   \
	CYAML_FIELD_MAPPING("off_us", OPT, T, M off_us, dist_fields),                                 \
	CYAML_FIELD_MAPPING("off_size", OPT, T, M off_size, dist_fields),                             \
	CYAML_FIELD_MAPPING("off_interval_us", OPT, T, M off_interval_us, dist_fields),               \
	CYAML_FIELD_UINT("ack_every", OPT, T, M ack_every),                                           \
	CYAML_FIELD_MAPPING("ack_size", OPT, T, M ack_size, dist_fields),                             \
	CYAML_FIELD_MAPPING("ack_delay_us", OPT, T, M ack_delay_us, dist_fields)

static const cyaml_schema_field_t stream_fields[] = {
	STREAM_FIELDS(struct gtpc_stream, ),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t stream_schema = {
	CYAML_VALUE_MAPPING(0, struct gtpc_stream, stream_fields),
};

static const cyaml_schema_field_t profile_fields[] = {
	CYAML_FIELD_STRING_PTR("name", 0, struct gtpc_profile, name, 1, 31),
	CYAML_FIELD_STRING_PTR("class", OPT, struct gtpc_profile, class_name, 1, 31),
	CYAML_FIELD_UINT("qfi", 0, struct gtpc_profile, qfi),
	CYAML_FIELD_STRING_PTR("proto", 0, struct gtpc_profile, proto, 3, 3),
	CYAML_FIELD_UINT("port", 0, struct gtpc_profile, port),
	STREAM_FIELDS(struct gtpc_profile, main.),
	CYAML_FIELD_SEQUENCE("streams", CYAML_FLAG_POINTER | OPT, struct gtpc_profile, streams, &stream_schema, 1, 8),
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

/* The first field of stream st that is out of range, or NULL. */
static const char *bad_stream_field(const struct gtpc_stream *st)
{
	if (st->downlink_share < 0 || st->downlink_share > 1)
		return "downlink_share";
	if (!gtpc_dist_set(&st->size))
		return "size";
	if (st->interval_us.mean <= 0 && st->interval_us.max <= 0)
		return "interval_us";
	if (gtpc_dist_set(&st->on_us) != gtpc_dist_set(&st->off_us))
		return "off_us"; /* on without off, or off without on */
	if (gtpc_dist_set(&st->off_interval_us) && !gtpc_dist_set(&st->off_size))
		return "off_size";
	if (st->ack_every && (st->dir == GTPC_STREAM_MIXED || !gtpc_dist_set(&st->ack_size)))
		return st->dir == GTPC_STREAM_MIXED ? "dir" : "ack_size";
	return NULL;
}

static int check(const struct gtpc_profiles *ps, const char *path, char *err, size_t errlen)
{
	unsigned i, j;

	for (i = 0; i < ps->profiles_count; i++) {
		const struct gtpc_profile *p = &ps->profiles[i];
		char key[80], where[64];
		const char *bad = NULL;
		int line;

		if (p->qfi > 63)
			bad = "qfi";
		else if (strcmp(p->proto, "udp") && strcmp(p->proto, "tcp"))
			bad = "proto";
		else if (p->port > 65535)
			bad = "port";
		snprintf(where, sizeof(where), "profiles.%u", i);
		/* Fields at the top beside streams would be ignored: refused. */
		if (!bad && p->streams_count && (gtpc_dist_set(&p->main.size) || gtpc_dist_set(&p->main.interval_us))) {
			snprintf(key, sizeof(key), "%s.streams", where);
			snprintf(err, errlen, "%s:%d: '%s' beside a stream's own fields (size, interval_us): one or the other",
				 path, gtpc_yaml_line(path, key), key);
			return -EINVAL;
		}
		for (j = 0; !bad && j < gtpc_profile_streams(p); j++) {
			bad = bad_stream_field(gtpc_profile_stream(p, j));
			if (bad && p->streams_count)
				snprintf(where, sizeof(where), "profiles.%u.streams.%u", i, j);
		}
		if (bad) {
			char *dot;

			snprintf(key, sizeof(key), "%s.%s", where, bad);
			/* A missing field has no line: the nearest key above it. */
			while ((line = gtpc_yaml_line(path, where)) <= 0 && (dot = strrchr(where, '.')))
				*dot = 0;
			if (gtpc_yaml_line(path, key) > 0)
				line = gtpc_yaml_line(path, key);
			snprintf(err, errlen, "%s:%d: '%s' is missing or out of range", path, line, key);
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

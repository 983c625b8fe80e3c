/* Traffic profiles for the generator (conf/profiles.yaml): distributions of
 * packet size and inter-arrival time per kind of UE. */
#ifndef GTPC_PROFILES_H
#define GTPC_PROFILES_H

#include <stddef.h>
#include <stdint.h>

enum gtpc_dist_kind { GTPC_DIST_CONST, GTPC_DIST_UNIFORM, GTPC_DIST_NORMAL, GTPC_DIST_EXP };

struct gtpc_dist {
	int kind;
	double mean; /* const: the value; exp: the mean */
	double sd;
	double min;  /* samples are clamped to [min, max] when max > 0 */
	double max;
};

struct gtpc_profile {
	char *name;
	uint32_t qfi;
	char *proto;          /* "udp" or "tcp" */
	uint32_t port;        /* the server's port */
	double downlink_share;
	struct gtpc_dist size;        /* inner IP length, bytes */
	struct gtpc_dist interval_us; /* from one burst's start to the next */
	struct gtpc_dist burst;       /* packets per burst */
	struct gtpc_dist burst_gap_us;/* between packets of a burst */
};

struct gtpc_profiles {
	struct gtpc_profile *profiles;
	unsigned profiles_count;
};

int gtpc_profiles_load(const char *path, struct gtpc_profiles **out, char *err, size_t errlen);
void gtpc_profiles_free(struct gtpc_profiles *p);
int gtpc_profile_index(const struct gtpc_profiles *p, const char *name);

/* splitmix64: small, fast, and the same stream on every machine. */
static inline uint64_t gtpc_rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double gtpc_dist_sample(const struct gtpc_dist *d, uint64_t *rng);

#endif

/* Traffic profiles for the generator (conf/profiles.yaml): per kind of UE,
 * one or more streams of packets, each with distributions of packet size and
 * inter-arrival time, optionally in bursts, in on/off periods (talk spurts
 * and silences, video segments) and answered by ACKs the other way. */
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

enum gtpc_stream_dir { GTPC_STREAM_MIXED, GTPC_STREAM_UL, GTPC_STREAM_DL };

static inline int gtpc_dist_set(const struct gtpc_dist *d)
{
	return d->kind != GTPC_DIST_CONST || d->mean > 0 || d->max > 0;
}

struct gtpc_stream {
	int dir;                      /* enum gtpc_stream_dir */
	double downlink_share;        /* mixed: each packet's chance to be downlink */
	struct gtpc_dist size;        /* inner IP length, bytes */
	struct gtpc_dist interval_us; /* from one burst's start to the next */
	struct gtpc_dist burst;       /* packets per burst */
	struct gtpc_dist burst_gap_us;/* between packets of a burst */
	/* On/off: on_us unset means always on. While off, a packet of
	 * off_size every off_interval_us (a silence descriptor), or none. */
	struct gtpc_dist on_us, off_us, off_size, off_interval_us;
	/* An ACK of ack_size the other way after every ack_every packets,
	 * ack_delay_us later (the radio and the UE's turnaround). */
	uint32_t ack_every;
	struct gtpc_dist ack_size, ack_delay_us;
};

struct gtpc_profile {
	char *name;
	char *class_name;     /* the class its UEs belong to; NULL: name */
	uint32_t qfi;
	char *proto;          /* "udp" or "tcp" */
	uint32_t port;        /* the server's port */
	struct gtpc_stream main;      /* a one-stream profile's fields */
	struct gtpc_stream *streams;  /* or streams of their own */
	unsigned streams_count;
};

static inline const char *gtpc_profile_class(const struct gtpc_profile *p)
{
	return p->class_name ? p->class_name : p->name;
}

/* The profile's streams: its own, or main alone. */
static inline const struct gtpc_stream *gtpc_profile_stream(const struct gtpc_profile *p, unsigned i)
{
	return p->streams_count ? &p->streams[i] : &p->main;
}

static inline unsigned gtpc_profile_streams(const struct gtpc_profile *p)
{
	return p->streams_count ? p->streams_count : 1;
}

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

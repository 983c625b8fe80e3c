/* gtpclass gen: GTP-U traffic of N UEs following traffic profiles, to a
 * capture or onto an interface, with the ground truth in a labels file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "gen/gen.h"
#include "util/log.h"
#include "io/pcap_in.h"
#include "gen/pkt_send.h"
#include "util/util.h"

struct gen_args {
	const char *profiles, *out, *iface, *labels, *mix;
	unsigned n_ues;
	uint64_t seed;
	double duration, speed, rate;
	int topspeed, outer_v6, inner_v6, uplink_only, no_psc;
	uint64_t count;
	unsigned shard, shards;
	const char *upf, *gnb;
	const char *replay;
};

/* "urllc:4,embb:4" or, without --mix, the UEs spread evenly over profiles. */
static int assign_profiles(const struct gen_args *a, const struct gtpc_profiles *p, int *out)
{
	char buf[512], *save = NULL, *tok;
	unsigned n = 0, i;

	if (!a->mix) {
		for (i = 0; i < a->n_ues; i++)
			out[i] = (int)(i % p->profiles_count);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", a->mix);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		long cnt;
		int idx;

		if (!colon || gtpc_parse_long(colon + 1, &cnt) || cnt < 0) {
			pr_err("--mix: '%s' is not PROFILE:COUNT\n", tok);
			return -EINVAL;
		}
		*colon = '\0';
		idx = gtpc_profile_index(p, tok);
		if (idx < 0) {
			pr_err("--mix: no profile named '%s' in %s\n", tok, a->profiles);
			return -EINVAL;
		}
		for (i = 0; i < (unsigned)cnt && n < a->n_ues; i++)
			out[n++] = idx;
	}
	if (n != a->n_ues) {
		pr_err("--mix gives %u UEs, --ues says %u\n", n, a->n_ues);
		return -EINVAL;
	}
	return 0;
}

static int write_pcap(struct gtpc_gen *g, const char *path, uint64_t count, uint64_t *written)
{
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;
	/* A fixed epoch keeps captures of one seed byte-identical. */
	const uint64_t base = 1700000000ULL * 1000000000ULL;
	uint8_t buf[2048];
	uint64_t t;
	size_t len;

	if (!d) {
		pr_err("%s: %s\n", path, dead ? pcap_geterr(dead) : "cannot open");
		if (dead)
			pcap_close(dead);
		return -EIO;
	}
	while ((!count || *written < count) && (len = gtpc_gen_next(g, buf, sizeof(buf), &t))) {
		struct pcap_pkthdr h = { .caplen = (uint32_t)len, .len = (uint32_t)len };

		h.ts.tv_sec = (time_t)((base + t) / 1000000000ULL);
		h.ts.tv_usec = (suseconds_t)((base + t) % 1000000000ULL);
		pcap_dump((u_char *)d, &h, buf);
		(*written)++;
	}
	pcap_dump_close(d);
	pcap_close(dead);
	return 0;
}

/* Waits until the packet's time, scaled by speed, has come: sleeps while it
 * is far, spins the last 100 us. */
static void pace(uint64_t start, uint64_t due)
{
	for (;;) {
		uint64_t now = gtpc_now_ns();
		struct timespec ts;

		if (now >= start + due)
			return;
		if (start + due - now > 200000) {
			ts.tv_sec = 0;
			ts.tv_nsec = (long)(start + due - now - 100000);
			nanosleep(&ts, NULL);
		}
	}
}

static int send_live(struct gtpc_gen *g, const struct gen_args *a, uint64_t *written)
{
	struct gtpc_sender *s = malloc(sizeof(*s));
	uint64_t start, t, due;
	char err[256];
	size_t len;
	int rc;

	if (!s)
		return -ENOMEM;
	rc = gtpc_sender_open(s, a->iface, err, sizeof(err));
	if (rc) {
		pr_err("%s\n", err);
		free(s);
		return rc;
	}
	start = gtpc_now_ns();
	while (!a->count || *written < a->count) {
		uint8_t frame[GTPC_SEND_FRAME];

		len = gtpc_gen_next(g, frame, sizeof(frame), &t);
		if (!len)
			break;
		if (!a->topspeed) {
			due = a->rate > 0 ? (uint64_t)(*written * 1e9 / a->rate) : (uint64_t)(t / a->speed);
			if (gtpc_now_ns() < start + due) {
				/* Frames due now leave before we wait. */
				gtpc_sender_flush(s);
				pace(start, due);
			}
		}
		memcpy(gtpc_sender_slot(s), frame, len);
		gtpc_sender_commit(s, len);
		(*written)++;
	}
	gtpc_sender_close(s);
	t = gtpc_now_ns() - start;
	fprintf(stderr, "gen: sent %" PRIu64 " frames in %.3f s (%.0f pps), %" PRIu64 " failed\n", s->sent, t / 1e9,
		s->sent / (t / 1e9), s->failed);
	rc = s->failed ? -EIO : 0;
	free(s);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: gtpclass gen -p PROFILES -u N (-o FILE.pcap | -i IFACE) [options]\n"
		   "  -p, --profiles FILE   traffic profiles (conf/profiles.yaml)\n"
		   "  -u, --ues N           number of UEs (default 10)\n"
		   "  -m, --mix LIST        UEs per profile, e.g. urllc:4,embb:4,flood:2\n"
		   "  -d, --duration SEC    traffic time to generate (default 10)\n"
		   "  -s, --seed N          random seed (default 1); same seed, same traffic\n"
		   "  -o, --output FILE     write a pcap (nanosecond timestamps)\n"
		   "  -i, --interface IF    send on an interface (AF_PACKET, qdisc bypass)\n"
		   "      --speed X         with -i: X times real time (default 1)\n"
		   "      --rate PPS        with -i: a fixed rate instead of the profiles' timing\n"
		   "      --topspeed        with -i: as fast as possible\n"
		   "  -n, --count N         stop after N packets\n"
		   "  -l, --labels FILE     write the ground truth: ue,teid,profile\n"
		   "      --outer6          outer IPv6 (default IPv4)\n"
		   "      --inner6          inner IPv6 (default IPv4)\n"
		   "      --uplink-only     no downlink packets\n"
		   "      --no-psc          no PDU Session Container\n"
		   "      --shard K/N       only UEs i with i %% N == K (one sender per CPU)\n"
		   "      --upf ADDR        outer address of the UPF (default 192.0.2.100)\n"
		   "      --gnb ADDR        outer address of the first of eight gNBs (default 192.0.2.1)\n"
		   "      --replay FILE     with -i: send a capture's frames with its timing (--speed), at\n"
		   "                        --rate, or --topspeed; -n beyond the capture starts it again\n");
}

static int parse_args(int argc, char **argv, struct gen_args *a)
{
	static const struct option opts[] = {
		{ "profiles", required_argument, 0, 'p' }, { "ues", required_argument, 0, 'u' },
		{ "mix", required_argument, 0, 'm' }, { "duration", required_argument, 0, 'd' },
		{ "seed", required_argument, 0, 's' }, { "output", required_argument, 0, 'o' },
		{ "interface", required_argument, 0, 'i' }, { "count", required_argument, 0, 'n' },
		{ "labels", required_argument, 0, 'l' }, { "speed", required_argument, 0, 1 },
		{ "rate", required_argument, 0, 2 }, { "topspeed", no_argument, 0, 3 },
		{ "outer6", no_argument, 0, 4 }, { "inner6", no_argument, 0, 5 },
		{ "uplink-only", no_argument, 0, 6 }, { "no-psc", no_argument, 0, 7 },
		{ "shard", required_argument, 0, 8 }, { "upf", required_argument, 0, 9 },
		{ "gnb", required_argument, 0, 10 }, { "replay", required_argument, 0, 11 },
		{ "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int opt;

	*a = (struct gen_args){ .n_ues = 10, .seed = 1, .duration = 10, .speed = 1 };
	while ((opt = getopt_long(argc, argv, "p:u:m:d:s:o:i:n:l:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': a->profiles = optarg; break;
		case 'u': a->n_ues = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'm': a->mix = optarg; break;
		case 'd': a->duration = atof(optarg); break;
		case 's': a->seed = strtoull(optarg, NULL, 10); break;
		case 'o': a->out = optarg; break;
		case 'i': a->iface = optarg; break;
		case 'n': a->count = strtoull(optarg, NULL, 10); break;
		case 'l': a->labels = optarg; break;
		case 1: a->speed = atof(optarg); break;
		case 2: a->rate = atof(optarg); break;
		case 3: a->topspeed = 1; break;
		case 4: a->outer_v6 = 1; break;
		case 5: a->inner_v6 = 1; break;
		case 6: a->uplink_only = 1; break;
		case 7: a->no_psc = 1; break;
		case 8:
			if (sscanf(optarg, "%u/%u", &a->shard, &a->shards) != 2 || !a->shards || a->shard >= a->shards) {
				pr_err("--shard: '%s' is not K/N with K < N\n", optarg);
				return -EINVAL;
			}
			break;
		case 9: a->upf = optarg; break;
		case 10: a->gnb = optarg; break;
		case 11: a->replay = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -EINVAL;
		}
	}
	if (a->replay && a->iface)
		return 0;
	if (!a->profiles || (!a->out == !a->iface) || !a->n_ues || a->n_ues > 65000 || a->duration <= 0 ||
	    a->speed <= 0) {
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* Sends a capture's frames on an interface, keeping their spacing. */
static int replay(const struct gen_args *a)
{
	struct gtpc_sender *s = malloc(sizeof(*s));
	uint64_t start, first = 0, ts, n = 0;
	const uint8_t *data;
	char err[512];
	uint32_t len;
	pcap_t *pc;
	int rc;

	pc = gtpc_pcap_open(a->replay, err, sizeof(err));
	if (!pc || !s || gtpc_sender_open(s, a->iface, err, sizeof(err))) {
		pr_err("%s\n", err);
		free(s);
		if (pc)
			pcap_close(pc);
		return -EINVAL;
	}
	start = gtpc_now_ns();
	while (!a->count || n < a->count) {
		uint64_t due;

		rc = gtpc_pcap_next(pc, &data, &len, &ts);
		if (rc == 0 && a->count && n) {
			/* --count beyond the capture: start it again. */
			pcap_close(pc);
			pc = gtpc_pcap_open(a->replay, err, sizeof(err));
			if (!pc)
				break;
			continue;
		}
		if (rc != 1)
			break;
		if (len > GTPC_SEND_FRAME)
			continue;
		if (!first)
			first = ts;
		due = a->rate > 0 ? (uint64_t)(n * 1e9 / a->rate) : (uint64_t)((ts - first) / a->speed);
		if (!a->topspeed && gtpc_now_ns() < start + due) {
			gtpc_sender_flush(s);
			pace(start, due);
		}
		memcpy(gtpc_sender_slot(s), data, len);
		gtpc_sender_commit(s, len);
		n++;
	}
	gtpc_sender_close(s);
	ts = gtpc_now_ns() - start;
	fprintf(stderr, "gen: sent %" PRIu64 " frames in %.3f s (%.0f pps) from %s, %" PRIu64 " failed\n", s->sent,
		ts / 1e9, s->sent / (ts / 1e9), a->replay, s->failed);
	rc = s->failed ? -EIO : 0;
	free(s);
	if (pc)
		pcap_close(pc);
	return rc;
}

int gtpc_cmd_gen(int argc, char **argv)
{
	struct gtpc_profiles *prof = NULL;
	struct gtpc_gen_opts o = { 0 };
	struct gtpc_gen g = { 0 };
	struct gen_args a;
	uint64_t written = 0;
	char err[512];
	int *map = NULL, rc;

	if (parse_args(argc, argv, &a))
		return 2;
	if (a.replay)
		return replay(&a) ? 1 : 0;
	rc = gtpc_profiles_load(a.profiles, &prof, err, sizeof(err));
	if (rc) {
		pr_err("%s\n", err);
		return 1;
	}
	map = calloc(a.n_ues, sizeof(*map));
	rc = map ? assign_profiles(&a, prof, map) : -ENOMEM;
	if (rc)
		goto out;
	o = (struct gtpc_gen_opts){ .n_ues = a.n_ues, .ue_profile = map, .seed = a.seed,
				    .duration_ns = (uint64_t)(a.duration * 1e9), .outer_v6 = a.outer_v6,
				    .inner_v6 = a.inner_v6, .uplink_only = a.uplink_only, .no_psc = a.no_psc,
				    .shard = a.shard, .shards = a.shards };
	if ((a.upf && gtpc_addr_parse(a.upf, o.upf)) || (a.gnb && gtpc_addr_parse(a.gnb, o.gnb))) {
		pr_err("--upf/--gnb: not an IPv4 or IPv6 address\n");
		rc = -EINVAL;
		goto out;
	}
	rc = gtpc_gen_init(&g, prof, &o);
	if (!rc && a.labels) {
		FILE *f = fopen(a.labels, "w");

		rc = f ? gtpc_gen_labels(&g, f) : -errno;
		if (f && fclose(f))
			rc = -errno;
		if (rc)
			pr_err("%s: %s\n", a.labels, strerror(-rc));
	}
	if (!rc)
		rc = a.out ? write_pcap(&g, a.out, a.count, &written) : send_live(&g, &a, &written);
	if (!rc && a.out)
		fprintf(stderr, "gen: wrote %" PRIu64 " packets of %u UEs to %s\n", written, a.n_ues, a.out);
out:
	gtpc_gen_free(&g);
	free(map);
	gtpc_profiles_free(prof);
	return rc ? 1 : 0;
}

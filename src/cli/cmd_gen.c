/* gtpclass gen: GTP-U traffic of N UEs following traffic profiles, to a
 * capture or onto an interface, with the ground truth in a labels file. */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "gen/gen.h"
#include "util/log.h"
#include "io/pcap_in.h"
#include "io/pcap_out.h"
#include "gen/xsk_send.h"
#include "gen/pkt_send.h"
#include "util/util.h"

struct gen_args {
	const char *profiles, *out, *iface, *labels, *mix;
	unsigned n_ues;
	uint64_t seed;
	double duration, speed, rate;
	int topspeed, outer_v6, inner_v6, uplink_only, no_psc, afxdp;
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
	/* A fixed epoch keeps captures of one seed byte-identical. */
	const uint64_t base = 1700000000ULL * 1000000000ULL;
	char err[512];
	void *d = gtpc_pcap_dump_open(path, err, sizeof(err));
	uint8_t buf[2048];
	uint64_t t;
	size_t len;

	if (!d) {
		pr_err("%s\n", err);
		return -EIO;
	}
	while ((!count || *written < count) && (len = gtpc_gen_next(g, buf, sizeof(buf), &t))) {
		gtpc_pcap_write(d, buf, (uint32_t)len, base + t);
		(*written)++;
	}
	gtpc_pcap_dump_close(d);
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

/* A fixed rate (--rate) is a constant offered load, as a forwarder's
 * zero-loss rate is measured with: when the sender itself falls behind (its
 * thread preempted), it does not make the time up with a burst, which the
 * receiver's ring would have to absorb and a trial would blame on the
 * receiver. Its schedule moves on instead, the achieved rate shows the
 * slip, and the summary counts it. A trace's timing (--speed) keeps
 * catching up: there the gaps are the trace's. */
#define MAX_BEHIND_NS 100000

struct slips {
	uint64_t n, ns;
};

/* Moves the schedule's start when the frame due at `due` is late by more
 * than MAX_BEHIND_NS at a fixed rate. */
static void no_burst(const struct gen_args *a, uint64_t *start, uint64_t due, struct slips *sl)
{
	uint64_t now = gtpc_now_ns();

	if (a->rate <= 0 || now <= *start + due + MAX_BEHIND_NS)
		return;
	sl->n++;
	sl->ns += now - (*start + due);
	*start = now - due;
}

static void report_slips(const struct slips *sl)
{
	if (sl->n)
		fprintf(stderr, "gen: fell behind the rate %" PRIu64 " times (%.3f ms in all) and went on without a burst\n",
			sl->n, sl->ns / 1e6);
}

static int send_live(struct gtpc_gen *g, const struct gen_args *a, uint64_t *written)
{
	struct gtpc_sender *s = malloc(sizeof(*s));
	struct slips sl = { 0 };
	uint64_t began, start, t, due;
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
	began = start = gtpc_now_ns(); /* start moves with the slips, began does not */
	while (!a->count || *written < a->count) {
		uint8_t frame[GTPC_SEND_FRAME];

		len = gtpc_gen_next(g, frame, sizeof(frame), &t);
		if (!len)
			break;
		if (!a->topspeed) {
			due = a->rate > 0 ? (uint64_t)(*written * 1e9 / a->rate) : (uint64_t)(t / a->speed);
			no_burst(a, &start, due, &sl);
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
	t = gtpc_now_ns() - began;
	fprintf(stderr, "gen: sent %" PRIu64 " frames in %.3f s (%.0f pps), %" PRIu64 " failed\n", s->sent, t / 1e9,
		s->sent / (t / 1e9), s->failed);
	report_slips(&sl);
	rc = s->failed ? -EIO : 0;
	free(s);
	return rc;
}

/* Returns 0, GTPC_OPTS_HELP, or -1 after saying what is wrong. */
static int parse_args(int argc, char **argv, struct gen_args *a)
{
	const char *shard = NULL;
	int first, rc;
	const struct gtpc_opt opts[] = {
		GTPC_OPT_STRING("profiles", 'p', &a->profiles, "FILE", "traffic profiles (conf/profiles.yaml)"),
		GTPC_OPT_NUMBER(GTPC_OPT_U32, "ues", 'u', &a->n_ues, "N", 1, 65000, "number of UEs (default 10)"),
		GTPC_OPT_STRING("mix", 'm', &a->mix, "LIST", "UEs per profile, e.g. urllc:4,embb:4,flood:2"),
		GTPC_OPT_NUMBER(GTPC_OPT_DOUBLE, "duration", 'd', &a->duration, "SEC", 0.001, 1e7,
				"traffic time to generate (default 10)"),
		GTPC_OPT_NUMBER(GTPC_OPT_U64, "seed", 's', &a->seed, "N", 0, 0, "random seed (default 1); same seed, same traffic"),
		GTPC_OPT_STRING("output", 'o', &a->out, "FILE", "write a pcap (nanosecond timestamps)"),
		GTPC_OPT_STRING("interface", 'i', &a->iface, "IF", "send on an interface (AF_PACKET, qdisc bypass)"),
		GTPC_OPT_NUMBER(GTPC_OPT_DOUBLE, "speed", 0, &a->speed, "X", 1e-6, 1e6, "with -i: X times real time (default 1)"),
		GTPC_OPT_NUMBER(GTPC_OPT_DOUBLE, "rate", 0, &a->rate, "PPS", 1, 1e9,
				"with -i: a fixed rate instead of the profiles' timing"),
		GTPC_OPT_BOOL("topspeed", 0, &a->topspeed, "with -i: as fast as possible"),
		GTPC_OPT_BOOL("afxdp", 0, &a->afxdp, "with --replay: send by AF_XDP TX (queue 0) instead of AF_PACKET"),
		GTPC_OPT_NUMBER(GTPC_OPT_U64, "count", 'n', &a->count, "N", 1, UINT64_MAX, "stop after N packets"),
		GTPC_OPT_STRING("labels", 'l', &a->labels, "FILE", "write the ground truth: ue,teid,class"),
		GTPC_OPT_BOOL("outer6", 0, &a->outer_v6, "outer IPv6 (default IPv4)"),
		GTPC_OPT_BOOL("inner6", 0, &a->inner_v6, "inner IPv6 (default IPv4)"),
		GTPC_OPT_BOOL("uplink-only", 0, &a->uplink_only, "no downlink packets"),
		GTPC_OPT_BOOL("no-psc", 0, &a->no_psc, "no PDU Session Container"),
		GTPC_OPT_STRING("shard", 0, &shard, "K/N", "only UEs i with i % N == K (one sender per CPU)"),
		GTPC_OPT_STRING("upf", 0, &a->upf, "ADDR", "outer address of the UPF (default 192.0.2.100)"),
		GTPC_OPT_STRING("gnb", 0, &a->gnb, "ADDR", "outer address of the first of eight gNBs (default 192.0.2.1)"),
		GTPC_OPT_STRING("replay", 0, &a->replay, "FILE",
				"with -i: send a capture's frames with its timing (--speed), at --rate, or "
				"--topspeed; -n beyond the capture starts it again"),
	};
	const struct gtpc_cmd_spec spec = {
		"gen", "-p PROFILES -u N (-o FILE.pcap | -i IFACE) [options]",
		"Generate GTP-U traffic of UEs following traffic profiles.", opts, sizeof(opts) / sizeof(opts[0]), 0, 0,
	};
	char rest;

	*a = (struct gen_args){ .n_ues = 10, .seed = 1, .duration = 10, .speed = 1 };
	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc;
	if (shard && (sscanf(shard, "%u/%u%c", &a->shard, &a->shards, &rest) != 2 || !a->shards || a->shard >= a->shards)) {
		pr_err("gen: --shard: '%s' is not K/N with K < N\n", shard);
		return -1;
	}
	if (a->replay && !a->iface) {
		pr_err("gen: --replay needs --interface\n");
		return -1;
	}
	if (!a->replay && (!a->profiles || !a->out == !a->iface)) {
		pr_err("gen: needs --profiles and one of --output or --interface\n");
		return -1;
	}
	return 0;
}

/* The replay's sender: AF_PACKET, or AF_XDP TX with --afxdp. */
struct tx {
	struct gtpc_sender *pk;
	struct gtpc_xsk_sender *xk;
};

static int tx_open(struct tx *t, const struct gen_args *a, char *err, size_t errlen)
{
	if (a->afxdp) {
		t->xk = gtpc_xsk_sender_open(a->iface, err, errlen);
		return t->xk ? 0 : -EIO;
	}
	t->pk = malloc(sizeof(*t->pk));
	return t->pk ? gtpc_sender_open(t->pk, a->iface, err, errlen) : -ENOMEM;
}

static void tx_send(struct tx *t, const uint8_t *data, uint32_t len)
{
	if (t->xk) {
		memcpy(gtpc_xsk_sender_slot(t->xk), data, len);
		gtpc_xsk_sender_commit(t->xk, len);
	} else {
		memcpy(gtpc_sender_slot(t->pk), data, len);
		gtpc_sender_commit(t->pk, len);
	}
}

static void tx_flush(struct tx *t)
{
	if (t->xk)
		gtpc_xsk_sender_flush(t->xk);
	else
		gtpc_sender_flush(t->pk);
}

/* Closes; returns sent and failed. */
static void tx_close(struct tx *t, uint64_t *sent, uint64_t *failed)
{
	*sent = *failed = 0;
	if (t->xk) {
		gtpc_xsk_sender_close(t->xk, sent, failed);
	} else if (t->pk) {
		gtpc_sender_close(t->pk);
		*sent = t->pk->sent;
		*failed = t->pk->failed;
	}
	free(t->pk);
}

/* Sends a capture's frames on an interface, keeping their spacing. */
static int replay(const struct gen_args *a)
{
	uint64_t began, start, first = 0, ts, n = 0, sent, failed, too_big = 0;
	struct slips sl = { 0 };
	struct tx t = { 0 };
	const uint8_t *data;
	char err[512];
	uint32_t len;
	pcap_t *pc;
	int rc;

	pc = gtpc_pcap_open(a->replay, err, sizeof(err));
	if (!pc || tx_open(&t, a, err, sizeof(err))) {
		pr_err("%s\n", err);
		tx_close(&t, &sent, &failed);
		if (pc)
			pcap_close(pc);
		return -EINVAL;
	}
	began = start = gtpc_now_ns(); /* start moves with the slips, began does not */
	while (!a->count || n < a->count) {
		uint64_t due;

		rc = gtpc_pcap_next(pc, &data, &len, NULL, &ts);
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
		if (len > GTPC_SEND_FRAME) {
			too_big++;
			continue;
		}
		if (!first)
			first = ts;
		due = a->rate > 0 ? (uint64_t)(n * 1e9 / a->rate) : (uint64_t)((ts - first) / a->speed);
		if (!a->topspeed)
			no_burst(a, &start, due, &sl);
		if (!a->topspeed && gtpc_now_ns() < start + due) {
			tx_flush(&t);
			pace(start, due);
		}
		tx_send(&t, data, len);
		n++;
	}
	tx_close(&t, &sent, &failed);
	ts = gtpc_now_ns() - began;
	fprintf(stderr, "gen: sent %" PRIu64 " frames in %.3f s (%.0f pps) from %s, %" PRIu64 " failed\n", sent,
		ts / 1e9, sent / (ts / 1e9), a->replay, failed);
	report_slips(&sl);
	if (too_big)
		pr_err("%" PRIu64 " frame%s over %d bytes not sent (the sender's frame size)\n", too_big,
		       too_big == 1 ? "" : "s", GTPC_SEND_FRAME);
	if (pc)
		pcap_close(pc);
	return failed || too_big ? -EIO : 0;
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

	rc = parse_args(argc, argv, &a);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
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

/* The XDP program through BPF_PROG_RUN: known packets in; the action, the
 * metadata stamp and exactly one counter out. Needs root (BPF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpf_test.h"
#include "daemon/datapath.h"
#include "gtpc/key.h"
#include "gtpc/maps.h"
#include "gtpc/rewrite.h"
#include "gtpclass.skel.h"
#include "pktbuild.h"
#include "xdp_fate.h"
#include "gen/profiles.h"

struct ctx {
	struct gtpclass_bpf *skel;
};

struct run_result {
	int action;
	struct gtpc_meta meta;
	int delta_counter; /* the one counter that moved, -1 if none or several */
	uint8_t frame[128]; /* the frame's start as the program left it */
};

static const struct gtpc_mac egress_mac = { { 0x02, 0xee, 0, 0, 0, 0x01 } };
static const struct gtpc_mac upf_mac = { { 0x02, 0xaa, 0, 0, 0, 0x64 } };

static uint32_t unparsed_drop; /* for the next load only */
static uint32_t key_mode;      /* for the next load only */

static int load_opts(void **state, int use_prefixes, int forward, uint32_t max_frame)
{
	struct ctx *c;
	uint32_t one = 1;

	NOT_ROOT_SETUP(state);
	c = calloc(1, sizeof(*c));
	c->skel = gtpclass_bpf__open();
	if (!c->skel)
		return -1;
	c->skel->rodata->cfg_use_prefixes = (uint32_t)use_prefixes;
	c->skel->rodata->cfg_ue_is_src = !use_prefixes;
	c->skel->rodata->cfg_forward = (uint32_t)forward;
	c->skel->rodata->cfg_max_frame = max_frame;
	c->skel->rodata->cfg_unparsed_drop = unparsed_drop;
	c->skel->rodata->cfg_key_mode = key_mode;
	c->skel->rodata->cfg_parse_opts = gtpc_key_parse_opts(key_mode);
	unparsed_drop = 0;
	key_mode = GTPC_KEY_UE;
	memcpy((void *)&c->skel->rodata->cfg_egress_mac, &egress_mac, 6);
	if (gtpclass_bpf__load(c->skel))
		return -1;
	if (forward) {
		uint32_t zero = 0, lo = 1;

		bpf_map_update_elem(bpf_map__fd(c->skel->maps.egress), &zero, &lo, BPF_ANY);
	}
	if (use_prefixes) {
		struct gtpc_prefix_key k = { .prefixlen = 96 + 16 };

		gtpc_addr_parse("10.45.0.0", k.addr);
		bpf_map_update_elem(bpf_map__fd(c->skel->maps.ue_prefixes), &k, &one, BPF_ANY);
	}
	*state = c;
	return 0;
}

static int setup(void **state)
{
	return load_opts(state, 0, 0, 0);
}

static int setup_prefixes(void **state)
{
	return load_opts(state, 1, 0, 0);
}

static int setup_forward(void **state)
{
	return load_opts(state, 0, 1, 0);
}

static int setup_frames(void **state)
{
	/* frame_size 2048: BPF_PROG_RUN keeps such a frame linear; and
	 * parser.on_unparsed: drop. */
	unparsed_drop = 1;
	return load_opts(state, 0, 0, 2048 - 256);
}

static int setup_flow(void **state)
{
	key_mode = GTPC_KEY_FLOW;
	return load_opts(state, 0, 0, 0);
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	if (!c)
		return 0;
	gtpclass_bpf__destroy(c->skel);
	free(c);
	return 0;
}

static struct run_result run(struct ctx *c, const uint8_t *pkt, size_t len)
{
	struct gtpc_metrics before, after;
	uint8_t out[4096 + 64];
	struct xdp_md in_ctx = { .data_end = (uint32_t)len }, out_ctx;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt, .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .ctx_in = &in_ctx, .ctx_size_in = sizeof(in_ctx),
		    .ctx_out = &out_ctx, .ctx_size_out = sizeof(out_ctx), .repeat = 1);
	struct run_result r = { .delta_counter = -1 };
	int i, moved = 0;

	assert_int_equal(gtpc_counters_read_fds(bpf_map__fd(c->skel->maps.counters),
						bpf_map__fd(c->skel->maps.events), &before), 0);
	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(c->skel->progs.gtpc_redirect), &o), 0);
	r.action = (int)o.retval;
	assert_int_equal(out_ctx.data - out_ctx.data_meta, sizeof(struct gtpc_meta));
	memcpy(&r.meta, out, sizeof(r.meta));
	memcpy(r.frame, out + sizeof(r.meta), sizeof(r.frame));
	gtpc_counters_read_fds(bpf_map__fd(c->skel->maps.counters), bpf_map__fd(c->skel->maps.events), &after);
	for (i = 0; i < GTPC_CNT__COUNT; i++) {
		uint64_t d = after.v[GTPC_M_XDP + i] - before.v[GTPC_M_XDP + i];

		if (d) {
			moved++;
			r.delta_counter = d == 1 ? i : -1;
		}
	}
	if (moved != 1)
		r.delta_counter = -1;
	return r;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

enum mutation { NONE, TCP_OUTER, GTPC_PORT, ECHO, FRAG, EXT_ZERO, TRUNC_GTP, VLAN2, OUTER6, ARP };

struct xdp_case {
	const char *what;
	enum mutation m;
	int action;
	int counter;
};

static const struct xdp_case cases[] = {
	{ "G-PDU, no socket bound: passed", NONE, XDP_PASS, GTPC_CNT_PASS_NO_SOCKET },
	{ "QinQ G-PDU", VLAN2, XDP_PASS, GTPC_CNT_PASS_NO_SOCKET },
	{ "outer IPv6 G-PDU", OUTER6, XDP_PASS, GTPC_CNT_PASS_NO_SOCKET },
	{ "TCP, not GTP-U", TCP_OUTER, XDP_PASS, GTPC_CNT_PASS_NOT_GTPU },
	{ "GTP-C port", GTPC_PORT, XDP_PASS, GTPC_CNT_PASS_NOT_GTPU },
	{ "ARP", ARP, XDP_PASS, GTPC_CNT_PASS_NOT_GTPU },
	{ "echo request", ECHO, XDP_PASS, GTPC_CNT_PASS_GTPU_OTHER },
	{ "outer fragment", FRAG, XDP_PASS, GTPC_CNT_PASS_FRAGMENT },
	{ "extension of length 0", EXT_ZERO, XDP_PASS, GTPC_CNT_MALFORMED_BASE + GTPC_MAL_EXT_ZERO_LEN },
	{ "GTP length beyond the frame", TRUNC_GTP, XDP_PASS, GTPC_CNT_MALFORMED_BASE + GTPC_MAL_GTP_LEN },
};

static size_t build_case(uint8_t *buf, enum mutation m)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n;

	if (m == GTPC_PORT)
		s.udp_dport = 2123;
	if (m == ECHO)
		s.msg_type = 1;
	if (m == VLAN2) {
		s.n_vlan = 2;
		s.vlan[0] = 10;
		s.vlan[1] = 20;
	}
	if (m == OUTER6) {
		s.outer_v6 = 1;
		gtpc_addr_parse("2001:db8::1", s.outer_src);
		gtpc_addr_parse("2001:db8::2", s.outer_dst);
	}
	n = gtpc_pkt_build(buf, 2048, &s);
	if (m == TCP_OUTER)
		buf[14 + 9] = 6;
	if (m == FRAG)
		buf[14 + 6] = 0x20;
	if (m == EXT_ZERO)
		buf[14 + 20 + 8 + 12] = 0;
	if (m == TRUNC_GTP)
		buf[14 + 20 + 8 + 2] += 1;
	if (m == ARP)
		buf[12] = 0x08, buf[13] = 0x06;
	return n;
}

static void test_table(void **state)
{
	struct ctx *c = *state;
	uint8_t buf[2048];
	size_t i;

	SKIP_IF_NO_STATE(state);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = build_case(buf, cases[i].m);
		uint64_t t0 = mono_ns();
		struct run_result r = run(c, buf, n);
		uint64_t t1 = mono_ns();

		printf("  %-32s action %d counter %s\n", cases[i].what, r.action,
		       r.delta_counter >= 0 ? gtpc_metric_table[GTPC_M_XDP + r.delta_counter].name : "(none or several)");
		assert_int_equal(r.action, cases[i].action);
		assert_int_equal(r.delta_counter, cases[i].counter);
		assert_int_equal(r.meta.magic, GTPC_META_MAGIC);
		assert_true(r.meta.rx_ns >= t0 && r.meta.rx_ns <= t1);
	}
}

static void put_verdict(struct ctx *c, const char *ue, uint64_t expires)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_verdict v = { .act = { .action = GTPC_ACT_DROP }, .class_id = 2, .expires_ns = expires };
	struct gtpc_pkt p;
	struct gtpc_key k;
	uint8_t buf[2048];
	size_t n = gtpc_pkt_build(buf, sizeof(buf), &s);

	gtpc_parse(buf, buf + n, &p);
	gtpc_addr_parse(ue, p.src);
	p.dir = GTPC_DIR_UL;
	gtpc_key_build(&k, &p, GTPC_KEY_UE, 1);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(c->skel->maps.verdicts), &k, &v, BPF_ANY), 0);
}

static void test_verdicts(void **state)
{
	struct ctx *c = *state;
	struct gtpc_metrics ev0, ev1;
	uint8_t buf[2048];
	size_t n = build_case(buf, NONE);
	struct run_result r;

	SKIP_IF_NO_STATE(state);
	put_verdict(c, "10.45.0.2", mono_ns() + 60ULL * 1000000000ULL);
	r = run(c, buf, n);
	assert_int_equal(r.action, XDP_DROP);
	assert_int_equal(r.delta_counter, GTPC_CNT_DROP_VERDICT);
	/* Another UE is not affected. */
	put_verdict(c, "10.45.0.99", mono_ns() + 60ULL * 1000000000ULL);
	r = run(c, buf, n);
	assert_int_equal(r.action, XDP_DROP);
	/* An expired verdict no longer drops, and says so. */
	put_verdict(c, "10.45.0.2", mono_ns() - 1);
	gtpc_counters_read_fds(bpf_map__fd(c->skel->maps.counters), bpf_map__fd(c->skel->maps.events), &ev0);
	r = run(c, buf, n);
	gtpc_counters_read_fds(bpf_map__fd(c->skel->maps.counters), bpf_map__fd(c->skel->maps.events), &ev1);
	assert_int_equal(r.action, XDP_PASS);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_NO_SOCKET);
	assert_int_equal(ev1.v[GTPC_M_EV + GTPC_EV_VERDICT_EXPIRED] - ev0.v[GTPC_M_EV + GTPC_EV_VERDICT_EXPIRED], 1);
}

/* Without a PSC, the UE prefixes say which inner address is the UE's: a
 * downlink packet to a dropped UE is dropped. */
static void test_prefix_direction(void **state)
{
	struct ctx *c = *state;
	struct gtpc_pkt_spec s = test_spec();
	uint8_t buf[2048];
	size_t n;

	SKIP_IF_NO_STATE(state);
	put_verdict(c, "10.45.0.2", mono_ns() + 60ULL * 1000000000ULL);
	s.psc = 0;
	memcpy(s.inner_dst, s.inner_src, 16);
	gtpc_addr_parse("198.51.100.1", s.inner_src);
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	assert_int_equal(run(c, buf, n).action, XDP_DROP);
	/* Neither address in a UE prefix: the default (downlink) takes dst. */
	gtpc_addr_parse("172.16.0.1", s.inner_dst);
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	assert_int_equal(run(c, buf, n).action, XDP_PASS);
}

/* Forwarding: a G-PDU whose next hop is unknown goes to the kernel (which
 * resolves it); other GTP-U leaves by the egress with the egress's MAC as
 * source and the next hop's as destination; a mark verdict rewrites DSCP. */
static void test_forward(void **state)
{
	struct ctx *c = *state;
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_prefix_key k = { .prefixlen = 128 };
	struct gtpc_verdict v = { .act = { .action = GTPC_ACT_MARK, .param = 46 }, .expires_ns = UINT64_MAX };
	struct run_result r;
	struct gtpc_pkt p;
	struct gtpc_key key;
	uint8_t buf[2048];
	size_t n = gtpc_pkt_build(buf, sizeof(buf), &s);

	SKIP_IF_NO_STATE(state);
	r = run(c, buf, n);
	assert_int_equal(r.action, XDP_PASS);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_NOT_FORWARDED);
	gtpc_addr_parse("192.0.2.100", k.addr);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(c->skel->maps.next_hops), &k, &upf_mac, BPF_ANY), 0);
	r = run(c, buf, n);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_NO_SOCKET); /* to the worker, had it a socket */
	/* ... with the MACs it leaves by: the worker transmits it as it is. */
	assert_memory_equal(r.frame, upf_mac.addr, 6);
	assert_memory_equal(r.frame + 6, egress_mac.addr, 6);
	s.msg_type = 1; /* echo request */
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	r = run(c, buf, n);
	assert_int_equal(r.action, XDP_REDIRECT);
	assert_int_equal(r.delta_counter, GTPC_CNT_FWD_GTPU_OTHER);
	assert_memory_equal(r.frame, upf_mac.addr, 6);
	assert_memory_equal(r.frame + 6, egress_mac.addr, 6);
	assert_memory_equal(r.frame + 12, buf + 12, n - 12 < 100 ? n - 12 : 100);
	/* A mark verdict: the frame goes on with DSCP 46. */
	s = test_spec();
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	gtpc_parse(buf, buf + n, &p);
	gtpc_key_build(&key, &p, GTPC_KEY_UE, 1);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(c->skel->maps.verdicts), &key, &v, BPF_ANY), 0);
	r = run(c, buf, n);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_NO_SOCKET);
	assert_int_equal(r.frame[p.outer_off + 1] >> 2, 46);
	assert_int_equal(buf[p.outer_off + 1] >> 2, 0);
}

/* A G-PDU longer than a UMEM frame holds goes to the stack, counted, not
 * to a socket that would drop it; an allowed UE's drop verdict is not
 * carried out. */
static void test_too_big_and_allowed(void **state)
{
	struct ctx *c = *state;
	struct gtpc_pkt_spec s = test_spec();
	static uint8_t buf[4096];
	struct gtpc_prefix_key pk = { .prefixlen = 128 };
	struct run_result r;
	uint32_t one = 1;
	size_t n;

	SKIP_IF_NO_STATE(state);
	s.inner_len = 1800;
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	r = run(c, buf, n);
	assert_int_equal(r.action, XDP_PASS);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_TOO_BIG);
	s.inner_len = 1700; /* fits: to the (missing) socket */
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	r = run(c, buf, n);
	assert_int_equal(r.delta_counter, GTPC_CNT_PASS_NO_SOCKET);

	s = test_spec();
	n = gtpc_pkt_build(buf, sizeof(buf), &s);
	put_verdict(c, "10.45.0.2", mono_ns() + 60000000000ULL);
	assert_int_equal(run(c, buf, n).delta_counter, GTPC_CNT_DROP_VERDICT);
	gtpc_addr_parse("10.45.0.2", pk.addr);
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(c->skel->maps.allow), &pk, &one, BPF_ANY), 0);
	/* In the map but not yet counted: not looked up. */
	assert_int_equal(run(c, buf, n).delta_counter, GTPC_CNT_DROP_VERDICT);
	c->skel->bss->allow_n = 1;
	assert_int_equal(run(c, buf, n).delta_counter, GTPC_CNT_PASS_NO_SOCKET);

	/* Beyond the parser's bounds (nine GTP extension headers), with
	 * on_unparsed: drop. */
	{
		size_t g = 14 + 20 + 8, i;

		for (i = 0; i < 9; i++) {
			buf[g + 12 + 4 * i] = 1;
			buf[g + 12 + 4 * i + 3] = 0x40;
		}
		r = run(c, buf, n);
		assert_int_equal(r.action, XDP_DROP);
		assert_int_equal(r.delta_counter, GTPC_CNT_UNPARSED_GTP_EXT);
	}
}

/* One parser, two compilations: frames of many shapes, each mutated at a
 * few random bytes, through the XDP program (BPF_PROG_RUN) and the
 * user-space parser; the fate XDP counts must be the one the user-space
 * outcome implies, and a G-PDU's key the same, frame for frame. */
static void test_differential(void **state)
{
	struct ctx *c = *state;
	static uint8_t buf[2048];
	uint64_t rng = 2026;
	int differ = 0, keys_differ = 0, gpdus = 0, i, seen[GTPC_CNT__COUNT] = { 0 }, kinds = 0;
	int prog = bpf_program__fd(c->skel->progs.gtpc_redirect), counters = bpf_map__fd(c->skel->maps.counters);

	SKIP_IF_NO_STATE(state);
	for (i = 0; i < 20000; i++) {
		struct gtpc_pkt_spec s = test_spec();
		struct gtpc_pkt p;
		struct run_result r;
		size_t n;
		int k, flips = (int)(gtpc_rng_next(&rng) % 4);

		s.outer_v6 = (int)(gtpc_rng_next(&rng) % 2);
		s.inner_v6 = (int)(gtpc_rng_next(&rng) % 2);
		s.inner_ext = (int)(gtpc_rng_next(&rng) % 4);
		s.n_vlan = (int)(gtpc_rng_next(&rng) % 3);
		s.psc = (int)(gtpc_rng_next(&rng) % 2);
		s.proto = gtpc_rng_next(&rng) % 2 ? GTPC_IPPROTO_TCP : GTPC_IPPROTO_UDP;
		s.inner_len = (uint16_t)(60 + gtpc_rng_next(&rng) % 400);
		n = gtpc_pkt_build(buf, sizeof(buf), &s);
		for (k = 0; k < flips; k++)
			buf[gtpc_rng_next(&rng) % (n < 120 ? n : 120)] ^= (uint8_t)(1 + gtpc_rng_next(&rng) % 255);
		if (gtpc_rng_next(&rng) % 8 == 0) /* cut short; BPF_PROG_RUN wants an Ethernet header */
			n = 14 + (size_t)(gtpc_rng_next(&rng) % (n - 14));
		gtpc_parse(buf, buf + n, &p);
		r = run(c, buf, n);
		if (p.outcome == GTPC_OUT_GPDU) {
			struct gtpc_key key;

			gpdus++;
			gtpc_key_build(&key, &p, GTPC_KEY_UE, 1);
			if (!gtpc_fate_same_key(prog, counters, bpf_map__fd(c->skel->maps.verdicts), buf, n, &key))
				keys_differ++;
		}
		if (r.delta_counter != gtpc_fate_expected(&p)) {
			if (differ++ < 5)
				printf("  frame %d (%zu bytes): user %s/%s, XDP counter %d\n", i, n,
				       gtpc_outcome_name(p.outcome), gtpc_malformed_name(p.reason), r.delta_counter);
		} else if (!seen[r.delta_counter]++) {
			kinds++;
		}
	}
	printf("  20000 frames, %d fates seen, %d differ; %d G-PDUs, %d keyed differently\n", kinds, differ, gpdus,
	       keys_differ);
	assert_int_equal(differ, 0);
	assert_int_equal(keys_differ, 0);
	assert_true(gpdus > 1000);
	assert_true(kinds >= 8);
}

/* key: flow in both compilations: the ports behind inner IPv6 extension
 * headers are part of the key XDP enforces verdicts by, as in user space. */
static void test_flow_inner_ext(void **state)
{
	struct ctx *c = *state;
	int prog, counters, ext, proto;
	static uint8_t buf[2048];

	SKIP_IF_NO_STATE(state);
	prog = bpf_program__fd(c->skel->progs.gtpc_redirect);
	counters = bpf_map__fd(c->skel->maps.counters);
	for (proto = 0; proto < 2; proto++) {
		for (ext = 0; ext <= GTPC_MAX_INNER_IP6_EXT + 1; ext++) {
			struct gtpc_pkt_spec s = test_spec();
			struct gtpc_pkt p;
			struct gtpc_key k;
			size_t n;

			s.inner_v6 = 1;
			s.inner_ext = ext;
			s.proto = proto ? GTPC_IPPROTO_TCP : GTPC_IPPROTO_UDP;
			s.sport = (uint16_t)(1000 + ext);
			s.dport = 443;
			n = gtpc_pkt_build(buf, sizeof(buf), &s);
			assert_int_equal(gtpc_parse_opts(buf, buf + n, GTPC_PARSE_INNER_EXT, &p), GTPC_OUT_GPDU);
			assert_int_equal(p.has_ports, ext <= GTPC_MAX_INNER_IP6_EXT);
			gtpc_key_build(&k, &p, GTPC_KEY_FLOW, 1);
			printf("  inner IPv6, %s behind %d extension headers: key ports %u/%u, XDP keys it alike\n",
			       proto ? "TCP" : "UDP", ext, k.sport, k.dport);
			assert_true(gtpc_fate_same_key(prog, counters, bpf_map__fd(c->skel->maps.verdicts), buf, n, &k));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_direction, setup_prefixes, teardown),
		cmocka_unit_test_setup_teardown(test_too_big_and_allowed, setup_frames, teardown),
		cmocka_unit_test_setup_teardown(test_differential, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forward, setup_forward, teardown),
		cmocka_unit_test_setup_teardown(test_flow_inner_ext, setup_flow, teardown),
	};

	return cmocka_run_group_tests_name("xdp_prog", tests, NULL, NULL);
}

/* The shared GTP-U parser: every outcome and malformed reason, both IP
 * versions outside and inside, VLAN tags, the extension chain, and
 * truncation at every offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pktbuild.h"

static uint8_t buf[4096];

static size_t build(const struct gtpc_pkt_spec *s)
{
	size_t n = gtpc_pkt_build(buf, sizeof(buf), s);

	assert_true(n > 0);
	return n;
}

/* Offset of the GTP header in a frame built from s. */
static size_t gtp_off(const struct gtpc_pkt_spec *s)
{
	return 14 + 4 * (size_t)s->n_vlan + (s->outer_v6 ? 40 : 20) + 8;
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void expect_malformed(size_t len, uint8_t reason)
{
	struct gtpc_pkt p;

	assert_int_equal(parse_exact(buf, len, 0, &p), GTPC_OUT_MALFORMED);
	assert_int_equal(p.outcome, GTPC_OUT_MALFORMED);
	assert_string_equal(gtpc_malformed_name(p.reason), gtpc_malformed_name(reason));
}

static void test_uplink_ipv4_psc(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	uint8_t want[16];
	size_t n = build(&s);

	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.teid, 0x1234);
	assert_int_equal(p.has_psc, 1);
	assert_int_equal(p.qfi, 9);
	assert_int_equal(p.dir, GTPC_DIR_UL);
	assert_int_equal(p.outer_ver, 4);
	assert_int_equal(p.inner_ver, 4);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.sport, 4000);
	assert_int_equal(p.dport, 53);
	assert_int_equal(p.inner_len, 100);
	assert_int_equal(p.n_ext, 1);
	assert_int_equal(p.inner_off, gtp_off(&s) + 16);
	gtpc_addr_parse("10.45.0.2", want);
	assert_memory_equal(p.src, want, 16);
	gtpc_addr_parse("198.51.100.1", want);
	assert_memory_equal(p.dst, want, 16);
}

static void test_downlink_ipv6_outer_inner(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	uint8_t want[16];
	size_t n;

	s.outer_v6 = 1;
	gtpc_addr_parse("2001:db8:1::1", s.outer_src);
	gtpc_addr_parse("2001:db8:2::1", s.outer_dst);
	s.inner_v6 = 1;
	gtpc_addr_parse("2001:db8:99::1", s.inner_src);
	gtpc_addr_parse("2001:db8:45::7", s.inner_dst);
	s.pdu_type = 0;
	s.qfi = 63;
	s.proto = GTPC_IPPROTO_TCP;
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.outer_ver, 6);
	assert_int_equal(p.inner_ver, 6);
	assert_int_equal(p.dir, GTPC_DIR_DL);
	assert_int_equal(p.qfi, 63);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.has_ports, 1);
	gtpc_addr_parse("2001:db8:45::7", want);
	assert_memory_equal(p.dst, want, 16);
}

static void test_vlan_and_qinq(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n;

	s.n_vlan = 1;
	s.vlan[0] = 100;
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.vlans, 1);
	s.n_vlan = 2;
	s.vlan[1] = 200;
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.vlans, 2);
	assert_int_equal(p.teid, 0x1234);
}

static void test_no_psc_no_options(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n;

	s.psc = 0;
	n = build(&s);
	assert_int_equal(buf[gtp_off(&s)], 0x30);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.has_psc, 0);
	assert_int_equal(p.dir, GTPC_DIR_UNKNOWN);
	assert_int_equal(p.inner_off, gtp_off(&s) + 8);
	s.seq_present = 1; /* S flag: the optional word, no extension */
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.inner_off, gtp_off(&s) + 12);
}

/* PDCP number (0xC0) then UDP port (0x40), as in pcapplusplus-gtp.pcap. */
static void test_ext_chain_c0_40(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	uint8_t frame[4096];
	struct gtpc_pkt p;
	size_t n, g, inner;

	s.psc = 0;
	s.seq_present = 1;
	n = build(&s);
	g = gtp_off(&s);
	inner = n - (g + 12);
	memcpy(frame, buf, g + 12);
	frame[g] |= GTPC_FLAG_E;
	frame[g + 11] = 0xC0;
	/* 0xC0: length 1, PDCP number, next 0x40 */
	frame[g + 12] = 1, frame[g + 13] = 0x12, frame[g + 14] = 0x34, frame[g + 15] = 0x40;
	/* 0x40: length 1, port 2152, next 0 */
	frame[g + 16] = 1, frame[g + 17] = 0x08, frame[g + 18] = 0x68, frame[g + 19] = 0;
	memcpy(frame + g + 20, buf + g + 12, inner);
	set16(frame + g + 2, (uint16_t)(12 + inner)); /* GTP length */
	set16(frame + g - 4, (uint16_t)(8 + 20 + inner)); /* UDP length */
	set16(frame + 14 + 2, (uint16_t)(20 + 8 + 20 + inner)); /* IP total */
	n += 8;
	assert_int_equal(parse_exact(frame, n, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.n_ext, 2);
	assert_int_equal(p.has_psc, 0);
	assert_int_equal(p.inner_off, g + 20);
	assert_int_equal(p.sport, 4000);
}

static void test_ext_zero_length(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n = build(&s);

	buf[gtp_off(&s) + 12] = 0;
	expect_malformed(n, GTPC_MAL_EXT_ZERO_LEN);
}

static void test_ext_overrun(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n = build(&s);

	/* An extension longer than the GTP payload. */
	buf[gtp_off(&s) + 12] = 200;
	expect_malformed(n, GTPC_MAL_EXT_OVERRUN);
}

static void expect_unparsed(size_t len, uint8_t reason)
{
	struct gtpc_pkt p;

	assert_int_equal(parse_exact(buf, len, 0, &p), GTPC_OUT_UNPARSED);
	assert_string_equal(gtpc_unparsed_name(p.reason), gtpc_unparsed_name(reason));
}

static void test_ext_chain_too_long(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n = build(&s), g = gtp_off(&s), i;

	/* Nine 4-byte extensions each pointing to the next, written over the
	 * inner packet: one more than the walk allows. */
	for (i = 0; i < 9; i++) {
		uint8_t *h = buf + g + 12 + 4 * i;

		h[0] = 1;
		h[3] = 0x40;
	}
	expect_unparsed(n, GTPC_UNP_GTP_EXT);
}

/* Valid encapsulations beyond the parser's bounds are their own outcome,
 * never "not GTP-U": three VLAN tags, four outer IPv6 extension headers. */
static void test_unparsed_bounds(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n;
	int i;

	s.n_vlan = 2;
	n = build(&s);
	/* A third tag: where the second said IPv4 (offset 20), another
	 * 802.1Q tag, then IPv4. */
	memmove(buf + 24, buf + 20, n - 20);
	buf[20] = 0x81, buf[21] = 0x00;
	buf[22] = 0x00, buf[23] = 0x07;
	expect_unparsed(n + 4, GTPC_UNP_VLAN_DEPTH);

	s = test_spec();
	s.outer_v6 = 1;
	n = build(&s);
	/* Four destination-options headers of 8 bytes before UDP. */
	memmove(buf + 14 + 40 + 32, buf + 14 + 40, n - 14 - 40);
	for (i = 0; i < 4; i++) {
		uint8_t *h = buf + 14 + 40 + 8 * i;

		memset(h, 0, 8);
		h[0] = i < 3 ? 60 : 17;
		h[2] = 1; /* PadN */
		h[3] = 4;
	}
	buf[14 + 6] = 60;
	set16(buf + 14 + 4, (uint16_t)((buf[14 + 4] << 8 | buf[14 + 5]) + 32));
	expect_unparsed(n + 32, GTPC_UNP_IP6_EXT);
	/* Three are walked. */
	buf[14 + 40 + 16] = 17;
	memmove(buf + 14 + 40 + 24, buf + 14 + 40 + 32, n - 14 - 40);
	set16(buf + 14 + 4, (uint16_t)((buf[14 + 4] << 8 | buf[14 + 5]) - 8));
	{
		struct gtpc_pkt p;

		assert_int_equal(parse_exact(buf, n + 24, 0, &p), GTPC_OUT_GPDU);
	}
}

static void test_gtp_header_checks(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n = build(&s), g = gtp_off(&s);
	struct gtpc_pkt p;

	buf[g] = (buf[g] & 0x1f) | (2 << 5);
	expect_malformed(n, GTPC_MAL_GTP_VERSION);
	n = build(&s);
	buf[g] &= (uint8_t)~0x10;
	expect_malformed(n, GTPC_MAL_GTP_PT);
	n = build(&s);
	buf[g + 3] ^= 1; /* GTP length disagrees with UDP length */
	expect_malformed(n, GTPC_MAL_GTP_LEN);
	n = build(&s);
	set16(buf + g - 4, 4); /* UDP length below its header */
	expect_malformed(n, GTPC_MAL_BAD_UDP_LEN);
	n = build(&s);
	buf[14] = 0x44; /* IHL 4 */
	expect_malformed(n, GTPC_MAL_BAD_IP);
	/* E set, but the GTP length leaves no room for the optional word. */
	s.psc = 0;
	n = build(&s);
	buf[g] |= GTPC_FLAG_E;
	set16(buf + g + 2, 2);
	set16(buf + g - 4, 8 + 8 + 2);
	expect_malformed(n, GTPC_MAL_GTP_LEN);
	s.psc = 1;
	/* An echo request is GTP-U but not a G-PDU. */
	s.msg_type = 1;
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GTPU_OTHER);
	assert_int_equal(p.msg_type, 1);
	assert_int_equal(p.teid, 0x1234);
}

static void test_inner_checks(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n = build(&s), in = gtp_off(&s) + 16;

	buf[in] = 0x25; /* version 2 */
	expect_malformed(n, GTPC_MAL_INNER_NOT_IP);
	n = build(&s);
	buf[in] = 0x44; /* IHL 4 */
	expect_malformed(n, GTPC_MAL_BAD_INNER);
	n = build(&s);
	set16(buf + in + 2, 2000); /* longer than the GTP payload */
	expect_malformed(n, GTPC_MAL_TRUNC_INNER);
	/* Inner total length that ends inside the UDP header: no ports. */
	n = build(&s);
	set16(buf + in + 2, 22);
	expect_malformed(n, GTPC_MAL_TRUNC_INNER_L4);
}

static void test_not_gtpu_and_fragments(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n;

	s.udp_dport = 2123; /* GTP-C */
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_NOT_GTPU);
	/* From 2152 to another port: GTP-U only under GTPC_PARSE_SRC_PORT. */
	s.udp_dport = 40000;
	n = build(&s);
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_NOT_GTPU);
	assert_int_equal(parse_exact(buf, n, GTPC_PARSE_SRC_PORT, &p), GTPC_OUT_GPDU);
	s = test_spec();
	n = build(&s);
	buf[14 + 6] = 0x20; /* more fragments */
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_FRAGMENT);
	buf[14 + 9] = 6; /* TCP */
	buf[14 + 6] = 0;
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_NOT_GTPU);
	buf[12] = 0x08, buf[13] = 0x06; /* ARP */
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_NOT_GTPU);
	/* IPv6 fragment header on the outer packet. */
	s.outer_v6 = 1;
	n = build(&s);
	buf[14 + 6] = 44;
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_FRAGMENT);
}

/* Every proper prefix of a valid frame is malformed live (its IP length
 * then runs past it), and no read goes past it (the copy is exactly that
 * long, under ASan in the sanitizer build). Read as a capture cut by its
 * snap length (the wire length known), the same prefix is a G-PDU as soon
 * as the headers up to the inner ports are in, with the whole packet's
 * inner length, and a named truncation before. */
static void truncate_everywhere(struct gtpc_pkt_spec *s, int *live, int *cut_seen)
{
	size_t n = build(s), cut;
	struct gtpc_pkt p, whole;

	assert_int_equal(parse_exact(buf, n, 0, &whole), GTPC_OUT_GPDU);
	for (cut = 0; cut < n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		assert_int_equal(parse_exact(buf, cut, 0, &p), GTPC_OUT_MALFORMED);
		assert_int_not_equal(p.reason, GTPC_MAL_NONE);
		live[p.reason] = 1;
		memcpy(copy, buf, cut);
		if (gtpc_parse_frame(copy, copy + cut, copy + n, 0, &p) == GTPC_OUT_GPDU) {
			assert_true(cut >= (size_t)whole.inner_off + (whole.inner_ver == 4 ? 20 : 40) + 4);
			assert_int_equal(p.inner_len, whole.inner_len);
		} else {
			assert_int_equal(p.outcome, GTPC_OUT_MALFORMED);
			cut_seen[p.reason] = 1;
		}
		free(copy);
	}
}

static void test_truncation_every_offset(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	int live[GTPC_MAL__COUNT] = { 0 }, cut[GTPC_MAL__COUNT] = { 0 };

	truncate_everywhere(&s, live, cut);
	s.outer_v6 = 1;
	s.inner_v6 = 1;
	s.n_vlan = 2;
	s.proto = GTPC_IPPROTO_TCP;
	truncate_everywhere(&s, live, cut);
	/* Live, a frame shorter than its IP length says so. */
	assert_true(live[GTPC_MAL_TRUNC_L2]);
	assert_true(live[GTPC_MAL_TRUNC_IP]);
	assert_true(live[GTPC_MAL_OUTER_LEN]);
	/* In a cut capture, each layer's truncation has its own name. */
	assert_true(cut[GTPC_MAL_TRUNC_UDP]);
	assert_true(cut[GTPC_MAL_TRUNC_GTP]);
	assert_true(cut[GTPC_MAL_TRUNC_INNER]);
	assert_false(cut[GTPC_MAL_OUTER_LEN]);
}

/* An outer IPv4 length beyond the frame (0xffff) is not a G-PDU: Linux
 * drops such packets, and nothing behind them can be trusted. */
static void test_outer_length_beyond_frame(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n = build(&s);

	buf[14 + 2] = 0xff;
	buf[14 + 3] = 0xff;
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_MALFORMED);
	assert_int_equal(p.reason, GTPC_MAL_OUTER_LEN);
	s.outer_v6 = 1;
	n = build(&s);
	buf[14 + 4] = 0xff; /* payload length */
	assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_MALFORMED);
	assert_int_equal(p.reason, GTPC_MAL_OUTER_LEN);
}

/* An IPv6 atomic fragment (offset 0, M clear: RFC 6946) is a whole packet;
 * a fragment header with an offset or M set is a fragment. */
static void test_ipv6_atomic_fragment(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n;
	uint16_t plen;

	s.outer_v6 = 1;
	n = build(&s);
	/* Insert a fragment header after the 40-byte IPv6 header. */
	memmove(buf + 14 + 48, buf + 14 + 40, n - 14 - 40);
	memcpy(buf + 14 + 40, (uint8_t[8]){ 17, 0, 0x00, 0x00, 0, 0, 0, 7 }, 8);
	buf[14 + 6] = 44;
	plen = (uint16_t)((buf[14 + 4] << 8 | buf[14 + 5]) + 8);
	buf[14 + 4] = (uint8_t)(plen >> 8);
	buf[14 + 5] = (uint8_t)plen;
	assert_int_equal(parse_exact(buf, n + 8, 0, &p), GTPC_OUT_GPDU);
	assert_int_equal(p.teid, 0x1234);
	buf[14 + 43] = 0x01; /* M: more fragments */
	assert_int_equal(parse_exact(buf, n + 8, 0, &p), GTPC_OUT_FRAGMENT);
	buf[14 + 43] = 0x08; /* offset 1 */
	assert_int_equal(parse_exact(buf, n + 8, 0, &p), GTPC_OUT_FRAGMENT);
}

/* Inner IPv6 extension headers: with the option key: flow sets, the ports
 * behind two of them are found; without it, or behind a third, or in a
 * later fragment, the G-PDU has no ports. Never malformed either way. */
static void test_inner_ipv6_ext(void **state)
{
	struct gtpc_pkt_spec s = test_spec();
	struct gtpc_pkt p;
	size_t n, inner;
	int ext;

	s.inner_v6 = 1;
	s.proto = GTPC_IPPROTO_TCP;
	s.sport = 40001;
	s.dport = 443;
	for (ext = 0; ext <= 3; ext++) {
		s.inner_ext = ext;
		n = build(&s);
		assert_int_equal(parse_exact(buf, n, GTPC_PARSE_INNER_EXT, &p), GTPC_OUT_GPDU);
		assert_int_equal(p.has_ports, ext <= GTPC_MAX_INNER_IP6_EXT);
		if (ext <= GTPC_MAX_INNER_IP6_EXT) {
			assert_int_equal(p.proto, GTPC_IPPROTO_TCP);
			assert_int_equal(p.sport, 40001);
			assert_int_equal(p.dport, 443);
		}
		assert_int_equal(parse_exact(buf, n, 0, &p), GTPC_OUT_GPDU);
		assert_int_equal(p.has_ports, ext == 0);
	}
	/* One header, made a fragment header: the first fragment has the
	 * ports, a later one none. */
	s.inner_ext = 1;
	n = build(&s);
	inner = n - s.inner_len; /* the inner packet ends the frame */
	assert_int_equal(buf[inner + 6], 60);
	buf[inner + 6] = 44;
	buf[inner + 40 + 1] = 0;
	buf[inner + 40 + 2] = 0;
	buf[inner + 40 + 3] = 0x01; /* offset 0, M: the first fragment */
	assert_int_equal(parse_exact(buf, n, GTPC_PARSE_INNER_EXT, &p), GTPC_OUT_GPDU);
	assert_true(p.has_ports);
	buf[inner + 40 + 3] = 0x08; /* offset 1 */
	assert_int_equal(parse_exact(buf, n, GTPC_PARSE_INNER_EXT, &p), GTPC_OUT_GPDU);
	assert_false(p.has_ports);
	/* A chain cut by the inner length: no ports, not malformed. */
	buf[inner + 40 + 3] = 0;
	buf[inner + 40 + 1] = 200;
	assert_int_equal(parse_exact(buf, n, GTPC_PARSE_INNER_EXT, &p), GTPC_OUT_GPDU);
	assert_false(p.has_ports);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uplink_ipv4_psc),
		cmocka_unit_test(test_downlink_ipv6_outer_inner),
		cmocka_unit_test(test_vlan_and_qinq),
		cmocka_unit_test(test_no_psc_no_options),
		cmocka_unit_test(test_ext_chain_c0_40),
		cmocka_unit_test(test_ext_zero_length),
		cmocka_unit_test(test_ext_overrun),
		cmocka_unit_test(test_ext_chain_too_long),
		cmocka_unit_test(test_unparsed_bounds),
		cmocka_unit_test(test_gtp_header_checks),
		cmocka_unit_test(test_inner_checks),
		cmocka_unit_test(test_not_gtpu_and_fragments),
		cmocka_unit_test(test_truncation_every_offset),
		cmocka_unit_test(test_outer_length_beyond_frame),
		cmocka_unit_test(test_ipv6_atomic_fragment),
		cmocka_unit_test(test_inner_ipv6_ext),
	};

	return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}

/* The rewriter: DSCP marking keeps every checksum valid (checked by full
 * recomputation, not by the incremental formula under test), touches
 * nothing else, and refuses headers it cannot reach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gtpc/rewrite.h"
#include "pktbuild.h"

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* A valid IPv4 header sums to 0xffff with its checksum. */
static int ip4_ok(const uint8_t *ip)
{
	return fold(sum16(ip, (size_t)(ip[0] & 0x0f) * 4, 0)) == 0xffff;
}

/* The outer UDP checksum over the pseudo-header and the whole datagram. */
static int udp_ok(const uint8_t *f, const struct gtpc_pkt *p)
{
	const uint8_t *ip = f + p->outer_off, *u = f + p->udp_off;
	uint16_t len = (uint16_t)(u[4] << 8 | u[5]);
	uint32_t s;

	if (p->outer_ver == 4 && !u[6] && !u[7])
		return 1;
	s = p->outer_ver == 4 ? sum16(ip + 12, 8, 0) : sum16(ip + 8, 32, 0);
	s += 17 + len;
	return fold(sum16(u, len, s)) == 0xffff;
}

static uint8_t dscp_of(const uint8_t *ip)
{
	return (ip[0] >> 4) == 4 ? ip[1] >> 2 : (uint8_t)(((ip[0] & 0x0f) << 4 | ip[1] >> 4) >> 2);
}

static size_t build(uint8_t *f, int outer6, int inner6, int vlans, struct gtpc_pkt *p)
{
	struct gtpc_pkt_spec s = test_spec();
	size_t n;

	s.outer_v6 = outer6;
	s.inner_v6 = inner6;
	s.n_vlan = vlans;
	s.vlan[0] = s.vlan[1] = 7;
	if (outer6) {
		gtpc_addr_parse("2001:db8::1", s.outer_src);
		gtpc_addr_parse("2001:db8::100", s.outer_dst);
	}
	if (inner6) {
		gtpc_addr_parse("2001:db8:45::2", s.inner_src);
		gtpc_addr_parse("2001:db8:99::1", s.inner_dst);
	}
	n = gtpc_pkt_build(f, 2048, &s);
	assert_true(n > 0);
	assert_int_equal(gtpc_parse(f, f + n, p), GTPC_OUT_GPDU);
	return n;
}

static void test_mark_every_shape(void **state)
{
	int outer6, inner6, inner, vlans;

	for (outer6 = 0; outer6 < 2; outer6++)
		for (inner6 = 0; inner6 < 2; inner6++)
			for (inner = 0; inner < 2; inner++)
				for (vlans = 0; vlans < 3; vlans += 2) {
					uint8_t f[2048], before[2048];
					struct gtpc_pkt p;
					size_t n = build(f, outer6, inner6, vlans, &p), i;

					memcpy(before, f, n);
					assert_true(udp_ok(f, &p));
					assert_int_equal(gtpc_mark(f, f + n, &p, 46, inner), 0);
					assert_int_equal(dscp_of(f + p.outer_off), 46);
					assert_int_equal(dscp_of(f + p.inner_off), inner ? 46 : 0);
					if (!outer6)
						assert_true(ip4_ok(f + p.outer_off));
					if (!inner6)
						assert_true(ip4_ok(f + p.inner_off));
					assert_true(udp_ok(f, &p));
					/* Only the TOS/traffic-class bytes and checksums changed. */
					for (i = 0; i < n; i++) {
						size_t o = i - p.outer_off, in = i - p.inner_off, u = i - p.udp_off;
						int allowed = (i >= p.outer_off && (o <= 1 || (!outer6 && (o == 10 || o == 11)))) ||
							      (inner && i >= p.inner_off && (in <= 1 || (!inner6 && (in == 10 || in == 11)))) ||
							      (inner && i >= p.udp_off && (u == 6 || u == 7));

						if (f[i] != before[i] && !allowed)
							fail_msg("byte %zu changed (outer6 %d inner6 %d inner %d)", i, outer6, inner6, inner);
					}
					/* Marking again changes nothing; ECN bits survive. */
					memcpy(before, f, n);
					assert_int_equal(gtpc_mark(f, f + n, &p, 46, inner), 0);
					assert_memory_equal(f, before, n);
				}
}

static void test_ecn_kept_and_dscp_zero(void **state)
{
	uint8_t f[2048];
	struct gtpc_pkt p;
	size_t n = build(f, 0, 1, 0, &p);

	f[p.outer_off + 1] = 0x03; /* ECN CE, DSCP 0 */
	f[p.inner_off + 1] |= 0x20; /* IPv6 ECN bit */
	assert_int_equal(gtpc_mark(f, f + n, &p, 63, 1), 0);
	assert_int_equal(f[p.outer_off + 1], 0xff);
	assert_int_equal(dscp_of(f + p.inner_off), 63);
	assert_int_equal((f[p.inner_off + 1] >> 4) & 3, 2);
	assert_int_equal(gtpc_mark(f, f + n, &p, 0, 1), 0);
	assert_int_equal(f[p.outer_off + 1], 0x03);
}

static void test_unreachable_headers_refused(void **state)
{
	uint8_t f[2048];
	struct gtpc_pkt p;
	size_t n = build(f, 0, 0, 0, &p);
	struct gtpc_pkt far = p;

	/* A frame cut before the inner header. */
	assert_int_equal(gtpc_mark(f, f + p.inner_off + 4, &p, 10, 1), -1);
	/* Offsets beyond the rewriter's reach. */
	far.inner_off = GTPC_REWRITE_MAX_OFF + 1;
	assert_int_equal(gtpc_mark(f, f + n, &far, 10, 1), -1);
	far = p;
	far.outer_off = 600;
	assert_int_equal(gtpc_mark(f, f + n, &far, 10, 0), -1);
}

static void test_macs_and_next_hop_key(void **state)
{
	const struct gtpc_mac dst = { { 2, 0, 0, 0, 0, 0xaa } }, src = { { 2, 0, 0, 0, 0, 0xbb } };
	uint8_t f[2048], before[2048], a[16], want[16];
	struct gtpc_pkt p;
	size_t n = build(f, 0, 0, 1, &p);

	memcpy(before, f, n);
	assert_int_equal(gtpc_set_macs(f, f + n, &dst, &src), 0);
	assert_memory_equal(f, dst.addr, 6);
	assert_memory_equal(f + 6, src.addr, 6);
	assert_memory_equal(f + 12, before + 12, n - 12);
	assert_int_equal(gtpc_outer_dst(f, f + n, &p, a), 0);
	gtpc_addr_parse("192.0.2.100", want);
	assert_memory_equal(a, want, 16);
	n = build(f, 1, 0, 0, &p);
	assert_int_equal(gtpc_outer_dst(f, f + n, &p, a), 0);
	gtpc_addr_parse("2001:db8::100", want);
	assert_memory_equal(a, want, 16);
	assert_int_equal(gtpc_set_macs(f, f + 11, &dst, &src), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mark_every_shape),
		cmocka_unit_test(test_ecn_kept_and_dscp_zero),
		cmocka_unit_test(test_unreachable_headers_refused),
		cmocka_unit_test(test_macs_and_next_hop_key),
	};

	return cmocka_run_group_tests_name("rewrite", tests, NULL, NULL);
}

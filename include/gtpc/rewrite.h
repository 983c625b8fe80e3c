/* SPDX-License-Identifier: MIT */
/* What forwarding changes in a frame the parser has walked: the Ethernet
 * addresses, and for the mark action the DSCP of the outer (and optionally
 * the inner) IP header with every checksum that covers it. The same code
 * runs in XDP (kernel mode) and in the workers before AF_XDP TX.
 *
 * Written for the verifier like the parser: offsets from the parser are
 * bounded before use and every write is preceded by a check against the
 * frame's end. Checksums are updated incrementally (RFC 1624, eqn. 3), on
 * 16-bit words read as stored, which the one's-complement sum allows. */
#ifndef GTPC_REWRITE_H
#define GTPC_REWRITE_H

#include "maps.h"
#include "parse.h"

/* Deepest header offset the rewriter touches: Ethernet, two VLAN tags,
 * outer IPv6 with its extensions, UDP, GTP-U with its chain. */
#define GTPC_REWRITE_MAX_OFF 511

struct gtpc_mac {
	__u8 addr[6];
};

GTPC_INLINE __u16 gtpc_load16(const __u8 *p)
{
	__u16 v;

	__builtin_memcpy(&v, p, 2);
	return v;
}

GTPC_INLINE void gtpc_store16(__u8 *p, __u16 v)
{
	__builtin_memcpy(p, &v, 2);
}

/* A checksum after one covered 16-bit word changed from old to new. */
GTPC_INLINE __u16 gtpc_csum_update(__u16 csum, __u16 old, __u16 new)
{
	__u32 s = (__u32)(__u16)~csum + (__u16)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/* The words one DSCP rewrite changed, for a checksum that covers them. */
struct gtpc_words {
	__u16 old0, new0; /* version/IHL/TOS or version/traffic class */
	__u16 oldc, newc; /* IPv4 header checksum; equal for IPv6 */
};

/* Sets the DSCP of the IPv4 or IPv6 header at ip, keeping ECN, and fixes the
 * IPv4 header checksum. Returns 0, or -1 when the header is not there. */
GTPC_INLINE int gtpc_ip_set_dscp(__u8 *ip, const __u8 *end, __u8 dscp, struct gtpc_words *w)
{
	__u8 tc;

	if (ip + sizeof(struct gtpc_ip4) > end)
		return -1;
	w->old0 = gtpc_load16(ip);
	w->oldc = w->newc = gtpc_load16(ip + 10);
	if ((ip[0] >> 4) == 4) {
		ip[1] = (__u8)((dscp << 2) | (ip[1] & 3));
		w->new0 = gtpc_load16(ip);
		w->newc = gtpc_csum_update(w->oldc, w->old0, w->new0);
		gtpc_store16(ip + 10, w->newc);
		return 0;
	}
	if ((ip[0] >> 4) != 6)
		return -1;
	/* Traffic class: the low nibble of byte 0 and the high one of byte 1. */
	tc = (__u8)((dscp << 2) | ((ip[1] >> 4) & 3));
	ip[0] = (__u8)(0x60 | (tc >> 4));
	ip[1] = (__u8)(((tc & 0x0f) << 4) | (ip[1] & 0x0f));
	w->new0 = gtpc_load16(ip);
	return 0;
}

/* An offset from the parser, checked against the rewriter's reach. The
 * mask after an opaque barrier is what the verifier sees bound it: a bare
 * comparison is lost when the compiler reloads the offset afterwards. */
GTPC_INLINE int gtpc_reach(__u32 off, __u32 *out)
{
	if (off > GTPC_REWRITE_MAX_OFF)
		return -1;
	__asm__ volatile("" : "+r"(off));
	*out = off & GTPC_REWRITE_MAX_OFF;
	return 0;
}

/* The mark action: DSCP dscp on the outer header, and on the inner one too
 * when inner is set. The outer UDP checksum covers the inner header, so it
 * follows the inner change (unless it is 0: none, IPv4 only). Returns 0, or
 * -1 when a header is not where the parser said. */
GTPC_INLINE int gtpc_mark(__u8 *data, const __u8 *end, const struct gtpc_pkt *p, __u8 dscp, int inner)
{
	__u32 outer, udp, in;
	struct gtpc_words w;
	__u8 *u;
	__u16 c;

	if (gtpc_reach(p->outer_off, &outer) || gtpc_ip_set_dscp(data + outer, end, dscp, &w))
		return -1;
	if (!inner)
		return 0;
	if (gtpc_reach(p->udp_off, &udp) || gtpc_reach(p->inner_off, &in) || gtpc_ip_set_dscp(data + in, end, dscp, &w))
		return -1;
	u = data + udp;
	if (u + sizeof(struct gtpc_udp) > end)
		return -1;
	c = gtpc_load16(u + 6);
	if (c == 0 && p->outer_ver == 4)
		return 0;
	c = gtpc_csum_update(c, w.old0, w.new0);
	c = gtpc_csum_update(c, w.oldc, w.newc);
	gtpc_store16(u + 6, c ? c : 0xffff);
	return 0;
}

/* The outer destination address as 16 bytes (IPv4-mapped for IPv4), the
 * key of the next hop. Returns 0, or -1 when the header is not there. */
GTPC_INLINE int gtpc_outer_dst(const __u8 *data, const __u8 *end, const struct gtpc_pkt *p, __u8 out[16])
{
	const __u8 *ip;
	__u32 off;

	if (gtpc_reach(p->outer_off, &off))
		return -1;
	ip = data + off;
	if (p->outer_ver == 4) {
		if (ip + sizeof(struct gtpc_ip4) > end)
			return -1;
		gtpc_map4(out, ip + 16);
		return 0;
	}
	if (ip + sizeof(struct gtpc_ip6) > end)
		return -1;
	__builtin_memcpy(out, ip + 24, 16);
	return 0;
}

/* The frame leaves with the egress's address as source and the next hop's
 * as destination; nothing else changes. */
GTPC_INLINE int gtpc_set_macs(__u8 *data, const __u8 *end, const struct gtpc_mac *dst, const struct gtpc_mac *src)
{
	if (data + 12 > end)
		return -1;
	__builtin_memcpy(data, dst->addr, 6);
	__builtin_memcpy(data + 6, src->addr, 6);
	return 0;
}

#endif

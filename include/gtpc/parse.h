/* SPDX-License-Identifier: MIT */
/* The one GTP-U parser, compiled into the XDP programs and the workers.
 *
 * It is written for the BPF verifier first: every read is preceded by a
 * bounds check against data_end, loops have constant bounds, and nothing is
 * read twice. User space calls it with an ordinary buffer.
 *
 * Layers: Ethernet, up to two VLAN tags (802.1Q/802.1ad), outer IPv4 (with
 * options) or IPv6 (hop-by-hop, routing, destination options and atomic
 * fragment headers skipped, three at most), UDP to port 2152, GTP-U v1 (TS
 * 29.281) with its extension chain (eight at most), inner IPv4 or IPv6 (two
 * extension headers walked) with TCP/UDP ports. A frame beyond those bounds
 * is UNPARSED, with the bound it hit as its reason. */
#ifndef GTPC_PARSE_H
#define GTPC_PARSE_H

#include "common.h"
#include "outcome.h"

#define GTPC_UDP_PORT 2152
#define GTPC_MAX_VLAN 2
#define GTPC_MAX_IP6_EXT 3
/* Inner IPv6 extension headers walked to the ports; beyond, a G-PDU keyed
 * without ports (phones send none). */
#define GTPC_MAX_INNER_IP6_EXT 2
/* open5gs stops at 8 extension headers; real N3 traffic carries one (PSC). */
#define GTPC_MAX_EXT 8

/* Parser options. TS 29.281 4.4.2.3 sends G-PDUs to port 2152 from any
 * port; Wireshark also decodes datagrams sent from 2152 to another port. */
#define GTPC_PARSE_SRC_PORT 0x1 /* accept source port 2152 as GTP-U too */
/* Walk inner IPv6 extension headers to the ports: what key: flow needs.
 * Only then, because the walk costs the verifier a multiple of the
 * program's paths. */
#define GTPC_PARSE_INNER_EXT 0x2

#define GTPC_MSG_GPDU 255
#define GTPC_EXT_PSC 0x85

#define GTPC_FLAG_E 0x04
#define GTPC_FLAG_S 0x02
#define GTPC_FLAG_PN 0x01

enum gtpc_dir { GTPC_DIR_DL = 0, GTPC_DIR_UL = 1, GTPC_DIR_UNKNOWN = 2 };

/* What the parser tells its callers. Addresses are 16 bytes; IPv4 ones are
 * stored IPv4-mapped (::ffff:a.b.c.d) so that one key type serves both. */
struct gtpc_pkt {
	__u8 outcome;   /* enum gtpc_outcome */
	__u8 reason;    /* enum gtpc_malformed when outcome is MALFORMED */
	__u8 msg_type;  /* GTP message type, when GTP-U */
	__u8 outer_ver; /* 4 or 6 */
	__u8 vlans;
	__u8 n_ext;     /* extension headers walked */
	__u8 has_psc;
	__u8 qfi;
	__u8 dir;       /* enum gtpc_dir, from the PSC */
	__u8 inner_ver; /* 4 or 6 */
	__u8 proto;     /* inner L4 protocol */
	__u8 has_ports;
	__u16 sport;    /* host order */
	__u16 dport;
	__u16 inner_off; /* offset of the inner IP header in the frame */
	__u16 outer_off; /* offset of the outer IP header (after VLAN tags) */
	__u16 udp_off;   /* offset of the outer UDP header, when GTP-U */
	__u16 inner_len; /* inner IP total length */
	__u32 teid;      /* host order */
	__u8 src[16];
	__u8 dst[16];
};

struct gtpc_eth {
	__u8 dst[6];
	__u8 src[6];
	__u16 proto;
} __attribute__((packed));

struct gtpc_vlan {
	__u16 tci;
	__u16 proto;
} __attribute__((packed));

struct gtpc_ip4 {
	__u8 ver_ihl;
	__u8 tos;
	__u16 tot_len;
	__u16 id;
	__u16 frag;
	__u8 ttl;
	__u8 proto;
	__u16 csum;
	__u8 saddr[4];
	__u8 daddr[4];
} __attribute__((packed));

struct gtpc_ip6 {
	__u32 ver_tc_flow;
	__u16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
} __attribute__((packed));

struct gtpc_udp {
	__u16 source;
	__u16 dest;
	__u16 len;
	__u16 check;
} __attribute__((packed));

struct gtpc_gtpu {
	__u8 flags;
	__u8 type;
	__u16 length;
	__u32 teid;
} __attribute__((packed));

/* Present when any of E, S, PN is set. */
struct gtpc_gtpu_opt {
	__u16 seq;
	__u8 npdu;
	__u8 next_ext;
} __attribute__((packed));

#define GTPC_ETH_P_IP 0x0800
#define GTPC_ETH_P_IPV6 0x86DD
#define GTPC_ETH_P_8021Q 0x8100
#define GTPC_ETH_P_8021AD 0x88A8
#define GTPC_IPPROTO_TCP 6
#define GTPC_IPPROTO_UDP 17

/* A cursor between the frame's start and end. end bounds every read;
 * wire_end is where the frame ended on the wire, which the length fields
 * are checked against: the same place live, later in a capture cut by its
 * snap length (headers readable, payload not captured). */
/* Where the parser finds its options; the XDP programs read theirs from
 * the read-only settings instead. */
#ifndef GTPC_PARSE_OPTS
#define GTPC_PARSE_OPTS(c) ((c)->opts)
#endif

struct gtpc_cur {
	const __u8 *pos;
	const __u8 *end;
	const __u8 *start;
	const __u8 *wire_end;
	__u32 opts; /* GTPC_PARSE_* */
};

GTPC_INLINE int gtpc_fail(struct gtpc_pkt *p, __u8 reason)
{
	p->outcome = GTPC_OUT_MALFORMED;
	p->reason = reason;
	return GTPC_OUT_MALFORMED;
}

GTPC_INLINE int gtpc_unparsed(struct gtpc_pkt *p, __u8 reason)
{
	p->outcome = GTPC_OUT_UNPARSED;
	p->reason = reason;
	return GTPC_OUT_UNPARSED;
}

GTPC_INLINE void gtpc_map4(__u8 out[16], const __u8 a[4])
{
	__builtin_memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	out[12] = a[0];
	out[13] = a[1];
	out[14] = a[2];
	out[15] = a[3];
}

/* Returns the ethertype after the VLAN tags, or -1 when truncated. */
GTPC_INLINE int gtpc_parse_l2(struct gtpc_cur *c, struct gtpc_pkt *p)
{
	const struct gtpc_eth *eth = (const void *)c->pos;
	__u16 proto;
	int i;

	if ((const __u8 *)(eth + 1) > c->end)
		return -1;
	proto = gtpc_ntohs(eth->proto);
	c->pos = (const __u8 *)(eth + 1);
	for (i = 0; i < GTPC_MAX_VLAN; i++) {
		const struct gtpc_vlan *v = (const void *)c->pos;

		if (proto != GTPC_ETH_P_8021Q && proto != GTPC_ETH_P_8021AD)
			break;
		if ((const __u8 *)(v + 1) > c->end)
			return -1;
		proto = gtpc_ntohs(v->proto);
		c->pos = (const __u8 *)(v + 1);
		p->vlans++;
	}
	return proto;
}

/* Outer IPv4. Leaves the cursor on the L4 header and returns the L4 length
 * the IP header announces, or a negative GTPC_OUT_* when not UDP/fragment. */
GTPC_INLINE int gtpc_parse_outer4(struct gtpc_cur *c, struct gtpc_pkt *p)
{
	const struct gtpc_ip4 *ip = (const void *)c->pos;
	__u32 ihl, tot;

	p->outer_ver = 4;
	if ((const __u8 *)(ip + 1) > c->end)
		return -gtpc_fail(p, GTPC_MAL_TRUNC_IP);
	ihl = (ip->ver_ihl & 0x0f) * 4;
	tot = gtpc_ntohs(ip->tot_len);
	if ((ip->ver_ihl >> 4) != 4 || ihl < sizeof(*ip) || tot < ihl)
		return -gtpc_fail(p, GTPC_MAL_BAD_IP);
	/* Linux's ip_rcv() drops these: nothing behind them is to be trusted. */
	if (c->pos + tot > c->wire_end)
		return -gtpc_fail(p, GTPC_MAL_OUTER_LEN);
	if (ip->proto != GTPC_IPPROTO_UDP) {
		p->outcome = GTPC_OUT_NOT_GTPU;
		return -GTPC_OUT_NOT_GTPU;
	}
	if (gtpc_ntohs(ip->frag) & 0x3fff) {
		p->outcome = GTPC_OUT_FRAGMENT;
		return -GTPC_OUT_FRAGMENT;
	}
	if (c->pos + ihl > c->end)
		return -gtpc_fail(p, GTPC_MAL_TRUNC_IP);
	c->pos += ihl;
	return tot - ihl;
}

/* Outer IPv6, skipping a bounded number of extension headers. */
GTPC_INLINE int gtpc_parse_outer6(struct gtpc_cur *c, struct gtpc_pkt *p)
{
	const struct gtpc_ip6 *ip = (const void *)c->pos;
	__u32 len;
	__u8 nh;
	int i;

	p->outer_ver = 6;
	if ((const __u8 *)(ip + 1) > c->end)
		return -gtpc_fail(p, GTPC_MAL_TRUNC_IP);
	if ((gtpc_ntohl(ip->ver_tc_flow) >> 28) != 6)
		return -gtpc_fail(p, GTPC_MAL_BAD_IP);
	nh = ip->nexthdr;
	len = gtpc_ntohs(ip->payload_len);
	c->pos = (const __u8 *)(ip + 1);
	if (c->pos + len > c->wire_end)
		return -gtpc_fail(p, GTPC_MAL_OUTER_LEN);
	for (i = 0; i < GTPC_MAX_IP6_EXT; i++) {
		__u32 hl;

		if (nh != 0 && nh != 43 && nh != 60 && nh != 44)
			break;
		/* Every extension header is at least 8 bytes. */
		if (c->pos + 8 > c->end)
			return -gtpc_fail(p, GTPC_MAL_TRUNC_IP);
		/* A fragment header is a fragment unless it is atomic
		 * (offset 0, no more fragments: RFC 6946), a whole packet
		 * whose header is skipped like the others: its second byte
		 * is reserved and sent as 0, so the length below is its 8
		 * bytes (one formula for all keeps the verifier's paths few). */
		if (nh == 44 && ((((__u32)c->pos[2] << 8) | c->pos[3]) & 0xfff9))
			break;
		hl = ((__u32)c->pos[1] + 1) * 8;
		if (hl > len)
			return -gtpc_fail(p, GTPC_MAL_BAD_IP);
		nh = c->pos[0];
		len -= hl;
		if (c->pos + hl > c->end)
			return -gtpc_fail(p, GTPC_MAL_TRUNC_IP);
		c->pos += hl;
	}
	if (nh == 44) {
		p->outcome = GTPC_OUT_FRAGMENT;
		return -GTPC_OUT_FRAGMENT;
	}
	if (nh == 0 || nh == 43 || nh == 60)
		return -gtpc_unparsed(p, GTPC_UNP_IP6_EXT);
	if (nh != GTPC_IPPROTO_UDP) {
		p->outcome = GTPC_OUT_NOT_GTPU;
		return -GTPC_OUT_NOT_GTPU;
	}
	return len;
}

/* Walks the extension chain inside [c->pos, gtp_end). Returns 0 or the
 * malformed outcome. */
GTPC_INLINE int gtpc_parse_ext(struct gtpc_cur *c, struct gtpc_pkt *p,
			       const __u8 *gtp_end, __u8 next)
{
	int i;

	for (i = 0; i < GTPC_MAX_EXT; i++) {
		const __u8 *h = c->pos, *last;
		__u32 len;

		if (next == 0)
			return 0;
		if (h + 4 > c->end)
			return gtpc_fail(p, h + 4 > gtp_end ? GTPC_MAL_EXT_OVERRUN : GTPC_MAL_TRUNC_GTP);
		if (h + 4 > gtp_end)
			return gtpc_fail(p, GTPC_MAL_EXT_OVERRUN);
		len = (__u32)h[0] * 4;
		if (len == 0)
			return gtpc_fail(p, GTPC_MAL_EXT_ZERO_LEN);
		last = h + len - 1;
		if (last + 1 > gtp_end)
			return gtpc_fail(p, GTPC_MAL_EXT_OVERRUN);
		if (last + 1 > c->end)
			return gtpc_fail(p, GTPC_MAL_TRUNC_GTP);
		if (next == GTPC_EXT_PSC) {
			/* TS 38.415: PDU type in the first content octet's high
			 * nibble, QFI in the second's low six bits. */
			p->has_psc = 1;
			p->dir = (h[1] >> 4) == 1 ? GTPC_DIR_UL : GTPC_DIR_DL;
			p->qfi = h[2] & 0x3f;
		}
		p->n_ext++;
		next = *last;
		c->pos = last + 1;
	}
	if (next != 0)
		return gtpc_unparsed(p, GTPC_UNP_GTP_EXT);
	return 0;
}

GTPC_INLINE int gtpc_parse_ports(struct gtpc_cur *c, struct gtpc_pkt *p,
				 const __u8 *inner_end)
{
	const struct gtpc_udp *l4 = (const void *)c->pos;

	if (p->proto != GTPC_IPPROTO_TCP && p->proto != GTPC_IPPROTO_UDP)
		return 0;
	if ((const __u8 *)l4 + 4 > inner_end || (const __u8 *)l4 + 4 > c->end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER_L4);
	p->has_ports = 1;
	p->sport = gtpc_ntohs(l4->source);
	p->dport = gtpc_ntohs(l4->dest);
	return 0;
}

GTPC_INLINE int gtpc_parse_inner4(struct gtpc_cur *c, struct gtpc_pkt *p,
				  const __u8 *gtp_end)
{
	const struct gtpc_ip4 *ip = (const void *)c->pos;
	__u32 ihl, tot;

	if ((const __u8 *)(ip + 1) > gtp_end || (const __u8 *)(ip + 1) > c->end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	ihl = (ip->ver_ihl & 0x0f) * 4;
	tot = gtpc_ntohs(ip->tot_len);
	if (ihl < sizeof(*ip) || tot < ihl)
		return gtpc_fail(p, GTPC_MAL_BAD_INNER);
	if (c->pos + tot > gtp_end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	p->inner_ver = 4;
	p->inner_len = tot;
	p->proto = ip->proto;
	gtpc_map4(p->src, ip->saddr);
	gtpc_map4(p->dst, ip->daddr);
	if (gtpc_ntohs(ip->frag) & 0x1fff)
		return 0; /* a later fragment has no ports */
	if (c->pos + ihl > c->end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	c->pos += ihl;
	return gtpc_parse_ports(c, p, (const __u8 *)ip + tot);
}

GTPC_INLINE int gtpc_parse_inner6(struct gtpc_cur *c, struct gtpc_pkt *p,
				  const __u8 *gtp_end)
{
	const struct gtpc_ip6 *ip = (const void *)c->pos;
	__u32 tot;

	if ((const __u8 *)(ip + 1) > gtp_end || (const __u8 *)(ip + 1) > c->end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	tot = sizeof(*ip) + gtpc_ntohs(ip->payload_len);
	if (c->pos + tot > gtp_end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	p->inner_ver = 6;
	p->inner_len = tot;
	p->proto = ip->nexthdr;
	__builtin_memcpy(p->src, ip->saddr, 16);
	__builtin_memcpy(p->dst, ip->daddr, 16);
	c->pos = (const __u8 *)(ip + 1);
	return gtpc_parse_ports(c, p, (const __u8 *)ip + tot);
}

/* GTP-U from the UDP payload on. */
GTPC_INLINE int gtpc_parse_gtpu(struct gtpc_cur *c, struct gtpc_pkt *p,
				__u32 udp_payload)
{
	const struct gtpc_gtpu *g = (const void *)c->pos;
	const __u8 *gtp_end;
	__u8 next = 0;
	__u32 glen;
	int rc;

	if ((const __u8 *)(g + 1) > c->end || udp_payload < sizeof(*g))
		return gtpc_fail(p, GTPC_MAL_TRUNC_GTP);
	if ((g->flags >> 5) != 1)
		return gtpc_fail(p, GTPC_MAL_GTP_VERSION);
	if (!(g->flags & 0x10))
		return gtpc_fail(p, GTPC_MAL_GTP_PT);
	glen = gtpc_ntohs(g->length);
	if (glen + sizeof(*g) != udp_payload)
		return gtpc_fail(p, GTPC_MAL_GTP_LEN);
	p->msg_type = g->type;
	p->teid = gtpc_ntohl(g->teid);
	gtp_end = c->pos + sizeof(*g) + glen;
	if (gtp_end > c->wire_end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_GTP);
	c->pos = (const __u8 *)(g + 1);
	if (g->flags & (GTPC_FLAG_E | GTPC_FLAG_S | GTPC_FLAG_PN)) {
		const struct gtpc_gtpu_opt *o = (const void *)c->pos;

		if ((const __u8 *)(o + 1) > gtp_end)
			return gtpc_fail(p, GTPC_MAL_GTP_LEN);
		if ((const __u8 *)(o + 1) > c->end)
			return gtpc_fail(p, GTPC_MAL_TRUNC_GTP);
		if (g->flags & GTPC_FLAG_E)
			next = o->next_ext;
		c->pos = (const __u8 *)(o + 1);
	}
	rc = gtpc_parse_ext(c, p, gtp_end, next);
	if (rc)
		return rc;
	if (g->type != GTPC_MSG_GPDU) {
		p->outcome = GTPC_OUT_GTPU_OTHER;
		return GTPC_OUT_GTPU_OTHER;
	}
	p->inner_off = (__u16)(c->pos - c->start);
	if (c->pos + 1 > gtp_end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	if (c->pos + 1 > c->end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_INNER);
	if ((c->pos[0] >> 4) == 4)
		rc = gtpc_parse_inner4(c, p, gtp_end);
	else if ((c->pos[0] >> 4) == 6)
		rc = gtpc_parse_inner6(c, p, gtp_end);
	else
		rc = gtpc_fail(p, GTPC_MAL_INNER_NOT_IP);
	if (rc)
		return rc;
	p->outcome = GTPC_OUT_GPDU;
	return GTPC_OUT_GPDU;
}


/* key: flow's second look at an inner IPv6 G-PDU whose ports sit behind
 * extension headers (hop-by-hop, routing, destination options, a
 * fragment): without it a UE's flows would merge. Run after the parse, not
 * inside it, so that the verifier does not carry the walk through every
 * path of the outer layers. A chain longer than the bound, cut short, or a
 * later fragment leaves the G-PDU without ports, as before. */
GTPC_INLINE void gtpc_parse_inner_ext(const struct gtpc_cur *c, struct gtpc_pkt *p)
{
	/* The mask bounds the offset for the verifier (frames are shorter
	 * than 16 KiB), so that a check against the end gives a range. */
	const __u8 *ip = c->start + (p->inner_off & 0x3fff);
	const __u8 *pos = ip + 40, *inner_end = ip + p->inner_len;
	__u8 nh = p->proto;
	int i;

	for (i = 0; i < GTPC_MAX_INNER_IP6_EXT; i++) {
		if (nh != 0 && nh != 43 && nh != 60 && nh != 44)
			break;
		if (pos + 8 > inner_end || pos + 8 > c->end)
			return;
		/* A later fragment. A fragment header's second byte is
		 * reserved (0): the one length formula serves. */
		if (nh == 44 && ((((__u32)pos[2] << 8) | pos[3]) & 0xfff8))
			return;
		nh = pos[0];
		pos += ((__u32)pos[1] + 1) * 8;
	}
	if ((nh != GTPC_IPPROTO_TCP && nh != GTPC_IPPROTO_UDP) || pos + 4 > inner_end || pos + 4 > c->end)
		return;
	p->proto = nh;
	p->has_ports = 1;
	p->sport = (__u16)(pos[0] << 8 | pos[1]);
	p->dport = (__u16)(pos[2] << 8 | pos[3]);
}

/* Parses a frame of which [data, data_end) is readable and which ended at
 * wire_end on the wire. Returns p->outcome. */
GTPC_INLINE int gtpc_parse_frame(const void *data, const void *data_end, const void *wire_end,
				 __u32 opts, struct gtpc_pkt *p)
{
	struct gtpc_cur c = { data, data_end, data, wire_end, opts };
	const struct gtpc_udp *udp;
	__u32 udp_len;
	int proto, l4;

	__builtin_memset(p, 0, sizeof(*p));
	p->dir = GTPC_DIR_UNKNOWN;
	proto = gtpc_parse_l2(&c, p);
	if (proto < 0)
		return gtpc_fail(p, GTPC_MAL_TRUNC_L2);
	if (proto == GTPC_ETH_P_8021Q || proto == GTPC_ETH_P_8021AD)
		return gtpc_unparsed(p, GTPC_UNP_VLAN_DEPTH);
	p->outer_off = (__u16)(c.pos - c.start);
	if (proto == GTPC_ETH_P_IP)
		l4 = gtpc_parse_outer4(&c, p);
	else if (proto == GTPC_ETH_P_IPV6)
		l4 = gtpc_parse_outer6(&c, p);
	else
		return p->outcome = GTPC_OUT_NOT_GTPU;
	if (l4 < 0)
		return p->outcome;
	udp = (const void *)c.pos;
	if ((const __u8 *)(udp + 1) > c.end)
		return gtpc_fail(p, GTPC_MAL_TRUNC_UDP);
	if (udp->dest != gtpc_htons(GTPC_UDP_PORT) &&
	    (!(opts & GTPC_PARSE_SRC_PORT) || udp->source != gtpc_htons(GTPC_UDP_PORT)))
		return p->outcome = GTPC_OUT_NOT_GTPU;
	p->udp_off = (__u16)(c.pos - c.start);
	udp_len = gtpc_ntohs(udp->len);
	if (udp_len < sizeof(*udp) || udp_len > (__u32)l4)
		return gtpc_fail(p, GTPC_MAL_BAD_UDP_LEN);
	c.pos = (const __u8 *)(udp + 1);
	if (gtpc_parse_gtpu(&c, p, udp_len - sizeof(*udp)) != GTPC_OUT_GPDU)
		return p->outcome;
	if ((GTPC_PARSE_OPTS(&c) & GTPC_PARSE_INNER_EXT) && p->inner_ver == 6 && !p->has_ports)
		gtpc_parse_inner_ext(&c, p);
	return GTPC_OUT_GPDU;
}

/* Parses one whole frame (the datapath's case). Returns p->outcome. */
GTPC_INLINE int gtpc_parse_opts(const void *data, const void *data_end,
				__u32 opts, struct gtpc_pkt *p)
{
	return gtpc_parse_frame(data, data_end, data_end, opts, p);
}

GTPC_INLINE int gtpc_parse(const void *data, const void *data_end,
			   struct gtpc_pkt *p)
{
	return gtpc_parse_opts(data, data_end, 0, p);
}

#endif

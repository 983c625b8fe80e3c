#include "gen/pkt_build.h"

#include <string.h>

#include "gtpc/parse.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* IP header at ip; returns the header length. */
static size_t put_ip(uint8_t *ip, int v6, const uint8_t *src, const uint8_t *dst, uint8_t proto, uint16_t payload)
{
	if (v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, payload);
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
		return 40;
	}
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(payload + 20));
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src + 12, 4);
	memcpy(ip + 16, dst + 12, 4);
	put16(ip + 10, fold(sum16(ip, 20, 0)));
	return 20;
}

/* UDP/TCP checksum with the pseudo-header of the IP header at ip. */
static void l4_checksum(uint8_t *ip, int v6, uint8_t *l4, size_t l4len, uint8_t proto, size_t csum_off)
{
	uint32_t acc = 0;
	uint16_t c;

	if (v6)
		acc = sum16(ip + 8, 32, 0);
	else
		acc = sum16(ip + 12, 8, 0);
	acc += proto + (uint32_t)l4len;
	l4[csum_off] = l4[csum_off + 1] = 0;
	c = fold(sum16(l4, l4len, acc));
	if (proto == GTPC_IPPROTO_UDP && c == 0)
		c = 0xffff;
	put16(l4 + csum_off, c);
}

static size_t put_inner(uint8_t *p, const struct gtpc_pkt_spec *s)
{
	int ext = s->inner_v6 ? s->inner_ext : 0, i;
	size_t base = s->inner_v6 ? 40 : 20, iph = base + 8 * (size_t)ext;
	size_t l4h = s->proto == GTPC_IPPROTO_UDP ? 8 : s->proto == GTPC_IPPROTO_TCP ? 20 : 0;
	size_t total = s->inner_len < iph + l4h ? iph + l4h : s->inner_len;
	uint8_t *l4 = p + iph;

	put_ip(p, s->inner_v6, s->inner_src, s->inner_dst, ext ? 60 : s->proto, (uint16_t)(total - base));
	memset(p + base, 0, total - base);
	for (i = 0; i < ext; i++) {
		uint8_t *h = p + 40 + 8 * i;

		h[0] = i + 1 < ext ? 60 : s->proto;
		h[2] = 1; /* PadN of 4 bytes fills the 8 */
		h[3] = 4;
	}
	/* Payload that no heuristic dissector takes for its protocol. */
	memset(l4 + l4h, 0x67, total - iph - l4h);
	if (l4h) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
	}
	if (s->proto == GTPC_IPPROTO_UDP) {
		put16(l4 + 4, (uint16_t)(total - iph));
		l4_checksum(p, s->inner_v6, l4, total - iph, s->proto, 6);
	} else if (s->proto == GTPC_IPPROTO_TCP) {
		l4[12] = 5 << 4;
		l4[13] = 0x18; /* PSH ACK */
		put16(l4 + 14, 65535);
		l4_checksum(p, s->inner_v6, l4, total - iph, s->proto, 16);
	}
	return total;
}

/* The GTP-U header and its extensions; returns their length. */
static size_t put_gtp(uint8_t *g, const struct gtpc_pkt_spec *s, size_t payload)
{
	size_t len = 8;

	g[0] = 0x30;
	g[1] = s->msg_type ? s->msg_type : GTPC_MSG_GPDU;
	put32(g + 4, s->teid);
	if (s->psc || s->seq_present) {
		g[0] |= (uint8_t)((s->psc ? GTPC_FLAG_E : 0) | (s->seq_present ? GTPC_FLAG_S : 0));
		put16(g + 8, s->seq);
		g[10] = 0;
		g[11] = s->psc ? GTPC_EXT_PSC : 0;
		len = 12;
	}
	if (s->psc) {
		g[12] = 1; /* 4 octets */
		g[13] = (uint8_t)(s->pdu_type << 4);
		g[14] = s->qfi & 0x3f;
		g[15] = 0; /* no next extension */
		len = 16;
	}
	put16(g + 2, (uint16_t)(len - 8 + payload));
	return len;
}

size_t gtpc_pkt_build(uint8_t *buf, size_t cap, const struct gtpc_pkt_spec *s)
{
	uint8_t inner[2048], gtp[16], *p = buf, *ip, *udp;
	size_t inner_len, gtp_len, udp_len, need;
	int i;

	if (s->inner_len > sizeof(inner))
		return 0;
	inner_len = put_inner(inner, s);
	gtp_len = put_gtp(gtp, s, inner_len);
	udp_len = 8 + gtp_len + inner_len;
	need = 14 + 4 * (size_t)s->n_vlan + (s->outer_v6 ? 40 : 20) + udp_len;
	if (need > cap || udp_len > 65535)
		return 0;
	memset(p, 0, 12);
	p[0] = 0x02; /* locally administered unicast MACs */
	p[5] = 0x02;
	p[6] = 0x02;
	p[11] = 0x01;
	p += 12;
	for (i = 0; i < s->n_vlan && i < 2; i++) {
		put16(p, i == 0 && s->n_vlan == 2 ? GTPC_ETH_P_8021AD : GTPC_ETH_P_8021Q);
		put16(p + 2, s->vlan[i]);
		p += 4;
	}
	put16(p, s->outer_v6 ? GTPC_ETH_P_IPV6 : GTPC_ETH_P_IP);
	ip = p + 2;
	udp = ip + put_ip(ip, s->outer_v6, s->outer_src, s->outer_dst, GTPC_IPPROTO_UDP, (uint16_t)udp_len);
	put16(udp, s->udp_sport ? s->udp_sport : GTPC_UDP_PORT);
	put16(udp + 2, s->udp_dport ? s->udp_dport : GTPC_UDP_PORT);
	put16(udp + 4, (uint16_t)udp_len);
	memcpy(udp + 8, gtp, gtp_len);
	memcpy(udp + 8 + gtp_len, inner, inner_len);
	l4_checksum(ip, s->outer_v6, udp, udp_len, GTPC_IPPROTO_UDP, 6);
	return need;
}

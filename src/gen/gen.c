#include "gen/gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gtpc/parse.h"
#include "gen/pkt_build.h"
#include "util/util.h"

static int earlier(const struct gtpc_gen *g, uint32_t a, uint32_t b)
{
	const struct gtpc_gen_ue *x = &g->ues[a], *y = &g->ues[b];

	return x->next_ns < y->next_ns || (x->next_ns == y->next_ns && a < b);
}

static void sift_down(struct gtpc_gen *g, unsigned i)
{
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		uint32_t t;

		if (l < g->heap_n && earlier(g, g->heap[l], g->heap[m]))
			m = l;
		if (r < g->heap_n && earlier(g, g->heap[r], g->heap[m]))
			m = r;
		if (m == i)
			return;
		t = g->heap[i];
		g->heap[i] = g->heap[m];
		g->heap[m] = t;
		i = m;
	}
}

static uint64_t us_to_ns(double us)
{
	return us <= 0 ? 0 : (uint64_t)(us * 1000.0);
}

/* Plans the UE's next packet: the rest of its burst, or a new burst. */
static void advance(struct gtpc_gen *g, struct gtpc_gen_ue *ue)
{
	const struct gtpc_profile *p = &g->profiles->profiles[ue->profile];

	if (ue->burst_left > 0) {
		ue->burst_left--;
		ue->next_ns += us_to_ns(gtpc_dist_sample(&p->burst_gap_us, &ue->rng));
		return;
	}
	ue->burst_start_ns += us_to_ns(gtpc_dist_sample(&p->interval_us, &ue->rng));
	if (ue->burst_start_ns <= ue->next_ns)
		ue->burst_start_ns = ue->next_ns + 1;
	ue->next_ns = ue->burst_start_ns;
	ue->burst_left = p->burst.kind == GTPC_DIST_CONST && p->burst.mean == 0
				 ? 0
				 : (uint32_t)gtpc_dist_sample(&p->burst, &ue->rng);
	if (ue->burst_left)
		ue->burst_left--; /* this packet is the burst's first */
}

static int is_zero(const uint8_t a[16])
{
	static const uint8_t z[16];

	return !memcmp(a, z, 16);
}

static void ue_addresses(struct gtpc_gen *g, unsigned i, struct gtpc_gen_ue *ue)
{
	uint8_t a[16] = { 0 };

	if (g->o.inner_v6) {
		/* 2001:db8:45::/64, one address per UE */
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[5] = 0x45;
		a[14] = (uint8_t)((i + 1) >> 8);
		a[15] = (uint8_t)(i + 1);
	} else {
		/* 10.45.0.0/16 */
		a[10] = a[11] = 0xff;
		a[12] = 10, a[13] = 45, a[14] = (uint8_t)((i + 1) >> 8), a[15] = (uint8_t)(i + 1);
	}
	memcpy(ue->addr, a, 16);
	memset(a, 0, 16);
	if (g->o.outer_v6) {
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8, a[5] = 0x01, a[15] = (uint8_t)(1 + i % 8);
	} else {
		a[10] = a[11] = 0xff;
		a[12] = 192, a[13] = 0, a[14] = 2, a[15] = (uint8_t)(1 + i % 8); /* eight gNBs */
	}
	memcpy(ue->gnb, a, 16);
	if (!is_zero(g->o.gnb)) {
		memcpy(ue->gnb, g->o.gnb, 16);
		ue->gnb[15] = (uint8_t)(ue->gnb[15] + i % 8); /* eight gNBs */
	}
}

int gtpc_gen_init(struct gtpc_gen *g, const struct gtpc_profiles *p, const struct gtpc_gen_opts *o)
{
	unsigned i;

	memset(g, 0, sizeof(*g));
	g->profiles = p;
	g->o = *o;
	g->ues = calloc(o->n_ues ? o->n_ues : 1, sizeof(*g->ues));
	g->heap = calloc(o->n_ues ? o->n_ues : 1, sizeof(*g->heap));
	if (!g->ues || !g->heap)
		return -ENOMEM;
	for (i = 0; i < o->n_ues; i++) {
		struct gtpc_gen_ue *ue = &g->ues[i];
		const struct gtpc_profile *pr;

		ue->profile = o->ue_profile[i];
		pr = &p->profiles[ue->profile];
		ue->rng = o->seed * 0x100000001b3ULL + i;
		gtpc_rng_next(&ue->rng);
		ue->teid = 0x1000 + i;
		ue->sport = (uint16_t)(40000 + i % 20000);
		ue_addresses(g, i, ue);
		/* A random phase so that UEs of one profile do not send in step. */
		ue->next_ns = us_to_ns(gtpc_rng_next(&ue->rng) % (uint64_t)(pr->interval_us.mean > 1 ? pr->interval_us.mean : 1));
		ue->burst_start_ns = ue->next_ns;
		ue->burst_left = pr->burst.max > 0 || pr->burst.mean > 0 ? (uint32_t)gtpc_dist_sample(&pr->burst, &ue->rng) : 0;
		if (ue->burst_left)
			ue->burst_left--;
		if (!o->shards || i % o->shards == o->shard)
			g->heap[g->heap_n++] = i;
	}
	for (i = g->heap_n / 2 + 1; i-- > 0;)
		sift_down(g, i);
	return 0;
}

static void fill_spec(struct gtpc_gen *g, struct gtpc_gen_ue *ue, struct gtpc_pkt_spec *s)
{
	const struct gtpc_profile *p = &g->profiles->profiles[ue->profile];
	static const uint8_t upf4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 100 };
	static const uint8_t upf6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t server[16] = { 0 };
	int dl = !g->o.uplink_only && p->downlink_share > 0 &&
		 (double)(gtpc_rng_next(&ue->rng) >> 11) / 9007199254740992.0 < p->downlink_share;
	const uint8_t *upf = !is_zero(g->o.upf) ? g->o.upf : g->o.outer_v6 ? upf6 : upf4;

	memset(s, 0, sizeof(*s));
	if (g->o.inner_v6) {
		server[0] = 0x20, server[1] = 0x01, server[2] = 0x0d, server[3] = 0xb8, server[5] = 0x99;
		server[15] = (uint8_t)(1 + ue->profile);
	} else {
		server[10] = server[11] = 0xff;
		server[12] = 198, server[13] = 51, server[14] = 100, server[15] = (uint8_t)(1 + ue->profile);
	}
	s->outer_v6 = g->o.outer_v6;
	memcpy(s->outer_src, dl ? upf : ue->gnb, 16);
	memcpy(s->outer_dst, dl ? ue->gnb : upf, 16);
	s->teid = ue->teid;
	s->psc = !g->o.no_psc;
	s->pdu_type = dl ? 0 : 1;
	s->qfi = (uint8_t)p->qfi;
	s->seq = ue->seq++;
	s->inner_v6 = g->o.inner_v6;
	memcpy(s->inner_src, dl ? server : ue->addr, 16);
	memcpy(s->inner_dst, dl ? ue->addr : server, 16);
	s->proto = strcmp(p->proto, "tcp") ? GTPC_IPPROTO_UDP : GTPC_IPPROTO_TCP;
	s->sport = dl ? (uint16_t)p->port : ue->sport;
	s->dport = dl ? ue->sport : (uint16_t)p->port;
	s->inner_len = (uint16_t)gtpc_dist_sample(&p->size, &ue->rng);
}

size_t gtpc_gen_next(struct gtpc_gen *g, uint8_t *buf, size_t cap, uint64_t *t_ns)
{
	struct gtpc_pkt_spec spec;
	struct gtpc_gen_ue *ue;
	size_t len;

	if (!g->heap_n)
		return 0;
	ue = &g->ues[g->heap[0]];
	if (ue->next_ns >= g->o.duration_ns)
		return 0;
	*t_ns = ue->next_ns;
	fill_spec(g, ue, &spec);
	len = gtpc_pkt_build(buf, cap, &spec);
	advance(g, ue);
	sift_down(g, 0);
	return len;
}

int gtpc_gen_labels(const struct gtpc_gen *g, FILE *f)
{
	char a[INET6_ADDRSTRLEN_GTPC];
	unsigned i;

	fprintf(f, "ue,teid,profile\n");
	for (i = 0; i < g->o.n_ues; i++)
		fprintf(f, "%s,teid:0x%08x,%s\n", gtpc_addr_str(g->ues[i].addr, a, sizeof(a)), g->ues[i].teid,
			g->profiles->profiles[g->ues[i].profile].name);
	return ferror(f) ? -EIO : 0;
}

void gtpc_gen_free(struct gtpc_gen *g)
{
	free(g->ues);
	free(g->heap);
	memset(g, 0, sizeof(*g));
}

#include "gen/gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gtpc/parse.h"
#include "gen/pkt_build.h"
#include "util/util.h"

static int earlier(const struct gtpc_gen *g, uint32_t a, uint32_t b)
{
	const struct gtpc_gen_src *x = &g->srcs[a], *y = &g->srcs[b];

	return x->due_ns < y->due_ns || (x->due_ns == y->due_ns && a < b);
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

/* v as an integer in [0, max]: a profile's numbers are the operator's, and
 * a NaN, a negative or a huge value must not reach a conversion whose
 * result C leaves undefined. */
static uint64_t clamp_u64(double v, uint64_t max)
{
	if (!(v > 0))
		return 0;
	return v >= (double)max ? max : (uint64_t)v;
}

/* Times stay below a century of ns, so sums of them cannot wrap. */
static uint64_t us_to_ns(double us)
{
	return clamp_u64(us * 1000.0, 3000000000000000000ULL);
}

static uint32_t sample_count(const struct gtpc_dist *d, uint64_t *rng)
{
	return (uint32_t)clamp_u64(gtpc_dist_sample(d, rng), 1000000);
}

static uint16_t sample_len(const struct gtpc_dist *d, uint64_t *rng)
{
	return (uint16_t)clamp_u64(gtpc_dist_sample(d, rng), 65535);
}

static const struct gtpc_stream *src_stream(const struct gtpc_gen *g, const struct gtpc_gen_src *s)
{
	return gtpc_profile_stream(&g->profiles->profiles[g->ues[s->ue].profile], s->stream);
}

static uint32_t first_burst(const struct gtpc_stream *st, uint64_t *rng)
{
	uint32_t n = st->burst.max > 0 || st->burst.mean > 0 ? sample_count(&st->burst, rng) : 0;

	return n ? n - 1 : 0; /* the packet that starts it is the first */
}

/* A talk spurt, or a segment's download, starts at t. */
static void enter_on(struct gtpc_gen_src *s, const struct gtpc_stream *st, uint64_t t, uint64_t *rng)
{
	s->off = 0;
	s->phase_end_ns = t + 1 + us_to_ns(gtpc_dist_sample(&st->on_us, rng));
	s->next_ns = s->burst_start_ns = t;
	s->burst_left = first_burst(st, rng);
}

/* A silence starts at t: silence descriptors through it, or nothing. */
static void enter_off(struct gtpc_gen_src *s, const struct gtpc_stream *st, uint64_t t, uint64_t *rng)
{
	s->off = 1;
	s->phase_end_ns = t + 1 + us_to_ns(gtpc_dist_sample(&st->off_us, rng));
	s->next_ns = gtpc_dist_set(&st->off_interval_us) ? t + us_to_ns(gtpc_dist_sample(&st->off_interval_us, rng))
							 : s->phase_end_ns;
	if (s->next_ns >= s->phase_end_ns)
		enter_on(s, st, s->phase_end_ns, rng);
}

/* Plans the stream's next data packet: the rest of its burst, a new burst,
 * or the next silence descriptor, across on/off periods. */
static void advance(struct gtpc_gen_src *s, const struct gtpc_stream *st, uint64_t *rng)
{
	if (s->off) {
		s->next_ns += 1 + us_to_ns(gtpc_dist_sample(&st->off_interval_us, rng));
		if (s->next_ns >= s->phase_end_ns)
			enter_on(s, st, s->phase_end_ns, rng);
		return;
	}
	if (s->burst_left > 0) {
		s->burst_left--;
		s->next_ns += us_to_ns(gtpc_dist_sample(&st->burst_gap_us, rng));
	} else {
		s->burst_start_ns += us_to_ns(gtpc_dist_sample(&st->interval_us, rng));
		if (s->burst_start_ns <= s->next_ns)
			s->burst_start_ns = s->next_ns + 1;
		s->next_ns = s->burst_start_ns;
		s->burst_left = st->burst.kind == GTPC_DIST_CONST && st->burst.mean == 0
					? 0
					: sample_count(&st->burst, rng);
		if (s->burst_left)
			s->burst_left--; /* this packet is the burst's first */
	}
	if (gtpc_dist_set(&st->on_us) && s->next_ns >= s->phase_end_ns)
		enter_off(s, st, s->phase_end_ns, rng);
}

/* An ACK of the packet sent at t, in order behind the ones before it; when
 * GTPC_GEN_ACKS are already waiting, the newest covers this one too. */
static void plan_ack(struct gtpc_gen_src *s, const struct gtpc_stream *st, uint64_t t, uint64_t *rng)
{
	uint64_t at = t + us_to_ns(gtpc_dist_sample(&st->ack_delay_us, rng));

	if (++s->since_ack < st->ack_every)
		return;
	s->since_ack = 0;
	if (s->ack_tail - s->ack_head == GTPC_GEN_ACKS)
		return;
	if (s->ack_tail != s->ack_head && at < s->ack_ns[(s->ack_tail - 1) % GTPC_GEN_ACKS])
		at = s->ack_ns[(s->ack_tail - 1) % GTPC_GEN_ACKS];
	s->ack_ns[s->ack_tail++ % GTPC_GEN_ACKS] = at;
}

static int ack_waiting(const struct gtpc_gen_src *s)
{
	return s->ack_head != s->ack_tail && s->ack_ns[s->ack_head % GTPC_GEN_ACKS] <= s->next_ns;
}

static void set_due(struct gtpc_gen_src *s)
{
	s->due_ns = ack_waiting(s) ? s->ack_ns[s->ack_head % GTPC_GEN_ACKS] : s->next_ns;
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
	unsigned i, j, n_src = 0, n_ack = 0;

	memset(g, 0, sizeof(*g));
	g->profiles = p;
	g->o = *o;
	for (i = 0; i < o->n_ues; i++) {
		const struct gtpc_profile *pr = &p->profiles[o->ue_profile[i]];

		n_src += gtpc_profile_streams(pr);
		for (j = 0; j < gtpc_profile_streams(pr); j++)
			n_ack += gtpc_profile_stream(pr, j)->ack_every > 0;
	}
	g->ues = calloc(o->n_ues ? o->n_ues : 1, sizeof(*g->ues));
	g->srcs = calloc(n_src ? n_src : 1, sizeof(*g->srcs));
	g->heap = calloc(n_src ? n_src : 1, sizeof(*g->heap));
	g->acks = calloc((size_t)(n_ack ? n_ack : 1) * GTPC_GEN_ACKS, sizeof(*g->acks));
	if (!g->ues || !g->srcs || !g->heap || !g->acks)
		return -ENOMEM;
	for (i = 0, n_src = 0, n_ack = 0; i < o->n_ues; i++) {
		struct gtpc_gen_ue *ue = &g->ues[i];
		const struct gtpc_profile *pr;

		ue->profile = o->ue_profile[i];
		pr = &p->profiles[ue->profile];
		ue->rng = o->seed * 0x100000001b3ULL + i;
		gtpc_rng_next(&ue->rng);
		ue->teid = 0x1000 + i;
		ue->sport = (uint16_t)(40000 + i % 20000);
		ue_addresses(g, i, ue);
		for (j = 0; j < gtpc_profile_streams(pr); j++, n_src++) {
			const struct gtpc_stream *st = gtpc_profile_stream(pr, j);
			struct gtpc_gen_src *s = &g->srcs[n_src];
			double period = st->interval_us.mean > 1 ? st->interval_us.mean : 1;

			s->ue = i;
			s->stream = (uint16_t)j;
			if (st->ack_every)
				s->ack_ns = &g->acks[(size_t)n_ack++ * GTPC_GEN_ACKS];
			/* A random phase so that UEs of one profile do not
			 * send in step. */
			s->next_ns = us_to_ns((double)(gtpc_rng_next(&ue->rng) % clamp_u64(period, 1ULL << 50)));
			s->burst_start_ns = s->next_ns;
			s->burst_left = first_burst(st, &ue->rng);
			if (gtpc_dist_set(&st->on_us))
				s->phase_end_ns = s->next_ns + 1 + us_to_ns(gtpc_dist_sample(&st->on_us, &ue->rng));
			set_due(s);
			if (!o->shards || i % o->shards == o->shard)
				g->heap[g->heap_n++] = n_src;
		}
	}
	for (i = g->heap_n / 2 + 1; i-- > 0;)
		sift_down(g, i);
	return 0;
}

static void fill_spec(struct gtpc_gen *g, struct gtpc_gen_ue *ue, int dl, uint16_t len, struct gtpc_pkt_spec *s)
{
	const struct gtpc_profile *p = &g->profiles->profiles[ue->profile];
	static const uint8_t upf4[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 100 };
	static const uint8_t upf6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t server[16] = { 0 };
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
	s->inner_len = len;
}

/* The direction of a data packet of st. A mixed stream draws it; with
 * uplink_only its downlink packets are sent as uplink (a mixed stream is one
 * exchange, seen whole), where a downlink stream's are not sent at all (N3
 * ingress does not carry them). */
static int data_dl(const struct gtpc_gen *g, const struct gtpc_stream *st, uint64_t *rng)
{
	if (st->dir != GTPC_STREAM_MIXED)
		return st->dir == GTPC_STREAM_DL;
	return !g->o.uplink_only && st->downlink_share > 0 &&
	       (double)(gtpc_rng_next(rng) >> 11) / 9007199254740992.0 < st->downlink_share;
}

size_t gtpc_gen_next(struct gtpc_gen *g, uint8_t *buf, size_t cap, uint64_t *t_ns)
{
	for (;;) {
		struct gtpc_pkt_spec spec;
		struct gtpc_gen_src *s;
		const struct gtpc_stream *st;
		struct gtpc_gen_ue *ue;
		uint16_t len;
		int dl;

		if (!g->heap_n)
			return 0;
		s = &g->srcs[g->heap[0]];
		if (s->due_ns >= g->o.duration_ns)
			return 0;
		ue = &g->ues[s->ue];
		st = src_stream(g, s);
		*t_ns = s->due_ns;
		if (ack_waiting(s)) {
			s->ack_head++;
			dl = st->dir == GTPC_STREAM_UL;
			len = sample_len(&st->ack_size, &ue->rng);
		} else {
			dl = data_dl(g, st, &ue->rng);
			len = sample_len(s->off ? &st->off_size : &st->size, &ue->rng);
			if (st->ack_every && !s->off)
				plan_ack(s, st, *t_ns, &ue->rng);
			advance(s, st, &ue->rng);
		}
		set_due(s);
		sift_down(g, 0);
		if (dl && g->o.uplink_only)
			continue;
		fill_spec(g, ue, dl, len, &spec);
		return gtpc_pkt_build(buf, cap, &spec);
	}
}

int gtpc_gen_labels(const struct gtpc_gen *g, FILE *f)
{
	char a[INET6_ADDRSTRLEN_GTPC];
	unsigned i;

	fprintf(f, "ue,teid,class\n");
	for (i = 0; i < g->o.n_ues; i++)
		fprintf(f, "%s,teid:0x%08x,%s\n", gtpc_addr_str(g->ues[i].addr, a, sizeof(a)), g->ues[i].teid,
			gtpc_profile_class(&g->profiles->profiles[g->ues[i].profile]));
	return ferror(f) ? -EIO : 0;
}

void gtpc_gen_free(struct gtpc_gen *g)
{
	free(g->ues);
	free(g->srcs);
	free(g->acks);
	free(g->heap);
	memset(g, 0, sizeof(*g));
}

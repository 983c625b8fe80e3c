#include "io/pcap_out.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

/* A dumper and the dead handle it was opened from, closed together. */
struct gtpc_dump {
	pcap_t *dead;
	pcap_dumper_t *d;
};

void gtpc_pcap_write(void *dumper, const uint8_t *frame, uint32_t len, uint64_t ts_ns)
{
	struct pcap_pkthdr h = { .caplen = len, .len = len };

	h.ts.tv_sec = (time_t)(ts_ns / 1000000000ULL);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ULL);
	pcap_dump((u_char *)((struct gtpc_dump *)dumper)->d, &h, frame);
}

void *gtpc_pcap_dump_open(const char *path, char *err, size_t errlen)
{
	struct gtpc_dump *g = calloc(1, sizeof(*g));

	if (g)
		g->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (g && g->dead)
		g->d = pcap_dump_open(g->dead, path);
	if (g && g->d)
		return g;
	snprintf(err, errlen, "%s: %s", path, g && g->dead ? pcap_geterr(g->dead) : "cannot open");
	if (g && g->dead)
		pcap_close(g->dead);
	free(g);
	return NULL;
}

void gtpc_pcap_dump_close(void *dumper)
{
	struct gtpc_dump *g = dumper;

	if (!g)
		return;
	pcap_dump_close(g->d);
	pcap_close(g->dead);
	free(g);
}

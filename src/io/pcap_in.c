#include "io/pcap_in.h"

#include <stdio.h>
#include <stdlib.h>

pcap_t *gtpc_pcap_open(const char *path, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);

	if (!p) {
		snprintf(err, errlen, "%s", perr);
		return NULL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "%s: link type %s; gtpclass reads Ethernet captures", path,
			 pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return NULL;
	}
	return p;
}

int gtpc_pcap_next(pcap_t *p, const uint8_t **data, uint32_t *len, uint32_t *wire_len, uint64_t *ts_ns)
{
	struct pcap_pkthdr *h;
	int rc = pcap_next_ex(p, &h, data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1)
		return -1;
	*len = h->caplen;
	if (wire_len)
		*wire_len = h->len > h->caplen ? h->len : h->caplen;
	*ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
	return 1;
}

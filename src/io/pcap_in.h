/* Reading captures with libpcap, at nanosecond precision. */
#ifndef GTPC_PCAP_IN_H
#define GTPC_PCAP_IN_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

/* Opens an Ethernet capture; other link types are refused by name. */
pcap_t *gtpc_pcap_open(const char *path, char *err, size_t errlen);
/* Next frame: len bytes captured of the wire_len the frame had (more when
 * the snap length cut it; wire_len may be NULL). Returns 1, 0 at the end,
 * -1 on error. */
int gtpc_pcap_next(pcap_t *p, const uint8_t **data, uint32_t *len, uint32_t *wire_len, uint64_t *ts_ns);

#endif

/* Writing frames to a capture from code that cannot include libpcap's
 * headers (they clash with linux/bpf.h). */
#ifndef GTPC_PCAP_OUT_H
#define GTPC_PCAP_OUT_H

#include <stdint.h>

#include <stddef.h>

/* A nanosecond Ethernet capture to write; NULL and a message on error. */
void *gtpc_pcap_dump_open(const char *path, char *err, size_t errlen);
/* Flushes and closes; NULL is ignored. */
void gtpc_pcap_dump_close(void *dumper);
/* dumper from gtpc_pcap_dump_open. */
void gtpc_pcap_write(void *dumper, const uint8_t *frame, uint32_t len, uint64_t ts_ns);

#endif

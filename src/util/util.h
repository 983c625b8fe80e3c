/* Small helpers with no better home. */
#ifndef GTPC_UTIL_H
#define GTPC_UTIL_H

#define INET6_ADDRSTRLEN_GTPC 46

#include <stddef.h>
#include <stdint.h>

/* Whole-string number parsing: 0, or -1 when s is not entirely a number. */
int gtpc_parse_long(const char *s, long *out);
int gtpc_parse_double(const char *s, double *out);
/* A decimal whole number in [min, max], with no sign or spaces (strtoull
 * would take "-1" and wrap it). */
int gtpc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Reads a file into a NUL-terminated buffer of at most max bytes; NULL and
 * errno on failure. */
char *gtpc_read_file(const char *path, size_t max);
/* CLOCK_MONOTONIC in ns, the clock of bpf_ktime_get_ns(). */
uint64_t gtpc_now_ns(void);
/* Memory the per-packet path reaches anywhere in: huge pages are asked for
 * (advice only: without them it still works), and every page is touched
 * now, so that no page fault happens on that path. NULL without memory. */
void *gtpc_hot_alloc(size_t bytes);
void gtpc_hot_free(void *p, size_t bytes);
/* Formats a 16-byte (IPv4-mapped or IPv6) address. */
const char *gtpc_addr_str(const uint8_t addr[16], char *buf, size_t len);
/* Parses "a.b.c.d" or an IPv6 address into 16 bytes (IPv4-mapped). */
int gtpc_addr_parse(const char *s, uint8_t out[16]);

/* Parses "a.b.c.d/n" or "v6addr/n" into 16 bytes and a length in bits over
 * those 16 bytes (an IPv4 /n is 96 + n). 0, or -1 when it is not a prefix. */
int gtpc_prefix_parse(const char *s, uint8_t addr[16], uint32_t *bits);
/* Whether addr lies in the prefix of bits bits (over 16 bytes) at pfx. */
int gtpc_prefix_match(const uint8_t pfx[16], uint32_t bits, const uint8_t addr[16]);
/* The inverse of gtpc_prefix_parse: "10.45.0.0/16", "2001:db8::/48". */
const char *gtpc_prefix_str(const uint8_t addr[16], uint32_t bits, char *buf, size_t len);
/* "aa:bb:cc:dd:ee:ff" into 6 bytes; 0, or -1 when it is not a MAC. */
int gtpc_mac_parse(const char *s, uint8_t out[6]);
/* An interface's MAC address, from sysfs; 0, or -1. */
int gtpc_if_mac(const char *ifname, uint8_t out[6]);
/* How many RX (dir "rx") or TX ("tx") queues an interface has, from sysfs. */
unsigned gtpc_if_queues(const char *ifname, const char *dir);
/* rel as seen from the folder of the file base (absolute rel unchanged). */
void gtpc_path_beside(const char *base, const char *rel, char *out, size_t len);
/* Sorts v and gives its median and 99th percentile (0 when n is 0). */
void gtpc_percentiles(uint64_t *v, size_t n, uint64_t *p50, uint64_t *p99);

struct sockaddr_storage;
/* ADDR:PORT, or [ADDR]:PORT for IPv6, into ss; 0 or -EINVAL. */
int gtpc_listen_parse(const char *listen, struct sockaddr_storage *ss);

#endif

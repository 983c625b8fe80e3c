#include "util/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int gtpc_parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return (errno || end == s || *end) ? -1 : 0;
}

int gtpc_parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return (errno || end == s || *end) ? -1 : 0;
}

int gtpc_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

char *gtpc_read_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	fclose(f);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

uint64_t gtpc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

const char *gtpc_addr_str(const uint8_t addr[16], char *buf, size_t len)
{
	if (!memcmp(addr, v4mapped, 12))
		inet_ntop(AF_INET, addr + 12, buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, addr, buf, (socklen_t)len);
	return buf;
}

int gtpc_addr_parse(const char *s, uint8_t out[16])
{
	memcpy(out, v4mapped, 12);
	if (inet_pton(AF_INET, s, out + 12) == 1)
		return 0;
	return inet_pton(AF_INET6, s, out) == 1 ? 0 : -1;
}

int gtpc_prefix_parse(const char *s, uint8_t addr[16], uint32_t *bits)
{
	char buf[80], *slash;
	long len;
	int v6;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash || gtpc_parse_long(slash + 1, &len))
		return -1;
	*slash = '\0';
	v6 = strchr(buf, ':') != NULL;
	if (gtpc_addr_parse(buf, addr) || len < 0 || len > (v6 ? 128 : 32))
		return -1;
	*bits = (uint32_t)len + (v6 ? 0 : 96);
	return 0;
}

int gtpc_prefix_match(const uint8_t pfx[16], uint32_t bits, const uint8_t addr[16])
{
	uint32_t full = bits / 8, rest = bits % 8;

	if (memcmp(pfx, addr, full))
		return 0;
	return !rest || ((pfx[full] ^ addr[full]) & (0xff00 >> rest)) == 0;
}

const char *gtpc_prefix_str(const uint8_t addr[16], uint32_t bits, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN_GTPC];
	int v4 = !memcmp(addr, v4mapped, 12) && bits >= 96;

	snprintf(buf, len, "%s/%u", gtpc_addr_str(addr, a, sizeof(a)), v4 ? bits - 96 : bits);
	return buf;
}

void gtpc_path_beside(const char *base, const char *rel, char *out, size_t len)
{
	const char *slash = strrchr(base, '/');

	if (rel[0] == '/' || !slash)
		snprintf(out, len, "%s", rel);
	else
		snprintf(out, len, "%.*s/%s", (int)(slash - base), base, rel);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void gtpc_percentiles(uint64_t *v, size_t n, uint64_t *p50, uint64_t *p99)
{
	*p50 = *p99 = 0;
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_u64);
	*p50 = v[n / 2];
	*p99 = v[n * 99 / 100];
}

int gtpc_mac_parse(const char *s, uint8_t out[6])
{
	unsigned v[6];
	char rest;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &rest) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
	return 0;
}

int gtpc_if_mac(const char *ifname, uint8_t out[6])
{
	char path[128], text[32];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	ok = fgets(text, sizeof(text), f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	text[strcspn(text, "\n")] = '\0';
	return gtpc_mac_parse(text, out);
}

unsigned gtpc_if_queues(const char *ifname, const char *dir)
{
	char path[128];
	unsigned n = 0;

	for (;;) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/queues/%s-%u", ifname, dir, n);
		if (access(path, F_OK))
			return n;
		n++;
	}
}

int gtpc_listen_parse(const char *listen, struct sockaddr_storage *ss)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	unsigned long port;
	char *end;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	if (!colon || colon == listen)
		return -EINVAL;
	port = strtoul(colon + 1, &end, 10);
	if (*end || !colon[1] || port == 0 || port > 65535)
		return -EINVAL;
	n = (size_t)(colon - listen);
	if (listen[0] == '[' && n >= 2 && listen[n - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		if (n - 2 >= sizeof(host))
			return -EINVAL;
		memcpy(host, listen + 1, n - 2);
		host[n - 2] = 0;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, host, &a->sin6_addr) == 1 ? 0 : -EINVAL;
	}
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, listen, n);
	host[n] = 0;
	{
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -EINVAL;
	}
}

#define HUGE_PAGE ((size_t)2 << 20)

/* Whole huge pages once the memory fills half of one: the kernel gives
 * none to a smaller mapping. */
static size_t hot_bytes(size_t bytes)
{
	return bytes >= HUGE_PAGE / 2 ? (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1) : bytes;
}

void *gtpc_hot_alloc(size_t bytes)
{
	void *p = mmap(NULL, hot_bytes(bytes), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/* A TLB miss is a page walk, dearer still in a guest; 2 MiB pages
	 * spare most of them. */
	madvise(p, hot_bytes(bytes), MADV_HUGEPAGE);
	memset(p, 0, hot_bytes(bytes));
	return p;
}

void gtpc_hot_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, hot_bytes(bytes));
}

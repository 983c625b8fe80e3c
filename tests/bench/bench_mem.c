/* This machine's memory, as the per-packet path meets it: random 64-byte
 * lines in a buffer the size of 100k UEs' records. Prints the latency of a
 * dependent load (a chase through a random cycle) and the throughput of
 * independent ones (as many in flight as the core allows): the second is
 * what a prefetching lookup pays per line at best. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/util.h"

#define LINE_WORDS 8
#define STEPS 4000000

int main(int argc, char **argv)
{
	size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 32, n = mb * 1024 * 1024 / 64, i;
	uint64_t *a = mmap(NULL, n * 64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *perm = malloc(n * sizeof(*perm));
	uint64_t rng = 88172645463325252ULL, p, acc = 0, t0, t1, t2;

	if (a == MAP_FAILED || !perm || n < 2) {
		fprintf(stderr, "bench_mem: cannot allocate %zu MB\n", mb);
		return 1;
	}
	madvise(a, n * 64, MADV_HUGEPAGE);
	memset(a, 0, n * 64);
	for (i = 0; i < n; i++)
		perm[i] = (uint32_t)i;
	/* One random cycle through every line, so the chase visits them all. */
	for (i = n - 1; i > 0; i--) {
		size_t j;
		uint32_t t;

		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		j = rng % (i + 1);
		t = perm[i], perm[i] = perm[j], perm[j] = t;
	}
	for (i = 0; i < n; i++)
		a[(size_t)perm[i] * LINE_WORDS] = (uint64_t)perm[(i + 1) % n] * LINE_WORDS;
	p = (uint64_t)perm[0] * LINE_WORDS;
	t0 = gtpc_now_ns();
	for (i = 0; i < STEPS; i++)
		p = a[p];
	t1 = gtpc_now_ns();
	for (i = 0; i < STEPS; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		acc += a[(rng % n) * LINE_WORDS];
	}
	t2 = gtpc_now_ns();
	printf("mem_mb=%zu dependent_ns=%.1f independent_ns=%.1f\n", mb, (double)(t1 - t0) / STEPS,
	       (double)(t2 - t1) / STEPS);
	free(perm);
	munmap(a, n * 64);
	return (p ^ acc) == 1; /* keeps both loops */
}

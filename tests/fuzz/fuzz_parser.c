/* libFuzzer target: the one GTP-U parser on any bytes, whole and as a
 * capture cut short of its wire length. It must not read past what it is
 * given (ASan), and what it reports must be consistent: a known outcome
 * and reason, and for a G-PDU offsets inside the frame and an inner header
 * that fits what the GTP length allows. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtpc/key.h"
#include "gtpc/parse.h"

static void check(const uint8_t *f, size_t n, const struct gtpc_pkt *p)
{
	if (p->outcome >= GTPC_OUT__COUNT || p->reason >= GTPC_MAL__COUNT)
		abort();
	if ((p->outcome == GTPC_OUT_MALFORMED || p->outcome == GTPC_OUT_UNPARSED) != (p->reason != 0))
		abort();
	if (p->outcome != GTPC_OUT_GPDU)
		return;
	if (p->inner_off >= n || p->udp_off >= p->inner_off || p->outer_off >= p->udp_off)
		abort();
	if (p->inner_ver != 4 && p->inner_ver != 6)
		abort();
	if (p->inner_len < (p->inner_ver == 4 ? 20 : 40))
		abort();
	(void)f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *f = malloc(size ? size : 1);
	struct gtpc_pkt p;
	struct gtpc_key k;
	unsigned opts;

	memcpy(f, data, size);
	for (opts = 0; opts <= (GTPC_PARSE_SRC_PORT | GTPC_PARSE_INNER_EXT); opts++) {
		gtpc_parse_opts(f, f + size, opts, &p);
		check(f, size, &p);
		if (p.outcome == GTPC_OUT_GPDU) {
			gtpc_key_build(&k, &p, GTPC_KEY_UE, 1);
			gtpc_key_build(&k, &p, GTPC_KEY_FLOW, 0);
		}
		/* The same bytes as the start of a longer frame on the wire. */
		gtpc_parse_frame(f, f + size, f + size + 1500, opts, &p);
		if (p.outcome >= GTPC_OUT__COUNT || p.reason >= GTPC_MAL__COUNT)
			abort();
	}
	free(f);
	return 0;
}

/* Test helpers: a valid uplink G-PDU to start from, and parsing a copy of
 * exactly len bytes so that ASan sees any read past the frame. */
#ifndef GTPC_TEST_PKTBUILD_H
#define GTPC_TEST_PKTBUILD_H

#include <stdlib.h>
#include <string.h>

#include "gtpc/parse.h"
#include "gen/pkt_build.h"
#include "util/names.h"
#include "util/util.h"

static inline struct gtpc_pkt_spec test_spec(void)
{
	struct gtpc_pkt_spec s;

	memset(&s, 0, sizeof(s));
	gtpc_addr_parse("192.0.2.1", s.outer_src);
	gtpc_addr_parse("192.0.2.100", s.outer_dst);
	s.teid = 0x1234;
	s.psc = 1;
	s.pdu_type = 1;
	s.qfi = 9;
	gtpc_addr_parse("10.45.0.2", s.inner_src);
	gtpc_addr_parse("198.51.100.1", s.inner_dst);
	s.proto = GTPC_IPPROTO_UDP;
	s.sport = 4000;
	s.dport = 53;
	s.inner_len = 100;
	return s;
}

static inline int parse_exact(const uint8_t *buf, size_t len, unsigned opts, struct gtpc_pkt *p)
{
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, buf, len);
	rc = gtpc_parse_opts(copy, copy + len, opts, p);
	free(copy);
	return rc;
}

#endif

/* gtpclass inspect: what the datapath's parser makes of each packet of a
 * capture, one line each, in the manner of tcpdump. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "gtpc/parse.h"
#include "util/names.h"
#include "io/pcap_in.h"
#include "util/util.h"

static const char *dir_name(uint8_t dir)
{
	return dir == GTPC_DIR_UL ? "ul" : dir == GTPC_DIR_DL ? "dl" : "-";
}

static void print_packet(uint64_t n, uint64_t ts, const struct gtpc_pkt *p)
{
	char src[INET6_ADDRSTRLEN_GTPC], dst[INET6_ADDRSTRLEN_GTPC];

	printf("%" PRIu64 " %" PRIu64 ".%09" PRIu64 " %s", n, (uint64_t)(ts / 1000000000ULL), (uint64_t)(ts % 1000000000ULL),
	       gtpc_outcome_name(p->outcome));
	if (p->outcome == GTPC_OUT_MALFORMED || p->outcome == GTPC_OUT_UNPARSED) {
		printf(" reason=%s\n", p->outcome == GTPC_OUT_MALFORMED ? gtpc_malformed_name(p->reason)
									: gtpc_unparsed_name(p->reason));
		return;
	}
	if (p->outcome != GTPC_OUT_GPDU && p->outcome != GTPC_OUT_GTPU_OTHER) {
		printf("\n");
		return;
	}
	printf(" type=%u teid=0x%08x", p->msg_type, p->teid);
	if (p->outcome == GTPC_OUT_GTPU_OTHER) {
		printf("\n");
		return;
	}
	if (p->has_psc)
		printf(" qfi=%u", p->qfi);
	else
		printf(" qfi=-");
	printf(" dir=%s ext=%u %s", dir_name(p->dir), p->n_ext, gtpc_addr_str(p->src, src, sizeof(src)));
	if (p->has_ports)
		printf(".%u", p->sport);
	printf(" > %s", gtpc_addr_str(p->dst, dst, sizeof(dst)));
	if (p->has_ports)
		printf(".%u", p->dport);
	printf(" proto=%u len=%u\n", p->proto, p->inner_len);
}

int gtpc_cmd_inspect(int argc, char **argv)
{
	int source_port = 0, first, rc, i;
	uint64_t n = 0, ts, counts[GTPC_OUT__COUNT] = { 0 };
	const struct gtpc_opt opts[] = {
		GTPC_OPT_BOOL("source-port", 's', &source_port,
			      "also take datagrams from port 2152 as GTP-U (as Wireshark)"),
	};
	const struct gtpc_cmd_spec spec = {
		"inspect", "[--source-port] FILE.pcap",
		"One line per packet: number, time, parser outcome, and for GTP-U the message type,\n"
		"TEID, QFI, direction, extension count and inner addresses.",
		opts, 1, 1, 1,
	};
	const uint8_t *data;
	uint32_t popts, len, wire;
	char err[512];
	struct gtpc_pkt p;
	pcap_t *pc;

	rc = gtpc_opts_parse(&spec, argc, argv, &first);
	if (rc)
		return rc == GTPC_OPTS_HELP ? 0 : 2;
	/* The ports as key: flow sees them. */
	popts = (source_port ? GTPC_PARSE_SRC_PORT : 0) | GTPC_PARSE_INNER_EXT;
	argv += first;
	pc = gtpc_pcap_open(argv[0], err, sizeof(err));
	if (!pc) {
		fprintf(stderr, "gtpclass: error: %s\n", err);
		return 1;
	}
	while ((rc = gtpc_pcap_next(pc, &data, &len, &wire, &ts)) == 1) {
		/* A frame cut by the snap length is decoded as far as captured. */
		gtpc_parse_frame(data, data + len, data + wire, popts, &p);
		counts[p.outcome]++;
		print_packet(++n, ts, &p);
	}
	if (rc < 0)
		fprintf(stderr, "gtpclass: error: %s: %s (libpcap cannot read it; editcap -F pcap converts it)\n",
			argv[0], pcap_geterr(pc));
	pcap_close(pc);
	fprintf(stderr, "%" PRIu64 " packets:", n);
	for (i = 0; i < GTPC_OUT__COUNT; i++)
		fprintf(stderr, " %s %" PRIu64, gtpc_outcome_name((unsigned)i), counts[i]);
	fprintf(stderr, "\n");
	return rc < 0 ? 1 : 0;
}

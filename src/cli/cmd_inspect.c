/* gtpclass inspect: what the datapath's parser makes of each packet of a
 * capture, one line each, in the manner of tcpdump. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
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
	if (p->outcome == GTPC_OUT_MALFORMED) {
		printf(" reason=%s\n", gtpc_malformed_name(p->reason));
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
	static const struct option opts[] = {
		{ "source-port", no_argument, 0, 's' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
	};
	uint32_t popts = 0;
	uint64_t n = 0, ts, counts[GTPC_OUT__COUNT] = { 0 };
	const uint8_t *data;
	char err[512];
	struct gtpc_pkt p;
	pcap_t *pc;
	uint32_t len;
	int opt, rc, i;

	while ((opt = getopt_long(argc, argv, "sh", opts, NULL)) != -1) {
		if (opt == 's') {
			popts |= GTPC_PARSE_SRC_PORT;
			continue;
		}
		printf("usage: gtpclass inspect [--source-port] FILE.pcap\n"
		       "  one line per packet: number, time, parser outcome, and for GTP-U the\n"
		       "  message type, TEID, QFI, direction, extension count and inner addresses\n"
		       "  --source-port  also take datagrams from port 2152 as GTP-U (as Wireshark)\n");
		return opt == 'h' ? 0 : 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: gtpclass inspect FILE.pcap\n");
		return 2;
	}
	pc = gtpc_pcap_open(argv[optind], err, sizeof(err));
	if (!pc) {
		fprintf(stderr, "gtpclass: error: %s\n", err);
		return 1;
	}
	while ((rc = gtpc_pcap_next(pc, &data, &len, &ts)) == 1) {
		gtpc_parse_opts(data, data + len, popts, &p);
		counts[p.outcome]++;
		print_packet(++n, ts, &p);
	}
	if (rc < 0)
		fprintf(stderr, "gtpclass: error: %s: %s (libpcap cannot read it; editcap -F pcap converts it)\n",
			argv[optind], pcap_geterr(pc));
	pcap_close(pc);
	fprintf(stderr, "%" PRIu64 " packets:", n);
	for (i = 0; i < GTPC_OUT__COUNT; i++)
		fprintf(stderr, " %s %" PRIu64, gtpc_outcome_name((unsigned)i), counts[i]);
	fprintf(stderr, "\n");
	return rc < 0 ? 1 : 0;
}

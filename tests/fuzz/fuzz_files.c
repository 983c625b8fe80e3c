/* libFuzzer target: the loaders of files an operator hands over, on any
 * bytes: the first byte picks the config (libcyaml schema and every
 * check), a model manifest, a capture (libpcap, then the parser on each
 * frame with its wire length), or traffic profiles (then 100 ms of
 * traffic from them: on/off periods and ACK queues on any numbers). Each must refuse with a message or load,
 * never crash, hang or leak (ASan). The bytes go to a memfd, named by a
 * /proc path, since the loaders read files (and reread them for lines). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"
#include "gen/gen.h"
#include "gtpc/parse.h"
#include "io/pcap_in.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	int fd;

	if (size < 1)
		return 0;
	fd = memfd_create("gtpc-fuzz", 0);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	switch (data[0] % 4) {
	case 0: {
		struct gtpc_config *c = NULL;

		if (gtpc_config_load(path, &c, err, sizeof(err)) == 0)
			gtpc_config_free(c);
		break;
	}
	case 1: {
		struct gtpc_model m;

		if (gtpc_model_load(path, &m, err, sizeof(err)) == 0)
			gtpc_model_free(&m);
		break;
	}
	case 3: {
		struct gtpc_profiles *ps = NULL;

		if (gtpc_profiles_load(path, &ps, err, sizeof(err)) == 0) {
			int which[4];
			struct gtpc_gen_opts o = { .n_ues = 4, .ue_profile = which, .seed = 1, .duration_ns = 100000000 };
			struct gtpc_gen g;
			uint8_t buf[2048];
			uint64_t t;
			unsigned i;

			for (i = 0; i < 4; i++)
				which[i] = (int)(i % ps->profiles_count);
			if (gtpc_gen_init(&g, ps, &o) == 0)
				for (i = 0; i < 1000 && gtpc_gen_next(&g, buf, sizeof(buf), &t); i++)
					;
			gtpc_gen_free(&g);
			gtpc_profiles_free(ps);
		}
		break;
	}
	case 2:
	default: {
		pcap_t *pc = gtpc_pcap_open(path, err, sizeof(err));
		const uint8_t *frame;
		uint32_t len, wire;
		uint64_t ts;
		struct gtpc_pkt p;

		while (pc && gtpc_pcap_next(pc, &frame, &len, &wire, &ts) == 1)
			gtpc_parse_frame(frame, frame + len, frame + wire, 0, &p);
		if (pc)
			pcap_close(pc);
		break;
	}
	}
	close(fd);
	return 0;
}

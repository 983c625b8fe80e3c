/* BPF_PROG_RUN needs root: without it the setups leave the state empty and
 * every test skips, saying why, instead of failing its group. */
#ifndef GTPC_BPF_TEST_H
#define GTPC_BPF_TEST_H

#include <stdio.h>
#include <unistd.h>

#define NOT_ROOT_SETUP(state)                                                  \
	do {                                                                   \
		if (geteuid() != 0) {                                          \
			*(state) = NULL;                                       \
			return 0;                                              \
		}                                                              \
	} while (0)

#define SKIP_IF_NO_STATE(state)                                                \
	do {                                                                   \
		if (!*(state)) {                                               \
			printf("SKIP: BPF_PROG_RUN needs root\n");             \
			skip();                                                \
		}                                                              \
	} while (0)

#endif

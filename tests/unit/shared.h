/* Where ../shared is: GTPC_SHARED, or ../shared from the repository root
 * (tests run from there). Cases that need it skip, saying so, without it. */
#ifndef GTPC_TEST_SHARED_H
#define GTPC_TEST_SHARED_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline const char *shared_path(const char *rel, char *out, size_t len)
{
	const char *base = getenv("GTPC_SHARED");

	snprintf(out, len, "%s/%s", base ? base : "../shared", rel);
	return access(out, R_OK) == 0 ? out : NULL;
}

#define REQUIRE_SHARED(path, rel, buf)                                         \
	do {                                                                   \
		if (!((path) = shared_path((rel), (buf), sizeof(buf)))) {      \
			printf("SKIP: %s is not here (../shared absent)\n", (buf)); \
			skip();                                                \
		}                                                              \
	} while (0)

#endif

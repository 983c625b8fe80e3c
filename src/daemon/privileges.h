/* What `run` needs of the kernel's permissions, checked before anything is
 * touched, so that a missing capability or a too small locked-memory limit
 * is named instead of surfacing as EPERM or "No buffer space available"
 * deep inside libbpf or the socket code. The list here is the one in
 * docs/OPERATIONS.md and the systemd unit; a test runs the daemon under
 * exactly it. */
#ifndef GTPC_PRIVILEGES_H
#define GTPC_PRIVILEGES_H

#include <stddef.h>

#include "config/config.h"

int gtpc_privileges_check(const struct gtpc_config *c, char *err, size_t errlen);

#endif

/* Where a running instance keeps its pins, for the commands that read
 * them from another shell (stats, verdicts). */
#ifndef GTPC_CLI_PINS_H
#define GTPC_CLI_PINS_H

#include <stddef.h>

/* pin_path/IF of the instance on iface, or with iface NULL of the only one
 * under pin_path. 0, or -1 after saying what is wrong (cmd names the
 * command in the message). */
int gtpc_cli_pin_dir(const char *cmd, const char *pin_path, const char *iface, char *out, size_t len);

#endif

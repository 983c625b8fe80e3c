/* Requests from `gtpclass verdicts` to a running instance: a pinned queue
 * map (pin_path/IF/commands) that the CLI pushes into and the main thread
 * pops at each poll, then hands to the workers that hold the UEs. */
#ifndef GTPC_DAEMON_COMMANDS_H
#define GTPC_DAEMON_COMMANDS_H

#include <stddef.h>

#include "gtpc/maps.h"

#define GTPC_COMMANDS_MAX 256

/* The daemon's side: creates and pins the queue; returns its fd. */
int gtpc_commands_open(const char *pin_dir, char *err, size_t errlen);
/* 0 with one request in c, or -ENOENT when there is none. */
int gtpc_commands_pop(int fd, struct gtpc_command *c);
void gtpc_commands_close(int fd, const char *pin_dir, int keep);
/* The CLI's side. */
int gtpc_commands_push(const char *pin_dir, const struct gtpc_command *c, char *err, size_t errlen);

#endif

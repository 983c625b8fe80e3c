/* The CPUs of the threads that are not workers. */
#ifndef GTPC_HOUSEKEEPING_H
#define GTPC_HOUSEKEEPING_H

#include "config/config.h"

/* Moves the calling thread, and so every thread it starts from now on
 * without a CPU of its own (metrics, reload), off the workers' CPUs when
 * the process may run elsewhere. Returns how many CPUs it is left on, or 0
 * when it was left where it was. */
int gtpc_housekeeping_pin(const struct gtpc_config *c);

#endif

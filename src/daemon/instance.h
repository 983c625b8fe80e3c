/* One gtpclass per interface. The lock is a file, GTPC_RUN_DIR/IF.pid,
 * held with flock() for the process's life: the kernel releases it when
 * the process ends, even by SIGKILL, so a stale file never blocks a start,
 * and it holds the pid that a refused second instance names. Taken before
 * anything else is touched, so a refused instance changes nothing of the
 * running one (its pins, its XDP program). */
#ifndef GTPC_INSTANCE_H
#define GTPC_INSTANCE_H

#include <stddef.h>

#define GTPC_RUN_DIR "/run/gtpclass"

struct gtpc_instance {
	int fd;
	char path[256];
};

/* 0, or -EBUSY naming the running instance's pid, or another -errno. */
int gtpc_instance_lock(struct gtpc_instance *in, const char *ifname, char *err, size_t errlen);
void gtpc_instance_unlock(struct gtpc_instance *in);

#endif

#include "daemon/instance.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* GTPCLASS_RUN_DIR overrides the folder (tests without /run). */
static const char *run_dir(void)
{
	const char *d = getenv("GTPCLASS_RUN_DIR");

	return d && *d ? d : GTPC_RUN_DIR;
}

int gtpc_instance_lock(struct gtpc_instance *in, const char *ifname, char *err, size_t errlen)
{
	char pid[32] = "";
	ssize_t n;

	in->fd = -1;
	if (mkdir(run_dir(), 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", run_dir(), strerror(errno));
		return -errno;
	}
	snprintf(in->path, sizeof(in->path), "%s/%s.pid", run_dir(), ifname);
	in->fd = open(in->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (in->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", in->path, strerror(errno));
		return -errno;
	}
	if (flock(in->fd, LOCK_EX | LOCK_NB)) {
		int e = errno;

		n = pread(in->fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = 0;
		pid[strcspn(pid, "\n")] = 0;
		close(in->fd);
		in->fd = -1;
		if (e != EWOULDBLOCK) {
			snprintf(err, errlen, "cannot lock %s: %s", in->path, strerror(e));
			return -e;
		}
		snprintf(err, errlen, "gtpclass already runs on %s (pid %s, %s); stop it first", ifname,
			 pid[0] ? pid : "unknown", in->path);
		return -EBUSY;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(in->fd, 0) || pwrite(in->fd, pid, (size_t)n, 0) != n) {
		snprintf(err, errlen, "cannot write %s: %s", in->path, strerror(errno));
		return -errno;
	}
	return 0;
}

void gtpc_instance_unlock(struct gtpc_instance *in)
{
	if (in->fd < 0)
		return;
	/* The file stays: unlinking it would let an instance that opened it
	 * just before lock a file no later instance sees. */
	if (ftruncate(in->fd, 0))
		(void)0; /* only the lock matters */
	close(in->fd);
	in->fd = -1;
}

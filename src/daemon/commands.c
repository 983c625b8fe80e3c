#include "daemon/commands.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void queue_path(const char *pin_dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/commands", pin_dir);
}

int gtpc_commands_open(const char *pin_dir, char *err, size_t errlen)
{
	char path[320];
	int fd;

	queue_path(pin_dir, path, sizeof(path));
	unlink(path); /* an earlier run's requests are not this run's */
	fd = bpf_map_create(BPF_MAP_TYPE_QUEUE, "gtpc_commands", 0, sizeof(struct gtpc_command), GTPC_COMMANDS_MAX, NULL);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create the command queue: %s", strerror(errno));
		return -errno;
	}
	if (bpf_obj_pin(fd, path)) {
		snprintf(err, errlen, "cannot pin %s: %s", path, strerror(errno));
		close(fd);
		return -errno;
	}
	return fd;
}

int gtpc_commands_pop(int fd, struct gtpc_command *c)
{
	return bpf_map_lookup_and_delete_elem(fd, NULL, c) ? -errno : 0;
}

void gtpc_commands_close(int fd, const char *pin_dir, int keep)
{
	char path[320];

	if (fd < 0)
		return;
	queue_path(pin_dir, path, sizeof(path));
	if (!keep)
		unlink(path);
	close(fd);
}

int gtpc_commands_push(const char *pin_dir, const struct gtpc_command *c, char *err, size_t errlen)
{
	char path[320];
	int fd, rc = 0;

	queue_path(pin_dir, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s (is gtpclass running on that interface?)", path, strerror(errno));
		return -errno;
	}
	if (bpf_map_update_elem(fd, NULL, c, BPF_ANY)) {
		rc = -errno;
		snprintf(err, errlen, "cannot queue the request: %s%s", strerror(errno),
			 errno == E2BIG ? " (the daemon has not taken the earlier ones)" : "");
	}
	close(fd);
	return rc;
}

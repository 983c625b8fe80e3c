#include "cli/pins.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/log.h"

/* An instance's folder holds its stats page while it runs. */
static int find_instance(const char *cmd, const char *pin_path, char *ifname, size_t len)
{
	DIR *d = opendir(pin_path);
	struct dirent *e;
	char path[PATH_MAX], found[512] = "";
	int n = 0;

	if (!d) {
		pr_err("%s: %s: %s (no instance has run with that pin_path)\n", cmd, pin_path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s/stats", pin_path, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st))
			continue;
		if (n++ == 0)
			snprintf(ifname, len, "%s", e->d_name);
		snprintf(found + strlen(found), sizeof(found) - strlen(found), " %s", e->d_name);
	}
	closedir(d);
	if (n == 1)
		return 0;
	if (n == 0)
		pr_err("%s: no running instance under %s\n", cmd, pin_path);
	else
		pr_err("%s: instances on%s: say which with -i\n", cmd, found);
	return -1;
}

int gtpc_cli_pin_dir(const char *cmd, const char *pin_path, const char *iface, char *out, size_t len)
{
	char ifname[256];

	if (iface)
		snprintf(ifname, sizeof(ifname), "%s", iface);
	else if (find_instance(cmd, pin_path, ifname, sizeof(ifname)))
		return -1;
	snprintf(out, len, "%s/%s", pin_path, ifname);
	return 0;
}

#include "daemon/datapath.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "gtpc/kmodel.h"
#include "gtpc/maps.h"
#include "gtpc/rewrite.h"
#include "gtpclass.skel.h"
#include "gtpclass_kern.skel.h"
#include "util/log.h"
#include "util/util.h"

static const char *const pinned_maps[] = { "verdicts", "counters", "events", "ue_prefixes" };

static int mkdir_p(const char *path)
{
	char buf[256], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int gtpc_bpffs_ensure(const char *pin_dir, char *err, size_t errlen)
{
	struct statfs st;
	int rc;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		goto mkdir;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL)) {
		snprintf(err, errlen, "bpffs is not mounted at /sys/fs/bpf and mounting it failed: %s", strerror(errno));
		return -errno;
	}
	pr_info("mounted bpffs at /sys/fs/bpf\n");
mkdir:
	rc = mkdir_p(pin_dir);
	if (rc)
		snprintf(err, errlen, "cannot create pin folder %s: %s", pin_dir, strerror(-rc));
	return rc;
}

/* Pin paths make libbpf reuse maps left by an earlier run (the verdicts
 * survive a restart) or pin new ones. */
static int set_pins(struct bpf_object *obj, const char *dir, char *err, size_t errlen)
{
	char path[320];
	size_t i;

	for (i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, pinned_maps[i]);

		if (!m)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, pinned_maps[i]);
		if (bpf_map__set_pin_path(m, path)) {
			snprintf(err, errlen, "cannot set pin path %s", path);
			return -EINVAL;
		}
	}
	return 0;
}

/* The pinned map may hold an earlier run's prefixes: they are replaced,
 * or XDP would key UEs by prefixes the workers no longer use. */
static int fill_prefixes(int fd, const struct gtpc_config *c, char *err, size_t errlen)
{
	struct gtpc_prefix_key k, next;
	uint32_t one = 1;
	unsigned i;

	while (!bpf_map_get_next_key(fd, NULL, &next)) {
		k = next;
		if (bpf_map_delete_elem(fd, &k)) {
			snprintf(err, errlen, "cannot remove an old UE prefix from the pinned map: %s", strerror(errno));
			return -errno;
		}
	}

	for (i = 0; i < c->classifier.ue_prefixes_count; i++) {
		memset(&k, 0, sizeof(k));
		/* Validated by the config loader. */
		gtpc_prefix_parse(c->classifier.ue_prefixes[i], k.addr, &k.prefixlen);
		if (bpf_map_update_elem(fd, &k, &one, BPF_ANY)) {
			snprintf(err, errlen, "cannot add UE prefix %s: %s", c->classifier.ue_prefixes[i], strerror(errno));
			return -errno;
		}
	}
	return 0;
}

/* Both skeletons declare the same settings first (gtpc_common.bpf.h). */
#define SET_COMMON_RODATA(skel, d, c)                                                         \
	do {                                                                                 \
		(skel)->rodata->cfg_key_mode = (uint32_t)(c)->classifier.key;                \
		(skel)->rodata->cfg_ue_is_src = (c)->classifier.default_direction == GTPC_DEFDIR_UPLINK; \
		(skel)->rodata->cfg_use_prefixes = (c)->classifier.ue_prefixes_count > 0;    \
		(skel)->rodata->cfg_parse_opts = gtpc_config_parse_opts(c);                  \
		bpf_map__set_max_entries((skel)->maps.verdicts, (c)->classifier.max_ues);    \
		(skel)->rodata->cfg_forward = d->egress_ifindex > 0;                         \
		(skel)->rodata->cfg_unparsed_drop = (c)->parser.on_unparsed == GTPC_UNPARSED_DROP; \
		memcpy((void *)&(skel)->rodata->cfg_egress_mac, &d->egress_mac, 6);          \
		(skel)->rodata->cfg_has_default_next_hop = (uint32_t)d->has_default_next_hop; \
		memcpy((void *)&(skel)->rodata->cfg_default_next_hop, &d->default_next_hop, 6); \
	} while (0)

/* The egress's index and MAC, and the configured next hop if any. */
static int forward_setup(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen)
{
	if (!gtpc_config_forwards(c))
		return 0;
	d->egress_ifindex = (int)if_nametoindex(c->forward.egress);
	if (!d->egress_ifindex) {
		snprintf(err, errlen, "forward.egress: no interface named '%s'", c->forward.egress);
		return -ENODEV;
	}
	if (gtpc_if_mac(c->forward.egress, d->egress_mac.addr)) {
		snprintf(err, errlen, "forward.egress: cannot read the MAC address of %s", c->forward.egress);
		return -EINVAL;
	}
	if (c->forward.next_hop_mac) {
		d->has_default_next_hop = 1;
		gtpc_mac_parse(c->forward.next_hop_mac, d->default_next_hop.addr); /* checked when loaded */
	}
	return 0;
}

/* Opening is where the two programs differ; what follows is common. */
static int open_redirect(struct gtpc_datapath *d, const struct gtpc_config *c)
{
	struct gtpclass_bpf *skel = gtpclass_bpf__open();

	if (!skel)
		return -errno;
	d->skel = skel;
	d->skeleton = skel->skeleton;
	d->prog = skel->progs.gtpc_redirect;
	SET_COMMON_RODATA(skel, d, c);
	skel->rodata->cfg_max_frame = c->frame_size - XDP_PACKET_HEADROOM;
	return 0;
}

static int open_kernel(struct gtpc_datapath *d, const struct gtpc_config *c)
{
	struct gtpclass_kern_bpf *skel = gtpclass_kern_bpf__open();

	if (!skel)
		return -errno;
	d->skel = skel;
	d->skeleton = skel->skeleton;
	d->prog = skel->progs.gtpc_kernel;
	SET_COMMON_RODATA(skel, d, c);
	bpf_map__set_max_entries(skel->maps.ues, c->classifier.max_ues);
	return 0;
}

static int load_program(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen)
{
	const char *what = c->mode == GTPC_MODE_KERNEL ? "the in-kernel XDP program" : "the XDP program";
	int rc = c->mode == GTPC_MODE_KERNEL ? open_kernel(d, c) : open_redirect(d, c);

	if (rc) {
		snprintf(err, errlen, "cannot open %s: %s", what, strerror(-rc));
		return rc;
	}
	d->obj = *d->skeleton->obj;
	rc = set_pins(d->obj, d->pin_dir, err, errlen);
	if (rc)
		return rc;
	rc = bpf_object__load_skeleton(d->skeleton);
	if (rc)
		snprintf(err, errlen, "cannot load %s: %s (a map pinned under %s by another version? remove it)", what,
			 strerror(-rc), d->pin_dir);
	return rc;
}

int gtpc_datapath_load_model(struct gtpc_datapath *d, const struct gtpc_kcfg *cfg, const struct gtpc_knode *nodes,
			     char *err, size_t errlen)
{
	int cfg_fd = bpf_object__find_map_fd_by_name(d->obj, "kcfg");
	int nodes_fd = bpf_object__find_map_fd_by_name(d->obj, "knodes");
	uint32_t zero = 0, i, n = 0;

	for (i = 0; i < GTPC_KMAX_NODES; i++)
		if (nodes[i].left || nodes[i].right)
			n = i + 1;
	for (i = 0; i < n; i++)
		if (bpf_map_update_elem(nodes_fd, &i, &nodes[i], BPF_ANY)) {
			snprintf(err, errlen, "cannot write node %u of the in-kernel model: %s", i, strerror(errno));
			return -errno;
		}
	if (bpf_map_update_elem(cfg_fd, &zero, cfg, BPF_ANY)) {
		snprintf(err, errlen, "cannot write the in-kernel model: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int gtpc_datapath_load(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen)
{
	unsigned i;
	int rc;

	memset(d, 0, sizeof(*d));
	d->link_fd = -1;
	d->xsks_fd = -1;
	d->mode = c->mode;
	d->keep_pinned = c->keep_pinned;
	/* One folder per interface: instances on two interfaces share nothing. */
	snprintf(d->pin_dir, sizeof(d->pin_dir), "%s/%s", c->pin_path ? c->pin_path : GTPC_PIN_DEFAULT, c->interface);
	d->ifindex = (int)if_nametoindex(c->interface);
	if (!d->ifindex) {
		snprintf(err, errlen, "no interface named '%s'", c->interface);
		return -ENODEV;
	}
	rc = gtpc_bpffs_ensure(d->pin_dir, err, errlen);
	if (rc)
		return rc;
	rc = forward_setup(d, c, err, errlen);
	if (!rc)
		rc = load_program(d, c, err, errlen);
	if (rc)
		return rc;
	d->next_hops_fd = bpf_object__find_map_fd_by_name(d->obj, "next_hops");
	if (d->egress_ifindex) {
		uint32_t zero = 0;

		if (bpf_map_update_elem(bpf_object__find_map_fd_by_name(d->obj, "egress"), &zero, &d->egress_ifindex, BPF_ANY)) {
			snprintf(err, errlen, "cannot put %s in the XDP egress map: %s", c->forward.egress, strerror(errno));
			return -errno;
		}
	}
	if (c->mode == GTPC_MODE_AFXDP)
		d->xsks_fd = bpf_object__find_map_fd_by_name(d->obj, "xsks");
	d->verdicts_fd = bpf_object__find_map_fd_by_name(d->obj, "verdicts");
	d->counters_fd = bpf_object__find_map_fd_by_name(d->obj, "counters");
	d->events_fd = bpf_object__find_map_fd_by_name(d->obj, "events");
	rc = fill_prefixes(bpf_object__find_map_fd_by_name(d->obj, "ue_prefixes"), c, err, errlen);
	for (i = 0; !rc && i < c->policy.allow_count; i++) {
		struct gtpc_prefix_key pk = { 0 };

		gtpc_prefix_parse(c->policy.allow[i], pk.addr, &pk.prefixlen); /* checked when loaded */
		rc = gtpc_datapath_allow(d, &pk, err, errlen);
	}
	return rc < 0 ? rc : 0;
}

static int try_attach(struct gtpc_datapath *d, uint32_t flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = flags);
	int fd = bpf_link_create(bpf_program__fd(d->prog), d->ifindex, BPF_XDP, &opts);

	if (fd < 0)
		return -errno;
	d->link_fd = fd;
	d->attached_mode = (int)flags;
	return 0;
}

int gtpc_datapath_attach(struct gtpc_datapath *d, const struct gtpc_config *c, char *err, size_t errlen)
{
	int rc;

	if (c->attach_mode == GTPC_ATTACH_GENERIC) {
		rc = try_attach(d, XDP_FLAGS_SKB_MODE);
	} else {
		rc = try_attach(d, XDP_FLAGS_DRV_MODE);
		if (rc && c->attach_mode == GTPC_ATTACH_AUTO) {
			pr_info("native XDP on %s failed (%s), trying generic\n", c->interface, strerror(-rc));
			rc = try_attach(d, XDP_FLAGS_SKB_MODE);
		}
	}
	if (rc) {
		snprintf(err, errlen, "cannot attach XDP to %s: %s%s", c->interface, strerror(-rc),
			 rc == -EBUSY || rc == -EEXIST ? " (another XDP program is attached; detach it first)" : "");
		return rc;
	}
	pr_info("XDP program attached to %s in %s mode\n", c->interface,
		d->attached_mode == XDP_FLAGS_DRV_MODE ? "native" : "generic");
	return 0;
}

void gtpc_datapath_detach(struct gtpc_datapath *d)
{
	if (d->link_fd >= 0) {
		close(d->link_fd);
		d->link_fd = -1;
	}
}

void gtpc_datapath_close(struct gtpc_datapath *d)
{
	char path[320];
	size_t i;

	gtpc_datapath_detach(d);
	if (!d->keep_pinned && d->obj) {
		for (i = 0; i < sizeof(pinned_maps) / sizeof(pinned_maps[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", d->pin_dir, pinned_maps[i]);
			unlink(path);
		}
		rmdir(d->pin_dir);
	}
	if (d->skel && d->mode == GTPC_MODE_AFXDP)
		gtpclass_bpf__destroy(d->skel);
	else if (d->skel)
		gtpclass_kern_bpf__destroy(d->skel);
	d->skel = NULL;
	d->obj = NULL;
}

int gtpc_datapath_allow(struct gtpc_datapath *d, const struct gtpc_prefix_key *pk, char *err, size_t errlen)
{
	int fd = bpf_object__find_map_fd_by_name(d->obj, "allow");
	volatile uint32_t *n = d->mode == GTPC_MODE_AFXDP ? &((struct gtpclass_bpf *)d->skel)->bss->allow_n
							   : &((struct gtpclass_kern_bpf *)d->skel)->bss->allow_n;
	struct gtpc_key k, next, *prev = NULL;
	uint32_t one = 1;
	int lifted = 0;

	if (bpf_map_update_elem(fd, pk, &one, BPF_ANY)) {
		snprintf(err, errlen, "cannot add the prefix to the allow map: %s (it holds %d prefixes)", strerror(errno),
			 GTPC_ALLOW_MAX);
		return -errno;
	}
	*n += 1;
	while (bpf_map_get_next_key(d->verdicts_fd, prev, &next) == 0) {
		k = next;
		prev = &k;
		if (k.mode != GTPC_KEY_TEID &&
		    (gtpc_prefix_match(pk->addr, pk->prefixlen, k.addr) ||
		     (k.mode == GTPC_KEY_FLOW && gtpc_prefix_match(pk->addr, pk->prefixlen, k.peer))) &&
		    !bpf_map_delete_elem(d->verdicts_fd, &k))
			lifted++;
	}
	return lifted;
}

int gtpc_percpu_sum(int fd, uint32_t n, uint64_t *out)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	uint32_t k;
	int i;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (k = 0; k < n; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (i = 0; i < ncpu; i++)
			out[k] += vals[i];
	}
	free(vals);
	return 0;
}

int gtpc_counters_read_fds(int counters_fd, int events_fd, struct gtpc_metrics *out)
{
	int rc = gtpc_percpu_sum(counters_fd, GTPC_CNT__COUNT, &out->v[GTPC_M_XDP]);

	return rc ? rc : gtpc_percpu_sum(events_fd, GTPC_EV__COUNT, &out->v[GTPC_M_EV]);
}

int gtpc_datapath_read(const struct gtpc_datapath *d, struct gtpc_metrics *out)
{
	return gtpc_counters_read_fds(d->counters_fd, d->events_fd, out);
}

/* Schema and checks of conf/gtpclass.yaml. Vocabulary follows Suricata's
 * af-xdp section and OVS's afxdp options where they overlap. */
#include "config/config.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "gtpc/key.h"
#include "gtpc/maps.h"
#include "gtpc/parse.h"
#include "engine/engine.h"
#include "util/util.h"
#include "config/yamlfile.h"

static const cyaml_strval_t mode_names[] = {
	{ "afxdp", GTPC_MODE_AFXDP }, { "kernel", GTPC_MODE_KERNEL },
};
static const cyaml_strval_t attach_names[] = {
	{ "auto", GTPC_ATTACH_AUTO }, { "native", GTPC_ATTACH_NATIVE }, { "generic", GTPC_ATTACH_GENERIC },
};
static const cyaml_strval_t bind_names[] = {
	{ "auto", GTPC_BIND_AUTO }, { "zero-copy", GTPC_BIND_ZEROCOPY }, { "copy", GTPC_BIND_COPY },
};
static const cyaml_strval_t dir_names[] = {
	{ "uplink", GTPC_DEFDIR_UPLINK }, { "downlink", GTPC_DEFDIR_DOWNLINK },
};
static const cyaml_strval_t action_names[] = {
	{ "pass", GTPC_ACT_PASS }, { "drop", GTPC_ACT_DROP }, { "mark", GTPC_ACT_MARK }, { "observe", GTPC_ACT_OBSERVE },
};

#define OPT CYAML_FLAG_OPTIONAL
#define ENUM_FIELD(key, flags, st, member, names)                              \
	CYAML_FIELD_ENUM(key, (flags) | CYAML_FLAG_STRICT, st, member, names, CYAML_ARRAY_LEN(names))

static const cyaml_schema_field_t worker_fields[] = {
	CYAML_FIELD_UINT("queue", 0, struct gtpc_worker_cfg, queue),
	CYAML_FIELD_UINT("cpu", 0, struct gtpc_worker_cfg, cpu),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t worker_schema = {
	CYAML_VALUE_MAPPING(0, struct gtpc_worker_cfg, worker_fields),
};

static const cyaml_schema_field_t busy_fields[] = {
	CYAML_FIELD_BOOL("enabled", OPT, struct gtpc_busy_poll_cfg, enabled),
	CYAML_FIELD_UINT("timeout_us", OPT, struct gtpc_busy_poll_cfg, timeout_us),
	CYAML_FIELD_UINT("budget", OPT, struct gtpc_busy_poll_cfg, budget),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t string_entry = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 64),
};

static const cyaml_schema_field_t classifier_fields[] = {
	ENUM_FIELD("key", OPT, struct gtpc_classifier_cfg, key, gtpc_key_strvals),
	CYAML_FIELD_UINT("window_ms", OPT, struct gtpc_classifier_cfg, window_ms),
	CYAML_FIELD_UINT("idle_timeout_ms", OPT, struct gtpc_classifier_cfg, idle_timeout_ms),
	CYAML_FIELD_UINT("max_ues", OPT, struct gtpc_classifier_cfg, max_ues),
	CYAML_FIELD_STRING_PTR("model", 0, struct gtpc_classifier_cfg, model, 1, PATH_MAX),
	CYAML_FIELD_SEQUENCE("ue_prefixes", CYAML_FLAG_POINTER | OPT, struct gtpc_classifier_cfg, ue_prefixes, &string_entry, 0, 1024),
	ENUM_FIELD("default_direction", OPT, struct gtpc_classifier_cfg, default_direction, dir_names),
	CYAML_FIELD_BOOL("distribute", OPT, struct gtpc_classifier_cfg, distribute),
	CYAML_FIELD_UINT("handoff_ring_size", OPT, struct gtpc_classifier_cfg, handoff_ring_size),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t action_fields[] = {
	CYAML_FIELD_STRING_PTR("class", 0, struct gtpc_class_action, class_name, 1, 64),
	ENUM_FIELD("action", 0, struct gtpc_class_action, action, action_names),
	CYAML_FIELD_UINT("dscp", OPT, struct gtpc_class_action, dscp),
	CYAML_FIELD_BOOL("inner", OPT, struct gtpc_class_action, inner),
	CYAML_FIELD_END
};
static const cyaml_schema_value_t action_schema = {
	CYAML_VALUE_MAPPING(0, struct gtpc_class_action, action_fields),
};

static const cyaml_schema_field_t policy_fields[] = {
	CYAML_FIELD_UINT("ttl_ms", OPT, struct gtpc_policy_cfg, ttl_ms),
	CYAML_FIELD_FLOAT("min_confidence", OPT, struct gtpc_policy_cfg, min_confidence),
	CYAML_FIELD_UINT("min_windows", OPT, struct gtpc_policy_cfg, min_windows),
	CYAML_FIELD_UINT("drop_min_packets", OPT, struct gtpc_policy_cfg, drop_min_packets),
	CYAML_FIELD_SEQUENCE("actions", CYAML_FLAG_POINTER, struct gtpc_policy_cfg, actions, &action_schema, 1, 32),
	CYAML_FIELD_SEQUENCE("allow", CYAML_FLAG_POINTER | OPT, struct gtpc_policy_cfg, allow, &string_entry, 0, 256),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t forward_fields[] = {
	CYAML_FIELD_STRING_PTR("egress", 0, struct gtpc_forward_cfg, egress, 1, IF_NAMESIZE - 1),
	CYAML_FIELD_STRING_PTR("next_hop_mac", OPT, struct gtpc_forward_cfg, next_hop_mac, 1, 32),
	CYAML_FIELD_END
};

static const cyaml_strval_t unparsed_names[] = { { "pass", GTPC_UNPARSED_PASS }, { "drop", GTPC_UNPARSED_DROP } };

static const cyaml_strval_t gone_names[] = { { "reattach", GTPC_GONE_REATTACH }, { "exit", GTPC_GONE_EXIT } };

static const cyaml_schema_field_t parser_fields[] = {
	ENUM_FIELD("on_unparsed", OPT, struct gtpc_parser_cfg, on_unparsed, unparsed_names),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t metrics_fields[] = {
	CYAML_FIELD_STRING_PTR("listen", 0, struct gtpc_metrics_cfg, listen, 3, 64),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t events_fields[] = {
	CYAML_FIELD_STRING_PTR("file", 0, struct gtpc_events_cfg, file, 1, PATH_MAX),
	CYAML_FIELD_BOOL("windows", OPT, struct gtpc_events_cfg, windows),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t top_fields[] = {
	CYAML_FIELD_STRING_PTR("interface", 0, struct gtpc_config, interface, 1, IF_NAMESIZE - 1),
	ENUM_FIELD("mode", OPT, struct gtpc_config, mode, mode_names),
	ENUM_FIELD("attach_mode", OPT, struct gtpc_config, attach_mode, attach_names),
	ENUM_FIELD("bind_mode", OPT, struct gtpc_config, bind_mode, bind_names),
	CYAML_FIELD_SEQUENCE("workers", CYAML_FLAG_POINTER, struct gtpc_config, workers, &worker_schema, 1, 64),
	CYAML_FIELD_UINT("frame_size", OPT, struct gtpc_config, frame_size),
	CYAML_FIELD_UINT("frames_per_worker", OPT, struct gtpc_config, frames_per_worker),
	CYAML_FIELD_UINT("rx_ring_size", OPT, struct gtpc_config, rx_ring_size),
	CYAML_FIELD_UINT("tx_ring_size", OPT, struct gtpc_config, tx_ring_size),
	CYAML_FIELD_UINT("fill_ring_size", OPT, struct gtpc_config, fill_ring_size),
	CYAML_FIELD_UINT("batch_size", OPT, struct gtpc_config, batch_size),
	CYAML_FIELD_BOOL("need_wakeup", OPT, struct gtpc_config, need_wakeup),
	CYAML_FIELD_MAPPING("busy_poll", OPT, struct gtpc_config, busy_poll, busy_fields),
	CYAML_FIELD_BOOL("match_source_port", OPT, struct gtpc_config, match_source_port),
	CYAML_FIELD_STRING_PTR("pin_path", OPT, struct gtpc_config, pin_path, 1, PATH_MAX),
	CYAML_FIELD_BOOL("keep_pinned", OPT, struct gtpc_config, keep_pinned),
	ENUM_FIELD("on_interface_gone", OPT, struct gtpc_config, on_interface_gone, gone_names),
	CYAML_FIELD_UINT("stats_interval_ms", OPT, struct gtpc_config, stats_interval_ms),
	CYAML_FIELD_MAPPING("classifier", 0, struct gtpc_config, classifier, classifier_fields),
	CYAML_FIELD_MAPPING("policy", 0, struct gtpc_config, policy, policy_fields),
	CYAML_FIELD_MAPPING("forward", OPT, struct gtpc_config, forward, forward_fields),
	CYAML_FIELD_MAPPING("parser", OPT, struct gtpc_config, parser, parser_fields),
	CYAML_FIELD_MAPPING("metrics", OPT, struct gtpc_config, metrics, metrics_fields),
	CYAML_FIELD_MAPPING("events", OPT, struct gtpc_config, events, events_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t config_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct gtpc_config, top_fields),
};

/* Defaults fill only keys the file leaves out: a key written as 0 is the
 * user's value, checked below like any other (never silently replaced). */
static void apply_defaults(struct gtpc_config *c, const char *path)
{
	const struct {
		const char *key;
		uint32_t *field;
		uint32_t value;
	} d[] = {
		{ "frame_size", &c->frame_size, 4096 },
		{ "frames_per_worker", &c->frames_per_worker, 4096 },
		{ "rx_ring_size", &c->rx_ring_size, 2048 },
		{ "tx_ring_size", &c->tx_ring_size, 2048 },
		{ "fill_ring_size", &c->fill_ring_size, 2048 },
		{ "batch_size", &c->batch_size, 64 },
		{ "busy_poll.timeout_us", &c->busy_poll.timeout_us, 20 },
		{ "busy_poll.budget", &c->busy_poll.budget, 64 },
		{ "stats_interval_ms", &c->stats_interval_ms, 1000 },
		{ "classifier.window_ms", &c->classifier.window_ms, 500 },
		{ "classifier.idle_timeout_ms", &c->classifier.idle_timeout_ms, 5000 },
		{ "classifier.max_ues", &c->classifier.max_ues, 65536 },
		{ "classifier.handoff_ring_size", &c->classifier.handoff_ring_size, 8192 },
		{ "policy.ttl_ms", &c->policy.ttl_ms, 10000 },
		{ "policy.min_windows", &c->policy.min_windows, 2 },
		{ "policy.drop_min_packets", &c->policy.drop_min_packets, 20 },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!gtpc_yaml_line(path, d[i].key))
			*d[i].field = d[i].value;
	if (!gtpc_yaml_line(path, "need_wakeup"))
		c->need_wakeup = true;
	if (!gtpc_yaml_line(path, "policy.min_confidence"))
		c->policy.min_confidence = 0.6;
	if (!gtpc_yaml_line(path, "classifier.distribute"))
		c->classifier.distribute = c->workers_count > 1;
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static int cfg_err(char *err, size_t errlen, const char *path, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int cfg_err(char *err, size_t errlen, const char *path, const char *key, const char *fmt, ...)
{
	size_t used = strnlen(err, errlen);
	va_list ap;
	int n;

	/* Appended on a line of its own: the checks report every error. */
	if (used && used + 1 < errlen)
		err[used++] = '\n';
	n = snprintf(err + used, errlen - used, "%s:%d: '%s': ", path, gtpc_yaml_line(path, key), key);
	va_start(ap, fmt);
	if (n >= 0 && used + (size_t)n < errlen)
		vsnprintf(err + used + n, errlen - used - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int check_sizes(const struct gtpc_config *c, char *err, size_t errlen)
{
	int bad = 0;
	const char *p = c->source_path;

	if (c->frame_size != 2048 && c->frame_size != 4096)
		bad = cfg_err(err, errlen, p, "frame_size", "%u: must be 2048 or 4096", c->frame_size);
	if (!is_pow2(c->rx_ring_size) || c->rx_ring_size > 65536)
		bad = cfg_err(err, errlen, p, "rx_ring_size", "%u: must be a power of two up to 65536", c->rx_ring_size);
	if (!is_pow2(c->tx_ring_size) || c->tx_ring_size > 65536)
		bad = cfg_err(err, errlen, p, "tx_ring_size", "%u: must be a power of two up to 65536", c->tx_ring_size);
	if (!is_pow2(c->fill_ring_size) || c->fill_ring_size > 65536)
		bad = cfg_err(err, errlen, p, "fill_ring_size", "%u: must be a power of two up to 65536", c->fill_ring_size);
	if (c->frames_per_worker < c->fill_ring_size || c->frames_per_worker > (1u << 20))
		bad = cfg_err(err, errlen, p, "frames_per_worker", "%u: must be at least fill_ring_size (%u) and at most 1048576",
			       c->frames_per_worker, c->fill_ring_size);
	if (!c->batch_size || c->batch_size > GTPC_ENGINE_BATCH || c->batch_size > c->rx_ring_size)
		bad = cfg_err(err, errlen, p, "batch_size", "%u: must be 1..%u and at most rx_ring_size", c->batch_size,
			       GTPC_ENGINE_BATCH);
	if (!c->busy_poll.timeout_us || !c->busy_poll.budget)
		bad = cfg_err(err, errlen, p, c->busy_poll.budget ? "busy_poll.timeout_us" : "busy_poll.budget",
			       "0: must be at least 1");
	if (c->classifier.window_ms < 10 || c->classifier.window_ms > 60000)
		bad = cfg_err(err, errlen, p, "classifier.window_ms", "%u: must be 10..60000", c->classifier.window_ms);
	if (c->classifier.idle_timeout_ms < c->classifier.window_ms)
		bad = cfg_err(err, errlen, p, "classifier.idle_timeout_ms", "%u: must be at least window_ms", c->classifier.idle_timeout_ms);
	if (!is_pow2(c->classifier.handoff_ring_size) || c->classifier.handoff_ring_size < 256 ||
	    c->classifier.handoff_ring_size > (1u << 20))
		bad = cfg_err(err, errlen, p, "classifier.handoff_ring_size", "%u: must be a power of two, 256..1048576",
			       c->classifier.handoff_ring_size);
	if (!c->classifier.max_ues || c->classifier.max_ues > (1u << 24))
		bad = cfg_err(err, errlen, p, "classifier.max_ues", "%u: must be 1..16777216", c->classifier.max_ues);
	/* A verdict must outlive the window that would confirm or lift it. */
	if (!(c->policy.min_confidence >= 0 && c->policy.min_confidence <= 1))
		bad = cfg_err(err, errlen, p, "policy.min_confidence", "%g: a share of the trees' votes, from 0 to 1",
			       c->policy.min_confidence);
	if (c->policy.min_windows < 1 || c->policy.min_windows > 100)
		bad = cfg_err(err, errlen, p, "policy.min_windows", "%u: from 1 (act on one window) to 100",
			       c->policy.min_windows);
	if (c->policy.ttl_ms < c->classifier.window_ms)
		bad = cfg_err(err, errlen, p, "policy.ttl_ms", "%u: must be at least classifier.window_ms (%u)",
			       c->policy.ttl_ms, c->classifier.window_ms);
	if (c->stats_interval_ms < 100)
		bad = cfg_err(err, errlen, p, "stats_interval_ms", "%u: at least 100", c->stats_interval_ms);
	return bad;
}

static int check_prefixes(const struct gtpc_config *c, const char *name, char *const *list, unsigned n, char *err,
			  size_t errlen)
{
	char key[64];
	unsigned i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		uint8_t a[16];
		uint32_t bits;

		snprintf(key, sizeof(key), "%s.%u", name, i);
		if (gtpc_prefix_parse(list[i], a, &bits))
			bad = cfg_err(err, errlen, c->source_path, key, "'%s' is not an address/length prefix", list[i]);
	}
	return bad;
}

static int check_lists(const struct gtpc_config *c, char *err, size_t errlen)
{
	int bad = 0;
	const char *p = c->source_path;
	char key[64];
	unsigned i, j;

	for (i = 0; i < c->workers_count; i++)
		for (j = 0; j < i; j++) {
			if (c->workers[i].queue == c->workers[j].queue) {
				snprintf(key, sizeof(key), "workers.%u.queue", i);
				bad = cfg_err(err, errlen, p, key, "queue %u has two workers", c->workers[i].queue);
			}
			/* Two busy pollers on one CPU starve each other's queue. */
			if (c->workers[i].cpu == c->workers[j].cpu) {
				snprintf(key, sizeof(key), "workers.%u.cpu", i);
				bad = cfg_err(err, errlen, p, key, "CPU %u has two workers", c->workers[i].cpu);
			}
		}
	for (i = 0; i < c->policy.actions_count; i++) {
		const struct gtpc_class_action *a = &c->policy.actions[i];
		char dscp_key[64], inner_key[64];
		int has_dscp, has_inner;

		snprintf(dscp_key, sizeof(dscp_key), "policy.actions.%u.dscp", i);
		snprintf(inner_key, sizeof(inner_key), "policy.actions.%u.inner", i);
		has_dscp = gtpc_yaml_line(p, dscp_key) > 0;
		has_inner = gtpc_yaml_line(p, inner_key) > 0;
		if (a->action == GTPC_ACT_MARK && (!has_dscp || a->dscp > 63)) {
			snprintf(key, sizeof(key), "policy.actions.%u", i);
			bad = cfg_err(err, errlen, p, has_dscp ? dscp_key : key, "mark needs a dscp from 0 to 63");
		}
		if (a->action != GTPC_ACT_MARK && (has_dscp || has_inner))
			bad = cfg_err(err, errlen, p, has_dscp ? dscp_key : inner_key, "dscp and inner go with action: mark only");
	}
	if (c->metrics.listen) {
		struct sockaddr_storage ss;

		if (gtpc_listen_parse(c->metrics.listen, &ss))
			bad = cfg_err(err, errlen, p, "metrics.listen", "'%s' is not ADDR:PORT (127.0.0.1:9464, [::1]:9464)",
				       c->metrics.listen);
	}
	if (c->forward.next_hop_mac) {
		uint8_t mac[6];

		if (gtpc_mac_parse(c->forward.next_hop_mac, mac))
			bad = cfg_err(err, errlen, p, "forward.next_hop_mac", "'%s' is not a MAC address (aa:bb:cc:dd:ee:ff)",
				       c->forward.next_hop_mac);
	}
	bad = check_prefixes(c, "classifier.ue_prefixes", c->classifier.ue_prefixes, c->classifier.ue_prefixes_count, err,
			     errlen) ? -EINVAL : bad;
	bad = check_prefixes(c, "policy.allow", c->policy.allow, c->policy.allow_count, err, errlen) ? -EINVAL : bad;
	return bad;
}

int gtpc_config_load(const char *path, struct gtpc_config **out, char *err, size_t errlen)
{
	struct gtpc_config *c = NULL;
	int rc;

	rc = gtpc_yaml_load(path, &config_schema, (void **)&c, err, errlen);
	if (rc)
		return rc;
	c->source_path = strdup(path);
	if (!c->source_path) {
		gtpc_config_free(c);
		return -ENOMEM;
	}
	apply_defaults(c, path);
	err[0] = 0;
	rc = check_sizes(c, err, errlen);
	rc = check_lists(c, err, errlen) ? -EINVAL : rc;
	if (rc) {
		gtpc_config_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int gtpc_config_check_system(const struct gtpc_config *c, char *err, size_t errlen)
{
	const char *p = c->source_path;

	err[0] = 0;
	char key[64];
	cpu_set_t allowed;
	unsigned i;
	int nq;

	if (!if_nametoindex(c->interface))
		return cfg_err(err, errlen, p, "interface", "no interface named '%s'", c->interface);
	if (gtpc_config_forwards(c) && !if_nametoindex(c->forward.egress))
		return cfg_err(err, errlen, p, "forward.egress", "no interface named '%s'", c->forward.egress);
	if (gtpc_config_forwards(c) && !strcmp(c->forward.egress, c->interface))
		return cfg_err(err, errlen, p, "forward.egress", "'%s' is the N3 interface itself", c->forward.egress);
	nq = (int)gtpc_if_queues(c->interface, "rx");
	for (i = 0; i < c->workers_count; i++) {
		if ((int)c->workers[i].queue >= nq) {
			snprintf(key, sizeof(key), "workers.%u.queue", i);
			return cfg_err(err, errlen, p, key, "queue %u, but %s has %d RX queue%s",
				       c->workers[i].queue, c->interface, nq, nq == 1 ? "" : "s");
		}
		/* The CPUs this process may run on: online ones, within its cpuset. */
		if (sched_getaffinity(0, sizeof(allowed), &allowed) ||
		    c->workers[i].cpu >= CPU_SETSIZE || !CPU_ISSET(c->workers[i].cpu, &allowed)) {
			snprintf(key, sizeof(key), "workers.%u.cpu", i);
			return cfg_err(err, errlen, p, key, "CPU %u is not online or not allowed to this process "
				       "(it may use %d)", c->workers[i].cpu, CPU_COUNT(&allowed));
		}
	}
	return 0;
}

void gtpc_config_model_path(const struct gtpc_config *c, char *out, size_t len)
{
	gtpc_path_beside(c->source_path, c->classifier.model, out, len);
}

struct gtpc_act gtpc_config_act(const struct gtpc_class_action *a)
{
	struct gtpc_act act = { .action = (uint8_t)a->action };

	if (a->action == GTPC_ACT_MARK)
		act.param = (uint8_t)(GTPC_MARK_DSCP(a->dscp) | (a->inner ? GTPC_MARK_INNER : 0));
	return act;
}

int gtpc_config_forwards(const struct gtpc_config *c)
{
	return c->forward.egress && strcmp(c->forward.egress, "none") != 0;
}

unsigned gtpc_config_parse_opts(const struct gtpc_config *c)
{
	return (c->match_source_port ? GTPC_PARSE_SRC_PORT : 0) | gtpc_key_parse_opts((uint32_t)c->classifier.key);
}

void gtpc_config_free(struct gtpc_config *c)
{
	if (!c)
		return;
	free(c->source_path);
	c->source_path = NULL;
	gtpc_yaml_free(&config_schema, c);
}

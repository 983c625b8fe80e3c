/* The daemon's configuration (conf/gtpclass.yaml), read with libcyaml. */
#ifndef GTPC_CONFIG_H
#define GTPC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gtpc_mode { GTPC_MODE_AFXDP, GTPC_MODE_KERNEL };
enum gtpc_attach { GTPC_ATTACH_AUTO, GTPC_ATTACH_NATIVE, GTPC_ATTACH_GENERIC };
enum gtpc_bind { GTPC_BIND_AUTO, GTPC_BIND_ZEROCOPY, GTPC_BIND_COPY };
enum gtpc_dir_default { GTPC_DEFDIR_UPLINK, GTPC_DEFDIR_DOWNLINK };

struct gtpc_worker_cfg {
	uint32_t queue;
	uint32_t cpu;
};

struct gtpc_busy_poll_cfg {
	bool enabled;
	uint32_t timeout_us;
	uint32_t budget;
};

struct gtpc_class_action {
	char *class_name;
	int action;    /* enum gtpc_action */
	uint32_t dscp; /* mark: the DSCP to set */
	bool inner;    /* mark: the inner IP header too */
};

struct gtpc_classifier_cfg {
	int key;    /* enum gtpc_key_mode */
	uint32_t window_ms;
	uint32_t idle_timeout_ms;
	uint32_t max_ues;
	char *model;
	char **ue_prefixes;
	unsigned ue_prefixes_count;
	int default_direction;
	/* Each UE accounted by one owner worker, whatever queue it arrives
	 * on; default: with more than one worker. */
	bool distribute;
	uint32_t handoff_ring_size; /* records per worker pair */
};

struct gtpc_policy_cfg {
	uint32_t ttl_ms;
	double min_confidence; /* share of the trees' votes an action needs */
	uint32_t min_windows;  /* consecutive windows of the class it needs */
	uint32_t drop_min_packets; /* and, for a drop, packets in each of them */
	struct gtpc_class_action *actions;
	unsigned actions_count;
	char **allow; /* UE prefixes never dropped or marked */
	unsigned allow_count;
};

/* Where passed G-PDUs go: out of egress by AF_XDP TX (kernel mode: XDP
 * redirect), or nowhere (egress absent or "none": a mirror or TAP port). */
struct gtpc_forward_cfg {
	char *egress;
	char *next_hop_mac; /* else the egress's neighbour entry of each destination */
};

/* Exporters: a Prometheus endpoint, a JSON Lines event log. */
struct gtpc_metrics_cfg {
	char *listen; /* ADDR:PORT, or absent */
};

struct gtpc_events_cfg {
	char *file;   /* JSON Lines, appended; absent: no event log */
	bool windows; /* also one line per classified window */
};

struct gtpc_parser_cfg {
	int on_unparsed; /* enum gtpc_on_unparsed */
};
enum gtpc_on_unparsed { GTPC_UNPARSED_PASS, GTPC_UNPARSED_DROP };
enum gtpc_on_interface_gone { GTPC_GONE_REATTACH, GTPC_GONE_EXIT };

struct gtpc_config {
	char *interface;
	int mode;
	int attach_mode;
	int bind_mode;
	struct gtpc_worker_cfg *workers;
	unsigned workers_count;
	uint32_t frame_size;
	uint32_t frames_per_worker;
	uint32_t rx_ring_size;
	uint32_t tx_ring_size;
	uint32_t fill_ring_size;
	uint32_t batch_size;
	bool need_wakeup;
	struct gtpc_busy_poll_cfg busy_poll;
	bool match_source_port;
	char *pin_path;
	bool keep_pinned;
	int on_interface_gone; /* enum gtpc_on_interface_gone */
	uint32_t stats_interval_ms;
	struct gtpc_classifier_cfg classifier;
	struct gtpc_policy_cfg policy;
	struct gtpc_forward_cfg forward;
	struct gtpc_parser_cfg parser;
	struct gtpc_metrics_cfg metrics;
	struct gtpc_events_cfg events;
	/* Not from YAML: where it was read from, for later messages. */
	char *source_path;
};

/* Loads and checks path. Semantic errors name file, line and key. */
int gtpc_config_load(const char *path, struct gtpc_config **out, char *err, size_t errlen);
/* Checks what needs the running system: the interface exists, its queue
 * count covers the workers, the CPUs exist. */
int gtpc_config_check_system(const struct gtpc_config *c, char *err, size_t errlen);
void gtpc_config_free(struct gtpc_config *c);
/* The model path, resolved against the config file's folder. */
void gtpc_config_model_path(const struct gtpc_config *c, char *out, size_t len);
struct gtpc_act;
/* A policy entry as the verdict it becomes. */
struct gtpc_act gtpc_config_act(const struct gtpc_class_action *a);
/* 1 when passed G-PDUs are forwarded (an egress other than "none"). */
int gtpc_config_forwards(const struct gtpc_config *c);
/* GTPC_PARSE_* options for the parser. */
unsigned gtpc_config_parse_opts(const struct gtpc_config *c);

#endif

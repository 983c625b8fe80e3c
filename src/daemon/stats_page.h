/* A running instance's counters for other processes: one page in a pinned,
 * mmapable BPF array (pin_path/IF/stats) that the main thread rewrites at
 * each stats interval. `gtpclass stats` and the Prometheus endpoint read
 * it; writing is stores into the mapping (no syscall), and a sequence
 * number that is odd while the page is being written lets a reader retry
 * instead of taking a torn copy. */
#ifndef GTPC_STATS_PAGE_H
#define GTPC_STATS_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "util/metrics.h"

#define GTPC_STATS_MAGIC 0x6774706373746174ULL /* "gtpcstat" */

struct gtpc_stats_page {
	uint64_t magic;
	uint64_t seq;         /* odd while being written */
	uint64_t pid;
	uint64_t updated_ns;  /* CLOCK_REALTIME */
	uint64_t n_classes;
	char interface[32];
	char class_names[GTPC_METRIC_MAX_CLASSES][32];
	struct gtpc_metrics m;
};

struct gtpc_stats_writer {
	int fd;
	struct gtpc_stats_page *page;
	char path[320];
};

/* Creates and pins pin_dir/stats. */
int gtpc_stats_open(struct gtpc_stats_writer *w, const char *pin_dir, const char *ifname,
		    const char (*class_names)[32], int n_classes, char *err, size_t errlen);
void gtpc_stats_publish(struct gtpc_stats_writer *w, const struct gtpc_metrics *m);
/* Unpins (unless keep) and unmaps. */
void gtpc_stats_close(struct gtpc_stats_writer *w, int keep);
/* A consistent copy of a page: from a pinned map's path, or from a live
 * mapping (NULL path). 0 or -errno with a message. */
int gtpc_stats_read(const char *path, struct gtpc_stats_page *out, char *err, size_t errlen);
int gtpc_stats_copy(const struct gtpc_stats_page *page, struct gtpc_stats_page *out);

#endif

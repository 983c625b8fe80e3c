/* The Prometheus endpoint (metrics.listen): libmicrohttpd's own thread
 * answers GET /metrics from the stats page the main thread publishes, so
 * scraping costs the datapath nothing. */
#ifndef GTPC_METRICS_HTTP_H
#define GTPC_METRICS_HTTP_H

#include <stddef.h>

#include "daemon/stats_page.h"

struct gtpc_metrics_http {
	struct MHD_Daemon *mhd;
	const struct gtpc_stats_page *page;
};

/* listen is ADDR:PORT ([ADDR]:PORT for IPv6). */
int gtpc_metrics_http_start(struct gtpc_metrics_http *h, const char *listen, const struct gtpc_stats_page *page,
			    char *err, size_t errlen);
void gtpc_metrics_http_stop(struct gtpc_metrics_http *h);

#endif

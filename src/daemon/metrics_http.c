#include "daemon/metrics_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/metrics_export.h"
#include "util/util.h"

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_len, void **state)
{
	struct gtpc_metrics_http *h = cls;
	static struct gtpc_stats_page page; /* MHD's one thread: not shared */
	struct MHD_Response *r;
	enum MHD_Result rc;
	char *buf = NULL;
	size_t len = 0;
	unsigned status = MHD_HTTP_OK;
	FILE *f;

	if (strcmp(method, "GET"))
		return MHD_NO;
	f = open_memstream(&buf, &len);
	if (!f)
		return MHD_NO;
	if (strcmp(url, "/metrics")) {
		fprintf(f, "gtpclass serves /metrics\n");
		status = MHD_HTTP_NOT_FOUND;
	} else if (gtpc_stats_copy(h->page, &page)) {
		fprintf(f, "the counters kept changing while read; try again\n");
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
	} else {
		gtpc_export_prometheus(f, &page);
	}
	fclose(f);
	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

int gtpc_metrics_http_start(struct gtpc_metrics_http *h, const char *listen, const struct gtpc_stats_page *page,
			    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;

	h->page = page;
	if (gtpc_listen_parse(listen, &ss)) {
		snprintf(err, errlen, "metrics.listen: '%s' is not ADDR:PORT", listen);
		return -EINVAL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, answer, h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				  MHD_OPTION_CONNECTION_LIMIT, 16U, MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_END);
	if (!h->mhd) {
		snprintf(err, errlen, "metrics.listen: cannot listen on %s (in use, or not an address of this host?)",
			 listen);
		return -EADDRINUSE;
	}
	return 0;
}

void gtpc_metrics_http_stop(struct gtpc_metrics_http *h)
{
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	h->mhd = NULL;
}

#include "util/log.h"

#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <xdp/libxdp.h>

int gtpc_log_level = GTPC_LOG_INFO;

static void vlog(int level, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };

	if (level > gtpc_log_level)
		return;
	fprintf(stderr, "gtpclass: %s", prefix[level]);
	vfprintf(stderr, fmt, ap);
}

void gtpc_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	vlog(level == LIBBPF_WARN ? GTPC_LOG_INFO : GTPC_LOG_DEBUG, fmt, ap);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	vlog(level == LIBXDP_WARN ? GTPC_LOG_INFO : GTPC_LOG_DEBUG, fmt, ap);
	return 0;
}

void gtpc_log_route_libs(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}

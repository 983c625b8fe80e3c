#include "util/log.h"

#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xdp/libxdp.h>

int gtpc_log_level = GTPC_LOG_INFO;

static enum { PLAIN, STAMPED, JOURNAL } style = PLAIN;

/* JOURNAL_STREAM names the journal's stream as device:inode; it is ours
 * only if stderr is still that stream (not redirected by a child). */
static int stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 && !fstat(STDERR_FILENO, &st) &&
	       (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void gtpc_log_daemon(void)
{
	style = stderr_is_journal() ? JOURNAL : STAMPED;
}

static void vlog(int level, const char *fmt, va_list ap)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };
	static const char *const named[] = { "error: ", "warning: ", "info: ", "debug: " };
	static const char *const syslog_prio[] = { "<3>", "<4>", "<6>", "<7>" };

	if (level > gtpc_log_level)
		return;
	if (style == JOURNAL) {
		fprintf(stderr, "%s", syslog_prio[level]);
	} else if (style == STAMPED) {
		char when[40];
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld gtpclass: %s", when, ts.tv_nsec / 1000000, named[level]);
	} else {
		fprintf(stderr, "gtpclass: %s", prefix[level]);
	}
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

/* Levelled logging to stderr, in the manner of xdp-tools' logging.h. */
#ifndef GTPC_LOG_H
#define GTPC_LOG_H

enum gtpc_log_level { GTPC_LOG_ERR, GTPC_LOG_WARN, GTPC_LOG_INFO, GTPC_LOG_DEBUG };

extern int gtpc_log_level;

void gtpc_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For the daemon: every line gets a timestamp and its level, or under
 * systemd (stderr connected to the journal) a syslog priority prefix the
 * journal stores as the line's level. */
void gtpc_log_daemon(void);
/* Routes libbpf's and libxdp's messages through gtpc_log, one level lower. */
void gtpc_log_route_libs(void);

#define pr_err(...) gtpc_log(GTPC_LOG_ERR, __VA_ARGS__)
#define pr_warn(...) gtpc_log(GTPC_LOG_WARN, __VA_ARGS__)
#define pr_info(...) gtpc_log(GTPC_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) gtpc_log(GTPC_LOG_DEBUG, __VA_ARGS__)

#endif

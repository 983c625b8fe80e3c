/* The daemon: load, attach, classify with the configured mode until a
 * signal or the duration ends, then detach and report totals that add up. */
#ifndef GTPC_RUN_H
#define GTPC_RUN_H

struct gtpc_run_opts {
	const char *config_path;
	const char *interface;    /* NULL: the config's */
	int mode;                 /* -1: the config's; else enum gtpc_mode */
	double duration_s;        /* 0: until SIGINT or SIGTERM */
	const char *windows_path; /* one CSV row per classified window */
	const char *summary_path; /* the totals as name=value lines */
	const char *pcap_out;
	int null_mode;
};

/* Exit status when the run's books do not balance. */
#define GTPC_EXIT_UNBALANCED 3
/* Exit status when the interface (or the egress) went away while running:
 * the sockets and the program went with it, so the run ends (totals
 * printed) for a supervisor to start it again once the interface is back. */
#define GTPC_EXIT_INTERFACE_GONE 4

/* Returns the process's exit status: 0, 1 on an error (printed),
 * GTPC_EXIT_UNBALANCED or GTPC_EXIT_INTERFACE_GONE. */
int gtpc_run(const struct gtpc_run_opts *o);

#endif

/* One option table per command, in the spirit of xdp-tools' params.h: each
 * option is bound to the variable it sets and carries its help text, so
 * parsing, validation and --help come from the same rows. Numbers are parsed
 * strictly: the whole argument, in range, or the command stops with a
 * message naming the option. */
#ifndef GTPC_OPTIONS_H
#define GTPC_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

enum gtpc_opt_type {
	GTPC_OPT_FLAG,   /* int, set to 1 */
	GTPC_OPT_STR,    /* const char * */
	GTPC_OPT_U32,    /* uint32_t, within [min, max] */
	GTPC_OPT_U64,    /* uint64_t, within [min, max] */
	GTPC_OPT_DOUBLE, /* double, finite, within [min, max] */
	GTPC_OPT_ENUM,   /* int: the index of the argument in choices */
};

struct gtpc_opt {
	const char *name;
	int short_name; /* 0: long form only */
	enum gtpc_opt_type type;
	void *dest;
	const char *metavar;
	const char *help;
	double min, max;            /* numbers; both 0: any non-negative value */
	const char *const *choices; /* GTPC_OPT_ENUM, NULL-terminated */
};

struct gtpc_cmd_spec {
	const char *name;     /* "run", "model import" */
	const char *synopsis; /* what follows the name in the usage line */
	const char *about;    /* one line */
	const struct gtpc_opt *opts;
	unsigned n_opts;
	unsigned min_args, max_args; /* positional arguments */
};

/* Rows, one line each. */
#define GTPC_OPT_STRING(l, s, dst, meta, text) \
	{ .name = (l), .short_name = (s), .type = GTPC_OPT_STR, .dest = (dst), .metavar = (meta), .help = (text) }
#define GTPC_OPT_BOOL(l, s, dst, text) \
	{ .name = (l), .short_name = (s), .type = GTPC_OPT_FLAG, .dest = (dst), .help = (text) }
#define GTPC_OPT_NUMBER(t, l, s, dst, meta, lo, hi, text)                                              \
	{ .name = (l), .short_name = (s), .type = (t), .dest = (dst), .metavar = (meta), .help = (text), \
	  .min = (lo), .max = (hi) }
#define GTPC_OPT_CHOICE(l, s, dst, meta, list, text)                                                       \
	{ .name = (l), .short_name = (s), .type = GTPC_OPT_ENUM, .dest = (dst), .metavar = (meta), .help = (text), \
	  .choices = (list) }

#define GTPC_OPTS_HELP 1

/* Parses argv[1..]: returns 0 with *first_arg set to the index of the first
 * positional argument, GTPC_OPTS_HELP after printing --help, or -1 after
 * printing what is wrong (the caller exits 2). */
int gtpc_opts_parse(const struct gtpc_cmd_spec *s, int argc, char **argv, int *first_arg);
void gtpc_opts_usage(const struct gtpc_cmd_spec *s, FILE *f);

#endif

#include "cli/options.h"

#include <getopt.h>
#include <math.h>
#include <string.h>

#include "util/util.h"

#define MAX_OPTS 48

/* A double's maximum as a whole number: UINT64_MAX itself is not a double
 * (it rounds to 2^64, whose conversion back is undefined). */
static uint64_t whole_max(double max)
{
	return max >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)max;
}

static void range_text(const struct gtpc_opt *o, char *buf, size_t len)
{
	double max = o->max != 0 || o->min != 0 ? o->max : (o->type == GTPC_OPT_U32 ? UINT32_MAX : 1e300);

	if (o->type == GTPC_OPT_DOUBLE)
		snprintf(buf, len, "a number from %g to %g", o->min, max);
	else
		snprintf(buf, len, "a whole number from %.0f to %llu", o->min, (unsigned long long)whole_max(max));
}

static int set_number(const struct gtpc_opt *o, const char *arg)
{
	int any = o->min == 0 && o->max == 0;
	double d;
	uint64_t u;

	switch (o->type) {
	case GTPC_OPT_U32:
		if (gtpc_parse_u64(arg, (uint64_t)o->min, any ? UINT32_MAX : (uint64_t)o->max, &u))
			return -1;
		*(uint32_t *)o->dest = (uint32_t)u;
		return 0;
	case GTPC_OPT_U64:
		if (gtpc_parse_u64(arg, (uint64_t)o->min, any ? UINT64_MAX : whole_max(o->max), &u))
			return -1;
		*(uint64_t *)o->dest = u;
		return 0;
	default:
		if (gtpc_parse_double(arg, &d) || !isfinite(d) || d < o->min || d > (any ? 1e300 : o->max))
			return -1;
		*(double *)o->dest = d;
		return 0;
	}
}

static int set_enum(const struct gtpc_opt *o, const char *arg)
{
	int i;

	for (i = 0; o->choices[i]; i++)
		if (!strcmp(o->choices[i], arg)) {
			*(int *)o->dest = i;
			return 0;
		}
	return -1;
}

static void choices_text(const struct gtpc_opt *o, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; o->choices[i] && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", o->choices[i]);
}

static int apply(const struct gtpc_cmd_spec *s, const struct gtpc_opt *o, const char *arg)
{
	char what[256];

	switch (o->type) {
	case GTPC_OPT_FLAG:
		*(int *)o->dest = 1;
		return 0;
	case GTPC_OPT_STR:
		*(const char **)o->dest = arg;
		return 0;
	case GTPC_OPT_ENUM:
		if (!set_enum(o, arg))
			return 0;
		choices_text(o, what, sizeof(what));
		fprintf(stderr, "gtpclass %s: --%s: '%s' is not one of: %s\n", s->name, o->name, arg, what);
		return -1;
	default:
		if (!set_number(o, arg))
			return 0;
		range_text(o, what, sizeof(what));
		fprintf(stderr, "gtpclass %s: --%s: '%s' is not %s\n", s->name, o->name, arg, what);
		return -1;
	}
}

void gtpc_opts_usage(const struct gtpc_cmd_spec *s, FILE *f)
{
	unsigned i;

	fprintf(f, "usage: gtpclass %s %s\n%s\n\noptions:\n", s->name, s->synopsis, s->about);
	for (i = 0; i < s->n_opts; i++) {
		const struct gtpc_opt *o = &s->opts[i];
		char left[64];

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
			 o->metavar ? " " : "", o->metavar ? o->metavar : "");
		fprintf(f, "  %-26s %s\n", left, o->help);
	}
	fprintf(f, "  %-26s %s\n", "-h, --help", "this text");
}

static int build(const struct gtpc_cmd_spec *s, struct option *lo, char *shorts)
{
	unsigned i, n = 0, k = 0;

	if (s->n_opts >= MAX_OPTS)
		return -1;
	shorts[k++] = ':'; /* report a missing argument as ':' */
	for (i = 0; i < s->n_opts; i++) {
		const struct gtpc_opt *o = &s->opts[i];

		lo[n++] = (struct option){ o->name, o->type == GTPC_OPT_FLAG ? no_argument : required_argument, NULL,
					   o->short_name ? o->short_name : 256 + (int)i };
		if (o->short_name) {
			shorts[k++] = (char)o->short_name;
			if (o->type != GTPC_OPT_FLAG)
				shorts[k++] = ':';
		}
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n] = (struct option){ 0 };
	shorts[k++] = 'h';
	shorts[k] = '\0';
	return 0;
}

static const struct gtpc_opt *find(const struct gtpc_cmd_spec *s, int c)
{
	unsigned i;

	for (i = 0; i < s->n_opts; i++)
		if ((s->opts[i].short_name && s->opts[i].short_name == c) || c == 256 + (int)i)
			return &s->opts[i];
	return NULL;
}

int gtpc_opts_parse(const struct gtpc_cmd_spec *s, int argc, char **argv, int *first_arg)
{
	struct option lo[MAX_OPTS + 2];
	char shorts[2 * MAX_OPTS + 4];
	const struct gtpc_opt *o;
	int c, n_args;

	if (build(s, lo, shorts))
		return -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		if (c == 'h') {
			gtpc_opts_usage(s, stdout);
			return GTPC_OPTS_HELP;
		}
		if (c == '?' || c == ':') {
			fprintf(stderr, "gtpclass %s: %s '%s'\n", s->name,
				c == ':' ? "missing the value of" : "unknown option", argv[optind - 1]);
			fprintf(stderr, "(gtpclass %s --help lists the options)\n", s->name);
			return -1;
		}
		o = find(s, c);
		if (!o || apply(s, o, optarg))
			return -1;
	}
	n_args = argc - optind;
	if ((unsigned)n_args < s->min_args || (unsigned)n_args > s->max_args) {
		fprintf(stderr, "gtpclass %s: %s\nusage: gtpclass %s %s\n", s->name,
			(unsigned)n_args < s->min_args ? "missing arguments" : "too many arguments", s->name, s->synopsis);
		return -1;
	}
	*first_arg = optind;
	return 0;
}

#include "config/yamlfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/names.h"

#define KEY_STRVAL(word, mode) { word, mode },
const cyaml_strval_t gtpc_key_strvals[GTPC_KEY__COUNT] = { GTPC_KEY_MODE_NAMES(KEY_STRVAL) };

/* libcyaml reports an error as a message followed by a backtrace from the
 * innermost node out; we keep the message, the innermost line and the keys. */
struct cyaml_capture {
	char msg[160];
	char where[160];
	int line;
};

static void capture_log(cyaml_log_t level, void *ctx, const char *fmt, va_list ap)
{
	struct cyaml_capture *c = ctx;
	char buf[256], *p;
	int line;

	if (level < CYAML_LOG_ERROR)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	p = buf;
	if (!strncmp(p, "Load: ", 6))
		p += 6;
	if (!strcmp(p, "Backtrace:"))
		return;
	if (!c->msg[0]) {
		snprintf(c->msg, sizeof(c->msg), "%s", p);
		return;
	}
	p = strstr(buf, "(line: ");
	if (p && sscanf(p, "(line: %d", &line) == 1 && !c->line)
		c->line = line;
	p = strstr(buf, "in mapping field '");
	if (!p)
		p = strstr(buf, "in sequence entry '");
	if (p) {
		char key[64], tmp[160];
		const char *q = strchr(p, '\'') + 1;
		size_t n = strcspn(q, "'");

		snprintf(key, sizeof(key), "%.*s", (int)n, q);
		if (!strncmp(p, "in sequence", 11)) /* cyaml counts from 1 */
			snprintf(key, sizeof(key), "%ld", strtol(q, NULL, 10) - 1);
		snprintf(tmp, sizeof(tmp), "%s%s%s", key, c->where[0] ? "." : "", c->where);
		memcpy(c->where, tmp, sizeof(tmp));
	}
}

int gtpc_yaml_load(const char *path, const cyaml_schema_value_t *schema, void **out,
		   char *err, size_t errlen)
{
	struct cyaml_capture cap = { .line = 0 };
	cyaml_config_t cfg = {
		.log_fn = capture_log,
		.log_ctx = &cap,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
	};
	cyaml_err_t rc;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -ENOENT;
	}
	fclose(f);
	*out = NULL;
	rc = cyaml_load_file(path, &cfg, schema, (cyaml_data_t **)out, NULL);
	/* An empty or comment-only document loads "successfully" as nothing. */
	if (rc == CYAML_OK && !*out) {
		snprintf(err, errlen, "%s:1: the file holds no YAML document (empty, or only comments)", path);
		return -EINVAL;
	}
	if (rc == CYAML_OK)
		return 0;
	/* libcyaml gives the enclosing mapping's line for an unknown key; the
	 * key's own line is more use to whoever edits the file. */
	if (!strncmp(cap.msg, "Unexpected key: ", 16)) {
		char keypath[256];
		int line;

		snprintf(keypath, sizeof(keypath), "%s%s%s", cap.where, cap.where[0] ? "." : "", cap.msg + 16);
		line = gtpc_yaml_line(path, keypath);
		if (line)
			cap.line = line;
	}
	snprintf(err, errlen, "%s:%d: %s%s%s%s", path, cap.line,
		 cap.msg[0] ? cap.msg : cyaml_strerror(rc), cap.where[0] ? " (at '" : "",
		 cap.where, cap.where[0] ? "')" : "");
	return -EINVAL;
}

void gtpc_yaml_free(const cyaml_schema_value_t *schema, void *data)
{
	cyaml_config_t cfg = { .mem_fn = cyaml_mem, .log_level = CYAML_LOG_ERROR };

	if (data)
		cyaml_free(&cfg, schema, data, 0);
}

/* Walks libyaml's event stream keeping the path of the current node. */
struct yaml_frame {
	int is_seq;
	int index;    /* of the current entry, in a sequence */
	int want_key; /* the next scalar is a key, in a mapping */
	char key[64];
};

static void frame_path(const struct yaml_frame *st, int depth, char *out, size_t len)
{
	int i;

	out[0] = '\0';
	for (i = 0; i <= depth; i++) {
		char part[80];

		if (st[i].is_seq)
			snprintf(part, sizeof(part), "%s%d", i ? "." : "", st[i].index);
		else
			snprintf(part, sizeof(part), "%s%s", i ? "." : "", st[i].key);
		strncat(out, part, len - strlen(out) - 1);
	}
}

int gtpc_yaml_line(const char *path, const char *keypath)
{
	struct yaml_frame st[32];
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = -1, line = 0, done = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	while (!done && !line && yaml_parser_parse(&parser, &ev)) {
		int is_key = 0, value_start = 0;
		char cur[512];

		if (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_MAPPING_START_EVENT ||
		    ev.type == YAML_SEQUENCE_START_EVENT) {
			value_start = 1;
			if (depth >= 0 && st[depth].is_seq)
				st[depth].index++;
		}
		if (ev.type == YAML_SCALAR_EVENT && depth >= 0 && !st[depth].is_seq) {
			if (st[depth].want_key) {
				snprintf(st[depth].key, sizeof(st[depth].key), "%s", (char *)ev.data.scalar.value);
				is_key = 1;
			}
			st[depth].want_key = !st[depth].want_key;
		} else if (value_start && ev.type != YAML_SCALAR_EVENT) {
			if (depth >= 0 && !st[depth].is_seq)
				st[depth].want_key = 1;
			if (depth + 1 >= 32) {
				done = 1;
			} else {
				depth++;
				st[depth] = (struct yaml_frame){ ev.type == YAML_SEQUENCE_START_EVENT, -1, 1, "" };
			}
		} else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) {
			depth--;
		} else if (ev.type == YAML_STREAM_END_EVENT) {
			done = 1;
		}
		if (is_key || (value_start && depth >= 0 && st[depth].is_seq && ev.type == YAML_SCALAR_EVENT)) {
			frame_path(st, depth, cur, sizeof(cur));
			if (!strcmp(cur, keypath))
				line = (int)ev.start_mark.line + 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	return line;
}

/* The config loader on good and bad files: every refusal names the file,
 * the line and the key. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "engine/engine_setup.h"

#define TMP "build/test_config.yaml"

static const char *base =
	"interface: lo\n"
	"workers:\n"
	"  - queue: 0\n"
	"    cpu: 0\n"
	"classifier:\n"
	"  model: ../model/starter.yaml\n"
	"policy:\n"
	"  actions:\n"
	"    - class: flood\n"
	"      action: drop\n";

static void write_file(const char *text)
{
	FILE *f = fopen(TMP, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_error(const char *text, const char *needle, int system)
{
	struct gtpc_config *c = NULL;
	char err[512] = "";
	int rc;

	write_file(text);
	rc = gtpc_config_load(TMP, &c, err, sizeof(err));
	if (!rc && system) {
		rc = gtpc_config_check_system(c, err, sizeof(err));
		gtpc_config_free(c);
	}
	assert_int_not_equal(rc, 0);
	if (!strstr(err, needle))
		fail_msg("message '%s' does not contain '%s'", err, needle);
}

static void test_shipped_config(void **state)
{
	struct gtpc_config *c = NULL;
	char err[512] = "", path[256];

	assert_int_equal(gtpc_config_load("conf/gtpclass.yaml", &c, err, sizeof(err)), 0);
	assert_string_equal(c->interface, "gtpc-n3");
	assert_int_equal(c->workers_count, 2);
	assert_int_equal(c->workers[1].queue, 1);
	assert_int_equal(c->classifier.window_ms, 500);
	assert_int_equal(c->policy.actions_count, 5);
	assert_int_equal(c->policy.actions[4].action, 1);
	assert_true(c->need_wakeup);
	gtpc_config_model_path(c, path, sizeof(path));
	assert_string_equal(path, "conf/../model/default.yaml");
	gtpc_config_free(c);
}

static void test_defaults(void **state)
{
	struct gtpc_config *c = NULL;
	char err[512] = "";

	write_file(base);
	assert_int_equal(gtpc_config_load(TMP, &c, err, sizeof(err)), 0);
	assert_int_equal(c->frames_per_worker, 4096);
	assert_int_equal(c->classifier.idle_timeout_ms, 5000);
	assert_true(c->need_wakeup);
	assert_int_equal(gtpc_config_check_system(c, err, sizeof(err)), 0);
	gtpc_config_free(c);
}

static void test_bad_files(void **state)
{
	char text[1024];

	snprintf(text, sizeof(text), "%sworkerz: 3\n", base);
	expect_error(text, TMP ":11: Unexpected key: workerz", 0);
	snprintf(text, sizeof(text), "%sbatch_size: lots\n", base);
	expect_error(text, TMP ":11: Invalid", 0);
	expect_error("interface: lo\nworkers:\n  - queue: 0\n    cpu: 0\n    cores: 2\n", TMP ":5: Unexpected key: cores (at 'workers.0')", 0);
	snprintf(text, sizeof(text), "%sattach_mode: turbo\n", base);
	expect_error(text, "attach_mode", 0);
	snprintf(text, sizeof(text), "%sframe_size: 3000\n", base);
	expect_error(text, TMP ":11: 'frame_size': 3000: must be 2048 or 4096", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: x\n  ue_prefixes: [10.45.0.0/99]\n", base);
	expect_error(text, "", 0);
	expect_error("interface: lo\nworkers:\n  - queue: 0\n    cpu: 0\n  - queue: 0\n    cpu: 1\n"
		     "classifier:\n  model: m\npolicy:\n  actions:\n    - class: a\n      action: drop\n",
		     TMP ":5: 'workers.1.queue': queue 0 has two workers", 0);
	expect_error("interface: lo\nworkers:\n  - queue: 0\n    cpu: 1\n  - queue: 1\n    cpu: 1\n"
		     "classifier:\n  model: m\npolicy:\n  actions:\n    - class: a\n      action: drop\n",
		     TMP ":6: 'workers.1.cpu': CPU 1 has two workers", 0);
	expect_error("workers: []\n", "", 0);
	expect_error("interface: [lo\n", TMP, 0);
	expect_error("/nonexistent", "", 0);
	/* Empty and comment-only files were a crash (a NULL document). */
	expect_error("", TMP ":1: the file holds no YAML document", 0);
	expect_error("# nothing but a comment\n", TMP ":1: the file holds no YAML document", 0);
}

/* A key written as 0 is refused by name and line, never replaced by the
 * default the key would have had if it were left out. */
static void test_zero_is_not_default(void **state)
{
	static const char *head = "interface: lo\nworkers:\n  - queue: 0\n    cpu: 0\n";
	char text[1024];

	snprintf(text, sizeof(text), "%sstats_interval_ms: 0\nclassifier:\n  model: m\npolicy:\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":5: 'stats_interval_ms': 0: at least 100", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: m\n  window_ms: 0\npolicy:\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":7: 'classifier.window_ms': 0: must be 10..60000", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: m\npolicy:\n  ttl_ms: 0\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":8: 'policy.ttl_ms': 0: must be at least classifier.window_ms (500)", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: m\n  max_ues: 0\npolicy:\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":7: 'classifier.max_ues': 0: must be 1..16777216", 0);
	snprintf(text, sizeof(text), "%sbatch_size: 0\nclassifier:\n  model: m\npolicy:\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":5: 'batch_size': 0: must be 1..64", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: m\npolicy:\n  min_windows: 0\n  actions:\n    - class: a\n      action: drop\n", head);
	expect_error(text, TMP ":8: 'policy.min_windows': 0: from 1 (act on one window) to 100", 0);
	snprintf(text, sizeof(text), "%sclassifier:\n  model: m\npolicy:\n  min_confidence: 1.5\n  actions:\n    - class: a\n      action: observe\n", head);
	expect_error(text, TMP ":8: 'policy.min_confidence': 1.5: a share of the trees' votes, from 0 to 1", 0);
}

static void test_system_checks(void **state)
{
	char text[1024];

	/* lo has one RX queue; queue 1 is beyond it. */
	expect_error("interface: lo\nworkers:\n  - queue: 1\n    cpu: 0\nclassifier:\n  model: m\n"
		     "policy:\n  actions:\n    - class: a\n      action: pass\n",
		     TMP ":3: 'workers.0.queue': queue 1, but lo has 1 RX queue", 1);
	expect_error("interface: lo\nworkers:\n  - queue: 0\n    cpu: 4096\nclassifier:\n  model: m\n"
		     "policy:\n  actions:\n    - class: a\n      action: pass\n",
		     TMP ":4: 'workers.0.cpu': CPU 4096 is not online or not allowed", 1);
	/* A CPU that exists but that this process may not use (its cpuset). */
	{
		cpu_set_t saved, only0;

		assert_int_equal(sched_getaffinity(0, sizeof(saved), &saved), 0);
		CPU_ZERO(&only0);
		CPU_SET(0, &only0);
		assert_int_equal(sched_setaffinity(0, sizeof(only0), &only0), 0);
		expect_error("interface: lo\nworkers:\n  - queue: 0\n    cpu: 1\nclassifier:\n  model: m\n"
			     "policy:\n  actions:\n    - class: a\n      action: pass\n",
			     TMP ":4: 'workers.0.cpu': CPU 1 is not online or not allowed to this process (it may use 1)", 1);
		sched_setaffinity(0, sizeof(saved), &saved);
	}
	snprintf(text, sizeof(text), "%s", base);
	memcpy(strstr(text, "lo\n"), "xx", 2);
	expect_error(text, TMP ":1: 'interface': no interface named 'xx'", 1);
}

static void test_policy_against_model(void **state)
{
	struct gtpc_engine_setup s;
	struct gtpc_config *c = NULL;
	struct gtpc_model m;
	char err[512] = "", text[1024];

	snprintf(text, sizeof(text), "%s", base);
	memcpy(strstr(text, "flood"), "flo0d", 5);
	write_file(text);
	assert_int_equal(gtpc_config_load(TMP, &c, err, sizeof(err)), 0);
	assert_int_not_equal(gtpc_engine_setup_load(&s, c, &m, 1, err, sizeof(err)), 0);
	assert_non_null(strstr(err, TMP ":9: policy names class 'flo0d', which the model does not have"));
	gtpc_config_free(c);
	write_file(base);
	assert_int_equal(gtpc_config_load(TMP, &c, err, sizeof(err)), 0);
	assert_int_equal(gtpc_engine_setup_load(&s, c, &m, 1, err, sizeof(err)), 0);
	assert_int_equal(s.cfg.rules.class_act[2].action, GTPC_ACT_DROP);
	assert_int_equal(s.cfg.rules.class_act[0].action, GTPC_ACT_PASS);
	gtpc_model_free(&m);
	gtpc_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_config),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_zero_is_not_default),
		cmocka_unit_test(test_system_checks),
		cmocka_unit_test(test_policy_against_model),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}

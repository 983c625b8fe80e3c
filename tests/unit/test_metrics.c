/* The counter table: every row named once, with help; the balances fail
 * when a packet or a frame is unaccounted for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "daemon/totals.h"
#include "util/metrics.h"

static void test_rows_named_once(void **state)
{
	int i, j;

	for (i = 0; i < GTPC_M__COUNT; i++) {
		const char *n = gtpc_metric_table[i].name;

		assert_non_null(n);
		assert_true(strlen(n) > 0 && strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(n));
		assert_true(strlen(gtpc_metric_table[i].help) > 10);
		for (j = 0; j < i; j++)
			if (!strcmp(n, gtpc_metric_table[j].name))
				fail_msg("counter '%s' is in the table twice", n);
		assert_int_equal(gtpc_metric_find(n), i);
	}
	/* The XDP program's counters array is the first block, in order. */
	assert_string_equal(gtpc_metric_table[GTPC_M_XDP + GTPC_CNT_REDIRECTED].name, "redirected");
	assert_string_equal(gtpc_metric_table[GTPC_M_XDP + GTPC_CNT_MALFORMED_BASE + GTPC_MAL_GTP_LEN].name,
			    "malformed_gtp_length");
	assert_string_equal(gtpc_metric_table[GTPC_M_EV + GTPC_EV_VERDICT_EXPIRED].name, "verdict_expired_seen");
	assert_int_equal(gtpc_metric_find("nonexistent"), -1);
}

static void balanced_run(struct gtpc_metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->v[GTPC_M_XDP + GTPC_CNT_REDIRECTED] = 100;
	m->v[GTPC_M_XDP + GTPC_CNT_PASS_NOT_GTPU] = 7;
	m->v[GTPC_M_CL + GTPC_CL_RX] = 95;
	m->v[GTPC_M_CL + GTPC_CL_GPDU] = 95;
	m->v[GTPC_M_CL + GTPC_CL_ACCOUNTED] = 94;
	m->v[GTPC_M_CL + GTPC_CL_NOT_ACCOUNTED] = 1;
	m->v[GTPC_M_CL + GTPC_CL_FORWARDED] = 90;
	m->v[GTPC_M_CL + GTPC_CL_TX_RING_FULL] = 2;
	m->v[GTPC_M_CL + GTPC_CL_DROPPED] = 3;
	m->v[GTPC_M_SK + GTPC_SK_RX_RING_FULL] = 5;
	m->v[GTPC_M_SK + GTPC_SK_UMEM_FRAMES] = 4096;
	m->v[GTPC_M_SK + GTPC_SK_UMEM_FILL] = 2048;
	m->v[GTPC_M_SK + GTPC_SK_UMEM_FREE] = 2048;
}

static void test_balances(void **state)
{
	FILE *null = fopen("/dev/null", "w");
	struct gtpc_metrics m;

	balanced_run(&m);
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 1);
	assert_int_equal(m.v[GTPC_M_RUN + GTPC_RUN_BALANCED], 1);
	assert_int_equal(m.v[GTPC_M_RUN + GTPC_RUN_SEEN], 107);
	/* One redirected packet that no worker received and no socket counted. */
	balanced_run(&m);
	m.v[GTPC_M_XDP + GTPC_CNT_REDIRECTED]++;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 0);
	assert_int_equal(m.v[GTPC_M_RUN + GTPC_RUN_BALANCED], 0);
	/* A frame nowhere. */
	balanced_run(&m);
	m.v[GTPC_M_SK + GTPC_SK_UMEM_FREE]--;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 0);
	/* A received frame neither a G-PDU nor counted as not one. */
	balanced_run(&m);
	m.v[GTPC_M_CL + GTPC_CL_GPDU]--;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 0);
	/* A G-PDU handed to its owner and never accounted, silently. */
	balanced_run(&m);
	m.v[GTPC_M_CL + GTPC_CL_NOT_ACCOUNTED]--;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 0);
	/* A received frame neither forwarded nor counted as not. */
	balanced_run(&m);
	m.v[GTPC_M_CL + GTPC_CL_FORWARDED]--;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 0);
	/* A frame on its way out (TX ring) is accounted for. */
	balanced_run(&m);
	m.v[GTPC_M_SK + GTPC_SK_UMEM_FREE] -= 5;
	m.v[GTPC_M_SK + GTPC_SK_UMEM_TX] += 3;
	m.v[GTPC_M_SK + GTPC_SK_UMEM_COMPLETION] += 2;
	assert_int_equal(gtpc_totals_balance(null, &m, 1), 1);
	/* The mode's own word on its frames (copy mode, frames in the kernel). */
	balanced_run(&m);
	assert_int_equal(gtpc_totals_balance(null, &m, 0), 0);
	fclose(null);
}

static void test_summary_lines(void **state)
{
	char names[2][32] = { "urllc", "flood" };
	struct gtpc_metrics m;
	char buf[16384];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	balanced_run(&m);
	m.cls[GTPC_CLS_WINDOWS][1] = 3;
	gtpc_metrics_write(f, &m, (const char (*)[32])names, 2);
	fclose(f);
	assert_true(strncmp(buf, "redirected=100\n", 15) == 0);
	assert_non_null(strstr(buf, "\nsocket_ring_full=5\n"));
	assert_non_null(strstr(buf, "\nwindows_flood=3\n"));
	assert_non_null(strstr(buf, "\nues_urllc=0\n"));
	assert_non_null(strstr(buf, "\nverdict_expired_seen=0\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_named_once),
		cmocka_unit_test(test_balances),
		cmocka_unit_test(test_summary_lines),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}

/* emlearn CSV forests: the real emlearn vectors predict exactly what
 * emlearn's own code predicts; corrupt files are refused by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/forest.h"
#include "model/model.h"
#include "util/names.h"
#include "shared.h"

/* Reads rows of comma-separated floats; returns how many rows. */
static int read_rows(const char *path, float (*rows)[8], int max_rows, int cols)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int n = 0;

	assert_non_null(f);
	while (n < max_rows && fgets(line, sizeof(line), f)) {
		char *p = line;
		int c;

		for (c = 0; c < cols; c++) {
			rows[n][c] = strtof(p, &p);
			if (*p == ',')
				p++;
		}
		n++;
	}
	fclose(f);
	return n;
}

static void test_emlearn_vectors(void **state)
{
	static float x[2000][8], y[2000][8];
	char b1[512], b2[512], b3[512], err[256];
	const char *csv, *inputs, *pred;
	struct gtpc_forest f;
	int n, i, agree = 0;

	REQUIRE_SHARED(csv, "emlearn-vectors/forest_a.csv", b1);
	REQUIRE_SHARED(inputs, "emlearn-vectors/forest_a_inputs.csv", b2);
	REQUIRE_SHARED(pred, "emlearn-vectors/forest_a_emlearn_pred.csv", b3);
	assert_int_equal(gtpc_forest_load_csv(csv, &f, err, sizeof(err)), 0);
	assert_int_equal(f.n_trees, 10);
	assert_int_equal(f.n_features, 4);
	assert_int_equal(f.n_classes, 3);
	n = read_rows(inputs, x, 2000, 4);
	assert_int_equal(n, 1200);
	assert_int_equal(read_rows(pred, y, 2000, 1), 1200);
	for (i = 0; i < n; i++)
		agree += gtpc_forest_predict(&f, x[i]) == (int)y[i][0];
	assert_int_equal(agree, 1200);
	gtpc_forest_free(&f);
}

static void test_save_round_trip(void **state)
{
	char b1[512], err[256];
	const char *csv;
	struct gtpc_forest a, b;
	int i;

	REQUIRE_SHARED(csv, "emlearn-vectors/forest_a.csv", b1);
	assert_int_equal(gtpc_forest_load_csv(csv, &a, err, sizeof(err)), 0);
	assert_int_equal(gtpc_forest_save_csv(&a, "build/test_forest_rt.csv"), 0);
	assert_int_equal(gtpc_forest_load_csv("build/test_forest_rt.csv", &b, err, sizeof(err)), 0);
	assert_int_equal(a.n_nodes, b.n_nodes);
	for (i = 0; i < a.n_nodes; i++) {
		assert_int_equal(a.nodes[i].left, b.nodes[i].left);
		assert_true(a.nodes[i].threshold == b.nodes[i].threshold);
	}
	gtpc_forest_free(&a);
	gtpc_forest_free(&b);
}

/* Each corrupt file is refused, and the message names the fault. */
static void expect_refused(const char *text, const char *needle)
{
	struct gtpc_forest f;
	char err[256] = "";

	assert_int_not_equal(gtpc_forest_parse_csv(text, "m.csv", &f, err, sizeof(err)), 0);
	if (!strstr(err, needle))
		fail_msg("message '%s' does not contain '%s'", err, needle);
}

static void test_corrupt_files(void **state)
{
	static char deep[8192];
	size_t off;
	int i;

	expect_refused("f,2\nc,2\nlb,0\nl,0\nl,1\nr,0\nx,1\n", "m.csv:7: unknown line type 'x'");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,abc,-1,-2\n", "m.csv:6: node line has a value that is not a number");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,1.5,-1\n", "m.csv:6: node line needs 4 values");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,1.5,0,-2\n", "m.csv:6: node 0 jumps to itself");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,1.5,5,-2\n", "child 5 out of range");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,3,1.5,-1,-2\n", "node 0: feature 3, but there are 2 features");
	expect_refused("f,2\nc,2\nl,0\nl,7\nr,0\nn,0,1.5,-1,-2\n", "leaf 1: class 7");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,1.5,-1,-9\n", "leaf beyond");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,3\nn,0,1.5,-1,-2\n", "root 3 beyond");
	expect_refused("f,2\nc,2\nlb,4\n", "m.csv:3: leaf_bits 4 is not supported");
	expect_refused("c,2\nl,0\nr,0\nn,0,1,-1,-1\n", "missing 'f' or 'c' line");
	expect_refused("f,2\nc,2\n", "no trees");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nn,0,inf,-1,-2\n", "not finite");
	/* A chain of 40 decisions: deeper than the bound. */
	off = (size_t)snprintf(deep, sizeof(deep), "f,2\nc,2\nl,0\nl,1\nr,0\n");
	for (i = 0; i < 40; i++)
		off += (size_t)snprintf(deep + off, sizeof(deep) - off, "n,0,%d,1,-2\n", i);
	off += (size_t)snprintf(deep + off, sizeof(deep) - off, "n,0,1,-1,-2\n");
	expect_refused(deep, "deeper than 32");
	/* A graph, not a tree: every node sends both branches to the next one.
	 * Walked path by path it has 2^30 paths (the old validator took
	 * seconds); refused in one pass. */
	off = (size_t)snprintf(deep, sizeof(deep), "f,2\nc,2\nl,0\nl,1\nr,0\n");
	for (i = 0; i < 30; i++)
		off += (size_t)snprintf(deep + off, sizeof(deep) - off, "n,0,%d,1,1\n", i);
	off += (size_t)snprintf(deep + off, sizeof(deep) - off, "n,0,1,-1,-2\n");
	expect_refused(deep, "node 1 has two parents (node 0 is one): not a tree");
	/* Two trees with one root, and a tree whose root is another's node. */
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nr,0\nn,0,1,-1,-2\n", "tree 1: root 0 is already part of another tree");
	expect_refused("f,2\nc,2\nl,0\nl,1\nr,0\nr,1\nn,0,1,1,-1\nn,0,2,-1,-2\n", "node 1 has two parents");
}

static void test_model_manifest(void **state)
{
	struct gtpc_model m;
	char err[256];

	assert_int_equal(gtpc_model_load("model/starter.yaml", &m, err, sizeof(err)), 0);
	assert_int_equal(m.n_features, 4);
	assert_string_equal(m.class_names[2], "flood");
	assert_int_equal(m.feature_ids[0], gtpc_feature_lookup("pkts"));
	assert_int_equal(gtpc_model_check_servable(&m, err, sizeof(err)), 0);
	gtpc_model_free(&m);
	/* A manifest whose counts disagree with its CSV. */
	FILE *f = fopen("build/test_bad_manifest.yaml", "w");
	fprintf(f, "csv: ../model/starter.csv\nfeatures: [pkts, len_mean]\nclasses: [a, b, c]\n");
	fclose(f);
	assert_int_not_equal(gtpc_model_load("build/test_bad_manifest.yaml", &m, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "names 2 features and 3 classes, but"));
	f = fopen("build/test_bad_manifest.yaml", "w");
	fprintf(f, "csv: ../model/starter.csv\nfeatures: [pkts, len_mean, x, y]\nclasses: [a, b, c]\ncolour: red\n");
	fclose(f);
	assert_int_not_equal(gtpc_model_load("build/test_bad_manifest.yaml", &m, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "test_bad_manifest.yaml:4: Unexpected key: colour"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emlearn_vectors),
		cmocka_unit_test(test_save_round_trip),
		cmocka_unit_test(test_corrupt_files),
		cmocka_unit_test(test_model_manifest),
	};

	return cmocka_run_group_tests_name("forest", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* patchstorm compare A B */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "compare.h"
#include "util.h"

static const char compare_usage[] =
"usage: patchstorm compare [--threshold PCT] [--json FILE] [--fail] A B\n"
"  A, B: results (--json files or --save directories). Rows are throughput,\n"
"  error counters and histogram percentiles; a change beyond PCT percent\n"
"  (default 10) is flagged worse/better, unless too few samples back it.\n"
"  --fail: exit 1 if anything is worse (for CI).\n";

int cmd_compare(int argc, char **argv)
{
	const char *paths[2] = { NULL, NULL }, *json = NULL;
	struct ps_results r[2];
	struct cmp_row *rows;
	double threshold = 0.10;
	int i, np = 0, fail = 0, ret = PS_EXIT_SUCCESS;
	char err[1024], *text;
	size_t n, k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(compare_usage, stdout);
			return PS_EXIT_SUCCESS;
		} else if (!strcmp(a, "--fail")) {
			fail = 1;
		} else if ((!strcmp(a, "--threshold") && i + 1 < argc) ||
			   !strncmp(a, "--threshold=", 12)) {
			const char *v = a[11] == '=' ? a + 12 : argv[++i];
			char *end;

			threshold = strtod(v, &end) / 100;
			if (end == v || *end || threshold < 0 || threshold > 100)
				return cmd_error("compare", PS_EXIT_USAGE,
						 "--threshold %s: use a percentage, e.g. 10 or 2.5",
						 v);
		} else if ((!strcmp(a, "--json") && i + 1 < argc) ||
			   !strncmp(a, "--json=", 7)) {
			json = a[6] == '=' ? a + 7 : argv[++i];
		} else if (a[0] == '-' && a[1]) {
			return cmd_error("compare", PS_EXIT_USAGE,
					 "unknown option %s\n%s", a,
					 compare_usage);
		} else if (np < 2) {
			paths[np++] = a;
		} else {
			return cmd_error("compare", PS_EXIT_USAGE,
					 "two results, A and B\n%s",
					 compare_usage);
		}
	}
	if (np != 2)
		return cmd_error("compare", PS_EXIT_USAGE,
				 "two results, A and B\n%s", compare_usage);
	for (k = 0; k < 2; k++) {
		if (results_load(&r[k], paths[k], err, sizeof(err))) {
			if (k)
				results_free(&r[0]);
			results_free(&r[k]);
			return cmd_error("compare", PS_EXIT_USAGE, "%s", err);
		}
	}
	n = compare_results(&r[0], &r[1], threshold, &rows);
	text = compare_text(&r[0], &r[1], rows, n, threshold);
	fputs(text, stdout);
	free(text);
	if (json) {
		FILE *f = strcmp(json, "-") ? fopen(json, "w") : stdout;

		if (!f) {
			ret = cmd_error("compare", PS_EXIT_ENV,
					"cannot write %s", json);
		} else {
			compare_json(&r[0], &r[1], rows, n, threshold, f);
			if (f != stdout)
				fclose(f);
		}
	}
	for (k = 0; fail && k < n; k++)
		if (rows[k].verdict == CMP_WORSE && ret == PS_EXIT_SUCCESS)
			ret = PS_EXIT_FAILURE;
	free(rows);
	results_free(&r[0]);
	results_free(&r[1]);
	return ret;
}

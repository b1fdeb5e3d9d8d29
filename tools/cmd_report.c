// SPDX-License-Identifier: GPL-2.0
/* patchstorm report: the run report from saved results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "ktap.h"
#include "report.h"
#include "util.h"

static const char report_usage[] =
"usage: patchstorm report [--json FILE] [--ktap[=FILE]] [--quiet] RESULTS\n"
"  RESULTS: a --json file, a --save directory, any directory with the\n"
"  debugfs layout (stats, anomalies, hist/...), or a scripts/qemu-run.sh\n"
"  results directory. Exit code from the verdict.\n"
"  --ktap          the results as KTAP version 1 instead of the report\n"
"  --ktap=FILE     write KTAP into FILE as well\n";

int cmd_report(int argc, char **argv)
{
	const char *path = NULL, *json = NULL, *ktap = NULL;
	struct ps_results r;
	char err[1024], *text;
	int i, quiet = 0, ret;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(report_usage, stdout);
			return PS_EXIT_SUCCESS;
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = 1;
		} else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strncmp(argv[i], "--json=", 7)) {
			json = argv[i] + 7;
		} else if (!strcmp(argv[i], "--ktap")) {
			ktap = "-";
		} else if (!strncmp(argv[i], "--ktap=", 7)) {
			ktap = argv[i][7] ? argv[i] + 7 : "-";
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cmd_error("report", PS_EXIT_USAGE,
					 "unknown option %s\n%s", argv[i],
					 report_usage);
		} else if (!path) {
			path = argv[i];
		} else {
			return cmd_error("report", PS_EXIT_USAGE,
					 "one RESULTS path only\n%s",
					 report_usage);
		}
	}
	if (!path)
		return cmd_error("report", PS_EXIT_USAGE,
				 "which results?\n%s", report_usage);
	if (ktap && json && !strcmp(ktap, "-") && !strcmp(json, "-"))
		return cmd_error("report", PS_EXIT_USAGE,
				 "--ktap and --json cannot both write to stdout; give one a FILE");
	if (results_load(&r, path, err, sizeof(err))) {
		results_free(&r);
		return cmd_error("report", PS_EXIT_USAGE, "%s", err);
	}
	ret = report_exit_code(&r);
	if (ktap) {
		FILE *f = strcmp(ktap, "-") ? fopen(ktap, "w") : stdout;

		if (!f) {
			results_free(&r);
			return cmd_error("report", PS_EXIT_ENV,
					 "cannot write %s", ktap);
		}
		text = ktap_text(&r);
		fputs(text, f);
		free(text);
		if (f != stdout && fclose(f)) {
			results_free(&r);
			return cmd_error("report", PS_EXIT_ENV,
					 "cannot write %s", ktap);
		}
	}
	if (!ktap || strcmp(ktap, "-")) {
		text = report_text(&r, quiet ? REPORT_QUIET : 0);
		fputs(text, stdout);
		free(text);
	}
	if (json) {
		FILE *f = strcmp(json, "-") ? fopen(json, "w") : stdout;

		if (!f) {
			results_free(&r);
			return cmd_error("report", PS_EXIT_ENV,
					 "cannot write %s", json);
		}
		report_json(&r, f);
		if (f != stdout)
			fclose(f);
	}
	results_free(&r);
	return ret;
}

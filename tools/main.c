// SPDX-License-Identifier: GPL-2.0
/*
 * patchstorm: stress-test the kernel's text patching. Command dispatch;
 * each command lives in cmd_*.c.
 */
#include <stdio.h>
#include <string.h>
#include "cmds.h"
#include "util.h"

#ifndef PS_VERSION
#define PS_VERSION "0.1"
#endif

static const char usage[] =
"usage: patchstorm [--debugfs DIR] COMMAND [ARGS]\n"
"\n"
"  run [options]          run a storm here: load the module, configure,\n"
"                         show progress, print the report (run --help)\n"
"  status                 state and counters of the current/last storm\n"
"  stats [--json]         the module's counters, key=value\n"
"  hist [NAME]            list the latency histograms, or show one\n"
"  anomalies              anomalies logged by the current/last storm\n"
"  stop                   stop a running storm\n"
"  reset                  clear the last storm's results\n"
"  caps                   what this kernel and module support\n"
"  report RESULTS         report of a saved run (--json file or --save dir)\n"
"  compare A B            two runs side by side, changes beyond noise flagged\n"
"  plot RESULTS... [-o DIR]  histogram plots as PNG (gnuplot)\n"
"  doctor [options]       can this system run storms? each problem, its\n"
"                         consequence and the fix (exit 0 ready, 3 not)\n"
"  kstate [--check FILE]  the kernel's patching state, or what differs from\n"
"                         FILE (before rmmod: left as found? exit 0, 1 not)\n"
"\n"
"  --debugfs DIR          module directory (default /sys/kernel/debug/patchstorm,\n"
"                         or $PATCHSTORM_DEBUGFS)\n"
"exit: 0 SUCCESS, 1 FAILURE, 2 bad usage, 3 cannot run here\n";

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "run", cmd_run },
	{ "status", cmd_status },
	{ "stats", cmd_stats },
	{ "hist", cmd_hist },
	{ "anomalies", cmd_anomalies },
	{ "stop", cmd_stop },
	{ "reset", cmd_reset },
	{ "caps", cmd_caps },
	{ "report", cmd_report },
	{ "compare", cmd_compare },
	{ "plot", cmd_plot },
	{ "doctor", cmd_doctor },
	{ "kstate", cmd_kstate },
};

int main(int argc, char **argv)
{
	size_t i;
	int a = 1;

	while (a < argc && argv[a][0] == '-') {
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			fputs(usage, stdout);
			return PS_EXIT_SUCCESS;
		} else if (!strcmp(argv[a], "--version")) {
			printf("patchstorm %s\n", PS_VERSION);
			return PS_EXIT_SUCCESS;
		} else if (!strcmp(argv[a], "--debugfs") && a + 1 < argc) {
			g_debugfs_opt = argv[a + 1];
			a += 2;
		} else if (!strncmp(argv[a], "--debugfs=", 10)) {
			g_debugfs_opt = argv[a] + 10;
			a++;
		} else {
			fprintf(stderr,
				"patchstorm: unknown option %s (patchstorm --help)\n",
				argv[a]);
			return PS_EXIT_USAGE;
		}
	}
	if (a >= argc) {
		fputs(usage, stderr);
		return PS_EXIT_USAGE;
	}
	if (!strcmp(argv[a], "help")) {
		fputs(usage, stdout);
		return PS_EXIT_SUCCESS;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[a], commands[i].name))
			return commands[i].fn(argc - a, argv + a);
	fprintf(stderr, "patchstorm: unknown command \"%s\" (patchstorm --help)\n",
		argv[a]);
	return PS_EXIT_USAGE;
}

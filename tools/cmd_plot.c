// SPDX-License-Identifier: GPL-2.0
/* patchstorm plot: histogram PNGs with gnuplot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cmds.h"
#include "plot.h"
#include "util.h"

static const char plot_usage[] =
"usage: patchstorm plot [-o DIR] [--hist NAME]... RESULTS...\n"
"  For each histogram (or each --hist NAME) with samples in any of the\n"
"  RESULTS (--json files or --save directories), write DIR/NAME.png (the\n"
"  latency distribution) and DIR/NAME.percentiles.png, one line per run,\n"
"  with the .dat and .gp files beside them. DIR defaults to '.'.\n"
"  Needs gnuplot (Debian: gnuplot-nox).\n";

static int run_gnuplot(const char *script)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int listed(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	const char *dir = ".";
	char **paths = xcalloc((size_t)argc, sizeof(char *));
	char **names = NULL;	/* histogram names to plot (any number) */
	char **want = xcalloc((size_t)argc, sizeof(char *));
	size_t np = 0, nn = 0, nw = 0, i, k, made = 0;
	struct ps_results *runs = NULL;
	char err[1024], *script;
	int ret = PS_EXIT_SUCCESS, g;

	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(plot_usage, stdout);
			goto out;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) &&
			   i + 1 < (size_t)argc) {
			dir = argv[++i];
		} else if (!strcmp(a, "--hist") && i + 1 < (size_t)argc) {
			want[nw++] = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			ret = cmd_error("plot", PS_EXIT_USAGE,
					"unknown option %s\n%s", a, plot_usage);
			goto out;
		} else {
			paths[np++] = argv[i];
		}
	}
	if (!np) {
		ret = cmd_error("plot", PS_EXIT_USAGE, "which results?\n%s",
				plot_usage);
		goto out;
	}
	runs = xcalloc(np, sizeof(*runs));
	for (i = 0; i < np; i++) {
		if (results_load(&runs[i], paths[i], err, sizeof(err))) {
			ret = cmd_error("plot", PS_EXIT_USAGE, "%s", err);
			goto out;
		}
		for (k = 0; k < runs[i].nr_hists; k++) {
			const char *n = runs[i].hists[k].name;

			if (runs[i].hists[k].h->count && !listed(names, nn, n) &&
			    (!nw || listed(want, nw, n))) {
				names = xrealloc(names,
						 (nn + 1) * sizeof(*names));
				names[nn++] = runs[i].hists[k].name;
			}
		}
	}
	for (k = 0; k < nw; k++) {
		if (!listed(names, nn, want[k])) {
			ret = cmd_error("plot", PS_EXIT_USAGE,
					"no samples in a histogram \"%s\" in these results",
					want[k]);
			goto out;
		}
	}
	if (!nn) {
		ret = cmd_error("plot", PS_EXIT_USAGE,
				"no histogram with samples in these results");
		goto out;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		ret = cmd_error("plot", PS_EXIT_ENV, "cannot create %s: %s",
				dir, strerror(errno));
		goto out;
	}
	for (k = 0; k < nn; k++) {
		if (plot_write(dir, names[k], runs, np, &script, err,
			       sizeof(err))) {
			ret = cmd_error("plot", PS_EXIT_ENV, "%s", err);
			goto out;
		}
		g = run_gnuplot(script);
		if (g == 127) {
			ret = cmd_error("plot", PS_EXIT_ENV,
					"gnuplot not found; install it (Debian: apt-get install gnuplot-nox) or run the .gp files elsewhere");
			free(script);
			goto out;
		}
		if (g) {
			ret = cmd_error("plot", PS_EXIT_ENV,
					"gnuplot failed on %s (exit %d)",
					script, g);
			free(script);
			goto out;
		}
		printf("%s/%s.png %s/%s.percentiles.png\n", dir, names[k],
		       dir, names[k]);
		made++;
		free(script);
	}
out:
	for (i = 0; runs && i < np; i++)
		results_free(&runs[i]);
	free(runs);
	free(paths);
	free(names);
	free(want);
	(void)made;
	return ret;
}

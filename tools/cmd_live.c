// SPDX-License-Identifier: GPL-2.0
/* Commands that read or poke a loaded module: status, stats, hist, ... */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmds.h"
#include "debugfs.h"
#include "json.h"
#include "progress.h"
#include "report.h"
#include "util.h"

const char *g_debugfs_opt;

int cmd_error(const char *cmd, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "patchstorm %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cmd_common_opts(int argc, char **argv, const char **debugfs)
{
	int i;

	*debugfs = g_debugfs_opt;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return -2;
		if (!strcmp(argv[i], "--debugfs")) {
			if (i + 1 >= argc) {
				cmd_error(argv[0], PS_EXIT_USAGE,
					  "option --debugfs needs a directory");
				return -1;
			}
			*debugfs = argv[++i];
		} else if (!strncmp(argv[i], "--debugfs=", 10)) {
			*debugfs = argv[i] + 10;
		} else {
			return i;
		}
	}
	return i;
}

/* The module's directory, or NULL after explaining why it is not there. */
static const char *live_dir(const char *cmd, const char *opt)
{
	const char *dir = ps_debugfs_dir(opt);

	if (is_dir(dir))
		return dir;
	if (ps_debugfs_overridden(opt))
		cmd_error(cmd, PS_EXIT_ENV,
			  "%s does not exist (set by --debugfs or $%s)", dir,
			  PS_DEBUGFS_ENV);
	else if (!is_dir(PS_DEBUGFS_ROOT "/tracing") &&
		 !is_dir(PS_DEBUGFS_ROOT "/block"))
		cmd_error(cmd, PS_EXIT_ENV,
			  "%s missing: debugfs not mounted or not readable; as root: mount -t debugfs none %s",
			  dir, PS_DEBUGFS_ROOT);
	else
		cmd_error(cmd, PS_EXIT_ENV,
			  "the patchstorm module is not loaded (%s missing); patchstorm run --module patchstorm.ko, or insmod it",
			  dir);
	return NULL;
}

static char *live_read(const char *cmd, const char *dir, const char *name)
{
	char *s = ps_df_read(dir, name);

	if (!s)
		cmd_error(cmd, PS_EXIT_ENV, "cannot read %s/%s: %s%s", dir,
			  name, strerror(errno),
			  errno == EACCES ? " (run as root)" : "");
	return s;
}

/* Parse the common options; no positional arguments beyond @max_pos. */
static int simple_opts(int argc, char **argv, const char **debugfs,
		       int max_pos, const char *usage)
{
	int i = cmd_common_opts(argc, argv, debugfs);

	if (i == -2) {
		printf("%s", usage);
		return -2;
	}
	if (i < 0)
		return -1;
	if (argc - i > max_pos || (i < argc && argv[i][0] == '-' &&
				   (strcmp(argv[i], "--json") ||
				    strcmp(argv[0], "stats")))) {
		cmd_error(argv[0], PS_EXIT_USAGE,
			  "unexpected argument \"%s\"\n%s", argv[i], usage);
		return -1;
	}
	return i;
}

#define SIMPLE_OPTS(max_pos, usage)					\
	do {								\
		i = simple_opts(argc, argv, &opt, (max_pos), (usage));	\
		if (i == -2)						\
			return PS_EXIT_SUCCESS;				\
		if (i < 0)						\
			return PS_EXIT_USAGE;				\
		dir = live_dir(argv[0], opt);				\
		if (!dir)						\
			return PS_EXIT_ENV;				\
	} while (0)

int cmd_status(int argc, char **argv)
{
	const char *opt, *dir, *v;
	struct kv_list stats, config;
	char *s, *line;
	size_t k;
	int i;

	SIMPLE_OPTS(0, "usage: patchstorm status [--debugfs DIR]\n");
	s = live_read(argv[0], dir, "stats");
	if (!s)
		return PS_EXIT_ENV;
	kv_init(&stats);
	kv_parse_lines(&stats, s);
	free(s);
	line = progress_line(&stats, 0);
	/* the rate is unknown from one sample: drop "(0/s)" */
	s = strstr(line, " (0/s)");
	if (s)
		memmove(s, s + 6, strlen(s + 6) + 1);
	printf("%s\n", line);
	free(line);
	v = kv_get(&stats, "verdict");
	printf("verdict: %s", v ? v : "NONE");
	v = kv_get(&stats, "reason");
	if (v && *v)
		printf(" (%s)", v);
	printf("\n");
	s = ps_df_read(dir, "config");
	if (s) {
		kv_init(&config);
		kv_parse_lines(&config, s);
		printf("config:");
		for (k = 0; k < config.n; k++)
			printf(" %s=%s", config.items[k].key,
			       config.items[k].value);
		printf("\n");
		kv_free(&config);
		free(s);
	}
	kv_free(&stats);
	return PS_EXIT_SUCCESS;
}

int cmd_stats(int argc, char **argv)
{
	const char *opt, *dir;
	struct json_writer w;
	struct kv_list stats;
	size_t k;
	char *s;
	int i;

	SIMPLE_OPTS(1, "usage: patchstorm stats [--json] [--debugfs DIR]\n"
		    "  the module's counters as key=value lines (or a JSON object)\n");
	s = live_read(argv[0], dir, "stats");
	if (!s)
		return PS_EXIT_ENV;
	if (i < argc) {		/* --json */
		kv_init(&stats);
		kv_parse_lines(&stats, s);
		json_init(&w, stdout);
		json_begin_object(&w, NULL);
		for (k = 0; k < stats.n; k++)
			json_auto(&w, stats.items[k].key,
				  stats.items[k].value);
		json_end_object(&w);
		json_finish(&w);
		kv_free(&stats);
	} else {
		fputs(s, stdout);
	}
	free(s);
	return PS_EXIT_SUCCESS;
}

int cmd_hist(int argc, char **argv)
{
	static const char usage[] =
		"usage: patchstorm hist [--debugfs DIR] [NAME]\n"
		"  without NAME: list the histograms; with NAME: percentiles and a bar chart\n";
	const char *opt, *dir;
	struct ps_results r;
	struct sbuf sb;
	char err[512];
	size_t k;
	int i, ret = PS_EXIT_SUCCESS;

	SIMPLE_OPTS(1, usage);
	if (results_load_dir(&r, dir, err, sizeof(err))) {
		results_free(&r);
		return cmd_error(argv[0], PS_EXIT_ENV, "%s", err);
	}
	sb_init(&sb);
	if (i == argc) {
		for (k = 0; k < r.nr_hists; k++)
			sb_printf(&sb, "%-40s count %llu\n", r.hists[k].name,
				  r.hists[k].h->count);
		if (!r.nr_hists)
			sb_printf(&sb, "no histograms in %s/hist\n", dir);
	} else {
		const struct ps_named_hist *nh = results_hist(&r, argv[i]);

		if (nh) {
			report_hist_text(&sb, nh->name, nh->h);
		} else {
			ret = cmd_error(argv[0], PS_EXIT_USAGE,
					"no histogram \"%s\"; `patchstorm hist` lists them",
					argv[i]);
		}
	}
	fputs(sb.s ? sb.s : "", stdout);
	sb_free(&sb);
	results_free(&r);
	return ret;
}

int cmd_anomalies(int argc, char **argv)
{
	const char *opt, *dir;
	struct ps_results r;
	struct sbuf sb;
	char *s;
	int i;

	SIMPLE_OPTS(0, "usage: patchstorm anomalies [--debugfs DIR]\n");
	s = live_read(argv[0], dir, "anomalies");
	if (!s)
		return PS_EXIT_ENV;
	results_init(&r);
	results_parse_anomalies(&r, s);
	free(s);
	sb_init(&sb);
	if (r.nr_anomalies)
		report_anomalies_text(&sb, &r, 0);
	else
		sb_puts(&sb, "no anomalies\n");
	fputs(sb.s, stdout);
	sb_free(&sb);
	results_free(&r);
	return PS_EXIT_SUCCESS;
}

static int control(const char *dir, const char *word)
{
	int r = ps_df_write(dir, "control", word);

	if (!r)
		return 0;
	return -r;
}

int cmd_stop(int argc, char **argv)
{
	const char *opt, *dir, *state;
	struct kv_list stats;
	char *s = NULL;
	int i, e, tries;

	SIMPLE_OPTS(0, "usage: patchstorm stop [--debugfs DIR]\n"
		    "  stop a running storm (exit 0 also when none is running)\n");
	e = control(dir, "stop\n");
	if (e) {
		/* nothing to stop is not an error: the goal is reached */
		kv_init(&stats);
		s = ps_df_read(dir, "stats");
		kv_parse_lines(&stats, s);
		free(s);
		state = kv_get(&stats, "state");
		if (state && strcmp(state, "running")) {
			fprintf(stderr, "patchstorm stop: no storm is running (state %s)\n",
				state);
			kv_free(&stats);
			return PS_EXIT_SUCCESS;
		}
		kv_free(&stats);
		s = ps_last_error(dir);
		cmd_error(argv[0], PS_EXIT_ENV, "%s: %s", strerror(e),
			  s ? s : ps_control_hint("stop", e));
		free(s);
		return PS_EXIT_ENV;
	}
	/* wait (up to 10 s) for the storm to wind down, then show the verdict */
	kv_init(&stats);
	for (tries = 0; tries < 100; tries++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		kv_free(&stats);
		free(s);
		s = ps_df_read(dir, "stats");
		kv_parse_lines(&stats, s);
		state = kv_get(&stats, "state");
		if (!state || strcmp(state, "running"))
			break;
		nanosleep(&ts, NULL);
	}
	free(s);
	state = kv_get(&stats, "state");
	printf("stopped: state %s, verdict %s\n", state ? state : "unknown",
	       kv_get(&stats, "verdict") ? kv_get(&stats, "verdict") :
	       "NONE");
	kv_free(&stats);
	return PS_EXIT_SUCCESS;
}

int cmd_reset(int argc, char **argv)
{
	const char *opt, *dir;
	int i, e;

	SIMPLE_OPTS(0, "usage: patchstorm reset [--debugfs DIR]\n"
		    "  clear the counters, histograms and anomalies of the last storm\n");
	e = control(dir, "reset\n");
	if (e) {
		char *why = ps_last_error(dir);

		cmd_error(argv[0], PS_EXIT_ENV, "%s: %s", strerror(e),
			  why ? why : ps_control_hint("reset", e));
		free(why);
		return PS_EXIT_ENV;
	}
	return PS_EXIT_SUCCESS;
}

int cmd_caps(int argc, char **argv)
{
	const char *opt, *dir;
	char *s;
	int i;

	SIMPLE_OPTS(0, "usage: patchstorm caps [--debugfs DIR]\n"
		    "  what this kernel and module support (key=value)\n");
	s = live_read(argv[0], dir, "caps");
	if (!s)
		return PS_EXIT_ENV;
	fputs(s, stdout);
	free(s);
	return PS_EXIT_SUCCESS;
}

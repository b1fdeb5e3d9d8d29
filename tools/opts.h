/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line parsing and validation of the storm options. */
#ifndef PS_OPTS_H
#define PS_OPTS_H

#include <stddef.h>
#include "kv.h"

struct run_opts {
	const char *module;	/* --module PATH.ko */
	const char *debugfs;	/* --debugfs DIR */
	const char *json;	/* --json FILE */
	const char *save;	/* --save DIR */
	const char *trace;	/* --trace FILE: trace-cmd record -e patchstorm */
	int quiet;
	int help;
	int dry_run;	/* --dry-run: validate and print, touch nothing */
	/* validated module config, key=value in command-line order */
	struct kv_list config;
};

void run_opts_init(struct run_opts *o);
void run_opts_free(struct run_opts *o);

/*
 * Parse `patchstorm run` arguments (argv[0] is the first option). Both
 * "--opt value" and "--opt=value". 0 on success; on error a one-line
 * message naming the option and the fix in @err, and -1.
 */
int opts_parse_run(int argc, char **argv, struct run_opts *o,
		   char *err, size_t errlen);

/*
 * Validate (and normalise into @out) the value of module config key @key,
 * e.g. "duration" accepts "90", "90s", "2m", "1h". 0, or -1 with the reason
 * and the accepted form in @err (without the option name).
 */
int opts_check_value(const char *key, const char *value, char *out,
		     size_t outlen, char *err, size_t errlen);

/* Parse a cpulist ("0-3,5"); highest CPU in *max_cpu. 0 or -1. */
int parse_cpulist(const char *s, unsigned int *max_cpu);

/* Config as the text written to the module's config file. */
char *opts_config_text(const struct kv_list *config);

/* Help for `patchstorm run`, its knob options from the module's table. */
const char *run_usage(void);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's patching state, to check that a storm leaves it as found:
 * a snapshot before the storm, another after it (before rmmod: after it a
 * leaked probe only shows as [GONE]), and their differences.
 */
#ifndef PS_KSTATE_H
#define PS_KSTATE_H

#include <stdio.h>

enum {
	PS_KS_FTRACE,		/* tracefs enabled_functions: sites and ops */
	PS_KS_KPROBES,		/* debugfs kprobes/list */
	PS_KS_KEYS,		/* the module's keys file: its static keys */
	PS_KS_NR
};

struct ps_kstate {
	/* normalized lines of each source, or NULL: could not be read */
	char *part[PS_KS_NR];
};

/*
 * Take a snapshot: the module's keys from @moddir (NULL: none), the
 * kernel's own files only when @kernel is set (not for a --debugfs
 * stand-in).
 */
void ps_kstate_take(struct ps_kstate *s, const char *moddir, int kernel);
void ps_kstate_free(struct ps_kstate *s);

/*
 * What differs in @now from @before, one line each ("kprobe left: ...",
 * "static key changed: ..."), over the sources both could read; NULL
 * when nothing does. Caller frees.
 */
char *ps_kstate_diff(const struct ps_kstate *before,
		     const struct ps_kstate *now);

/* Which sources a snapshot could read ("enabled_functions, ..."). */
const char *ps_kstate_sources(const struct ps_kstate *s, char *buf,
			      size_t len);

/*
 * One source's text as compared (a line each, words single-spaced,
 * 0x... addresses left out; kprobes: without the probe's address).
 * Caller frees.
 */
char *ps_kstate_normalize(int src, const char *text);

/* A snapshot as text (sections "[NAME]"), and back; 0 or -1. */
int ps_kstate_write(const struct ps_kstate *s, FILE *f);
int ps_kstate_parse(struct ps_kstate *s, const char *text);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test harness. A test is a function; it fails if any CHECK in it
 * fails (the first few failures are printed with file:line). A test that
 * cannot run here (not root, a tool missing) calls t_skip() with the
 * reason: it counts as skipped, never as passed, unless a check failed.
 * The runner prints one line per failed or skipped test and ends with
 * "N passed, N failed, N skipped".
 */
#ifndef PS_TEST_H
#define PS_TEST_H

#include <stdio.h>
#include <string.h>
#include "hist_buckets.h"

extern int t_failures;		/* failed checks in the current test */
extern const char *t_cli;	/* path of the patchstorm binary */

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void t_run(const char *name, void (*fn)(void));
/* The current test cannot (fully) run here: skipped, with this reason. */
void t_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define RUN(fn) t_run(#fn, fn)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			t_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_U64(a, b)							\
	do {								\
		u64 a_ = (a), b_ = (b);					\
		if (a_ != b_)						\
			t_fail(__FILE__, __LINE__, "%s == %llu, want %llu", \
			       #a, a_, b_);				\
	} while (0)

#define CHECK_INT(a, b)							\
	do {								\
		long a_ = (a), b_ = (b);				\
		if (a_ != b_)						\
			t_fail(__FILE__, __LINE__, "%s == %ld, want %ld", \
			       #a, a_, b_);				\
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *a_ = (a), *b_ = (b);			\
		if ((a_ || b_) && (!a_ || !b_ || strcmp(a_, b_)))	\
			t_fail(__FILE__, __LINE__,			\
			       "%s == \"%s\", want \"%s\"", #a,		\
			       a_ ? a_ : "(null)", b_ ? b_ : "(null)");	\
	} while (0)

/* @text is valid JSON for python3's json module (no python3: a skip). */
#define CHECK_JSON(text)						\
	do {								\
		int r_ = t_python_json_ok(text);			\
		if (r_ < 0)						\
			t_skip("no python3 to validate the JSON");	\
		else if (!r_)						\
			t_fail(__FILE__, __LINE__,			\
			       "%s is not valid JSON", #text);		\
	} while (0)

#define CHECK_HAS(hay, needle)						\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (!h_ || !strstr(h_, n_))				\
			t_fail(__FILE__, __LINE__,			\
			       "%s does not contain \"%s\":\n%.800s", #hay, \
			       n_, h_ ? h_ : "(null)");			\
	} while (0)

#define CHECK_LACKS(hay, needle)					\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (h_ && strstr(h_, n_))				\
			t_fail(__FILE__, __LINE__,			\
			       "%s contains \"%s\":\n%s", #hay, n_, h_); \
	} while (0)

/* Suites, one per source file. */
void suite_hist(void);
void suite_kv(void);
void suite_json(void);
void suite_opts(void);
void suite_report(void);
void suite_compare(void);
void suite_plot(void);
void suite_cli(void);
void suite_ktap(void);
void suite_doctor(void);
void suite_kstate(void);

/* Helpers for tests. */
/* Fresh temporary directory (removed at exit); the string is not freed. */
const char *t_tmpdir(void);
/* Write @text to DIR/NAME (creating DIR/NAME's parent). */
void t_write(const char *dir, const char *name, const char *text);
/* Is @text valid JSON according to python3's json module? (1/0, -1: no python) */
int t_python_json_ok(const char *text);

/*
 * Fill @dir like the module's debugfs directory after a storm with
 * @verdict (SUCCESS: no anomalies; FAILURE: two anomalies): the files and
 * keys the module writes (tests/integration/lib.sh check_fake_debugfs
 * compares them with a real guest run's; `patchstorm-tests --fake-debugfs
 * DIR STATE VERDICT` writes one).
 */
void t_fake_debugfs(const char *dir, const char *state, const char *verdict);
/* Read a whole file (for asserting on output files); caller frees. */
char *t_read(const char *path);

#endif

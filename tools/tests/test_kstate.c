// SPDX-License-Identifier: GPL-2.0
/* Left as found (kstate.c): normalizing, comparing, the saved form. */
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include "kstate.h"

static void set(struct ps_kstate *s, const char *ftrace, const char *kp,
		const char *keys)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (ftrace)
		fprintf(f, "[enabled_functions]\n%s", ftrace);
	if (kp)
		fprintf(f, "[kprobes]\n%s", kp);
	if (keys)
		fprintf(f, "[keys]\n%s", keys);
	fclose(f);
	CHECK_INT(ps_kstate_parse(s, text), 0);
	free(text);
}

static void test_same(void)
{
	struct ps_kstate a, b;

	set(&a, "vfs_read (1) R\n", "k vfs_read+0x0 [FTRACE]\n", "victim_key 0\n");
	set(&b, "vfs_read (1) R\n", "k vfs_read+0x0 [FTRACE]\n", "victim_key 0\n");
	CHECK(ps_kstate_diff(&a, &b) == NULL);
	ps_kstate_free(&a);
	ps_kstate_free(&b);
}

static void test_left(void)
{
	struct ps_kstate a, b;
	char *d;

	set(&a, "", "", "victim_key 0\ntp:sched_switch 0\n");
	set(&b, "victim_leaf (1) R ->ps_ftrace_fn+0x0/0x20 [patchstorm]\n",
	    "k victim_leaf+0x4 [FTRACE]\n", "victim_key 1\ntp:sched_switch 0\n");
	d = ps_kstate_diff(&a, &b);
	CHECK(d != NULL);
	CHECK(d && strstr(d, "ftrace site left: victim_leaf (1) R ->ps_ftrace_fn+0x0/0x20 [patchstorm]\n"));
	CHECK(d && strstr(d, "kprobe left: k victim_leaf+0x4 [FTRACE]\n"));
	CHECK(d && strstr(d, "static key victim_key changed: 0 before, 1 now\n"));
	CHECK(d && !strstr(d, "sched_switch"));
	free(d);
	/* and the other way: something that was there is gone */
	d = ps_kstate_diff(&b, &a);
	CHECK(d && strstr(d, "kprobe gone: k victim_leaf+0x4 [FTRACE]\n"));
	free(d);
	ps_kstate_free(&a);
	ps_kstate_free(&b);
}

/* a source one snapshot could not read is not compared */
static void test_unread(void)
{
	struct ps_kstate a, b;

	set(&a, NULL, "", NULL);
	set(&b, "vfs_read (1) R\n", "", "victim_key 1\n");
	CHECK(ps_kstate_diff(&a, &b) == NULL);
	ps_kstate_free(&a);
	ps_kstate_free(&b);
}

static void test_normalize(void)
{
	char *n;

	n = ps_kstate_normalize(PS_KS_FTRACE,
		"vfs_read (1) R   \ttramp: 0xffffffffc0201000 (ps_fixture_ftrace+0x0/0x10 [ps_fixture]) ->ps_fixture_ftrace+0x0/0x10 [ps_fixture]\n\n");
	CHECK_STR(n, "vfs_read (1) R tramp: (ps_fixture_ftrace+0x0/0x10 [ps_fixture]) ->ps_fixture_ftrace+0x0/0x10 [ps_fixture]\n");
	free(n);
	n = ps_kstate_normalize(PS_KS_KPROBES,
		"ffffffff8123a000  k  vfs_read+0x0    [FTRACE]\nffffffff81000000  r  do_exit+0x0\n");
	CHECK_STR(n, "k vfs_read+0x0 [FTRACE]\nr do_exit+0x0\n");
	free(n);
	n = ps_kstate_normalize(PS_KS_KEYS, "");
	CHECK_STR(n, "");
	free(n);
}

static void test_parse(void)
{
	struct ps_kstate s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	CHECK_INT(ps_kstate_parse(&s, "[nonsense]\nx\n"), -1);
	CHECK_INT(ps_kstate_parse(&s, "a line before any section\n"), -1);
	CHECK_INT(ps_kstate_parse(&s, "[keys]\na 0\n[keys]\n"), -1);
	set(&s, "f (2) R\n", NULL, "a 0\n");
	f = open_memstream(&text, &len);
	CHECK_INT(ps_kstate_write(&s, f), 0);
	fclose(f);
	CHECK_STR(text, "[enabled_functions]\nf (2) R\n[keys]\na 0\n");
	free(text);
	ps_kstate_free(&s);
}

void suite_kstate(void)
{
	RUN(test_same);
	RUN(test_left);
	RUN(test_unread);
	RUN(test_normalize);
	RUN(test_parse);
}

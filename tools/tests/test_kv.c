// SPDX-License-Identifier: GPL-2.0
/* key=value parsing (kv.c) and number helpers (util.c). */
#include "test.h"

#include <stdlib.h>
#include "kv.h"
#include "util.h"

static void test_parse_lines(void)
{
	struct kv_list l;

	kv_init(&l);
	CHECK_INT(kv_parse_lines(&l,
		  "state=running\n# comment\n\n  verdict = NONE \r\n"
		  "reason=a=b c\ntoggles.ftrace-filter.enable=12\nempty=\n"
		  "future.key=7"), 0);
	CHECK_INT(l.n, 6);
	CHECK_STR(l.items[0].key, "state");
	CHECK_STR(kv_get(&l, "verdict"), "NONE");
	CHECK_STR(kv_get(&l, "reason"), "a=b c");
	CHECK_STR(kv_get(&l, "empty"), "");
	CHECK_U64(kv_u64(&l, "toggles.ftrace-filter.enable", 0), 12);
	/* unknown keys are kept, in order, last line without newline too */
	CHECK_STR(l.items[5].key, "future.key");
	CHECK_STR(kv_get(&l, "nope"), NULL);
	kv_free(&l);
}

static void test_malformed(void)
{
	struct kv_list l;

	kv_init(&l);
	CHECK_INT(kv_parse_lines(&l, "good=1\nno equals\n=novalue\nok=2\n"),
		  2);
	CHECK_INT(l.n, 2);
	CHECK_STR(kv_get(&l, "ok"), "2");
	kv_free(&l);
}

static void test_fields(void)
{
	struct kv_list l;

	kv_init(&l);
	CHECK_INT(kv_parse_fields(&l,
		  "kind=torn cpu=3\taddr=0xffffffff81000000 bytes=13000000"), 0);
	CHECK_INT(l.n, 4);
	CHECK_STR(kv_get(&l, "cpu"), "3");
	CHECK_STR(kv_get(&l, "addr"), "0xffffffff81000000");
	CHECK_INT(kv_parse_fields(&l, "junk x=1"), 1);
	CHECK_INT(l.n, 5);
	kv_free(&l);
	/* the module's %pS addresses: "sym+0x0/0x1c [patchstorm]" */
	CHECK_INT(kv_parse_fields(&l,
		  "kind=stale cpu=1 addr=victim_key+0x0/0x1c [patchstorm] bytes=0000000000000001 seq=7"), 0);
	CHECK_INT(l.n, 5);
	CHECK_STR(kv_get(&l, "addr"), "victim_key+0x0/0x1c [patchstorm]");
	CHECK_STR(kv_get(&l, "bytes"), "0000000000000001");
	CHECK_STR(kv_get(&l, "seq"), "7");
	kv_free(&l);
}

static void test_numbers(void)
{
	struct kv_list l;
	u64 v = 77;

	kv_init(&l);
	kv_parse_lines(&l, "max=18446744073709551615\nover=18446744073709551616\n"
		       "neg=-1\nhex=0x10\nsp=1 2\n");
	CHECK_INT(kv_get_u64(&l, "max", &v), 0);
	CHECK_U64(v, ~0ULL);
	CHECK_INT(kv_get_u64(&l, "over", &v), -1);
	CHECK_INT(kv_get_u64(&l, "neg", &v), -1);
	CHECK_INT(kv_get_u64(&l, "hex", &v), -1);
	CHECK_INT(kv_get_u64(&l, "sp", &v), -1);
	CHECK_INT(kv_get_u64(&l, "missing", &v), -1);
	CHECK_U64(kv_u64(&l, "neg", 5), 5);
	kv_set(&l, "neg", "9");
	CHECK_U64(kv_u64(&l, "neg", 5), 9);
	CHECK_INT(l.n, 5);
	kv_free(&l);
}

static void test_fmt(void)
{
	char b[32];

	CHECK_STR(fmt_ns(850, b, sizeof(b)), "850ns");
	CHECK_STR(fmt_ns(12345, b, sizeof(b)), "12.3us");
	CHECK_STR(fmt_ns(4560000, b, sizeof(b)), "4.56ms");
	CHECK_STR(fmt_ns(1200000000, b, sizeof(b)), "1.20s");
	CHECK_STR(fmt_count(999, b, sizeof(b)), "999");
	CHECK_STR(fmt_count(12345, b, sizeof(b)), "12.3k");
	CHECK_STR(fmt_count(4560000, b, sizeof(b)), "4.56M");
}

static void test_sbuf(void)
{
	struct sbuf sb;
	char *s;
	int i;

	sb_init(&sb);
	for (i = 0; i < 1000; i++)
		sb_printf(&sb, "%d,", i);
	sb_puts(&sb, "end");
	CHECK_INT(strlen(sb.s), sb.len);
	CHECK(!strncmp(sb.s, "0,1,2,", 6));
	s = sb_steal(&sb);
	CHECK(strstr(s, "999,end") != NULL);
	CHECK(sb.s == NULL);
	free(s);
}

void suite_kv(void)
{
	RUN(test_parse_lines);
	RUN(test_malformed);
	RUN(test_fields);
	RUN(test_numbers);
	RUN(test_fmt);
	RUN(test_sbuf);
}

// SPDX-License-Identifier: GPL-2.0
/* JSON writer and reader (json.c, json_read.c). */
#include "test.h"

#include <stdlib.h>
#include "json.h"
#include "util.h"

static char *write_sample(void)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_init(&w, f);
	json_begin_object(&w, NULL);
	json_u64(&w, "schema", 1);
	json_u64(&w, "big", ~0ULL);
	json_string(&w, "esc", "q\"b\\n\n\t\x01 é");
	json_double(&w, "rate", 1234.5);
	json_double(&w, "whole", 3);
	json_double(&w, "nan", 0.0 / 0.0);
	json_bool(&w, "yes", 1);
	json_null(&w, "nothing");
	json_auto(&w, "num", "42");
	json_auto(&w, "lead0", "0013");
	json_auto(&w, "zero", "0");
	json_auto(&w, "str", "0xff");
	json_begin_array(&w, "empty");
	json_end_array(&w);
	json_begin_object(&w, "eobj");
	json_end_object(&w);
	json_begin_array(&w, "rows");
	json_begin_array_inline(&w, NULL);
	json_u64(&w, NULL, 1);
	json_u64(&w, NULL, 2);
	json_end_array(&w);
	json_begin_object(&w, NULL);
	json_string(&w, "k", "v");
	json_end_object(&w);
	json_end_array(&w);
	json_end_object(&w);
	json_finish(&w);
	fclose(f);
	return buf;
}

static void test_writer_valid(void)
{
	char *s = write_sample();

	CHECK_HAS(s, "\"schema\": 1");
	CHECK_HAS(s, "\"big\": 18446744073709551615");
	CHECK_HAS(s, "\"esc\": \"q\\\"b\\\\n\\n\\t\\u0001 é\"");
	CHECK_HAS(s, "\"nan\": null");
	CHECK_HAS(s, "\"num\": 42");
	CHECK_HAS(s, "\"lead0\": \"0013\"");
	CHECK_HAS(s, "\"zero\": 0");
	CHECK_HAS(s, "\"str\": \"0xff\"");
	CHECK_HAS(s, "\"empty\": []");
	CHECK_HAS(s, "\"rows\": [\n    [1, 2],\n    {\n      \"k\": \"v\"\n    }\n  ]");
	CHECK_JSON(s);
	free(s);
}

static void test_python_rejects_broken(void)
{
	/* the validator itself must be able to fail */
	int r = t_python_json_ok("{\"a\": 1,}");

	if (r < 0)
		t_skip("no python3");
	CHECK(r <= 0);
}

static void test_reader_roundtrip(void)
{
	char *s = write_sample(), err[128];
	struct jv *v = jv_parse(s, err, sizeof(err));
	const struct jv *rows;

	CHECK(v != NULL);
	if (!v) {
		free(s);
		return;
	}
	CHECK_U64(jv_u64(jv_get(v, "schema")), 1);
	CHECK_U64(jv_u64(jv_get(v, "big")), ~0ULL);
	CHECK_STR(jv_text(jv_get(v, "esc")), "q\"b\\n\n\t\x01 é");
	CHECK_STR(jv_text(jv_get(v, "rate")), "1234.5");
	CHECK(jv_get(v, "yes")->type == JV_BOOL && jv_get(v, "yes")->b);
	CHECK(jv_get(v, "nothing")->type == JV_NULL);
	rows = jv_get(v, "rows");
	CHECK(rows && rows->type == JV_ARRAY && rows->n == 2);
	CHECK_U64(jv_u64(rows->items[0]->items[1]), 2);
	CHECK_STR(jv_text(jv_get(rows->items[1], "k")), "v");
	CHECK(jv_get(v, "missing") == NULL);
	jv_free(v);
	free(s);
	/* numbers no u64 holds saturate (a cast would be undefined) */
	v = jv_parse("{\"a\": 1e308, \"b\": -1e308, \"c\": 1.5e19, \"d\": 2.5}",
		     err, sizeof(err));
	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_U64(jv_u64(jv_get(v, "a")), ~0ULL);
	CHECK_U64(jv_u64(jv_get(v, "b")), 0);
	CHECK_U64(jv_u64(jv_get(v, "c")), 15000000000000000000ULL);
	CHECK_U64(jv_u64(jv_get(v, "d")), 2);
	jv_free(v);
}

static void test_reader_errors(void)
{
	static const char *const bad[] = {
		"", "{", "{\"a\" 1}", "[1,]", "{\"a\": 1,}", "[1] x",
		"\"unterminated", "{\"a\": tru}", "[\"\\x\"]", "{1: 2}",
	};
	char err[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct jv *v = jv_parse(bad[i], err, sizeof(err));

		if (v) {
			t_fail(__FILE__, __LINE__, "accepted: %s", bad[i]);
			jv_free(v);
		}
	}
	CHECK(jv_parse("[1,", err, sizeof(err)) == NULL);
	CHECK_HAS(err, "offset 3");
}

void suite_json(void)
{
	RUN(test_writer_valid);
	RUN(test_python_rejects_broken);
	RUN(test_reader_roundtrip);
	RUN(test_reader_errors);
}

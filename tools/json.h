/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal streaming JSON writer (pretty-printed, 2-space indent) and a
 * small DOM reader for the files the writer produces.
 *
 * Writer: every call takes a @key; pass NULL inside arrays (and for the
 * top-level value).
 */
#ifndef PS_JSON_H
#define PS_JSON_H

#include <stdio.h>
#include "hist_buckets.h"	/* u64 */

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *f;
	int depth;
	int count[JSON_MAX_DEPTH];	/* members written at each level */
	int inline_from;		/* depth of an inline container, or 0 */
};

void json_init(struct json_writer *w, FILE *f);
void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
/* An array written on one line: [1, 2, 3] (close with json_end_array). */
void json_begin_array_inline(struct json_writer *w, const char *key);
void json_u64(struct json_writer *w, const char *key, u64 v);
/* Non-finite values are written as null. */
void json_double(struct json_writer *w, const char *key, double v);
void json_string(struct json_writer *w, const char *key, const char *s);
void json_bool(struct json_writer *w, const char *key, int v);
void json_null(struct json_writer *w, const char *key);
/* A number if @s is an unsigned decimal, else a string. */
void json_auto(struct json_writer *w, const char *key, const char *s);
/* Ends the document with a newline. */
void json_finish(struct json_writer *w);

/* Reader. */
enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	int b;
	double num;
	char *str;		/* string value, or number text as written */
	size_t n;		/* array/object members */
	struct jv **items;
	char **keys;		/* object member names */
};

/* Parse @text; NULL and a message in @err on a syntax error. */
struct jv *jv_parse(const char *text, char *err, size_t errlen);
void jv_free(struct jv *v);
const struct jv *jv_get(const struct jv *obj, const char *key);
/* Number as u64 (exact when written as an integer); 0 if not a number. */
u64 jv_u64(const struct jv *v);
/* String of a string, or the text of a number; NULL otherwise. */
const char *jv_text(const struct jv *v);

#endif

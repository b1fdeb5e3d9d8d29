// SPDX-License-Identifier: GPL-2.0
/* JSON writer. */
#include "json.h"

#include <math.h>
#include "util.h"

void json_init(struct json_writer *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->count[0] = 0;
	w->inline_from = 0;
}

static void json_indent(struct json_writer *w)
{
	int i;

	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

static void json_put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value. */
static void json_member(struct json_writer *w, const char *key)
{
	if (w->depth > 0) {
		if (w->count[w->depth]++)
			fputs(w->inline_from ? ", " : ",", w->f);
		if (!w->inline_from)
			json_indent(w);
	}
	if (key) {
		json_put_string(w->f, key);
		fputs(": ", w->f);
	}
}

static void json_open(struct json_writer *w, const char *key, char c)
{
	json_member(w, key);
	fputc(c, w->f);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->count[w->depth] = 0;
}

static void json_close(struct json_writer *w, char c)
{
	int had = w->count[w->depth];

	if (w->inline_from && w->depth == w->inline_from) {
		w->inline_from = 0;
		w->depth--;
		fputc(c, w->f);
		return;
	}
	if (w->depth > 0)
		w->depth--;
	if (had && !w->inline_from)
		json_indent(w);
	fputc(c, w->f);
}

void json_begin_object(struct json_writer *w, const char *key)
{
	json_open(w, key, '{');
}

void json_end_object(struct json_writer *w)
{
	json_close(w, '}');
}

void json_begin_array(struct json_writer *w, const char *key)
{
	json_open(w, key, '[');
}

void json_end_array(struct json_writer *w)
{
	json_close(w, ']');
}

void json_begin_array_inline(struct json_writer *w, const char *key)
{
	json_open(w, key, '[');
	if (!w->inline_from)
		w->inline_from = w->depth;
}

void json_u64(struct json_writer *w, const char *key, u64 v)
{
	json_member(w, key);
	fprintf(w->f, "%llu", v);
}

void json_double(struct json_writer *w, const char *key, double v)
{
	json_member(w, key);
	if (!isfinite(v))
		fputs("null", w->f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(w->f, "%.1f", v);
	else
		fprintf(w->f, "%.6g", v);
}

void json_string(struct json_writer *w, const char *key, const char *s)
{
	json_member(w, key);
	json_put_string(w->f, s ? s : "");
}

void json_bool(struct json_writer *w, const char *key, int v)
{
	json_member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void json_null(struct json_writer *w, const char *key)
{
	json_member(w, key);
	fputs("null", w->f);
}

void json_auto(struct json_writer *w, const char *key, const char *s)
{
	u64 v;

	/* canonical decimals only: "007" stays a string */
	if (s && !parse_u64(s, &v) && (s[0] != '0' || !s[1]))
		json_u64(w, key, v);
	else
		json_string(w, key, s);
}

void json_finish(struct json_writer *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}

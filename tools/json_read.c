// SPDX-License-Identifier: GPL-2.0
/* Small recursive-descent JSON reader (RFC 8259 subset: no \u surrogates). */
#include "json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

struct jparser {
	const char *p;
	const char *start;
	char *err;
	size_t errlen;
	int failed;
};

static void jfail(struct jparser *jp, const char *what)
{
	if (jp->failed)
		return;
	jp->failed = 1;
	snprintf(jp->err, jp->errlen, "JSON syntax error at offset %ld: %s",
		 (long)(jp->p - jp->start), what);
}

static void jskip(struct jparser *jp)
{
	while (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' ||
	       *jp->p == '\r')
		jp->p++;
}

static struct jv *jnew(enum jv_type t)
{
	struct jv *v = xcalloc(1, sizeof(*v));

	v->type = t;
	return v;
}

static void jappend(struct jv *v, char *key, struct jv *item)
{
	v->items = xrealloc(v->items, (v->n + 1) * sizeof(*v->items));
	v->items[v->n] = item;
	if (v->type == JV_OBJECT) {
		v->keys = xrealloc(v->keys, (v->n + 1) * sizeof(*v->keys));
		v->keys[v->n] = key;
	}
	v->n++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *jstring(struct jparser *jp)
{
	struct sbuf sb;

	sb_init(&sb);
	if (*jp->p != '"') {
		jfail(jp, "expected string");
		return NULL;
	}
	jp->p++;
	while (*jp->p != '"') {
		char c = *jp->p;

		if (!c || (unsigned char)c < 0x20) {
			jfail(jp, "unterminated string");
			sb_free(&sb);
			return NULL;
		}
		if (c == '\\') {
			char tmp[5] = { 0 };
			int i, cp = 0;

			jp->p++;
			switch (*jp->p) {
			case '"': case '\\': case '/':
				tmp[0] = *jp->p;
				break;
			case 'n': tmp[0] = '\n'; break;
			case 't': tmp[0] = '\t'; break;
			case 'r': tmp[0] = '\r'; break;
			case 'b': tmp[0] = '\b'; break;
			case 'f': tmp[0] = '\f'; break;
			case 'u':
				for (i = 1; i <= 4; i++) {
					int h = hexval(jp->p[i]);

					if (h < 0) {
						jfail(jp, "bad \\u escape");
						sb_free(&sb);
						return NULL;
					}
					cp = cp * 16 + h;
				}
				jp->p += 4;
				if (cp < 0x80) {
					tmp[0] = (char)cp;
				} else if (cp < 0x800) {
					tmp[0] = (char)(0xc0 | (cp >> 6));
					tmp[1] = (char)(0x80 | (cp & 0x3f));
				} else {
					tmp[0] = (char)(0xe0 | (cp >> 12));
					tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
					tmp[2] = (char)(0x80 | (cp & 0x3f));
				}
				break;
			default:
				jfail(jp, "bad escape");
				sb_free(&sb);
				return NULL;
			}
			if (!tmp[0])
				tmp[0] = '?';	/* \u0000 */
			sb_puts(&sb, tmp);
			jp->p++;
			continue;
		}
		sb_printf(&sb, "%c", c);
		jp->p++;
	}
	jp->p++;
	return sb_steal(&sb);
}

static struct jv *jvalue(struct jparser *jp, int depth);

static struct jv *jcontainer(struct jparser *jp, int depth, int is_obj)
{
	struct jv *v = jnew(is_obj ? JV_OBJECT : JV_ARRAY);
	char close = is_obj ? '}' : ']';

	jp->p++;
	jskip(jp);
	if (*jp->p == close) {
		jp->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jv *item;

		jskip(jp);
		if (is_obj) {
			key = jstring(jp);
			if (!key)
				break;
			jskip(jp);
			if (*jp->p != ':') {
				free(key);
				jfail(jp, "expected ':'");
				break;
			}
			jp->p++;
		}
		item = jvalue(jp, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		jappend(v, key, item);
		jskip(jp);
		if (*jp->p == ',') {
			jp->p++;
			continue;
		}
		if (*jp->p == close) {
			jp->p++;
			return v;
		}
		jfail(jp, is_obj ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	jv_free(v);
	return NULL;
}

static struct jv *jnumber(struct jparser *jp)
{
	const char *s = jp->p;
	struct jv *v;
	char *end;

	if (*jp->p == '-')
		jp->p++;
	if (*jp->p < '0' || *jp->p > '9') {
		jfail(jp, "unexpected character");
		return NULL;
	}
	while ((*jp->p >= '0' && *jp->p <= '9') || *jp->p == '.' ||
	       *jp->p == 'e' || *jp->p == 'E' || *jp->p == '+' ||
	       *jp->p == '-')
		jp->p++;
	v = jnew(JV_NUMBER);
	v->str = strndup(s, (size_t)(jp->p - s));
	if (!v->str)
		abort();
	v->num = strtod(v->str, &end);
	if (*end) {
		jv_free(v);
		jfail(jp, "bad number");
		return NULL;
	}
	return v;
}

static struct jv *jvalue(struct jparser *jp, int depth)
{
	struct jv *v;

	jskip(jp);
	if (depth > 64) {
		jfail(jp, "nested too deeply");
		return NULL;
	}
	switch (*jp->p) {
	case '{':
		return jcontainer(jp, depth, 1);
	case '[':
		return jcontainer(jp, depth, 0);
	case '"':
		v = jnew(JV_STRING);
		v->str = jstring(jp);
		if (!v->str) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(jp->p, "true", 4)) {
			v = jnew(JV_BOOL);
			v->b = 1;
			jp->p += 4;
		} else if (!strncmp(jp->p, "false", 5)) {
			v = jnew(JV_BOOL);
			jp->p += 5;
		} else if (!strncmp(jp->p, "null", 4)) {
			v = jnew(JV_NULL);
			jp->p += 4;
		} else {
			jfail(jp, "unexpected word");
			return NULL;
		}
		return v;
	default:
		return jnumber(jp);
	}
}

struct jv *jv_parse(const char *text, char *err, size_t errlen)
{
	struct jparser jp = {
		.p = text, .start = text, .err = err, .errlen = errlen,
	};
	struct jv *v;

	v = jvalue(&jp, 0);
	if (v) {
		jskip(&jp);
		if (*jp.p) {
			jfail(&jp, "trailing characters");
			jv_free(v);
			v = NULL;
		}
	}
	return v;
}

void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		jv_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

u64 jv_u64(const struct jv *v)
{
	u64 r;

	if (!v || v->type != JV_NUMBER)
		return 0;
	if (!parse_u64(v->str, &r))
		return r;
	/* 1e308 is no count: saturate (a cast of it is undefined) */
	if (!(v->num > 0))
		return 0;
	return v->num >= 18446744073709551616.0 ? UINT64_MAX : (u64)v->num;
}

const char *jv_text(const struct jv *v)
{
	if (v && (v->type == JV_STRING || v->type == JV_NUMBER))
		return v->str;
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0
#include "kv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void kv_init(struct kv_list *l)
{
	l->items = NULL;
	l->n = 0;
	l->cap = 0;
}

void kv_free(struct kv_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].value);
	}
	free(l->items);
	kv_init(l);
}

void kv_copy(struct kv_list *dst, const struct kv_list *src)
{
	size_t i;

	kv_init(dst);
	for (i = 0; i < src->n; i++)
		kv_add(dst, src->items[i].key, src->items[i].value);
}

void kv_add(struct kv_list *l, const char *key, const char *value)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->n].key = xstrdup(key);
	l->items[l->n].value = xstrdup(value);
	l->n++;
}

void kv_set(struct kv_list *l, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->items[i].key, key)) {
			free(l->items[i].value);
			l->items[i].value = xstrdup(value);
			return;
		}
	}
	kv_add(l, key, value);
}

/* Add "key=value" from [s, e); 0 on success, 1 if malformed. */
static int kv_add_span(struct kv_list *l, const char *s, const char *e)
{
	const char *eq, *ke, *vs;
	char *key, *value;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if (s == e || *s == '#')
		return 0;
	eq = memchr(s, '=', (size_t)(e - s));
	if (!eq)
		return 1;
	ke = eq;
	while (ke > s && isspace((unsigned char)ke[-1]))
		ke--;
	if (ke == s)
		return 1;
	vs = eq + 1;
	while (vs < e && isspace((unsigned char)*vs))
		vs++;
	key = strndup(s, (size_t)(ke - s));
	value = strndup(vs, (size_t)(e - vs));
	if (!key || !value)
		abort();
	kv_add(l, key, value);
	free(key);
	free(value);
	return 0;
}

int kv_parse_lines(struct kv_list *l, const char *text)
{
	int bad = 0;

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		const char *e = nl ? nl : text + strlen(text);

		bad += kv_add_span(l, text, e);
		text = nl ? nl + 1 : e;
	}
	return bad;
}

/*
 * A word without '=' continues the previous value: the module prints
 * addresses with %pS, "addr=victim_key+0x0/0x1c [patchstorm]".
 */
int kv_parse_fields(struct kv_list *l, const char *line)
{
	size_t first = l->n;
	int bad = 0;

	for (;;) {
		const char *s;

		while (*line && isspace((unsigned char)*line))
			line++;
		if (!*line)
			break;
		s = line;
		while (*line && !isspace((unsigned char)*line))
			line++;
		if (!memchr(s, '=', (size_t)(line - s)) && l->n > first) {
			struct kv *it = &l->items[l->n - 1];
			char *v = xasprintf("%s %.*s", it->value,
					    (int)(line - s), s);

			free(it->value);
			it->value = v;
			continue;
		}
		bad += kv_add_span(l, s, line);
	}
	return bad;
}

const char *kv_get(const struct kv_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->items[i].key, key))
			return l->items[i].value;
	return NULL;
}

int kv_get_u64(const struct kv_list *l, const char *key, u64 *out)
{
	return parse_u64(kv_get(l, key), out);
}

u64 kv_u64(const struct kv_list *l, const char *key, u64 def)
{
	u64 v;

	return kv_get_u64(l, key, &v) ? def : v;
}

int kv_is_number(const char *value)
{
	u64 v;

	return parse_u64(value, &v) == 0;
}

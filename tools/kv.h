/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ordered key=value lists, as read from the module's caps, config, stats
 * and anomalies files. Unknown keys are kept, in order.
 */
#ifndef PS_KV_H
#define PS_KV_H

#include <stddef.h>
#include "hist_buckets.h"	/* u64 */

struct kv {
	char *key;
	char *value;
};

struct kv_list {
	struct kv *items;
	size_t n;
	size_t cap;
};

void kv_init(struct kv_list *l);
void kv_free(struct kv_list *l);
void kv_copy(struct kv_list *dst, const struct kv_list *src);
void kv_add(struct kv_list *l, const char *key, const char *value);
/* Replace the value of @key, or append it. */
void kv_set(struct kv_list *l, const char *key, const char *value);

/*
 * Parse "key=value" lines. Blank lines and lines starting with '#' are
 * skipped; leading/trailing whitespace is trimmed. Returns the number of
 * malformed lines (no '=' or empty key), which are skipped too.
 */
int kv_parse_lines(struct kv_list *l, const char *text);
/*
 * Parse whitespace-separated key=value fields of one line; like above. A
 * word without '=' continues the previous value ("addr=f+0x0/0x8 [mod]").
 */
int kv_parse_fields(struct kv_list *l, const char *line);

const char *kv_get(const struct kv_list *l, const char *key);
/* 0 and *out set if @key exists and is an unsigned decimal; else -1. */
int kv_get_u64(const struct kv_list *l, const char *key, u64 *out);
/* Value of @key as a number, or @def if missing or not a number. */
u64 kv_u64(const struct kv_list *l, const char *key, u64 def);
/* Is @value an unsigned 64-bit decimal? */
int kv_is_number(const char *value);

#endif

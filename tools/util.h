/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers: allocation, files, numbers, a growable string buffer. */
#ifndef PS_UTIL_H
#define PS_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include "hist_buckets.h"	/* u64 */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes shared by every command and script (tools/README.md). */
enum ps_exit {
	PS_EXIT_SUCCESS = 0,
	PS_EXIT_FAILURE = 1,
	PS_EXIT_USAGE = 2,
	PS_EXIT_ENV = 3,
};

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whole file as a NUL-terminated string; NULL with errno set on failure. */
char *read_file(const char *path);
/* "gzip", "xz" or "zstd" when @path starts with that format's magic. */
const char *compressed_with(const char *path);
/*
 * The whole file, decompressed by the program compressed_with() names
 * (ENOENT: no such program, EILSEQ: it failed); binary-safe, length in
 * *len, NUL-terminated. NULL with errno set.
 */
char *read_file_plain(const char *path, size_t *len);
/* One write(2) of @buf; 0 or -errno (so the module's errno comes back). */
int write_file(const char *path, const char *buf);
int is_dir(const char *path);

/* Strict unsigned decimal (no sign, no spaces, no overflow): 0 or -1. */
int parse_u64(const char *s, u64 *out);

/* Human formats into @buf: "850ns", "12.3us", "4.56ms", "1.20s". */
const char *fmt_ns(u64 ns, char *buf, size_t len);
/* "999", "12.3k", "4.56M", "7.89G" */
const char *fmt_count(double v, char *buf, size_t len);

/* Growable string buffer. */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};

void sb_init(struct sbuf *sb);
void sb_free(struct sbuf *sb);
void sb_printf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_puts(struct sbuf *sb, const char *s);
/* Detach the string (caller frees); the buffer is reset. */
char *sb_steal(struct sbuf *sb);

#endif

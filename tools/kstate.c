// SPDX-License-Identifier: GPL-2.0
/*
 * Is the kernel left as found? The functions ftrace has enabled and the
 * ops' callbacks on them (tracefs enabled_functions), the kprobes
 * registered (debugfs kprobes/list) and the static keys a storm flips
 * (the module's keys file), before and after a storm.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kstate.h"
#include "util.h"

static const char *const ks_name[PS_KS_NR] = {
	[PS_KS_FTRACE] = "enabled_functions",
	[PS_KS_KPROBES] = "kprobes",
	[PS_KS_KEYS] = "keys",
};

/* what a line that appeared or went is called in a difference */
static const char *const ks_what[PS_KS_NR] = {
	[PS_KS_FTRACE] = "ftrace site",
	[PS_KS_KPROBES] = "kprobe",
	[PS_KS_KEYS] = "static key",
};

static int is_hex_word(const char *w, size_t n)
{
	size_t i;

	if (n < 3 || w[0] != '0' || w[1] != 'x')
		return 0;
	for (i = 2; i < n; i++)
		if (!strchr("0123456789abcdef", w[i]))
			return 0;
	return 1;
}

/*
 * One line as compared: words separated by single spaces, addresses
 * (0x... words) left out; kprobes: without the first word (the probe's
 * address; its symbol+offset follows).
 */
static void normalize_line(struct sbuf *sb, int src, const char *l, size_t n)
{
	size_t i = 0, w, out = 0;
	int first = 1;

	while (i < n) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		w = i;
		while (i < n && l[i] != ' ' && l[i] != '\t')
			i++;
		if (i == w)
			break;
		if (first && src == PS_KS_KPROBES) {
			first = 0;
			continue;
		}
		first = 0;
		if (is_hex_word(l + w, i - w))
			continue;
		sb_printf(sb, "%s%.*s", out++ ? " " : "", (int)(i - w), l + w);
	}
	if (out)
		sb_puts(sb, "\n");
}

char *ps_kstate_normalize(int src, const char *text)
{
	struct sbuf sb;
	const char *p = text, *nl;

	sb_init(&sb);
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		normalize_line(&sb, src, p, nl - p);
		p = *nl ? nl + 1 : nl;
	}
	return sb_steal(&sb);
}

static char *read_norm(int src, const char *path)
{
	char *raw = read_file(path), *n;

	if (!raw)
		return NULL;
	n = ps_kstate_normalize(src, raw);
	free(raw);
	return n;
}

void ps_kstate_take(struct ps_kstate *s, const char *moddir, int kernel)
{
	static const char *const ftrace[] = {
		"/sys/kernel/tracing/enabled_functions",
		"/sys/kernel/debug/tracing/enabled_functions",
	};
	char *p;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (kernel) {
		for (i = 0; i < sizeof(ftrace) / sizeof(ftrace[0]) &&
		     !s->part[PS_KS_FTRACE]; i++)
			s->part[PS_KS_FTRACE] = read_norm(PS_KS_FTRACE, ftrace[i]);
		s->part[PS_KS_KPROBES] = read_norm(PS_KS_KPROBES,
						   "/sys/kernel/debug/kprobes/list");
	}
	if (moddir) {
		p = xasprintf("%s/keys", moddir);
		s->part[PS_KS_KEYS] = read_norm(PS_KS_KEYS, p);
		free(p);
	}
}

void ps_kstate_free(struct ps_kstate *s)
{
	int i;

	for (i = 0; i < PS_KS_NR; i++) {
		free(s->part[i]);
		s->part[i] = NULL;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of @text, sorted, *n of them, pointing into *copy; the
 * caller frees both. */
static char **sorted_lines(const char *text, size_t *n, char **copy)
{
	char **v = NULL, *p;
	size_t cap = 0;

	*n = 0;
	*copy = xstrdup(text);
	for (p = strtok(*copy, "\n"); p; p = strtok(NULL, "\n")) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = p;
	}
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

/* a key line is "NAME 0|1": its name's length */
static size_t key_name_len(const char *l)
{
	const char *sp = strrchr(l, ' ');

	return sp ? (size_t)(sp - l) : strlen(l);
}

/* @l's key in @v (another snapshot's key lines), or NULL */
static const char *key_in(char **v, size_t n, const char *l)
{
	size_t i, k = key_name_len(l);

	for (i = 0; i < n; i++)
		if (key_name_len(v[i]) == k && !strncmp(v[i], l, k))
			return v[i];
	return NULL;
}

static void diff_keys(struct sbuf *sb, char **b, size_t nb, char **a, size_t na)
{
	const char *o;
	size_t i, k;

	for (i = 0; i < na; i++) {
		o = key_in(b, nb, a[i]);
		k = key_name_len(a[i]);
		if (!o)
			sb_printf(sb, "static key new: %s\n", a[i]);
		else if (strcmp(o, a[i]))
			sb_printf(sb, "static key %.*s changed: %s before, %s now\n",
				  (int)k, a[i], o + k + 1, a[i] + k + 1);
	}
	for (i = 0; i < nb; i++)
		if (!key_in(a, na, b[i]))
			sb_printf(sb, "static key gone: %s\n", b[i]);
}

static void diff_lines(struct sbuf *sb, int src, char **b, size_t nb,
		       char **a, size_t na)
{
	size_t i = 0, j = 0;
	int c;

	while (i < nb || j < na) {
		c = i == nb ? 1 : j == na ? -1 : strcmp(b[i], a[j]);
		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			sb_printf(sb, "%s gone: %s\n", ks_what[src], b[i++]);
		} else {
			sb_printf(sb, "%s left: %s\n", ks_what[src], a[j++]);
		}
	}
}

char *ps_kstate_diff(const struct ps_kstate *before,
		     const struct ps_kstate *now)
{
	struct sbuf sb;
	char **b, **a, *cb, *ca;
	size_t nb, na;
	int src;

	sb_init(&sb);
	for (src = 0; src < PS_KS_NR; src++) {
		if (!before->part[src] || !now->part[src])
			continue;
		b = sorted_lines(before->part[src], &nb, &cb);
		a = sorted_lines(now->part[src], &na, &ca);
		if (src == PS_KS_KEYS)
			diff_keys(&sb, b, nb, a, na);
		else
			diff_lines(&sb, src, b, nb, a, na);
		free(b);
		free(a);
		free(cb);
		free(ca);
	}
	if (!sb.len) {
		sb_free(&sb);
		return NULL;
	}
	return sb_steal(&sb);
}

const char *ps_kstate_sources(const struct ps_kstate *s, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < PS_KS_NR; i++)
		if (s->part[i] && n < len)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      ks_name[i]);
	if (!buf[0])
		snprintf(buf, len, "none");
	return buf;
}

int ps_kstate_write(const struct ps_kstate *s, FILE *f)
{
	int i;

	for (i = 0; i < PS_KS_NR; i++)
		if (s->part[i])
			fprintf(f, "[%s]\n%s", ks_name[i], s->part[i]);
	return ferror(f) ? -1 : 0;
}

int ps_kstate_parse(struct ps_kstate *s, const char *text)
{
	struct sbuf sb[PS_KS_NR];
	const char *p = text, *nl;
	int i, cur = -1, seen[PS_KS_NR] = { 0 };

	memset(s, 0, sizeof(*s));
	for (i = 0; i < PS_KS_NR; i++) {
		sb_init(&sb[i]);
	}
	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (*p == '[') {
			for (cur = -1, i = 0; i < PS_KS_NR; i++)
				if ((size_t)(nl - p) == strlen(ks_name[i]) + 2 &&
				    !strncmp(p + 1, ks_name[i], nl - p - 2) &&
				    p[nl - p - 1] == ']')
					cur = i;
			if (cur < 0 || seen[cur])
				goto bad;
			seen[cur] = 1;
		} else if (cur < 0) {
			goto bad;
		} else {
			sb_printf(&sb[cur], "%.*s\n", (int)(nl - p), p);
		}
		p = *nl ? nl + 1 : nl;
	}
	for (i = 0; i < PS_KS_NR; i++) {
		if (seen[i])
			s->part[i] = sb_steal(&sb[i]);
		else
			sb_free(&sb[i]);
	}
	return 0;
bad:
	for (i = 0; i < PS_KS_NR; i++)
		sb_free(&sb[i]);
	return -1;
}

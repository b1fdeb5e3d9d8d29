// SPDX-License-Identifier: GPL-2.0
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void oom(void)
{
	fputs("patchstorm: out of memory\n", stderr);
	exit(PS_EXIT_ENV);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		oom();
	va_end(ap);
	return s;
}

char *read_file(const char *path)
{
	size_t len = 0, cap = 4096;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (cap - len < 2) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* Everything from @fd, NUL-terminated, its length in *len. */
static char *read_fd_all(int fd, size_t *len)
{
	size_t n = 0, cap = 65536;
	char *buf = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (cap - n < 2) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			errno = e;
			return NULL;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

const char *compressed_with(const char *path)
{
	static const struct {
		unsigned char magic[6];
		size_t n;
		const char *prog;
	} kinds[] = {
		{ { 0x1f, 0x8b }, 2, "gzip" },
		{ { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6, "xz" },
		{ { 0x28, 0xb5, 0x2f, 0xfd }, 4, "zstd" },
	};
	unsigned char head[6] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;
	size_t i;

	if (fd < 0)
		return NULL;
	r = read(fd, head, sizeof(head));
	close(fd);
	for (i = 0; r > 0 && i < ARRAY_SIZE(kinds); i++)
		if ((size_t)r >= kinds[i].n &&
		    !memcmp(head, kinds[i].magic, kinds[i].n))
			return kinds[i].prog;
	return NULL;
}

char *read_file_plain(const char *path, size_t *len)
{
	const char *prog = compressed_with(path);
	int fd, pfd[2], st, e;
	char *buf;
	pid_t pid;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (!prog) {
		buf = read_fd_all(fd, len);
		e = errno;
		close(fd);
		errno = e;
		return buf;
	}
	if (pipe(pfd)) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		close(fd);
		close(pfd[0]);
		close(pfd[1]);
		errno = e;
		return NULL;
	}
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd, STDIN_FILENO);
		dup2(pfd[1], STDOUT_FILENO);
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		execlp(prog, prog, "-dc", (char *)NULL);
		_exit(127);
	}
	close(fd);
	close(pfd[1]);
	buf = read_fd_all(pfd[0], len);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if (buf && (!WIFEXITED(st) || WEXITSTATUS(st))) {
		free(buf);
		buf = NULL;
		errno = WIFEXITED(st) && WEXITSTATUS(st) == 127 ? ENOENT : EILSEQ;
	}
	return buf;
}

int write_file(const char *path, const char *buf)
{
	size_t len = strlen(buf);
	ssize_t r;
	int fd;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		r = write(fd, buf, len);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (close(fd) < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int parse_u64(const char *s, u64 *out)
{
	u64 v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		unsigned int d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned int)(*s - '0');
		if (v > (~0ULL - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static const char *fmt_scaled(double v, const char *unit, char *buf,
			      size_t len)
{
	if (v < 10)
		snprintf(buf, len, "%.2f%s", v, unit);
	else if (v < 100)
		snprintf(buf, len, "%.1f%s", v, unit);
	else
		snprintf(buf, len, "%.0f%s", v, unit);
	return buf;
}

const char *fmt_ns(u64 ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", ns);
	else if (ns < 1000000)
		fmt_scaled(ns / 1e3, "us", buf, len);
	else if (ns < 1000000000)
		fmt_scaled(ns / 1e6, "ms", buf, len);
	else
		fmt_scaled(ns / 1e9, "s", buf, len);
	return buf;
}

const char *fmt_count(double v, char *buf, size_t len)
{
	if (v < 1000) {
		if (v == (double)(u64)v)
			snprintf(buf, len, "%llu", (u64)v);
		else
			snprintf(buf, len, "%.1f", v);
		return buf;
	}
	if (v < 1e6)
		return fmt_scaled(v / 1e3, "k", buf, len);
	if (v < 1e9)
		return fmt_scaled(v / 1e6, "M", buf, len);
	if (v < 1e12)
		return fmt_scaled(v / 1e9, "G", buf, len);
	return fmt_scaled(v / 1e12, "T", buf, len);
}

void sb_init(struct sbuf *sb)
{
	sb->s = NULL;
	sb->len = 0;
	sb->cap = 0;
}

void sb_free(struct sbuf *sb)
{
	free(sb->s);
	sb_init(sb);
}

static void sb_grow(struct sbuf *sb, size_t need)
{
	if (sb->len + need + 1 <= sb->cap)
		return;
	while (sb->len + need + 1 > sb->cap)
		sb->cap = sb->cap ? sb->cap * 2 : 256;
	sb->s = xrealloc(sb->s, sb->cap);
}

void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_puts(struct sbuf *sb, const char *s)
{
	size_t n = strlen(s);

	sb_grow(sb, n);
	memcpy(sb->s + sb->len, s, n + 1);
	sb->len += n;
}

char *sb_steal(struct sbuf *sb)
{
	char *s = sb->s ? sb->s : xstrdup("");

	sb_init(sb);
	return s;
}

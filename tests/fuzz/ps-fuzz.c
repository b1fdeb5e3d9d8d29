// SPDX-License-Identifier: GPL-2.0
/*
 * ps-fuzz: apply generated writes to the module's debugfs files in a
 * guest and check each one (tests/fuzz/gen-writes.py makes them).
 *
 *   ps-fuzz [-d DIR] [-v] WRITES-FILE
 *
 * Each write is one write(2) of the whole payload to a freshly opened
 * config, control or bench.  It must be accepted whole (the return value
 * is its length), or refused with EINVAL, or with EBUSY (a storm runs, or
 * a bench needs empty histograms), or, for config, ENOENT (a target the
 * kernel does not have) or EPERM (inject= without allow_inject=1 at
 * load), and a refused write must leave the
 * configuration (the config file's text) and the storm's state as they
 * were (a storm may end by itself in between: running -> done).  After an
 * accepted config write the configuration as read back must be accepted
 * as it is and change nothing (it round-trips).  Start sequences ("S"
 * records) write duration=2 to config and start to control; a storm that
 * is still running 40 writes later is stopped.
 *
 * Prints counts per file and errno, each violation (at most 50, with the
 * payload in hex), and a last line
 *   "fuzz: N generated writes; N writes in all, N accepted, N refused,
 *   N violations" (in all: with the driver's own)
 * Exit 0 no violation, 1 violations, 2 usage, 3 cannot read or open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF	(256 * 1024)
#define MAXSHOW	50

static const char *dir = "/sys/kernel/debug/patchstorm";
static int verbose;
static unsigned long violations, shown, accepted, refused;

static char *path(const char *f)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, f);
	return p;
}

/* The whole file into @buf (NUL-terminated); -1 if it cannot be read. */
static long slurp(const char *f, char *buf, size_t len)
{
	int fd = open(path(f), O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n < len - 1 && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

/* One write(2) of @b to @f: the return value, or -errno. */
static long put(const char *f, const void *b, size_t len)
{
	int fd = open(path(f), O_WRONLY);
	long r;

	if (fd < 0) {
		fprintf(stderr, "ps-fuzz: cannot open %s: %s\n", path(f), strerror(errno));
		exit(3);
	}
	r = write(fd, b, len);
	if (r < 0)
		r = -errno;
	if (r < 0)
		refused++;
	else
		accepted++;
	close(fd);
	return r;
}

static void hex(const unsigned char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 64; i++)
		printf("%02x", b[i]);
	if (len > 64)
		printf("...(%zu bytes)", len);
}

static void violation(unsigned long i, const char *file, const unsigned char *b,
		      size_t len, const char *what)
{
	violations++;
	if (shown++ >= MAXSHOW)
		return;
	printf("VIOLATION write %lu to %s: %s; payload ", i, file, what);
	hex(b, len);
	printf("\n");
}

static int running(void)
{
	char s[64];

	return slurp("control", s, sizeof(s)) > 0 && !strncmp(s, "running", 7);
}

/*
 * Keep the storms a random write may start small: a configuration that
 * asks for more than 4 threads of a kind, or the hot targets (slow to
 * resolve), is set back after it was checked.  64 hammers on one vCPU
 * take minutes to stop under TCG (a hung-task report): the fuzz is about
 * the parsers, not about that.
 */
static unsigned long tamed;

static void tame(const char *cfg)
{
	static const char *const keys[] = { "togglers=", "hammers=", "samplers=" };
	char line[64];
	const char *p;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		p = strstr(cfg, keys[i]);
		if (p && (p == cfg || p[-1] == '\n') &&
		    strtoul(p + strlen(keys[i]), NULL, 10) > 4) {
			snprintf(line, sizeof(line), "%s4", keys[i]);
			if (put("config", line, strlen(line)) > 0)
				tamed++;
		}
	}
	p = strstr(cfg, "targets=");
	if (p && (p == cfg || p[-1] == '\n')) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (memmem(p, n, "hot", 3) || memmem(p, n, ":", 1))
			if (put("config", "targets=victims", 15) > 0)
				tamed++;
	}
}

struct count {
	unsigned long ok, einval, ebusy, other;
};

int main(int argc, char **argv)
{
	static char before[BUF], after[BUF], again[BUF];
	char st_before[64], st_after[64];
	struct count cnt[3] = { { 0 } };
	const char *files[3] = { "config", "control", "bench" };
	unsigned long i = 0, starts = 0, start_ok = 0, forced = 0, roundtrips = 0;
	unsigned long run_for = 0;
	unsigned char *data;
	size_t size = 0, cap = 1 << 20, off = 0;
	ssize_t r;
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:v")) != -1) {
		switch (opt) {
		case 'd': dir = optarg; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: ps-fuzz [-d DIR] [-v] WRITES-FILE\n");
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: ps-fuzz [-d DIR] [-v] WRITES-FILE\n");
		return 2;
	}
	fd = open(argv[optind], O_RDONLY);
	data = malloc(cap);
	if (fd < 0 || !data) {
		fprintf(stderr, "ps-fuzz: cannot read %s\n", argv[optind]);
		return 3;
	}
	while ((r = read(fd, data + size, cap - size)) > 0) {
		size += r;
		if (size == cap) {
			cap *= 2;
			data = realloc(data, cap);
			if (!data)
				return 3;
		}
	}
	close(fd);

	while (off + 5 <= size) {
		char kind = data[off];
		uint32_t len;
		const unsigned char *b;
		const char *file;
		int fi;
		long ret;

		memcpy(&len, data + off + 1, 4);	/* little-endian guests */
		b = data + off + 5;
		off += 5 + len;
		if (off > size) {
			fprintf(stderr, "ps-fuzz: truncated record %lu\n", i);
			return 3;
		}
		i++;
		/* a hang in the kernel ends the run, loudly */
		alarm(300);
		if (kind == 'S') {
			starts++;
			ret = put("config", "duration=2", 10);
			if (ret != 10 && ret != -EBUSY)
				violation(i, "config", (const unsigned char *)"duration=2", 10,
					  "a valid duration refused");
			ret = put("control", "start", 5);
			if (ret == 5)
				start_ok++;
			run_for = 0;
			continue;
		}
		fi = kind == 'c' ? 0 : kind == 'C' ? 1 : 2;
		file = files[fi];
		if (slurp("config", before, sizeof(before)) < 0 ||
		    slurp("control", st_before, sizeof(st_before)) < 0) {
			fprintf(stderr, "ps-fuzz: cannot read %s\n", dir);
			return 3;
		}
		ret = put(file, b, len);
		slurp("config", after, sizeof(after));
		slurp("control", st_after, sizeof(st_after));
		if (verbose)
			printf("%lu %s %ld\n", i, file, ret);
		if (ret >= 0) {
			cnt[fi].ok++;
			if ((size_t)ret != len)
				violation(i, file, b, len, "accepted in part");
			if (fi == 0) {
				/* the configuration read back is a valid write */
				ret = put("config", after, strlen(after));
				slurp("config", again, sizeof(again));
				roundtrips++;
					if (ret == -EBUSY)
					;
				else if (ret != (long)strlen(after))
					violation(i, file, b, len, "the configuration read back is refused");
				else if (strcmp(again, after))
					violation(i, file, b, len, "the configuration read back changes it");
				tame(again);
			}
		} else {
			if (ret == -EINVAL)
				cnt[fi].einval++;
			else if (ret == -EBUSY)
				cnt[fi].ebusy++;
			else if (fi == 0 && (ret == -ENOENT || ret == -EPERM))
				/* no such target; inject= without allow_inject=1 */
				cnt[fi].other++;
			else {
				char why[128];

				cnt[fi].other++;
				snprintf(why, sizeof(why), "refused with %s", strerror((int)-ret));
				violation(i, file, b, len, why);
			}
			if (strcmp(before, after))
				violation(i, file, b, len, "refused, but the configuration changed");
			if (strcmp(st_before, st_after) &&
			    !(!strncmp(st_before, "running", 7) && !strncmp(st_after, "done", 4)))
				violation(i, file, b, len, "refused, but the state changed");
		}
		/* a storm started by a random write is stopped in time */
		if (running()) {
			if (++run_for >= 40) {
				put("control", "stop", 4);
				forced++;
				run_for = 0;
			}
		} else {
			run_for = 0;
		}
	}
	alarm(0);
	if (running())
		put("control", "stop", 4);
	for (int k = 0; k < 3; k++)
		printf("fuzz %s: %lu accepted, %lu EINVAL, %lu EBUSY, %lu ENOENT or EPERM\n", files[k],
		       cnt[k].ok, cnt[k].einval, cnt[k].ebusy, cnt[k].other);
	printf("fuzz: start sequences %lu (%lu started), %lu storms stopped after 40 writes, %lu round-trips of the configuration\n",
	       starts, start_ok, forced, roundtrips);
	printf("fuzz: %lu configurations kept small\n", tamed);
	printf("fuzz: %lu generated writes; %lu writes in all, %lu accepted, %lu refused, %lu violations\n",
	       i, accepted + refused, accepted, refused, violations);
	free(data);
	return violations ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
#include "debugfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "util.h"

#ifndef DEBUGFS_MAGIC
#define DEBUGFS_MAGIC 0x64626720
#endif

const char *ps_debugfs_dir(const char *opt)
{
	const char *env = getenv(PS_DEBUGFS_ENV);

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return PS_DEBUGFS_DEFAULT;
}

int ps_debugfs_overridden(const char *opt)
{
	return strcmp(ps_debugfs_dir(opt), PS_DEBUGFS_DEFAULT) != 0;
}

char *ps_df_read(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	char *s = read_file(path);
	int e = errno;

	free(path);
	errno = e;
	return s;
}

int ps_df_write(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	int r = write_file(path, text);

	free(path);
	return r;
}

int ps_debugfs_mount(char *msg, size_t len)
{
	struct statfs sfs;

	if (statfs(PS_DEBUGFS_ROOT, &sfs) == 0 && sfs.f_type == DEBUGFS_MAGIC)
		return 0;
	if (mount("none", PS_DEBUGFS_ROOT, "debugfs", 0, NULL) == 0)
		return 0;
	snprintf(msg, len,
		 "debugfs is not mounted and mounting it failed (%s); mount it with: mount -t debugfs none %s (kernel needs CONFIG_DEBUG_FS=y)",
		 strerror(errno), PS_DEBUGFS_ROOT);
	return -1;
}

/* The kernel log (NULL if it cannot be read). */
static char *klog_read(void)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *log;
	int n;

	if (size <= 0)
		return NULL;
	log = xmalloc((size_t)size + 1);
	n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, log, size);
	if (n <= 0) {
		free(log);
		return NULL;
	}
	log[n] = '\0';
	return log;
}

/*
 * The last kernel log line mentioning patchstorm that was logged after
 * @before (the log read before the load), for hints: an older line (the
 * last storm's end) would mislead.
 */
static void dmesg_hint(const char *before, char *buf, size_t len)
{
	char *log = klog_read(), *line, *best = NULL, *save, *from;


	buf[0] = '\0';
	if (!log)
		return;
	from = log;
	if (before && *before) {
		/* the last complete line of @before, if still in the log */
		size_t bl = strlen(before);
		const char *e = before + bl, *s;

		while (e > before && e[-1] == '\n')
			e--;
		for (s = e; s > before && s[-1] != '\n'; s--)
			;
		if (e > s) {
			char *l = strndup(s, (size_t)(e - s)), *p, *q = NULL;

			for (p = log; l && (p = strstr(p, l)); p++)
				q = p;
			if (q)
				from = q + strlen(l);
			free(l);
		}
	}
	for (line = strtok_r(from, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (strstr(line, "patchstorm"))
			best = line;
	if (best)
		snprintf(buf, len, "; dmesg: %.200s", best);
	free(log);
}

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

static int try_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int r, e, compressed = compressed_with(path) != NULL;

	if (fd < 0)
		return -errno;
	/* a .ko.xz/.zst/.gz (Debian installs modules compressed): the
	 * kernel decompresses it if it can (CONFIG_MODULE_DECOMPRESS) */
	r = (int)syscall(SYS_finit_module, fd, params,
			 compressed ? MODULE_INIT_COMPRESSED_FILE : 0);
	e = errno;
	if (r && (e == ENOSYS ||
		  (compressed && (e == EOPNOTSUPP || e == EINVAL)))) {
		/* old kernel, or no in-kernel decompression: the image in
		 * memory, decompressed here */
		size_t len;
		char *img = read_file_plain(path, &len);

		if (img && len) {
			r = (int)syscall(SYS_init_module, img,
					 (unsigned long)len, params);
			e = errno;
		} else if (!img) {
			e = errno == ENOENT ? ENOPKG : errno;
		}
		free(img);
	}
	close(fd);
	return r ? -e : 0;
}

int ps_module_load(const char *path, const char *params, char *msg,
		   size_t len)
{
	struct utsname u;
	char found[512], hint[256], *extra = NULL, *before;
	const char *why;
	int r;

	uname(&u);
	if (!path) {
		/* make install puts it in extra/, DKMS in updates/dkms/ */
		static const char *const sub[] = { "extra", "updates/dkms",
						   "updates" };
		static const char *const suffix[] = { "", ".xz", ".zst",
						      ".gz" };
		size_t i, j;

		if (access("./patchstorm.ko", R_OK) == 0)
			path = "./patchstorm.ko";
		for (i = 0; !path && i < ARRAY_SIZE(sub); i++) {
			for (j = 0; !path && j < ARRAY_SIZE(suffix); j++) {
				free(extra);
				extra = xasprintf("/lib/modules/%s/%s/patchstorm.ko%s",
						  u.release, sub[i], suffix[j]);
				if (access(extra, R_OK) == 0)
					path = extra;
			}
		}
		if (!path) {
			snprintf(msg, len,
				 "the patchstorm module is not loaded and no patchstorm.ko was found in . or /lib/modules/%s/{extra,updates/dkms,updates}; build it (make), install it (make install or make dkms), or pass --module PATH.ko",
				 u.release);
			free(extra);
			return -1;
		}
	}
	snprintf(found, sizeof(found), "%s", path);
	free(extra);
	before = klog_read();
	r = try_load(found, params ? params : "");
	if (r == 0 || r == -EEXIST) {
		free(before);
		return 0;
	}
	dmesg_hint(before, hint, sizeof(hint));
	free(before);
	switch (-r) {
	case ENOENT:
		why = "file not found";
		break;
	case ENOEXEC:
		why = "invalid module format: a corrupted file, or built for another kernel or architecture (vermagic mismatch); rebuild against this kernel's headers";
		break;
	case EINVAL:
		why = "the kernel rejected it: unknown symbol or a kernel feature it needs is missing (CONFIG_FTRACE/KPROBES/JUMP_LABEL?); check dmesg";
		break;
	case EPERM:
		why = "module loading is not permitted (not root, kernel.modules_disabled=1 or lockdown)";
		break;
	case ENOPKG:
		why = "it is compressed, the kernel cannot decompress it and neither can this system (install xz-utils, zstd or gzip)";
		break;
	case EKEYREJECTED:
	case EBADMSG:
		why = "module signature rejected (signature enforcement is on; sign the module or boot with module.sig_enforce=0)";
		break;
	default:
		why = strerror(-r);
		break;
	}
	snprintf(msg, len, "cannot load %s (uname -r %s): %s%s", found,
		 u.release, why, hint);
	return -1;
}

char *ps_last_error(const char *dir)
{
	char *s = ps_df_read(dir, "stats"), *p, *e, *ret = NULL;

	if (!s)
		return NULL;
	for (p = s; (p = strstr(p, "last_error=")); p++) {
		if (p != s && p[-1] != '\n')
			continue;
		p += strlen("last_error=");
		e = strchr(p, '\n');
		if (e)
			*e = '\0';
		if (*p)
			ret = xstrdup(p);
		break;
	}
	free(s);
	return ret;
}

const char *ps_control_hint(const char *cmd, int err)
{
	switch (err) {
	case EBUSY:
		if (!strcmp(cmd, "start"))
			return "a storm is already running; `patchstorm stop` first";
		return "a storm is running; `patchstorm stop` first";
	case EALREADY:
	case ESRCH:
		if (!strcmp(cmd, "stop"))
			return "no storm is running";
		return "the storm is not in a state that allows this; try `patchstorm status`";
	case EINVAL:
		return "the module does not accept this command (module and tools from different versions?)";
	case ENOENT:
		return "the patchstorm module is not loaded";
	case EACCES:
	case EPERM:
		return "permission denied; run as root";
	default:
		return "see dmesg for the module's message";
	}
}

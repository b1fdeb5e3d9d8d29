// SPDX-License-Identifier: GPL-2.0
#include "doctor.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util.h"

#define STRATS_FTRACE	0x03	/* ftrace-filter, ftrace-ops */
#define STRATS_KPROBE	0x0c	/* kprobe-arm, kprobe-register */
#define STRATS_KEY	0x30	/* static-key, static-key-ref */
#define STRATS_ALL	0x3f

static const char *const strat_names[] = {
	"ftrace-filter", "ftrace-ops", "kprobe-arm", "kprobe-register",
	"static-key", "static-key-ref",
};

void doctor_env_defaults(struct doc_env *env)
{
	static struct utsname u;

	uname(&u);
	memset(env, 0, sizeof(*env));
	env->proc_root = "/proc";
	env->sys_root = "/sys";
	env->boot_dir = "/boot";
	env->modules_dir = "/lib/modules";
	env->release = u.release;
	env->machine = u.machine;
	env->strategies = "all";
	env->targets = "victims";
	env->euid = (int)geteuid();
}

static void add(struct doc_report *rep, enum doc_level level,
		const char *consequence, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add(struct doc_report *rep, enum doc_level level,
		const char *consequence, const char *fix, const char *fmt, ...)
{
	struct doc_finding *f;
	va_list ap;
	char *what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		abort();
	va_end(ap);
	rep->f = xrealloc(rep->f, (rep->n + 1) * sizeof(*rep->f));
	f = &rep->f[rep->n++];
	f->level = level;
	f->what = what;
	f->consequence = consequence ? xstrdup(consequence) : NULL;
	f->fix = fix ? xstrdup(fix) : NULL;
	if (level == DOC_FAIL)
		rep->fails++;
	else if (level == DOC_WARN)
		rep->warns++;
}

void doctor_report_free(struct doc_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		free(rep->f[i].what);
		free(rep->f[i].consequence);
		free(rep->f[i].fix);
	}
	free(rep->f);
	free(rep->config_source);
	memset(rep, 0, sizeof(*rep));
}

static char *path_in(const char *root, const char *rel)
{
	return xasprintf("%s/%s", root, rel);
}

/* First line of ROOT/REL, trimmed; NULL if unreadable. */
static char *read_line(const char *root, const char *rel)
{
	char *p = path_in(root, rel), *s = read_file(p), *e;

	free(p);
	if (!s)
		return NULL;
	e = strchr(s, '\n');
	if (e)
		*e = '\0';
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
		e[-1] = '\0';
	return s;
}

/* ---- kernel config -------------------------------------------------- */

size_t doctor_parse_config(struct kv_list *l, const char *text)
{
	size_t n = 0;

	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, len), *eq;

		if (!line)
			abort();
		if (!strncmp(line, "CONFIG_", 7) && (eq = strchr(line, '='))) {
			*eq = '\0';
			kv_set(l, line, eq + 1);
			n++;
		} else if (!strncmp(line, "# CONFIG_", 9)) {
			char *sp = strstr(line, " is not set");

			if (sp) {
				*sp = '\0';
				kv_set(l, line + 2, "n");
				n++;
			}
		}
		free(line);
		text = nl ? nl + 1 : text + len;
	}
	return n;
}

char *doctor_read_maybe_gz(const char *path)
{
	size_t len;

	return read_file_plain(path, &len);
}

/* The kernel config: --config, /proc/config.gz, /boot/config-RELEASE. */
static int load_config(const struct doc_env *env, struct doc_report *rep,
		       struct kv_list *cfg)
{
	char *cands[3] = { NULL, NULL, NULL }, *text = NULL;
	size_t i;
	int e = ENOENT;

	if (env->config) {
		cands[0] = xstrdup(env->config);
	} else {
		cands[0] = path_in(env->proc_root, "config.gz");
		cands[1] = xasprintf("%s/config-%s", env->boot_dir,
				     env->release);
	}
	for (i = 0; i < 2 && cands[i] && !text; i++) {
		text = doctor_read_maybe_gz(cands[i]);
		if (text && doctor_parse_config(cfg, text)) {
			rep->config_source = xstrdup(cands[i]);
		} else if (text) {
			free(text);
			text = NULL;
			e = EINVAL;
			if (env->config)
				break;
		} else {
			e = errno;
		}
	}
	free(text);
	if (!rep->config_source) {
		if (env->config)
			add(rep, DOC_FAIL, "nothing below can check an option",
			    "give a kernel .config",
			    "kernel config %s: %s", env->config,
			    e == EINVAL ? "no CONFIG_ line in it" : strerror(e));
		else
			add(rep, DOC_WARN,
			    "the kernel's options cannot be checked here (patchstorm caps shows what the loaded module found)",
			    "enable CONFIG_IKCONFIG_PROC, install the config as /boot/config-$(uname -r), or give --config FILE",
			    "no kernel config: neither %s nor %s", cands[0],
			    cands[1]);
	}
	for (i = 0; i < 3; i++)
		free(cands[i]);
	return rep->config_source ? 0 : -1;
}

/* Kconfig options: who needs each, and what its absence means. */
static const struct {
	const char *opt;
	unsigned int strats;	/* needed by these strategies; 0: all */
	enum doc_level missing;
	const char *consequence, *fix;
} options[] = {
	{ "CONFIG_MODULES", 0, DOC_FAIL,
	  "the patchstorm module cannot be loaded", NULL },
	{ "CONFIG_DEBUG_FS", 0, DOC_FAIL,
	  "the module's only interface, /sys/kernel/debug/patchstorm, does not exist",
	  NULL },
	{ "CONFIG_MODULE_UNLOAD", 0, DOC_WARN,
	  "rmmod patchstorm is impossible: loading a new build or starting clean needs a reboot",
	  NULL },
	{ "CONFIG_KALLSYMS", 0, DOC_WARN,
	  "kernel symbols cannot be looked up: only the module's own victims can be targets (no sys:, no symbol targets), no timed flush, no torn-site injection",
	  NULL },
	{ "CONFIG_KALLSYMS_ALL", 0, DOC_WARN,
	  "data symbols are not in kallsyms: lookups by name of kernel data fail",
	  NULL },
	{ "CONFIG_FUNCTION_TRACER", STRATS_FTRACE, DOC_FAIL,
	  "ftrace-filter and ftrace-ops cannot run (no ftrace call sites)",
	  NULL },
	{ "CONFIG_DYNAMIC_FTRACE", STRATS_FTRACE, DOC_FAIL,
	  "ftrace-filter and ftrace-ops cannot run (no per-function filters, no patched call sites)",
	  NULL },
	{ "CONFIG_KPROBES", STRATS_KPROBE, DOC_FAIL,
	  "kprobe-arm and kprobe-register cannot run; symbol targets cannot be resolved (the module looks symbols up through a kprobe)",
	  NULL },
	{ "CONFIG_JUMP_LABEL", STRATS_KEY, DOC_FAIL,
	  "static-key and static-key-ref cannot run: static branches are plain conditionals, nothing is patched",
	  NULL },
	{ "CONFIG_FTRACE", 0, DOC_WARN,
	  "no tracefs: patchstorm run --trace and trace-cmd cannot record the module's events",
	  NULL },
	{ "CONFIG_HIST_TRIGGERS", 0, DOC_WARN,
	  "no hist triggers on the module's tracepoints (the module's own histograms are not affected)",
	  NULL },
};

static unsigned int parse_strats(const char *list)
{
	unsigned int mask = 0, i;
	char *copy, *w, *save;

	if (!list || !strcmp(list, "all"))
		return STRATS_ALL;
	copy = xstrdup(list);
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "all") || !strcmp(w, "mixed"))
			mask |= STRATS_ALL;
		for (i = 0; i < ARRAY_SIZE(strat_names); i++)
			if (!strcmp(w, strat_names[i]))
				mask |= 1u << i;
	}
	free(copy);
	return mask;
}

static const char *strat_list(unsigned int mask, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(strat_names); i++)
		if (mask & (1u << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? ", " : "", strat_names[i]);
	return buf;
}

static void check_options(const struct doc_env *env, struct doc_report *rep,
			  const struct kv_list *cfg, unsigned int strats)
{
	char fix[128], who[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const char *v = kv_get(cfg, options[i].opt);
		int set = v && (!strcmp(v, "y") || !strcmp(v, "m"));
		unsigned int need = options[i].strats;
		enum doc_level lvl = options[i].missing;

		if (need && !(need & strats)) {
			if (!set)
				add(rep, DOC_INFO, NULL, NULL,
				    "%s is not set (only %s need it; not asked for)",
				    options[i].opt,
				    strat_list(need, who, sizeof(who)));
			continue;
		}
		if (set) {
			add(rep, DOC_OK, NULL, NULL, "%s=%s", options[i].opt, v);
			continue;
		}
		snprintf(fix, sizeof(fix),
			 "a kernel built with %s=y%s", options[i].opt,
			 need ? ", or --strategies without them" : "");
		add(rep, lvl, options[i].consequence, fix, "%s is not set",
		    options[i].opt);
	}
	(void)env;
}

/* ---- the module file ------------------------------------------------- */

struct elf_file {
	unsigned char *d;
	size_t len;
	int is64, swap;
};

/* The module's ELF image (decompressed if it is a .ko.xz and the like). */
static int elf_open(struct elf_file *e, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->d = (unsigned char *)read_file_plain(path, &e->len);
	if (!e->d)
		return -1;
	if (e->len < EI_NIDENT || memcmp(e->d, ELFMAG, SELFMAG)) {
		free(e->d);
		e->d = NULL;
		errno = ENOEXEC;
		return -1;
	}
	e->is64 = e->d[EI_CLASS] == ELFCLASS64;
	/* rdx() reads big endian when swap is set */
	e->swap = e->d[EI_DATA] == ELFDATA2MSB;
	return 0;
}

static u64 rdx(const struct elf_file *e, size_t off, int size)
{
	u64 v = 0;
	int i;

	if (off + (size_t)size > e->len)
		return 0;
	for (i = 0; i < size; i++) {
		int idx = e->swap ? i : size - 1 - i;

		v = (v << 8) | e->d[off + idx];
	}
	return v;
}

/* Offset and size of section @name; 0 if absent. */
static int elf_section(const struct elf_file *e, const char *name,
		       size_t *off, size_t *size)
{
	u64 shoff = e->is64 ? rdx(e, 0x28, 8) : rdx(e, 0x20, 4);
	unsigned int shentsize = (unsigned int)rdx(e, e->is64 ? 0x3a : 0x2e, 2);
	unsigned int shnum = (unsigned int)rdx(e, e->is64 ? 0x3c : 0x30, 2);
	unsigned int shstrndx = (unsigned int)rdx(e, e->is64 ? 0x3e : 0x32, 2);
	size_t stroff, i;

	if (!shoff || shstrndx >= shnum ||
	    shoff + (u64)shnum * shentsize > e->len)
		return -1;
#define SH(i, f64, f32, sz64, sz32) \
	(e->is64 ? rdx(e, shoff + (i) * shentsize + (f64), sz64) : \
		   rdx(e, shoff + (i) * shentsize + (f32), sz32))
	stroff = SH(shstrndx, 0x18, 0x10, 8, 4);
	for (i = 0; i < shnum; i++) {
		size_t nm = stroff + rdx(e, shoff + i * shentsize, 4);

		if (nm + strlen(name) >= e->len ||
		    memcmp(e->d + nm, name, strlen(name) + 1))
			continue;
		*off = SH(i, 0x18, 0x10, 8, 4);
		*size = SH(i, 0x20, 0x14, 8, 4);
		if (*off + *size > e->len)
			return -1;
		return 0;
	}
#undef SH
	return -1;
}

int doctor_modinfo(const char *ko, const char *key, char *out, size_t len,
		   char *err, size_t errlen)
{
	struct elf_file e;
	size_t off, size, klen = strlen(key), p;

	if (elf_open(&e, ko)) {
		snprintf(err, errlen, "%s: %s", ko,
			 errno == ENOEXEC ? "not an ELF file" :
			 errno == EILSEQ ? "cannot decompress it" :
			 strerror(errno));
		return -1;
	}
	if (elf_section(&e, ".modinfo", &off, &size)) {
		snprintf(err, errlen, "%s: no .modinfo section (not a kernel module)",
			 ko);
		free(e.d);
		return -1;
	}
	for (p = off; p < off + size; ) {
		const char *s = (const char *)e.d + p;
		size_t n = strnlen(s, off + size - p);

		if (n > klen && !strncmp(s, key, klen) && s[klen] == '=') {
			snprintf(out, len, "%.*s", (int)(n - klen - 1),
				 s + klen + 1);
			free(e.d);
			return 0;
		}
		p += n + 1;
	}
	snprintf(err, errlen, "%s: no %s in .modinfo", ko, key);
	free(e.d);
	return -1;
}

const char *doctor_ko_machine(const char *ko)
{
	struct elf_file e;
	unsigned int m;

	if (elf_open(&e, ko))
		return NULL;
	m = (unsigned int)rdx(&e, 0x12, 2);
	free(e.d);
	switch (m) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	case EM_RISCV:
		return "riscv64";
	case EM_386:
		return "i686";
	default:
		return "another architecture";
	}
}

int doctor_ko_signed(const char *ko)
{
	static const char magic[] = "~Module signature appended~\n";
	size_t len, n = sizeof(magic) - 1;
	char *d = read_file_plain(ko, &len);
	int ret;

	if (!d)
		return -1;
	ret = len >= n && !memcmp(d + len - n, magic, n);
	free(d);
	return ret;
}

/* The module to check: --module, ./patchstorm.ko, or the installed one. */
static char *find_module(const struct doc_env *env)
{
	static const char *const sub[] = { "extra", "updates/dkms", "updates" };
	static const char *const suffix[] = { "", ".xz", ".zst", ".gz" };
	size_t i, j;
	char *p;

	if (env->module)
		return xstrdup(env->module);
	if (!access("patchstorm.ko", R_OK))
		return xstrdup("patchstorm.ko");
	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		for (j = 0; j < ARRAY_SIZE(suffix); j++) {
			p = xasprintf("%s/%s/%s/patchstorm.ko%s",
				      env->modules_dir, env->release, sub[i],
				      suffix[j]);
			if (!access(p, R_OK))
				return p;
			free(p);
		}
	}
	return NULL;
}

static void check_module(const struct doc_env *env, struct doc_report *rep,
			 const struct kv_list *cfg, int have_cfg)
{
	char vm[256], err[512], fix[512], *ko = find_module(env), *enf;
	const char *mach;
	int sig, enforced, forced;

	enf = read_line(env->sys_root, "module/module/parameters/sig_enforce");
	forced = have_cfg && kv_get(cfg, "CONFIG_MODULE_SIG_FORCE") &&
		 !strcmp(kv_get(cfg, "CONFIG_MODULE_SIG_FORCE"), "y");
	enforced = forced || (enf && enf[0] == 'Y');
	if (!ko) {
		add(rep, DOC_WARN,
		    "patchstorm run has no module to load",
		    "build it (make KDIR=/lib/modules/$(uname -r)/build), install it (make install, or dkms install), or give --module PATH.ko",
		    "no patchstorm.ko in . or %s/%s/{extra,updates/dkms}",
		    env->modules_dir, env->release);
		goto sig;
	}
	if (doctor_modinfo(ko, "vermagic", vm, sizeof(vm), err, sizeof(err))) {
		add(rep, DOC_FAIL, "insmod refuses it", "rebuild the module",
		    "%s", err);
		goto out;
	}
	mach = doctor_ko_machine(ko);
	if (mach && strcmp(mach, env->machine)) {
		snprintf(fix, sizeof(fix),
			 "build the module for %s against this kernel's headers",
			 env->machine);
		add(rep, DOC_FAIL, "insmod refuses it: Invalid module format",
		    fix, "%s is built for %s, this machine is %s", ko, mach,
		    env->machine);
		goto out;
	}
	{
		size_t n = strcspn(vm, " ");

		if (strlen(env->release) != n ||
		    strncmp(vm, env->release, n)) {
			add(rep, DOC_FAIL,
			    "insmod refuses it: Invalid module format (vermagic mismatch)",
			    "rebuild it against this kernel: make KDIR=/lib/modules/$(uname -r)/build, or let DKMS build it (dkms autoinstall)",
			    "%s: vermagic \"%.*s\", running kernel %s", ko,
			    (int)n, vm, env->release);
			goto out;
		}
	}
	add(rep, DOC_OK, NULL, NULL, "%s: vermagic matches %s", ko,
	    env->release);
sig:
	sig = ko ? doctor_ko_signed(ko) : -1;
	if (enforced && sig == 0)
		add(rep, DOC_FAIL,
		    "insmod refuses it: Key was rejected by service (EKEYREJECTED)",
		    forced ? "sign it with a key the kernel trusts (scripts/sign-file in the kernel headers; DKMS signs with its MOK key once enrolled)" :
		    "sign it with a key the kernel trusts (scripts/sign-file in the kernel headers; DKMS signs with its MOK key once enrolled), or boot with module.sig_enforce=0",
		    "module signatures are enforced (%s) and %s is not signed",
		    forced ? "CONFIG_MODULE_SIG_FORCE=y" : "module.sig_enforce=Y",
		    ko);
	else if (enforced && sig == 1)
		add(rep, DOC_INFO, NULL, NULL,
		    "module signatures are enforced; %s is signed (the kernel must trust its key)",
		    ko);
	else if (enforced)
		add(rep, DOC_WARN, "an unsigned module will be refused",
		    "sign the module, or boot with module.sig_enforce=0",
		    "module signatures are enforced (%s)",
		    forced ? "CONFIG_MODULE_SIG_FORCE=y" : "module.sig_enforce=Y");
	else if (enf)
		add(rep, DOC_OK, NULL, NULL,
		    "module signatures are checked, not enforced (an unsigned module loads and taints the kernel: E)");
	else
		add(rep, DOC_OK, NULL, NULL,
		    "module signatures are not enforced");
out:
	free(enf);
	free(ko);
}

/* ---- run-time state --------------------------------------------------- */

/* Is a filesystem of @type mounted at @where (from PROC/mounts)? */
static int mounted(const struct doc_env *env, const char *type,
		   const char *where)
{
	char *p = path_in(env->proc_root, "mounts"), *s = read_file(p);
	char *line, *save;
	int found = 0;

	free(p);
	if (!s)
		return -1;
	for (line = strtok_r(s, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char dev[256], dir[512], t[64];

		if (sscanf(line, "%255s %511s %63s", dev, dir, t) == 3 &&
		    !strcmp(t, type) && (!where || !strcmp(dir, where)))
			found = 1;
	}
	free(s);
	return found;
}

static void check_mounts(const struct doc_env *env, struct doc_report *rep)
{
	int d = mounted(env, "debugfs", NULL);
	int t = mounted(env, "tracefs", NULL);

	if (d < 0) {
		add(rep, DOC_WARN, "the mounts cannot be checked", NULL,
		    "cannot read %s/mounts", env->proc_root);
		return;
	}
	if (d)
		add(rep, DOC_OK, NULL, NULL, "debugfs is mounted");
	else
		add(rep, DOC_WARN,
		    "patchstorm run mounts it itself; other tools (cat .../patchstorm/stats) need it mounted",
		    "mount -t debugfs none /sys/kernel/debug",
		    "debugfs is not mounted");
	if (t)
		add(rep, DOC_OK, NULL, NULL, "tracefs is mounted");
	else
		add(rep, DOC_WARN,
		    "patchstorm run --trace and trace-cmd cannot record the module's events",
		    "mount -t tracefs nodev /sys/kernel/tracing",
		    "tracefs is not mounted");
}

static void check_lockdown(const struct doc_env *env, struct doc_report *rep)
{
	char *s = read_line(env->sys_root, "kernel/security/lockdown");
	char *a, *b;

	if (!s) {
		if (mounted(env, "securityfs", NULL) == 1)
			add(rep, DOC_OK, NULL, NULL,
			    "no kernel lockdown (no lockdown LSM)");
		else
			add(rep, DOC_INFO, NULL,
			    "mount -t securityfs none /sys/kernel/security",
			    "lockdown state unknown: securityfs is not mounted");
		return;
	}
	a = strchr(s, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!a || !b) {
		add(rep, DOC_WARN, "lockdown state unknown", NULL,
		    "unreadable lockdown file: \"%s\"", s);
	} else {
		*b = '\0';
		if (!strcmp(a + 1, "none"))
			add(rep, DOC_OK, NULL, NULL, "kernel lockdown: none");
		else if (!strcmp(a + 1, "integrity"))
			add(rep, DOC_FAIL,
			    "writable debugfs files are refused (the module cannot be configured or started) and only signed modules load",
			    "boot with lockdown=none (if the kernel does not force lockdown); Debian's kernel locks down under UEFI Secure Boot: disable it, or mokutil --disable-validation",
			    "kernel lockdown: integrity");
		else
			add(rep, DOC_FAIL,
			    "writable debugfs files, kprobes and tracefs are refused and only signed modules load",
			    "boot with lockdown=none (if the kernel does not force lockdown); Debian's kernel locks down under UEFI Secure Boot: disable it, or mokutil --disable-validation",
			    "kernel lockdown: %s", a + 1);
	}
	free(s);
}

static void check_switches(const struct doc_env *env, struct doc_report *rep,
			   unsigned int strats)
{
	char *s;

	s = read_line(env->proc_root, "sys/kernel/modules_disabled");
	if (s && !strcmp(s, "1"))
		add(rep, DOC_FAIL,
		    "no module can be loaded until the next boot",
		    "reboot (kernel.modules_disabled cannot be turned off again)",
		    "kernel.modules_disabled=1");
	free(s);

	s = read_line(env->proc_root, "sys/kernel/ftrace_enabled");
	if (!s)
		add(rep, DOC_INFO, NULL, NULL,
		    "no %s/sys/kernel/ftrace_enabled (no function tracer)",
		    env->proc_root);
	else if (!strcmp(s, "0"))
		add(rep, (strats & STRATS_FTRACE) ? DOC_FAIL : DOC_WARN,
		    "function tracing is switched off: ftrace-filter and ftrace-ops register their callbacks but no call site is patched, so they test nothing",
		    "sysctl kernel.ftrace_enabled=1",
		    "kernel.ftrace_enabled=0");
	else
		add(rep, DOC_OK, NULL, NULL, "kernel.ftrace_enabled=%s", s);
	free(s);

	s = read_line(env->sys_root, "kernel/debug/kprobes/enabled");
	if (s && !strcmp(s, "0"))
		add(rep, (strats & STRATS_KPROBE) ? DOC_FAIL : DOC_WARN,
		    "kprobes are disarmed: kprobe-arm and kprobe-register patch nothing",
		    "echo 1 > /sys/kernel/debug/kprobes/enabled",
		    "kprobes are disabled (/sys/kernel/debug/kprobes/enabled=0)");
	else if (s)
		add(rep, DOC_OK, NULL, NULL, "kprobes are enabled");
	free(s);

	s = read_line(env->proc_root, "sys/kernel/kptr_restrict");
	if (s && !strcmp(s, "2"))
		add(rep, DOC_WARN,
		    "kernel addresses are hidden even from root: /proc/kallsyms shows zeros, so trace-cmd cannot name symbols and the target checks below are blind",
		    "sysctl kernel.kptr_restrict=1",
		    "kernel.kptr_restrict=2");
	else if (s && !strcmp(s, "1") && env->euid != 0)
		add(rep, DOC_WARN,
		    "kernel addresses are hidden from this user: the target checks below are blind",
		    "run as root", "kernel.kptr_restrict=1 and not root");
	else if (s)
		add(rep, DOC_OK, NULL, NULL, "kernel.kptr_restrict=%s", s);
	free(s);
}

static int cpus_online(const struct doc_env *env)
{
	char *s = read_line(env->sys_root, "devices/system/cpu/online"), *p;
	int n = 0;

	if (!s)
		return -1;
	for (p = s; *p; ) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		n += (int)(b - a + 1);
		p = *end == ',' ? end + 1 : end;
		if (!*end || *end == ',')
			continue;
		break;
	}
	free(s);
	return n;
}

/* ---- targets ---------------------------------------------------------- */

/* Does a line of @text hold @sym as a word (kallsyms, blacklist, ...)? */
static int has_symbol(const char *text, const char *sym)
{
	size_t n = strlen(sym);
	const char *p = text;

	while (text && (p = strstr(p, sym))) {
		int before = p == text || p[-1] == ' ' || p[-1] == '\t' ||
			     p[-1] == '\n';
		int after = !p[n] || p[n] == '\n' || p[n] == ' ' ||
			    p[n] == '\t';

		if (before && after)
			return 1;
		p += n;
	}
	return 0;
}

static const char *sys_prefix(const char *machine)
{
	if (!strcmp(machine, "x86_64"))
		return "__x64_sys_";
	if (!strcmp(machine, "aarch64") || !strcmp(machine, "arm64"))
		return "__arm64_sys_";
	if (!strncmp(machine, "riscv", 5))
		return "__riscv_sys_";
	return "sys_";
}

/*
 * The next line of @*p into @buf (truncated to its size), @*p moved past
 * it; 0 at the end. (sscanf on the whole text would measure all of it on
 * every call: kallsyms has 100k lines and more.)
 */
static int next_line(const char **p, char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (!*p || !**p)
		return 0;
	nl = strchr(*p, '\n');
	n = nl ? (size_t)(nl - *p) : strlen(*p);
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), *p);
	*p = nl ? nl + 1 : *p + n;
	return 1;
}

/*
 * The names kallsyms gives the address of @sym (its aliases: on x86_64
 * __x64_sys_getpid, __ia32_sys_getpid and __do_sys_getpid are one
 * function, which ftrace lists under the last), @sym first; the address in
 * *addr (0 when hidden by kptr_restrict or not found).
 */
static size_t aliases(const char *kallsyms, const char *sym, char ***names,
		      unsigned long long *addr)
{
	const char *p = kallsyms;
	char line[512], name[256];
	unsigned long long a;
	size_t n = 1;

	*names = xcalloc(1, sizeof(**names));
	(*names)[0] = xstrdup(sym);
	*addr = 0;
	/* the address of the line naming @sym */
	while (next_line(&p, line, sizeof(line)))
		if (sscanf(line, "%llx %*s %255s", &a, name) == 2 &&
		    !strcmp(name, sym)) {
			*addr = a;
			break;
		}
	for (p = kallsyms; *addr && next_line(&p, line, sizeof(line)); ) {
		if (sscanf(line, "%llx %*s %255s", &a, name) == 2 &&
		    a == *addr && strcmp(name, sym)) {
			*names = xrealloc(*names, (n + 1) * sizeof(**names));
			(*names)[n++] = xstrdup(name);
		}
	}
	return n;
}

/* Is @addr (or, addresses hidden, one of @names) on the kprobe blacklist? */
static int blacklisted(const char *black, unsigned long long addr,
		       char **names, size_t n)
{
	const char *p = black;
	unsigned long long a, b;
	char line[512];
	size_t i;

	while (addr && next_line(&p, line, sizeof(line)))
		if (sscanf(line, "0x%llx-0x%llx", &a, &b) == 2 && a &&
		    addr >= a && addr < b)
			return 1;
	for (i = 0; i < n; i++)
		if (has_symbol(black, names[i]))
			return 1;
	return 0;
}

static char *read_under(const char *root, const char *rel)
{
	char *p = path_in(root, rel), *s = read_file(p);

	free(p);
	return s;
}

static void check_targets(const struct doc_env *env, struct doc_report *rep,
			  unsigned int strats)
{
	char *kallsyms = read_under(env->proc_root, "kallsyms");
	char *black = read_under(env->sys_root, "kernel/debug/kprobes/blacklist");
	char *filt = read_under(env->sys_root,
				"kernel/tracing/available_filter_functions");
	char *copy = xstrdup(env->targets), *w, *save, **names = NULL;
	size_t checked = 0, nnames = 0, i;
	unsigned long long addr = 0;
	int site;

	if (!filt)
		filt = read_under(env->sys_root,
				  "kernel/debug/tracing/available_filter_functions");
	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char sym[256];

		if (!strcmp(w, "victims") || !strncmp(w, "victim_", 7))
			continue;	/* the module's own functions */
		if (!strncmp(w, "sys:", 4))
			snprintf(sym, sizeof(sym), "%s%s",
				 sys_prefix(env->machine), w + 4);
		else
			snprintf(sym, sizeof(sym), "%s", w);
		checked++;
		if (kallsyms && !has_symbol(kallsyms, sym)) {
			add(rep, DOC_FAIL,
			    "the module refuses the configuration (targets: no such symbol)",
			    "pick another --targets (grep NAME /proc/kallsyms)",
			    "target %s: %s is not in %s/kallsyms", w, sym,
			    env->proc_root);
			continue;
		}
		for (i = 0; i < nnames; i++)
			free(names[i]);
		free(names);
		nnames = aliases(kallsyms, sym, &names, &addr);
		if ((strats & STRATS_KPROBE) && black &&
		    blacklisted(black, addr, names, nnames)) {
			add(rep, DOC_FAIL,
			    "kprobes refuse it: kprobe-arm and kprobe-register cannot use this target",
			    "pick another --targets, or --strategies without kprobe-*",
			    "target %s: %s is on the kprobe blacklist", w, sym);
			continue;
		}
		for (i = 0, site = 0; filt && i < nnames && !site; i++)
			site = has_symbol(filt, names[i]);
		if ((strats & STRATS_FTRACE) && filt && !site) {
			add(rep, DOC_FAIL,
			    "it is not an ftrace site (notrace, inlined or a data symbol): ftrace-filter and ftrace-ops cannot use it",
			    "pick a function listed in /sys/kernel/tracing/available_filter_functions",
			    "target %s: %s is not in available_filter_functions",
			    w, sym);
			continue;
		}
		add(rep, DOC_OK, NULL, NULL, "target %s (%s)%s%s%s", w, sym,
		    kallsyms ? ": in kallsyms" : "",
		    (strats & STRATS_KPROBE) && black ? ", not on the kprobe blacklist" : "",
		    (strats & STRATS_FTRACE) && filt ? ", an ftrace site" : "");
	}
	if (checked && !kallsyms)
		add(rep, DOC_INFO, NULL, NULL,
		    "%s/kallsyms unreadable: targets not checked against it",
		    env->proc_root);
	if (checked && (strats & STRATS_KPROBE) && !black)
		add(rep, DOC_INFO, NULL, "mount debugfs and run again",
		    "no kprobe blacklist readable (%s/kernel/debug/kprobes/blacklist): targets not checked against it",
		    env->sys_root);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(copy);
	free(kallsyms);
	free(black);
	free(filt);
}

/* ---- all -------------------------------------------------------------- */

void doctor_run(const struct doc_env *env, struct doc_report *rep)
{
	unsigned int strats = parse_strats(env->strategies);
	struct kv_list cfg;
	int have_cfg, n;

	memset(rep, 0, sizeof(*rep));
	kv_init(&cfg);
	if (env->euid != 0)
		add(rep, DOC_WARN,
		    "patchstorm run needs root (it loads a module and writes debugfs); some checks below cannot read root-only files",
		    "run as root (sudo)", "not running as root");
	have_cfg = !load_config(env, rep, &cfg);
	if (have_cfg)
		check_options(env, rep, &cfg, strats);
	check_module(env, rep, &cfg, have_cfg);
	check_mounts(env, rep);
	check_lockdown(env, rep);
	check_switches(env, rep, strats);
	check_targets(env, rep, strats);
	n = cpus_online(env);
	if (n == 1)
		add(rep, DOC_WARN,
		    "togglers and hammers share the one CPU: no cross-CPU patching race is tested",
		    "a machine (or guest) with 2 or more CPUs", "1 CPU online");
	else if (n > 1)
		add(rep, DOC_OK, NULL, NULL, "%d CPUs online", n);
	kv_free(&cfg);
}

char *doctor_text(const struct doc_report *rep, int quiet)
{
	static const char *const tag[] = { "ok", "info", "warn", "FAIL" };
	struct sbuf sb;
	size_t i;

	sb_init(&sb);
	sb_puts(&sb, "");
	for (i = 0; i < rep->n; i++) {
		const struct doc_finding *f = &rep->f[i];

		if (quiet && f->level < DOC_WARN)
			continue;
		sb_printf(&sb, "  %-4s  %s\n", tag[f->level], f->what);
		if (f->consequence && f->level >= DOC_WARN)
			sb_printf(&sb, "        consequence: %s\n",
				  f->consequence);
		if (f->fix && f->level >= DOC_INFO)
			sb_printf(&sb, "        fix: %s\n", f->fix);
	}
	if (rep->fails)
		sb_printf(&sb, "not ready: %zu problem%s (FAIL above)%s\n",
			  rep->fails, rep->fails == 1 ? "" : "s",
			  rep->warns ? ", and warnings" : "");
	else
		sb_printf(&sb, "ready%s\n", rep->warns ?
			  " (with warnings above)" : "");
	return sb_steal(&sb);
}

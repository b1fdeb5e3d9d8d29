// SPDX-License-Identifier: GPL-2.0
/*
 * patchstorm doctor against fake systems: a healthy one is ready, and
 * each thing taken away is named with its consequence and fix (exit 3).
 */
#include "test.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "doctor.h"
#include "kv.h"
#include "util.h"

struct cli {
	int code;
	char *out, *err;
};

static struct cli doctor(const char *sys, ...)
{
	const char *d = t_tmpdir();
	char *o = xasprintf("%s/o", d), *e = xasprintf("%s/e", d);
	char *argv[64];
	struct cli r;
	va_list ap;
	int argc = 0, st;
	pid_t pid;

	argv[argc++] = (char *)t_cli;
	argv[argc++] = "doctor";
	if (sys) {
		argv[argc++] = xasprintf("--proc-root=%s/proc", sys);
		argv[argc++] = xasprintf("--sys-root=%s/sys", sys);
		argv[argc++] = xasprintf("--boot-dir=%s/boot", sys);
		argv[argc++] = xasprintf("--modules-dir=%s/lib/modules", sys);
		argv[argc++] = xasprintf("--module=%s/patchstorm.ko", sys);
		argv[argc++] = "--release=6.12.9-test";
	}
	va_start(ap, sys);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr) ||
		    !freopen("/dev/null", "r", stdin))
			_exit(127);
		execv(t_cli, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	r.out = t_read(o);
	r.err = t_read(e);
	free(o);
	free(e);
	return r;
}

static void cli_free(struct cli *r)
{
	free(r->out);
	free(r->err);
}

static const char *sys_prefix(void)
{
	static struct utsname u;

	uname(&u);
	if (!strcmp(u.machine, "x86_64"))
		return "__x64_sys_";
	if (!strcmp(u.machine, "aarch64"))
		return "__arm64_sys_";
	return "__riscv_sys_";
}

static const char good_config[] =
	"# Automatically generated file; DO NOT EDIT.\n"
	"CONFIG_MODULES=y\nCONFIG_MODULE_UNLOAD=y\nCONFIG_DEBUG_FS=y\n"
	"CONFIG_KALLSYMS=y\nCONFIG_KALLSYMS_ALL=y\nCONFIG_FUNCTION_TRACER=y\n"
	"CONFIG_DYNAMIC_FTRACE=y\nCONFIG_KPROBES=y\nCONFIG_JUMP_LABEL=y\n"
	"CONFIG_FTRACE=y\nCONFIG_HIST_TRIGGERS=y\nCONFIG_MODULE_SIG=y\n"
	"# CONFIG_MODULE_SIG_FORCE is not set\n";

/* A module object with a .modinfo section, built by the host compiler. */
static int build_ko(const char *dir, const char *vermagic)
{
	char *c = xasprintf("%s/m.c", dir), *cmd;
	char *src = xasprintf(
		"__attribute__((section(\".modinfo\"), used))\n"
		"static const char info[] = \"license=GPL\\0%s\";\n"
		"int f(void) { return 0; }\n", vermagic);
	int st;

	t_write(dir, "m.c", src);
	cmd = xasprintf("cc -c -o %s/patchstorm.ko %s 2>/dev/null", dir, c);
	st = system(cmd);
	free(cmd);
	free(src);
	free(c);
	return st == 0 ? 0 : -1;
}

/* A system where everything is in order. */
static const char *healthy(void)
{
	const char *d = t_tmpdir();
	char *s;

	t_write(d, "boot/config-6.12.9-test", good_config);
	t_write(d, "proc/mounts",
		"sysfs /sys sysfs rw 0 0\nproc /proc proc rw 0 0\n"
		"none /sys/kernel/debug debugfs rw 0 0\n"
		"nodev /sys/kernel/tracing tracefs rw 0 0\n"
		"none /sys/kernel/security securityfs rw 0 0\n");
	t_write(d, "proc/sys/kernel/ftrace_enabled", "1\n");
	t_write(d, "proc/sys/kernel/kptr_restrict", "1\n");
	t_write(d, "proc/sys/kernel/modules_disabled", "0\n");
	s = xasprintf("ffffffff81000000 T %sgetpid\n"
		      "ffffffff81000100 T do_nothing\n"
		      "ffffffff81000200 T blacklisted_fn\n"
		      "ffffffff81000280 T in_blacklisted_range\n"
		      "ffffffff81000300 t victim_leaf\t[patchstorm]\n"
		      "ffffffff81000400 t __do_sys_getppid\n"
		      "ffffffff81000400 T %sgetppid\n",
		      sys_prefix(), sys_prefix());
	t_write(d, "proc/kallsyms", s);
	free(s);
	t_write(d, "sys/kernel/security/lockdown",
		"[none] integrity confidentiality\n");
	t_write(d, "sys/module/module/parameters/sig_enforce", "N\n");
	t_write(d, "sys/kernel/debug/kprobes/blacklist",
		"0xffffffff81000200-0xffffffff81000300\tblacklisted_fn\n");
	t_write(d, "sys/kernel/debug/kprobes/enabled", "1\n");
	/* getppid: listed under an alias, as x86_64's syscall wrappers are */
	s = xasprintf("%sgetpid\nblacklisted_fn\n__do_sys_getppid\n",
		      sys_prefix());
	t_write(d, "sys/kernel/tracing/available_filter_functions", s);
	free(s);
	t_write(d, "sys/devices/system/cpu/online", "0-3\n");
	t_write(d, "lib/modules/.keep", "");
	if (build_ko(d, "vermagic=6.12.9-test SMP preempt mod_unload "))
		t_fail(__FILE__, __LINE__, "cannot compile a fake module");
	return d;
}

static void test_doctor_ready(void)
{
	const char *d = healthy();
	struct cli r = doctor(d, "--targets", "victims,sys:getpid", NULL);

	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "config ");
	CHECK_HAS(r.out, "/boot/config-6.12.9-test\n");
	CHECK_HAS(r.out, "  ok    CONFIG_KPROBES=y\n");
	CHECK_HAS(r.out, "patchstorm.ko: vermagic matches 6.12.9-test\n");
	CHECK_HAS(r.out, "  ok    kernel lockdown: none\n");
	CHECK_HAS(r.out, ", not on the kprobe blacklist, an ftrace site\n");
	CHECK_HAS(r.out, "  ok    4 CPUs online\n");
	CHECK_LACKS(r.out, "FAIL");
	CHECK_LACKS(r.out, "warn");
	CHECK(strstr(r.out, "\nready\n") != NULL);
	CHECK_STR(r.err, "");
	cli_free(&r);
	/* --quiet: the verdict alone */
	r = doctor(d, "--quiet", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "\nready\n");
	CHECK_LACKS(r.out, "  ok");
	cli_free(&r);
}

/* /proc/config.gz is read (gzip) before /boot. */
static void test_doctor_config_gz(void)
{
	const char *d = healthy();
	char *cmd = xasprintf("sed /CONFIG_KPROBES=/d %s/boot/config-6.12.9-test | gzip -c >%s/proc/config.gz",
			      d, d);
	struct cli r;

	CHECK_INT(system(cmd), 0);
	free(cmd);
	r = doctor(d, NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "/proc/config.gz\n");
	CHECK_HAS(r.out, "  FAIL  CONFIG_KPROBES is not set\n        consequence: kprobe-arm and kprobe-register cannot run");
	CHECK_HAS(r.out, "not ready: 1 problem (FAIL above)\n");
	cli_free(&r);
	/* not needed when the kprobe strategies are not asked for */
	r = doctor(d, "--strategies", "static-key,ftrace-filter", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "  info  CONFIG_KPROBES is not set (only kprobe-arm, kprobe-register need it; not asked for)\n");
	cli_free(&r);
}

static void with(const char *d, const char *file, const char *text,
		 const char *arg, int code, const char *want)
{
	struct cli r;

	t_write(d, file, text);
	r = doctor(d, arg, NULL);
	CHECK_INT(r.code, code);
	CHECK_HAS(r.out, want);
	if (code == 3)
		CHECK_HAS(r.out, "not ready");
	cli_free(&r);
}

static void test_doctor_runtime(void)
{
	const char *d = healthy();
	char *s;

	with(d, "proc/sys/kernel/ftrace_enabled", "0\n", NULL, 3,
	     "  FAIL  kernel.ftrace_enabled=0\n        consequence: function tracing is switched off");
	with(d, "proc/sys/kernel/ftrace_enabled", "0\n", NULL, 3,
	     "        fix: sysctl kernel.ftrace_enabled=1\n");
	with(d, "proc/sys/kernel/ftrace_enabled", "0\n",
	     "--strategies=static-key", 0, "  warn  kernel.ftrace_enabled=0\n");
	t_write(d, "proc/sys/kernel/ftrace_enabled", "1\n");
	with(d, "sys/kernel/security/lockdown",
	     "none [integrity] confidentiality\n", NULL, 3,
	     "  FAIL  kernel lockdown: integrity\n        consequence: writable debugfs files are refused");
	with(d, "sys/kernel/security/lockdown",
	     "none integrity [confidentiality]\n", NULL, 3,
	     "  FAIL  kernel lockdown: confidentiality\n");
	t_write(d, "sys/kernel/security/lockdown", "[none] integrity\n");
	with(d, "sys/kernel/debug/kprobes/enabled", "0\n", NULL, 3,
	     "  FAIL  kprobes are disabled");
	t_write(d, "sys/kernel/debug/kprobes/enabled", "1\n");
	with(d, "proc/sys/kernel/kptr_restrict", "2\n", NULL, 0,
	     "  warn  kernel.kptr_restrict=2\n");
	t_write(d, "proc/sys/kernel/kptr_restrict", "1\n");
	with(d, "proc/sys/kernel/modules_disabled", "1\n", NULL, 3,
	     "  FAIL  kernel.modules_disabled=1\n");
	t_write(d, "proc/sys/kernel/modules_disabled", "0\n");
	with(d, "proc/mounts", "proc /proc proc rw 0 0\n", NULL, 0,
	     "  warn  debugfs is not mounted\n");
	with(d, "sys/devices/system/cpu/online", "0\n", NULL, 0,
	     "  warn  1 CPU online\n");
	/* signatures: enforced, and the module is not signed */
	with(d, "sys/module/module/parameters/sig_enforce", "Y\n", NULL, 3,
	     "  FAIL  module signatures are enforced (module.sig_enforce=Y) and ");
	s = xasprintf("%s/patchstorm.ko", d);
	{
		char *cmd = xasprintf("printf '~Module signature appended~\\n' >>%s",
				      s);

		CHECK_INT(system(cmd), 0);
		free(cmd);
	}
	with(d, "sys/module/module/parameters/sig_enforce", "Y\n", NULL, 0,
	     "  info  module signatures are enforced; ");
	free(s);
}

static void test_doctor_module(void)
{
	const char *d = healthy();
	char *other = xasprintf("%s/other", d), *arg;
	struct cli r;

	/* built for another kernel */
	r = doctor(d, "--release", "6.13.0", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, ": vermagic \"6.12.9-test\", running kernel 6.13.0\n        consequence: insmod refuses it: Invalid module format (vermagic mismatch)\n");
	cli_free(&r);
	/* built for another machine */
	r = doctor(d, "--machine", "riscv64", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, ", this machine is riscv64\n");
	cli_free(&r);
	/* not a module */
	t_write(d, "other", "not an ELF file\n");
	arg = xasprintf("--module=%s", other);
	r = doctor(d, arg, NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "other: not an ELF file\n");
	cli_free(&r);
	free(arg);
	free(other);
	/* none found: a warning; found under /lib/modules/R/updates/dkms */
	{
		char *cmd = xasprintf("mkdir -p %s/lib/modules/6.12.9-test/updates/dkms && mv %s/patchstorm.ko %s/lib/modules/6.12.9-test/updates/dkms/",
				      d, d, d);
		char *pr = xasprintf("--proc-root=%s/proc", d);
		char *sr = xasprintf("--sys-root=%s/sys", d);
		char *bd = xasprintf("--boot-dir=%s/boot", d);
		char *md = xasprintf("--modules-dir=%s/lib/modules", d);

		r = doctor(NULL, pr, sr, bd, md, "--release=6.12.9-test", NULL);
		CHECK_INT(r.code, 0);
		CHECK_HAS(r.out, "  warn  no patchstorm.ko in . or ");
		cli_free(&r);
		CHECK_INT(system(cmd), 0);
		r = doctor(NULL, pr, sr, bd, md, "--release=6.12.9-test", NULL);
		CHECK_INT(r.code, 0);
		CHECK_HAS(r.out, "/updates/dkms/patchstorm.ko: vermagic matches 6.12.9-test\n");
		cli_free(&r);
		/* compressed, as Debian installs modules, and signed inside */
		free(cmd);
		cmd = xasprintf("cd %s/lib/modules/6.12.9-test/updates/dkms && printf '~Module signature appended~\\n' >>patchstorm.ko && xz patchstorm.ko",
				d);
		if (system("xz --version >/dev/null 2>&1")) {
			t_skip("no xz to compress a module with");
		} else {
			CHECK_INT(system(cmd), 0);
			t_write(d, "sys/module/module/parameters/sig_enforce",
				"Y\n");
			r = doctor(NULL, pr, sr, bd, md, "--release=6.12.9-test",
				   NULL);
			CHECK_INT(r.code, 0);
			CHECK_HAS(r.out, "/updates/dkms/patchstorm.ko.xz: vermagic matches 6.12.9-test\n");
			CHECK_HAS(r.out, "patchstorm.ko.xz is signed");
			cli_free(&r);
		}
		free(cmd);
		free(pr);
		free(sr);
		free(bd);
		free(md);
	}
}

static void test_doctor_config(void)
{
	const char *d = healthy();
	char *cfg = xasprintf("%s/forced.config", d), *arg;
	struct cli r;

	t_write(d, "forced.config", "CONFIG_MODULES=y\nCONFIG_DEBUG_FS=y\n"
		"CONFIG_MODULE_SIG_FORCE=y\n# CONFIG_JUMP_LABEL is not set\n");
	arg = xasprintf("--config=%s", cfg);
	r = doctor(d, arg, NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "forced.config\n");
	CHECK_HAS(r.out, "  FAIL  CONFIG_JUMP_LABEL is not set\n        consequence: static-key and static-key-ref cannot run");
	CHECK_HAS(r.out, "  FAIL  module signatures are enforced (CONFIG_MODULE_SIG_FORCE=y) and ");
	CHECK_HAS(r.out, "  warn  CONFIG_HIST_TRIGGERS is not set\n");
	cli_free(&r);
	free(arg);
	/* a --config that cannot be read is a failure, not a guess */
	r = doctor(d, "--config=/nonexistent/config", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "  FAIL  kernel config /nonexistent/config: No such file or directory\n");
	cli_free(&r);
	/* no config anywhere: a warning */
	arg = xasprintf("%s/boot/config-6.12.9-test", d);
	unlink(arg);
	free(arg);
	r = doctor(d, NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "  warn  no kernel config: neither ");
	cli_free(&r);
	free(cfg);
}

static void test_doctor_targets(void)
{
	const char *d = healthy();
	struct cli r;

	r = doctor(d, "--targets", "blacklisted_fn", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "  FAIL  target blacklisted_fn: blacklisted_fn is on the kprobe blacklist\n");
	cli_free(&r);
	r = doctor(d, "--targets", "blacklisted_fn", "--strategies",
		   "ftrace-filter", NULL);
	CHECK_INT(r.code, 0);
	cli_free(&r);
	r = doctor(d, "--targets", "do_nothing", "--strategies", "ftrace-ops",
		   NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "do_nothing is not in available_filter_functions\n        consequence: it is not an ftrace site");
	cli_free(&r);
	/* an alias at the same address is in available_filter_functions */
	r = doctor(d, "--targets", "sys:getppid", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "  ok    target sys:getppid (");
	cli_free(&r);
	/* on the blacklist by address, under the range's own name */
	r = doctor(d, "--targets", "in_blacklisted_range", "--strategies",
		   "kprobe-arm", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "in_blacklisted_range is on the kprobe blacklist");
	cli_free(&r);
	r = doctor(d, "--targets", "no_such_fn", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.out, "  FAIL  target no_such_fn: no_such_fn is not in ");
	cli_free(&r);
}

static void test_doctor_usage(void)
{
	struct cli r;

	r = doctor(NULL, "--strategies", "bogus", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "patchstorm doctor: --strategies: unknown strategy \"bogus\"");
	cli_free(&r);
	r = doctor(NULL, "--frob", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "unknown argument --frob");
	cli_free(&r);
	r = doctor(NULL, "--config", NULL);
	CHECK_INT(r.code, 2);
	cli_free(&r);
	r = doctor(NULL, "--help", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "--sys-root DIR");
	cli_free(&r);
}

static void test_doctor_parsers(void)
{
	struct kv_list l;
	char out[64], err[256];

	kv_init(&l);
	CHECK_INT(doctor_parse_config(&l, "CONFIG_A=y\n# CONFIG_B is not set\n"
				      "CONFIG_C=\"x y\"\n# comment\nnoise\n"), 3);
	CHECK_STR(kv_get(&l, "CONFIG_A"), "y");
	CHECK_STR(kv_get(&l, "CONFIG_B"), "n");
	CHECK_STR(kv_get(&l, "CONFIG_C"), "\"x y\"");
	kv_free(&l);
	CHECK_INT(doctor_modinfo("/nonexistent.ko", "vermagic", out,
				 sizeof(out), err, sizeof(err)), -1);
	CHECK_HAS(err, "No such file");
	CHECK(doctor_ko_machine("/nonexistent.ko") == NULL);
}

void suite_doctor(void)
{
	RUN(test_doctor_ready);
	RUN(test_doctor_config_gz);
	RUN(test_doctor_runtime);
	RUN(test_doctor_module);
	RUN(test_doctor_config);
	RUN(test_doctor_targets);
	RUN(test_doctor_usage);
	RUN(test_doctor_parsers);
}

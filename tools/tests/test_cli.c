// SPDX-License-Identifier: GPL-2.0
/* The patchstorm binary against fake debugfs directories of plain files. */
#include "test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util.h"

struct cli {
	int code;
	char *out;
	char *err;
};

/* Non-zero: run_cli() runs patchstorm as this user (the test is root). */
static uid_t run_as;

/* Run patchstorm with the NULL-terminated args; @env "K=V" or NULL. */
static struct cli run_cli(const char *env, ...)
{
	const char *dir = t_tmpdir();
	char *outp = xasprintf("%s/out", dir), *errp = xasprintf("%s/err", dir);
	char *argv[64];
	struct cli r;
	va_list ap;
	int argc = 1, st;
	pid_t pid;

	argv[0] = (char *)t_cli;
	va_start(ap, env);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int n = open("/dev/null", O_RDONLY);

		dup2(n, 0);
		dup2(o, 1);
		dup2(e, 2);
		if (env)
			putenv((char *)env);
		if (run_as && (setgid(run_as) || setuid(run_as)))
			_exit(126);
		execv(t_cli, argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	r.code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = t_read(outp);
	r.err = t_read(errp);
	free(outp);
	free(errp);
	return r;
}

static void cli_free(struct cli *r)
{
	free(r->out);
	free(r->err);
}

static const char *fake(const char *state, const char *verdict)
{
	const char *dir = t_tmpdir();

	t_fake_debugfs(dir, state, verdict);
	return dir;
}

static char *at(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *s = t_read(p);

	free(p);
	return s;
}

static void test_usage(void)
{
	struct cli r;

	r = run_cli(NULL, NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "usage: patchstorm");
	cli_free(&r);
	r = run_cli(NULL, "frob", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "unknown command \"frob\"");
	cli_free(&r);
	r = run_cli(NULL, "--help", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "compare A B");
	cli_free(&r);
	r = run_cli(NULL, "run", "--help", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "--toggler-cpus LIST");
	cli_free(&r);
	/* --dry-run prints the validated configuration and touches nothing */
	r = run_cli(NULL, "run", "--dry-run", "--debugfs", "/nonexistent",
		    "--strategies=all", "--targets", "victims,sys:getpid",
		    "--duration", "5m", "--toggler-cpus", "0-4095", NULL);
	CHECK_INT(r.code, 0);
	CHECK_STR(r.out, "strategies=all\ntargets=victims,sys:getpid\n"
		  "duration=300\ntoggler_cpus=0-4095\n");
	cli_free(&r);
	r = run_cli(NULL, "run", "--dry-run", "--targets", "sys:", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "--targets: \"sys:\" is not a function name");
	CHECK_STR(r.out, "");
	cli_free(&r);
	r = run_cli(NULL, "status", "extra", NULL);
	CHECK_INT(r.code, 2);
	cli_free(&r);
}

static void test_status(void)
{
	const char *d = fake("running", "NONE");
	char *env = xasprintf("PATCHSTORM_DEBUGFS=%s", d);
	struct cli r;

	r = run_cli(NULL, "--debugfs", d, "status", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "running 20s/20s  toggles 400k  hits 12.0M");
	CHECK_HAS(r.out, "verdict: NONE\n");
	CHECK_HAS(r.out, "config: strategies=ftrace-filter,static-key targets=victim_leaf");
	cli_free(&r);
	/* the environment variable and --debugfs after the command */
	r = run_cli(env, "status", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "verdict: NONE");
	cli_free(&r);
	r = run_cli(NULL, "status", "--debugfs", d, NULL);
	CHECK_INT(r.code, 0);
	cli_free(&r);
	free(env);
}

static void test_missing_dir(void)
{
	static const char *const cmds[] = {
		"status", "stats", "hist", "anomalies", "stop", "caps", "reset",
	};
	struct cli r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		r = run_cli(NULL, "--debugfs", "/nonexistent/ps", cmds[i],
			    NULL);
		CHECK_INT(r.code, 3);
		CHECK_HAS(r.err, "/nonexistent/ps does not exist");
		CHECK_INT(strchr(r.err, '\n') - r.err, (long)strlen(r.err) - 1);
		cli_free(&r);
	}
}

static void test_stats(void)
{
	const char *d = fake("done", "SUCCESS");
	char *want = at(d, "stats");
	struct cli r;

	r = run_cli(NULL, "stats", "--debugfs", d, NULL);
	CHECK_INT(r.code, 0);
	CHECK_STR(r.out, want);
	cli_free(&r);
	r = run_cli(NULL, "stats", "--debugfs", d, "--json", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "\"toggles.static-key.disable\": 99999");
	CHECK_HAS(r.out, "\"reason\": \"\"");
	CHECK_JSON(r.out);
	cli_free(&r);
	free(want);
}

static void test_hist(void)
{
	const char *d = fake("done", "SUCCESS");
	struct cli r;

	r = run_cli(NULL, "--debugfs", d, "hist", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "patch.ftrace-filter.enable");
	CHECK_HAS(r.out, "stall");
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", d, "hist", "stall", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "stall: count 3, overflow 1");
	CHECK_HAS(r.out, "p50 70ns");
	CHECK_LACKS(r.out, "patch.ftrace");
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", d, "hist", "--json", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "unexpected argument \"--json\"");
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", d, "hist", "nope", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "no histogram \"nope\"");
	cli_free(&r);
	/* a corrupt histogram file is reported, not misread */
	t_write(d, "hist/bad", "1001 1004 1\n");
	r = run_cli(NULL, "--debugfs", d, "hist", "stall", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "histogram bad: line 1");
	cli_free(&r);
}

static void test_anomalies_caps(void)
{
	const char *d = fake("done", "FAILURE");
	const char *ok = fake("done", "SUCCESS");
	struct cli r;

	r = run_cli(NULL, "--debugfs", d, "anomalies", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "kind");
	CHECK_HAS(r.out, "victim_key+0x0/0x20");
	CHECK_HAS(r.out, "detail=7");
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", ok, "anomalies", NULL);
	CHECK_INT(r.code, 0);
	CHECK_STR(r.out, "no anomalies\n");
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", ok, "caps", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "arch=riscv64\n");
	cli_free(&r);
}

static void test_stop_reset(void)
{
	const char *d = fake("done", "SUCCESS");
	char *ctl;
	struct cli r;

	r = run_cli(NULL, "--debugfs", d, "stop", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "stopped: state done, verdict SUCCESS");
	ctl = at(d, "control");
	CHECK_STR(ctl, "stop\n");
	free(ctl);
	cli_free(&r);
	r = run_cli(NULL, "--debugfs", d, "reset", NULL);
	CHECK_INT(r.code, 0);
	ctl = at(d, "control");
	CHECK_STR(ctl, "reset\n");
	free(ctl);
	cli_free(&r);
	/* a control file that cannot be written: errno and a hint */
	chmod(d, 0755);
	{
		char *p = xasprintf("%s/control", d);

		unlink(p);
		mkdir(p, 0755);
		free(p);
	}
	/* the storm is over anyway: nothing to stop is fine */
	r = run_cli(NULL, "--debugfs", d, "stop", NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.err, "no storm is running (state done)");
	cli_free(&r);
	/* still running: the errno, and the module's last_error */
	t_write(d, "stats", "state=running\nlast_error=\n");
	r = run_cli(NULL, "--debugfs", d, "stop", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "patchstorm stop: Is a directory: see dmesg");
	cli_free(&r);
	t_write(d, "stats", "state=running\nlast_error=stop timed out\n");
	r = run_cli(NULL, "--debugfs", d, "stop", NULL);
	CHECK_INT(r.code, 3);
	CHECK_STR(r.err, "patchstorm stop: Is a directory: stop timed out\n");
	cli_free(&r);
}

static void test_run_bad_options(void)
{
	struct cli r;

	r = run_cli(NULL, "run", "--togglers", "0", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "patchstorm run: --togglers: 0 is out of range");
	cli_free(&r);
	r = run_cli(NULL, "run", "--strategies", "bogus", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "--strategies: unknown strategy \"bogus\"");
	cli_free(&r);
	r = run_cli(NULL, "run", "--duration", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "--duration needs a value");
	cli_free(&r);
	r = run_cli(NULL, "run", "--hammer-cpus", "0-60000", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "CPU 60000 does not exist");
	cli_free(&r);
}

/* Not root: exit 3 and say so (as root, the CLI runs as nobody). */
static void test_run_not_root(void)
{
	const char *nokp = fake("idle", "NONE");
	struct cli r;

	if (geteuid() == 0)
		run_as = 65534;
	r = run_cli(NULL, "run", "--debugfs", nokp, NULL);
	run_as = 0;
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "must run as root");
	cli_free(&r);
}

static void test_run_environment(void)
{
	const char *busy = fake("running", "NONE");
	const char *nokp = fake("idle", "NONE");
	struct cli r;

	if (geteuid() != 0) {
		t_skip("not root: `patchstorm run` stops at the root check");
		return;
	}
	r = run_cli(NULL, "run", "--debugfs", "/nonexistent/ps", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "/nonexistent/ps does not exist");
	cli_free(&r);
	r = run_cli(NULL, "run", "--debugfs", busy, NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "a storm is already running; `patchstorm stop`");
	cli_free(&r);
	r = run_cli(NULL, "run", "--debugfs", nokp, "--strategies",
		    "ftrace-filter,kprobe-arm", NULL);
	CHECK_INT(r.code, 3);
	CHECK_HAS(r.err, "kprobe-arm needs CONFIG_KPROBES");
	cli_free(&r);
	/* the module refuses the config: its last_error is shown */
	{
		const char *rej = fake("idle", "NONE");
		char *p = xasprintf("%s/config", rej);

		unlink(p);
		mkdir(p, 0755);
		free(p);
		t_write(rej, "stats",
			"state=idle\nlast_error=targets: no symbol 'nosuch'\n");
		r = run_cli(NULL, "run", "--debugfs", rej, "--targets",
			    "nosuch", NULL);
		CHECK_INT(r.code, 3);
		CHECK_HAS(r.err, "the module rejected the configuration: targets: no symbol 'nosuch' (Is a directory)");
		/* one line: no dump of what was written */
		CHECK_INT(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, 1);
		cli_free(&r);
	}
}

/* A whole run against a fake module whose storm is already done. */
static void test_run_fake_storm(void)
{
	const char *d = fake("done", "FAILURE");
	const char *out = t_tmpdir();
	char *json = xasprintf("%s/r.json", out);
	char *save = xasprintf("%s/saved", out);
	char *s;
	struct cli r;

	if (geteuid() != 0) {
		t_skip("not root: `patchstorm run` stops at the root check");
		goto out;
	}
	r = run_cli(NULL, "run", "--debugfs", d, "--strategies",
		    "ftrace-filter,static-key", "--duration", "20s",
		    "--togglers", "2", "--json", json, "--save", save, NULL);
	CHECK_INT(r.code, 1);
	CHECK(!strncmp(r.out, "verdict: FAILURE", 16));
	CHECK_HAS(r.out, "strategies:");
	CHECK_HAS(r.out, "histograms:");
	s = at(d, "config");
	CHECK_STR(s, "strategies=ftrace-filter,static-key\nduration=20\n"
		  "togglers=2\n");
	free(s);
	s = at(d, "control");
	CHECK_STR(s, "start\n");
	free(s);
	s = t_read(json);
	CHECK_JSON(s);
	CHECK_HAS(s, "\"verdict\": \"FAILURE\"");
	free(s);
	cli_free(&r);

	/* the saved results and the JSON give the same report */
	r = run_cli(NULL, "report", save, NULL);
	CHECK_INT(r.code, 1);
	CHECK(!strncmp(r.out, "verdict: FAILURE", 16));
	s = r.out;
	r.out = NULL;
	cli_free(&r);
	r = run_cli(NULL, "report", json, NULL);
	CHECK_INT(r.code, 1);
	CHECK_STR(r.out, s);
	free(s);
	cli_free(&r);

	/* --quiet: the verdict only; SUCCESS exits 0 */
	d = fake("done", "SUCCESS");
	r = run_cli(NULL, "run", "--debugfs", d, "--quiet", NULL);
	CHECK_INT(r.code, 0);
	CHECK_STR(r.out, "verdict: SUCCESS\n");
	cli_free(&r);
out:
	free(json);
	free(save);
}

static void test_report_cmd(void)
{
	struct cli r;

	r = run_cli(NULL, "report", NULL);
	CHECK_INT(r.code, 2);
	cli_free(&r);
	r = run_cli(NULL, "report", "/nonexistent.json", NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "cannot read /nonexistent.json");
	cli_free(&r);
	r = run_cli(NULL, "report", fake("done", "SUCCESS"), NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "verdict: SUCCESS");
	cli_free(&r);
}

static void test_compare_cmd(void)
{
	const char *a = fake("done", "SUCCESS"), *b = fake("done", "SUCCESS");
	struct cli r;

	/* B toggles half as fast */
	t_write(b, "stats", "state=done\nverdict=SUCCESS\n"
		"elapsed_ns=20000000000\ntoggles=200000\n");
	r = run_cli(NULL, "compare", a, b, NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "toggles/s");
	CHECK_HAS(r.out, "0.50  worse");
	cli_free(&r);
	r = run_cli(NULL, "compare", "--fail", a, b, NULL);
	CHECK_INT(r.code, 1);
	cli_free(&r);
	r = run_cli(NULL, "compare", "--fail", a, a, NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "0 worse, 0 better");
	cli_free(&r);
	r = run_cli(NULL, "compare", "--threshold", "x", a, b, NULL);
	CHECK_INT(r.code, 2);
	CHECK_HAS(r.err, "--threshold x: use a percentage");
	cli_free(&r);
	r = run_cli(NULL, "compare", a, NULL);
	CHECK_INT(r.code, 2);
	cli_free(&r);
	r = run_cli(NULL, "compare", "--json", "-", a, b, NULL);
	CHECK_INT(r.code, 0);
	CHECK_HAS(r.out, "\"kind\": \"compare\"");
	cli_free(&r);
}

/* Replace DIR/NAME atomically, as the CLI may be reading it. */
static void write_atomic(const char *dir, const char *name, const char *text)
{
	char *tmp = xasprintf("%s.tmp", name);
	char *from = xasprintf("%s/%s", dir, tmp);
	char *to = xasprintf("%s/%s", dir, name);

	t_write(dir, tmp, text);
	rename(from, to);
	free(tmp);
	free(from);
	free(to);
}

/* Poll DIR/control until it holds @want (5 s at most). */
static int wait_control(const char *dir, const char *want)
{
	int i;

	for (i = 0; i < 500; i++) {
		char *s = at(dir, "control");
		int ok = !strcmp(s, want);

		free(s);
		if (ok)
			return 1;
		usleep(10000);
	}
	return 0;
}

/* ^C during a storm: stop is written, the report follows. */
static void test_run_sigint(void)
{
	const char *d = fake("idle", "NONE"), *o = t_tmpdir();
	char *errp = xasprintf("%s/err", o), *outp = xasprintf("%s/out", o);
	char *err, *out;
	int st;
	pid_t pid;

	if (geteuid() != 0) {
		t_skip("not root: `patchstorm run` stops at the root check");
		goto done;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fo, 1);
		dup2(fe, 2);
		execl(t_cli, t_cli, "run", "--debugfs", d, "--duration", "0",
		      (char *)NULL);
		_exit(127);
	}
	CHECK(wait_control(d, "start\n"));
	write_atomic(d, "stats", "state=running\nverdict=NONE\n"
		     "elapsed_ns=1000000000\ntoggles=10\n");
	usleep(300000);
	kill(pid, SIGINT);
	CHECK(wait_control(d, "stop\n"));
	write_atomic(d, "stats", "state=done\nverdict=SUCCESS\n"
		     "elapsed_ns=1500000000\ntoggles=15\n");
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	err = t_read(errp);
	out = t_read(outp);
	CHECK_HAS(err, "patchstorm: Interrupt, stopping the storm");
	CHECK_HAS(out, "running 1s/-  toggles 10");
	CHECK_HAS(out, "verdict: SUCCESS\n");
	free(err);
	free(out);
done:
	free(errp);
	free(outp);
}

void suite_cli(void)
{
	RUN(test_usage);
	RUN(test_status);
	RUN(test_missing_dir);
	RUN(test_stats);
	RUN(test_hist);
	RUN(test_anomalies_caps);
	RUN(test_stop_reset);
	RUN(test_run_bad_options);
	RUN(test_run_not_root);
	RUN(test_run_environment);
	RUN(test_run_fake_storm);
	RUN(test_report_cmd);
	RUN(test_compare_cmd);
	RUN(test_run_sigint);
}

// SPDX-License-Identifier: GPL-2.0
/* patchstorm run: load, configure, start, watch, report. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cmds.h"
#include "debugfs.h"
#include "kstate.h"
#include "ktap.h"
#include "opts.h"
#include "progress.h"
#include "report.h"
#include "util.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL);	/* a signal cuts it short: fine */
}

/* --toggler-cpus/--hammer-cpus name CPUs this system has? */
static int check_cpus(const struct kv_list *config)
{
	static const char *const keys[] = { "toggler_cpus", "hammer_cpus" };
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	unsigned int max;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = kv_get(config, keys[i]);

		if (!v || parse_cpulist(v, &max) || ncpu <= 0 || max < ncpu)
			continue;
		cmd_error("run", PS_EXIT_USAGE,
			  "--%s %s: CPU %u does not exist; this system has CPUs 0-%ld",
			  i ? "hammer-cpus" : "toggler-cpus", v, max, ncpu - 1);
		return -1;
	}
	return 0;
}

/*
 * Strategies the kernel cannot do: caps says strategy.NAME=0 and which
 * kernel option strategy.NAME.needs.
 */
static int check_caps(const char *dir, const struct kv_list *config)
{
	const char *list = kv_get(config, "strategies");
	struct kv_list caps;
	char key[96], *s, *copy, *name, *save = NULL;
	const char *c;
	int ret = 0;

	if (!list || !strcmp(list, "all"))
		return 0;
	s = ps_df_read(dir, "caps");
	if (!s)
		return 0;
	kv_init(&caps);
	kv_parse_lines(&caps, s);
	free(s);
	copy = xstrdup(list);
	for (name = strtok_r(copy, ",", &save); name && !ret;
	     name = strtok_r(NULL, ",", &save)) {
		snprintf(key, sizeof(key), "strategy.%s", name);
		c = kv_get(&caps, key);
		if (!c || strcmp(c, "0"))
			continue;
		snprintf(key, sizeof(key), "strategy.%s.needs", name);
		cmd_error("run", PS_EXIT_ENV,
			  "strategy %s needs %s, missing here (caps: strategy.%s=0); provide it or pick other --strategies",
			  name, kv_get(&caps, key) ? kv_get(&caps, key) : "a kernel option",
			  name);
		ret = -1;
	}
	free(copy);
	kv_free(&caps);
	return ret;
}

/* Module directory ready (mounted, loaded)? NULL after an error. */
static const char *prepare_dir(const struct run_opts *o, int *module_ignored)
{
	const char *dir = ps_debugfs_dir(o->debugfs);
	const char *inject;
	char msg[1024];
	int i;

	if (ps_debugfs_overridden(o->debugfs)) {
		if (!is_dir(dir)) {
			cmd_error("run", PS_EXIT_ENV,
				  "%s does not exist (set by --debugfs or $%s)",
				  dir, PS_DEBUGFS_ENV);
			return NULL;
		}
		return dir;
	}
	if (ps_debugfs_mount(msg, sizeof(msg))) {
		cmd_error("run", PS_EXIT_ENV, "%s", msg);
		return NULL;
	}
	if (is_dir(dir)) {
		*module_ignored = o->module != NULL;
		return dir;
	}
	inject = kv_get(&o->config, "inject");
	/* an --inject run opts in, as the module wants at load */
	if (ps_module_load(o->module, inject && strcmp(inject, "none") ?
			   "allow_inject=1" : NULL, msg, sizeof(msg))) {
		cmd_error("run", PS_EXIT_ENV, "%s", msg);
		return NULL;
	}
	for (i = 0; i < 30 && !is_dir(dir); i++)
		sleep_s(0.1);
	if (!is_dir(dir)) {
		cmd_error("run", PS_EXIT_ENV,
			  "module loaded but %s did not appear (a different module named patchstorm?); see dmesg",
			  dir);
		return NULL;
	}
	return dir;
}

static int read_stats(const char *dir, struct kv_list *stats)
{
	char *s = ps_df_read(dir, "stats");

	kv_free(stats);
	if (!s)
		return -errno;
	kv_parse_lines(stats, s);
	free(s);
	return 0;
}

static int state_is(const struct kv_list *stats, const char *state)
{
	const char *s = kv_get(stats, "state");

	return s && !strcmp(s, state);
}

static int configure(const char *dir, const struct run_opts *o)
{
	struct kv_list stats;
	char *text;
	int e;

	kv_init(&stats);
	e = read_stats(dir, &stats);
	if (e) {
		kv_free(&stats);
		return cmd_error("run", PS_EXIT_ENV, "cannot read %s/stats: %s",
				 dir, strerror(-e));
	}
	if (state_is(&stats, "running")) {
		kv_free(&stats);
		return cmd_error("run", PS_EXIT_ENV,
				 "a storm is already running; `patchstorm stop`");
	}
	if (!state_is(&stats, "idle")) {
		/* results of an earlier storm: clear them */
		e = ps_df_write(dir, "control", "reset\n");
		if (e) {
			kv_free(&stats);
			return cmd_error("run", PS_EXIT_ENV,
					 "reset failed: %s: %s", strerror(-e),
					 ps_control_hint("reset", -e));
		}
	}
	kv_free(&stats);
	if (!o->config.n)
		return 0;
	text = opts_config_text(&o->config);
	e = ps_df_write(dir, "config", text);
	if (e) {
		int code = (e == -EINVAL || e == -ERANGE) ? PS_EXIT_USAGE :
			   PS_EXIT_ENV;
		char *why = ps_last_error(dir);

		cmd_error("run", code,
			  "the module rejected the configuration: %s (%s); see `patchstorm caps`",
			  why ? why : e == -EBUSY ? "a storm is running" :
			  "see `dmesg | tail`", strerror(-e));
		free(why);
		free(text);
		return code;
	}
	free(text);
	return 0;
}

/*
 * Thread counts seen while the storm ran: the module reports 0 once its
 * threads are gone, the report should say how many there were.
 */
struct seen_threads {
	u64 togglers, hammers;
};

static void note_threads(struct seen_threads *t, const struct kv_list *stats)
{
	u64 v;

	if (!kv_get_u64(stats, "togglers", &v) && v > t->togglers)
		t->togglers = v;
	if (!kv_get_u64(stats, "hammers", &v) && v > t->hammers)
		t->hammers = v;
}

static void fix_threads(struct kv_list *stats, const struct seen_threads *t)
{
	static const char *const keys[] = { "togglers", "hammers" };
	u64 seen[] = { t->togglers, t->hammers };
	char b[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (kv_u64(stats, keys[i], 0) || !seen[i] ||
		    !kv_get(stats, keys[i]))
			continue;
		snprintf(b, sizeof(b), "%llu", seen[i]);
		kv_set(stats, keys[i], b);
	}
}

static int watch(const char *dir, const struct run_opts *o, FILE *out,
		 struct kv_list *stats, struct seen_threads *threads)
{
	struct progress pr;
	double start = now_s(), stop_deadline = 0;
	int seen_running = 0, stop_sent = 0;
	int tty = isatty(fileno(out));

	progress_init(&pr, out, tty);
	for (;;) {
		int e;

		if (got_signal && !stop_sent) {
			progress_finish(&pr);
			fprintf(stderr, "patchstorm: %s, stopping the storm\n",
				strsignal(got_signal));
			e = ps_df_write(dir, "control", "stop\n");
			if (e && e != -EALREADY && e != -ESRCH)
				fprintf(stderr, "patchstorm run: stop: %s\n",
					strerror(-e));
			stop_sent = 1;
			stop_deadline = now_s() + 30;
		}
		e = read_stats(dir, stats);
		if (e) {
			progress_finish(&pr);
			return cmd_error("run", PS_EXIT_ENV,
					 "cannot read %s/stats: %s (module unloaded?)",
					 dir, strerror(-e));
		}
		if (state_is(stats, "running")) {
			seen_running = 1;
			note_threads(threads, stats);
		}
		if (!o->quiet && state_is(stats, "running"))
			progress_update(&pr, stats, now_s() - start);
		if (state_is(stats, "done") ||
		    (!state_is(stats, "running") &&
		     (seen_running || now_s() - start > 3)))
			break;
		if (stop_sent && now_s() > stop_deadline) {
			progress_finish(&pr);
			return cmd_error("run", PS_EXIT_ENV,
					 "the storm did not stop within 30 s; see dmesg");
		}
		sleep_s(tty ? 0.25 : 1.0);
	}
	progress_finish(&pr);
	return 0;
}

/* --trace: `trace-cmd record -e patchstorm -o FILE` around the storm. */
static const char *tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing",
					    "/sys/kernel/debug/tracing" };
	char p[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(p, sizeof(p), "%s/events/patchstorm", dirs[i]);
		if (!access(p, F_OK))
			return dirs[i];
	}
	return NULL;
}

static int read_flag(const char *dir, const char *file)
{
	char p[256], c = 0;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, file);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == '1';
}

/*
 * Start recording; returns once trace-cmd has enabled the events and
 * turned tracing on (it turns both off and clears the buffers first).
 * The pid, or -1 after an error message.
 */
static pid_t trace_start(const char *file)
{
	const char *tr = tracefs_dir();
	char log[4096];
	pid_t pid;
	int i, fd;

	if (!tr) {
		cmd_error("run", PS_EXIT_ENV,
			  "--trace: no patchstorm events in tracefs (mount -t tracefs nodev /sys/kernel/tracing; CONFIG_FTRACE)");
		return -1;
	}
	snprintf(log, sizeof(log), "%s.log", file);
	pid = fork();
	if (pid < 0) {
		cmd_error("run", PS_EXIT_ENV, "--trace: fork: %s",
			  strerror(errno));
		return -1;
	}
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			close(fd);
		}
		setpgid(0, 0);	/* the terminal's ^C is for us, not it */
		execlp("trace-cmd", "trace-cmd", "record", "-e", "patchstorm",
		       "-o", file, (char *)NULL);
		fprintf(stderr, "cannot run trace-cmd: %s\n", strerror(errno));
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		char ev[256];

		snprintf(ev, sizeof(ev), "%s/events/patchstorm", tr);
		if (read_flag(ev, "enable") && read_flag(tr, "tracing_on"))
			return pid;
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			cmd_error("run", PS_EXIT_ENV,
				  "--trace: trace-cmd record failed (is trace-cmd installed?); see %s",
				  log);
			return -1;
		}
		sleep_s(0.05);
	}
	kill(pid, SIGINT);
	waitpid(pid, NULL, 0);
	cmd_error("run", PS_EXIT_ENV,
		  "--trace: trace-cmd did not start recording in 10 s; see %s",
		  log);
	return -1;
}

/* Stop it (it writes the file on SIGINT); 0 or -1 after a message. */
static int trace_stop(pid_t pid, const char *file)
{
	int status = 0, i;

	kill(pid, SIGINT);
	for (i = 0; i < 600; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		sleep_s(0.05);
	}
	if (i == 600) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		cmd_error("run", PS_EXIT_ENV,
			  "--trace: trace-cmd record failed; see %s.log", file);
		return -1;
	}
	return 0;
}

static int write_json(const struct ps_results *r, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int bad;

	if (!f)
		return cmd_error("run", PS_EXIT_ENV, "cannot write %s: %s",
				 path, strerror(errno));
	report_json(r, f);
	bad = ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	if (bad)
		return cmd_error("run", PS_EXIT_ENV, "cannot write %s: %s",
				 path, strerror(errno));
	return 0;
}

/* Write the KTAP document to @path ("-": stdout); 0 or an exit code. */
static int write_ktap(const struct ps_results *r, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	char *text;
	int bad;

	if (!f)
		return cmd_error("run", PS_EXIT_ENV, "cannot write %s: %s",
				 path, strerror(errno));
	text = ktap_text(r);
	fputs(text, f);
	free(text);
	bad = ferror(f);
	if (f != stdout)
		bad |= fclose(f);
	else
		bad |= fflush(f);
	if (bad)
		return cmd_error("run", PS_EXIT_ENV, "cannot write %s: %s",
				 path, strerror(errno));
	return 0;
}

static const char ktap_usage[] =
"\n"
"  --ktap[=FILE]          the results as KTAP version 1 (kselftest, KernelCI):\n"
"                         on stdout (the report and progress go to stderr),\n"
"                         or into FILE\n";

/*
 * Take --ktap[=FILE] out of argv (the other options are opts.c's); the
 * file, "-" for stdout, or NULL. argv keeps its NULL terminator.
 */
static const char *take_ktap(int *argc, char **argv)
{
	const char *ktap = NULL;
	int i, j;

	for (i = j = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--ktap"))
			ktap = "-";
		else if (!strncmp(argv[i], "--ktap=", 7))
			ktap = argv[i][7] ? argv[i] + 7 : "-";
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
	return ktap;
}

/*
 * After the storm, before rmmod: what differs from the snapshot @before
 * (NULL: the kernel is as found; caller frees). A teardown may still be
 * finishing as the state turns done, so a difference counts only if it
 * lasts a second. Said on stderr.
 */
static char *left_behind(const char *dir, const struct ps_kstate *before,
			 int kernel)
{
	struct ps_kstate now;
	char *diff = NULL, *copy, *p, *line;
	int i;

	for (i = 0; i < 10; i++) {
		if (i)
			sleep_s(0.1);
		free(diff);
		ps_kstate_take(&now, dir, kernel);
		diff = ps_kstate_diff(before, &now);
		ps_kstate_free(&now);
		if (!diff)
			return NULL;
	}
	fprintf(stderr, "patchstorm run: FAILURE: the kernel is not left as found after the storm:\n");
	copy = xstrdup(diff);
	for (line = strtok_r(copy, "\n", &p); line; line = strtok_r(NULL, "\n", &p))
		fprintf(stderr, "  %s\n", line);
	free(copy);
	return diff;
}

/* --save DIR: what was left, DIR/leftovers */
static void write_leftovers(const char *save, const char *left)
{
	char *p = xasprintf("%s/leftovers", save);
	FILE *f = fopen(p, "w");
	int bad = !f;

	if (f) {
		bad = fputs(left, f) < 0;
		bad |= fclose(f) != 0;
	}
	if (bad)
		fprintf(stderr, "patchstorm run: cannot write %s: %m\n", p);
	free(p);
}

int cmd_run(int argc, char **argv)
{
	struct sigaction sa;
	struct run_opts o;
	struct ps_results r;
	struct kv_list stats;
	struct seen_threads threads = { 0, 0 };
	struct ps_kstate before = { { NULL } };
	const char *dir;
	char err[1024], *text;
	int ret, e, module_ignored = 0, kernel;
	char *left = NULL;
	pid_t tracer = -1;
	const char *ktap = take_ktap(&argc, argv);
	/* KTAP on stdout: everything else for humans goes to stderr */
	FILE *human = ktap && !strcmp(ktap, "-") ? stderr : stdout;

	run_opts_init(&o);
	if (opts_parse_run(argc - 1, argv + 1, &o, err, sizeof(err))) {
		run_opts_free(&o);
		return cmd_error("run", PS_EXIT_USAGE, "%s", err);
	}
	if (!o.debugfs)
		o.debugfs = g_debugfs_opt;
	if (ktap && o.json && !strcmp(ktap, "-") && !strcmp(o.json, "-")) {
		run_opts_free(&o);
		return cmd_error("run", PS_EXIT_USAGE,
				 "--ktap and --json cannot both write to stdout; give one a FILE");
	}
	if (o.help) {
		fputs(run_usage(), stdout);
		fputs(ktap_usage, stdout);
		run_opts_free(&o);
		return PS_EXIT_SUCCESS;
	}
	/* CPU lists are checked where the storm runs, not here */
	if (o.dry_run) {
		text = opts_config_text(&o.config);
		fputs(text, stdout);
		free(text);
		run_opts_free(&o);
		return PS_EXIT_SUCCESS;
	}
	ret = PS_EXIT_USAGE;
	if (check_cpus(&o.config))
		goto out;
	ret = PS_EXIT_ENV;
	if (geteuid() != 0) {
		cmd_error("run", ret,
			  "must run as root (it loads a kernel module and uses debugfs); try sudo");
		goto out;
	}
	dir = prepare_dir(&o, &module_ignored);
	if (!dir)
		goto out;
	if (check_caps(dir, &o.config))
		goto out;
	ret = configure(dir, &o);
	if (ret)
		goto out;
	if (module_ignored)
		fprintf(stderr,
			"patchstorm run: the module is already loaded; --module %s ignored (rmmod patchstorm to load another)\n",
			o.module);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;	/* a second ^C kills */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	/* a --debugfs stand-in: its keys file, not this kernel's state */
	kernel = !ps_debugfs_overridden(o.debugfs);
	ps_kstate_take(&before, dir, kernel);
	if (o.trace) {
		tracer = trace_start(o.trace);
		if (tracer < 0)
			goto out;
	}
	e = ps_df_write(dir, "control", "start\n");
	if (e) {
		char *why = e == -EBUSY ? NULL : ps_last_error(dir);

		ret = cmd_error("run", PS_EXIT_ENV, "start: %s: %s",
				strerror(-e),
				why ? why : ps_control_hint("start", -e));
		free(why);
		goto out;
	}
	kv_init(&stats);
	ret = watch(dir, &o, human, &stats, &threads);
	kv_free(&stats);
	if (tracer > 0) {
		if (trace_stop(tracer, o.trace) && !ret)
			ret = PS_EXIT_ENV;
		tracer = -1;
	}
	if (ret)
		goto out;

	if (results_load_dir(&r, dir, err, sizeof(err))) {
		results_free(&r);
		ret = cmd_error("run", PS_EXIT_ENV, "%s", err);
		goto out;
	}
	fix_threads(&r.stats, &threads);
	left = left_behind(dir, &before, kernel);
	ret = report_exit_code(&r);
	if (left && ret == PS_EXIT_SUCCESS)
		ret = PS_EXIT_FAILURE;
	text = report_text(&r, o.quiet ? REPORT_QUIET : 0);
	fputs(text, o.json && !strcmp(o.json, "-") ? stderr : human);
	fflush(stdout);
	free(text);
	if (o.json && write_json(&r, o.json))
		ret = PS_EXIT_ENV;
	if (o.save && results_save_dir(&r, o.save, err, sizeof(err)))
		ret = cmd_error("run", PS_EXIT_ENV, "%s", err);
	else if (o.save && left)
		write_leftovers(o.save, left);
	/* after --save, which creates its directory (--ktap=DIR/results.ktap) */
	if (ktap && write_ktap(&r, ktap))
		ret = PS_EXIT_ENV;
	results_free(&r);
out:
	if (tracer > 0)
		trace_stop(tracer, o.trace);
	ps_kstate_free(&before);
	free(left);
	run_opts_free(&o);
	return ret;
}

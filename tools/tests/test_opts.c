// SPDX-License-Identifier: GPL-2.0
/* Option parsing and validation (opts.c). */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>
#include "opts.h"
#include "util.h"

/* Parse a NULL-terminated argument list; returns the parser's result. */
static int parse(struct run_opts *o, char *err, size_t errlen, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	va_start(ap, errlen);
	while (argc < 63 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	run_opts_init(o);
	err[0] = '\0';
	return opts_parse_run(argc, argv, o, err, errlen);
}

static void test_good_options(void)
{
	static const char want[] = "strategies=ftrace-filter,static-key\n"
		"targets=victim_leaf,__x64_sys_getpid,foo.cold,sys:getpid\n";
	struct run_opts o;
	char err[512], *text;

	CHECK_INT(parse(&o, err, sizeof(err),
			"--strategies", "ftrace-filter,static-key",
			"--targets=victim_leaf,__x64_sys_getpid,foo.cold,sys:getpid",
			"--togglers", "2", "--hammers", "0",
			"--toggler-cpus", "0", "--hammer-cpus", "1-3,5",
			"--rate", "0", "--duration", "2m", "--stutter", "5",
			"--stat-interval=10s", "--widen", "ipi",
			"--inject", "torn-site", "--kprobe-offset", "0x4",
			"--json", "out.json", "--module", "x.ko", "--quiet",
			"--debugfs", "/tmp/d", "--save", "res", NULL), 0);
	CHECK_STR(err, "");
	CHECK_STR(kv_get(&o.config, "strategies"), "ftrace-filter,static-key");
	CHECK_STR(kv_get(&o.config, "hammer_cpus"), "1-3,5");
	CHECK_STR(kv_get(&o.config, "duration"), "120");
	CHECK_STR(kv_get(&o.config, "stat_interval"), "10");
	CHECK_STR(kv_get(&o.config, "kprobe_offset"), "4");
	CHECK_STR(kv_get(&o.config, "widen"), "ipi");
	CHECK_STR(o.json, "out.json");
	CHECK_STR(o.module, "x.ko");
	CHECK_STR(o.debugfs, "/tmp/d");
	CHECK_STR(o.save, "res");
	CHECK_INT(o.quiet, 1);
	text = opts_config_text(&o.config);
	CHECK(!strncmp(text, want, strlen(want)));
	CHECK_HAS(text, "\nduration=120\n");
	free(text);
	run_opts_free(&o);

	/* "all", and a repeated option keeps the last value */
	CHECK_INT(parse(&o, err, sizeof(err), "--strategies", "all",
			"--duration", "30", "--duration", "1h", NULL), 0);
	CHECK_STR(kv_get(&o.config, "strategies"), "all");
	CHECK_STR(kv_get(&o.config, "duration"), "3600");
	CHECK_INT(o.config.n, 2);
	run_opts_free(&o);

	/* module-specific spellings: auto, weights, the extra knobs */
	CHECK_INT(parse(&o, err, sizeof(err), "--toggler-cpus", "auto",
			"--hammer-cpus=auto", "--kprobe-offset", "auto",
			"--weights", "ftrace-filter:3,static-key:0",
			"--batch", "32", "--widen-us", "10", "--stall-ns",
			"1000000", "--targets", "victims", NULL), 0);
	CHECK_STR(err, "");
	CHECK_STR(kv_get(&o.config, "kprobe_offset"), "auto");
	CHECK_STR(kv_get(&o.config, "weights"), "ftrace-filter:3,static-key:0");
	CHECK_STR(kv_get(&o.config, "stall_ns"), "1000000");
	CHECK_INT(o.config.n, 8);
	run_opts_free(&o);

	/* detector knobs, under the module's key names */
	CHECK_INT(parse(&o, err, sizeof(err), "--samplers", "2",
			"--sampler-idle-us=0", "--sampler-rest-us", "50",
			"--checks", "off", "--shared-keys", "on",
			"--flush-us", "0", NULL), 0);
	CHECK_STR(err, "");
	CHECK_STR(kv_get(&o.config, "samplers"), "2");
	CHECK_STR(kv_get(&o.config, "sampler_idle_us"), "0");
	CHECK_STR(kv_get(&o.config, "sampler_rest_us"), "50");
	CHECK_STR(kv_get(&o.config, "checks"), "off");
	CHECK_STR(kv_get(&o.config, "shared_keys"), "on");
	CHECK_STR(kv_get(&o.config, "flush_us"), "0");
	CHECK_INT(o.config.n, 6);
	run_opts_free(&o);

	/* no options: nothing to configure */
	CHECK_INT(parse(&o, err, sizeof(err), NULL), 0);
	CHECK_INT(o.config.n, 0);
	run_opts_free(&o);
}

struct bad_case {
	const char *opt;
	const char *value;
	const char *expect;	/* in the message */
};

static void test_bad_values(void)
{
	static const struct bad_case cases[] = {
		{ "--strategies", "ftrace", "unknown strategy \"ftrace\"" },
		{ "--strategies", "ftrace-filter,", "empty item" },
		{ "--strategies", "", "empty list" },
		{ "--strategies", "All", "unknown strategy" },
		{ "--targets", "1victim", "not a function name" },
		{ "--targets", "vfs read", "not a function name" },
		{ "--targets", "sys:", "not a function name" },
		{ "--targets", "sys:1getpid", "not a function name" },
		{ "--targets", "kernel:getpid", "not a function name" },
		{ "--targets", "", "empty list" },
		{ "--samplers", "65", "out of range" },
		{ "--sampler-idle-us", "1000001", "out of range" },
		{ "--sampler-rest-us", "fast", "not a number" },
		{ "--flush-us", "99", "not 0 (off) or 100-1000000" },
		{ "--flush-us", "1000001", "out of range" },
		{ "--checks", "yes", "use on or off" },
		{ "--shared-keys", "1", "use off or on" },
		{ "--togglers", "0", "out of range; use 1..64" },
		{ "--togglers", "65", "out of range; use 1..64" },
		{ "--togglers", "-1", "not a number" },
		{ "--togglers", "two", "not a number" },
		{ "--hammers", "5000", "out of range" },
		{ "--toggler-cpus", "1-", "not a cpulist" },
		{ "--toggler-cpus", "3-1", "not a cpulist" },
		{ "--hammer-cpus", "a", "not a cpulist" },
		{ "--hammer-cpus", "0,,1", "not a cpulist" },
		{ "--rate", "1e6", "not a number" },
		{ "--rate", "99999999999", "out of range" },
		{ "--duration", "10x", "not a time" },
		{ "--duration", "-5", "not a time" },
		{ "--duration", "m", "not a time" },
		{ "--duration", "400d", "not a time" },
		{ "--stutter", "1.5", "not a time" },
		{ "--stutter", "2h", "at most 3600 s" },
		{ "--duration", "8d", "at most 604800 s" },
		{ "--batch", "0", "out of range; use 1..48" },
		{ "--widen-us", "5", "out of range; use 10..1000000" },
		{ "--stall-ns", "0", "out of range" },
		{ "--weights", "ftrace-filter", "not strategy:weight" },
		{ "--weights", "mixed:1", "not strategy:weight" },
		{ "--weights", "static-key:1001", "not strategy:weight" },
		{ "--weights", "static-key:1,", "empty item" },
		{ "--toggler-cpus", "Auto", "not a cpulist" },
		{ "--widen", "nmi", "use none, hrtimer or ipi" },
		{ "--inject", "Bad Mode", "unknown injection" },
		{ "--inject", "torn_write", "use one of none, release-early" },
		{ "--strategies", "kprobe", "unknown strategy" },
		{ "--kprobe-offset", "0xZZ", "not a number" },
		{ "--kprobe-offset", "4097", "out of range" },
	};
	struct run_opts o;
	char err[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char *opt = (char *)cases[i].opt;
		char *val = (char *)cases[i].value;

		if (parse(&o, err, sizeof(err), opt, val, NULL) != -1) {
			t_fail(__FILE__, __LINE__, "accepted %s %s", opt, val);
		} else {
			/* the message names the option and says what fits */
			if (strncmp(err, cases[i].opt, strlen(cases[i].opt)))
				t_fail(__FILE__, __LINE__,
				       "%s %s: \"%s\" does not name the option",
				       opt, val, err);
			if (!strstr(err, cases[i].expect))
				t_fail(__FILE__, __LINE__,
				       "%s %s: \"%s\" lacks \"%s\"", opt, val,
				       err, cases[i].expect);
			if (strchr(err, '\n'))
				t_fail(__FILE__, __LINE__,
				       "not one line: %s", err);
		}
		run_opts_free(&o);
	}
}

static void test_bad_usage(void)
{
	struct run_opts o;
	char err[512];

	CHECK_INT(parse(&o, err, sizeof(err), "--frobnicate", "1", NULL), -1);
	CHECK_HAS(err, "unknown option --frobnicate");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--togglers", NULL), -1);
	CHECK_HAS(err, "--togglers needs a value");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "stray", NULL), -1);
	CHECK_HAS(err, "unexpected argument \"stray\"");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--json=", NULL), -1);
	CHECK_HAS(err, "--json needs a non-empty path");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--help", NULL), 0);
	CHECK_INT(o.help, 1);
	run_opts_free(&o);
}

static void test_trace_option(void)
{
	struct run_opts o;
	char err[512];

	CHECK_INT(parse(&o, err, sizeof(err), "--trace", "/tmp/t.dat",
			"--duration", "5", NULL), 0);
	CHECK_STR(o.trace, "/tmp/t.dat");
	CHECK_STR(kv_get(&o.config, "duration"), "5");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--trace=out/trace.dat", NULL), 0);
	CHECK_STR(o.trace, "out/trace.dat");
	CHECK(!kv_get(&o.config, "trace"));	/* not a module key */
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--trace", NULL), -1);
	CHECK_HAS(err, "--trace needs a value");
	run_opts_free(&o);
	CHECK_INT(parse(&o, err, sizeof(err), "--trace=", NULL), -1);
	CHECK_HAS(err, "--trace needs a non-empty path");
	run_opts_free(&o);
	CHECK_HAS(run_usage(), "--trace FILE");
}

static void test_cpulist(void)
{
	unsigned int max = 0;

	CHECK_INT(parse_cpulist("0", &max), 0);
	CHECK_INT(max, 0);
	CHECK_INT(parse_cpulist("0-3,8,10-11", &max), 0);
	CHECK_INT(max, 11);
	CHECK_INT(parse_cpulist("", &max), -1);
	CHECK_INT(parse_cpulist(",1", &max), -1);
	CHECK_INT(parse_cpulist("1,", &max), -1);
	CHECK_INT(parse_cpulist("1-2-3", &max), -1);
	CHECK_INT(parse_cpulist("70000", &max), -1);
}

void suite_opts(void)
{
	RUN(test_good_options);
	RUN(test_bad_values);
	RUN(test_bad_usage);
	RUN(test_trace_option);
	RUN(test_cpulist);
}

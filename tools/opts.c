// SPDX-License-Identifier: GPL-2.0
#include "opts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

const char run_usage[] =
"usage: patchstorm run [options]\n"
"  --module PATH.ko      module to load if not loaded (default: ./patchstorm.ko,\n"
"                        /lib/modules/$(uname -r)/extra/patchstorm.ko)\n"
"  --strategies LIST     ftrace-filter,ftrace-ops,kprobe-arm,kprobe-register,\n"
"                        static-key,mixed or all\n"
"  --targets LIST        victim names (victim_leaf, ...), victims (all of them)\n"
"                        kernel symbols (__x64_sys_getpid, vfs_read, ...) or\n"
"                        sys:NAME (this arch's syscall entry, e.g. sys:getpid)\n"
"  --togglers N          toggler threads (1-64)\n"
"  --hammers N           hammer threads (0-64), or auto: one per hammer CPU\n"
"  --toggler-cpus LIST   cpulist for togglers, e.g. 0-1,3, or auto\n"
"  --hammer-cpus LIST    cpulist for hammers, or auto\n"
"  --rate N              toggles per second per toggler, 0 = as fast as possible\n"
"  --duration T          storm length: 30, 30s, 5m, 2h (max 7d); 0 = until stopped\n"
"  --stutter T           pause between toggle bursts (same units, max 1h)\n"
"  --stat-interval T     module's periodic stats line (same units, max 1h)\n"
"  --batch N             targets toggled per step (1-32)\n"
"  --widen M             race window widening: none, hrtimer, ipi\n"
"  --widen-us N          widening period in microseconds (10-1000000)\n"
"  --stall-ns N          a hammer call slower than this counts as a stall\n"
"  --weights LIST        mixed strategy weights, e.g. ftrace-filter:3,static-key:1\n"
"  --stale M             fail (default): a stale execution fails the storm;\n"
"                        warn: counted only (QEMU MTTCG guests, see README)\n"
"  --samplers N          site sampler threads (0-64)\n"
"  --sampler-idle-us N   sampler pass period between toggles (0-1000000; 0 =\n"
"                        spin always)\n"
"  --sampler-rest-us N   pause every few spinning sampler passes (0-10000)\n"
"  --flush-us N          period of the timed arch flush, hist/flush (0 = off,\n"
"                        or 100-1000000)\n"
"  --checks M            on (default) or off: hammers check answers only\n"
"  --shared-keys M       off (default) or on: togglers race on static keys\n"
"  --inject M            fault injection, a broken patcher acting on the\n"
"                        module's victims (release-early, torn-site,\n"
"                        illegal-site, stray-break; the storm must end in\n"
"                        FAILURE), or none\n"
"  --kprobe-offset N     offset of kprobes into the target (bytes), or auto\n"
"  --json FILE           write the results as JSON ({\"schema\": 1, ...}); - = stdout\n"
"  --save DIR            save the raw results (stats, hist/...) into DIR\n"
"  --trace FILE          record the patchstorm tracepoints of the storm with\n"
"                        trace-cmd record -e patchstorm into FILE (trace.dat)\n"
"  --debugfs DIR         module directory (default /sys/kernel/debug/patchstorm,\n"
"                        or $PATCHSTORM_DEBUGFS)\n"
"  --quiet               no progress, only the verdict\n"
"  --dry-run             check the options and print the configuration that\n"
"                        would be written; needs no module, root or debugfs\n"
"exit: 0 SUCCESS, 1 FAILURE, 2 bad usage, 3 cannot run here\n";

/* The module's limits (module/config.c). */
#define PS_MAX_THREADS	64
#define PS_MAX_TARGETS	32
#define PS_MAX_RATE	10000000ULL
#define PS_MAX_DURATION	(7ULL * 24 * 3600)

static const char *const strategy_names[] = {
	"ftrace-filter", "ftrace-ops", "kprobe-arm", "kprobe-register",
	"static-key", "mixed",
};

void run_opts_init(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	kv_init(&o->config);
}

void run_opts_free(struct run_opts *o)
{
	kv_free(&o->config);
}

static int fail(char *err, size_t errlen, const char *fmt, const char *a)
{
	snprintf(err, errlen, fmt, a);
	return -1;
}

/* Comma list with no empty items; calls @item for each one. */
static int for_each_item(const char *list, char *err, size_t errlen,
			 int (*item)(const char *s, char *err, size_t errlen))
{
	char buf[64];
	const char *p = list;

	if (!*list)
		return fail(err, errlen, "%sempty list", "");
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (!len)
			return fail(err, errlen, "empty item in list \"%s\"",
				    list);
		if (len >= sizeof(buf))
			return fail(err, errlen, "item too long in \"%s\"",
				    list);
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (item(buf, err, errlen))
			return -1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

static int is_strategy(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strategy_names); i++)
		if (!strcmp(s, strategy_names[i]))
			return 1;
	return 0;
}

static int check_strategy(const char *s, char *err, size_t errlen)
{
	if (is_strategy(s))
		return 0;
	return fail(err, errlen,
		    "unknown strategy \"%s\"; use a comma list of ftrace-filter, ftrace-ops, kprobe-arm, kprobe-register, static-key, mixed, or all",
		    s);
}

/*
 * A target is a victim name, a kernel symbol, or "sys:NAME": the module
 * resolves the last to this arch's syscall entry (__riscv_sys_NAME,
 * __x64_sys_NAME), so one scenario line works on every arch.
 */
static int check_symbol(const char *s, char *err, size_t errlen)
{
	const char *p = s;

	if (!strncmp(p, "sys:", 4))
		p += 4;
	if (!isalpha((unsigned char)*p) && *p != '_')
		goto bad;
	for (; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			goto bad;
	return 0;
bad:
	return fail(err, errlen,
		    "\"%s\" is not a function name; use victim names (victim_leaf), kernel symbols (__x64_sys_getpid) or sys:NAME (sys:getpid), comma-separated",
		    s);
}

int parse_cpulist(const char *s, unsigned int *max_cpu)
{
	unsigned int max = 0;
	const char *p = s;

	if (!*s)
		return -1;
	for (;;) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*p))
			return -1;
		a = strtoul(p, &end, 10);
		b = a;
		if (*end == '-') {
			p = end + 1;
			if (!isdigit((unsigned char)*p))
				return -1;
			b = strtoul(p, &end, 10);
		}
		if (b < a || b >= 65536)
			return -1;
		if (b > max)
			max = (unsigned int)b;
		if (!*end)
			break;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
	if (max_cpu)
		*max_cpu = max;
	return 0;
}

/* Unsigned number in [min, max]; hex with 0x when @hex. */
static int check_uint(const char *v, u64 min, u64 max, int hex, u64 *out,
		      char *err, size_t errlen)
{
	u64 n;

	if (hex && (!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2)) && v[2] &&
	    strspn(v + 2, "0123456789abcdefABCDEF") == strlen(v + 2) &&
	    strlen(v + 2) <= 16) {
		n = strtoull(v + 2, NULL, 16);
	} else if (parse_u64(v, &n)) {
		snprintf(err, errlen, "\"%s\" is not a number; use %llu..%llu",
			 v, min, max);
		return -1;
	}
	if (n < min || n > max) {
		snprintf(err, errlen, "%s is out of range; use %llu..%llu",
			 v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

/* "strategy:weight", a base strategy (not mixed), weight 0..1000 */
static int check_weight(const char *s, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	char name[64], why[128];
	u64 w;

	if (colon && (size_t)(colon - s) < sizeof(name)) {
		memcpy(name, s, (size_t)(colon - s));
		name[colon - s] = '\0';
		if (strcmp(name, "mixed") && is_strategy(name) &&
		    !check_uint(colon + 1, 0, 1000, 0, &w, why, sizeof(why)))
			return 0;
	}
	return fail(err, errlen,
		    "\"%s\" is not strategy:weight; use e.g. ftrace-filter:3,static-key:1 (weights 0..1000, base strategies)",
		    s);
}

/* Seconds with an optional s/m/h/d suffix. */
static int check_seconds(const char *v, u64 max, u64 *out, char *err,
			 size_t errlen)
{
	static const struct { char c; u64 mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char num[32];
	size_t len = strlen(v), i;
	u64 mult = 1, n;

	if (len && len < sizeof(num)) {
		for (i = 0; i < ARRAY_SIZE(units); i++) {
			if (v[len - 1] == units[i].c) {
				mult = units[i].mult;
				len--;
				break;
			}
		}
	}
	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, v, len);
	num[len] = '\0';
	if (parse_u64(num, &n) || n > max / mult)
		goto bad;
	*out = n * mult;
	return 0;
bad:
	snprintf(err, errlen,
		 "\"%s\" is not a time; use seconds (30), or 30s, 5m, 2h, 1d, at most %llu s",
		 v, max);
	return -1;
}

static int check_name(const char *v, char *err, size_t errlen)
{
	if (!*v || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    strlen(v))
		return fail(err, errlen,
			    "\"%s\" is not a mode name; use none or a lower-case name like the module's inject= modes",
			    v);
	return 0;
}

int opts_check_value(const char *key, const char *value, char *out,
		     size_t outlen, char *err, size_t errlen)
{
	u64 n;
	unsigned int cpu;

	if (strlen(value) >= outlen)
		return fail(err, errlen, "value too long: %.40s...", value);
	snprintf(out, outlen, "%s", value);
	if (!strcmp(key, "strategies")) {
		if (!strcmp(value, "all"))
			return 0;
		return for_each_item(value, err, errlen, check_strategy);
	}
	if (!strcmp(key, "targets")) {
		if (!*value)
			return fail(err, errlen,
				    "%sempty list; name at least one victim or kernel symbol",
				    "");
		return for_each_item(value, err, errlen, check_symbol);
	}
	if (!strcmp(key, "togglers"))
		return check_uint(value, 1, PS_MAX_THREADS, 0, &n, err, errlen);
	if (!strcmp(key, "hammers")) {
		if (!strcmp(value, "auto"))
			return 0;
		return check_uint(value, 0, PS_MAX_THREADS, 0, &n, err, errlen);
	}
	if (!strcmp(key, "stale")) {
		if (strcmp(value, "fail") && strcmp(value, "warn"))
			return fail(err, errlen,
				    "unknown mode \"%s\"; use fail or warn", value);
		return 0;
	}
	if (!strcmp(key, "rate"))
		return check_uint(value, 0, PS_MAX_RATE, 0, &n, err, errlen);
	if (!strcmp(key, "batch"))
		return check_uint(value, 1, PS_MAX_TARGETS, 0, &n, err, errlen);
	if (!strcmp(key, "widen_us"))
		return check_uint(value, 10, 1000000, 0, &n, err, errlen);
	if (!strcmp(key, "stall_ns"))
		return check_uint(value, 1, ~0ULL, 0, &n, err, errlen);
	if (!strcmp(key, "kprobe_offset")) {
		if (!strcmp(value, "auto"))
			return 0;
		if (check_uint(value, 0, 4096, 1, &n, err, errlen))
			return -1;
		snprintf(out, outlen, "%llu", n);
		return 0;
	}
	if (!strcmp(key, "toggler_cpus") || !strcmp(key, "hammer_cpus")) {
		if (strcmp(value, "auto") && parse_cpulist(value, &cpu))
			return fail(err, errlen,
				    "\"%s\" is not a cpulist; use e.g. 0-1,3 (ascending ranges) or auto",
				    value);
		return 0;
	}
	if (!strcmp(key, "duration") || !strcmp(key, "stutter") ||
	    !strcmp(key, "stat_interval")) {
		if (check_seconds(value, !strcmp(key, "duration") ?
				  PS_MAX_DURATION : 3600, &n, err, errlen))
			return -1;
		snprintf(out, outlen, "%llu", n);
		return 0;
	}
	if (!strcmp(key, "weights"))
		return for_each_item(value, err, errlen, check_weight);
	if (!strcmp(key, "samplers"))
		return check_uint(value, 0, PS_MAX_THREADS, 0, &n, err, errlen);
	if (!strcmp(key, "sampler_idle_us"))
		return check_uint(value, 0, 1000000, 0, &n, err, errlen);
	if (!strcmp(key, "sampler_rest_us"))
		return check_uint(value, 0, 10000, 0, &n, err, errlen);
	if (!strcmp(key, "flush_us")) {
		if (check_uint(value, 0, 1000000, 0, &n, err, errlen))
			return -1;
		if (n && n < 100)
			return fail(err, errlen,
				    "%s is not 0 (off) or 100-1000000", value);
		return 0;
	}
	if (!strcmp(key, "checks") || !strcmp(key, "shared_keys")) {
		if (strcmp(value, "on") && strcmp(value, "off"))
			return fail(err, errlen,
				    "unknown mode \"%s\"; use on or off", value);
		return 0;
	}
	if (!strcmp(key, "widen")) {
		if (strcmp(value, "none") && strcmp(value, "hrtimer") &&
		    strcmp(value, "ipi"))
			return fail(err, errlen,
				    "unknown mode \"%s\"; use none, hrtimer or ipi",
				    value);
		return 0;
	}
	if (!strcmp(key, "inject"))
		return check_name(value, err, errlen);
	return fail(err, errlen, "unknown configuration key %s", key);
}

struct opt_def {
	const char *name;	/* without "--" */
	const char *key;	/* module config key, or NULL */
};

static const struct opt_def config_opts[] = {
	{ "strategies", "strategies" },
	{ "targets", "targets" },
	{ "togglers", "togglers" },
	{ "hammers", "hammers" },
	{ "toggler-cpus", "toggler_cpus" },
	{ "hammer-cpus", "hammer_cpus" },
	{ "rate", "rate" },
	{ "duration", "duration" },
	{ "stutter", "stutter" },
	{ "stat-interval", "stat_interval" },
	{ "batch", "batch" },
	{ "widen", "widen" },
	{ "widen-us", "widen_us" },
	{ "stall-ns", "stall_ns" },
	{ "samplers", "samplers" },
	{ "sampler-idle-us", "sampler_idle_us" },
	{ "sampler-rest-us", "sampler_rest_us" },
	{ "flush-us", "flush_us" },
	{ "checks", "checks" },
	{ "shared-keys", "shared_keys" },
	{ "weights", "weights" },
	{ "stale", "stale" },
	{ "inject", "inject" },
	{ "kprobe-offset", "kprobe_offset" },
};

int opts_parse_run(int argc, char **argv, struct run_opts *o,
		   char *err, size_t errlen)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL, *eq;
		char name[64], norm[1024], why[512];
		const char **path_opt = NULL;
		size_t k, nlen;

		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			o->help = 1;
			continue;
		}
		if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
			o->quiet = 1;
			continue;
		}
		if (!strcmp(arg, "--dry-run")) {
			o->dry_run = 1;
			continue;
		}
		if (strncmp(arg, "--", 2) || !arg[2]) {
			snprintf(err, errlen,
				 "unexpected argument \"%s\"; options start with -- (see patchstorm run --help)",
				 arg);
			return -1;
		}
		eq = strchr(arg, '=');
		nlen = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		if (nlen >= sizeof(name)) {
			snprintf(err, errlen, "unknown option %.60s", arg);
			return -1;
		}
		memcpy(name, arg + 2, nlen);
		name[nlen] = '\0';

		if (!strcmp(name, "module"))
			path_opt = &o->module;
		else if (!strcmp(name, "debugfs"))
			path_opt = &o->debugfs;
		else if (!strcmp(name, "json"))
			path_opt = &o->json;
		else if (!strcmp(name, "save"))
			path_opt = &o->save;
		else if (!strcmp(name, "trace"))
			path_opt = &o->trace;
		for (k = 0; !path_opt && k < ARRAY_SIZE(config_opts); k++)
			if (!strcmp(name, config_opts[k].name))
				break;
		if (!path_opt && k == ARRAY_SIZE(config_opts)) {
			snprintf(err, errlen,
				 "unknown option --%s (see patchstorm run --help)",
				 name);
			return -1;
		}
		if (eq) {
			value = eq + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			snprintf(err, errlen, "option --%s needs a value", name);
			return -1;
		}
		if (path_opt) {
			if (!*value) {
				snprintf(err, errlen,
					 "option --%s needs a non-empty path",
					 name);
				return -1;
			}
			*path_opt = value;
			continue;
		}
		if (opts_check_value(config_opts[k].key, value, norm,
				     sizeof(norm), why, sizeof(why))) {
			snprintf(err, errlen, "--%s: %s", name, why);
			return -1;
		}
		kv_set(&o->config, config_opts[k].key, norm);
	}
	return 0;
}

char *opts_config_text(const struct kv_list *config)
{
	struct sbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < config->n; i++)
		sb_printf(&sb, "%s=%s\n", config->items[i].key,
			  config->items[i].value);
	return sb_steal(&sb);
}

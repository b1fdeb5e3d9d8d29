// SPDX-License-Identifier: GPL-2.0
#include "opts.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "knobs.h"
#include "util.h"

static const char usage_head[] =
"usage: patchstorm run [options]\n"
"  --module PATH.ko      module to load if not loaded (default: ./patchstorm.ko,\n"
"                        /lib/modules/$(uname -r)/extra/patchstorm.ko)\n";

static const char usage_tail[] =
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

/* "a,b,c" as "a, b or c" (in a static buffer) */
static const char *spoken_list(const char *values)
{
	static char buf[256];
	const char *last = strrchr(values, ',');
	size_t n = 0;
	const char *p;

	for (p = values; *p && n + 4 < sizeof(buf); p++) {
		if (*p != ',') {
			buf[n++] = *p;
		} else if (p == last) {
			memcpy(buf + n, " or ", 4);
			n += 4;
		} else {
			buf[n++] = ',';
			buf[n++] = ' ';
		}
	}
	buf[n] = '\0';
	return buf;
}

/* What a knob takes, for its line in the usage. */
static void knob_arg(const struct knob *k, char *buf, size_t len)
{
	switch (k->kind) {
	case KK_STRATS:
	case KK_TARGETS:
	case KK_WEIGHTS:
	case KK_CPUS:
		snprintf(buf, len, "LIST");
		break;
	case KK_SECS:
		snprintf(buf, len, "T");
		break;
	case KK_CHOICE:
	case KK_INJECT:
		snprintf(buf, len, "M");
		break;
	default:
		snprintf(buf, len, "N");
	}
}

/* The knobs' lines: option, argument, help, what it takes, the default. */
static void usage_knobs(struct sbuf *sb)
{
	char opt[64], arg[8], left[80], take[160];
	size_t i, j;

	for (i = 0; i < nr_knobs; i++) {
		const struct knob *k = &knobs[i];

		knob_option(k, opt, sizeof(opt));
		knob_arg(k, arg, sizeof(arg));
		snprintf(left, sizeof(left), "--%s %s", opt, arg);
		sb_printf(sb, "  %-21s %s\n", left, k->help);
		take[0] = '\0';
		switch (k->kind) {
		case KK_STRATS:
			for (j = 0; j < nr_strategies; j++)
				snprintf(take + strlen(take), sizeof(take) - strlen(take),
					 "%s,", strategy_names[j]);
			snprintf(take + strlen(take), sizeof(take) - strlen(take),
				 "mixed or all");
			break;
		case KK_INJECT:
			for (j = 0; j < nr_injections; j++)
				snprintf(take + strlen(take), sizeof(take) - strlen(take),
					 "%s%s", j ? "," : "", injection_names[j]);
			break;
		case KK_CHOICE:
			snprintf(take, sizeof(take), "%s", spoken_list(k->values));
			break;
		case KK_UINT:
		case KK_U64:
			snprintf(take, sizeof(take), "%llu-%llu", k->min, k->max);
			break;
		case KK_AUTO:
			snprintf(take, sizeof(take), "auto or %llu-%llu", k->min,
				 k->max);
			break;
		case KK_OFF_OR:
			snprintf(take, sizeof(take), "0 or %llu-%llu", k->min,
				 k->max);
			break;
		case KK_SECS:
			snprintf(take, sizeof(take), "seconds, or 30s 5m 2h 1d, at most %llu s",
				 k->max);
			break;
		default:
			break;
		}
		if (take[0] || *k->def)
			sb_printf(sb, "  %-21s (%s%s%s%s)\n", "", take,
				  take[0] && *k->def ? "; " : "",
				  *k->def ? "default " : "", k->def);
	}
}

const char *run_usage(void)
{
	static char *text;
	struct sbuf sb;

	if (text)
		return text;
	sb_init(&sb);
	sb_printf(&sb, "%s", usage_head);
	usage_knobs(&sb);
	sb_printf(&sb, "%s", usage_tail);
	text = sb_steal(&sb);
	return text;
}

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

static int check_strategy(const char *s, char *err, size_t errlen)
{
	size_t i, n;

	if (is_strategy_name(s) || !strcmp(s, "mixed"))
		return 0;
	n = snprintf(err, errlen, "unknown strategy \"%s\"; use a comma list of ", s);
	for (i = 0; i < nr_strategies && n < errlen; i++)
		n += snprintf(err + n, errlen - n, "%s, ", strategy_names[i]);
	if (n < errlen)
		snprintf(err + n, errlen - n, "mixed, or all");
	return -1;
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

/* Unsigned number in [min, max], decimal or 0x hex (as the module reads it). */
static int check_uint(const char *v, u64 min, u64 max, u64 *out,
		      char *err, size_t errlen)
{
	u64 n;

	if ((!strncmp(v, "0x", 2) || !strncmp(v, "0X", 2)) && v[2] &&
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
		if (is_strategy_name(name) &&
		    !check_uint(colon + 1, 0, knob_find("weights")->max, &w,
				why, sizeof(why)))
			return 0;
	}
	return fail(err, errlen,
		    "\"%s\" is not strategy:weight; use e.g. ftrace-filter:3,static-key:1 (weights 0..1000, strategy names)",
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

static int check_choice(const char *v, const char *values, char *err,
			size_t errlen)
{
	size_t len = strlen(v);
	const char *p = values;

	for (;;) {
		const char *c = strchr(p, ',');
		size_t n = c ? (size_t)(c - p) : strlen(p);

		if (n == len && !strncmp(p, v, len))
			return 0;
		if (!c)
			break;
		p = c + 1;
	}
	snprintf(err, errlen, "unknown mode \"%s\"; use %s", v, spoken_list(values));
	return -1;
}

/* Normalised numbers: what the module reads is decimal. */
static int put_number(u64 n, char *out, size_t outlen)
{
	snprintf(out, outlen, "%llu", n);
	return 0;
}

int opts_check_value(const char *key, const char *value, char *out,
		     size_t outlen, char *err, size_t errlen)
{
	const struct knob *k = knob_find(key);
	unsigned int cpu;
	char inj[256];
	size_t i, n;
	u64 v;

	if (!k)
		return fail(err, errlen, "unknown configuration key %s", key);
	if (strlen(value) >= outlen)
		return fail(err, errlen, "value too long: %.40s...", value);
	snprintf(out, outlen, "%s", value);
	switch (k->kind) {
	case KK_STRATS:
		if (!strcmp(value, "all"))
			return 0;
		return for_each_item(value, err, errlen, check_strategy);
	case KK_TARGETS:
		if (!*value)
			return fail(err, errlen,
				    "%sempty list; name at least one victim or kernel symbol",
				    "");
		return for_each_item(value, err, errlen, check_symbol);
	case KK_UINT:
	case KK_U64:
		if (check_uint(value, k->min, k->max, &v, err, errlen))
			return -1;
		return put_number(v, out, outlen);
	case KK_AUTO:
		if (!strcmp(value, "auto"))
			return 0;
		if (check_uint(value, k->min, k->max, &v, err, errlen))
			return -1;
		return put_number(v, out, outlen);
	case KK_OFF_OR:
		if (check_uint(value, 0, k->max, &v, err, errlen))
			return -1;
		if (v && v < k->min) {
			snprintf(err, errlen, "%s is not 0 (off) or %llu-%llu",
				 value, k->min, k->max);
			return -1;
		}
		return put_number(v, out, outlen);
	case KK_SECS:
		if (check_seconds(value, k->max, &v, err, errlen))
			return -1;
		return put_number(v, out, outlen);
	case KK_CHOICE:
		return check_choice(value, k->values, err, errlen);
	case KK_CPUS:
		if (strcmp(value, "auto") && parse_cpulist(value, &cpu))
			return fail(err, errlen,
				    "\"%s\" is not a cpulist; use e.g. 0-1,3 (ascending ranges) or auto",
				    value);
		return 0;
	case KK_WEIGHTS:
		return for_each_item(value, err, errlen, check_weight);
	case KK_INJECT:
		if (is_injection_name(value))
			return 0;
		for (i = 0, n = 0; i < nr_injections && n < sizeof(inj); i++)
			n += snprintf(inj + n, sizeof(inj) - n, "%s%s",
				      i ? ", " : "", injection_names[i]);
		snprintf(err, errlen, "unknown injection \"%s\"; use one of %s",
			 value, inj);
		return -1;
	}
	return fail(err, errlen, "unknown configuration key %s", key);
}

/* The knob whose --option is @name, or NULL. */
static const struct knob *knob_by_option(const char *name)
{
	char opt[64];
	size_t i;

	for (i = 0; i < nr_knobs; i++) {
		knob_option(&knobs[i], opt, sizeof(opt));
		if (!strcmp(name, opt))
			return &knobs[i];
	}
	return NULL;
}

int opts_parse_run(int argc, char **argv, struct run_opts *o,
		   char *err, size_t errlen)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL, *eq;
		char name[64], norm[1024], why[512];
		const char **path_opt = NULL;
		const struct knob *k = NULL;
		size_t nlen;

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
		if (!path_opt)
			k = knob_by_option(name);
		if (!path_opt && !k) {
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
		if (opts_check_value(k->name, value, norm, sizeof(norm), why,
				     sizeof(why))) {
			snprintf(err, errlen, "--%s: %s", name, why);
			return -1;
		}
		kv_set(&o->config, k->name, norm);
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

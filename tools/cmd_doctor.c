// SPDX-License-Identifier: GPL-2.0
/* patchstorm doctor: can this system run storms, and if not, why. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "doctor.h"
#include "opts.h"
#include "util.h"

static const char doctor_usage[] =
"usage: patchstorm doctor [options]\n"
"  Checks that this system can run storms: the kernel's options for every\n"
"  strategy and detector, debugfs and tracefs, lockdown, module signature\n"
"  enforcement, kernel.ftrace_enabled, kprobes, the kprobe blacklist and\n"
"  ftrace sites for the targets, kptr_restrict, the module's vermagic.\n"
"  Each problem with its consequence and the fix.\n"
"\n"
"  --strategies LIST   the strategies you mean to run (default all)\n"
"  --targets LIST      the targets you mean to use (default victims)\n"
"  --module PATH.ko    the module to check (default ./patchstorm.ko, else\n"
"                      /lib/modules/$(uname -r)/{extra,updates/dkms}/)\n"
"  --config FILE       kernel config (plain or gzip; default /proc/config.gz,\n"
"                      else /boot/config-$(uname -r))\n"
"  --release R         kernel release to check against (default uname -r)\n"
"  --machine M         its machine (uname -m: x86_64, aarch64, riscv64)\n"
"  --proc-root DIR     read DIR instead of /proc (tests, other systems)\n"
"  --sys-root DIR      read DIR instead of /sys\n"
"  --boot-dir DIR      read DIR instead of /boot\n"
"  --modules-dir DIR   read DIR instead of /lib/modules\n"
"  --quiet             problems and the verdict only\n"
"exit: 0 ready, 3 not ready, 2 bad usage\n";

int cmd_doctor(int argc, char **argv)
{
	static const struct {
		const char *name;
		size_t off;
	} paths[] = {
		{ "--proc-root", offsetof(struct doc_env, proc_root) },
		{ "--sys-root", offsetof(struct doc_env, sys_root) },
		{ "--boot-dir", offsetof(struct doc_env, boot_dir) },
		{ "--modules-dir", offsetof(struct doc_env, modules_dir) },
		{ "--config", offsetof(struct doc_env, config) },
		{ "--release", offsetof(struct doc_env, release) },
		{ "--machine", offsetof(struct doc_env, machine) },
		{ "--module", offsetof(struct doc_env, module) },
		{ "--strategies", offsetof(struct doc_env, strategies) },
		{ "--targets", offsetof(struct doc_env, targets) },
	};
	char norm[2][1024], err[512], *text;
	struct doc_report rep;
	struct doc_env env;
	int i, quiet = 0, ret;
	size_t k;

	doctor_env_defaults(&env);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(doctor_usage, stdout);
			return PS_EXIT_SUCCESS;
		}
		if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			quiet = 1;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(paths); k++) {
			size_t n = strlen(paths[k].name);

			if (!strcmp(a, paths[k].name)) {
				if (i + 1 >= argc)
					return cmd_error("doctor", PS_EXIT_USAGE,
							 "%s needs a value", a);
				val = argv[++i];
				break;
			}
			if (!strncmp(a, paths[k].name, n) && a[n] == '=') {
				val = a + n + 1;
				break;
			}
		}
		if (k == ARRAY_SIZE(paths))
			return cmd_error("doctor", PS_EXIT_USAGE,
					 "unknown argument %s (patchstorm doctor --help)",
					 a);
		if (!*val)
			return cmd_error("doctor", PS_EXIT_USAGE,
					 "%s needs a value", paths[k].name);
		*(const char **)((char *)&env + paths[k].off) = val;
	}
	/* the same validation as patchstorm run's */
	if (opts_check_value("strategies", env.strategies, norm[0],
			     sizeof(norm[0]), err, sizeof(err)))
		return cmd_error("doctor", PS_EXIT_USAGE, "--strategies: %s",
				 err);
	env.strategies = norm[0];
	if (opts_check_value("targets", env.targets, norm[1], sizeof(norm[1]),
			     err, sizeof(err)))
		return cmd_error("doctor", PS_EXIT_USAGE, "--targets: %s", err);
	env.targets = norm[1];

	doctor_run(&env, &rep);
	printf("patchstorm doctor: kernel %s (%s), config %s\n", env.release,
	       env.machine, rep.config_source ? rep.config_source : "not found");
	text = doctor_text(&rep, quiet);
	fputs(text, stdout);
	free(text);
	ret = rep.fails ? PS_EXIT_ENV : PS_EXIT_SUCCESS;
	doctor_report_free(&rep);
	return ret;
}

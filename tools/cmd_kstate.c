// SPDX-License-Identifier: GPL-2.0
/*
 * patchstorm kstate: the kernel's patching state (enabled_functions, the
 * kprobes, the module's static keys), to compare after a storm run by
 * hand (insmod, debugfs) with what it was before, ahead of rmmod:
 *
 *   patchstorm kstate >before       # before the storm
 *   patchstorm kstate --check before  # after it: exit 1 if not as found
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmds.h"
#include "debugfs.h"
#include "kstate.h"
#include "util.h"

static const char kstate_usage[] =
"usage: patchstorm kstate [--check FILE]\n"
"\n"
"  Without --check: print the kernel's patching state (tracefs\n"
"  enabled_functions, debugfs kprobes/list, and the module's keys file\n"
"  when it is loaded). With --check FILE (such a print, taken before a\n"
"  storm): print what differs now, before rmmod (after it a leaked probe\n"
"  only shows as [GONE]): exit 0 as found, 1 not.\n"
"  --debugfs DIR          module directory (then only its keys file)\n";

int cmd_kstate(int argc, char **argv)
{
	const char *debugfs, *check = NULL, *dir;
	struct ps_kstate before, now;
	char *text, *diff, srcs[128];
	int i, kernel, ret;

	i = cmd_common_opts(argc, argv, &debugfs);
	if (i == -2) {
		fputs(kstate_usage, stdout);
		return PS_EXIT_SUCCESS;
	}
	if (i < 0)
		return PS_EXIT_USAGE;
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--check") && i + 1 < argc && !check)
			check = argv[++i];
		else if (!strncmp(argv[i], "--check=", 8) && argv[i][8] && !check)
			check = argv[i] + 8;
		else
			return cmd_error("kstate", PS_EXIT_USAGE,
					 "unexpected argument \"%s\"\n%s", argv[i],
					 kstate_usage);
	}
	dir = ps_debugfs_dir(debugfs);
	kernel = !ps_debugfs_overridden(debugfs);
	if (kernel && geteuid() != 0)
		return cmd_error("kstate", PS_EXIT_ENV,
				 "must run as root (debugfs and tracefs); try sudo");
	ps_kstate_take(&now, is_dir(dir) ? dir : NULL, kernel);
	if (!strcmp(ps_kstate_sources(&now, srcs, sizeof(srcs)), "none")) {
		ps_kstate_free(&now);
		return cmd_error("kstate", PS_EXIT_ENV,
				 "nothing to read: no tracefs enabled_functions, no debugfs kprobes/list, no %s/keys (mount debugfs and tracefs; CONFIG_DYNAMIC_FTRACE, CONFIG_KPROBES)",
				 dir);
	}
	if (!check) {
		ret = ps_kstate_write(&now, stdout) ? PS_EXIT_ENV : PS_EXIT_SUCCESS;
		ps_kstate_free(&now);
		return ret;
	}
	text = read_file(check);
	if (!text) {
		ps_kstate_free(&now);
		return cmd_error("kstate", PS_EXIT_USAGE, "cannot read %s: %m", check);
	}
	if (ps_kstate_parse(&before, text)) {
		free(text);
		ps_kstate_free(&now);
		return cmd_error("kstate", PS_EXIT_USAGE,
				 "%s is not a patchstorm kstate print", check);
	}
	free(text);
	diff = ps_kstate_diff(&before, &now);
	if (!strcmp(ps_kstate_sources(&before, srcs, sizeof(srcs)), "none")) {
		ret = cmd_error("kstate", PS_EXIT_USAGE, "%s holds no state to compare with", check);
	} else if (diff) {
		printf("FAILURE: the kernel is not left as found:\n%s", diff);
		ret = PS_EXIT_FAILURE;
	} else {
		printf("kernel as found (%s)\n", ps_kstate_sources(&now, srcs, sizeof(srcs)));
		ret = PS_EXIT_SUCCESS;
	}
	free(diff);
	ps_kstate_free(&before);
	ps_kstate_free(&now);
	return ret;
}

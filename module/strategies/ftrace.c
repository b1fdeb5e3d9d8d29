// SPDX-License-Identifier: GPL-2.0
/* What the ftrace strategies share, and the kprobe ones. */
#include "strategies/strategies.h"

int ps_ftrace_check_target(const struct ps_target *t)
{
	if (ps_is_ftrace_site(t->addr))
		return 0;
	ps_error("%s: not an ftrace site", t->name);
	return -EINVAL;
}

/* ftrace and kprobes take functions, not tracepoints */
bool ps_function_usable(const struct ps_target *t)
{
	return !t->tp;
}

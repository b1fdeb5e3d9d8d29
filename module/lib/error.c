// SPDX-License-Identifier: GPL-2.0
/* The reason for the last rejected configuration, start or bench write. */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/stdarg.h>
#include "lib/lib.h"

char ps_last_error[128];

void ps_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(ps_last_error, sizeof(ps_last_error), fmt, args);
	va_end(args);
	pr_err("patchstorm: %s\n", ps_last_error);
}

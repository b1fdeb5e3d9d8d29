/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel interfaces that changed between the kernels patchstorm builds
 * against (6.12 up to 7.x).  Kbuild probes the kernel's headers and
 * defines PS_HAVE_* for the newer form, so that no version number is
 * compared here: a backport is found as well.
 */
#ifndef _PATCHSTORM_COMPAT_H
#define _PATCHSTORM_COMPAT_H

#include <linux/hrtimer.h>

/* hrtimer_setup() replaced hrtimer_init() + ->function in 6.13 */
static inline void ps_hrtimer_setup(struct hrtimer *t,
				    enum hrtimer_restart (*fn)(struct hrtimer *),
				    clockid_t clock, enum hrtimer_mode mode)
{
#ifdef PS_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, clock, mode);
#else
	hrtimer_init(t, clock, mode);
	t->function = fn;
#endif
}

#endif /* _PATCHSTORM_COMPAT_H */

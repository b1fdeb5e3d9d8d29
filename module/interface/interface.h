/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's interfaces: module parameters and init (core.c), debugfs
 * files (debugfs.c), the capability report (caps.c).
 */
#ifndef _PATCHSTORM_INTERFACE_H
#define _PATCHSTORM_INTERFACE_H

#include <linux/types.h>

int ps_debugfs_init(void);
void ps_debugfs_exit(void);
int ps_caps_show(char *buf, size_t len);

#endif /* _PATCHSTORM_INTERFACE_H */

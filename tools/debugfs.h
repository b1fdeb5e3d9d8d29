/* SPDX-License-Identifier: GPL-2.0 */
/* Access to the module's debugfs directory, and loading the module. */
#ifndef PS_DEBUGFS_H
#define PS_DEBUGFS_H

#include <stddef.h>

#define PS_DEBUGFS_ROOT		"/sys/kernel/debug"
#define PS_DEBUGFS_DEFAULT	PS_DEBUGFS_ROOT "/patchstorm"
#define PS_DEBUGFS_ENV		"PATCHSTORM_DEBUGFS"

/* @opt (from --debugfs), else $PATCHSTORM_DEBUGFS, else the default. */
const char *ps_debugfs_dir(const char *opt);
/* Was the directory overridden (no mounting or module loading then)? */
int ps_debugfs_overridden(const char *opt);

/* Contents of DIR/NAME, or NULL with errno set. Caller frees. */
char *ps_df_read(const char *dir, const char *name);
/* Write @text to DIR/NAME in one write; 0 or -errno. */
int ps_df_write(const char *dir, const char *name, const char *text);

/*
 * Is debugfs mounted at /sys/kernel/debug? If not, try to mount it.
 * 0, or -1 with an explanation in @msg.
 */
int ps_debugfs_mount(char *msg, size_t len);

/*
 * Load the module from @path (NULL: default search). 0, or -1 with a
 * one-line explanation and a hint in @msg.
 */
int ps_module_load(const char *path, const char *params, char *msg,
		   size_t len);

/*
 * The module's own explanation of its last failure (stats: last_error),
 * or NULL when it gives none. Caller frees.
 */
char *ps_last_error(const char *dir);

/* Explain a failed write of @cmd to control (errno @err, positive). */
const char *ps_control_hint(const char *cmd, int err);

#endif

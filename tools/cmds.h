/* SPDX-License-Identifier: GPL-2.0 */
/* The CLI's commands; each gets argv[0] = its name, returns an exit code. */
#ifndef PS_CMDS_H
#define PS_CMDS_H

/* --debugfs given before the command (NULL if not). */
extern const char *g_debugfs_opt;

int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_hist(int argc, char **argv);
int cmd_anomalies(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_reset(int argc, char **argv);
int cmd_caps(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_kstate(int argc, char **argv);

/* Print "patchstorm CMD: MSG" to stderr and return @code. */
int cmd_error(const char *cmd, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Common option handling for the read-only commands: consumes --debugfs,
 * -h/--help. Returns the index of the first other argument, or -1 after
 * printing an error (exit 2), or -2 for help.
 */
int cmd_common_opts(int argc, char **argv, const char **debugfs);

#endif

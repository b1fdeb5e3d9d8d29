/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchstorm doctor: can this system run storms? Checks the kernel
 * configuration, mounts, lockdown, module signing, ftrace and kprobe
 * switches, the kprobe blacklist for the targets, kptr_restrict and the
 * module's vermagic; each finding with its consequence and the fix.
 * Every path is read under configurable roots, so tests use fake ones.
 */
#ifndef PS_DOCTOR_H
#define PS_DOCTOR_H

#include <stddef.h>
#include "kv.h"

enum doc_level { DOC_OK, DOC_INFO, DOC_WARN, DOC_FAIL };

struct doc_finding {
	enum doc_level level;
	char *what;		/* what was found */
	char *consequence;	/* what it means for a storm (may be NULL) */
	char *fix;		/* how to change it (may be NULL) */
};

struct doc_env {
	const char *proc_root;	/* "/proc" */
	const char *sys_root;	/* "/sys" */
	const char *boot_dir;	/* "/boot" */
	const char *modules_dir; /* "/lib/modules" */
	const char *config;	/* kernel config file (plain or gzip); NULL: find */
	const char *release;	/* uname -r */
	const char *machine;	/* uname -m (x86_64, aarch64, riscv64) */
	const char *module;	/* patchstorm.ko; NULL: search */
	const char *strategies;	/* comma list or "all" */
	const char *targets;	/* comma list ("victims", "sys:NAME", symbols) */
	int euid;
};

struct doc_report {
	struct doc_finding *f;
	size_t n;
	size_t fails, warns;
	char *config_source;	/* where the kernel config came from, or NULL */
};

void doctor_env_defaults(struct doc_env *env);
/* Run every check. */
void doctor_run(const struct doc_env *env, struct doc_report *rep);
void doctor_report_free(struct doc_report *rep);
/* The findings as text; @quiet: problems only. Caller frees. */
char *doctor_text(const struct doc_report *rep, int quiet);

/*
 * Kernel config text ("CONFIG_X=y", "# CONFIG_X is not set") into @l as
 * CONFIG_X -> value ("n" for not set). Returns the options parsed.
 */
size_t doctor_parse_config(struct kv_list *l, const char *text);
/*
 * A file, gunzipped when it starts with the gzip magic (config.gz), as a
 * string; NULL with errno set.
 */
char *doctor_read_maybe_gz(const char *path);

/* A module's .modinfo value (e.g. "vermagic"); 0, or -1 with @err. */
int doctor_modinfo(const char *ko, const char *key, char *out, size_t len,
		   char *err, size_t errlen);
/* The ELF machine of @ko as a uname -m name ("x86_64"), or NULL. */
const char *doctor_ko_machine(const char *ko);
/* Has @ko a module signature appended? 1/0, -1 unreadable. */
int doctor_ko_signed(const char *ko);

#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs interface, lkdtm style: plain files under
 * /sys/kernel/debug/patchstorm/, root only.
 *
 *   caps     what this kernel can patch and how (read)
 *   control  start | stop | reset (write), current state (read)
 *   config   key=value lines (read; write: validated as a whole)
 *   stats    stable key=value counters (read)
 *   anomalies the most recent anomalies, one per line (read)
 *   sites    each patch site: bytes now, class, reads per class (read)
 *   keys     the static keys a storm flips, "name 0|1" (read): the
 *            victims' keys, and the tracepoints among the configured
 *            targets (for a before/after comparison by the CLI)
 *   bench    a bare API loop to compare storms with (see bench.c)
 *   hist/    one latency histogram per file: summary key=value lines,
 *            then "low high count" rows (read)
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include "interface/interface.h"
#include "engine/engine.h"
#include "detectors/detectors.h"
#include "latency/latency.h"

#define PS_SHOW_BUF	(16 * 1024)
#define PS_WRITE_MAX	PAGE_SIZE

static struct dentry *ps_dir;

struct ps_file {
	int (*show)(char *buf, size_t len);
	int (*write)(char *text);
	int (*show_hist)(unsigned int id, char *buf, size_t len);
	unsigned int id;
	size_t size;
};

#define PS_HIST_SHOW_BUF	(256 * 1024)
static struct ps_file ps_hist_files[PS_NR_HISTS];

static int ps_show_config(char *buf, size_t len)
{
	int n;

	mutex_lock(&ps_lock);
	n = ps_config_show(&ps_cfg, buf, len);
	mutex_unlock(&ps_lock);
	return n;
}

/*
 * The storm's sites and stats, not while a start or stop rewrites them
 * (a sites entry being set up would point nowhere).
 */
static int ps_show_sites(char *buf, size_t len)
{
	int n;

	mutex_lock(&ps_lock);
	n = ps_sites_show(buf, len);
	mutex_unlock(&ps_lock);
	return n;
}

static int ps_show_stats(char *buf, size_t len)
{
	int n;

	mutex_lock(&ps_lock);
	n = ps_stats_show(buf, len);
	mutex_unlock(&ps_lock);
	return n;
}

/* Is tracepoint @name among the configured targets (tp:NAME, or hot)? */
static bool ps_tp_configured(const char *name)
{
	const struct ps_target_names *tn = &ps_cfg.targets;
	unsigned int i, j;

	for (i = 0; i < tn->nr; i++) {
		if (str_has_prefix(tn->name[i], "tp:") &&
		    !strcmp(tn->name[i] + 3, name))
			return true;
		if (strcmp(tn->name[i], "hot"))
			continue;
		for (j = 0; j < ps_nr_hot_targets; j++)
			if (str_has_prefix(ps_hot_targets[j].name, "tp:") &&
			    !strcmp(ps_hot_targets[j].name + 3, name))
				return true;
	}
	return false;
}

struct ps_keys_buf {
	char *buf;
	size_t len;
	int n;
};

static void ps_keys_tp(struct tracepoint *tp, void *priv)
{
	struct ps_keys_buf *kb = priv;

	if (ps_tp_configured(tp->name))
		kb->n += scnprintf(kb->buf + kb->n, kb->len - kb->n, "tp:%s %d\n",
				   tp->name, static_key_enabled(&tp->key));
}

/*
 * The static keys a storm flips: the victims' own, and the tracepoints
 * among the configured targets (the same list before and after a storm).
 */
static int ps_show_keys(char *buf, size_t len)
{
	struct ps_keys_buf kb = { buf, len, 0 };
	unsigned int i;

	mutex_lock(&ps_lock);
	for (i = 0; i < ps_nr_victims; i++)
		if (ps_victims[i].key >= 0)
			kb.n += scnprintf(buf + kb.n, len - kb.n, "%s %d\n",
					  ps_victims[i].name,
					  static_key_enabled(&ps_victim_keys[ps_victims[i].key]));
	for_each_kernel_tracepoint(ps_keys_tp, &kb);
	mutex_unlock(&ps_lock);
	return kb.n;
}

static int ps_show_control(char *buf, size_t len)
{
	return scnprintf(buf, len, "%s\n", ps_state_name(ps_state()));
}

/* Every read formats a fresh snapshot, so a reader sees one consistent view. */
static int ps_seq_show(struct seq_file *m, void *v)
{
	const struct ps_file *f = m->private;
	size_t size = f->size ? f->size : PS_SHOW_BUF;
	char *buf = kvmalloc(size, GFP_KERNEL);
	int n;

	if (!buf)
		return -ENOMEM;
	if (f->show_hist)
		n = f->show_hist(f->id, buf, size);
	else
		n = f->show(buf, size);
	if (n > 0)
		seq_write(m, buf, n);
	kvfree(buf);
	return n < 0 ? n : 0;
}

static int ps_seq_open(struct inode *inode, struct file *file)
{
	const struct ps_file *f = inode->i_private;

	return single_open_size(file, ps_seq_show, inode->i_private,
				f->size ? f->size : PS_SHOW_BUF);
}

static int ps_control(char *text)
{
	char *cmd = strim(text);

	if (!strcmp(cmd, "start"))
		return ps_storm_start();
	if (!strcmp(cmd, "stop"))
		return ps_storm_stop();
	if (!strcmp(cmd, "reset"))
		return ps_storm_reset();
	ps_error("control: '%s' is not start, stop or reset", cmd);
	return -EINVAL;
}

static ssize_t ps_file_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	const struct ps_file *f = m->private;
	char *buf;
	int ret;

	if (!count || count > PS_WRITE_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = f->write(buf);
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations ps_ro_fops = {
	.owner = THIS_MODULE,
	.open = ps_seq_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations ps_rw_fops = {
	.owner = THIS_MODULE,
	.open = ps_seq_open,
	.read = seq_read,
	.write = ps_file_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static struct ps_file ps_caps_file = { ps_caps_show };
static struct ps_file ps_stats_file = { ps_show_stats };
static struct ps_file ps_control_file = { ps_show_control, ps_control };
static struct ps_file ps_config_file = { ps_show_config, ps_config_write };
static struct ps_file ps_bench_file = { ps_bench_show, ps_bench_write };
static struct ps_file ps_anomalies_file = { ps_anomalies_show };
static struct ps_file ps_sites_file = { ps_show_sites };
static struct ps_file ps_keys_file = { ps_show_keys };

int ps_debugfs_init(void)
{
	struct dentry *hist_dir;
	char name[PS_NAME_LEN];
	unsigned int i;

	ps_dir = debugfs_create_dir("patchstorm", NULL);
	if (IS_ERR(ps_dir))
		return PTR_ERR(ps_dir);
	hist_dir = debugfs_create_dir("hist", ps_dir);
	for (i = 0; i < PS_NR_HISTS; i++) {
		ps_hist_files[i].show_hist = ps_hist_show;
		ps_hist_files[i].id = i;
		ps_hist_files[i].size = PS_HIST_SHOW_BUF;
		ps_hist_name(i, name, sizeof(name));
		debugfs_create_file(name, 0400, hist_dir, &ps_hist_files[i],
				    &ps_ro_fops);
	}
	debugfs_create_file("anomalies", 0400, ps_dir, &ps_anomalies_file,
			    &ps_ro_fops);
	debugfs_create_file("sites", 0400, ps_dir, &ps_sites_file,
			    &ps_ro_fops);
	debugfs_create_file("keys", 0400, ps_dir, &ps_keys_file, &ps_ro_fops);
	debugfs_create_file("caps", 0400, ps_dir, &ps_caps_file, &ps_ro_fops);
	debugfs_create_file("stats", 0400, ps_dir, &ps_stats_file, &ps_ro_fops);
	debugfs_create_file("control", 0600, ps_dir, &ps_control_file,
			    &ps_rw_fops);
	debugfs_create_file("config", 0600, ps_dir, &ps_config_file,
			    &ps_rw_fops);
	debugfs_create_file("bench", 0600, ps_dir, &ps_bench_file,
			    &ps_rw_fops);
	return 0;
}

void ps_debugfs_exit(void)
{
	debugfs_remove_recursive(ps_dir);
}

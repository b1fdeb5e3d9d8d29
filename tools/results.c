// SPDX-License-Identifier: GPL-2.0
#include "results.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "debugfs.h"
#include "json.h"
#include "report.h"
#include "util.h"

void results_init(struct ps_results *r)
{
	memset(r, 0, sizeof(*r));
	kv_init(&r->caps);
	kv_init(&r->config);
	kv_init(&r->stats);
	kv_init(&r->runner);
}

void results_free(struct ps_results *r)
{
	size_t i;

	kv_free(&r->caps);
	kv_free(&r->config);
	kv_free(&r->stats);
	kv_free(&r->runner);
	for (i = 0; i < r->nr_anomalies; i++)
		kv_free(&r->anomalies[i]);
	free(r->anomalies);
	for (i = 0; i < r->nr_hists; i++) {
		free(r->hists[i].name);
		free(r->hists[i].h);
		kv_free(&r->hists[i].summary);
	}
	free(r->hists);
	free(r->source);
	results_init(r);
}

static struct kv_list *add_anomaly(struct ps_results *r)
{
	struct kv_list *a;

	r->anomalies = xrealloc(r->anomalies,
				(r->nr_anomalies + 1) * sizeof(*r->anomalies));
	a = &r->anomalies[r->nr_anomalies++];
	kv_init(a);
	return a;
}

void results_parse_anomalies(struct ps_results *r, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char *line = strndup(text, len);
		const char *s = line;
		struct kv_list fields;

		if (!line)
			abort();
		while (*s == ' ' || *s == '\t')
			s++;
		kv_init(&fields);
		if (*s && *s != '#') {
			kv_parse_fields(&fields, s);
			if (fields.n)
				*add_anomaly(r) = fields;
			else
				kv_free(&fields);
		}
		free(line);
		text = nl ? nl + 1 : text + len;
	}
}

static int hist_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ps_named_hist *)a)->name,
		      ((const struct ps_named_hist *)b)->name);
}

static int add_hist(struct ps_results *r, const char *name, const char *text,
		    char *err, size_t errlen)
{
	struct ps_named_hist *nh;
	char why[256];

	r->hists = xrealloc(r->hists, (r->nr_hists + 1) * sizeof(*r->hists));
	nh = &r->hists[r->nr_hists];
	nh->h = xmalloc(sizeof(*nh->h));
	kv_init(&nh->summary);
	if (ps_hist_parse(nh->h, &nh->summary, text, why, sizeof(why))) {
		snprintf(err, errlen, "histogram %s: %s", name, why);
		free(nh->h);
		return -1;
	}
	nh->name = xstrdup(name);
	r->nr_hists++;
	return 0;
}

static void load_kv_file(struct kv_list *l, const char *dir, const char *name)
{
	char *s = ps_df_read(dir, name);

	if (s)
		kv_parse_lines(l, s);
	free(s);
}


int results_load_dir(struct ps_results *r, const char *dir, char *err,
		     size_t errlen)
{
	char *stats, *s, *hdir;
	struct dirent *de;
	DIR *d;

	results_init(r);
	r->source = xstrdup(dir);
	stats = ps_df_read(dir, "stats");
	if (!stats) {
		snprintf(err, errlen, "cannot read %s/stats: %s", dir,
			 strerror(errno));
		return -1;
	}
	kv_parse_lines(&r->stats, stats);
	free(stats);
	load_kv_file(&r->caps, dir, "caps");
	load_kv_file(&r->config, dir, "config");
	s = ps_df_read(dir, "anomalies");
	results_parse_anomalies(r, s);
	free(s);

	hdir = xasprintf("%s/hist", dir);
	d = opendir(hdir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		s = ps_df_read(hdir, de->d_name);
		if (!s)
			continue;	/* e.g. a subdirectory */
		if (add_hist(r, de->d_name, s, err, errlen)) {
			free(s);
			closedir(d);
			free(hdir);
			return -1;
		}
		free(s);
	}
	if (d)
		closedir(d);
	free(hdir);
	if (r->nr_hists)
		qsort(r->hists, r->nr_hists, sizeof(*r->hists), hist_cmp);
	return 0;
}

static void jv_to_kv(struct kv_list *l, const struct jv *obj)
{
	size_t i;

	if (!obj || obj->type != JV_OBJECT)
		return;
	for (i = 0; i < obj->n; i++) {
		const char *t = jv_text(obj->items[i]);

		if (obj->items[i]->type == JV_BOOL)
			t = obj->items[i]->b ? "1" : "0";
		kv_add(l, obj->keys[i], t ? t : "");
	}
}

static int hist_from_json(struct ps_results *r, const char *name,
			  const struct jv *h, char *err, size_t errlen)
{
	const struct jv *rows = jv_get(h, "buckets");
	struct sbuf sb;
	size_t i;
	int ret;

	sb_init(&sb);
	for (i = 0; h->type == JV_OBJECT && i < h->n; i++) {
		const char *t = jv_text(h->items[i]);

		if (t && h->items[i]->type == JV_NUMBER)
			sb_printf(&sb, "%s=%s\n", h->keys[i], t);
	}
	for (i = 0; rows && rows->type == JV_ARRAY && i < rows->n; i++) {
		const struct jv *row = rows->items[i];

		if (row->type != JV_ARRAY || row->n != 3) {
			snprintf(err, errlen,
				 "histogram %s: bucket %zu is not [low, high, count]",
				 name, i);
			sb_free(&sb);
			return -1;
		}
		sb_printf(&sb, "%llu %llu %llu\n", jv_u64(row->items[0]),
			  jv_u64(row->items[1]), jv_u64(row->items[2]));
	}
	ret = add_hist(r, name, sb.s ? sb.s : "", err, errlen);
	sb_free(&sb);
	return ret;
}

int results_load_json(struct ps_results *r, const char *path, char *err,
		      size_t errlen)
{
	const struct jv *schema, *an, *hists;
	char *text, why[256];
	struct jv *root;
	size_t i;

	results_init(r);
	r->source = xstrdup(path);
	text = read_file(path);
	if (!text) {
		snprintf(err, errlen, "cannot read %s: %s", path,
			 strerror(errno));
		return -1;
	}
	root = jv_parse(text, why, sizeof(why));
	free(text);
	if (!root) {
		snprintf(err, errlen, "%s: %s", path, why);
		return -1;
	}
	schema = jv_get(root, "schema");
	if (!schema || jv_u64(schema) != 1) {
		snprintf(err, errlen,
			 "%s: not a patchstorm results file (need \"schema\": 1)",
			 path);
		jv_free(root);
		return -1;
	}
	jv_to_kv(&r->caps, jv_get(root, "caps"));
	jv_to_kv(&r->config, jv_get(root, "config"));
	jv_to_kv(&r->stats, jv_get(root, "stats"));
	an = jv_get(root, "anomalies");
	for (i = 0; an && an->type == JV_ARRAY && i < an->n; i++)
		jv_to_kv(add_anomaly(r), an->items[i]);
	hists = jv_get(root, "histograms");
	for (i = 0; hists && hists->type == JV_OBJECT && i < hists->n; i++) {
		if (hist_from_json(r, hists->keys[i], hists->items[i], err,
				   errlen)) {
			jv_free(root);
			return -1;
		}
	}
	jv_free(root);
	if (r->nr_hists)
		qsort(r->hists, r->nr_hists, sizeof(*r->hists), hist_cmp);
	return 0;
}

/* summary.json of a runner results dir: its scalar fields. */
static void load_runner_summary(struct ps_results *r, const char *path)
{
	char *text = read_file(path), why[256];
	struct jv *root;
	size_t i;

	if (!text)
		return;
	root = jv_parse(text, why, sizeof(why));
	free(text);
	if (!root)
		return;
	for (i = 0; root->type == JV_OBJECT && i < root->n; i++) {
		const struct jv *v = root->items[i];
		const char *t = jv_text(v);

		if (v->type == JV_STRING || v->type == JV_NUMBER)
			kv_add(&r->runner, root->keys[i], t ? t : "");
	}
	jv_free(root);
}

int results_load(struct ps_results *r, const char *path, char *err,
		 size_t errlen)
{
	char *p, *out;
	int ret;

	results_init(r);
	if (!is_dir(path))
		return results_load_json(r, path, err, errlen);
	out = xasprintf("%s/out", path);
	p = xasprintf("%s/summary.json", path);
	if (is_dir(out) && access(p, F_OK) == 0) {
		/* scripts/qemu-run.sh --results DIR */
		ret = results_load(r, out, err, errlen);
		if (!ret) {
			load_runner_summary(r, p);
			free(r->source);	/* labels name the run dir */
			r->source = xstrdup(path);
		}
		free(out);
		free(p);
		return ret;
	}
	free(out);
	free(p);
	p = xasprintf("%s/stats", path);
	if (access(p, F_OK) == 0) {
		free(p);
		return results_load_dir(r, path, err, errlen);
	}
	free(p);
	p = xasprintf("%s/result.json", path);
	if (access(p, F_OK) == 0) {
		ret = results_load_json(r, p, err, errlen);
		free(p);
		return ret;
	}
	free(p);
	snprintf(err, errlen,
		 "%s: no stats or result.json in it; give a results directory or a --json file",
		 path);
	return -1;
}

static int save_text(const char *dir, const char *name, const char *text,
		     char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		free(path);
		return -1;
	}
	fputs(text, f);
	bad = ferror(f);
	bad |= fclose(f);
	if (bad)
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
	free(path);
	return bad ? -1 : 0;
}

static char *kv_text(const struct kv_list *l)
{
	struct sbuf sb;
	size_t i;

	sb_init(&sb);
	for (i = 0; i < l->n; i++)
		sb_printf(&sb, "%s=%s\n", l->items[i].key, l->items[i].value);
	return sb_steal(&sb);
}

int results_save_dir(const struct ps_results *r, const char *dir, char *err,
		     size_t errlen)
{
	struct sbuf an;
	char *t, *hdir, *jpath;
	size_t i, j;
	FILE *f;
	int ret = 0;

	if (mkdir(dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", dir,
			 strerror(errno));
		return -1;
	}
	hdir = xasprintf("%s/hist", dir);
	if (mkdir(hdir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", hdir,
			 strerror(errno));
		free(hdir);
		return -1;
	}
	t = kv_text(&r->stats);
	ret |= save_text(dir, "stats", t, err, errlen);
	free(t);
	t = kv_text(&r->config);
	ret |= save_text(dir, "config", t, err, errlen);
	free(t);
	t = kv_text(&r->caps);
	ret |= save_text(dir, "caps", t, err, errlen);
	free(t);
	sb_init(&an);
	for (i = 0; i < r->nr_anomalies; i++) {
		for (j = 0; j < r->anomalies[i].n; j++)
			sb_printf(&an, "%s%s=%s", j ? " " : "",
				  r->anomalies[i].items[j].key,
				  r->anomalies[i].items[j].value);
		sb_puts(&an, "\n");
	}
	t = sb_steal(&an);
	ret |= save_text(dir, "anomalies", t, err, errlen);
	free(t);
	for (i = 0; i < r->nr_hists; i++) {
		t = ps_hist_format(r->hists[i].h);
		ret |= save_text(hdir, r->hists[i].name, t, err, errlen);
		free(t);
	}
	free(hdir);
	jpath = xasprintf("%s/result.json", dir);
	f = fopen(jpath, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", jpath,
			 strerror(errno));
		ret = -1;
	} else {
		report_json(r, f);
		if (fclose(f)) {
			snprintf(err, errlen, "cannot write %s: %s", jpath,
				 strerror(errno));
			ret = -1;
		}
	}
	free(jpath);
	return ret ? -1 : 0;
}

const struct ps_named_hist *results_hist(const struct ps_results *r,
					 const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_hists; i++)
		if (!strcmp(r->hists[i].name, name))
			return &r->hists[i];
	return NULL;
}

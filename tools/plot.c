// SPDX-License-Identifier: GPL-2.0
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

#define BINS_PER_OCTAVE 16

/* pngcairo where gnuplot has it, else the libgd png terminal */
#define TERMINAL							\
	"if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"		\
	"  set terminal pngcairo size 1000,600 noenhanced\n"		\
	"} else {\n"							\
	"  set terminal png size 1000,600 noenhanced\n"			\
	"}\n"

char *plot_label(const char *source)
{
	char *s = xstrdup(source ? source : "run"), *slash;
	size_t len;

	for (;;) {
		len = strlen(s);
		while (len > 1 && s[len - 1] == '/')
			s[--len] = '\0';
		if (len > 12 && !strcmp(s + len - 12, "/result.json")) {
			s[len - 12] = '\0';
			continue;
		}
		/* a runner results dir's out/: the run dir names it */
		if (len > 4 && !strcmp(s + len - 4, "/out")) {
			s[len - 4] = '\0';
			continue;
		}
		break;
	}
	slash = strrchr(s, '/');
	if (slash && slash[1]) {
		char *t = xstrdup(slash + 1);

		free(s);
		s = t;
	}
	return s;
}

char *plot_distribution_data(const struct ps_hist *h)
{
	int nbins = (PS_HIST_MAX_BITS + 1) * BINS_PER_OCTAVE;
	double *bins = xcalloc((size_t)nbins, sizeof(*bins));
	double zero = 0;
	struct sbuf sb;
	unsigned int i;
	int b;

	sb_init(&sb);
	sb_puts(&sb, "# center_ns percent_of_samples\n");
	if (!h->count) {
		free(bins);
		return sb_steal(&sb);
	}
	for (i = 0; i < PS_HIST_NR_BUCKETS; i++) {
		double mid;

		if (!h->counts[i])
			continue;
		mid = (ps_hist_bucket_low(i) + ps_hist_bucket_high(i)) / 2.0;
		if (mid < 1) {
			zero += h->counts[i];
			continue;
		}
		b = (int)floor(log2(mid) * BINS_PER_OCTAVE);
		if (b >= nbins)
			b = nbins - 1;
		bins[b] += h->counts[i];
	}
	if (zero)
		sb_printf(&sb, "%.3f %.6f\n", 0.5, 100 * zero / h->count);
	for (b = 0; b < nbins; b++)
		if (bins[b])
			sb_printf(&sb, "%.3f %.6f\n",
				  exp2((b + 0.5) / BINS_PER_OCTAVE),
				  100 * bins[b] / h->count);
	free(bins);
	return sb_steal(&sb);
}

char *plot_percentile_data(const struct ps_hist *h)
{
	struct sbuf sb;
	int k;

	sb_init(&sb);
	sb_puts(&sb, "# x=1/(1-q) latency_ns\n");
	if (!h->count)
		return sb_steal(&sb);
	/* q = 1 - 10^(-k/20): 0, ..., 90%, ..., 99%, ... down to 1 sample */
	for (k = 0; k <= 200; k++) {
		double tail = pow(10, -k / 20.0);

		if (tail * h->count < 1)
			break;
		sb_printf(&sb, "%.6g %llu\n", 1 / tail,
			  ps_hist_percentile(h, 1 - tail));
	}
	sb_printf(&sb, "%.6g %llu\n", (double)h->count, h->max);
	return sb_steal(&sb);
}

static int write_text(const char *path, const char *text, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path,
			 strerror(errno));
		return -1;
	}
	fputs(text, f);
	bad = ferror(f) | fclose(f);
	if (bad)
		snprintf(err, errlen, "cannot write %s", path);
	return bad ? -1 : 0;
}

/* gnuplot single-quoted string: double any quote */
static void gp_quote(struct sbuf *sb, const char *s)
{
	sb_puts(sb, "'");
	for (; *s; s++) {
		if (*s == '\'')
			sb_puts(sb, "''");
		else
			sb_printf(sb, "%c", *s);
	}
	sb_puts(sb, "'");
}

int plot_write(const char *dir, const char *name,
	       const struct ps_results *runs, size_t nruns, char **script,
	       char *err, size_t errlen)
{
	struct sbuf gp, dist, pct;
	size_t i, used = 0;
	char *path, *text;
	int ret = 0;

	sb_init(&gp);
	sb_init(&dist);
	sb_init(&pct);
	for (i = 0; i < nruns && !ret; i++) {
		const struct ps_named_hist *nh = results_hist(&runs[i], name);
		char *label;

		if (!nh || !nh->h->count)
			continue;
		label = plot_label(runs[i].source);
		path = xasprintf("%s/%s.%zu.dist.dat", dir, name, i);
		text = plot_distribution_data(nh->h);
		ret |= write_text(path, text, err, errlen);
		sb_printf(&dist, "%s", used ? ", \\\n  " : "plot ");
		gp_quote(&dist, path);
		sb_puts(&dist, " using 1:2 with steps lw 2 title ");
		gp_quote(&dist, label);
		free(text);
		free(path);

		path = xasprintf("%s/%s.%zu.pct.dat", dir, name, i);
		text = plot_percentile_data(nh->h);
		ret |= write_text(path, text, err, errlen);
		sb_printf(&pct, "%s", used ? ", \\\n  " : "plot ");
		gp_quote(&pct, path);
		sb_puts(&pct, " using 1:2 with steps lw 2 title ");
		gp_quote(&pct, label);
		free(text);
		free(path);
		free(label);
		used++;
	}
	if (!used || ret) {
		if (!ret)
			snprintf(err, errlen, "no samples in histogram %s",
				 name);
		sb_free(&gp);
		sb_free(&dist);
		sb_free(&pct);
		return -1;
	}
	sb_puts(&gp, "# patchstorm plot; run: gnuplot THIS_FILE\n");
	sb_puts(&gp, TERMINAL);
	sb_puts(&gp, "set grid\nset key top right\nset logscale x 10\n");
	path = xasprintf("%s/%s.png", dir, name);
	sb_puts(&gp, "set output ");
	gp_quote(&gp, path);
	free(path);
	sb_puts(&gp, "\nset title ");
	gp_quote(&gp, name);
	sb_puts(&gp, "\nset yrange [0:*]\nset xlabel 'latency'\n"
		"set ylabel '% of samples (per 1/16 octave)'\n"
		"set xtics ('1ns' 1, '10ns' 10, '100ns' 100, '1us' 1e3, "
		"'10us' 1e4, '100us' 1e5, '1ms' 1e6, '10ms' 1e7, '100ms' 1e8, "
		"'1s' 1e9, '10s' 1e10)\n");
	sb_puts(&gp, dist.s);
	sb_puts(&gp, "\n\nreset\n");
	sb_puts(&gp, TERMINAL);
	sb_puts(&gp, "set grid\nset key top left\nset logscale xy 10\n");
	path = xasprintf("%s/%s.percentiles.png", dir, name);
	sb_puts(&gp, "set output ");
	gp_quote(&gp, path);
	free(path);
	sb_puts(&gp, "\nset title ");
	gp_quote(&gp, name);
	sb_puts(&gp, "\nset xlabel 'percentile'\nset ylabel 'latency'\n"
		"set xtics ('0%%' 1, '90%%' 10, '99%%' 100, '99.9%%' 1000, "
		"'99.99%%' 10000, '99.999%%' 100000, '99.9999%%' 1000000)\n"
		"set ytics ('1ns' 1, '10ns' 10, '100ns' 100, '1us' 1e3, "
		"'10us' 1e4, '100us' 1e5, '1ms' 1e6, '10ms' 1e7, '100ms' 1e8, "
		"'1s' 1e9, '10s' 1e10)\n");
	sb_puts(&gp, pct.s);
	sb_puts(&gp, "\n");
	*script = xasprintf("%s/%s.gp", dir, name);
	ret = write_text(*script, gp.s, err, errlen);
	if (ret) {
		free(*script);
		*script = NULL;
	}
	sb_free(&gp);
	sb_free(&dist);
	sb_free(&pct);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
#include "progress.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"

#define PLAIN_INTERVAL	5.0
#define TTY_INTERVAL	0.5

void progress_init(struct progress *p, FILE *out, int tty)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->tty = tty;
	p->last_print = -1e9;
	p->last_sample = -1;
}

u64 stats_hits(const struct kv_list *stats)
{
	u64 sum = 0, v;
	size_t i;

	if (!kv_get_u64(stats, "hits", &v))
		return v;
	for (i = 0; i < stats->n; i++)
		if (!strncmp(stats->items[i].key, "hits.", 5) &&
		    !parse_u64(stats->items[i].value, &v))
			sum += v;
	return sum;
}

char *progress_line(const struct kv_list *stats, double rate)
{
	u64 el = kv_u64(stats, "elapsed_ns", 0) / 1000000000ULL;
	u64 dur = kv_u64(stats, "duration_s", 0);
	const char *state = kv_get(stats, "state");
	char b1[32], b2[32], b3[32], b4[32], total[32];

	if (dur)
		snprintf(total, sizeof(total), "%llus", dur);
	else
		snprintf(total, sizeof(total), "-");
	return xasprintf("%s %llus/%s  toggles %s (%s/s)  hits %s  calls %s  anomalies %llu",
			 state ? state : "?", el, total,
			 fmt_count((double)kv_u64(stats, "toggles", 0), b1,
				   sizeof(b1)),
			 fmt_count(rate, b2, sizeof(b2)),
			 fmt_count((double)stats_hits(stats), b3, sizeof(b3)),
			 fmt_count((double)kv_u64(stats, "calls", 0), b4,
				   sizeof(b4)),
			 kv_u64(stats, "anomalies", 0));
}

void progress_update(struct progress *p, const struct kv_list *stats,
		     double now)
{
	u64 t = kv_u64(stats, "toggles", 0);
	char *line;
	size_t len;

	if (p->last_sample >= 0 && now > p->last_sample) {
		if (now - p->last_sample < (p->tty ? TTY_INTERVAL :
					    PLAIN_INTERVAL) - 0.01)
			return;
		p->rate = t >= p->last_toggles ?
			(t - p->last_toggles) / (now - p->last_sample) : 0;
	} else {
		/* first sample: the average so far */
		u64 el = kv_u64(stats, "elapsed_ns", 0);

		p->rate = el ? t / (el / 1e9) : 0;
	}
	p->last_sample = now;
	p->last_toggles = t;
	line = progress_line(stats, p->rate);
	len = strlen(line);
	if (p->tty) {
		fprintf(p->out, "\r%s", line);
		if (p->last_len > len)
			fprintf(p->out, "%*s", (int)(p->last_len - len), "");
		p->last_len = len;
	} else {
		fprintf(p->out, "%s\n", line);
	}
	p->last_print = now;
	fflush(p->out);
	free(line);
}

void progress_finish(struct progress *p)
{
	if (p->tty && p->last_len) {
		fputc('\n', p->out);
		fflush(p->out);
		p->last_len = 0;
	}
}

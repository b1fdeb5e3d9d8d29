/* SPDX-License-Identifier: GPL-2.0 */
/* Live progress of a running storm. */
#ifndef PS_PROGRESS_H
#define PS_PROGRESS_H

#include <stdio.h>
#include "kv.h"

struct progress {
	FILE *out;
	int tty;		/* single updating line, else a line every 5 s */
	double last_print;	/* monotonic seconds */
	double last_sample;
	u64 last_toggles;
	double rate;		/* toggles/s over the last interval */
	size_t last_len;	/* to blank a shorter line on a TTY */
};

void progress_init(struct progress *p, FILE *out, int tty);
/* Feed the current stats at monotonic time @now; prints when due. */
void progress_update(struct progress *p, const struct kv_list *stats,
		     double now);
/* End the updating line (TTY) before other output. */
void progress_finish(struct progress *p);

/* The progress text for @stats with @rate toggles/s; caller frees. */
char *progress_line(const struct kv_list *stats, double rate);
/* Sum of hits.* (or "hits" when present). */
u64 stats_hits(const struct kv_list *stats);

#endif

// SPDX-License-Identifier: GPL-2.0
/* Plot data and scripts (plot.c), and the plot command. */
#include "test.h"

#include <stdlib.h>
#include <sys/wait.h>
#include "plot.h"
#include "util.h"

static void test_label(void)
{
	char *s;

	s = plot_label("results/run-6.12/result.json");
	CHECK_STR(s, "run-6.12");
	free(s);
	s = plot_label("/tmp/a/b/");
	CHECK_STR(s, "b");
	free(s);
	s = plot_label("results/20260101-riscv64-6.12/out/");
	CHECK_STR(s, "20260101-riscv64-6.12");
	free(s);
	s = plot_label("x.json");
	CHECK_STR(s, "x.json");
	free(s);
}

static void test_distribution(void)
{
	struct ps_hist *h = xmalloc(sizeof(*h));
	double total = 0, c, p;
	char *s, *line;
	int i, rows = 0;

	ps_hist_init(h);
	for (i = 0; i < 1000; i++)
		ps_hist_record(h, 1000 + i);	/* 1000..1999 ns */
	ps_hist_record(h, 0);
	s = plot_distribution_data(h);
	for (line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		CHECK_INT(sscanf(line, "%lf %lf", &c, &p), 2);
		CHECK((c > 950 && c < 2100) || c == 0.5);
		total += p;
		rows++;
	}
	/* percentages add up to 100, 1/16-octave bins: 1000..2000 is ~16 */
	CHECK(total > 99.999 && total < 100.001);
	CHECK(rows >= 16 && rows <= 19);
	free(s);
	free(h);
}

static void test_percentile_curve(void)
{
	struct ps_hist *h = xmalloc(sizeof(*h));
	double x, last_x = 0;
	unsigned long long y, last_y = 0;
	char *s, *line;
	int i, rows = 0;

	ps_hist_init(h);
	for (i = 1; i <= 1000; i++)
		ps_hist_record(h, (u64)i * 100);
	s = plot_percentile_data(h);
	for (line = strchr(s, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
		CHECK_INT(sscanf(line, "%lf %llu", &x, &y), 2);
		/* monotonic in both, ends at (count, max) */
		CHECK(x >= last_x && y >= last_y);
		last_x = x;
		last_y = y;
		rows++;
	}
	CHECK(last_x == 1000 && last_y == 100000);
	CHECK(rows > 50);
	free(s);
	free(h);
}

static int gnuplot_available(void)
{
	return system("gnuplot -e 'exit' >/dev/null 2>&1") == 0;
}

static void test_plot_command(void)
{
	const char *in = t_tmpdir(), *out = t_tmpdir();
	char *cmd, *png, *gp;

	t_fake_debugfs(in, "done", "SUCCESS");
	/* gnuplot missing: exit 3 and how to get it */
	cmd = xasprintf("PATH=/nonexistent '%s' plot -o '%s' '%s' 2>'%s/err'",
			t_cli, out, in, out);
	CHECK_INT(WEXITSTATUS(system(cmd)), 3);
	free(cmd);
	cmd = xasprintf("%s/err", out);
	png = t_read(cmd);
	CHECK_HAS(png, "gnuplot not found");
	free(png);
	free(cmd);
	/* the script is there to run elsewhere */
	gp = xasprintf("%s/patch.ftrace-filter.enable.gp", out);
	png = t_read(gp);
	CHECK_HAS(png, "patch.ftrace-filter.enable.percentiles.png");
	free(png);
	free(gp);
	/* bad histogram name: usage */
	cmd = xasprintf("'%s' plot -o '%s' --hist nope '%s' 2>/dev/null",
			t_cli, out, in);
	CHECK_INT(WEXITSTATUS(system(cmd)), 2);
	free(cmd);
	if (!gnuplot_available()) {
		t_skip("gnuplot not installed: no PNG drawn");
		return;
	}
	cmd = xasprintf("'%s' plot -o '%s' --hist stall '%s' '%s' >/dev/null",
			t_cli, out, in, in);
	CHECK_INT(WEXITSTATUS(system(cmd)), 0);
	free(cmd);
	cmd = xasprintf("%s/stall.png", out);
	png = t_read(cmd);
	CHECK(!memcmp(png, "\x89PNG", 4));
	free(png);
	free(cmd);
	cmd = xasprintf("%s/stall.percentiles.png", out);
	png = t_read(cmd);
	CHECK(!memcmp(png, "\x89PNG", 4));
	free(png);
	free(cmd);
	/* only the histogram asked for */
	cmd = xasprintf("test ! -e '%s/patch.ftrace-filter.enable.png'", out);
	CHECK_INT(system(cmd), 0);
	free(cmd);
}

void suite_plot(void)
{
	RUN(test_label);
	RUN(test_distribution);
	RUN(test_percentile_curve);
	RUN(test_plot_command);
}

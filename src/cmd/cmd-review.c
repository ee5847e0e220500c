#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/clock.h"
#include "dialab/review.h"
#include "dialab/tui.h"

static const char usage[] =
	"usage: dialab review [--queue order] [--filter EXPR] [--blind] [--db path] [--goto id]";

int
cmd_review(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "blind", no_argument, NULL, 'b' },
		{ "goto", required_argument, NULL, 'g' },
		{ "queue", required_argument, NULL, 'Q' },
		{ "filter", required_argument, NULL, 'F' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct review_opts o = { 0 };
	struct dl_error err = { 0 };
	struct store *st;
	struct review *r;
	double t0 = clock_ms();
	int ch, rc, rewrites = 0;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'b':
			o.blind = 1;
			break;
		case 'g':
			o.start_at = optarg;
			break;
		case 'Q': {
			int q = store_queue_order_parse(optarg);

			if (!strcmp(optarg, "rewrites")) {
				rewrites = 1;
				break;
			}
			if (q < 0)
				return cli_usage("review", usage, "--queue: unknown order '%s'"
						 " (sequential, uncertain, friction, disagreements,"
						 " rewrites)", optarg);
			o.order = (enum queue_order)q;
			break;
		}
		case 'F':
			o.filter = optarg;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (rewrites && (o.filter || o.start_at || o.blind))
		return cli_usage("review", usage, "the rewrites queue takes no --filter, --goto or --blind");
	if ((rc = cli_open(&opts, &st)))
		return rc;
	if (rewrites) {
		rc = tui_rewrites(st, cli.annotator, &err);
		store_close(st);
		return rc ? cli_error("review", &err) : 0;
	}
	o.annotator = cli.annotator;
	if (!(r = review_new(st, &o, &err))) {
		store_close(st);
		if (err.code == DL_EX_USAGE)
			return cli_usage("review", usage, "--%s", err.msg);
		return cli_error("review", &err);
	}
	rc = tui_run(r, getenv("DIALAB_TRACE"), t0, &err);
	review_free(r);
	store_close(st);
	return rc ? cli_error("review", &err) : 0;
}

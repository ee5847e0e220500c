#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialab/cli.h"
#include "dialab/habits.h"
#include "dialab/import.h"
#include "dialab/rewrite.h"

static const char usage[] = "usage: dialab demo [--db path]";

/* db/demo.jsonl beside the binary (a source tree), else the installed copy. */
static int
find_demo(char *jsonl, size_t n, char *db, size_t m)
{
	char exe[PATH_MAX], *slash;
	struct stat sb;
	ssize_t len;
	int up;

	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[len] = '\0';
		for (up = 0; up < 3 && (slash = strrchr(exe, '/')); up++) {
			*slash = '\0';
			snprintf(jsonl, n, "%s/db/demo.jsonl", exe);
			if (stat(jsonl, &sb) == 0) {
				snprintf(db, m, "%s/db/demo.db", exe);
				return 0;
			}
			/* installed under some PREFIX: PREFIX/bin and PREFIX/share/dialab */
			snprintf(jsonl, n, "%s/share/dialab/demo.jsonl", exe);
			if (up == 1 && stat(jsonl, &sb) == 0) {
				snprintf(db, m, "demo.db");
				return 0;
			}
		}
	}
	snprintf(jsonl, n, "%s/demo.jsonl", DIALAB_DATADIR);
	snprintf(db, m, "demo.db");
	return stat(jsonl, &sb);
}

int
cmd_demo(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	static char jsonl[PATH_MAX + 32], db[PATH_MAX + 32];
	const char *paths[1];
	struct import_opts o = { 0 };
	struct import_result res;
	struct dl_error err = { 0 };
	struct store *st;
	char *stats_argv[] = { "stats", NULL };
	char *review_argv[] = { "review", NULL };
	int ch, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
	}
	if (ch < 0)
		return opts.status;
	if (find_demo(jsonl, sizeof(jsonl), db, sizeof(db))) {
		dl_error_set(&err, DL_EX_NOINPUT, jsonl, 0, NULL, "the demo data is not installed");
		return cli_error("demo", &err);
	}
	/* Only an explicit --db: $DIALAB_DB may be someone's working data. */
	if (!cli.db_option)
		cli.db = db;
	/* Reuse an existing demo database: decisions made in it are kept. */
	if ((rc = cli_open(&opts, &st)))
		return rc;
	paths[0] = jsonl;
	o.format = IN_DIALAB;
	o.dup = DUP_SKIP;
	o.annotator = cli.annotator;
	o.paths = paths;
	o.npaths = 1;
	rc = import_run(st, &o, &res, &err);
	if (!rc) {	/* the demo's rephrases give the rewrites queue something to show */
		struct rw_opts ro;
		struct rw_summary rs;

		rw_opts_default(&ro);
		rc = rw_mine(st, &ro, &rs, &err);
	}
	if (!rc) {	/* and its users' habits, for prefs show and resolve */
		json_t *h = habits_learn(st, NULL, &err);

		rc = h ? 0 : -1;
		json_decref(h);
	}
	store_close(st);
	if (rc)
		return cli_error("demo", &err);
	/* On a terminal the demo is the review UI itself. */
	if (cli_isatty(0) && cli_isatty(1))
		return cli_run(1, review_argv);
	printf("demo database %s: %ld dialogues loaded from %s", cli.db, res.inserted, jsonl);
	if (res.skipped)
		printf(" (%ld already there, kept as they were)", res.skipped);
	printf("\n\n");
	if ((rc = cli_run(1, stats_argv)))
		return rc;
	printf("\nnext (on a terminal, 'dialab demo' opens the review UI):\n"
	       "  dialab --db %s review\n"
	       "  dialab --db %s review --queue rewrites\n"
	       "  dialab --db %s export --format conll | head\n"
	       "  dialab help\n", cli.db, cli.db, cli.db);
	return 0;
}

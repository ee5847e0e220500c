#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dialab/cli.h"
#include "dialab/clock.h"
#include "dialab/import.h"
#include "dialab/rwfile.h"
#include "dialab/teach.h"

static const char usage[] =
	"usage: dialab import [--json] [--skip-bad] [--db path] [--format format]\n"
	"                     [--on-duplicate policy] path ...\n"
	"       dialab import --format catalog [--json] [--db path] {path | --reset}\n"
	"       dialab import --format rewrites [--json] [--db path] path";

struct ui {
	int json, tty;
	json_t *rejected, *warnings;	/* for --json */
	double start, last;
	long shown;
};

static json_t *
error_json(const struct dl_error *e)
{
	return json_pack("{s:s, s:I, s:s, s:s}", "file", e->file, "line", (json_int_t)e->line,
			 "path", e->path, "message", e->msg);
}

static void
clear_progress(struct ui *u)
{
	if (u->tty && u->shown) {
		fputs("\r\033[K", stderr);
		u->shown = 0;
	}
}

static void
on_reject(void *ctx, const struct dl_error *e)
{
	struct ui *u = ctx;
	char buf[1024];

	clear_progress(u);
	fprintf(stderr, "dialab import: rejected: %s\n", dl_error_str(e, buf, sizeof(buf)));
	if (u->json)
		json_array_append_new(u->rejected, error_json(e));
}

static void
on_warn(void *ctx, const struct dl_error *e)
{
	struct ui *u = ctx;
	char buf[1024];

	clear_progress(u);
	fprintf(stderr, "dialab import: warning: %s\n", dl_error_str(e, buf, sizeof(buf)));
	if (u->json)
		json_array_append_new(u->warnings, error_json(e));
}

static void
on_progress(void *ctx, const struct import_result *r, double done)
{
	struct ui *u = ctx;
	double t = clock_now(), rate;

	if (!u->tty || t - u->last < 0.25)
		return;
	u->last = t;
	rate = (double)r->read / (t - u->start + 1e-9);
	fprintf(stderr, "\r\033[Kimporting: %ld records, %.0f/s", r->read, rate);
	if (done > 0 && done < 1)
		fprintf(stderr, ", %.0f%%, about %.0f s left", 100 * done,
			(t - u->start) * (1 - done) / done);
	u->shown = 1;
}

static void
remove_db(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, suffix[i]);
		unlink(buf);
	}
}

/* --format rewrites: rewrites as `dialab rewrites export` writes them. */
static int
import_rewrites(int argc, char **argv, int json)
{
	struct dl_error err = { 0 };
	struct store *st;
	double start = clock_now();
	long created, updated;
	int rc, made;

	if (argc != 1)
		return cli_usage("import", usage, argc ? "one rewrites file at a time" :
				 "no input: give the rewrites file, or - for standard input");
	if ((rc = cli_open_store("import", STORE_CREATE, &st)))
		return rc;
	rc = rw_import(st, argv[0], cli.annotator, &created, &updated, &err);
	made = store_created(st);
	store_close(st);
	if (rc) {
		if (made)
			remove_db(cli.db);
		rc = cli_error("import", &err);
		fprintf(stderr, "dialab import: nothing imported; the database is as it was\n");
		return rc;
	}
	if (json)
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:f}", "database", cli.db,
					 "format", "rewrites", "new", (json_int_t)created,
					 "updated", (json_int_t)updated, "seconds", clock_now() - start));
	else
		printf("imported %ld rewrite%s from %s: %ld new, %ld updated\n", created + updated,
		       created + updated == 1 ? "" : "s", argv[0], created, updated);
	return 0;
}

/* --format catalog: the preference catalog, into meta; or back to the bundled one. */
static int
import_catalog(int argc, char **argv, int json, int reset)
{
	struct dl_error err = { 0 };
	struct catalog cat;
	struct store *st;
	double start = clock_now();
	int rc, created, replaced = 0;
	const char *path = argc ? argv[0] : NULL;

	if (reset && argc)
		return cli_usage("import", usage, "--reset takes no path: it goes back to the bundled catalog");
	if (!reset && argc != 1)
		return cli_usage("import", usage, argc ? "one catalog file at a time" :
				 "no input: give the catalog file, or --reset");
	if ((rc = cli_open_store("import", reset ? STORE_WRITE : STORE_CREATE, &st)))
		return rc;
	if (reset) {
		rc = teach_catalog_reset(st, cli.annotator, &replaced, &err);
		store_close(st);
		if (rc || teach_catalog(&cat, NULL, NULL, &err))
			return cli_error("import", &err);
	} else {
		rc = teach_catalog_import(st, path, cli.annotator, &cat, &replaced, &err);
		created = store_created(st);
		store_close(st);
		if (rc && created)
			remove_db(cli.db);
		if (rc) {
			rc = cli_error("import", &err);
			fprintf(stderr, "dialab import: nothing imported; the database is as it was\n");
			return rc;
		}
	}
	if (json) {
		cli_print_json(json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:f}", "database", cli.db,
					 "format", "catalog", "catalog", reset ? "bundled" : path,
					 "domains", (json_int_t)cat.ndomains,
					 "values", (json_int_t)cat.nvalues, "replaced", replaced,
					 "seconds", clock_now() - start));
	} else if (reset) {
		printf("%s; the bundled catalog is in use (%zu domains, %zu values)\n",
		       replaced ? "removed the imported catalog" : "no catalog was imported",
		       cat.ndomains, cat.nvalues);
	} else {
		printf("imported the catalog %s: %zu domain%s, %zu value%s%s\n", path, cat.ndomains,
		       cat.ndomains == 1 ? "" : "s", cat.nvalues, cat.nvalues == 1 ? "" : "s",
		       replaced ? ", replacing the one imported before" : "");
	}
	cat_release(&cat);
	return 0;
}

int
cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "on-duplicate", required_argument, NULL, 'D' },
		{ "reset", no_argument, NULL, 'R' },
		{ "skip-bad", no_argument, NULL, 's' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "f:h", longopts, usage, CLI_ANY, 0, 0 };
	struct import_opts o = { 0 };
	struct import_result res;
	struct dl_error err = { 0 };
	struct ui u = { 0 };
	struct store *st;
	int ch, fmt, rc, created, catalog = 0, rewrites = 0, reset = 0, dup_given = 0;

	o.format = IN_DIALAB;
	o.dup = DUP_ERROR;
	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'f':
			if ((catalog = !strcmp(optarg, "catalog")) || (rewrites = !strcmp(optarg, "rewrites")))
				break;
			if ((fmt = reader_format_parse(optarg)) < 0)
				return cli_usage("import", usage, "unknown format '%s' (dialab, snips, slurp, sgd,"
						 " catalog, rewrites)", optarg);
			o.format = (enum in_format)fmt;
			break;
		case 'R':
			reset = 1;
			break;
		case 'j':
			u.json = 1;
			break;
		case 'D':
			if (!strcmp(optarg, "error"))
				o.dup = DUP_ERROR;
			else if (!strcmp(optarg, "skip"))
				o.dup = DUP_SKIP;
			else if (!strcmp(optarg, "replace"))
				o.dup = DUP_REPLACE;
			else
				return cli_usage("import", usage, "unknown --on-duplicate policy '%s' (error, skip, replace)", optarg);
			dup_given = 1;
			break;
		case 's':
			o.skip_bad = 1;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (catalog && (o.skip_bad || dup_given))
		return cli_usage("import", usage, "--skip-bad and --on-duplicate are for dialogues, not a catalog");
	if (rewrites && (o.skip_bad || dup_given || reset))
		return cli_usage("import", usage, "--skip-bad, --on-duplicate and --reset are not for rewrites");
	if (catalog)
		return import_catalog(argc - optind, argv + optind, u.json, reset);
	if (rewrites)
		return import_rewrites(argc - optind, argv + optind, u.json);
	if (reset)
		return cli_usage("import", usage, "--reset goes with --format catalog");
	if (optind == argc)
		return cli_usage("import", usage, "no input: give files, a SNIPS folder or - for standard input");
	o.paths = (const char *const *)argv + optind;
	o.npaths = (size_t)(argc - optind);
	o.annotator = cli.annotator;
	o.on_reject = on_reject;
	o.on_warn = on_warn;
	o.on_progress = on_progress;
	o.ctx = &u;
	u.tty = cli_isatty(2);
	u.start = clock_now();
	u.rejected = json_array();
	u.warnings = json_array();
	if ((rc = cli_open(&opts, &st)))
		goto out;
	rc = import_run(st, &o, &res, &err);
	created = store_created(st);
	store_close(st);
	if (rc && created)
		remove_db(cli.db);	/* it did not exist before: leave nothing */
	clear_progress(&u);
	if (rc) {
		rc = cli_error("import", &err);
		fprintf(stderr, "dialab import: nothing imported; the database is as it was\n");
		goto out;
	}
	if (u.json) {
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:O, s:f}",
				      "database", cli.db, "format", reader_format_name(o.format),
				      "read", (json_int_t)res.read, "inserted", (json_int_t)res.inserted,
				      "replaced", (json_int_t)res.replaced, "skipped", (json_int_t)res.skipped,
				      "rejected_count", (json_int_t)res.rejected,
				      "turns", (json_int_t)res.turns, "labels", (json_int_t)res.labels,
				      "rejected", u.rejected, "warnings", u.warnings,
				      "seconds", clock_now() - u.start));
	} else {
		printf("imported %ld dialogues (%ld turns, %ld labels) in %.2f s",
		       res.inserted + res.replaced, res.turns, res.labels, clock_now() - u.start);
		if (res.replaced)
			printf(", %ld of them replacing stored ones", res.replaced);
		if (res.skipped)
			printf(", %ld duplicate%s skipped", res.skipped, res.skipped == 1 ? "" : "s");
		if (res.rejected)
			printf(", %ld rejected", res.rejected);
		if (res.warnings)
			printf(", %ld warning%s", res.warnings, res.warnings == 1 ? "" : "s");
		putchar('\n');
	}
	rc = 0;
out:
	json_decref(u.rejected);
	json_decref(u.warnings);
	return rc;
}

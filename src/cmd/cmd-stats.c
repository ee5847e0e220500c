#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "dialab/cli.h"

static const char usage[] = "usage: dialab stats [--json] [--db path]";

static void
print_counts(const char *title, json_t *o)
{
	const char *key;
	json_t *v;

	if (!json_object_size(o))
		return;
	printf("  %s\n", title);
	json_object_foreach(o, key, v)
		printf("    %-28s %8" JSON_INTEGER_FORMAT "\n", key, json_integer_value(v));
}

static double
pct(json_int_t a, json_int_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

int
cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct dl_error err = { 0 };
	struct store *st;
	json_t *s, *l, *d, *r;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		if (ch == 'j')
			json = 1;
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	s = store_stats(st, &err);
	store_close(st);
	if (!s)
		return cli_error("stats", &err);
	if (json) {
		cli_print_json(s);
		return 0;
	}
	l = json_object_get(s, "labels");
	d = json_object_get(s, "decisions");
	r = json_object_get(s, "review");
#define I(o, k) json_integer_value(json_object_get(o, k))
	printf("database   %s\n", json_string_value(json_object_get(s, "database")));
	printf("dialogues  %" JSON_INTEGER_FORMAT "\n", I(s, "dialogues"));
	printf("turns      %" JSON_INTEGER_FORMAT "\n", I(s, "turns"));
	printf("users      %" JSON_INTEGER_FORMAT "\n", I(s, "users"));
	printf("labels     %" JSON_INTEGER_FORMAT "\n", I(l, "total"));
	print_counts("by kind", json_object_get(l, "by_kind"));
	print_counts("by source", json_object_get(l, "by_source"));
	printf("decisions  %" JSON_INTEGER_FORMAT "\n", I(d, "total"));
	print_counts("by annotator", json_object_get(d, "by_annotator"));
	print_counts("by action", json_object_get(d, "by_action"));
	printf("review     %" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT
	       " turns reviewed (%.1f%%), %" JSON_INTEGER_FORMAT " of %" JSON_INTEGER_FORMAT
	       " dialogues touched\n",
	       I(r, "turns_reviewed"), I(r, "turns"), pct(I(r, "turns_reviewed"), I(r, "turns")),
	       I(r, "dialogues_reviewed"), I(r, "dialogues"));
#undef I
	json_decref(s);
	return 0;
}

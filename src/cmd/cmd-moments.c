#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab moments [--user name] [--window seconds]"
	" [--catalog file] [--json] [--db path]";

static void
print_moment(const json_t *m)
{
	const json_t *e;
	size_t i;

	printf("%s %s (user %s): %s\n", json_string_value(json_object_get(m, "dialogue")),
	       json_string_value(json_object_get(m, "domain")) ?
	       json_string_value(json_object_get(m, "domain")) : "-",
	       json_string_value(json_object_get(m, "user")),
	       json_string_value(json_object_get(m, "summary")));
	json_array_foreach(json_object_get(m, "evidence"), i, e) {
		const char *fp = json_string_value(json_object_get(e, "failure_point"));
		const char *r = json_string_value(json_object_get(e, "response"));

		printf("  turn %d [%s]%s \"%s\"%s%s\n", (int)json_integer_value(json_object_get(e, "turn")),
		       json_string_value(json_object_get(e, "time")),
		       json_is_true(json_object_get(e, "barge_in")) ? " barge-in" : "",
		       json_string_value(json_object_get(e, "text")), fp ? "  fp=" : "", fp ? fp : "");
		if (r && *r)
			printf("      -> \"%s\"\n", r);
	}
	printf("  ask: %s\n", json_string_value(json_object_get(m, "question")));
}

int
cmd_moments(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "window", required_argument, NULL, 'w' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct dl_error err = { 0 };
	struct catalog cat;
	struct store *st;
	const char *user = NULL, *catalog = NULL;
	double window = 120;
	json_t *ms, *m;
	int ch, json = 0, done = 0, rc;
	size_t i;
	char *end;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_common_opt(ch, optarg, "moments", &done)) {
			if (done)
				return done - 1;
			continue;
		}
		if (ch == 'u') {
			user = optarg;
		} else if (ch == 'c') {
			catalog = optarg;
		} else if (ch == 'j') {
			json = 1;
		} else if (ch == 'w') {
			window = strtod(optarg, &end);
			if (*end || !(window > 0))
				return cli_usage("moments", usage,
						 "--window wants seconds above 0, not '%s'", optarg);
		} else {
			return cli_bad_option("moments", usage, argv);
		}
	}
	if (optind < argc)
		return cli_usage("moments", usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store("moments", STORE_READ, &st)))
		return rc;
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		return cli_error("moments", &err);
	}
	ms = teach_moments(st, &cat, user, window, &err);
	cat_release(&cat);
	store_close(st);
	if (!ms)
		return cli_error("moments", &err);
	if (json) {
		cli_print_json(json_pack("{s:o,s:o}", "user", user ? json_string(user) : json_null(),
					 "moments", ms));
		return 0;
	}
	json_array_foreach(ms, i, m)
		print_moment(m);
	printf("%zu teachable moment%s%s%s\n", json_array_size(ms),
	       json_array_size(ms) == 1 ? "" : "s", user ? " for " : "", user ? user : "");
	json_decref(ms);
	return 0;
}

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab moments [--user name] [--window seconds]"
	" [--catalog file] [--json] [--db path]";

/* The output, written as the moments are found. */
struct out {
	int json;
	long n;
	struct strbuf sb;
};

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

static int
write_error(struct dl_error *err)
{
	return dl_error_set(err, DL_EX_IOERR, "stdout", 0, NULL, "write error");
}

static int
one_moment(void *ctx, const json_t *m, struct dl_error *err)
{
	struct out *o = ctx;

	if (o->json) {
		sb_reset(&o->sb);
		if (o->n)
			sb_addc(&o->sb, ',');
		jw_value(&o->sb, m);
		fwrite(o->sb.buf, 1, o->sb.len, stdout);
	} else {
		print_moment(m);
	}
	o->n++;
	return ferror(stdout) ? write_error(err) : 0;
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
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct dl_error err = { 0 };
	struct catalog cat;
	struct store *st;
	const char *user = NULL, *catalog = NULL;
	double window = 120;
	struct out o = { 0 };
	int ch, json = 0, rc;
	char *end;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
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
		}
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		return cli_error("moments", &err);
	}
	/* Each moment is written as it is found: --json on all users must not hold them all. */
	o.json = json;
	sb_init(&o.sb);
	if (json) {
		sb_adds(&o.sb, "{\"user\":");
		if (user)
			jw_string(&o.sb, user, strlen(user));
		else
			sb_adds(&o.sb, "null");
		sb_adds(&o.sb, ",\"moments\":[");
		fwrite(o.sb.buf, 1, o.sb.len, stdout);
	}
	rc = teach_moments_each(st, &cat, user, window, one_moment, &o, &err);
	sb_release(&o.sb);
	cat_release(&cat);
	store_close(st);
	if (rc) {
		if (json)
			putchar('\n');	/* the half-written object ends its line */
		return cli_error("moments", &err);
	}
	if (json)
		puts("]}");
	else
		printf("%ld teachable moment%s%s%s\n", o.n, o.n == 1 ? "" : "s", user ? " for " : "",
		       user ? user : "");
	return 0;
}

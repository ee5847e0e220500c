#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "dialab/cli.h"

static const char usage[] = "usage: dialab init [--json] [--db path]";

int
cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct store *st;
	int ch, json = 0, rc, created;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		if (ch == 'j')
			json = 1;
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	created = store_created(st);
	store_close(st);
	if (json)
		cli_print_json(json_pack("{s:s, s:b, s:i}", "database", cli.db,
					 "created", created, "schema", STORE_SCHEMA_VERSION));
	else if (created) {
		printf("created dialab database %s (schema %d)\n", cli.db, STORE_SCHEMA_VERSION);
	} else {
		printf("%s is already a dialab database (schema %d); left as it was\n",
		       cli.db, STORE_SCHEMA_VERSION);
	}
	return 0;
}

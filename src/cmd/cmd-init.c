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
	struct store *st;
	int ch, json = 0, done = 0, rc, created;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (cli_common_opt(ch, optarg, "init", &done)) {
			if (done)
				return done - 1;
			continue;
		}
		if (ch == 'j')
			json = 1;
		else
			return cli_bad_option("init", usage, argv);
	}
	if (optind < argc)
		return cli_usage("init", usage, "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_store("init", STORE_CREATE, &st)))
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

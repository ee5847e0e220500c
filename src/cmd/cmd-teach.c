#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab teach --user name [--guided [domain]] [--moments]"
	" [--operator name] [--catalog file] [--window seconds] [--json] [--db path]";

int
cmd_teach(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "guided", no_argument, NULL, 'g' },
		{ "moments", no_argument, NULL, 'm' },
		{ "operator", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "window", required_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, CLI_ANY, 0, 0 };
	struct teach_opts o = { .turn = -1 };
	struct dl_error err = { 0 };
	struct catalog cat;
	struct store *st;
	const char *catalog = NULL;
	int ch, json = 0, rc;
	char *end;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'u': o.user = optarg; break;
		case 'g': o.guided = 1; break;
		case 'm': o.moments = 1; break;
		case 'o': o.operator_ = optarg; break;
		case 'c': catalog = optarg; break;
		case 'j': json = 1; break;
		case 'w':
			o.window = strtod(optarg, &end);
			if (*end || !(o.window > 0))
				return cli_usage("teach", usage, "--window wants seconds above 0, not '%s'",
						 optarg);
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (o.guided && optind < argc)
		o.domain = argv[optind++];
	if (optind < argc)
		return cli_usage("teach", usage, "unexpected argument '%s'", argv[optind]);
	if (!o.user || !*o.user)
		return cli_usage("teach", usage, "whom to teach about? give --user");
	if (o.guided && o.moments)
		return cli_usage("teach", usage, "--guided and --moments are two kinds of session: choose one");
	o.operator_ = o.operator_ ? o.operator_ : cli.annotator;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		return cli_error("teach", &err);
	}
	o.cat = &cat;
	rc = teach_run(st, &o, stdin, cli_isatty(0) && cli_isatty(1) && !json, json, &err);
	cat_release(&cat);
	store_close(st);
	if (rc) {
		if (err.code == DL_EX_USAGE)
			return cli_usage("teach", usage, "%s", err.msg);
		return cli_error("teach", &err);
	}
	return 0;
}

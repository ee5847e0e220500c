/* dialab: review and teach the labels of a voice assistant's dialogues. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialab/cli.h"

/* Sorted.  What each opens (cli_open) and needs comes first, then what it does. */
static const struct cli_command commands[] = {
	{ "agree", cmd_agree, STORE_READ, 0,
	  "measure agreement between annotators, and the models against them" },
	{ "demo", cmd_demo, STORE_CREATE, 0,
	  "load the bundled demo dialogues and open them for review" },
	{ "eval", cmd_eval, STORE_READ, 0,
	  "score the trained models on held-out or external gold labels" },
	{ "export", cmd_export, STORE_READ, 0,
	  "write dialogues and labels as dialab JSONL, CoNLL or SLURP" },
	{ "import", cmd_import, STORE_CREATE, 0,
	  "read dialogues (dialab JSONL, SNIPS, SLURP, SGD) or a preference catalog" },
	{ "init", cmd_init, STORE_CREATE, 0,
	  "create an empty dialab database" },
	{ "label", cmd_label, STORE_WRITE, 0,
	  "write the models' proposals for the turns humans have not answered" },
	{ "moments", cmd_moments, STORE_READ, 0,
	  "find teachable moments in users' logged dialogues" },
	{ "prefs", cmd_prefs, STORE_WRITE, 0,
	  "list, set, forget and export what users taught" },
	{ "resolve", cmd_resolve, STORE_READ, 0,
	  "interpret a new utterance with the models and the user's preferences" },
	{ "review", cmd_review, STORE_WRITE, CMD_TTY,
	  "check and correct labels in a full-screen terminal UI" },
	{ "rewrites", cmd_rewrites, STORE_WRITE, 0,
	  "mine rewrites from users' rephrases, review them and measure them" },
	{ "stats", cmd_stats, STORE_READ, 0,
	  "count dialogues, turns, labels, decisions and review progress" },
	{ "teach", cmd_teach, STORE_WRITE, 0,
	  "teach a user's preferences in a readline session" },
	{ "train", cmd_train, STORE_WRITE, 0,
	  "train the intent, slot, failure-point and goal models on the reviewed labels" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char usage[] =
	"usage: dialab [--db path] [--annotator name] command [argument ...]\n"
	"       dialab --version | help [command]";

static const struct cli_command *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int
cli_run(int argc, char **argv)
{
	const struct cli_command *c = find_command(argv[0]), *was = cli.command;
	int rc;

	if (!c)
		return DL_EX_USAGE;
	cli.command = c;
	rc = c->fn(argc, argv);
	cli.command = was;
	return rc;
}

static void
list_commands(FILE *fp)
{
	size_t i;

	fprintf(fp, "%s\n\ncommands:\n", usage);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "   %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n'dialab help COMMAND' or 'dialab COMMAND --help' opens its manual;"
		" 'dialab help format' the data format.\n");
}

static int
help(int argc, char **argv)
{
	char page[64];

	if (argc < 2) {
		list_commands(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "format"))
		return cli_show_man("dialab-format", 5);
	if (!strcmp(argv[1], "dialab"))
		return cli_show_man("dialab", 1);
	if (!find_command(argv[1])) {
		fprintf(stderr, "dialab help: no command '%s'\n", argv[1]);
		return DL_EX_USAGE;
	}
	snprintf(page, sizeof(page), "dialab-%s", argv[1]);
	return cli_show_man(page, 1);
}

static const char *
login_name(void)
{
	const char *s;
	struct passwd *pw;

	if ((s = getenv("DIALAB_ANNOTATOR")) && *s)
		return s;
	if ((pw = getpwuid(getuid())) && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	if ((s = getenv("USER")) && *s)
		return s;
	return "unknown";
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "annotator", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *env;
	int ch, rc;

	setlocale(LC_ALL, "");
	cli.argv0 = argv[0];
	cli.db = "dialab.db";
	if ((env = getenv("DIALAB_DB")) && *env) {
		cli.db = env;
		cli.db_given = 1;
	}
	cli.annotator = NULL;
	while ((ch = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cli.db = optarg;
			cli.db_given = cli.db_option = 1;
			break;
		case 'a':
			cli.annotator = optarg;
			break;
		case 'h':
			list_commands(stdout);
			return 0;
		case 'V':
			printf("dialab %s\n", DIALAB_VERSION);
			return 0;
		default:
			fprintf(stderr, "%s\n", usage);
			return DL_EX_USAGE;
		}
	}
	if (!cli.annotator)
		cli.annotator = login_name();
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		list_commands(stderr);
		return DL_EX_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		rc = help(argc, argv);
	} else if (find_command(argv[0])) {
		rc = cli_run(argc, argv);
	} else {
		fprintf(stderr, "dialab: '%s' is not a dialab command; see 'dialab help'\n", argv[0]);
		return DL_EX_USAGE;
	}
	/* Results go to stdout: a full disk or closed pipe must not pass for success. */
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		if (errno != EPIPE)
			fprintf(stderr, "dialab %s: cannot write output: %s\n", argv[0],
				strerror(errno));
		return rc ? rc : DL_EX_IOERR;
	}
	return rc;
}

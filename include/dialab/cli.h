#ifndef DIALAB_CLI_H
#define DIALAB_CLI_H

#include <getopt.h>
#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"
#include "dialab/strbuf.h"

/* What a command needs before it runs, declared in commands[] (src/dialab.c). */
#define CMD_TTY 1		/* standard input and output must be a terminal */

/* One subcommand of commands[]. */
struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	enum store_mode store;	/* how cli_open() opens the database */
	int needs;		/* CMD_* */
	const char *summary;
};

/* What every subcommand shares: the global options, resolved by main(). */
struct cli_global {
	const char *db;		/* --db, $DIALAB_DB, ./dialab.db */
	int db_given;		/* by --db or $DIALAB_DB, not the default */
	int db_option;		/* by --db itself */
	const char *annotator;	/* --annotator, $DIALAB_ANNOTATOR, login name */
	const char *argv0;
	const struct cli_command *command;	/* the one running */
};

extern struct cli_global cli;

/* Long options every subcommand takes, and their getopt codes. */
#define CLI_OPT_DB 0x100
#define CLI_OPT_ANNOTATOR 0x101
#define CLI_OPT_HELP 'h'
#define CLI_COMMON_LONGOPTS \
	{ "db", required_argument, NULL, CLI_OPT_DB }, \
	{ "annotator", required_argument, NULL, CLI_OPT_ANNOTATOR }, \
	{ "help", no_argument, NULL, CLI_OPT_HELP }

/*
 * The options of a command, for cli_getopt(): getopt's short and long
 * options (with CLI_COMMON_LONGOPTS), the usage to print on a mistake,
 * and how many operands may follow (CLI_ANY for no limit).
 */
#define CLI_ANY (-1)
struct cli_opts {
	const char *shorts;
	const struct option *longs;
	const char *usage;
	int operands;
	int status;		/* what the command returns when cli_getopt() said -1 */
	int started;		/* cli_getopt()'s own */
};

/*
 * The next option of the running command.  Takes the common options
 * (--db, --annotator, --help) and unknown ones itself.  Returns the
 * option's code and optarg; 0 at the end of the options, optind at the
 * first operand; -1 when the command must return o->status now (its
 * manual was shown, or a mistake was reported with the usage).
 */
int cli_getopt(struct cli_opts *o, int argc, char **argv);

/* "dialab CMD: <error>" on stderr; returns err->code. */
int cli_error(const char *cmd, const struct dl_error *err);

/* "dialab CMD: <message>" and the usage on stderr; returns 64. */
int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * What the running command declared it needs: a terminal (else o's
 * usage is printed), and cli.db opened as declared.  On failure prints
 * and returns the exit code (else 0).
 */
int cli_open(const struct cli_opts *o, struct store **st);

/* Open cli.db as mode; on failure prints and returns the exit code (else 0). */
int cli_open_store(const char *cmd, enum store_mode mode, struct store **st);

/*
 * Show the manual page named page (e.g. "dialab-import") with man(1),
 * or print where it is.  Returns 0, or 66 when there is none.
 */
int cli_show_man(const char *page, int section);

/* Print o as one line of canonical JSON on stdout and drop the reference. */
void cli_print_json(json_t *o);

/*
 * s made safe for a terminal into out (reset first): C0 and C1 control
 * characters, DEL, bidirectional controls and zero-width characters
 * are written as \u{XXXX}, ill-formed UTF-8 bytes as \x{XX}.  Returns
 * out->buf.  Everything from data that a command prints goes through it.
 */
const char *cli_safe(struct strbuf *out, const char *s);

/* The same into one of eight buffers of its own, used in turn (NULL stays NULL). */
const char *cli_safe_str(const char *s);

/* Is fd a terminal? */
int cli_isatty(int fd);

/* Progress of long work on stderr, when it is a terminal. */
struct cli_progress {
	const char *cmd;
	int tty, shown;
	double start, last;
};
void cli_progress_init(struct cli_progress *p, const char *cmd);
/* A learn_opts/import progress callback: ctx is a struct cli_progress. */
void cli_progress(void *ctx, const char *what, long done, long total);
/* Erase the progress line before other output. */
void cli_progress_clear(struct cli_progress *p);
/*
 * Run the command argv[0] of commands[] (src/dialab.c) as cli.command,
 * then restore the one that ran it.  Returns its exit status, or 64
 * when there is no such command.
 */
int cli_run(int argc, char **argv);

/* The subcommands, one file each under src/cmd/, registered in src/dialab.c. */
int cmd_agree(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_label(int argc, char **argv);
int cmd_moments(int argc, char **argv);
int cmd_prefs(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_rewrites(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_teach(int argc, char **argv);
int cmd_train(int argc, char **argv);

#endif

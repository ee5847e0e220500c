#ifndef DIALAB_CLI_H
#define DIALAB_CLI_H

#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"

/* What every subcommand shares: the global options, resolved by main(). */
struct cli_global {
	const char *db;		/* --db, $DIALAB_DB, ./dialab.db */
	int db_given;		/* by --db or $DIALAB_DB, not the default */
	int db_option;		/* by --db itself */
	const char *annotator;	/* --annotator, $DIALAB_ANNOTATOR, login name */
	const char *argv0;
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
 * Handle a common option (ch from getopt_long).  Returns 1 when ch was
 * one, 0 otherwise.  For --help it shows the manual of cmd and sets
 * *done to 1 + the exit status the command should return.
 */
int cli_common_opt(int ch, const char *arg, const char *cmd, int *done);

/* "dialab CMD: <error>" on stderr; returns err->code. */
int cli_error(const char *cmd, const struct dl_error *err);

/* "dialab CMD: <message>" and the usage on stderr; returns 64. */
int cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * After getopt_long() returned '?': name the offending argument and
 * print the usage.  Returns 64.  Commands set opterr = 0 first.
 */
int cli_bad_option(const char *cmd, const char *usage, char **argv);

/* Open cli.db; on failure prints and returns the exit code (else 0). */
int cli_open_store(const char *cmd, enum store_mode mode, struct store **st);

/*
 * Show the manual page named page (e.g. "dialab-import") with man(1),
 * or print where it is.  Returns 0, or 66 when there is none.
 */
int cli_show_man(const char *page, int section);

/* Print o as one line of canonical JSON on stdout and drop the reference. */
void cli_print_json(json_t *o);

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
int cmd_stats(int argc, char **argv);
int cmd_teach(int argc, char **argv);
int cmd_train(int argc, char **argv);

#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dialab/cli.h"
#include "dialab/export.h"
#include "dialab/strbuf.h"

static const char usage[] =
	"usage: dialab export [--db path] [--format format] [--labels which] [-o file]";

int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "labels", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "f:ho:", longopts, usage, 0, 0, 0 };
	enum out_format f = OUT_DIALAB;
	enum label_filter lf = LF_ALL;
	struct export_result res;
	struct dl_error err = { 0 };
	struct store *st;
	struct strbuf tmp;
	const char *outname = NULL;
	FILE *out = stdout;
	int ch, v, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'f':
			if ((v = export_format_parse(optarg)) < 0)
				return cli_usage("export", usage, "unknown format '%s' (dialab, conll, slurp)", optarg);
			f = (enum out_format)v;
			break;
		case 'l':
			if (!strcmp(optarg, "all"))
				lf = LF_ALL;
			else if (!strcmp(optarg, "model"))
				lf = LF_MODEL;
			else if (!strcmp(optarg, "human"))
				lf = LF_HUMAN;
			else
				return cli_usage("export", usage, "unknown --labels '%s' (model, human, all)", optarg);
			break;
		case 'o':
			outname = optarg;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	sb_init(&tmp);
	/* Write beside the target and rename: a failed export leaves no half file. */
	if (outname && strcmp(outname, "-")) {
		sb_addf(&tmp, "%s.tmp.%ld", outname, (long)getpid());
		if (!(out = fopen(tmp.buf, "w"))) {
			dl_error_set(&err, DL_EX_CANTCREAT, outname, 0, NULL,
				     "cannot create: %s", strerror(errno));
			rc = cli_error("export", &err);
			goto out;
		}
	} else {
		outname = "<stdout>";
	}
	rc = export_run(st, f, lf, out, outname, &res, &err);
	if (out != stdout) {
		if (fclose(out) != 0 && !rc)
			rc = dl_error_set(&err, DL_EX_IOERR, outname, 0, NULL,
					  "cannot write: %s", strerror(errno));
		if (!rc && rename(tmp.buf, outname) != 0)
			rc = dl_error_set(&err, DL_EX_CANTCREAT, outname, 0, NULL,
					  "cannot rename %s into place: %s", tmp.buf, strerror(errno));
		if (rc)
			unlink(tmp.buf);
	}
	if (rc) {
		rc = cli_error("export", &err);
		goto out;
	}
	if (strcmp(outname, "<stdout>"))
		fprintf(stderr, "exported %ld dialogues (%ld turns) to %s\n",
			res.dialogues, res.turns, outname);
	if (res.unlabelled)
		fprintf(stderr, "dialab export: %ld turns left out: they have no %s label\n",
			res.unlabelled, f == OUT_CONLL ? "slots" : "intent");
out:
	sb_release(&tmp);
	store_close(st);
	return rc;
}

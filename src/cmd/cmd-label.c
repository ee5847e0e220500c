#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/learn.h"

static const char usage[] =
	"usage: dialab label [--model list] [--implicit [--min-precision human]] [--where EXPR] [--json]"
	" [--db path]";

int
cmd_label(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "where", required_argument, NULL, 'w' },
		{ "implicit", no_argument, NULL, 'i' },
		{ "min-precision", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct learn_opts o = { .models = LM_ALL, .any = 1 };
	struct dl_error err = { 0 };
	struct cli_progress prog;
	struct store *st;
	const char *key;
	json_t *r, *v;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'm':
			if (learn_models_parse(optarg, &o.models, &o.any, &err))
				return cli_usage("label", usage, "%s", err.msg);
			break;
		case 'w':
			o.where = optarg;
			break;
		case 'i':
			o.implicit = 1;
			break;
		case 'p':
			if (strcmp(optarg, "human"))
				return cli_usage("label", usage, "--min-precision takes 'human': as accurate"
						 " as one annotator");
			o.min_human = 1;
			break;
		case 'j':
			json = 1;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (o.min_human && !o.implicit)
		return cli_usage("label", usage, "--min-precision goes with --implicit");
	if ((rc = cli_open(&opts, &st)))
		return rc;
	cli_progress_init(&prog, "label");
	o.progress = cli_progress;
	o.pctx = &prog;
	r = learn_label(st, &o, &err);
	cli_progress_clear(&prog);
	store_close(st);
	if (!r)
		return cli_error("label", &err);
	if (json) {
		cli_print_json(r);
		return 0;
	}
	printf("labelled %" JSON_INTEGER_FORMAT " dialogues, %" JSON_INTEGER_FORMAT
	       " turns in %.1f s\n", json_integer_value(json_object_get(r, "dialogues")),
	       json_integer_value(json_object_get(r, "turns")),
	       json_number_value(json_object_get(r, "seconds")));
	json_object_foreach(json_object_get(r, "models"), key, v)
		printf("  %-7s %s: %" JSON_INTEGER_FORMAT " proposals written, %" JSON_INTEGER_FORMAT
		       " turns kept their human answer, %" JSON_INTEGER_FORMAT " already had one\n",
		       key, json_string_value(v),
		       json_integer_value(json_object_get(json_object_get(r, "written"), key)),
		       json_integer_value(json_object_get(json_object_get(r, "kept_human"), key)),
		       json_integer_value(json_object_get(json_object_get(r, "already"), key)));
	if ((v = json_object_get(r, "implicit")))
		printf("  implicit feedback: %" JSON_INTEGER_FORMAT " intent, %" JSON_INTEGER_FORMAT
		       " slot and %" JSON_INTEGER_FORMAT " transcription labels written"
		       " (sources implicit:rephrase, implicit:success)\n",
		       json_integer_value(json_object_get(json_object_get(v, "written"), "intent")),
		       json_integer_value(json_object_get(json_object_get(v, "written"), "slots")),
		       json_integer_value(json_object_get(json_object_get(v, "written"), "transcription")));
	if (v && json_is_object(json_object_get(v, "at_human"))) {
		const json_t *b;

		json_object_foreach(json_object_get(v, "at_human"), key, b)
			if (!json_is_object(b))
				printf("  %s: no human bar (no turn with two annotators or more): none"
				       " written\n", key);
			else if (json_is_number(json_object_get(b, "threshold")))
				printf("  %s: as accurate as one annotator (%.4f) from confidence %.4f"
				       " on, %.1f%% of them\n", key,
				       json_number_value(json_object_get(b, "bar")),
				       json_number_value(json_object_get(b, "threshold")),
				       100 * json_number_value(json_object_get(b, "coverage")));
			else
				printf("  %s: never as accurate as one annotator (%.4f): none written\n",
				       key, json_number_value(json_object_get(b, "bar")));
	}
	json_decref(r);
	return 0;
}

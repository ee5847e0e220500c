#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/learn.h"

static const char usage[] =
	"usage: dialab train [--model list] [--weak] [--no-context] [--dev-split F] [--seed N] [--json]"
	" [--db path]";

static void
print_metrics(const char *name, const json_t *m)
{
#define R(o, k) json_number_value(json_object_get(o, k))
	if (!json_is_object(m)) {
		printf("  no held-out split: see 'dialab eval --data' for scores\n");
		return;
	}
	if (!strcmp(name, "goals"))
		printf("  held-out: %" JSON_INTEGER_FORMAT " dialogues, boundary P %.4f R %.4f F1 %.4f,"
		       " Pk %.4f\n", json_integer_value(json_object_get(m, "n")), R(m, "precision"),
		       R(m, "recall"), R(m, "f1"), R(m, "pk"));
	else if (strcmp(name, "slots"))
		printf("  held-out: %" JSON_INTEGER_FORMAT " examples, accuracy %.4f, macro-F1 %.4f\n",
		       json_integer_value(json_object_get(m, "n")), R(m, "accuracy"), R(m, "macro_f1"));
	else
		printf("  held-out: %" JSON_INTEGER_FORMAT " utterances, span P %.4f R %.4f F1 %.4f,"
		       " exact %.4f\n", json_integer_value(json_object_get(m, "n")),
		       R(m, "precision"), R(m, "recall"), R(m, "f1"), R(m, "exact"));
#undef R
}

int
cmd_train(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "dev-split", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "weak", no_argument, NULL, 'w' },
		{ "no-context", no_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct learn_opts o = { .models = LM_ALL, .any = 1 };
	struct dl_error err = { 0 };
	struct cli_progress prog;
	struct store *st;
	json_t *r, *m;
	size_t i;
	char *end;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'm':
			if (learn_models_parse(optarg, &o.models, &o.any, &err))
				return cli_usage("train", usage, "%s", err.msg);
			break;
		case 'd':
			o.dev_split = strtod(optarg, &end);
			if (end == optarg || *end || !(o.dev_split >= 0 && o.dev_split <= 0.9))
				return cli_usage("train", usage,
						 "--dev-split: expected a share from 0 to 0.9, got '%s'", optarg);
			break;
		case 's': {
			unsigned long long v = strtoull(optarg, &end, 10);

			if (end == optarg || *end || *optarg == '-' || v > INT64_MAX)
				return cli_usage("train", usage,
						 "--seed: expected a number from 0 to 2^63-1, got '%s'", optarg);
			o.seed = v;
			break;
		}
		case 'j':
			json = 1;
			break;
		case 'w':
			o.weak = 1;
			break;
		case 'N':
			o.no_context = 1;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	cli_progress_init(&prog, "train");
	o.annotator = cli.annotator;
	o.progress = cli_progress;
	o.pctx = &prog;
	r = learn_train(st, &o, &err);
	cli_progress_clear(&prog);
	store_close(st);
	if (!r)
		return cli_error("train", &err);
	if (json) {
		cli_print_json(r);
		return 0;
	}
	json_array_foreach(json_object_get(r, "models"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));

		printf("trained %s@%" JSON_INTEGER_FORMAT " on %" JSON_INTEGER_FORMAT
		       " examples in %.1f s (%" JSON_INTEGER_FORMAT " held out), %.1f MiB\n",
		       name, json_integer_value(json_object_get(m, "version")),
		       json_integer_value(json_object_get(m, "n_train")),
		       json_number_value(json_object_get(m, "seconds")),
		       json_integer_value(json_object_get(m, "n_dev")),
		       (double)json_integer_value(json_object_get(m, "bytes")) / (1 << 20));
		print_metrics(name, json_object_get(m, "metrics"));
	}
	if (o.weak)
		printf("weak labels from implicit feedback for %" JSON_INTEGER_FORMAT " turns\n",
		       json_integer_value(json_object_get(r, "weak")));
	if (json_integer_value(json_object_get(r, "skipped_slots")))
		printf("left out %" JSON_INTEGER_FORMAT " slot labels that are not valid spans of their turn\n",
		       json_integer_value(json_object_get(r, "skipped_slots")));
	json_decref(r);
	return 0;
}

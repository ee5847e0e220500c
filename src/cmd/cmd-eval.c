#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/learn.h"

static const char usage[] =
	"usage: dialab eval [--model list] [--data path [--format name]]"
	" [--target P] [--json] [--db path]";

#define R(o, k) json_number_value(json_object_get(o, k))
#define I(o, k) json_integer_value(json_object_get(o, k))

static void
print_per(const char *title, const json_t *per)
{
	const char *key;
	json_t *v;

	printf("  %-28s %7s %7s %7s %8s\n", title, "P", "R", "F1", "support");
	json_object_foreach((json_t *)per, key, v)
		printf("    %-26.26s %7.4f %7.4f %7.4f %8" JSON_INTEGER_FORMAT "\n", key,
		       R(v, "precision"), R(v, "recall"), R(v, "f1"), I(v, "support"));
}

static void
print_where(const json_t *m)
{
	const char *on = json_string_value(json_object_get(m, "on"));

	if (!strcmp(on, "held-out"))
		printf(" (held-out %.0f%% of the database: %" JSON_INTEGER_FORMAT " dialogues)\n",
		       100 * R(m, "dev_split"), I(m, "dialogues"));
	else if (!strcmp(on, "file"))
		printf(" (%" JSON_INTEGER_FORMAT " dialogues of the file)\n", I(m, "dialogues"));
	else
		printf(" (on its training data: it was trained without --dev-split)\n");
}

static void
print_classes(const char *name, const json_t *m, json_int_t version)
{
	const json_t *cm = json_object_get(m, "confusion");
	const json_t *labels = json_object_get(cm, "labels"), *t;
	size_t i, j, k = json_array_size(labels);

	printf("%s@%" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT " %s", name, version, I(m, "n"),
	       !strcmp(name, "intent") ? "utterances" : !strcmp(name, "fpi") ? "turns" :
	       !strcmp(name, "rephrase") ? "turn pairs" : "goals");
	print_where(m);
	printf("  accuracy %.4f  macro-F1 %.4f  (macro P %.4f R %.4f)\n", R(m, "accuracy"),
	       R(m, "macro_f1"), R(m, "macro_precision"), R(m, "macro_recall"));
	print_per("class", json_object_get(m, "per_class"));
	if (k && k <= 12) {
		printf("  confusion (rows gold, columns predicted, in the order above)\n");
		for (i = 0; i < k; i++) {
			printf("    %-26.26s", json_string_value(json_array_get(labels, i)));
			for (j = 0; j < k; j++)
				printf(" %5" JSON_INTEGER_FORMAT,
				       json_integer_value(json_array_get(json_array_get(
					       json_object_get(cm, "matrix"), i), j)));
			printf("\n");
		}
	} else if (k) {
		printf("  confusion: %zu classes, see --json\n", k);
	}
	printf("  %-28s %7s %8s\n", "confidence >=", "kept", "accuracy");
	json_array_foreach(json_object_get(m, "curve"), i, t)
		printf("    %-26.2f %6.1f%% %8.4f\n", R(t, "threshold"), 100 * R(t, "coverage"),
		       R(t, "accuracy"));
	if ((t = json_object_get(m, "at_target"))) {
		if (json_is_null(json_object_get(t, "threshold")))
			printf("  precision %.4f is reached at no threshold\n", R(t, "precision"));
		else
			printf("  precision %.4f is reached at confidence >= %.4f, keeping %.1f%%\n",
			       R(t, "precision"), R(t, "threshold"), 100 * R(t, "coverage"));
	}
}

static void
print_slots(const json_t *m, json_int_t version)
{
	printf("slots@%" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT " utterances", version,
	       I(m, "n"));
	print_where(m);
	printf("  spans P %.4f R %.4f F1 %.4f  (%" JSON_INTEGER_FORMAT " correct of %"
	       JSON_INTEGER_FORMAT " predicted, %" JSON_INTEGER_FORMAT " gold); exact match %.4f\n",
	       R(m, "precision"), R(m, "recall"), R(m, "f1"), I(m, "correct"), I(m, "predicted"),
	       I(m, "gold"), R(m, "exact"));
	print_per("slot type", json_object_get(m, "per_type"));
}

static void
print_goals(const json_t *m, json_int_t version)
{
	printf("goals@%" JSON_INTEGER_FORMAT ": %" JSON_INTEGER_FORMAT " dialogues", version,
	       I(m, "n"));
	print_where(m);
	printf("  boundaries P %.4f R %.4f F1 %.4f  (%" JSON_INTEGER_FORMAT " correct of %"
	       JSON_INTEGER_FORMAT " predicted, %" JSON_INTEGER_FORMAT " gold); Pk %.4f,"
	       " WindowDiff %.4f\n", R(m, "precision"), R(m, "recall"), R(m, "f1"), I(m, "correct"),
	       I(m, "predicted"), I(m, "gold"), R(m, "pk"), R(m, "windowdiff"));
}

int
cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "model", required_argument, NULL, 'm' },
		{ "data", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "target", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct learn_opts o = { .models = LM_ALL, .any = 1, .target = 0.95 };
	struct dl_error err = { 0 };
	struct store *st;
	const char *data = NULL, *fmt = NULL;
	json_t *r, *models, *v;
	char *end;
	int ch, json = 0, rc, f = IN_DIALAB;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'm':
			if (learn_models_parse(optarg, &o.models, &o.any, &err))
				return cli_usage("eval", usage, "%s", err.msg);
			break;
		case 'd':
			data = optarg;
			break;
		case 'f':
			fmt = optarg;
			if ((f = reader_format_parse(optarg)) < 0)
				return cli_usage("eval", usage,
						 "--format: unknown format '%s' (dialab, snips, slurp, sgd)",
						 optarg);
			break;
		case 't':
			o.target = strtod(optarg, &end);
			if (end == optarg || *end || !(o.target > 0 && o.target <= 1))
				return cli_usage("eval", usage,
						 "--target: expected a precision in (0, 1], got '%s'", optarg);
			break;
		case 'j':
			json = 1;
			break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (fmt && !data)
		return cli_usage("eval", usage, "--format needs --data");
	if ((rc = cli_open(&opts, &st)))
		return rc;
	r = learn_eval(st, &o, data, (enum in_format)f, &err);
	store_close(st);
	if (!r)
		return cli_error("eval", &err);
	if (json) {
		cli_print_json(r);
		return 0;
	}
	models = json_object_get(r, "models");
	if ((v = json_object_get(r, "intent")))
		print_classes("intent", v, I(models, "intent"));
	if ((v = json_object_get(r, "slots")))
		print_slots(v, I(models, "slots"));
	if ((v = json_object_get(r, "sentence_accuracy")))
		printf("sentence accuracy (intent and every span right) %.4f\n", json_number_value(v));
	if ((v = json_object_get(r, "context"))) {
		const json_t *dp = json_object_get(v, "dependent"), *ct = json_object_get(v, "controls");

		printf("context: %" JSON_INTEGER_FORMAT " turns with a context\n", I(v, "turns"));
		printf("  intent on the turns it decides:   %6" JSON_INTEGER_FORMAT
		       " turns  accuracy %.4f, masked %.4f\n", I(dp, "n"), R(dp, "accuracy"),
		       R(dp, "masked_accuracy"));
		printf("  intent on the others (controls):  %6" JSON_INTEGER_FORMAT
		       " turns  accuracy %.4f, masked %.4f\n", I(ct, "n"), R(ct, "accuracy"),
		       R(ct, "masked_accuracy"));
	}
	if ((v = json_object_get(r, "fpi")))
		print_classes("fpi", v, I(models, "fpi"));
	if ((v = json_object_get(r, "goals")))
		print_goals(v, I(models, "goals"));
	if ((v = json_object_get(r, "outcome")))
		print_classes("outcome", v, I(models, "outcome"));
	if ((v = json_object_get(r, "rephrase")))
		print_classes("rephrase", v, I(models, "rephrase"));
	json_decref(r);
	return 0;
}

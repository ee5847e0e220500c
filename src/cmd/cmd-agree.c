#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "dialab/agree.h"
#include "dialab/cli.h"

static const char usage[] = "usage: dialab agree [--kind name] [--json] [--db path]";

#define R(o, k) json_number_value(json_object_get(o, k))
#define I(o, k) json_integer_value(json_object_get(o, k))
#define S(o, k) json_string_value(json_object_get(o, k))

static void
print_pairs(const json_t *pairs, int spans)
{
	const json_t *p;
	size_t i;

	json_array_foreach(pairs, i, p) {
		printf("    %s ~ %s: %" JSON_INTEGER_FORMAT " %s, ", S(p, "a"), S(p, "b"), I(p, "items"),
		       spans == 2 ? "dialogues" : "items");
		if (spans)
			printf("P %.4f R %.4f F1 %.4f\n", R(p, "precision"), R(p, "recall"), R(p, "f1"));
		else
			printf("agreement %.4f, Cohen's kappa %.4f\n", R(p, "agreement"), R(p, "kappa"));
	}
}

static void
print_kind(const char *kind, const json_t *k)
{
	const json_t *v, *s;
	size_t i;
	int how = !strcmp(kind, "slots") ? 1 : !strcmp(kind, "goal") ? 2 : 0;

	printf("%s: %" JSON_INTEGER_FORMAT " targets", kind, I(k, "targets"));
	if (!how)
		printf(", %" JSON_INTEGER_FORMAT " with two answers or more", I(k, "items"));
	printf("\n");
	if (!json_array_size(json_object_get(k, "pairs")))
		printf("  no target has answers from two annotators\n");
	else
		printf("  pairs%s\n", how == 1 ? " (span match, CoNLL rule)" :
		       how == 2 ? " (goal boundaries)" : "");
	print_pairs(json_object_get(k, "pairs"), how);
	if (how)
		return;
	if ((v = json_object_get(k, "fleiss")))
		printf("  Fleiss' kappa %.4f (%" JSON_INTEGER_FORMAT " items with %" JSON_INTEGER_FORMAT
		       " answers each)\n", R(v, "kappa"), I(v, "items"), I(v, "raters"));
	if ((v = json_object_get(k, "alpha")))
		printf("  Krippendorff's alpha %.4f\n", json_number_value(v));
	v = json_object_get(k, "gold");
	printf("  majority gold (at least 2 alike): %" JSON_INTEGER_FORMAT " items\n", I(v, "items"));
	v = json_object_get(k, "model_vs_gold");
	if (I(v, "items"))
		printf("  model vs gold: accuracy %.4f on %" JSON_INTEGER_FORMAT " items\n",
		       R(v, "accuracy"), I(v, "items"));
	json_array_foreach(json_object_get(k, "single_vs_gold"), i, s) {
		printf("  %s vs the others' majority: %.4f on %" JSON_INTEGER_FORMAT " items",
		       S(s, "annotator"), R(s, "accuracy"), I(s, "items"));
		if (I(s, "model_items"))
			printf("; model %.4f on %" JSON_INTEGER_FORMAT " of them",
			       R(s, "model_accuracy"), I(s, "model_items"));
		printf("\n");
	}
	v = json_object_get(k, "single_pooled");
	if (I(v, "items")) {
		printf("  a single annotator: %.4f on %" JSON_INTEGER_FORMAT " items", R(v, "accuracy"),
		       I(v, "items"));
		if (I(v, "model_items"))
			printf("; the model: %.4f on %" JSON_INTEGER_FORMAT " of them (%s)",
			       R(v, "model_accuracy"), I(v, "model_items"),
			       R(v, "model_accuracy") > R(v, "accuracy") ? "the model is better" :
			       R(v, "model_accuracy") < R(v, "accuracy") ? "the annotator is better" :
			       "a tie");
		printf("\n");
	}
	v = json_object_get(k, "implicit_at_human");
	if (I(v, "items")) {
		if (json_is_number(json_object_get(v, "threshold")))
			printf("  implicit feedback: as accurate as one annotator from confidence %.4f"
			       " on (%.4f, %.1f%% of its %" JSON_INTEGER_FORMAT " labels on gold)\n",
			       R(v, "threshold"), R(v, "accuracy"), 100 * R(v, "coverage"),
			       I(v, "items"));
		else
			printf("  implicit feedback: never as accurate as one annotator (%"
			       JSON_INTEGER_FORMAT " labels on gold)\n", I(v, "items"));
	}
}

int
cmd_agree(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, 0, 0, 0 };
	struct dl_error err = { 0 };
	struct store *st;
	const char *kind = NULL, *key;
	json_t *r, *v;
	int ch, json = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		if (ch == 'k')
			kind = optarg;
		else if (ch == 'j')
			json = 1;
	}
	if (ch < 0)
		return opts.status;
	if ((rc = cli_open(&opts, &st)))
		return rc;
	r = agree_report(st, kind, &err);
	store_close(st);
	if (!r) {
		if (err.code == DL_EX_USAGE)
			return cli_usage("agree", usage, "%s", err.msg);
		return cli_error("agree", &err);
	}
	if (json) {
		cli_print_json(r);
		return 0;
	}
	printf("annotators: %zu\n", json_array_size(json_object_get(r, "annotators")));
	if (!json_object_size(json_object_get(r, "kinds")))
		printf("no human answers%s%s yet: review some turns with 'dialab review'\n",
		       kind ? " of kind " : "", kind ? kind : "");
	json_object_foreach(json_object_get(r, "kinds"), key, v)
		print_kind(key, v);
	json_decref(r);
	return 0;
}

/* SLURP markup and the alignment of annotations that differ from the sentence. */
#include "dialab/reader.h"

#include <stdlib.h>

#include "tap.h"

static char got[512];

/* Parse ann, align onto sentence, render the spans as "type=words;". */
static int
run(const char *ann, const char *sentence)
{
	json_t *spans = json_array(), *sp;
	char *plain = NULL, why[128];
	size_t i;
	int rc;

	got[0] = '\0';
	if (slurp_annotation_parse(ann, &plain, spans)) {
		json_decref(spans);
		return -2;
	}
	rc = slurp_align(plain, sentence, spans, why, sizeof(why));
	json_array_foreach(spans, i, sp) {
		json_int_t a = json_integer_value(json_object_get(sp, "start"));
		json_int_t b = json_integer_value(json_object_get(sp, "end"));

		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s=%.*s;",
			 json_string_value(json_object_get(sp, "type")), (int)(b - a),
			 rc == 0 ? sentence + a : plain + a);
	}
	free(plain);
	json_decref(spans);
	return rc;
}

int
main(void)
{
	is_int(run("wake me up at [time : five am] [date : tomorrow]",
		   "wake me up at five am tomorrow"), 0, "plain markup parses");
	is_str(got, "time=five am;date=tomorrow;", "into its spans");
	is_int(run("turn off the [time : six am] alarm for [date : Wednesday]",
		   "turn off the six am alarm for wednesday"), 0, "a case difference aligns");
	is_str(got, "time=six am;date=wednesday;", "onto the sentence's words");
	is_int(run("find my [food_type : thai] takeaways around [place_name : grassmarket]",
		   "find my thai takeaways around grass market"), 0, "a split word aligns");
	is_str(got, "food_type=thai;place_name=grass market;", "and covers both parts");
	is_int(run("tell me about [artist_name : rihana]", "tell me about rihanna"), -1,
	       "a misspelt slot is not placed on other words");
	is_int(run("an [unclosed : bracket", "an unclosed bracket"), -2, "unbalanced markup is reported");
	is_int(run("[ : x]", "x"), -2, "a slot without a type is reported");
	return done_testing();
}

/* Validation of the dialab format (DESIGN.md section 4). */
#include "dialab/fmt.h"

#include <stdlib.h>

#include "tap.h"

static struct dl_error err;

/* Validate text; return 0 if valid, else -1 with err set. */
static int
check(const char *text)
{
	json_error_t je;
	json_t *d = json_loads(text, 0, &je);
	int rc;

	if (!d) {
		printf("# test input is not JSON: %s\n", je.text);
		return -2;
	}
	memset(&err, 0, sizeof(err));
	rc = fmt_validate(d, "t.jsonl", 7, &err);
	json_decref(d);
	return rc;
}

#define T(x) "{\"id\":\"d1\",\"turns\":[{\"text\":\"naïve 🎉 café\"" x "}]}"

int
main(void)
{
	double ts = 0;
	json_t *v;

	is_int(check(T("")), 0, "a minimal dialogue is valid");
	is_int(check("{\"id\":\"d1\",\"turns\":[]}"), -1, "no turns is invalid");
	is_str(err.path, "$.turns", "and names $.turns");
	is_int(err.code, DL_EX_DATAERR, "bad data is exit code 65");
	is_int(err.line, 7, "the line is kept");
	is_int(check("{\"turns\":[{\"text\":\"x\"}]}"), -1, "a missing id is invalid");
	is_str(err.path, "$.id", "and names $.id");
	is_str(err.msg, "expected the dialogue id (string), got nothing", "says what was expected and found");
	is_int(check("{\"id\":\"d\",\"turns\":[{\"text\":5}]}"), -1, "a number as text is invalid");
	is_str(err.msg, "expected the turn's text (string), got integer", "names both types");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":6,\"end\":7}]}")), 0,
	       "a slot over the emoji, in code points, is valid");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":8,\"end\":12}]}")), 0,
	       "a slot ending at the last code point is valid");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":8,\"end\":13}]}")), -1,
	       "a slot past the end is invalid");
	is_str(err.path, "$.turns[0].nlu.slots[0].end", "names the offending end");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":0,\"end\":5},"
		       "{\"type\":\"y\",\"start\":4,\"end\":7}]}")), -1, "overlapping slots are invalid");
	is_str(err.path, "$.turns[0].nlu.slots[1]", "names the second slot");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":3,\"end\":3}]}")), -1,
	       "an empty span is invalid");
	is_int(check(T(",\"nlu\":{\"slots\":[{\"type\":\"x\",\"start\":\"1\",\"end\":3}]}")), -1,
	       "a string offset is invalid");
	is_str(err.msg, "expected integer, got string", "expected integer, got string");
	is_int(check(T(",\"asr_confidence\":1.5")), -1, "a confidence above 1 is invalid");
	is_int(check(T(",\"ts\":\"2026-01-01T08:30:00+01:00\"")), 0, "an RFC 3339 time is valid");
	is_int(check(T(",\"ts\":\"yesterday\"")), -1, "a time in words is invalid");
	is_int(check(T(",\"labels\":[{\"kind\":\"mood\",\"value\":1,\"source\":\"human:a\"}]")), -1,
	       "an unknown label kind is invalid");
	is_str(err.path, "$.turns[0].labels[0].kind", "names the kind");
	is_int(check(T(",\"labels\":[{\"kind\":\"failure_point\",\"value\":\"asr\",\"source\":\"model:fpi@3\","
		       "\"candidates\":[{\"value\":\"asr\",\"confidence\":0.6},{\"value\":\"nlu\",\"confidence\":0.3}]}]")),
	       0, "a failure point with candidates is valid");
	is_int(check(T(",\"labels\":[{\"kind\":\"failure_point\",\"value\":\"asr\",\"source\":\"model:fpi@3\","
		       "\"candidates\":[{\"value\":\"wrong\",\"confidence\":0.6}]}]")),
	       -1, "a candidate of the wrong value is invalid");
	is_int(check(T(",\"labels\":[{\"kind\":\"failure_point\",\"value\":\"maybe\",\"source\":\"model:x\"}]")), -1,
	       "a failure point outside the list is invalid");
	is_int(check(T(",\"labels\":[{\"kind\":\"intent\",\"value\":\"x\",\"source\":\"intent@3\"}]")), -1,
	       "a source without a prefix is invalid");
	is_int(check(T(",\"labels\":[{\"kind\":\"goal_outcome\",\"value\":{\"goal\":1,\"outcome\":\"success\"},"
		       "\"source\":\"human:a\"}]")), -1, "goal_outcome on a turn is invalid");
	is_int(check("{\"id\":\"d\",\"turns\":[{\"text\":\"a\",\"labels\":[{\"kind\":\"goal\",\"value\":2,"
		     "\"source\":\"model:g\"}]},{\"text\":\"b\",\"labels\":[{\"kind\":\"goal\",\"value\":1,"
		     "\"source\":\"model:g\"}]}]}"), -1, "goals that go down are invalid");
	is_str(err.path, "$.turns[1].labels[0].value", "names the second goal");
	is_int(check("{\"id\":\"d\",\"turns\":[{\"text\":\"a\"}],\"labels\":[{\"kind\":\"goal_outcome\","
		     "\"value\":{\"goal\":1,\"outcome\":\"maybe\"},\"source\":\"human:a\"}]}"), -1,
	       "an outcome other than success or failure is invalid");
	is_str(err.path, "$.labels[0].value.outcome", "names the outcome");
	is_int(check("[1,2]"), -1, "an array is not a dialogue");
	is_int(check(T(",\"x-unknown\":{\"kept\":true}")), 0, "unknown fields are allowed");

	v = json_string("2026-01-01T00:00:00Z");
	ok(fmt_ts_parse(v, &ts) == 0 && ts == 1767225600.0, "RFC 3339 UTC to Unix seconds");
	json_decref(v);
	v = json_string("2026-01-01T01:30:00.5+01:30");
	ok(fmt_ts_parse(v, &ts) == 0 && ts == 1767225600.5, "offsets and fractions are applied");
	json_decref(v);
	v = json_string("2026-02-30T00:00:00Z");
	ok(fmt_ts_parse(v, &ts) == -1, "February 30th is rejected");
	json_decref(v);
	v = json_loads("{\"id\":\"d\",\"turns\":[{\"text\":\"x\",\"labels\":[{\"kind\":\"failure_point\","
		       "\"value\":\"er\",\"source\":\"model:g\",\"candidates\":[{\"value\":\"er\",\"confidence\":0.5}]}]}]}",
		       0, NULL);
	fmt_normalize(v);
	is_str(json_string_value(json_object_get(json_array_get(json_object_get(json_array_get(
	       json_object_get(v, "turns"), 0), "labels"), 0), "value")), "entity",
	       "the failure point alias er is stored as entity");
	is_int(fmt_validate(v, "t", 1, &err), 0, "and then validates");
	json_decref(v);
	is_int(fmt_kind_parse("failure_point"), LK_FAILURE_POINT, "kinds parse");
	is_str(fmt_fp_name(FP_ENTITY), "entity", "failure points have names");
	ok(fmt_source_ok("model:intent@3") && fmt_source_ok("human:ana") &&
	   !fmt_source_ok("model:") && !fmt_source_ok("robot:x"), "sources need a known prefix and a name");
	return done_testing();
}

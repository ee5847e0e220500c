/* The canonical JSON writer: same value, same bytes. */
#include "dialab/jsonw.h"

#include "tap.h"

static const char *
dump(struct strbuf *sb, json_t *v)
{
	sb_reset(sb);
	jw_value(sb, v);
	json_decref(v);
	return sb->buf;
}

int
main(void)
{
	struct strbuf sb;

	sb_init(&sb);
	is_str(dump(&sb, json_real(0.91)), "0.91", "reals take the shortest form");
	is_str(dump(&sb, json_real(1.0)), "1.0", "an integral real keeps its point");
	is_str(dump(&sb, json_real(0.1 + 0.2)), "0.30000000000000004", "and reads back exactly");
	is_str(dump(&sb, json_real(1e-7)), "1e-07", "small reals use an exponent");
	is_str(dump(&sb, json_integer(-42)), "-42", "integers stay integers");
	is_str(dump(&sb, json_string("a\"b\\c\n\x1b[31m")), "\"a\\\"b\\\\c\\n\\u001b[31m\"",
	       "quotes, backslashes and control characters are escaped");
	is_str(dump(&sb, json_string("café 🎉")), "\"café 🎉\"", "UTF-8 is kept as is");
	is_str(dump(&sb, json_pack("{s:i, s:[b, n], s:{}}", "z", 1, "a", 1, "m")),
	       "{\"z\":1,\"a\":[true,null],\"m\":{}}", "compact, keys in insertion order");
	{
		json_t *v = jw_parse("{\"b\":[1,2.5,\"x\"],\"a\":null}");

		ok(v != NULL, "jw_parse reads JSON back");
		is_str(dump(&sb, v), "{\"b\":[1,2.5,\"x\"],\"a\":null}", "and writes it the same");
	}
	ok(jw_parse("{\"a\":") == NULL, "jw_parse rejects truncated JSON");
	sb_release(&sb);
	return done_testing();
}

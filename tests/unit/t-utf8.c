/* UTF-8 and code point offsets: the classic byte/char mix-up of annotation tools. */
#include "dialab/utf8.h"

#include "tap.h"

int
main(void)
{
	const char *s = "naïve 🎉 café";
	uint32_t cp = 0;
	char buf[4];

	is_int(utf8_cp_len(s), 12, "offsets are code points, not bytes");
	is_int(utf8_cp_len(""), 0, "empty string has no code points");
	is_int(utf8_cp_to_byte(s, 6), 7, "code point 6 (the emoji) starts at byte 7");
	is_int(utf8_cp_to_byte(s, 7), 11, "the emoji is four bytes");
	is_int(utf8_cp_to_byte(s, 12), (long)strlen(s), "the end maps to the byte length");
	is_int(utf8_cp_to_byte(s, 13), -1, "past the end is -1");
	is_int(utf8_byte_to_cp(s, 11), 7, "byte 11 is code point 7");
	is_int(utf8_invalid_at(s, strlen(s)), -1, "valid text has no invalid byte");
	is_int(utf8_invalid_at("ab\xff", 3), 2, "a stray 0xff is found");
	is_int(utf8_invalid_at("\xc0\xaf", 2), 0, "overlong encodings are invalid");
	is_int(utf8_invalid_at("\xed\xa0\x80", 3), 0, "surrogates are invalid");
	is_int(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0, "past U+10FFFF is invalid");
	is_int(utf8_invalid_at("\xe2\x82", 2), 0, "a truncated sequence is invalid");
	is_int(utf8_decode("\xe2\x82\xac", 3, &cp), 3, "the euro sign is three bytes");
	is_int(cp, 0x20ac, "and decodes to U+20AC");
	is_int(utf8_encode(0x1f389, buf), 4, "U+1F389 encodes in four bytes");
	ok(!memcmp(buf, "\xf0\x9f\x8e\x89", 4), "as F0 9F 8E 89");
	is_int(utf8_cp_len("周杰伦"), 3, "CJK: one code point per character");
	is_int(utf8_cp_len("e\xcc\x81"), 2, "a combining accent is its own code point");
	return done_testing();
}

/* The shared tokenizer: word rules, emoji, code point offsets. */
#include "dialab/tok.h"

#include <stdlib.h>

#include "tap.h"

static struct tok_list tl;

/* The tokens of text joined by '|', lower-cased. */
static const char *
toks(const char *text)
{
	static char buf[256];
	size_t i, len = 0;

	tok_split(&tl, text);
	buf[0] = '\0';
	for (i = 0; i < tl.n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? "|" : "", tok_lower(&tl, i));
	return buf;
}

int
main(void)
{
	tok_list_init(&tl);
	is_str(toks("Hello, World!"), "hello|,|world|!", "punctuation is split off");
	is_str(toks("don't stop"), "don't|stop", "an inner apostrophe stays");
	is_str(toks("rock ’n’ roll"), "rock|’|n|’|roll", "a quote at a word's edge goes");
	is_str(toks("top-rated r&b at 9:30 for 3.5 or 1,000"),
	       "top-rated|r&b|at|9:30|for|3.5|or|1,000", "inner joiners stay");
	is_str(toks("a,b"), "a|,|b", "a comma joins digits only");
	is_str(toks("'quoted' -dash- u.s."), "'|quoted|'|-|dash|-|u.s|.",
	       "joiners at the edges are split off");
	is_str(toks("  \t\n "), "", "white space only has no tokens");
	is_str(toks(""), "", "the empty text has no tokens");
	is_str(toks("ÉCOLE Straße ΑΘΗΝΑ МОСКВА"), "école|straße|αθηνα|москва",
	       "lower-casing beyond ASCII");
	is_str(toks("play Beyoncé🎉now"), "play|beyoncé|🎉|now",
	       "an emoji is a token of its own");
	is_str(toks("👩‍💻 👍🏽 ❤️"), "👩‍💻|👍🏽|❤️",
	       "ZWJ sequences, skin tones and variation selectors stay whole");
	is_str(toks("🇫🇷🇩🇪"), "🇫🇷|🇩🇪", "regional indicators pair into flags");
	is_str(toks("cafe\xcc\x81!"), "cafe\xcc\x81|!",
	       "a combining accent stays with its letter");
	is_str(toks("周杰伦 的歌"), "周杰伦|的歌", "CJK runs are words");

	tok_split(&tl, "naïve 🎉 café");
	is_int(tl.n, 3, "three tokens");
	is_int(tl.v[1].cp_start, 6, "the emoji starts at code point 6");
	is_int(tl.v[1].byte_start, 7, "and at byte 7");
	is_int(tl.v[2].cp_start, 8, "café starts at code point 8");
	is_int(tl.v[2].cp_end, 12, "and ends at 12, the text's length");
	ok(tl.v[1].kind == TOK_PUNCT && tl.v[2].kind == TOK_WORD, "token kinds");

	is_str(toks("ab\xff" "cd \xe2\x82"),
	       "ab|\xef\xbf\xbd|cd|\xef\xbf\xbd|\xef\xbf\xbd",
	       "each ill-formed byte becomes U+FFFD, not a crash");
	tok_split(&tl, "ab\xff" "cd");
	is_int(tl.v[2].byte_start, 3, "and keep their byte offsets");

	is_int(tok_lower_cp('A'), 'a', "A");
	is_int(tok_lower_cp(0xc9), 0xe9, "É");
	is_int(tok_lower_cp(0x141), 0x142, "Ł");
	is_int(tok_lower_cp(0x1e9e), 0x1e9e, "ẞ is left alone");
	is_int(tok_lower_cp(0x4e2d), 0x4e2d, "CJK has no case");
	ok(tok_hash("abc", 3, 0) != tok_hash("abd", 3, 0), "hashes differ");
	ok(tok_hash("abc", 3, 0) != tok_hash("abc", 3, 1), "seeds matter");
	ok(tok_hash("dialab", 6, 0) == 0xc4274bb03b72cad7u,
	   "the hash is pinned: saved models depend on it");
	tok_list_release(&tl);
	return done_testing();
}

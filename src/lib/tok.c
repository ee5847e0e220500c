#include "dialab/tok.h"

#include <stdlib.h>
#include <string.h>

#include "dialab/utf8.h"

enum cclass {
	CC_SPACE,
	CC_WORD,
	CC_DIGIT,
	CC_MARK,	/* combining mark: stays with what precedes it */
	CC_EXTEND,	/* emoji modifiers: stay with the symbol before */
	CC_ZWJ,
	CC_RI,		/* regional indicator: two make a flag */
	CC_JOIN,	/* punctuation that may sit inside a word */
	CC_PUNCT
};

uint32_t
tok_lower_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17f) {
		if (c == 0x130)
			return 'i';
		if (c == 0x178)
			return 0xff;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return c & 1 ? c + 1 : c;
		if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17f)
			return c;
		return c & 1 ? c : c + 1;
	}
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf))
		return c & 1 ? c : c + 1;
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	if (c >= 0x1e00 && c <= 0x1eff && !(c >= 0x1e96 && c <= 0x1e9f))
		return c & 1 ? c : c + 1;
	if (c >= 0xff21 && c <= 0xff3a)
		return c + 32;
	return c;
}

static enum cclass
classify(uint32_t c)
{
	if (c < 0x80) {
		if (c == ' ' || (c >= '\t' && c <= '\r'))
			return CC_SPACE;
		if (c >= '0' && c <= '9')
			return CC_DIGIT;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			return CC_WORD;
		if (c < 0x20 || c == 0x7f)
			return CC_SPACE;
		if (strchr("'-&/_+@.:", (int)c))
			return CC_JOIN;
		return CC_PUNCT;
	}
	if (c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000 || c == 0xfeff)
		return CC_SPACE;
	if (c == 0x200d)
		return CC_ZWJ;
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20e2) ||
	    (c >= 0x20e4 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f))
		return CC_MARK;
	if ((c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff) ||
	    (c >= 0xe0020 && c <= 0xe007f) || c == 0x20e3)
		return CC_EXTEND;
	if (c >= 0x1f1e6 && c <= 0x1f1ff)
		return CC_RI;
	if (c == 0x2019 || c == 0x2010 || c == 0x2013)
		return CC_JOIN;
	if ((c >= 0xa1 && c <= 0xbf && c != 0xaa && c != 0xb2 && c != 0xb3 &&
	     c != 0xb5 && c != 0xb9 && c != 0xba && !(c >= 0xbc && c <= 0xbe)) ||
	    c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2010 && c <= 0x205e) || (c >= 0x20a0 && c <= 0x20cf) ||
	    (c >= 0x2190 && c <= 0x2bff) || (c >= 0x3001 && c <= 0x303f) ||
	    (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
	    (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65) ||
	    (c >= 0x1f000 && c <= 0x1faff) || c == 0xfffd)
		return CC_PUNCT;
	return CC_WORD;
}

void
tok_list_init(struct tok_list *tl)
{
	tl->v = NULL;
	tl->n = tl->cap = 0;
	sb_init(&tl->lower);
}

void
tok_list_release(struct tok_list *tl)
{
	free(tl->v);
	tl->v = NULL;
	tl->n = tl->cap = 0;
	sb_release(&tl->lower);
}

/* Decode leniently: an ill-formed byte is one U+FFFD. */
static size_t
next_cp(const char *s, size_t n, uint32_t *cp)
{
	size_t k;

	if (!n)
		return 0;
	if ((unsigned char)*s < 0x80) {
		*cp = (unsigned char)*s;
		return 1;
	}
	if ((k = utf8_decode(s, n, cp)))
		return k;
	*cp = 0xfffd;
	return 1;
}

static int
wordish(enum cclass c)
{
	return c == CC_WORD || c == CC_DIGIT || c == CC_MARK;
}

static void
add_lower(struct strbuf *sb, uint32_t c)
{
	char b[4];

	if (c < 0x80) {		/* most text: one byte, no encoding */
		sb_addc(sb, (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
		return;
	}
	sb_add(sb, b, utf8_encode(tok_lower_cp(c), b));
}

/* Start a token at byte b, code point p. */
static void
open_tok(struct tok_list *tl, size_t b, size_t p, enum tok_kind kind)
{
	struct tok *t;

	if (tl->n == tl->cap) {
		tl->cap = tl->cap ? 2 * tl->cap : 16;
		tl->v = xrealloc(tl->v, tl->cap * sizeof(*tl->v));
	}
	t = &tl->v[tl->n++];
	t->byte_start = t->byte_end = b;
	t->cp_start = t->cp_end = p;
	t->lower = tl->lower.len;
	t->lower_len = 0;
	t->kind = kind;
}

static void
close_tok(struct tok_list *tl)
{
	struct tok *t = &tl->v[tl->n - 1];

	t->lower_len = tl->lower.len - t->lower;
	sb_addc(&tl->lower, '\0');
}

void
tok_split(struct tok_list *tl, const char *text)
{
	size_t n = strlen(text), i = 0, p = 0, k, k2;
	enum cclass cc, prev = CC_SPACE, nc;
	int open = 0;
	int glue = 0;		/* the next symbol joins: after ZWJ, first RI */
	uint32_t c = 0, c2 = 0;

	tl->n = 0;
	sb_reset(&tl->lower);
	while (i < n) {
		k = next_cp(text + i, n - i, &c);
		cc = classify(c);
		switch (cc) {
		case CC_SPACE:
			if (open)
				close_tok(tl);
			open = 0;
			break;
		case CC_WORD:
		case CC_DIGIT:
			if (!open || tl->v[tl->n - 1].kind != TOK_WORD) {
				if (open)
					close_tok(tl);
				open_tok(tl, i, p, TOK_WORD);
				open = 1;
			}
			break;
		case CC_MARK:
		case CC_EXTEND:
			if (!open) {
				open_tok(tl, i, p,
					 cc == CC_MARK ? TOK_WORD : TOK_PUNCT);
				open = 1;
			}
			break;
		case CC_ZWJ:
			if (!open) {
				open_tok(tl, i, p, TOK_PUNCT);
				open = 1;
			}
			break;
		case CC_JOIN:
		case CC_RI:
		case CC_PUNCT:
			k2 = next_cp(text + i + k, n - i - k, &c2);
			nc = k2 ? classify(c2) : CC_SPACE;
			if (open && tl->v[tl->n - 1].kind == TOK_WORD &&
			    cc == CC_JOIN && wordish(prev) && wordish(nc))
				break;
			if (open && tl->v[tl->n - 1].kind == TOK_WORD &&
			    c == ',' && prev == CC_DIGIT && nc == CC_DIGIT)
				break;
			if (open && tl->v[tl->n - 1].kind == TOK_PUNCT && glue &&
			    (prev == CC_ZWJ || cc == CC_RI))
				break;
			if (open)
				close_tok(tl);
			open_tok(tl, i, p, TOK_PUNCT);
			open = 1;
			break;
		}
		if (open) {
			tl->v[tl->n - 1].byte_end = i + k;
			tl->v[tl->n - 1].cp_end = p + 1;
			add_lower(&tl->lower, c);
		}
		if (cc == CC_ZWJ)
			glue = 1;
		else if (cc == CC_RI)
			glue = !(glue && prev == CC_RI);
		else if (cc != CC_EXTEND)
			glue = 0;
		prev = cc;
		i += k;
		p++;
	}
	if (open)
		close_tok(tl);
}

uint64_t
tok_hash(const void *ptr, size_t n, uint64_t seed)
{
	const unsigned char *s = ptr;
	uint64_t h = 0xcbf29ce484222325u ^ seed;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3u;
	return tok_mix(h, n);
}

size_t
tok_norm(struct strbuf *out, const char *text)
{
	struct tok_list tl;
	size_t i, n = 0;
	const char *w;

	sb_reset(out);
	tok_list_init(&tl);
	tok_split(&tl, text);
	for (i = 0; i < tl.n; i++) {
		if (tl.v[i].kind != TOK_WORD)
			continue;
		if (n++)
			sb_addc(out, ' ');
		for (w = tok_lower(&tl, i); *w; w++) {
			if (!strncmp(w, "\xe2\x80\x99", 3)) {
				sb_addc(out, '\'');
				w += 2;
			} else {
				sb_addc(out, *w);
			}
		}
	}
	tok_list_release(&tl);
	return n;
}

int
tok_has_phrase(const char *norm, const char *phrase)
{
	size_t n = strlen(phrase);
	const char *p = norm;

	if (!n)
		return 0;
	while ((p = strstr(p, phrase))) {
		if ((p == norm || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
			return 1;
		p++;
	}
	return 0;
}

size_t
tok_edit_distance(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t buf[65], *row = nb < 65 ? buf : xmalloc((nb + 1) * sizeof(*row));
	size_t i, j, diag, up, d;

	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			up = row[j];
			d = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < d)
				d = up + 1;
			if (row[j - 1] + 1 < d)
				d = row[j - 1] + 1;
			row[j] = d;
			diag = up;
		}
	}
	d = row[nb];
	if (row != buf)
		free(row);
	return d;
}

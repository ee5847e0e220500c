/* phonetic.c: a Metaphone-style key of English words (phonetic.h). */
#include "dialab/phonetic.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int
vowel(int c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The letter at i of w[0..n), or 0 outside it. */
static int
at(const char *w, size_t n, size_t i)
{
	return i < n ? w[i] : 0;
}

static int
front(int c)
{
	return c == 'e' || c == 'i' || c == 'y';
}

void
phon_word(struct strbuf *out, const char *w, size_t n)
{
	size_t i = 0;

	if (!n)
		return;
	/* initial letter groups */
	if (n >= 2 && ((w[0] == 'k' && w[1] == 'n') || (w[0] == 'g' && w[1] == 'n') ||
		       (w[0] == 'p' && w[1] == 'n') || (w[0] == 'w' && w[1] == 'r') ||
		       (w[0] == 'a' && w[1] == 'e')))
		i = 1;
	else if (w[0] == 'x') {
		sb_addc(out, 'S');
		i = 1;
	} else if (n >= 2 && w[0] == 'w' && w[1] == 'h') {
		sb_addc(out, 'W');
		i = 2;
	}
	for (; i < n; i++) {
		int c = w[i], p = i ? w[i - 1] : 0, nx = at(w, n, i + 1), nn = at(w, n, i + 2);

		if (isdigit(c)) {
			sb_addc(out, (char)c);
			continue;
		}
		if (c == p && c != 'c')
			continue;
		if (vowel(c)) {
			if (i == 0)
				sb_addc(out, 'A');
			continue;
		}
		switch (c) {
		case 'b':
			if (!(p == 'm' && i + 1 == n))
				sb_addc(out, 'B');
			break;
		case 'c':
			if (p == 's' && nx == 'h')
				sb_addc(out, 'K');
			else if (nx == 'h' || (nx == 'i' && nn == 'a'))
				sb_addc(out, 'X');
			else if (front(nx))
				sb_addc(out, 'S');
			else
				sb_addc(out, 'K');
			break;
		case 'd':
			if (nx == 'g' && front(nn))
				sb_addc(out, 'J');
			else
				sb_addc(out, 'T');
			break;
		case 'g':
			if (nx == 'h' && (i + 2 >= n || !vowel(nn)))
				break;
			if (nx == 'n' && i + 2 == n)
				break;
			if (p == 'd' && front(nx))
				break;	/* dge: the d said it */
			sb_addc(out, front(nx) ? 'J' : 'K');
			break;
		case 'h':
			if (p == 'c' || p == 's' || p == 'p' || p == 't' || p == 'g')
				break;
			if (vowel(nx))
				sb_addc(out, 'H');
			break;
		case 'k':
			if (p != 'c')
				sb_addc(out, 'K');
			break;
		case 'p':
			sb_addc(out, nx == 'h' ? 'F' : 'P');
			break;
		case 'q':
			sb_addc(out, 'K');
			break;
		case 's':
			if (nx == 'h' || (nx == 'i' && (nn == 'o' || nn == 'a')))
				sb_addc(out, 'X');
			else
				sb_addc(out, 'S');
			break;
		case 't':
			if (nx == 'i' && (nn == 'o' || nn == 'a'))
				sb_addc(out, 'X');
			else if (nx == 'h')
				sb_addc(out, '0');
			else if (!(nx == 'c' && nn == 'h'))
				sb_addc(out, 'T');
			break;
		case 'v':
			sb_addc(out, 'F');
			break;
		case 'w':
		case 'y':
			if (vowel(nx))
				sb_addc(out, (char)toupper(c));
			break;
		case 'x':
			sb_adds(out, "KS");
			break;
		case 'z':
			sb_addc(out, 'S');
			break;
		default:
			if (isalpha(c))
				sb_addc(out, (char)toupper(c));
		}
	}
}

size_t
phon_key(struct strbuf *out, const char *text)
{
	char w[64];
	size_t n = 0;

	sb_reset(out);
	for (;; text++) {
		unsigned char c = (unsigned char)*text;

		if (c && isalnum(c) && c < 0x80) {
			if (n < sizeof(w))
				w[n++] = (char)tolower(c);
			continue;
		}
		if (c == '\'' && n)
			continue;	/* "don't" is one word */
		phon_word(out, w, n);
		n = 0;
		if (!c)
			break;
	}
	return out->len;
}

/* Levenshtein distance of a[0..na) and b[0..nb), in O(nb) space. */
static size_t
lev(const char *a, size_t na, const char *b, size_t nb)
{
	size_t *row = xmalloc((nb + 1) * sizeof(*row)), i, j, d;

	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[nb];
	free(row);
	return d;
}

double
phon_similarity(const char *a, const char *b)
{
	struct strbuf ka, kb;
	double s;

	sb_init(&ka);
	sb_init(&kb);
	phon_key(&ka, a);
	phon_key(&kb, b);
	if (!ka.len && !kb.len)
		s = 1;
	else
		s = 1.0 - (double)lev(ka.buf, ka.len, kb.buf, kb.len) /
			  (double)(ka.len > kb.len ? ka.len : kb.len);
	sb_release(&ka);
	sb_release(&kb);
	return s;
}

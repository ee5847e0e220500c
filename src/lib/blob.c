#include "dialab/blob.h"

#include <math.h>
#include <string.h>

#include "dialab/tok.h"
#include "dialab/utf8.h"

_Static_assert(sizeof(float) == 4 && sizeof(double) == 8,
	       "blobs store IEEE-754 binary32 and binary64");

#define CHECK_SEED 0x646c61626c6f6221u	/* "dlablob!" */

void
blob_put_u32(struct strbuf *sb, uint32_t v)
{
	char b[4];
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (char)(v >> (8 * i) & 0xff);
	sb_add(sb, b, 4);
}

void
blob_put_u64(struct strbuf *sb, uint64_t v)
{
	blob_put_u32(sb, (uint32_t)(v & 0xffffffffu));
	blob_put_u32(sb, (uint32_t)(v >> 32));
}

void
blob_put_f32(struct strbuf *sb, float v)
{
	uint32_t u;

	memcpy(&u, &v, 4);
	blob_put_u32(sb, u);
}

void
blob_put_f64(struct strbuf *sb, double v)
{
	uint64_t u;

	memcpy(&u, &v, 8);
	blob_put_u64(sb, u);
}

void
blob_put_str(struct strbuf *sb, const char *s)
{
	size_t n = strlen(s);

	blob_put_u32(sb, (uint32_t)n);
	sb_add(sb, s, n);
}

void
blob_seal(struct strbuf *sb, size_t start)
{
	blob_put_u64(sb, tok_hash(sb->buf + start, sb->len - start, CHECK_SEED));
}

int
blob_reader_init(struct blob_reader *r, const void *p, size_t n)
{
	struct blob_reader t;
	uint64_t sum;

	r->p = p;
	r->n = 0;
	r->pos = 0;
	r->bad = 1;
	if (!p || n < 8)
		return -1;
	t.p = r->p;
	t.n = n;
	t.pos = n - 8;
	t.bad = 0;
	sum = blob_get_u64(&t);
	if (sum != tok_hash(p, n - 8, CHECK_SEED))
		return -1;
	r->n = n - 8;
	r->bad = 0;
	return 0;
}

static const unsigned char *
take(struct blob_reader *r, size_t n)
{
	const unsigned char *s;

	if (r->bad || r->n - r->pos < n) {
		r->bad = 1;
		return NULL;
	}
	s = r->p + r->pos;
	r->pos += n;
	return s;
}

uint32_t
blob_get_u32(struct blob_reader *r)
{
	const unsigned char *s = take(r, 4);

	if (!s)
		return 0;
	return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 |
	       (uint32_t)s[3] << 24;
}

uint64_t
blob_get_u64(struct blob_reader *r)
{
	uint64_t lo = blob_get_u32(r);

	return lo | (uint64_t)blob_get_u32(r) << 32;
}

float
blob_get_f32(struct blob_reader *r)
{
	uint32_t u = blob_get_u32(r);
	float v;

	memcpy(&v, &u, 4);
	if (!isfinite(v)) {
		r->bad = 1;
		return 0;
	}
	return v;
}

float
blob_get_weight(struct blob_reader *r)
{
	float v = blob_get_f32(r);

	if (v > 1e9f || v < -1e9f) {
		r->bad = 1;
		return 0;
	}
	return v;
}

double
blob_get_f64(struct blob_reader *r)
{
	uint64_t u = blob_get_u64(r);
	double v;

	memcpy(&v, &u, 8);
	if (!isfinite(v)) {
		r->bad = 1;
		return 0;
	}
	return v;
}

const unsigned char *
blob_get_bytes(struct blob_reader *r, size_t n)
{
	return take(r, n);
}

int
blob_expect(struct blob_reader *r, const void *s, size_t n)
{
	const unsigned char *b = take(r, n);

	if (!b || memcmp(b, s, n)) {
		r->bad = 1;
		return 0;
	}
	return 1;
}

char *
blob_get_str(struct blob_reader *r, size_t max)
{
	uint32_t n = blob_get_u32(r);
	const unsigned char *s;
	char *out;

	if (r->bad || n > max) {
		r->bad = 1;
		return NULL;
	}
	if (!(s = take(r, n)))
		return NULL;
	if (memchr(s, '\0', n) || utf8_invalid_at((const char *)s, n) >= 0) {
		r->bad = 1;
		return NULL;
	}
	out = xmalloc((size_t)n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

size_t
blob_left(const struct blob_reader *r)
{
	return r->n - r->pos;
}

int
blob_open(struct blob_reader *r, const void *blob, size_t n, const char *magic,
	  uint32_t version, const char *what, const char *other_kind,
	  struct dl_error *err)
{
	uint32_t v;

	if (!blob || n < 12 || memcmp(blob, magic, 8))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "", "%s: %s", what, other_kind);
	if (blob_reader_init(r, blob, n) < 0)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
				    "%s: checksum mismatch (truncated or corrupt)", what);
	blob_expect(r, magic, 8);
	if ((v = blob_get_u32(r)) != version)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "",
				    "%s: format version %u, expected %u", what,
				    (unsigned)v, (unsigned)version);
	return 0;
}

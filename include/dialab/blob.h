#ifndef DIALAB_BLOB_H
#define DIALAB_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "dialab/error.h"
#include "dialab/strbuf.h"

/*
 * Portable model blobs: little-endian integers, IEEE-754 floats and
 * length-prefixed strings, closed by a 64-bit checksum so a loader can
 * tell a corrupt blob from a model.  The writers append to a strbuf
 * (out of memory aborts, as for all strbufs).
 */

void blob_put_u32(struct strbuf *sb, uint32_t v);
void blob_put_u64(struct strbuf *sb, uint64_t v);
void blob_put_f32(struct strbuf *sb, float v);
void blob_put_f64(struct strbuf *sb, double v);
/* A u32 length, then the bytes. */
void blob_put_str(struct strbuf *sb, const char *s);

/* Append the checksum of sb->buf[start..len): the last thing written. */
void blob_seal(struct strbuf *sb, size_t start);

/*
 * Reading.  A failed read sets bad, returns zero and makes every later
 * read fail too, so a loader may check bad once after a group of reads.
 */
struct blob_reader {
	const unsigned char *p;
	size_t n, pos;
	int bad;
};

/*
 * Start reading the n bytes at p.  Returns 0, or -1 when the blob is
 * too short to hold a checksum or the checksum does not match; reads
 * then stop before the checksum.
 */
int blob_reader_init(struct blob_reader *r, const void *p, size_t n);
uint32_t blob_get_u32(struct blob_reader *r);
uint64_t blob_get_u64(struct blob_reader *r);
/* Floats that are not finite also set bad. */
float blob_get_f32(struct blob_reader *r);
/*
 * A model weight: a float of magnitude at most 1e9, or bad is set.  No
 * trained model comes near, and sums of many such weights stay finite.
 */
float blob_get_weight(struct blob_reader *r);
double blob_get_f64(struct blob_reader *r);
/* The next n bytes (inside the blob), or NULL with bad set. */
const unsigned char *blob_get_bytes(struct blob_reader *r, size_t n);
/* Does the blob continue with these n bytes?  Consumes them if so. */
int blob_expect(struct blob_reader *r, const void *s, size_t n);
/*
 * A string of at most max bytes, well-formed UTF-8 without NUL, as a
 * new string (free() it), or NULL with bad set.
 */
char *blob_get_str(struct blob_reader *r, size_t max);
/* Bytes left before the checksum. */
size_t blob_left(const struct blob_reader *r);

/*
 * Open a blob that starts with the 8 bytes of magic and a u32 version:
 * check the magic, the checksum and the version.  Returns 0 with r
 * positioned after the version, or -1 with err set (DL_EX_DATAERR) to
 * "what: problem", where other_kind is the problem when the magic does
 * not match (e.g. "not an intent model blob").
 */
int blob_open(struct blob_reader *r, const void *blob, size_t n, const char *magic,
	      uint32_t version, const char *what, const char *other_kind,
	      struct dl_error *err);

#endif

#ifndef DIALAB_UTF8_H
#define DIALAB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * UTF-8 helpers.  dialab counts offsets in Unicode code points (like
 * Python string indices), so every span crosses these functions.
 */

/*
 * Decode one code point at s (at most n bytes).  Returns its length in
 * bytes and stores it in *cp, or returns 0 when the bytes are not
 * well-formed UTF-8 (overlong forms, surrogates and values past
 * U+10FFFF are rejected).
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Byte offset of the first ill-formed byte in s[0..n), or -1 if valid. */
long utf8_invalid_at(const char *s, size_t n);

/* Number of code points in the valid UTF-8 string s. */
size_t utf8_cp_len(const char *s);

/*
 * Byte offset of code point index cp in the valid UTF-8 string s; cp
 * may equal the length (giving strlen(s)).  Returns -1 when cp is past
 * the end.
 */
long utf8_cp_to_byte(const char *s, size_t cp);

/* Code point index of byte offset off (which must start a character). */
size_t utf8_byte_to_cp(const char *s, size_t off);

/* Append the UTF-8 encoding of cp to out (4 bytes room); return its length. */
size_t utf8_encode(uint32_t cp, char *out);

#endif

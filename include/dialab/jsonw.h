#ifndef DIALAB_JSONW_H
#define DIALAB_JSONW_H

#include <jansson.h>

#include "dialab/strbuf.h"

/*
 * The canonical JSON writer.  Everything dialab stores or exports as
 * JSON goes through here, so the same value always gives the same
 * bytes: compact, keys in insertion order, UTF-8 kept as is, reals in
 * the shortest form that reads back to the same double.
 */

/* Append v to sb. */
void jw_value(struct strbuf *sb, const json_t *v);

/* Append s (n bytes of valid UTF-8) as a JSON string literal. */
void jw_string(struct strbuf *sb, const char *s, size_t n);

/* Append n in decimal. */
void jw_integer(struct strbuf *sb, long long n);

/* Append d as a JSON number that reads back as a real. */
void jw_real(struct strbuf *sb, double d);

/*
 * Parse text that jw_value() wrote (or any JSON value).  Returns a new
 * reference (json_decref() it), or NULL when text is not JSON.
 */
json_t *jw_parse(const char *text);

#endif

#include "dialab/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
jw_string(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	sb_addc(sb, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		sb_add(sb, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			u[6] = '\0';
			esc = u;
		}
		sb_adds(sb, esc);
	}
	sb_add(sb, s + run, n - run);
	sb_addc(sb, '"');
}

void
jw_integer(struct strbuf *sb, long long n)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--p = '-';
	sb_add(sb, p, (size_t)(buf + sizeof(buf) - p));
}

void
jw_real(struct strbuf *sb, double d)
{
	char buf[40];
	int prec;

	if (!isfinite(d)) {	/* JSON has no infinities; jansson never makes them */
		sb_adds(sb, "null");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	sb_adds(sb, buf);
	if (!strpbrk(buf, ".eEn"))
		sb_adds(sb, ".0");
}

void
jw_value(struct strbuf *sb, const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	int first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		sb_addc(sb, '{');
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				sb_addc(sb, ',');
			first = 0;
			jw_string(sb, key, strlen(key));
			sb_addc(sb, ':');
			jw_value(sb, item);
		}
		sb_addc(sb, '}');
		break;
	case JSON_ARRAY:
		sb_addc(sb, '[');
		json_array_foreach(v, i, item) {
			if (i)
				sb_addc(sb, ',');
			jw_value(sb, item);
		}
		sb_addc(sb, ']');
		break;
	case JSON_STRING:
		jw_string(sb, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jw_integer(sb, json_integer_value(v));
		break;
	case JSON_REAL:
		jw_real(sb, json_real_value(v));
		break;
	case JSON_TRUE:
		sb_adds(sb, "true");
		break;
	case JSON_FALSE:
		sb_adds(sb, "false");
		break;
	case JSON_NULL:
		sb_adds(sb, "null");
		break;
	}
}

json_t *
jw_parse(const char *text)
{
	return json_loads(text, JSON_DECODE_ANY, NULL);
}

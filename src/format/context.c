#include "dialab/context.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

void
ctx_init(struct ctx *c)
{
	c->len = 0;
	c->n = 0;
	c->buf[0] = 0;
}

/* Append value to f (at *k of CTX_FEAT) lower-cased, white space as one '_', no controls. */
static void
put_value(char *f, size_t *k, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	int space = 0;

	for (; *p && *k + 1 < CTX_FEAT; p++) {
		if (isspace(*p) || *p == '_') {
			space = *k > 0 && f[*k - 1] != '=';
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			continue;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {	/* C1 controls */
			p++;
			continue;
		}
		if (space && *k + 2 < CTX_FEAT)
			f[(*k)++] = '_';
		space = 0;
		f[(*k)++] = (char)tolower(*p);
	}
	f[*k] = 0;
}

/* Append feature f (k bytes, room checked by the caller) to c. */
static void
append(struct ctx *c, const char *f, size_t k)
{
	memcpy(c->buf + c->len, f, k + 1);
	c->len += k + 1;
	c->buf[c->len] = 0;
	c->n++;
}

void
ctx_add(struct ctx *c, const char *name, const char *value)
{
	char f[CTX_FEAT];
	size_t k = 0, n = strlen(name), start;
	const char *g;
	long bad;

	if (!value || c->n >= CTX_MAX || n + 2 >= CTX_FEAT)
		return;
	memcpy(f, name, n);
	f[n] = '=';
	k = start = n + 1;
	put_value(f, &k, value);
	if (k == start)
		return;
	/* JSON strings are UTF-8: only a cut can break one, at the end */
	if ((bad = utf8_invalid_at(f, k)) >= 0)
		f[k = (size_t)bad] = 0;
	if (k <= start)
		return;
	for (g = ctx_list(c); g; g = ctx_next(g))
		if (!strcmp(g, f))
			return;
	append(c, f, k);
}

const char *
ctx_list(const struct ctx *c)
{
	return c->n ? c->buf : NULL;
}

const char *
ctx_next(const char *f)
{
	if (!f)
		return NULL;
	f += strlen(f) + 1;
	return *f ? f : NULL;
}

size_t
ctx_count(const char *list)
{
	const char *f;
	size_t n = 0;

	for (f = list && *list ? list : NULL; f; f = ctx_next(f))
		n++;
	return n;
}

char *
ctx_dup(const char *list)
{
	const char *f, *last = NULL;
	size_t len;
	char *out;

	if (!list || !*list)
		return NULL;
	for (f = list; f; f = ctx_next(f))
		last = f;
	len = (size_t)(last - list) + strlen(last) + 2;
	out = xmalloc(len);
	memcpy(out, list, len);
	return out;
}

static const char *const group_prefix[CG__COUNT][2] = {
	[CG_DEVICE] = { "device=", "screen=" },
	[CG_ROOM] = { "room=", NULL },
	[CG_LOCATION] = { "location=", NULL },
	[CG_STATE] = { "state:", NULL },
	[CG_HOUR] = { "hour=", NULL },
	[CG_PREV] = { "prev=", NULL },
};

static const char *const group_names[CG__COUNT] = {
	[CG_DEVICE] = "device",
	[CG_ROOM] = "room",
	[CG_LOCATION] = "location",
	[CG_STATE] = "device_state",
	[CG_HOUR] = "hour",
	[CG_PREV] = "previous_intent",
};

int
ctx_group_of(const char *f)
{
	int g, i;

	for (g = 0; g < CG__COUNT; g++)
		for (i = 0; i < 2; i++)
			if (group_prefix[g][i] &&
			    !strncmp(f, group_prefix[g][i], strlen(group_prefix[g][i])))
				return g;
	return -1;
}

const char *
ctx_group_name(enum ctx_group g)
{
	return (unsigned)g < CG__COUNT ? group_names[g] : NULL;
}

void
ctx_filter(struct ctx *out, const char *list, unsigned mask)
{
	const char *f;
	int g;

	ctx_init(out);
	for (f = list && *list ? list : NULL; f; f = ctx_next(f)) {
		size_t k = strlen(f);

		g = ctx_group_of(f);
		if ((g >= 0 && mask >> g & 1) || out->n >= CTX_MAX)
			continue;
		append(out, f, k);
	}
}

static const char *const bucket_hours[] = {
	"night", "0-4", "morning", "5-10", "midday", "11-13",
	"afternoon", "14-17", "evening", "18-21", "late", "22-23",
};

const char *
ctx_hour_bucket(int hour)
{
	static const unsigned char of[24] = {
		0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5
	};

	return hour >= 0 && hour < 24 ? bucket_hours[2 * of[hour]] : NULL;
}

void
ctx_describe(const char *f, char *buf, size_t n)
{
	const char *v = strchr(f, '=');
	size_t i;

	v = v ? v + 1 : f;
	switch (ctx_group_of(f)) {
	case CG_DEVICE:
		if (!strncmp(f, "screen=", 7))
			snprintf(buf, n, "%s", !strcmp(v, "yes") ? "a screen" : "no screen");
		else
			snprintf(buf, n, "device type %s", v);
		break;
	case CG_ROOM:
		snprintf(buf, n, "device room %s", v);
		break;
	case CG_LOCATION:
		snprintf(buf, n, "location %s", v);
		break;
	case CG_STATE:
		snprintf(buf, n, "device_state %s", f + 6);
		break;
	case CG_HOUR:
		for (i = 0; i < sizeof(bucket_hours) / sizeof(*bucket_hours); i += 2)
			if (!strcmp(v, bucket_hours[i]))
				break;
		snprintf(buf, n, "local hour %s%s%s%s", v, i < 12 ? " (" : "",
			 i < 12 ? bucket_hours[i + 1] : "", i < 12 ? ")" : "");
		break;
	case CG_PREV:
		snprintf(buf, n, "previous intent %s", v);
		break;
	default:
		snprintf(buf, n, "%s", f);
	}
}

/* ---- Local time ---- */

/* "+hh:mm", "-hhmm", "+h", "UTC+2", "UTC", "Z" as seconds east of UTC; 0 ok, -1 not one. */
static int
parse_offset(const char *s, long *off)
{
	long h = 0, m = 0;
	int sign, nd = 0;

	if (!strncmp(s, "UTC", 3) || !strncmp(s, "GMT", 3))
		s += 3;
	if (!*s || !strcmp(s, "Z")) {
		*off = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	while (isdigit((unsigned char)*s) && nd < 2)
		h = 10 * h + (*s++ - '0'), nd++;
	if (!nd)
		return -1;
	if (*s == ':')
		s++;
	if (*s) {
		if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2])
			return -1;
		m = 10 * (s[0] - '0') + (s[1] - '0');
	}
	if (h > 14 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

/* Is tz the name of a zone file: letters, digits, _ + - and single '/' between parts? */
static int
zone_known(const char *tz)
{
	char path[300];
	const char *p;

	if (!*tz || strlen(tz) > 200 || *tz == '/' || strstr(tz, ".."))
		return 0;
	for (p = tz; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-/", *p))
			return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return access(path, R_OK) == 0;
}

/*
 * The UTC offset of zone tz at t, through the C library's time zone
 * code (clock_local()).  Offsets are cached per zone
 * and UTC hour: zone changes fall on whole or half hours of local time,
 * so an hour's cache entry holds for that hour; the entries remember
 * offsets of the first minute, and a half-hour change (rare) is read
 * exactly on a miss of the next hour.
 */
#define TZ_CACHE 256
static struct {
	char tz[64];
	long hour;
	long off;
	int ok;
} tz_cache[TZ_CACHE];

static int
zone_offset(const char *tz, double t, long *off)
{
	long hour = (long)(t / 3600) - (t < 0);
	unsigned h = (unsigned)hour * 2654435761u;
	const char *p;
	struct tm tm;
	time_t tt = (time_t)t;

	for (p = tz; *p; p++)
		h = h * 31 + (unsigned char)*p;
	h %= TZ_CACHE;
	if (tz_cache[h].hour == hour && strlen(tz) < sizeof(tz_cache[h].tz) &&
	    !strcmp(tz_cache[h].tz, tz) && tz_cache[h].ok) {
		*off = tz_cache[h].off;
		return 0;
	}
	if (!zone_known(tz))
		return -1;
	clock_local(tz, (long long)tt, &tm);
	*off = tm.tm_gmtoff;
	if (strlen(tz) < sizeof(tz_cache[h].tz) && (long)tt % 3600 < 60) {
		snprintf(tz_cache[h].tz, sizeof(tz_cache[h].tz), "%s", tz);
		tz_cache[h].hour = hour;
		tz_cache[h].off = *off;
		tz_cache[h].ok = 1;
	}
	return 0;
}

int
ctx_local_hour(double t, const char *tz)
{
	long off, secs;

	if (!tz || !(t > -1e12 && t < 1e12))
		return -1;
	if (parse_offset(tz, &off) && zone_offset(tz, t, &off))
		return -1;
	secs = ((long)t + off) % 86400;
	if (secs < 0)
		secs += 86400;
	return (int)(secs / 3600);
}

int
ctx_written_hour(const char *s)
{
	size_t n;
	long off;

	/* 2026-01-09T20:14:05[.fff](+hh:mm|-hh:mm|Z) */
	if (!s || (n = strlen(s)) < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    !isdigit((unsigned char)s[11]) || !isdigit((unsigned char)s[12]))
		return -1;
	if (s[n - 1] == 'Z' || s[n - 1] == 'z' || n < 25)
		return -1;
	if (parse_offset(s + n - 6, &off))
		return -1;
	return 10 * (s[11] - '0') + (s[12] - '0') < 24 ? 10 * (s[11] - '0') + (s[12] - '0') : -1;
}

/* ---- From the format ---- */

/* A scalar as text: strings as they are, true/false, numbers; else NULL. */
static const char *
scalar(const json_t *v, char *buf, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_real(v)) {
		snprintf(buf, n, "%g", json_real_value(v));
		return buf;
	}
	return NULL;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
ctx_from_json(struct ctx *c, const json_t *device, const json_t *context, const json_t *ts,
	      const json_t *state, const char *prev_intent)
{
	const char *tz = json_string_value(json_object_get(context, "timezone"));
	const json_t *screen = json_object_get(device, "screen");
	const char *room = json_string_value(json_object_get(device, "room"));
	char buf[64], name[CTX_FEAT];
	double t;
	int hour = -1;

	ctx_init(c);
	ctx_add(c, "device", json_string_value(json_object_get(device, "type")));
	if (json_is_boolean(screen))
		ctx_add(c, "screen", json_is_true(screen) ? "yes" : "no");
	ctx_add(c, "room", room ? room : json_string_value(json_object_get(context, "room")));
	ctx_add(c, "location", json_string_value(json_object_get(context, "location")));
	if (json_is_object(state)) {
		const char *keys[CTX_MAX], *k;
		size_t nk = 0, i;
		json_t *v;

		json_object_foreach((json_t *)state, k, v)
			if (nk < CTX_MAX && scalar(v, buf, sizeof(buf)))
				keys[nk++] = k;
		qsort(keys, nk, sizeof(*keys), key_cmp);
		for (i = 0; i < nk; i++) {
			size_t at = 6;

			if (strchr(keys[i], '='))
				continue;
			memcpy(name, "state:", 6);
			put_value(name, &at, keys[i]);
			ctx_add(c, name, scalar(json_object_get(state, keys[i]), buf, sizeof(buf)));
		}
	}
	if (ts && !fmt_ts_parse(ts, &t))
		hour = ctx_local_hour(t, tz);
	if (hour < 0 && json_is_string(ts))
		hour = ctx_written_hour(json_string_value(ts));
	ctx_add(c, "hour", ctx_hour_bucket(hour));
	ctx_add(c, "prev", prev_intent);
}

void
ctx_from_text(struct ctx *c, const char *device, const char *context, const char *ts,
	      const char *state, const char *prev_intent)
{
	json_t *dv = device ? jw_parse(device) : NULL, *cx = context ? jw_parse(context) : NULL;
	json_t *t = ts ? jw_parse(ts) : NULL, *s = state ? jw_parse(state) : NULL;

	ctx_from_json(c, dv, cx, t, s, prev_intent);
	json_decref(dv);
	json_decref(cx);
	json_decref(t);
	json_decref(s);
}

#include "dialab/fmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

static const char *const kind_names[LK__COUNT] = {
	"intent", "slots", "transcription", "failure_point", "goal",
	"goal_outcome", "rephrase",
};

static const char *const fp_names[FP__COUNT] = {
	"correct", "false_wake", "asr", "nlu", "entity", "result",
};

const char *
fmt_kind_name(enum label_kind k)
{
	return (unsigned)k < LK__COUNT ? kind_names[k] : NULL;
}

int
fmt_kind_parse(const char *s)
{
	return str_index(kind_names, LK__COUNT, s);
}

const char *
fmt_fp_name(enum fp_stage s)
{
	return (unsigned)s < FP__COUNT ? fp_names[s] : NULL;
}

int
fmt_fp_parse(const char *s)
{
	int i = str_index(fp_names, FP__COUNT, s);

	return i >= 0 || strcmp(s, "er") ? i : FP_ENTITY;
}

static void
normalize_fp(json_t *holder)
{
	json_t *v = json_object_get(holder, "value");

	if (json_is_string(v) && !strcmp(json_string_value(v), "er"))
		json_object_set_new(holder, "value", json_string("entity"));
}

static void
normalize_labels(json_t *labels)
{
	json_t *l, *c;
	size_t i, j;

	json_array_foreach(labels, i, l) {
		const char *k = json_string_value(json_object_get(l, "kind"));

		if (!k || strcmp(k, "failure_point"))
			continue;
		normalize_fp(l);
		json_array_foreach(json_object_get(l, "candidates"), j, c)
			normalize_fp(c);
	}
}

void
fmt_normalize(json_t *d)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(d, "turns"), i, t)
		normalize_labels(json_object_get(t, "labels"));
	normalize_labels(json_object_get(d, "labels"));
}

const char *
fmt_type_name(const json_t *v)
{
	if (!v)
		return "nothing";
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "unknown";
}

int
fmt_source_gold(const char *s)
{
	return s && (!strncmp(s, "human:", 6) || !strncmp(s, "import:", 7));
}

int
fmt_slots_unsettled(const char *json)
{
	json_t *v, *sp;
	size_t i;
	int marked = 0;

	/* cheap first: the canonical writer spells the mark this way */
	if (!json || !strstr(json, "\"review\"") || !(v = jw_parse(json)))
		return 0;
	json_array_foreach(v, i, sp)
		if (json_is_true(json_object_get(sp, "review")))
			marked = 1;
	json_decref(v);
	return marked;
}

int
fmt_source_ok(const char *s)
{
	static const char *const pre[] = { "model:", "human:", "implicit:", "import:" };
	size_t i, n;

	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		n = strlen(pre[i]);
		if (!strncmp(s, pre[i], n) && s[n] && !strchr(s + n, ' '))
			return 1;
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, long *out)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
rfc3339(const char *s, double *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long y, mo, d, h, mi, se, oh = 0, om = 0;
	double frac = 0, scale = 0.1;
	int sign = 0;

	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 60)
		return -1;
	s += 19;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			frac += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (digits(s + 1, 2, &oh) || s[3] != ':' || digits(s + 4, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		s += 6;
	} else {
		return -1;
	}
	if (*s)
		return -1;
	*out = (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se)
	       + frac - sign * (double)(oh * 3600 + om * 60);
	return 0;
}

int
fmt_ts_parse(const json_t *ts, double *out)
{
	if (json_is_number(ts)) {
		*out = json_number_value(ts);
		return isfinite(*out) ? 0 : -1;
	}
	if (json_is_string(ts))
		return rfc3339(json_string_value(ts), out);
	return -1;
}

/* Validation state: where we are, for messages. */
struct vctx {
	const char *file;
	long line;
	struct dl_error *err;
	int paths;		/* build paths and messages (the second pass) */
	char path[128];
};

static int
fail(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct vctx *v, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (!v->paths)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dl_error_set(v->err, DL_EX_DATAERR, v->file, v->line, v->path,
			    "%s", msg);
}

/* Set the path to base + suffix (printf-style). */
static void
at(struct vctx *v, const char *base, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
at(struct vctx *v, const char *base, const char *fmt, ...)
{
	char tail[96];
	va_list ap;

	if (!v->paths)
		return;
	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	snprintf(v->path, sizeof(v->path), "%s%s", base, tail);
}

/* Remember the current path (in the pass that builds paths). */
static void
save_path(const struct vctx *v, char *dst, size_t n)
{
	dst[0] = '\0';
	if (v->paths)
		snprintf(dst, n, "%s", v->path);
}

static void
save_path_back(struct vctx *v, const char *src)
{
	if (v->paths)
		snprintf(v->path, sizeof(v->path), "%s", src);
}

static int
want(struct vctx *v, const json_t *x, json_type t, const char *what)
{
	if (x && json_typeof(x) == t)
		return 0;
	return fail(v, "expected %s, got %s", what, fmt_type_name(x));
}

static int
want_conf(struct vctx *v, const json_t *x)
{
	double c;

	if (!json_is_number(x))
		return fail(v, "expected a number in [0, 1], got %s",
			    fmt_type_name(x));
	c = json_number_value(x);
	if (!(c >= 0 && c <= 1))
		return fail(v, "expected a number in [0, 1], got %g", c);
	return 0;
}

static int
check_slots(struct vctx *v, const json_t *slots, const char *text)
{
	char base[128];
	size_t i, j, len = utf8_cp_len(text);
	json_t *s;

	save_path(v, base, sizeof(base));
	if (want(v, slots, JSON_ARRAY, "an array of slots"))
		return -1;
	json_array_foreach(slots, i, s) {
		json_t *ty, *st, *en;
		json_int_t a, b;

		at(v, base, "[%zu]", i);
		if (want(v, s, JSON_OBJECT, "a slot object {type, start, end}"))
			return -1;
		ty = json_object_get(s, "type");
		st = json_object_get(s, "start");
		en = json_object_get(s, "end");
		at(v, base, "[%zu].type", i);
		if (want(v, ty, JSON_STRING, "a string"))
			return -1;
		if (!json_string_length(ty))
			return fail(v, "expected a slot type, got an empty string");
		at(v, base, "[%zu].start", i);
		if (want(v, st, JSON_INTEGER, "integer"))
			return -1;
		at(v, base, "[%zu].end", i);
		if (want(v, en, JSON_INTEGER, "integer"))
			return -1;
		a = json_integer_value(st);
		b = json_integer_value(en);
		if (a < 0) {
			at(v, base, "[%zu].start", i);
			return fail(v, "expected an offset >= 0, got %" JSON_INTEGER_FORMAT, a);
		}
		if ((size_t)b > len)
			return fail(v, "expected an offset <= %zu (the text has %zu code points), got %"
				    JSON_INTEGER_FORMAT, len, len, b);
		if (b <= a)
			return fail(v, "expected end > start (%" JSON_INTEGER_FORMAT
				    "), got %" JSON_INTEGER_FORMAT, a, b);
		for (j = 0; j < i; j++) {
			json_t *o = json_array_get(slots, j);
			json_int_t oa = json_integer_value(json_object_get(o, "start"));
			json_int_t ob = json_integer_value(json_object_get(o, "end"));

			if (a < ob && oa < b) {
				at(v, base, "[%zu]", i);
				return fail(v, "expected slots not to overlap, got [%"
					    JSON_INTEGER_FORMAT ", %" JSON_INTEGER_FORMAT
					    ") overlapping slot %zu [%" JSON_INTEGER_FORMAT
					    ", %" JSON_INTEGER_FORMAT ")", a, b, j, oa, ob);
			}
		}
	}
	save_path_back(v, base);
	return 0;
}

int
fmt_check_slots(const json_t *slots, const char *text, const char *path,
		const char *file, long line, struct dl_error *err)
{
	struct vctx v = { file, line, err, 1, "" };

	snprintf(v.path, sizeof(v.path), "%s", path);
	return check_slots(&v, slots, text);
}

/* Check a label value of kind k at v->path. */
static int
check_value(struct vctx *v, int k, const json_t *val, const char *text)
{
	json_t *g, *o;
	char base[128];

	switch (k) {
	case LK_INTENT:
		if (want(v, val, JSON_STRING, "an intent name (string)"))
			return -1;
		if (!json_string_length(val))
			return fail(v, "expected an intent name, got an empty string");
		return 0;
	case LK_SLOTS:
		return check_slots(v, val, text);
	case LK_TRANSCRIPTION:
		return want(v, val, JSON_STRING, "the corrected words (string)");
	case LK_FAILURE_POINT:
		if (!json_is_string(val) || fmt_fp_parse(json_string_value(val)) < 0)
			return fail(v, "expected one of correct, false_wake, asr, nlu, entity, result, got %s%s%s",
				    json_is_string(val) ? "\"" : "",
				    json_is_string(val) ? json_string_value(val) : fmt_type_name(val),
				    json_is_string(val) ? "\"" : "");
		return 0;
	case LK_GOAL:
		if (!json_is_integer(val) || json_integer_value(val) < 1)
			return fail(v, "expected a goal number (integer >= 1), got %s",
				    json_is_integer(val) ? "a number < 1" : fmt_type_name(val));
		return 0;
	case LK_GOAL_OUTCOME:
		save_path(v, base, sizeof(base));
		if (want(v, val, JSON_OBJECT, "an object {goal, outcome}"))
			return -1;
		g = json_object_get(val, "goal");
		o = json_object_get(val, "outcome");
		at(v, base, ".goal");
		if (!json_is_integer(g) || json_integer_value(g) < 1)
			return fail(v, "expected a goal number (integer >= 1), got %s",
				    json_is_integer(g) ? "a number < 1" : fmt_type_name(g));
		at(v, base, ".outcome");
		if (!json_is_string(o) || (strcmp(json_string_value(o), "success") &&
					   strcmp(json_string_value(o), "failure")))
			return fail(v, "expected \"success\" or \"failure\", got %s",
				    json_is_string(o) ? json_string_value(o) : fmt_type_name(o));
		save_path_back(v, base);
		return 0;
	case LK_REPHRASE:
		if (!json_is_boolean(val))
			return fail(v, "expected true or false (does the turn restate the one before?), got %s",
				    fmt_type_name(val));
		return 0;
	}
	return -1;
}

/*
 * One label.  turn_level says where it sits; text is the turn's text
 * (NULL on the dialogue).  The label's kind is returned in *kind.
 */
static int
check_label(struct vctx *v, const json_t *l, const char *text, int *kind)
{
	char base[128];
	json_t *k, *c, *s, *cands, *cand;
	size_t i;
	int kd;

	save_path(v, base, sizeof(base));
	if (want(v, l, JSON_OBJECT, "a label object {kind, value, source}"))
		return -1;
	k = json_object_get(l, "kind");
	at(v, base, ".kind");
	if (want(v, k, JSON_STRING, "a label kind (string)"))
		return -1;
	if ((kd = fmt_kind_parse(json_string_value(k))) < 0)
		return fail(v, "expected one of intent, slots, transcription, failure_point, goal, goal_outcome, rephrase, got \"%s\"",
			    json_string_value(k));
	if (text && kd == LK_GOAL_OUTCOME)
		return fail(v, "expected a turn label kind, got goal_outcome (it belongs on the dialogue)");
	if (!text && kd != LK_GOAL_OUTCOME)
		return fail(v, "expected goal_outcome on the dialogue, got %s (it belongs on a turn)",
			    json_string_value(k));
	at(v, base, ".value");
	if (!json_object_get(l, "value"))
		return fail(v, "expected a value, got nothing");
	if (check_value(v, kd, json_object_get(l, "value"), text))
		return -1;
	if ((c = json_object_get(l, "confidence"))) {
		at(v, base, ".confidence");
		if (want_conf(v, c))
			return -1;
	}
	s = json_object_get(l, "source");
	at(v, base, ".source");
	if (want(v, s, JSON_STRING, "a source such as \"model:intent@3\" or \"human:ana\""))
		return -1;
	if (!fmt_source_ok(json_string_value(s)))
		return fail(v, "expected model:NAME@VERSION, human:ANNOTATOR, implicit:SIGNAL or import:FORMAT, got \"%s\"",
			    json_string_value(s));
	if ((cands = json_object_get(l, "candidates"))) {
		at(v, base, ".candidates");
		if (want(v, cands, JSON_ARRAY, "an array of {value, confidence}"))
			return -1;
		json_array_foreach(cands, i, cand) {
			at(v, base, ".candidates[%zu]", i);
			if (want(v, cand, JSON_OBJECT, "an object {value, confidence}"))
				return -1;
			at(v, base, ".candidates[%zu].value", i);
			if (check_value(v, kd, json_object_get(cand, "value"), text))
				return -1;
			at(v, base, ".candidates[%zu].confidence", i);
			if (want_conf(v, json_object_get(cand, "confidence")))
				return -1;
		}
	}
	*kind = kd;
	return 0;
}

/*
 * The text the slots of label l stand on: the transcription its source
 * gives the same turn (an annotator who corrected the words marks the
 * slots on them), else the turn's text.
 */
static const char *
slots_text(const json_t *labels, const json_t *l, const char *text)
{
	const char *src = json_string_value(json_object_get(l, "source"));
	const char *kind = json_string_value(json_object_get(l, "kind"));
	const char *words = text;
	const json_t *x;
	size_t i;

	if (!src || !kind || strcmp(kind, "slots"))
		return text;
	json_array_foreach(labels, i, x) {	/* the last one counts */
		const char *k = json_string_value(json_object_get(x, "kind"));
		const char *s = json_string_value(json_object_get(x, "source"));

		if (k && s && !strcmp(k, "transcription") && !strcmp(s, src) &&
		    json_is_string(json_object_get(x, "value")))
			words = json_string_value(json_object_get(x, "value"));
	}
	return words;
}

/* Goal numbers must not go down from one turn to the next, per source. */
struct goal_seen {
	const char *source;
	json_int_t last;
};

static int
check_turn(struct vctx *v, const json_t *t, size_t ti, struct goal_seen *gs,
	   size_t *ngs, size_t maxgs)
{
	char base[64], lbase[96];
	json_t *x, *text, *labels, *l;
	const char *txt;
	double ts;
	size_t i, g;
	int kind;

	base[0] = '\0';
	if (v->paths)
		snprintf(base, sizeof(base), "$.turns[%zu]", ti);
	at(v, base, "%s", "");
	if (want(v, t, JSON_OBJECT, "a turn object with at least \"text\""))
		return -1;
	text = json_object_get(t, "text");
	at(v, base, ".text");
	if (want(v, text, JSON_STRING, "the turn's text (string)"))
		return -1;
	txt = json_string_value(text);
	if ((x = json_object_get(t, "ts"))) {
		at(v, base, ".ts");
		if (fmt_ts_parse(x, &ts))
			return fail(v, "expected Unix seconds or an RFC 3339 time, got %s%s%s",
				    json_is_string(x) ? "\"" : "",
				    json_is_string(x) ? json_string_value(x) : fmt_type_name(x),
				    json_is_string(x) ? "\"" : "");
	}
	if ((x = json_object_get(t, "asr_confidence"))) {
		at(v, base, ".asr_confidence");
		if (want_conf(v, x))
			return -1;
	}
	if ((x = json_object_get(t, "nlu"))) {
		json_t *y;

		at(v, base, ".nlu");
		if (want(v, x, JSON_OBJECT, "an object {domain, intent, confidence, slots}"))
			return -1;
		if ((y = json_object_get(x, "domain"))) {
			at(v, base, ".nlu.domain");
			if (want(v, y, JSON_STRING, "string"))
				return -1;
		}
		if ((y = json_object_get(x, "intent"))) {
			at(v, base, ".nlu.intent");
			if (want(v, y, JSON_STRING, "string"))
				return -1;
		}
		if ((y = json_object_get(x, "confidence"))) {
			at(v, base, ".nlu.confidence");
			if (want_conf(v, y))
				return -1;
		}
		if ((y = json_object_get(x, "slots"))) {
			at(v, base, ".nlu.slots");
			if (check_slots(v, y, txt))
				return -1;
		}
	}
	if ((x = json_object_get(t, "response"))) {
		at(v, base, ".response");
		if (want(v, x, JSON_STRING, "string"))
			return -1;
	}
	if ((x = json_object_get(t, "barge_in"))) {
		at(v, base, ".barge_in");
		if (!json_is_boolean(x))
			return fail(v, "expected true or false, got %s", fmt_type_name(x));
	}
	if ((x = json_object_get(t, "device_state"))) {
		at(v, base, ".device_state");
		if (want(v, x, JSON_OBJECT, "object"))
			return -1;
	}
	if ((x = json_object_get(t, "audio"))) {
		at(v, base, ".audio");
		if (want(v, x, JSON_STRING, "a file name (string)"))
			return -1;
	}
	if (!(labels = json_object_get(t, "labels")))
		return 0;
	at(v, base, ".labels");
	if (want(v, labels, JSON_ARRAY, "an array of labels"))
		return -1;
	json_array_foreach(labels, i, l) {
		const char *src;
		json_int_t gv;

		lbase[0] = '\0';
		if (v->paths)
			snprintf(lbase, sizeof(lbase), "%s.labels[%zu]", base, i);
		at(v, lbase, "%s", "");
		if (check_label(v, l, slots_text(labels, l, txt), &kind))
			return -1;
		if (kind == LK_REPHRASE && ti == 0 && json_is_true(json_object_get(l, "value"))) {
			at(v, lbase, ".value");
			return fail(v, "expected false: the first turn has no turn before it to restate");
		}
		if (kind != LK_GOAL)
			continue;
		src = json_string_value(json_object_get(l, "source"));
		gv = json_integer_value(json_object_get(l, "value"));
		for (g = 0; g < *ngs && strcmp(gs[g].source, src); g++)
			;
		if (g == *ngs) {
			if (*ngs == maxgs)
				continue;
			gs[g].source = src;
			gs[g].last = gv;
			(*ngs)++;
		} else if (gv < gs[g].last) {
			at(v, lbase, ".value");
			return fail(v, "expected goal numbers not to decrease within a dialogue (%s), got %"
				    JSON_INTEGER_FORMAT " after %" JSON_INTEGER_FORMAT,
				    src, gv, gs[g].last);
		}
		gs[g].last = gv;
	}
	return 0;
}

static int
validate(const json_t *d, struct vctx *vp)
{
	struct vctx v = *vp;
	struct goal_seen gs[16];
	size_t ngs = 0, i;
	json_t *x, *turns, *t;
	int kind;

	if (want(&v, d, JSON_OBJECT, "a dialogue object {\"id\", \"turns\", ...}"))
		return -1;
	x = json_object_get(d, "id");
	at(&v, "$.id", "%s", "");
	if (want(&v, x, JSON_STRING, "the dialogue id (string)"))
		return -1;
	if (!json_string_length(x))
		return fail(&v, "expected a dialogue id, got an empty string");
	if (json_string_length(x) > 200)
		return fail(&v, "expected an id of at most 200 bytes, got %zu",
			    json_string_length(x));
	if ((x = json_object_get(d, "user"))) {
		at(&v, "$.user", "%s", "");
		if (want(&v, x, JSON_STRING, "a user id (string)"))
			return -1;
	}
	if ((x = json_object_get(d, "device"))) {
		at(&v, "$.device", "%s", "");
		if (want(&v, x, JSON_OBJECT, "an object {id, type, screen}"))
			return -1;
	}
	if ((x = json_object_get(d, "context"))) {
		at(&v, "$.context", "%s", "");
		if (want(&v, x, JSON_OBJECT, "object"))
			return -1;
	}
	turns = json_object_get(d, "turns");
	at(&v, "$.turns", "%s", "");
	if (want(&v, turns, JSON_ARRAY, "an array of turns"))
		return -1;
	if (!json_array_size(turns))
		return fail(&v, "expected at least one turn, got an empty array");
	json_array_foreach(turns, i, t)
		if (check_turn(&v, t, i, gs, &ngs, sizeof(gs) / sizeof(gs[0])))
			return -1;
	if ((x = json_object_get(d, "labels"))) {
		json_t *l;

		at(&v, "$.labels", "%s", "");
		if (want(&v, x, JSON_ARRAY, "an array of labels"))
			return -1;
		json_array_foreach(x, i, l) {
			at(&v, "$.labels", "[%zu]", i);
			if (check_label(&v, l, NULL, &kind))
				return -1;
		}
	}
	return 0;
}

int
fmt_validate(const json_t *d, const char *file, long line, struct dl_error *err)
{
	struct vctx v = { file, line, err, 0, "$" };

	/* Paths cost a printf per field: build them only to explain a failure. */
	if (validate(d, &v) == 0)
		return 0;
	v.paths = 1;
	if (validate(d, &v) == 0)	/* cannot happen: both passes check the same */
		return dl_error_set(err, DL_EX_SOFTWARE, file, line, "$", "validation is inconsistent");
	return -1;
}

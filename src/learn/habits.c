#include "dialab/habits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"
#include "dialab/context.h"
#include "dialab/dataset.h"
#include "dialab/fmt.h"
#include "dialab/intern.h"
#include "dialab/judge.h"
#include "dialab/jsonw.h"
#include "dialab/rewrite.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

#define GAP 60.0	/* seconds: a restatement after this is a new request */

/* One slot value of one request under one condition; strings are interned ids. */
struct said {
	uint32_t user, intent, slot, cond, value;
};

struct learner {
	struct intern names;
	struct said *v;
	size_t n, cap;
	long requests;
	struct strbuf norm;
	uint32_t always;	/* the id of "" */
};

static void
said_add(struct learner *l, const struct said *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = *s;
}

/* The last label of kind for turn idx that a human or gold source gave, or NULL. */
static const char *
gold_value(const struct st_label *labels, size_t nl, int idx, const char *kind)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < nl; i++)
		if (labels[i].turn_idx == idx && !strcmp(labels[i].kind, kind) &&
		    fmt_source_gold(labels[i].source))
			v = labels[i].value;
	return v;
}

/* Count the slots of one request that worked: under "" and under each context feature. */
static void
count_request(struct learner *l, uint32_t user, const char *intent, const json_t *slots,
	      const char *text, const struct ctx *c)
{
	struct said s = { .user = user, .intent = intern_id(&l->names, intent) };
	const json_t *sl;
	const char *f;
	size_t i;

	l->requests++;
	json_array_foreach(slots, i, sl) {
		const char *type = json_string_value(json_object_get(sl, "type"));
		json_int_t a = json_integer_value(json_object_get(sl, "start"));
		json_int_t b = json_integer_value(json_object_get(sl, "end"));
		long ba = utf8_cp_to_byte(text, (size_t)a), bb = utf8_cp_to_byte(text, (size_t)b);
		char word[256];

		if (!type || !*type || ba < 0 || bb <= ba || (size_t)(bb - ba) >= sizeof(word))
			continue;
		memcpy(word, text + ba, (size_t)(bb - ba));
		word[bb - ba] = 0;
		if (!tok_norm(&l->norm, word))
			continue;
		s.slot = intern_id(&l->names, type);
		s.value = intern_id(&l->names, l->norm.buf);
		s.cond = l->always;
		said_add(l, &s);
		for (f = ctx_list(c); f; f = ctx_next(f)) {
			s.cond = intern_id(&l->names, f);
			said_add(l, &s);
		}
	}
}

static int
each_dialogue(void *arg, const struct st_dialogue *d, const struct st_turn *turns, size_t n,
	      const struct st_label *labels, size_t nl, struct dl_error *err)
{
	struct learner *l = arg;
	json_t *dv = d->device ? jw_parse(d->device) : NULL;
	json_t *cx = d->context ? jw_parse(d->context) : NULL;
	struct jd_turn *t = xmalloc((n + 1) * sizeof(*t));
	uint32_t user = intern_id(&l->names, d->user ? d->user : "");
	size_t i;

	(void)err;
	for (i = 0; i < n; i++)
		judge_turn(&t[i], &turns[i]);
	for (i = 0; d->user && i < n; i++) {
		const char *gi = gold_value(labels, nl, turns[i].idx, "intent");
		const char *gs = gold_value(labels, nl, turns[i].idx, "slots");
		json_t *nlu = turns[i].nlu ? jw_parse(turns[i].nlu) : NULL;
		json_t *iv = gi ? jw_parse(gi) : NULL, *sv = gs ? jw_parse(gs) : NULL;
		const char *intent = json_is_string(iv) ? json_string_value(iv) :
				     json_string_value(json_object_get(nlu, "intent"));
		const json_t *slots = json_is_array(sv) ? sv : json_object_get(nlu, "slots");
		struct ctx c;

		/* slots awaiting review are not an answer */
		if (gs && fmt_slots_unsettled(gs))
			slots = NULL;
		if (intent && *intent && turns[i].text && rw_turn_worked(t, n, i, labels, nl, GAP)) {
			dataset_turn_ctx(&c, dv, cx, turns, i);
			count_request(l, user, intent, slots, turns[i].text, &c);
		}
		json_decref(nlu);
		json_decref(iv);
		json_decref(sv);
	}
	free(t);
	json_decref(dv);
	json_decref(cx);
	return 0;
}

static int
said_cmp(const void *a, const void *b)
{
	const struct said *x = a, *y = b;

#define CMP(f) if (x->f != y->f) return x->f < y->f ? -1 : 1
	CMP(user);
	CMP(intent);
	CMP(slot);
	CMP(cond);
	CMP(value);
#undef CMP
	return 0;
}

static int
same_group(const struct said *x, const struct said *y)
{
	return x->user == y->user && x->intent == y->intent && x->slot == y->slot &&
	       x->cond == y->cond;
}

static int
passes(long n, long m)
{
	return n >= HABIT_MIN_N && (double)n >= HABIT_MIN_SHARE * (double)m;
}

/*
 * Store the counted habits, of two requests or more.  A condition's
 * habits are kept only when they say something the unconditional ones
 * do not: another most frequent value, or one where there is no
 * habit always.  (Condition "" has id 0, so it comes first.)
 */
static int
store_counts(struct store *st, struct learner *l, long *rows, long *users, struct dl_error *err)
{
	size_t i, j, k, e, top;
	double now = clock_now();
	uint32_t last_user = UINT32_MAX, always_top = UINT32_MAX;

	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), said_cmp);
	for (i = 0; i < l->n; i = j) {
		long m, best = 0;

		for (j = i + 1; j < l->n && same_group(&l->v[i], &l->v[j]); j++)
			;
		m = (long)(j - i);
		if (l->v[i].user != last_user) {
			last_user = l->v[i].user;
			++*users;
		}
		for (k = i, top = i; k < j; k = e) {	/* the most frequent value */
			for (e = k + 1; e < j && l->v[e].value == l->v[k].value; e++)
				;
			if ((long)(e - k) > best)
				best = (long)(e - k), top = k;
		}
		if (l->v[i].cond == l->always) {
			always_top = passes(best, m) ? l->v[top].value : UINT32_MAX;
		} else if (always_top != UINT32_MAX && l->v[top].value == always_top) {
			continue;
		}
		for (k = i; k < j; k = e) {
			struct st_habit h;

			for (e = k + 1; e < j && l->v[e].value == l->v[k].value; e++)
				;
			if (e - k < 2)
				continue;
			h.user = intern_str(&l->names, l->v[k].user);
			h.intent = intern_str(&l->names, l->v[k].intent);
			h.slot = intern_str(&l->names, l->v[k].slot);
			h.cond = intern_str(&l->names, l->v[k].cond);
			h.value = intern_str(&l->names, l->v[k].value);
			h.n = (long)(e - k);
			h.m = m;
			h.at = now;
			if (store_habit_put(st, &h, err))
				return -1;
			++*rows;
		}
	}
	return 0;
}

json_t *
habits_learn(struct store *st, const char *user, struct dl_error *err)
{
	struct learner l;
	double t0 = clock_now();
	long rows = 0, users = 0;
	int rc;

	memset(&l, 0, sizeof(l));
	intern_init(&l.names);
	sb_init(&l.norm);
	l.always = intern_id(&l.names, "");
	rc = store_each_dialogue_of(st, LF_HUMAN | LF_WITH_DECISIONS, user, each_dialogue, &l, err);
	if (!rc && !(rc = store_begin(st, err))) {
		rc = store_habits_clear(st, user, err) || store_counts(st, &l, &rows, &users, err);
		if (rc)
			store_rollback(st);
		else
			rc = store_commit(st, err);
	}
	free(l.v);
	intern_release(&l.names);
	sb_release(&l.norm);
	if (rc)
		return NULL;
	return json_pack("{s:I,s:I,s:I,s:f}", "users", (json_int_t)users, "requests",
			 (json_int_t)l.requests, "habits", (json_int_t)rows, "seconds",
			 clock_now() - t0);
}

/* ---- Using them ---- */

struct pick {
	const char *ctx;
	json_t *best;	/* slot -> habit */
};

/* Is candidate h (share n/m) better than the habit held (NULL: none)? */
static int
better(const struct st_habit *h, const json_t *held)
{
	double share = (double)h->n / (double)h->m, hs;
	int specific = *h->cond != 0, held_specific;

	if (!held)
		return 1;
	held_specific = *json_string_value(json_object_get(held, "cond")) != 0;
	if (specific != held_specific)
		return specific;
	hs = (double)json_integer_value(json_object_get(held, "n")) /
	     (double)json_integer_value(json_object_get(held, "m"));
	if (share != hs)
		return share > hs;
	return h->n > json_integer_value(json_object_get(held, "n"));
}

static int
holds(const char *ctx, const char *cond)
{
	const char *f;

	if (!*cond)
		return 1;
	for (f = ctx && *ctx ? ctx : NULL; f; f = ctx_next(f))
		if (!strcmp(f, cond))
			return 1;
	return 0;
}

static int
keep_pick(void *arg, const struct st_habit *h)
{
	struct pick *p = arg;

	if (h->n < HABIT_MIN_N || h->m <= 0 || (double)h->n < HABIT_MIN_SHARE * (double)h->m ||
	    !holds(p->ctx, h->cond) || !better(h, json_object_get(p->best, h->slot)))
		return 0;
	json_object_set_new(p->best, h->slot, json_pack("{s:s,s:s,s:I,s:I}", "value", h->value,
							"cond", h->cond, "n", (json_int_t)h->n,
							"m", (json_int_t)h->m));
	return 0;
}

json_t *
habits_for(struct store *st, const char *user, const char *intent, const char *ctx,
	   struct dl_error *err)
{
	struct pick p = { ctx, json_object() };

	if (!user || !intent)
		return p.best;
	if (store_habits_each(st, user, intent, keep_pick, &p, err)) {
		json_decref(p.best);
		if (err->code != DL_EX_DATAERR)
			return NULL;
		dl_error_clear(err);	/* an older schema: no habits */
		return json_object();
	}
	return p.best;
}

void
habits_say(const json_t *h, char *buf, size_t n)
{
	const char *cond = json_string_value(json_object_get(h, "cond"));
	char when[CTX_FEAT + 40];

	if (cond && *cond)
		ctx_describe(cond, when, sizeof(when));
	snprintf(buf, n, "learnt from %lld of %lld requests%s%s%s",
		 (long long)json_integer_value(json_object_get(h, "n")),
		 (long long)json_integer_value(json_object_get(h, "m")),
		 cond && *cond ? " (with " : "", cond && *cond ? when : "",
		 cond && *cond ? ")" : "");
}

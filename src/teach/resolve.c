#include "dialab/resolve.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialab/clock.h"
#include "dialab/context.h"
#include "dialab/dataset.h"
#include "dialab/fmt.h"
#include "dialab/habits.h"
#include "dialab/judge.h"
#include "dialab/jsonw.h"
#include "dialab/learn.h"
#include "dialab/online.h"
#include "dialab/rewrite.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

/* ---- The closest logged utterance, when no model is trained ---- */

struct near {
	const char *text, *user, *device, *ctx;
	double best;
	int bonus;
	char *btext, *bnlu, *bdialogue;
	int bturn;
};

/* How many features of the request's context ctx turn t of the dialogue shares. */
static int
shared_context(const char *ctx, const json_t *dev, const json_t *cx, const struct st_turn *turns,
	       size_t t)
{
	struct ctx c;
	const char *f, *g;
	int k = 0;

	if (!ctx)
		return 0;
	dataset_turn_ctx(&c, dev, cx, turns, t);
	for (f = ctx; f; f = ctx_next(f))
		for (g = ctx_list(&c); g; g = ctx_next(g))
			k += !strcmp(f, g);
	return k;
}

/*
 * Among logged turns as alike, the best teacher is one that worked
 * (rw_turn_worked(): 4), of the same user (2), in the same context (2
 * for each feature shared), on the same type of device (1).
 */
static int
nearest(void *ctx, const struct st_dialogue *d, const struct st_turn *turns, size_t n,
	const struct st_label *l, size_t nl, struct dl_error *err)
{
	struct near *c = ctx;
	struct jd_turn *jt = NULL;
	json_t *dev = c->device && d->device ? jw_parse(d->device) : NULL;
	json_t *cx = NULL;
	size_t i, k;
	int base = 0;

	(void)err;
	if (c->user && d->user && !strcmp(c->user, d->user))
		base += 2;
	if (c->device && json_string_value(json_object_get(dev, "type")))
		base += !strcmp(json_string_value(json_object_get(dev, "type")), c->device);
	for (i = 0; i < n; i++) {
		double s;
		int bonus = base;

		if (!turns[i].nlu)
			continue;
		s = judge_rephrase(c->text, turns[i].text);
		if (s < c->best - 1e-9)
			continue;
		if (!jt) {	/* only for the turns that come close: parsing costs */
			jt = xmalloc((n + 1) * sizeof(*jt));
			for (k = 0; k < n; k++)
				judge_turn(&jt[k], &turns[k]);
			cx = d->context ? jw_parse(d->context) : NULL;
			if (!dev && d->device)
				dev = jw_parse(d->device);
		}
		bonus += 4 * rw_turn_worked(jt, n, i, l, nl, 60) +
			 2 * shared_context(c->ctx, dev, cx, turns, i);
		if (s > c->best + 1e-9 || bonus > c->bonus) {
			c->best = s;
			c->bonus = bonus;
			free(c->btext);
			free(c->bnlu);
			free(c->bdialogue);
			c->btext = xstrdup(turns[i].text);
			c->bnlu = xstrdup(turns[i].nlu);
			c->bdialogue = xstrdup(d->ext_id);
			c->bturn = turns[i].idx;
		}
	}
	free(jt);
	json_decref(dev);
	json_decref(cx);
	return 0;
}

/* The first place text has word (ASCII case aside) as whole words, or NULL. */
static const char *
find_words(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	if (!n)
		return NULL;
	for (p = text; *p; p++) {
		if (strncasecmp(p, word, n))
			continue;
		if ((p == text || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return p;
	}
	return NULL;
}

/* The live NLU of the closest logged turn, with its slots moved onto text where their words are. */
static json_t *
from_closest(struct store *st, const char *user, const char *device, const char *ctx,
	     const char *text, json_t *report, struct dl_error *err)
{
	struct near c = { .text = text, .user = user, .device = device, .ctx = ctx, .best = -1 };
	json_t *in, *nlu, *slots = json_array(), *s;
	size_t i;

	if (store_each_dialogue(st, LF_ALL, nearest, &c, err)) {
		json_decref(slots);
		return NULL;
	}
	in = json_pack("{s:s,s:o}", "source", "no trained model: the live NLU of the closest"
		       " logged utterance", "slots", slots);
	if (!c.btext) {
		json_object_set_new(in, "source", json_string("no trained model and no logged"
							      " utterance with an NLU result"));
		return in;
	}
	json_object_set_new(report, "closest", json_pack("{s:s,s:i,s:s,s:f}", "dialogue",
							 c.bdialogue, "turn", c.bturn, "text",
							 c.btext, "similarity", c.best));
	nlu = jw_parse(c.bnlu);
	if (json_is_string(json_object_get(nlu, "intent")))
		json_object_set(in, "intent", json_object_get(nlu, "intent"));
	if (json_is_number(json_object_get(nlu, "confidence")))
		json_object_set_new(in, "confidence",
				    json_real(json_number_value(json_object_get(nlu, "confidence")) *
					      c.best));
	json_array_foreach(json_object_get(nlu, "slots"), i, s) {
		json_int_t a = json_integer_value(json_object_get(s, "start"));
		json_int_t b = json_integer_value(json_object_get(s, "end"));
		long ba = utf8_cp_to_byte(c.btext, (size_t)a), bb = utf8_cp_to_byte(c.btext, (size_t)b);
		const char *type = json_string_value(json_object_get(s, "type"));
		char word[256];
		const char *at;

		if (!type || ba < 0 || bb <= ba || (size_t)(bb - ba) >= sizeof(word))
			continue;
		memcpy(word, c.btext + ba, (size_t)(bb - ba));
		word[bb - ba] = 0;
		/* Only what the new words say too: a slot is never carried over blind. */
		if (!(at = find_words(text, word)))
			continue;
		json_array_append_new(slots, json_pack("{s:s,s:I,s:I,s:s}", "type", type, "start",
			(json_int_t)utf8_byte_to_cp(text, (size_t)(at - text)),
			"end", (json_int_t)utf8_byte_to_cp(text, (size_t)(at - text) + strlen(word)),
			"text", word));
	}
	json_decref(nlu);
	free(c.btext);
	free(c.bnlu);
	free(c.bdialogue);
	return in;
}

/*
 * Below RESOLVE_SURE intent confidence, a logged utterance at least
 * RESOLVE_NEAR alike (judge_rephrase()) is trusted over the model;
 * slots below RESOLVE_SURE are not taken.
 */
#define RESOLVE_SURE 0.5
#define RESOLVE_NEAR 0.9

static void
drop_unsure(json_t *in)
{
	json_t *slots = json_object_get(in, "slots");
	size_t i = json_array_size(slots);

	while (i-- > 0)
		if (json_number_value(json_object_get(json_array_get(slots, i), "confidence")) <
		    RESOLVE_SURE)
			json_array_remove(slots, i);
}

/* ---- Preferences ---- */

struct prefs {
	json_t *all;		/* holding preferences of the user, newest last */
};

static int
keep_pref(void *ctx, const struct st_pref *p)
{
	struct prefs *c = ctx;

	json_array_append_new(c->all, json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:f,s:I}", "id",
						(json_int_t)p->id, "domain", p->domain, "slot",
						p->slot, "value", p->value, "polarity", p->polarity,
						"source", p->source, "at", p->at, "session",
						(json_int_t)p->session));
	return 0;
}

static int
applies(const struct cat_domain *d, const char *intent, const char *norm, int known)
{
	size_t k;

	for (k = 0; intent && k < d->nintents; k++)
		if (!strcmp(d->intents[k], intent))
			return 1;
	if (known)
		return 0;	/* an intent of another domain: the words do not decide */
	for (k = 0; k < d->ntriggers; k++)
		if (tok_has_phrase(norm, d->triggers[k]))
			return 1;
	return 0;
}

/* Is intent one some domain of the catalog names? */
static int
known_intent(const struct catalog *cat, const char *intent)
{
	size_t d, k;

	for (d = 0; intent && d < cat->ndomains; d++)
		for (k = 0; k < cat->domains[d].nintents; k++)
			if (!strcmp(cat->domains[d].intents[k], intent))
				return 1;
	return 0;
}

static const char *
because(const json_t *p, char *buf, size_t n)
{
	char when[32];

	clock_format(json_number_value(json_object_get(p, "at")), when, sizeof(when));
	snprintf(buf, n, "preference #%lld: %s %s (%s, %s)",
		 (long long)json_integer_value(json_object_get(p, "id")),
		 json_integer_value(json_object_get(p, "polarity")) > 0 ? "likes" : "dislikes",
		 json_string_value(json_object_get(p, "value")),
		 json_string_value(json_object_get(p, "source")), when);
	return buf;
}

static void
change(json_t *changes, const char *slot, const char *value, const char *action,
       const json_t *pref, const char *why)
{
	json_t *c = json_pack("{s:s,s:s,s:s,s:s}", "slot", slot, "value", value, "action", action,
			      "because", why);

	if (pref)
		json_object_set(c, "preference", json_object_get(pref, "id"));
	json_array_append_new(changes, c);
}

/* A disliked value the words ask for is kept: say so. */
static void
kept_despite(const json_t *dislikes, const char *slot, const char *value, json_t *changes)
{
	const json_t *p;
	char why[512], b[256];
	size_t i;

	json_array_foreach(dislikes, i, p) {
		if (!strcmp(value, json_string_value(json_object_get(p, "value")))) {
			snprintf(why, sizeof(why), "asked for in so many words, despite %s",
				 because(p, b, sizeof(b)));
			change(changes, slot, value, "kept", p, why);
		}
	}
}

/*
 * Does result already answer slot?  "city" and "location" are one
 * place: a city the context gave is where the weather is asked for.
 */
static int
slot_taken(const json_t *result, const char *slot)
{
	if (!strcmp(slot, "city") || !strcmp(slot, "location"))
		return json_object_get(result, "city") || json_object_get(result, "location");
	return json_object_get(result, slot) != NULL;
}

static void
apply_domain(const struct catalog *cat, size_t di, const char *norm, const json_t *prefs,
	     json_t *slots, json_t *result, json_t *changes, json_t *ranking, struct strbuf *tmp)
{
	const struct cat_domain *d = &cat->domains[di];
	json_t *likes = json_array(), *dislikes = json_array(), *p, *s, *have = NULL;
	struct cat_hit hit[2];
	int found = 0;
	char why[512];
	size_t i;

	/* Newest first. */
	for (i = json_array_size(prefs); i-- > 0;) {
		p = json_array_get(prefs, i);
		if (strcmp(json_string_value(json_object_get(p, "domain")), d->name))
			continue;
		json_array_append(json_integer_value(json_object_get(p, "polarity")) > 0 ? likes :
				  dislikes, p);
	}
	json_array_foreach(slots, i, s)
		if (!strcmp(json_string_value(json_object_get(s, "type")), d->slot) && !have)
			have = s;
	if (!have && cat_find(cat, norm, (int)di, hit, 2) && hit[0].n == 1) {
		/* The words name a value the slot tagger missed. */
		const char *v = d->values[hit[0].val[0]].value;

		snprintf(why, sizeof(why), "the catalog: the words name %s", v);
		change(changes, d->slot, v, "named", NULL, why);
		json_object_set_new(result, d->slot, json_string(v));
		found = 1;
		kept_despite(dislikes, d->slot, v, changes);
	}
	if (have) {
		/* The words named it: keep it, in the catalog's own name. */
		const char *said = json_string_value(json_object_get(have, "text"));
		const char *value = said;
		struct cat_hit h[2];

		if (said && tok_norm(tmp, said) && cat_find(cat, tmp->buf, (int)di, h, 2) &&
		    h[0].n == 1) {
			value = d->values[h[0].val[0]].value;
			if (strcmp(value, said)) {
				snprintf(why, sizeof(why), "the catalog: \"%s\" is %s", said, value);
				change(changes, d->slot, value, "normalized", NULL, why);
			}
		}
		if (value)
			json_object_set_new(result, d->slot, json_string(value));
		if (value)
			kept_despite(dislikes, d->slot, value, changes);
	} else if (json_array_size(likes) && !found && !slot_taken(result, d->slot)) {
		/* a slot the context answered stays: the request is about here */
		p = json_array_get(likes, 0);
		json_object_set(result, d->slot, json_object_get(p, "value"));
		change(changes, d->slot, json_string_value(json_object_get(p, "value")),
		       d->fill ? "filled" : "preferred", p, because(p, why, sizeof(why)));
	}
	if (!have && !found && (json_array_size(dislikes) || (!d->fill && json_array_size(likes)) ||
		      json_array_size(likes) > 1)) {
		json_t *pre = json_array(), *avoid = json_array();

		json_array_foreach(likes, i, p)
			json_array_append(pre, json_object_get(p, "value"));
		json_array_foreach(dislikes, i, p) {
			json_array_append(avoid, json_object_get(p, "value"));
			change(changes, d->slot, json_string_value(json_object_get(p, "value")),
			       "demoted", p, because(p, why, sizeof(why)));
		}
		json_object_set_new(ranking, d->slot, json_pack("{s:o,s:o}", "prefer", pre,
								 "avoid", avoid));
	}
	json_decref(likes);
	json_decref(dislikes);
}

/* The best accepted rewrite of one scope: the most likely to work, then the newest. */
struct best_rw {
	json_t *found;
};

static int
keep_best(void *ctx, const struct st_rewrite *r)
{
	struct best_rw *b = ctx;
	json_t *prev = b->found, *prov;

	if (prev && json_number_value(json_object_get(prev, "score")) > r->p_after &&
	    r->p_after >= 0)
		return 0;
	json_decref(prev);
	if (!r->provenance || !(prov = jw_parse(r->provenance)))
		prov = json_null();
	b->found = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:o}", "id", (json_int_t)r->id,
			     "from", r->from, "to", r->to, "layer", "precomputed", "scope", r->scope,
			     "user", r->user ? json_string(r->user) : json_null(),
			     "score", r->p_after >= 0 ? json_real(r->p_after) : json_null(),
			     "support", (json_int_t)r->support, "provenance", prov);
	return 0;
}

/*
 * The accepted rewrite of what user said, personal before global, as
 * the "rewrite" of the report; NULL when none fires (or on error, with
 * err set: tell them apart by err->code).  A database without rewrites
 * (an older schema, read-only) has none.
 */
static json_t *
find_rewrite(struct store *st, const char *user, const char *utterance, struct dl_error *err)
{
	struct st_rewrite_query q = { .status = "accepted", .scope = "personal" };
	struct best_rw b = { NULL };
	struct strbuf norm;
	int rc;

	sb_init(&norm);
	tok_norm(&norm, utterance);
	q.from = norm.buf ? norm.buf : "";
	q.user = user;
	rc = store_rewrites_each(st, &q, keep_best, &b, err);
	if (!rc && !b.found) {
		q.scope = "global";
		q.user = NULL;
		rc = store_rewrites_each(st, &q, keep_best, &b, err);
	}
	sb_release(&norm);
	if (rc && err->code == DL_EX_DATAERR)
		dl_error_clear(err);
	return b.found;
}

struct resolver {
	struct store *st;
	const struct catalog *cat;
	struct learn_models lm;
	int models;		/* 1: lm is loaded; 0: the store has none */
	struct rw_index *ix;	/* online rewriting's, loaded when first needed */
	int ix_tried;
};

static int
is_rejected(void *ctx, const struct st_rewrite *r)
{
	const char **want = ctx;

	if (!strcmp(r->to, want[0]) && (!r->user || (want[1] && !strcmp(r->user, want[1]))))
		want[2] = "yes";
	return 0;
}

/* Did a person reject rewriting from into to, for everyone or for user? */
static int
rejected(struct store *st, const char *user, const char *from, const char *to)
{
	struct st_rewrite_query q = { .status = "rejected", .from = from };
	struct dl_error err = { 0 };
	const char *want[3] = { to, user, NULL };

	store_rewrites_each(st, &q, is_rejected, want, &err);
	return want[2] != NULL;
}

/*
 * The online rewrite of what user said, when no precomputed one fired:
 * the report's "rewrite" with layer "online", or NULL (err->code set on
 * an error).
 */
static json_t *
online_rewrite(struct resolver *rs, const char *user, const char *said, struct dl_error *err)
{
	struct rw_hit hit;
	struct strbuf norm;
	json_t *r = NULL;

	if (!rs->ix_tried) {
		rs->ix_tried = 1;
		if (!(rs->ix = rw_index_load(rs->st, err))) {
			if (err->code != DL_EX_DATAERR)
				return NULL;
			dl_error_clear(err);	/* an older schema: no forms */
		}
	}
	if (!rs->ix)
		return NULL;
	sb_init(&norm);
	tok_norm(&norm, said);
	sb_adds(&norm, "");
	if (rw_online(rs->ix, user, norm.buf, &hit) && !rejected(rs->st, user, norm.buf, hit.to))
		r = json_pack("{s:n,s:s,s:s,s:s,s:s,s:o,s:f,s:n,s:n}", "id", "from", norm.buf,
			      "to", hit.to, "layer", "online",
			      "scope", hit.personal ? "personal" : "global",
			      "user", hit.personal ? json_string(user) : json_null(),
			      "score", hit.score, "support", "provenance");
	sb_release(&norm);
	return r;
}

struct resolver *
resolver_new(struct store *st, const struct catalog *cat, struct dl_error *err)
{
	struct resolver *rs = xmalloc(sizeof(*rs));

	memset(rs, 0, sizeof(*rs));
	rs->st = st;
	rs->cat = cat;
	if (!learn_models_load(st, LM_INTENT | LM_SLOTS, 1, &rs->lm, err)) {
		rs->models = 1;
	} else if (err->code == DL_EX_DATAERR) {
		dl_error_clear(err);	/* no models: the closest logged utterance speaks */
	} else {
		free(rs);
		return NULL;
	}
	return rs;
}

void
resolver_free(struct resolver *rs)
{
	if (!rs)
		return;
	if (rs->models)
		learn_models_release(&rs->lm);
	rw_index_free(rs->ix);
	free(rs);
}

json_t *
resolve_utterance(struct store *st, const struct catalog *cat, const char *user,
		  const json_t *sit, const char *said, int no_rewrite, struct dl_error *err)
{
	struct resolver *rs = resolver_new(st, cat, err);
	json_t *r;

	if (!rs)
		return NULL;
	r = resolver_run(rs, user, sit, said, no_rewrite, err);
	resolver_free(rs);
	return r;
}

/* ---- The situation: context for the models and slots it fills ---- */

static int
want_type(const json_t *v, json_type type, const char *path, const char *what, struct dl_error *err)
{
	if (!v || json_is_null(v) || json_typeof(v) == type || (type == JSON_TRUE && json_is_boolean(v)) ||
	    (type == JSON_REAL && json_is_number(v)))
		return 0;
	return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path, "expected %s", what);
}

int
resolve_situation_check(const json_t *s, struct dl_error *err)
{
	const json_t *dv, *cx, *st, *ts;
	const char *k;
	json_t *v;
	double t;

	if (!s)
		return 0;
	if (!json_is_object(s))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "$", "expected an object");
	dv = json_object_get(s, "device");
	cx = json_object_get(s, "context");
	st = json_object_get(s, "device_state");
	ts = json_object_get(s, "ts");
	if (want_type(dv, JSON_OBJECT, "$.device", "an object {type, screen, room}", err) ||
	    want_type(json_object_get(dv, "type"), JSON_STRING, "$.device.type", "a string", err) ||
	    want_type(json_object_get(dv, "screen"), JSON_TRUE, "$.device.screen",
		      "true or false", err) ||
	    want_type(json_object_get(dv, "room"), JSON_STRING, "$.device.room", "a string", err) ||
	    want_type(cx, JSON_OBJECT, "$.context", "an object {location, timezone}", err) ||
	    want_type(json_object_get(cx, "location"), JSON_STRING, "$.context.location",
		      "a string", err) ||
	    want_type(json_object_get(cx, "timezone"), JSON_STRING, "$.context.timezone",
		      "a time zone name, a string", err) ||
	    want_type(st, JSON_OBJECT, "$.device_state", "an object {\"oven\": \"on\"}", err) ||
	    want_type(json_object_get(s, "previous_intent"), JSON_STRING, "$.previous_intent",
		      "an intent, a string", err))
		return -1;
	json_object_foreach((json_t *)st, k, v)
		if (!json_is_string(v) && !json_is_number(v) && !json_is_boolean(v)) {
			char path[300];

			snprintf(path, sizeof(path), "$.device_state.%.200s", k);
			return dl_error_set(err, DL_EX_DATAERR, NULL, 0, path,
					    "expected a string, number or boolean");
		}
	if (ts && fmt_ts_parse(ts, &t))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, "$.ts",
				    "expected Unix seconds or an RFC 3339 time");
	return 0;
}

/* Places that are not a city: the user's home preference answers for them. */
static int
generic_place(const char *v)
{
	static const char *const words[] = { "home", "house", "work", "office", "car", "here" };
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcasecmp(v, words[i]))
			return 1;
	return 0;
}

/*
 * Does intent take a slot of type?  The slot model knows which types
 * occurred with which intent; without one, the catalog's domains do.
 */
static int
takes_slot(const struct resolver *rs, const char *intent, const char *type)
{
	size_t t, d, k;

	if (!intent)
		return 0;
	if (rs->models && rs->lm.slots) {
		int in = str_index((const char *const *)rs->lm.slot_intents.v, rs->lm.slot_intents.n,
				   intent);

		for (t = 0; t < slots_ntypes(rs->lm.slots); t++)
			if (!strcmp(slots_type_name(rs->lm.slots, t), type))
				return slots_type_seen(rs->lm.slots, in, t);
		return 0;
	}
	for (d = 0; d < rs->cat->ndomains; d++)
		for (k = 0; !strcmp(rs->cat->domains[d].slot, type) && k < rs->cat->domains[d].nintents; k++)
			if (!strcmp(rs->cat->domains[d].intents[k], intent))
				return 1;
	return 0;
}

/*
 * Slots the words leave open that the situation answers: the room of
 * the device for a "room" slot, the device's location (a city) for a
 * "city" or "location" slot.  Before the preferences, which fill only
 * what is still open (the user's home answers when the device is at
 * "home" or says nothing).
 */
static void
context_fills(const struct resolver *rs, const char *intent, const json_t *sit, json_t *result,
	      json_t *changes)
{
	const json_t *dv = json_object_get(sit, "device"), *cx = json_object_get(sit, "context");
	const char *room = json_string_value(json_object_get(dv, "room"));
	const char *loc = json_string_value(json_object_get(cx, "location"));
	static const char *const places[] = { "city", "location" };
	char why[300];
	size_t i;

	if (!room)
		room = json_string_value(json_object_get(cx, "room"));
	if (room && *room && !json_object_get(result, "room") && takes_slot(rs, intent, "room")) {
		snprintf(why, sizeof(why), "context: the device is in the %s", room);
		json_object_set_new(result, "room", json_string(room));
		change(changes, "room", room, "context", NULL, why);
	}
	if (!loc || !*loc || generic_place(loc))
		return;
	for (i = 0; i < 2; i++)
		if (!slot_taken(result, places[i]) && takes_slot(rs, intent, places[i])) {
			snprintf(why, sizeof(why), "context: the device is in %s", loc);
			json_object_set_new(result, places[i], json_string(loc));
			change(changes, places[i], loc, "context", NULL, why);
			break;
		}
}

/* ---- Habits: below the stated preferences ---- */

/* A preference the user forgot (revoked, not replaced by a newer one): its slot and value. */
static int
keep_forgotten(void *ctx, const struct st_pref *p)
{
	json_t *out = ctx;

	if (p->revoked_at > 0 && !p->replaced_by)
		json_array_append_new(out, json_pack("{s:s,s:s}", "slot", p->slot, "value", p->value));
	return 0;
}

/* Does prefs (holding preferences, or forgotten ones) name value for slot, with polarity (0: any)? */
static int
names(const json_t *prefs, const char *slot, const char *value, int polarity)
{
	const json_t *p;
	size_t i;

	json_array_foreach(prefs, i, p)
		if (!strcmp(json_string_value(json_object_get(p, "slot")), slot) &&
		    (!value || !strcasecmp(json_string_value(json_object_get(p, "value")), value)) &&
		    (!polarity || json_integer_value(json_object_get(p, "polarity")) == polarity))
			return 1;
	return 0;
}

/* value in the catalog's own name, when a domain of slot knows it; else as learnt. */
static const char *
canonical(const struct catalog *cat, const char *slot, const char *value)
{
	struct cat_hit h[2];
	size_t d;

	for (d = 0; d < cat->ndomains; d++)
		if (!strcmp(cat->domains[d].slot, slot) && cat_find(cat, value, (int)d, h, 2) &&
		    h[0].n == 1 && h[0].start == 0)
			return cat->domains[d].values[h[0].val[0]].value;
	return value;
}

/*
 * Slots still open after the context and the preferences that the
 * user's habits answer (habits.h).  A stated preference wins: no habit
 * fills a slot the user stated likes for (that ranks or fills by
 * itself), nor with a value they dislike or forgot.
 */
static int
habit_fills(struct resolver *rs, const char *user, const char *intent, const char *ctx,
	    const json_t *prefs, json_t *result, json_t *changes, struct dl_error *err)
{
	json_t *found = habits_for(rs->st, user, intent, ctx, err), *h, *forgot;
	const char *slot;
	char why[300];

	if (!found)
		return -1;
	forgot = json_array();
	if (json_object_size(found) && store_prefs_each(rs->st, user, 1, keep_forgotten, forgot, err)) {
		json_decref(found);
		json_decref(forgot);
		return -1;
	}
	json_object_foreach(found, slot, h) {
		const char *v = canonical(rs->cat, slot, json_string_value(json_object_get(h, "value")));

		if (slot_taken(result, slot) || names(prefs, slot, NULL, 1) ||
		    names(prefs, slot, v, -1) || names(forgot, slot, v, 0))
			continue;
		habits_say(h, why, sizeof(why));
		json_object_set_new(result, slot, json_string(v));
		change(changes, slot, v, "habit", NULL, why);
	}
	json_decref(found);
	json_decref(forgot);
	return 0;
}

/* The situation's context as model features, and its description for the report. */
static void
situation_ctx(const json_t *sit, struct ctx *c, json_t *report)
{
	json_t *feats = json_array();
	const char *f;
	char buf[CTX_FEAT + 40];

	ctx_from_json(c, json_object_get(sit, "device"), json_object_get(sit, "context"),
		      json_object_get(sit, "ts"), json_object_get(sit, "device_state"),
		      json_string_value(json_object_get(sit, "previous_intent")));
	for (f = ctx_list(c); f; f = ctx_next(f)) {
		ctx_describe(f, buf, sizeof(buf));
		json_array_append_new(feats, json_string(buf));
	}
	json_object_set_new(report, "context", json_pack("{s:o,s:n}", "features", feats, "intent"));
}

json_t *
resolver_run(struct resolver *rs, const char *user, const json_t *sit, const char *said,
	     int no_rewrite, struct dl_error *err)
{
	const char *device = json_string_value(json_object_get(json_object_get(sit, "device"),
								"type"));
	struct ctx cx;
	struct store *st = rs->st;
	const struct catalog *cat = rs->cat;
	const char *utterance = said;
	json_t *rw = NULL;
	struct prefs pc = { json_array() };
	struct strbuf norm, tmp;
	json_t *r, *in, *slots, *result, *changes, *ranking, *s;
	const char *intent;
	size_t d, i;
	int known;

	if (utf8_invalid_at(utterance, strlen(utterance)) >= 0) {
		json_decref(pc.all);
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "the utterance is not valid UTF-8");
		return NULL;
	}
	if (resolve_situation_check(sit, err)) {
		json_decref(pc.all);
		return NULL;
	}
	if (!no_rewrite && !(rw = find_rewrite(st, user, said, err)) &&
	    (err->code || (!(rw = online_rewrite(rs, user, said, err)) && err->code))) {
		json_decref(pc.all);
		return NULL;
	}
	r = json_pack("{s:s,s:s}", "user", user, "utterance", said);
	json_object_set_new(r, "device", device ? json_string(device) : json_null());
	json_object_set_new(r, "rewrite", rw ? rw : json_null());
	if (rw)	/* the rewritten words are what the models hear */
		utterance = json_string_value(json_object_get(rw, "to"));
	situation_ctx(sit, &cx, r);
	if (rs->models) {
		const struct learn_models *lm = &rs->lm;
		json_t *moved = learn_context_effect(lm->intent, utterance, ctx_list(&cx), NULL);
		char src[128];

		in = learn_interpret(lm, utterance, ctx_list(&cx));
		if (moved)
			json_object_set_new(json_object_get(r, "context"), "intent",
					    json_pack("{s:O,s:O,s:O}", "value",
						      json_object_get(in, "intent"), "without",
						      json_object_get(moved, "without"), "because",
						      json_object_get(moved, "because")));
		json_decref(moved);
		snprintf(src, sizeof(src), "model:intent@%d%s", lm->intent_version,
			 lm->slots ? "" : " (no slot model)");
		if (lm->slots && lm->intent)
			snprintf(src, sizeof(src), "model:intent@%d, model:slots@%d",
				 lm->intent_version, lm->slots_version);
		else if (lm->slots)
			snprintf(src, sizeof(src), "model:slots@%d (no intent model)", lm->slots_version);
		json_object_set_new(in, "source", json_string(src));
		drop_unsure(in);
		if (!(json_number_value(json_object_get(in, "confidence")) >= RESOLVE_SURE)) {
			/* The model is unsure: a logged utterance this close knows better. */
			json_t *near = from_closest(st, user, device, ctx_list(&cx), utterance, r, err), *c;

			if (!near) {
				json_decref(in);
				json_decref(r);
				json_decref(pc.all);
				return NULL;
			}
			c = json_object_get(r, "closest");
			if (json_number_value(json_object_get(c, "similarity")) >= RESOLVE_NEAR &&
			    json_object_get(near, "intent")) {
				snprintf(src, sizeof(src), "the live NLU of the closest logged utterance"
					 " (the model said %s at %.2f)",
					 json_string_value(json_object_get(in, "intent")),
					 json_number_value(json_object_get(in, "confidence")));
				json_object_set_new(near, "source", json_string(src));
				json_decref(in);
				in = near;
			} else {
				json_decref(near);
				json_object_del(r, "closest");
			}
		}
	} else if (!(in = from_closest(st, user, device, ctx_list(&cx), utterance, r, err))) {
		json_decref(r);
		json_decref(pc.all);
		return NULL;
	}
	json_object_set_new(r, "interpretation", in);
	if (store_prefs_each(st, user, 0, keep_pref, &pc, err)) {
		json_decref(r);
		json_decref(pc.all);
		return NULL;
	}
	intent = json_string_value(json_object_get(in, "intent"));
	slots = json_object_get(in, "slots");
	result = json_object();
	changes = json_array();
	ranking = json_object();
	json_array_foreach(slots, i, s)
		json_object_set(result, json_string_value(json_object_get(s, "type")),
				json_object_get(s, "text"));
	sb_init(&norm);
	sb_init(&tmp);
	tok_norm(&norm, utterance);
	known = known_intent(cat, intent);
	context_fills(rs, intent, sit, result, changes);
	for (d = 0; d < cat->ndomains; d++)
		if (applies(&cat->domains[d], intent, norm.buf ? norm.buf : "", known))
			apply_domain(cat, d, norm.buf ? norm.buf : "", pc.all, slots, result, changes,
				     ranking, &tmp);
	sb_release(&norm);
	sb_release(&tmp);
	if (habit_fills(rs, user, intent, ctx_list(&cx), pc.all, result, changes, err)) {
		json_decref(changes);
		json_decref(ranking);
		json_decref(result);
		json_decref(r);
		json_decref(pc.all);
		return NULL;
	}
	json_object_set_new(r, "changes", changes);
	json_object_set_new(r, "ranking", ranking);
	json_object_set_new(r, "result", json_pack("{s:o,s:o}", "intent",
						   intent ? json_string(intent) : json_null(),
						   "slots", result));
	json_object_set_new(r, "preferences", json_integer((json_int_t)json_array_size(pc.all)));
	json_decref(pc.all);
	return r;
}

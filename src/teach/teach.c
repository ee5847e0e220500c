#include "dialab/teach.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"
#include "dialab/jsonw.h"
#include "dialab/rewrite.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"

/* ---- Understanding one statement ---- */

enum frame { FR_NONE, FR_LIKE, FR_DISLIKE, FR_HOME };

/* Statement openings, longest first within a polarity. */
static const struct {
	const char *words;
	enum frame frame;
} frames[] = {
	{ "i'm not a big fan of", FR_DISLIKE }, { "i am not a big fan of", FR_DISLIKE },
	{ "i'm not a fan of", FR_DISLIKE }, { "i am not a fan of", FR_DISLIKE },
	{ "i don't really like", FR_DISLIKE }, { "i do not really like", FR_DISLIKE },
	{ "i don't like", FR_DISLIKE }, { "i do not like", FR_DISLIKE },
	{ "i dont like", FR_DISLIKE }, { "i don't love", FR_DISLIKE },
	{ "i don't care for", FR_DISLIKE }, { "i don't want", FR_DISLIKE },
	{ "i do not want", FR_DISLIKE }, { "i don't listen to", FR_DISLIKE },
	{ "i never listen to", FR_DISLIKE }, { "i can't stand", FR_DISLIKE },
	{ "i cant stand", FR_DISLIKE }, { "i'm not into", FR_DISLIKE },
	{ "i am not into", FR_DISLIKE }, { "i'm tired of", FR_DISLIKE },
	{ "i'm not a", FR_DISLIKE }, { "i am not a", FR_DISLIKE },
	{ "not a fan of", FR_DISLIKE }, { "i hate", FR_DISLIKE }, { "i dislike", FR_DISLIKE },
	{ "i detest", FR_DISLIKE }, { "no more", FR_DISLIKE }, { "never play", FR_DISLIKE },
	{ "never suggest", FR_DISLIKE }, { "don't play", FR_DISLIKE },
	{ "don't suggest", FR_DISLIKE }, { "don't give me", FR_DISLIKE },
	{ "my home is in", FR_HOME }, { "my home is", FR_HOME }, { "my home town is", FR_HOME },
	{ "my hometown is", FR_HOME }, { "my home location is", FR_HOME },
	{ "set my home to", FR_HOME }, { "set home to", FR_HOME }, { "i live in", FR_HOME },
	{ "we live in", FR_HOME }, { "i'm based in", FR_HOME }, { "i am based in", FR_HOME },
	{ "i'm located in", FR_HOME }, { "home is in", FR_HOME }, { "home is", FR_HOME },
	{ "i'm a big fan of", FR_LIKE }, { "i am a big fan of", FR_LIKE },
	{ "i'm a huge fan of", FR_LIKE }, { "i'm a fan of", FR_LIKE }, { "i am a fan of", FR_LIKE },
	{ "big fan of", FR_LIKE }, { "i really like", FR_LIKE }, { "i really love", FR_LIKE },
	{ "i'd like", FR_LIKE }, { "i like", FR_LIKE }, { "i love", FR_LIKE },
	{ "i enjoy", FR_LIKE }, { "i prefer", FR_LIKE }, { "i follow", FR_LIKE },
	{ "i root for", FR_LIKE }, { "i cheer for", FR_LIKE }, { "i support", FR_LIKE },
	{ "i listen to", FR_LIKE }, { "i'm into", FR_LIKE }, { "i am into", FR_LIKE },
	{ "i want", FR_LIKE }, { "i'm a", FR_LIKE }, { "i am a", FR_LIKE },
	{ "my favorite", FR_LIKE }, { "my favourite", FR_LIKE }, { "set units to", FR_LIKE },
	{ "set the units to", FR_LIKE }, { "show temperatures in", FR_LIKE },
	{ "temperatures in", FR_LIKE }, { "switch to", FR_LIKE }, { "always use", FR_LIKE },
	{ "use", FR_LIKE }, { "go", FR_LIKE },
};

/* Words that turn a bare answer or a "but ..." part into a dislike. */
static const char *const negators[] = {
	"not", "no", "never", "don't", "dont", "hate", "nothing", "none", "without",
};

/* Filler dropped before guessing at a misspelling. */
static const char *const filler[] = {
	"a", "an", "the", "of", "fan", "fans", "big", "huge", "team", "teams", "food", "foods",
	"restaurant", "restaurants", "cuisine", "music", "songs", "song", "news", "please",
	"really", "very", "much", "lot", "too", "also", "is", "my", "favorite", "favourite",
	"and", "or", "but", "in", "to", "for", "i", "it", "that", "this", "kind", "stuff",
};

static int
in_list(const char *w, size_t n, const char *const *list, size_t nlist)
{
	size_t i;

	for (i = 0; i < nlist; i++)
		if (strlen(list[i]) == n && !strncmp(list[i], w, n))
			return 1;
	return 0;
}

#define IN(w, n, list) in_list(w, n, list, sizeof(list) / sizeof(list[0]))

/* Does norm start with the words of p?  Returns the length matched, or 0. */
static size_t
starts_with(const char *norm, const char *p)
{
	size_t n = strlen(p);

	if (strncmp(norm, p, n) || (norm[n] && norm[n] != ' '))
		return 0;
	return n;
}

/* The domains the statement's hint words point to, as a bit set. */
static unsigned
hinted(const struct catalog *cat, const char *norm)
{
	unsigned m = 0;
	size_t d, h;

	for (d = 0; d < cat->ndomains && d < 32; d++)
		for (h = 0; h < cat->domains[d].nhints; h++)
			if (tok_has_phrase(norm, cat->domains[d].hints[h]))
				m |= 1u << d;
	return m;
}

/* The domain home statements go to: open, with a "home" or "live" hint. */
static int
home_domain(const struct catalog *cat)
{
	size_t d, h;
	int first = -1;

	for (d = 0; d < cat->ndomains; d++) {
		if (!cat->domains[d].open)
			continue;
		if (first < 0)
			first = (int)d;
		for (h = 0; h < cat->domains[d].nhints; h++)
			if (!strcmp(cat->domains[d].hints[h], "home") ||
			    !strcmp(cat->domains[d].hints[h], "live"))
				return (int)d;
	}
	return first;
}

/* Strip filler words from norm into out. */
static void
strip_filler(const char *norm, struct strbuf *out)
{
	const char *p = norm;

	sb_reset(out);
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (!IN(p, n, filler)) {
			if (out->len)
				sb_addc(out, ' ');
			sb_add(out, p, n);
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	if (!out->buf)
		sb_adds(out, "");
}

/* Keep the choices of a hit that fall in the hinted domains, when some do. */
static void
add_hit(struct tp_result *r, const struct cat_hit *h, int polarity, unsigned hint)
{
	struct tp_item *it;
	size_t i, k = 0;

	if (r->n >= sizeof(r->item) / sizeof(r->item[0]))
		return;
	it = &r->item[r->n];
	memset(it, 0, sizeof(*it));
	for (i = 0; i < h->n; i++)
		if (hint & (1u << h->dom[i]))
			k++;
	for (i = 0; i < h->n; i++) {
		if (k && h->dom[i] < 32 && !(hint & (1u << h->dom[i])))
			continue;
		it->alt_dom[it->nalt] = h->dom[i];
		it->alt_val[it->nalt++] = h->val[i];
	}
	/* One value twice (an alias of it in two hinted domains) is not a choice. */
	it->dom = (int)it->alt_dom[0];
	it->val = (int)it->alt_val[0];
	it->polarity = polarity;
	for (i = 0; i < r->n; i++)
		if (r->item[i].dom == it->dom && r->item[i].val == it->val && it->nalt == 1)
			return;
	r->n++;
}

/* The values named in norm, with polarity; "but not X" flips it for X. */
static void
find_values(const struct catalog *cat, const char *norm, int dom, int polarity, unsigned hint,
	    struct tp_result *r)
{
	struct strbuf part;
	const char *p = norm;

	sb_init(&part);
	while (*p) {
		const char *but = strstr(p, " but ");
		size_t n = but ? (size_t)(but - p) : strlen(p), w;
		struct cat_hit hits[8];
		size_t nh, i;
		int pol = polarity;

		sb_reset(&part);
		sb_add(&part, p, n);
		w = strcspn(part.buf, " ");
		if (p != norm) {
			/* "... but not X", "... but I like X" */
			size_t f, off = 0;

			for (f = 0; f < sizeof(frames) / sizeof(frames[0]) && !off; f++)
				if ((off = starts_with(part.buf, frames[f].words)) &&
				    frames[f].frame != FR_HOME)
					pol = frames[f].frame == FR_DISLIKE ? -1 : 1;
			if (!off && IN(part.buf, w, negators))
				pol = -polarity;
		}
		nh = cat_find(cat, part.buf, dom, hits, 8);
		for (i = 0; i < nh; i++)
			add_hit(r, &hits[i], pol, hint);
		p += n;
		if (but)
			p += 5;
	}
	sb_release(&part);
}

/* The open value after word k of text, as written, without end punctuation. */
static void
open_value(const char *text, size_t k, char *out, size_t max)
{
	struct tok_list tl;
	size_t i, w = 0, start = 0, end = 0;
	int seen = 0;

	tok_list_init(&tl);
	tok_split(&tl, text);
	for (i = 0; i < tl.n; i++) {
		if (tl.v[i].kind != TOK_WORD)
			continue;
		if (w++ == k && !seen) {
			start = tl.v[i].byte_start;
			seen = 1;
		}
		if (seen)
			end = tl.v[i].byte_end;
	}
	tok_list_release(&tl);
	if (!seen || end - start >= max) {
		out[0] = 0;
		return;
	}
	memcpy(out, text + start, end - start);
	out[end - start] = 0;
}

static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (; *s; n++) {
		s += strcspn(s, " ");
		s += strspn(s, " ");
	}
	return n;
}

void
teach_understand(const struct catalog *cat, const char *text, int dom, struct tp_result *r)
{
	struct strbuf norm, rest;
	enum frame fr = FR_NONE;
	size_t i, off = 0, nw;
	unsigned hint;
	int polarity = 1;

	memset(r, 0, sizeof(*r));
	sb_init(&norm);
	sb_init(&rest);
	nw = tok_norm(&norm, text);
	if (!nw) {
		r->kind = TP_UNKNOWN;
		snprintf(r->msg, sizeof(r->msg), "say what you like or dislike, e.g. \"I'm a Warriors fan\"");
		goto out;
	}
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		if ((off = starts_with(norm.buf, frames[i].words))) {
			fr = frames[i].frame;
			break;
		}
	}
	if (fr == FR_NONE && dom >= 0) {
		/* A bare answer to a question about one domain. */
		size_t w = strcspn(norm.buf, " ");

		if (IN(norm.buf, w, negators))
			polarity = -1;
	} else if (fr == FR_DISLIKE) {
		polarity = -1;
	}
	while (norm.buf[off] == ' ')
		off++;
	sb_adds(&rest, norm.buf + off);
	hint = hinted(cat, norm.buf);
	if (fr == FR_HOME) {
		int h = home_domain(cat);

		if (h < 0) {
			r->kind = TP_UNKNOWN;
			snprintf(r->msg, sizeof(r->msg), "this catalog has no home location");
			goto out;
		}
		dom = h;
	}
	find_values(cat, rest.len ? rest.buf : "", dom, polarity, hint, r);
	if (r->n && (fr != FR_NONE || dom >= 0)) {
		r->kind = TP_PREFS;
		goto out;
	}
	if (r->n) {
		r->kind = TP_VALUE_ONLY;
		goto out;
	}
	/* An open domain takes what was said as it is. */
	if (dom >= 0 && cat->domains[dom].open && (fr == FR_HOME || fr == FR_NONE) && polarity > 0) {
		struct tp_item *it = &r->item[0];

		memset(it, 0, sizeof(*it));
		open_value(text, count_words(norm.buf) - count_words(rest.buf), it->open,
			   sizeof(it->open));
		if (it->open[0]) {
			it->dom = dom;
			it->val = -1;
			it->nalt = 1;
			it->polarity = 1;
			r->n = 1;
			r->kind = TP_PREFS;
			goto out;
		}
	}
	if (fr == FR_NONE && dom < 0) {
		r->kind = TP_UNKNOWN;
		snprintf(r->msg, sizeof(r->msg), "I did not understand that");
		goto out;
	}
	strip_filler(rest.len ? rest.buf : "", &norm);
	{
		unsigned d, v;
		int dist;

		if (norm.len && cat_suggest(cat, norm.buf, dom, &d, &v, &dist)) {
			struct tp_item *it = &r->item[0];

			memset(it, 0, sizeof(*it));
			it->dom = (int)d;
			it->val = (int)v;
			it->nalt = 1;
			it->alt_dom[0] = d;
			it->alt_val[0] = v;
			it->polarity = polarity;
			r->n = 1;
			r->kind = TP_SUGGEST;
			goto out;
		}
	}
	r->kind = TP_UNKNOWN;
	if (norm.len)
		snprintf(r->msg, sizeof(r->msg), "\"%.80s\" is not in the %s catalog", norm.buf,
			 dom >= 0 ? cat->domains[dom].title : "preference");
	else
		snprintf(r->msg, sizeof(r->msg), "I did not catch what you %s",
			 polarity > 0 ? "like" : "dislike");
out:
	sb_release(&norm);
	sb_release(&rest);
}

static const char *
value_name(const struct catalog *cat, const struct tp_item *it)
{
	return it->val < 0 ? it->open : cat->domains[it->dom].values[it->val].value;
}

void
teach_describe(const struct catalog *cat, const struct tp_item *it, char *buf, size_t n)
{
	const struct cat_domain *d = &cat->domains[it->dom];
	const char *g = it->val >= 0 ? d->values[it->val].group : NULL;

	if (d->single && it->polarity > 0)
		snprintf(buf, n, "your %s: %s", d->title, value_name(cat, it));
	else
		snprintf(buf, n, "you %s %s (%s%s%s)", it->polarity > 0 ? "like" : "don't like",
			 value_name(cat, it), d->title, g ? ", " : "", g ? g : "");
}

/* ---- Sessions ---- */

enum t_state { TS_IDLE, TS_CONFIRM, TS_CHOOSE, TS_ENDED };

enum undo_kind { U_STORED, U_FORGOT };

/* One change of a session, for undo and redo. */
struct undo {
	enum undo_kind kind;
	int64_t ids[64];	/* U_STORED: the nnew new ones, then those they replaced */
	int64_t by[64];		/* U_STORED: the new one that replaced ids[i] (i >= nnew) */
	size_t n, nnew;
	int64_t feedback;	/* the feedback record of the change */
	char what[256];		/* the values, for messages */
};

struct teach {
	struct store *st;
	struct teach_opts o;
	int64_t session;
	json_t *ev;		/* the event being built */
	enum t_state state;
	struct tp_result pending;	/* confirm / choose */
	size_t choose_at;	/* the item being chosen */
	const char *pending_text;	/* what the user said, for feedback */
	char *said;
	/* guided */
	json_t *gdomains, *gdone;
	size_t gcur;		/* index into gdomains; == size: done */
	int guiding;
	/* moments */
	json_t *moments;
	size_t mcur;
	int in_moment;
	struct undo *undo, *redo;	/* changes to undo; undone ones to redo */
	size_t nundo, nredo;
	long nstored, nrevoked;
	const char **words;
	size_t nwords;
	char prompt[64];
};

static void
say(struct teach *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(json_object_get(t->ev, "output"), json_string(buf));
}

static void
event_new(struct teach *t)
{
	t->ev = json_pack("{s:o,s:o,s:o,s:o,s:o}", "output", json_array(), "stored", json_array(),
			  "revoked", json_array(), "restored", json_array(), "feedback",
			  json_array());
}

static const char *
state_name(const struct teach *t)
{
	if (t->state == TS_ENDED)
		return "ended";
	if (t->state == TS_CONFIRM)
		return "confirm";
	if (t->state == TS_CHOOSE)
		return "choose";
	if (t->in_moment)
		return "moment";
	if (t->guiding)
		return "guided";
	return "idle";
}

json_t *
teach_event(struct teach *t)
{
	json_t *e = t->ev;

	json_object_set_new(e, "state", json_string(state_name(t)));
	event_new(t);
	return e;
}

/* The current moment, when one is being asked. */
static json_t *
moment(const struct teach *t)
{
	return t->in_moment ? json_array_get(t->moments, t->mcur) : NULL;
}

/* The domain the next answer is read in: the guided question's or the moment's. */
static int
asked_domain(const struct teach *t)
{
	json_t *m = moment(t);
	const char *d = NULL;

	if (m)
		d = json_string_value(json_object_get(m, "domain"));
	else if (t->guiding)
		d = json_string_value(json_array_get(t->gdomains, t->gcur));
	else if (t->o.has_in_domain)
		return t->o.in_domain;
	return d ? cat_domain_find(t->o.cat, d) : -1;
}

static void
save_guided(struct teach *t, int ended, struct dl_error *err)
{
	json_t *s;
	char *txt;

	if (!t->gdomains)
		return;
	s = json_pack("{s:O,s:O}", "domains", t->gdomains, "done", t->gdone);
	txt = json_dumps(s, JSON_COMPACT);
	json_decref(s);
	store_session_save(t->st, t->session, txt, ended, err);
	free(txt);
}

static void
ask_moment(struct teach *t)
{
	json_t *m = json_array_get(t->moments, t->mcur), *e;
	size_t i;

	say(t, "Moment %zu of %zu: dialogue %s (%s)", t->mcur + 1, json_array_size(t->moments),
	    json_string_value(json_object_get(m, "dialogue")),
	    json_string_value(json_object_get(m, "summary")));
	json_array_foreach(json_object_get(m, "evidence"), i, e) {
		const char *fp = json_string_value(json_object_get(e, "failure_point"));
		const char *resp = json_string_value(json_object_get(e, "response"));

		say(t, "  [%s] you: \"%s\"%s%s", json_string_value(json_object_get(e, "time")),
		    json_string_value(json_object_get(e, "text")),
		    fp ? "  failure point: " : "", fp ? fp : "");
		if (resp && *resp)	/* barge_in: the next turn cut this response short */
			say(t, "      assistant: \"%s\"%s", resp,
			    json_is_true(json_object_get(e, "barge_in")) ? " (you cut it off)" : "");
	}
	say(t, "%s", json_string_value(json_object_get(m, "question")));
}

static int
guided_domain_ok(const struct teach *t, size_t i)
{
	const char *d = json_string_value(json_array_get(t->gdomains, i));
	size_t k;
	json_t *v;

	json_array_foreach(t->gdone, k, v)
		if (!strcmp(json_string_value(v), d))
			return 0;
	return 1;
}

/* Ask what comes next: the next moment, the next guided question, or nothing. */
static void
next_question(struct teach *t)
{
	if (t->in_moment) {
		t->mcur++;
		if (t->mcur < json_array_size(t->moments)) {
			ask_moment(t);
			return;
		}
		t->in_moment = 0;
		say(t, "That was the last moment.%s", t->guiding ? "" :
		    " Tell me anything else you like or dislike, or say quit.");
	}
	if (!t->guiding)
		return;
	while (t->gcur < json_array_size(t->gdomains) && !guided_domain_ok(t, t->gcur))
		t->gcur++;
	if (t->gcur < json_array_size(t->gdomains)) {
		int d = cat_domain_find(t->o.cat, json_string_value(json_array_get(t->gdomains,
										    t->gcur)));
		say(t, "(%zu/%zu) %s", json_array_size(t->gdone) + 1, json_array_size(t->gdomains),
		    t->o.cat->domains[d].question);
		return;
	}
	t->guiding = 0;
	say(t, "That's all the questions: thank you. Tell me anything else, or say quit.");
}

/* The guided question was answered or skipped: record it and move on. */
static void
guided_done(struct teach *t, struct dl_error *err)
{
	if (!t->guiding || t->in_moment)
		return;
	json_array_append(t->gdone, json_array_get(t->gdomains, t->gcur));
	t->gcur++;
	save_guided(t, 0, err);
}

/* o as compact JSON text (free() it), dropping the reference to o. */
static char *
dump_new(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	return s;
}

/* Put u on top of a stack of changes. */
static void
stack_push(struct undo **stack, size_t *n, const struct undo *u)
{
	*stack = xrealloc(*stack, (*n + 1) * sizeof(**stack));
	(*stack)[(*n)++] = *u;
}

/* A new change: it can be undone, and what was undone before cannot be redone. */
static void
push_undo(struct teach *t, enum undo_kind k, const int64_t *ids, const int64_t *by, size_t n,
	  size_t nnew, int64_t fb, const char *what)
{
	struct undo u;

	memset(&u, 0, sizeof(u));
	u.kind = k;
	u.n = n < 64 ? n : 64;
	u.nnew = nnew;
	memcpy(u.ids, ids, u.n * sizeof(*ids));
	if (by)
		memcpy(u.by, by, u.n * sizeof(*by));
	u.feedback = fb;
	snprintf(u.what, sizeof(u.what), "%s", what);
	stack_push(&t->undo, &t->nundo, &u);
	t->nredo = 0;
}

json_t *
teach_pref_json(const struct st_pref *p)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:f}", "id", (json_int_t)p->id, "user",
			      p->user, "domain", p->domain, "slot", p->slot, "value", p->value,
			      "polarity", p->polarity > 0 ? "like" : "dislike", "source", p->source,
			      "at", p->at);

	json_object_set_new(o, "session", p->session ? json_integer(p->session) : json_null());
	json_object_set_new(o, "revoked_at", p->revoked_at > 0 ? json_real(p->revoked_at) :
			    json_null());
	json_object_set_new(o, "replaced_by", p->replaced_by ? json_integer(p->replaced_by) :
			    json_null());
	return o;
}

/* Fill the provenance of a feedback record: the session, and the moment if any. */
static void
feedback_init(struct teach *t, struct st_feedback *f, const char *kind, const char *text,
	      char **turns)
{
	json_t *m = moment(t);

	memset(f, 0, sizeof(*f));
	f->user = t->o.user;
	f->operator_ = t->o.operator_;
	f->session = t->session;
	f->kind = kind;
	f->text = text;
	*turns = NULL;
	if (m) {
		f->dialogue = json_string_value(json_object_get(m, "dialogue"));
		*turns = json_dumps(json_object_get(m, "turns"), JSON_COMPACT);
		f->turns = *turns;
	}
}

/* Store the understood items, each with its feedback record, in one transaction. */
static int
store_items(struct teach *t, const struct tp_result *r, const char *text, struct dl_error *err)
{
	const char *source = moment(t) ? "moment" : t->guiding ? "guided" : "stated";
	json_t *stored = json_array(), *revoked = json_array();
	int64_t newids[8], oldids[56], oldby[56];
	size_t nnew = 0, nold = 0;
	int64_t fb = 0;
	char desc[300];
	size_t i, k;

	if (store_begin(t->st, err)) {
		json_decref(stored);
		json_decref(revoked);
		return -1;
	}
	for (i = 0; i < r->n; i++) {
		const struct tp_item *it = &r->item[i];
		const struct cat_domain *d = &t->o.cat->domains[it->dom];
		struct st_pref p = {
			.user = t->o.user, .domain = d->name, .slot = d->slot,
			.value = value_name(t->o.cat, it), .polarity = it->polarity,
			.source = source, .session = t->session,
		};
		struct st_feedback f;
		int64_t ids[64];
		size_t nrep;
		char *turns, *val;
		json_t *pj;

		if (store_pref_add(t->st, &p, d->single && it->polarity > 0, ids + 1, 63, &nrep,
				   err))
			goto fail;
		ids[0] = p.id;
		pj = teach_pref_json(&p);
		val = json_dumps(pj, JSON_COMPACT | JSON_SORT_KEYS);
		feedback_init(t, &f, "prefer", text, &turns);
		f.value = val;
		f.pref = p.id;
		k = (size_t)store_feedback_add(t->st, &f, err);
		free(val);
		free(turns);
		if (k) {
			json_decref(pj);
			goto fail;
		}
		if (nnew < 8)
			newids[nnew++] = p.id;
		fb = f.id;
		json_array_append_new(stored, pj);
		for (k = 0; k < nrep && k < 63; k++) {
			json_array_append_new(revoked, json_integer(ids[1 + k]));
			if (nold < 56) {
				oldby[nold] = p.id;
				oldids[nold++] = ids[1 + k];
			}
		}
		json_array_append_new(json_object_get(t->ev, "feedback"), json_integer(f.id));
	}
	if (store_commit(t->st, err))
		goto fail;
	{
		int64_t all[64], by[64];
		struct strbuf what;

		memset(by, 0, sizeof(by));
		memcpy(all, newids, nnew * sizeof(*all));
		memcpy(all + nnew, oldids, nold * sizeof(*all));
		memcpy(by + nnew, oldby, nold * sizeof(*by));
		sb_init(&what);
		for (i = 0; i < r->n; i++)
			sb_addf(&what, "%s%s", i ? ", " : "", value_name(t->o.cat, &r->item[i]));
		push_undo(t, U_STORED, all, by, nnew + nold, nnew, fb, what.buf ? what.buf : "");
		sb_release(&what);
	}
	for (i = 0; i < r->n; i++) {
		teach_describe(t->o.cat, &r->item[i], desc, sizeof(desc));
		say(t, "Saved: %s.", desc);
	}
	if (json_array_size(revoked))
		say(t, "(That replaces %zu earlier preference%s; 'undo' brings %s back.)",
		    json_array_size(revoked), json_array_size(revoked) == 1 ? "" : "s",
		    json_array_size(revoked) == 1 ? "it" : "them");
	t->nstored += (long)r->n;
	t->nrevoked += (long)json_array_size(revoked);
	json_array_extend(json_object_get(t->ev, "stored"), stored);
	json_array_extend(json_object_get(t->ev, "revoked"), revoked);
	json_decref(stored);
	json_decref(revoked);
	return 0;
fail:
	store_rollback(t->st);
	json_decref(stored);
	json_decref(revoked);
	json_array_clear(json_object_get(t->ev, "feedback"));
	return -1;
}

static void
show_choices(struct teach *t)
{
	const struct tp_item *it = &t->pending.item[t->choose_at];
	unsigned i;

	say(t, "Which one do you mean?");
	for (i = 0; i < (unsigned)it->nalt; i++) {
		const struct cat_domain *d = &t->o.cat->domains[it->alt_dom[i]];
		const struct cat_value *v = &d->values[it->alt_val[i]];

		say(t, "  %u. %s (%s%s%s)", i + 1, v->value, d->title, v->group ? ", " : "",
		    v->group ? v->group : "");
	}
	say(t, "Answer with a number, or 'none'.");
}

/* Go on with a result: ask about the first ambiguous item, or store them all. */
static int
settle(struct teach *t, struct dl_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < t->pending.n; i++) {
		if (t->pending.item[i].nalt > 1) {
			t->choose_at = i;
			t->state = TS_CHOOSE;
			show_choices(t);
			return 0;
		}
	}
	t->state = TS_IDLE;
	rc = store_items(t, &t->pending, t->said, err);
	if (rc)
		say(t, "Nothing was stored.");
	guided_done(t, err);
	if (!rc)
		next_question(t);
	return rc;
}

static int
is_word(const char *norm, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(norm, list[i]))
			return 1;
	return 0;
}

static const char *const yes_words[] = {
	"y", "yes", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "that's right",
	"yes please", "that's it", "exactly",
};
static const char *const no_words[] = { "n", "no", "nope", "wrong", "no thanks", "not that" };

static void
help(struct teach *t)
{
	say(t, "Tell me what you like or don't like, in plain words:");
	say(t, "  I'm a Warriors fan | I like Italian restaurants | I don't like country music");
	say(t, "  use Celsius | my home is in Wilkerson | I listen to NPR");
	say(t, "Commands: list (what I know), forget X (a value, a domain, or everything),");
	say(t, "  undo (take back the last change), redo (take back the last undo),");
	say(t, "  skip (this question), help, quit.");
	say(t, "Tab completes catalog values; Up and Down recall earlier lines.");
}

struct list_ctx {
	struct teach *t;
	json_t *a;
};

static int
list_one(void *ctx, const struct st_pref *p)
{
	struct list_ctx *c = ctx;
	char when[32];

	say(c->t, "  #%lld %s %s: %s (%s, %s)", (long long)p->id,
	    p->polarity > 0 ? "likes   " : "dislikes", p->domain, p->value, p->source,
	    clock_format(p->at, when, sizeof(when)));
	json_array_append_new(c->a, json_integer(p->id));
	return 0;
}

static int
list_prefs(struct teach *t, struct dl_error *err)
{
	struct list_ctx c = { t, json_array() };
	int rc;

	say(t, "What I know about %s:", t->o.user);
	rc = store_prefs_each(t->st, t->o.user, 0, list_one, &c, err);
	if (!rc && !json_array_size(c.a))
		say(t, "  nothing yet");
	json_decref(c.a);
	return rc;
}

struct forget_ctx {
	const struct catalog *cat;
	const char *norm;	/* what to forget, normalised */
	int all, dom;		/* everything, or one domain (-1) */
	int64_t ids[256];
	size_t n;
	struct strbuf tmp;
	json_t *names;
};

static int
forget_match(void *ctx, const struct st_pref *p)
{
	struct forget_ctx *c = ctx;
	int d = cat_domain_find(c->cat, p->domain), hit = c->all;

	if (!hit && c->dom >= 0)
		hit = d == c->dom;
	if (!hit) {
		tok_norm(&c->tmp, p->value);
		hit = c->tmp.len && (!strcmp(c->tmp.buf, c->norm) ||
				     tok_has_phrase(c->norm, c->tmp.buf));
	}
	if (!hit && d >= 0) {
		/* An alias of the stored value: "forget the dubs". */
		struct cat_hit h[8];
		size_t nh = cat_find(c->cat, c->norm, d, h, 8), i, k;

		for (i = 0; i < nh && !hit; i++)
			for (k = 0; k < h[i].n && !hit; k++)
				hit = !strcmp(c->cat->domains[d].values[h[i].val[k]].value, p->value);
	}
	if (hit && c->n < 256) {
		c->ids[c->n++] = p->id;
		json_array_append_new(c->names, json_string(p->value));
	}
	return 0;
}

static int
forget(struct teach *t, const char *what, const char *text, struct dl_error *err)
{
	struct forget_ctx c = { .cat = t->o.cat, .dom = -1 };
	struct strbuf norm;
	struct st_feedback f;
	char *turns = NULL, *val;
	size_t i, d;
	int rc = -1;

	sb_init(&norm);
	sb_init(&c.tmp);
	c.names = json_array();
	tok_norm(&norm, what);
	c.norm = norm.buf ? norm.buf : "";
	c.all = !strcmp(c.norm, "everything") || !strcmp(c.norm, "all") ||
		!strcmp(c.norm, "it all");
	/* A whole domain only when the words are its name, title or slot ("my sports teams"). */
	for (d = 0; d < t->o.cat->ndomains && !c.all && c.dom < 0; d++) {
		const struct cat_domain *cd = &t->o.cat->domains[d];
		const char *w = !strncmp(c.norm, "my ", 3) ? c.norm + 3 : c.norm;

		tok_norm(&c.tmp, cd->title);
		if (!strcmp(w, cd->name) || !strcmp(w, cd->slot) ||
		    (c.tmp.len && !strcmp(w, c.tmp.buf)))
			c.dom = (int)d;
	}
	if (!*c.norm) {
		say(t, "Forget what? Say 'forget' and a value, a domain, or everything.");
		rc = 0;
		goto out;
	}
	if (store_prefs_each(t->st, t->o.user, 0, forget_match, &c, err))
		goto out;
	if (!c.n) {
		say(t, "I have nothing that matches \"%s\" for %s; 'list' shows what I know.", what,
		    t->o.user);
		rc = 0;
		goto out;
	}
	if (store_begin(t->st, err))
		goto out;
	for (i = 0; i < c.n; i++)
		if (store_pref_revoke(t->st, c.ids[i], 1, 0, err) < 0)
			goto fail;
	feedback_init(t, &f, "forget", text, &turns);
	{
		json_t *v = json_object();

		json_object_set(v, "forgot", c.names);
		val = json_dumps(v, JSON_COMPACT);
		json_decref(v);
	}
	f.value = val;
	i = (size_t)store_feedback_add(t->st, &f, err);
	free(val);
	if (i || store_commit(t->st, err))
		goto fail;
	for (i = 0; i < c.n; i++)
		json_array_append_new(json_object_get(t->ev, "revoked"), json_integer(c.ids[i]));
	json_array_append_new(json_object_get(t->ev, "feedback"), json_integer(f.id));
	t->nrevoked += (long)c.n;
	{
		struct strbuf sb;
		json_t *v;

		sb_init(&sb);
		json_array_foreach(c.names, i, v)
			sb_addf(&sb, "%s%s", i ? ", " : "", json_string_value(v));
		push_undo(t, U_FORGOT, c.ids, NULL, c.n, 0, f.id, sb.buf);
		say(t, "Forgotten: %s. (Kept in the history; 'undo' restores it.)", sb.buf);
		sb_release(&sb);
	}
	rc = 0;
	goto out;
fail:
	store_rollback(t->st);
out:
	free(turns);
	json_decref(c.names);
	sb_release(&norm);
	sb_release(&c.tmp);
	return rc;
}

/*
 * Undo the newest change of the session, or (redo) redo the newest
 * undone one, as one transaction with a feedback record of kind "undo"
 * or "redo" that names the change's own feedback record.
 */
static int
undo_redo(struct teach *t, const char *text, int redo, struct dl_error *err)
{
	struct undo **from = redo ? &t->redo : &t->undo, u;
	size_t *nfrom = redo ? &t->nredo : &t->nundo;
	struct st_feedback f;
	char *turns, *val;
	size_t i;
	int rc;

	if (!*nfrom) {
		say(t, redo ? "Nothing to redo: 'redo' takes back an 'undo' of this session." :
		    "Nothing to undo in this session.");
		return 0;
	}
	u = (*from)[*nfrom - 1];
	if (store_begin(t->st, err))
		return -1;
	for (i = 0; i < u.n; i++) {
		/*
		 * Undo: a stored one is revoked and what it replaced is back; a
		 * forgotten one is back.  Redo does the change again.
		 */
		int fresh = u.kind == U_STORED && i < u.nnew;
		int revoke = redo ? !fresh : fresh;

		if (store_pref_revoke(t->st, u.ids[i], revoke, redo && revoke ? u.by[i] : 0,
				      err) < 0)
			goto fail;
	}
	feedback_init(t, &f, redo ? "redo" : "undo", text, &turns);
	val = dump_new(json_pack("{s:I}", redo ? "redid" : "undid", (json_int_t)u.feedback));
	f.value = val;
	rc = store_feedback_add(t->st, &f, err);
	free(val);
	free(turns);
	if (rc || store_commit(t->st, err))
		goto fail;
	for (i = 0; i < u.n; i++) {
		int fresh = u.kind == U_STORED && i < u.nnew;

		json_array_append_new(json_object_get(t->ev, (redo ? !fresh : fresh) ? "revoked" :
						      "restored"), json_integer(u.ids[i]));
	}
	json_array_append_new(json_object_get(t->ev, "feedback"), json_integer(f.id));
	if (!redo && u.kind == U_STORED)
		say(t, "Undone: %s revoked%s.", u.nnew == 1 ? "that preference is" :
		    "those preferences are", u.n > u.nnew ? ", and what it replaced is back" : "");
	else if (!redo)
		say(t, "Undone: %zu preference%s restored.", u.n, u.n == 1 ? "" : "s");
	else if (u.kind == U_STORED)
		say(t, "Redone: %s %s again%s.", u.what, u.nnew == 1 ? "holds" : "hold",
		    u.n > u.nnew ? ", and what it replaced is revoked again" : "");
	else
		say(t, "Redone: forgotten again: %s.", u.what);
	(*nfrom)--;
	if (redo)
		stack_push(&t->undo, &t->nundo, &u);
	else
		stack_push(&t->redo, &t->nredo, &u);
	return 0;
fail:
	store_rollback(t->st);
	return -1;
}

/*
 * The rewrite a moment's answer teaches (rewrite.h), stored as the
 * user's personal rewrite, accepted by them: 1 when one was, 0 when the
 * answer teaches none, -1 on error.  *id is its id.
 */
static int
taught_rewrite(struct teach *t, const char *request, const char *text, int64_t feedback,
	       int64_t *id, struct strbuf *to, struct dl_error *err)
{
	struct strbuf from, prov;
	struct st_rewrite r = { .scope = "personal", .support = 1, .p_before = -1,
				.p_after = -1 };
	json_t *p;
	int rc;

	sb_init(&from);
	if (!request || rw_from_answer(request, text, &from, to)) {
		sb_release(&from);
		return 0;
	}
	sb_init(&prov);
	p = json_pack("{s:s,s:I,s:s}", "kind", "taught", "feedback", (json_int_t)feedback,
		      "said", text);
	jw_value(&prov, p);
	json_decref(p);
	r.user = t->o.user;
	r.from = from.buf;
	r.to = to->buf;
	r.provenance = prov.buf;
	rc = store_rewrite_put(t->st, &r, err) < 0 ||
	     store_rewrite_decide(t->st, r.id, "accept", t->o.user, err) < 0 ? -1 : 1;
	*id = r.id;
	sb_release(&from);
	sb_release(&prov);
	return rc;
}

/*
 * An answer to a moment that names no catalog value: kept as feedback,
 * and, when it says what was meant, a personal rewrite of the request.
 */
static int
interpretation(struct teach *t, const char *text, struct dl_error *err)
{
	struct st_feedback f;
	struct strbuf to;
	char *turns, *val;
	json_t *m = moment(t);
	const char *request = json_string_value(
		json_object_get(json_array_get(json_object_get(m, "evidence"), 0), "text"));
	int64_t rid = 0;
	int rc;

	feedback_init(t, &f, "interpretation", text, &turns);
	val = dump_new(json_pack("{s:s,s:O}", "meant", text, "request",
				 json_object_get(json_array_get(json_object_get(m, "evidence"), 0),
						 "text")));
	f.value = val;
	sb_init(&to);
	if (store_begin(t->st, err)) {
		free(val);
		free(turns);
		sb_release(&to);
		return -1;
	}
	rc = store_feedback_add(t->st, &f, err) ? -1 :
	     taught_rewrite(t, request, text, f.id, &rid, &to, err);
	if (rc < 0 || store_commit(t->st, err)) {
		store_rollback(t->st);
		free(val);
		free(turns);
		sb_release(&to);
		return -1;
	}
	free(val);
	free(turns);
	json_array_append_new(json_object_get(t->ev, "feedback"), json_integer(f.id));
	say(t, "Noted as feedback on this moment: \"%s\".", text);
	if (rc)
		say(t, "From now on \"%s\" is heard as \"%s\" for %s (rewrite #%lld;"
		    " 'dialab rewrites reject %lld' undoes it).", request, to.buf, t->o.user,
		    (long long)rid, (long long)rid);
	sb_release(&to);
	next_question(t);
	return 0;
}

static int
statement(struct teach *t, const char *line, struct dl_error *err)
{
	int dom = asked_domain(t);
	char desc[300];

	teach_understand(t->o.cat, line, dom, &t->pending);
	free(t->said);
	t->said = xstrdup(line);
	switch (t->pending.kind) {
	case TP_PREFS:
		return settle(t, err);
	case TP_SUGGEST:
		teach_describe(t->o.cat, &t->pending.item[0], desc, sizeof(desc));
		say(t, "Did you mean %s? So %s. (y/n)",
		    t->o.cat->domains[t->pending.item[0].dom].values[t->pending.item[0].val].value,
		    desc);
		t->state = TS_CONFIRM;
		return 0;
	case TP_VALUE_ONLY: {
		struct strbuf sb;
		size_t i;

		sb_init(&sb);
		for (i = 0; i < t->pending.n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "",
				value_name(t->o.cat, &t->pending.item[i]));
		say(t, "You named %s, but do you like it or not? Say \"I like ...\" or"
		    " \"I don't like ...\".", sb.buf);
		sb_release(&sb);
		return 0;
	}
	case TP_UNKNOWN:
		if (moment(t) && dom < 0)
			return interpretation(t, line, err);
		say(t, "Not stored: %s.", t->pending.msg);
		if (dom >= 0)
			say(t, "Name a %s from the catalog (Tab completes), or say skip.",
			    t->o.cat->domains[dom].slot);
		else
			say(t, "Try \"I'm a Warriors fan\", \"I don't like country music\" or"
			    " \"use Celsius\"; 'help' shows more.");
		return 0;
	}
	return 0;
}

static int
choose(struct teach *t, const char *norm, struct dl_error *err)
{
	struct tp_item *it = &t->pending.item[t->choose_at];
	char *end;
	long k = strtol(norm, &end, 10);
	int i;

	if (*end || k < 1 || k > it->nalt) {
		k = 0;
		for (i = 0; i < it->nalt && !k; i++) {
			const struct cat_value *v =
				&t->o.cat->domains[it->alt_dom[i]].values[it->alt_val[i]];
			struct strbuf sb;

			sb_init(&sb);
			tok_norm(&sb, v->value);
			if (sb.len && (tok_has_phrase(sb.buf, norm) || (v->group &&
			    !strcasecmp(v->group, norm))))
				k = i + 1;
			sb_release(&sb);
		}
	}
	if (!k) {
		if (is_word(norm, no_words, sizeof(no_words) / sizeof(no_words[0])) ||
		    !strcmp(norm, "none") || !strcmp(norm, "neither")) {
			say(t, "Not stored.");
			t->state = TS_IDLE;
			return 0;
		}
		say(t, "Please answer 1 to %d, or 'none'.", it->nalt);
		return 0;
	}
	it->dom = (int)it->alt_dom[k - 1];
	it->val = (int)it->alt_val[k - 1];
	it->nalt = 1;
	return settle(t, err);
}

int
teach_line(struct teach *t, const char *line, struct dl_error *err)
{
	struct strbuf norm;
	const char *w;
	int rc = 0;

	json_object_set_new(t->ev, "input", json_string(line));
	if (t->state == TS_ENDED)
		return 0;
	sb_init(&norm);
	tok_norm(&norm, line);
	w = norm.buf ? norm.buf : "";
	if (t->state == TS_CONFIRM) {
		if (is_word(w, yes_words, sizeof(yes_words) / sizeof(yes_words[0])) || !*w) {
			t->pending.kind = TP_PREFS;
			rc = settle(t, err);
			goto out;
		}
		t->state = TS_IDLE;
		if (is_word(w, no_words, sizeof(no_words) / sizeof(no_words[0]))) {
			say(t, "Not stored. Say it another way, or pick a value with Tab.");
			goto out;
		}
		say(t, "(Not stored: %s was not confirmed.)",
		    value_name(t->o.cat, &t->pending.item[0]));
	} else if (t->state == TS_CHOOSE) {
		rc = choose(t, w, err);
		goto out;
	}
	if (!*w)
		goto out;
	if (!strcmp(w, "quit") || !strcmp(w, "exit") || !strcmp(w, "bye") || !strcmp(w, "q") ||
	    (!strcmp(w, "stop") && (t->guiding || t->in_moment))) {
		if (t->guiding)
			say(t, "Stopped. 'dialab teach --user %s --guided%s%s' resumes at this question.",
			    t->o.user, t->o.domain ? " " : "", t->o.domain ? t->o.domain : "");
		t->state = TS_ENDED;
		rc = 0;
		sb_release(&norm);
		return 0;
	}
	if (!strcmp(w, "help") || !strcmp(w, "?")) {
		help(t);
	} else if (!strcmp(w, "list")) {
		rc = list_prefs(t, err);
	} else if (!strcmp(w, "undo") || !strcmp(w, "redo")) {
		rc = undo_redo(t, line, w[0] == 'r', err);
	} else if (!strncmp(w, "forget", 6) && (!w[6] || w[6] == ' ')) {
		rc = forget(t, w[6] ? w + 7 : "", line, err);
	} else if (!strcmp(w, "skip") || !strcmp(w, "next") || !strcmp(w, "pass")) {
		if (t->guiding || t->in_moment) {
			say(t, "Skipped.");
			guided_done(t, err);
			next_question(t);
		} else {
			say(t, "There is no question to skip; say what you like, or quit.");
		}
	} else {
		rc = statement(t, line, err);
	}
out:
	sb_release(&norm);
	return rc < 0 ? -1 : 1;
}

const char *
teach_prompt(const struct teach *t)
{
	struct teach *m = (struct teach *)t;

	if (t->state == TS_CONFIRM)
		return "(y/n)> ";
	if (t->state == TS_CHOOSE)
		return "(number)> ";
	if (t->in_moment)
		return "moment> ";
	if (t->guiding && t->gcur < json_array_size(t->gdomains)) {
		snprintf(m->prompt, sizeof(m->prompt), "%s> ",
			 json_string_value(json_array_get(t->gdomains, t->gcur)));
		return m->prompt;
	}
	return "teach> ";
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
build_words(struct teach *t)
{
	static const char *const cmds[] = {
		"forget", "help", "list", "quit", "redo", "skip", "undo",
	};
	const struct catalog *c = t->o.cat;
	size_t i, k = 0;

	t->words = xmalloc((c->nalias + sizeof(cmds) / sizeof(cmds[0])) * sizeof(char *));
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		t->words[t->nwords++] = cmds[i];
	for (i = 0; i < c->nalias; i++)
		t->words[t->nwords++] = c->alias[i].text;
	qsort(t->words, t->nwords, sizeof(char *), str_cmp);
	for (i = 0; i < t->nwords; i++)
		if (!k || strcmp(t->words[k - 1], t->words[i]))
			t->words[k++] = t->words[i];
	t->nwords = k;
}

const char *const *
teach_words(const struct teach *t, size_t *n)
{
	*n = t->nwords;
	return t->words;
}

/* Set up the guided questions, resuming an unfinished guided session. */
static int
guided_open(struct teach *t, struct dl_error *err)
{
	char *old = NULL;
	json_t *prev = NULL;
	size_t i;

	t->gdomains = json_array();
	t->gdone = json_array();
	if (t->o.domain) {
		int d = cat_domain_find(t->o.cat, t->o.domain);

		if (d < 0)
			return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
					    "no domain '%s' in the catalog (%s)", t->o.domain,
					    t->o.cat->source);
		json_array_append_new(t->gdomains, json_string(t->o.domain));
	} else {
		for (i = 0; i < t->o.cat->ndomains; i++)
			json_array_append_new(t->gdomains, json_string(t->o.cat->domains[i].name));
	}
	if (store_session_last(t->st, t->o.user, "guided", &old, err) < 0)
		return -1;	/* called before this session's row exists */
	if (old)
		prev = json_loads(old, 0, NULL);
	free(old);
	if (prev && json_equal(json_object_get(prev, "domains"), t->gdomains) &&
	    json_array_size(json_object_get(prev, "done")) < json_array_size(t->gdomains) &&
	    json_array_size(json_object_get(prev, "done"))) {
		json_array_extend(t->gdone, json_object_get(prev, "done"));
		say(t, "Welcome back: resuming your guided session (%zu of %zu questions answered"
		    " or skipped).", json_array_size(t->gdone), json_array_size(t->gdomains));
	} else {
		say(t, "Let's learn your preferences: %zu question%s, one per topic. Answer in"
		    " plain words, 'skip' a question, or 'stop' to pause.",
		    json_array_size(t->gdomains), json_array_size(t->gdomains) == 1 ? "" : "s");
	}
	json_decref(prev);
	t->guiding = 1;
	return 0;
}

struct teach *
teach_open(struct store *st, const struct teach_opts *o, struct dl_error *err)
{
	struct teach *t = xmalloc(sizeof(*t));
	const char *mode = o->mode ? o->mode : o->dialogue ? "review" : o->moments ?
			   "moments" : o->guided ? "guided" : "stated";

	memset(t, 0, sizeof(*t));
	t->st = st;
	t->o = *o;
	if (t->o.window <= 0)
		t->o.window = 120;
	event_new(t);
	build_words(t);
	if (o->dialogue) {
		json_t *m = teach_moment_at(st, o->cat, o->dialogue, o->turn, err);

		if (!m)
			goto fail;
		t->moments = json_array();
		json_array_append_new(t->moments, m);
	} else if (o->moments) {
		if (!(t->moments = teach_moments(st, o->cat, o->user, t->o.window, err)))
			goto fail;
	}
	if (o->guided && guided_open(t, err))
		goto fail;
	if ((t->session = store_session_begin(st, o->user, o->operator_, mode, err)) < 0)
		goto fail;
	save_guided(t, 0, err);
	json_object_set_new(t->ev, "session", json_integer(t->session));
	if (!o->quiet)
		json_array_insert_new(json_object_get(t->ev, "output"), 0, json_string_nocheck(""));
	if (!o->quiet) {
		char hello[640];

		snprintf(hello, sizeof(hello), "Teaching session %lld for %s (catalog: %s, %zu"
			 " values). 'help' for help.", (long long)t->session, o->user,
			 o->cat->source, o->cat->nvalues);
		json_array_set_new(json_object_get(t->ev, "output"), 0, json_string(hello));
	}
	if (t->moments) {
		if (json_array_size(t->moments)) {
			if (!o->dialogue)
				say(t, "I found %zu teachable moment%s in %s's dialogues.",
				    json_array_size(t->moments),
				    json_array_size(t->moments) == 1 ? "" : "s", o->user);
			t->in_moment = 1;
			ask_moment(t);
			return t;
		}
		say(t, "No teachable moments in %s's dialogues.", o->user);
	}
	if (t->guiding) {
		t->gcur = 0;
		next_question(t);
	}
	return t;
fail:
	teach_close(t, NULL);
	return NULL;
}

void
teach_close(struct teach *t, json_t **last)
{
	struct dl_error err;

	if (!t)
		return;
	if (t->state == TS_CONFIRM || t->state == TS_CHOOSE)
		say(t, "Not stored: the last answer was not confirmed.");
	if (t->session > 0) {
		if (t->gdomains)
			save_guided(t, 1, &err);
		else
			store_session_save(t->st, t->session, NULL, 1, &err);
	}
	if (last) {
		json_object_set_new(t->ev, "summary",
				    json_pack("{s:I,s:I,s:I}", "session", (json_int_t)t->session,
					      "stored", (json_int_t)t->nstored, "revoked",
					      (json_int_t)t->nrevoked));
		t->state = TS_ENDED;
		*last = teach_event(t);
	}
	json_decref(t->ev);
	json_decref(t->gdomains);
	json_decref(t->gdone);
	json_decref(t->moments);
	free(t->undo);
	free(t->redo);
	free(t->words);
	free(t->said);
	free(t);
}

int
teach_catalog(struct catalog *cat, const char *path, struct store *st, struct dl_error *err)
{
	struct dl_error e = { 0 };
	char *txt, *file, name[256];
	int rc;

	if (path)
		return cat_load_file(cat, path, NULL, err);
	if (st && (txt = store_meta_get(st, "catalog", &e))) {
		file = store_meta_get(st, "catalog_file", &e);
		snprintf(name, sizeof(name), "%s%s", file ? "imported " : "database",
			 file ? file : "");
		free(file);
		rc = cat_parse(cat, txt, strlen(txt), name, err);
		free(txt);
		return rc;
	}
	if (e.code) {
		*err = e;
		return -1;
	}
	return cat_parse(cat, cat_bundled, strlen(cat_bundled), "bundled", err);
}

int
teach_catalog_import(struct store *st, const char *path, const char *annotator,
		     struct catalog *cat, int *replaced, struct dl_error *err)
{
	struct dl_error e = { 0 };
	struct strbuf text;
	json_t *paths;
	char *old;
	int64_t id;

	sb_init(&text);
	if (cat_load_file(cat, path, &text, err)) {
		sb_release(&text);
		return -1;
	}
	if (store_begin(st, err))
		goto fail;
	old = store_meta_get(st, "catalog", &e);
	*replaced = old != NULL;
	free(old);
	paths = json_pack("[s]", path);
	id = e.code ? -1 : store_import_begin(st, annotator, "catalog", paths, err);
	json_decref(paths);
	if (e.code)
		*err = e;
	/* Commit last: the catalog in use changes all at once or not at all. */
	if (id < 0 || store_meta_set(st, "catalog", text.buf, err) ||
	    store_meta_set(st, "catalog_file", path, err) || store_commit(st, err)) {
		store_rollback(st);
		goto fail;
	}
	sb_release(&text);
	return 0;
fail:
	sb_release(&text);
	cat_release(cat);
	return -1;
}

int
teach_catalog_reset(struct store *st, const char *annotator, int *had, struct dl_error *err)
{
	struct dl_error e = { 0 };
	json_t *paths;
	char *old;
	int64_t id;

	if (store_begin(st, err))
		return -1;
	old = store_meta_get(st, "catalog", &e);
	*had = old != NULL;
	free(old);
	if (e.code) {
		*err = e;
		store_rollback(st);
		return -1;
	}
	if (!*had) {
		store_rollback(st);
		return 0;
	}
	paths = json_array();
	id = store_import_begin(st, annotator, "catalog", paths, err);
	json_decref(paths);
	if (id < 0 || store_meta_set(st, "catalog", NULL, err) ||
	    store_meta_set(st, "catalog_file", NULL, err) || store_commit(st, err)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

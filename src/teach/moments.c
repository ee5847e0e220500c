/* Teachable moments: where a user's logged dialogues show what to ask them. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dialab/clock.h"
#include "dialab/judge.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/teach.h"
#include "dialab/tok.h"

struct mctx {
	const struct catalog *cat;
	const char *user;	/* NULL: every user */
	double window;
	int at_turn;		/* teach_moment_at(): this turn only, else -1 */
	teach_moment_fn fn;	/* each moment as it is found */
	void *fn_ctx;
	struct strbuf norm;
};

/* The human answer of a turn, else the gold, else the newest proposal: a label value. */
static const char *
best_label(const struct st_label *l, size_t n, int turn, const char *kind)
{
	const char *best = NULL;
	int rank = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		int r;

		if (l[i].turn_idx != turn || strcmp(l[i].kind, kind))
			continue;
		r = !strncmp(l[i].source, "human:", 6) ? 3 : !strncmp(l[i].source, "import:", 7) ?
			2 : 1;
		if (r >= rank) {
			rank = r;
			best = l[i].value;
		}
	}
	return best;
}

/* A JSON string label value without its quotes, into buf. */
static const char *
label_str(const char *v, char *buf, size_t n)
{
	json_t *j = v ? jw_parse(v) : NULL;

	buf[0] = 0;
	if (json_is_string(j))
		snprintf(buf, n, "%s", json_string_value(j));
	json_decref(j);
	return buf[0] ? buf : NULL;
}

/* The catalog domain of a request: by its intent, else by its words. */
static int
request_domain(struct mctx *c, const char *intent, const char *text)
{
	size_t d, k;

	for (d = 0; intent && *intent && d < c->cat->ndomains; d++)
		for (k = 0; k < c->cat->domains[d].nintents; k++)
			if (!strcmp(c->cat->domains[d].intents[k], intent))
				return (int)d;
	tok_norm(&c->norm, text);
	for (d = 0; c->norm.len && d < c->cat->ndomains; d++)
		for (k = 0; k < c->cat->domains[d].ntriggers; k++)
			if (tok_has_phrase(c->norm.buf, c->cat->domains[d].triggers[k]))
				return (int)d;
	return -1;
}

static void
when(const char *tz, double ts, char *buf, size_t n)
{
	struct tm tm;

	if (ts < 0) {
		snprintf(buf, n, "time unknown");
		return;
	}
	clock_local(tz, (long long)ts, &tm);
	strftime(buf, n, "%a %Y-%m-%d %H:%M", &tm);
}

/* The signals between turn i and i + 1, as bits of kind_names. */
enum { K_REPEAT = 1, K_REPHRASE = 2, K_NEGATION = 4, K_BARGE = 8, K_CLARIFY = 16, K_FAILED = 32 };
static const char *const kind_names[] = {
	"repeat", "rephrase", "negation", "barge_in", "clarification", "failure",
};
static const char *const kind_words[] = {
	"asked again", "rephrased", "said it was wrong", "barged in",
	"the assistant had to ask", "after a failure",
};

/* A question back that asks the user to pick ("Which team do you mean?"), not a yes/no one. */
static int
asks_which(const char *r)
{
	static const char *const w[] = { "which", "what", "who", "where" };
	struct strbuf sb;
	size_t i;
	int yes = 0;

	sb_init(&sb);
	tok_norm(&sb, r);
	for (i = 0; i < sizeof(w) / sizeof(w[0]) && sb.len && !yes; i++)
		yes = tok_has_phrase(sb.buf, w[i]);
	sb_release(&sb);
	return yes;
}

static unsigned
signals(struct mctx *c, const struct jd_turn *t, const char *fp_i, size_t n, size_t i)
{
	unsigned k = 0;
	double r, gap;
	const char *resp;

	if (i + 1 >= n)
		return 0;
	gap = t[i].ts >= 0 && t[i + 1].ts >= 0 ? t[i + 1].ts - t[i].ts : 0;
	if (gap > c->window)
		return 0;
	r = judge_rephrase(t[i].text, t[i + 1].text);
	resp = judge_response_kind(t[i].response);
	if (r >= 0.9)
		k |= K_REPEAT;
	else if (r >= 0.5)
		k |= K_REPHRASE;
	if (judge_negates(t[i + 1].text))
		k |= K_NEGATION;
	if (t[i].barge_in == 1 && t[i].response && *t[i].response)	/* turn i + 1 cut it short */
		k |= K_BARGE;
	if (!strcmp(resp, "q") && !(k & (K_REPEAT | K_NEGATION)) && asks_which(t[i].response))
		k |= K_CLARIFY;
	if ((k & (K_REPEAT | K_REPHRASE | K_NEGATION | K_BARGE)) &&
	    ((fp_i && strcmp(fp_i, "correct")) || !strcmp(resp, "err")))
		k |= K_FAILED;
	return k;
}

/* What the user said later in the moment that names a value of domain d. */
static const char *
seen_value(struct mctx *c, const struct st_turn *turns, size_t a, size_t b, int d)
{
	struct cat_hit h[4];
	size_t i;

	for (i = a + 1; d >= 0 && i <= b; i++) {
		tok_norm(&c->norm, turns[i].text);
		if (c->norm.len && cat_find(c->cat, c->norm.buf, d, h, 4) && h[0].n == 1)
			return c->cat->domains[d].values[h[0].val[0]].value;
	}
	return NULL;
}

/* Build one moment and hand it to c->fn; returns what that returns. */
static int
add_moment(struct mctx *c, const struct st_dialogue *dg, const struct st_turn *turns,
	   const struct jd_turn *t, const struct st_label *l, size_t nl, size_t a, size_t b,
	   unsigned kinds, struct dl_error *err)
{
	json_t *m, *ev = json_array(), *tj = json_array(), *kj = json_array();
	json_t *ctx = dg->context ? jw_parse(dg->context) : NULL;
	const char *tz = json_string_value(json_object_get(ctx, "timezone"));
	char buf[64], intent[64], fpb[32], q[512];
	struct strbuf sum;
	const char *seen, *in;
	size_t i, k;
	int d, rc;

	in = label_str(best_label(l, nl, (int)a, "intent"), intent, sizeof(intent));
	if (!in && t[a].intent[0])
		in = t[a].intent;
	d = request_domain(c, in, t[a].text);
	seen = seen_value(c, turns, a, b, d);
	for (i = a; i <= b; i++) {
		const char *fp = label_str(best_label(l, nl, (int)i, "failure_point"), fpb,
					   sizeof(fpb));
		json_t *e;

		when(tz, t[i].ts, buf, sizeof(buf));
		e = json_pack("{s:i,s:s,s:s}", "turn", (int)i, "time", buf, "text", t[i].text);
		if (t[i].response)
			json_object_set_new(e, "response", json_string(t[i].response));
		if (t[i].barge_in >= 0)
			json_object_set_new(e, "barge_in", json_boolean(t[i].barge_in));
		if (fp)
			json_object_set_new(e, "failure_point", json_string(fp));
		json_array_append_new(ev, e);
		json_array_append_new(tj, json_integer((json_int_t)i));
	}
	sb_init(&sum);
	when(tz, t[a].ts, buf, sizeof(buf));
	sb_addf(&sum, "%s:", buf);
	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++) {
		if (!(kinds & (1u << k)))
			continue;
		json_array_append_new(kj, json_string(kind_names[k]));
		sb_addf(&sum, "%s %s", json_array_size(kj) > 1 ? "," : "", kind_words[k]);
	}
	if (!kinds) {
		json_array_append_new(kj, json_string("review"));
		sb_adds(&sum, " chosen in review");
	}
	if (d >= 0) {
		const struct cat_domain *cd = &c->cat->domains[d];

		snprintf(q, sizeof(q), "When you ask \"%s\", which %s %s?%s%s%s", t[a].text,
			 cd->slot, cd->fill ? "do you mean" : "should come first",
			 seen ? " (Then it was " : "", seen ? seen : "", seen ? ".)" : "");
	} else {
		snprintf(q, sizeof(q), "When you said \"%s\", what did you mean?", t[a].text);
	}
	m = json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:s}", "user", dg->user ? dg->user : "",
		      "dialogue", dg->ext_id, "turns", tj, "kinds", kj, "summary", sum.buf,
		      "evidence", ev, "question", q);
	if (in)
		json_object_set_new(m, "intent", json_string(in));
	if (d >= 0) {
		json_object_set_new(m, "domain", json_string(c->cat->domains[d].name));
		json_object_set_new(m, "slot", json_string(c->cat->domains[d].slot));
	}
	if (seen)
		json_object_set_new(m, "seen", json_string(seen));
	sb_release(&sum);
	json_decref(ctx);
	rc = c->fn(c->fn_ctx, m, err);
	json_decref(m);
	return rc;
}

static int
collect(void *ctx, const struct st_dialogue *dg, const struct st_turn *turns, size_t n,
	const struct st_label *l, size_t nl, struct dl_error *err)
{
	struct mctx *c = ctx;
	struct jd_turn *t;
	char fpb[32];
	size_t i, a;
	int rc;

	if (c->user && (!dg->user || strcmp(dg->user, c->user)))
		return 0;
	if (!n)
		return 0;
	t = xmalloc(n * sizeof(*t));
	for (i = 0; i < n; i++)
		judge_turn(&t[i], &turns[i]);
	if (c->at_turn >= 0) {
		size_t at = (size_t)c->at_turn < n ? (size_t)c->at_turn : n - 1;
		unsigned k = signals(c, t, label_str(best_label(l, nl, (int)at, "failure_point"),
						     fpb, sizeof(fpb)), n, at);

		rc = add_moment(c, dg, turns, t, l, nl, at, at + 1 < n ? at + 1 : at, k, err);
		free(t);
		return rc;
	}
	for (i = 0; i + 1 < n;) {
		unsigned k = signals(c, t, label_str(best_label(l, nl, (int)i, "failure_point"), fpb,
						     sizeof(fpb)), n, i), all = k;

		if (!k) {
			i++;
			continue;
		}
		/* One episode: while the signals go on. */
		for (a = i++; i + 1 < n; i++) {
			k = signals(c, t, label_str(best_label(l, nl, (int)i, "failure_point"), fpb,
						    sizeof(fpb)), n, i);
			if (!(k & (K_REPEAT | K_REPHRASE | K_NEGATION | K_BARGE)))
				break;
			all |= k;
		}
		if (add_moment(c, dg, turns, t, l, nl, a, i, all, err) < 0) {
			free(t);
			return -1;
		}
		i++;
	}
	free(t);
	return 0;
}

int
teach_moments_each(struct store *st, const struct catalog *cat, const char *user, double window,
		   teach_moment_fn fn, void *ctx, struct dl_error *err)
{
	struct mctx c = { cat, user, window > 0 ? window : 120, -1, fn, ctx, { 0 } };
	int rc;

	sb_init(&c.norm);
	rc = store_each_dialogue_of(st, LF_ALL | LF_WITH_DECISIONS, user, collect, &c, err);
	sb_release(&c.norm);
	return rc;
}

static int
append_moment(void *ctx, const json_t *m, struct dl_error *err)
{
	(void)err;
	json_array_append(ctx, (json_t *)m);
	return 0;
}

json_t *
teach_moments(struct store *st, const struct catalog *cat, const char *user, double window,
	      struct dl_error *err)
{
	json_t *out = json_array();

	if (teach_moments_each(st, cat, user, window, append_moment, out, err)) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *
teach_moment_at(struct store *st, const struct catalog *cat, const char *dialogue, int turn,
		struct dl_error *err)
{
	json_t *out = json_array(), *m = NULL;
	struct mctx c = { cat, NULL, 120, turn < 0 ? 0 : turn, append_moment, out, { 0 } };
	int64_t id = store_dialogue_find(st, dialogue, err);

	sb_init(&c.norm);
	if (id == 0)
		dl_error_set(err, DL_EX_NOINPUT, NULL, 0, NULL, "no dialogue '%s'", dialogue);
	else if (id > 0 && !store_dialogue_get(st, id, LF_ALL | LF_WITH_DECISIONS, collect, &c, err))
		m = json_incref(json_array_get(out, 0));
	sb_release(&c.norm);
	json_decref(out);
	return m;
}

#include "dialab/judge.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/dataset.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/learn.h"
#include "dialab/metrics.h"
#include "dialab/phonetic.h"
#include "dialab/spans.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

static void
copy_str(char *dst, size_t n, const json_t *v)
{
	const char *s = json_string_value(v);

	dst[0] = '\0';
	if (s && strlen(s) < n)
		strcpy(dst, s);
}

/* Does hay contain the n bytes of needle, ignoring ASCII case? */
static int
contains_nocase(const char *hay, const char *needle, size_t n)
{
	size_t i;

	if (!n)
		return 0;
	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i] &&
		     tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

/* How many of the slot values the response names: an entity that was resolved wrong is not. */
static int
slot_echo(const json_t *slots, const char *text, const char *response)
{
	const json_t *s;
	size_t i, n = 0, hit = 0;

	if (!response || !*response || !json_array_size(slots))
		return -1;
	json_array_foreach(slots, i, s) {
		long a = utf8_cp_to_byte(text, (size_t)json_integer_value(json_object_get(s, "start")));
		long b = utf8_cp_to_byte(text, (size_t)json_integer_value(json_object_get(s, "end")));

		if (a < 0 || b <= a)
			continue;
		n++;
		hit += contains_nocase(response, text + a, (size_t)(b - a)) != 0;
	}
	return !n ? -1 : !hit ? 0 : hit < n ? 1 : 2;
}

void
judge_turn(struct jd_turn *t, const struct st_turn *st)
{
	json_t *nlu, *ts;

	memset(t, 0, sizeof(*t));
	t->text = st->text;
	t->response = st->response;
	t->asr = st->has_asr_confidence ? st->asr_confidence : -1;
	t->barge_in = st->barge_in;
	t->nlu_conf = -1;
	t->ts = -1;
	t->echo = -1;
	t->reph_prev = -1;
	if (st->nlu && (nlu = jw_parse(st->nlu))) {
		copy_str(t->intent, sizeof(t->intent), json_object_get(nlu, "intent"));
		copy_str(t->domain, sizeof(t->domain), json_object_get(nlu, "domain"));
		if (json_is_number(json_object_get(nlu, "confidence")))
			t->nlu_conf = json_number_value(json_object_get(nlu, "confidence"));
		t->echo = slot_echo(json_object_get(nlu, "slots"), st->text, st->response);
		json_decref(nlu);
	}
	if (st->ts_json && (ts = jw_parse(st->ts_json))) {
		double v;

		if (!fmt_ts_parse(ts, &v))
			t->ts = v;
		json_decref(ts);
	}
}

void
judge_intent_from_labels(struct jd_turn *t, int idx, const struct st_label *labels,
			 size_t nlabels)
{
	size_t l;

	for (l = 0; l < nlabels; l++) {
		json_t *v;

		if (labels[l].turn_idx != idx || strcmp(labels[l].kind, "intent") ||
		    !fmt_source_gold(labels[l].source))
			continue;
		v = jw_parse(labels[l].value);
		copy_str(t->intent, sizeof(t->intent), v);
		json_decref(v);
	}
}

/* ---- The rephrase score ---- */

#define MAXSET 64

static size_t
word_set(const char *s, uint64_t *set)
{
	struct tok_list tl;
	size_t i, j, n = 0;

	tok_list_init(&tl);
	tok_split(&tl, s);
	for (i = 0; i < tl.n && n < MAXSET; i++) {
		uint64_t h;

		if (tl.v[i].kind != TOK_WORD)
			continue;
		h = tok_hash(tok_lower(&tl, i), tl.v[i].lower_len, 1);
		for (j = 0; j < n && set[j] != h; j++)
			;
		if (j == n)
			set[n++] = h;
	}
	tok_list_release(&tl);
	return n;
}

/* Character trigrams of the lower-cased ASCII letters and digits, spaces squeezed. */
static size_t
trigram_set(const char *s, uint64_t *set, size_t max)
{
	char buf[256];
	size_t n = 0, k = 0, i, j;

	for (; *s && k < sizeof(buf) - 1; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c >= 0x80)
			buf[k++] = (char)tolower(c);
		else if (k && buf[k - 1] != ' ')
			buf[k++] = ' ';
	}
	for (i = 0; i + 3 <= k && n < max; i++) {
		uint64_t h = tok_hash(buf + i, 3, 2);

		for (j = 0; j < n && set[j] != h; j++)
			;
		if (j == n)
			set[n++] = h;
	}
	return n;
}

static size_t
common(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i, j, c = 0;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (a[i] == b[j]) {
				c++;
				break;
			}
	return c;
}

/* The Jaccard overlap of the word sets of a and b, and the Dice overlap of their trigrams. */
static void
overlaps(const char *a, const char *b, double *jac, double *dice)
{
	uint64_t wa[MAXSET], wb[MAXSET], ta[256], tb[256];
	size_t na, nb, c;

	*jac = *dice = 0;
	na = word_set(a, wa);
	nb = word_set(b, wb);
	if (na + nb) {
		c = common(wa, na, wb, nb);
		*jac = (double)c / (double)(na + nb - c);
	}
	na = trigram_set(a, ta, 256);
	nb = trigram_set(b, tb, 256);
	if (na + nb)
		*dice = 2.0 * (double)common(ta, na, tb, nb) / (double)(na + nb);
}

double
judge_rephrase(const char *a, const char *b)
{
	double jac, dice;

	if (!a || !b)
		return 0;
	overlaps(a, b, &jac, &dice);
	return jac > dice ? jac : dice;
}

/* The lower-cased words of s in order, as hashes: how many (at most max). */
static size_t
word_seq(const char *s, uint64_t *seq, size_t max)
{
	struct tok_list tl;
	size_t i, n = 0;

	tok_list_init(&tl);
	tok_split(&tl, s);
	for (i = 0; i < tl.n && n < max; i++)
		if (tl.v[i].kind == TOK_WORD)
			seq[n++] = tok_hash(tok_lower(&tl, i), tl.v[i].lower_len, 1);
	tok_list_release(&tl);
	return n;
}

/* The word edit distance of a and b over the longer one's length (0 alike .. 1). */
static double
word_edit(const char *a, const char *b)
{
	uint64_t wa[MAXSET], wb[MAXSET];
	size_t na = word_seq(a, wa, MAXSET), nb = word_seq(b, wb, MAXSET);

	if (!na && !nb)
		return 0;
	return (double)tok_edit_distance(wa, na, wb, nb) / (double)(na > nb ? na : nb);
}

/* The rephrase score of turn k against turn k - 1, computed once. */
static double
reph(const struct jd_turn *t, size_t k)
{
	struct jd_turn *m = (struct jd_turn *)&t[k];	/* a cache, not the evidence */

	if (m->reph_prev < 0)
		m->reph_prev = judge_rephrase(t[k - 1].text, t[k].text);
	return m->reph_prev;
}

double
jd_rephrase_score(const struct jd_turn *t, size_t k)
{
	return k > 0 ? reph(t, k) : 0;
}

/* ---- Evidence tokens ---- */

static int
has_word(const char *s, const char *const *words)
{
	char low[512];
	size_t i;

	if (!s)
		return 0;
	for (i = 0; s[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (; *words; words++)
		if (strstr(low, *words))
			return 1;
	return 0;
}

const char *
judge_response_kind(const char *r)
{
	static const char *const err[] = {
		"sorry", "didn't", "did not", "don't know", "can't", "cannot", "couldn't",
		"not sure", "try again", "no results", "unable", "something went wrong", NULL
	};
	size_t n;

	if (!r || !*r)
		return "none";
	if (has_word(r, err))
		return "err";
	n = strlen(r);
	while (n && isspace((unsigned char)r[n - 1]))
		n--;
	return n && r[n - 1] == '?' ? "q" : "ok";
}

/* Is some word "no" of text followed by a comma ("ok no, the other one")? */
static int
no_comma(const char *text)
{
	const char *p;

	for (p = text; *p; p++) {
		const char *q = p + 2;

		if (tolower((unsigned char)p[0]) != 'n' || tolower((unsigned char)p[1]) != 'o' ||
		    (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '\'' ||
				  (unsigned char)p[-1] >= 0x80)))
			continue;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == ',')
			return 1;
	}
	return 0;
}

int
judge_negates(const char *text)
{
	static const char *const neg[] = {
		"not what", "wrong", "stop", "cancel", "never mind", "nevermind", "forget it",
		"that's not", "thats not", "i said", "i meant",
	};
	struct strbuf w;
	size_t i;
	int yes = 0;

	if (!text || !*text)
		return 0;
	sb_init(&w);
	tok_norm(&w, text);
	sb_adds(&w, "");	/* a text without words is an empty string, not NULL */
	/* "no" opening the turn, or "no," anywhere. */
	yes = no_comma(text) || (!strncmp(w.buf, "no", 2) && (!w.buf[2] || w.buf[2] == ' '));
	for (i = 0; !yes && i < sizeof(neg) / sizeof(neg[0]); i++)
		yes = tok_has_phrase(w.buf, neg[i]);
	sb_release(&w);
	return yes;
}

static const char *
conf_bin(double c)
{
	return c < 0 ? "u" : c < 0.5 ? "c0" : c < 0.7 ? "c1" : c < 0.85 ? "c2" : "c3";
}

static const char *
gap_bin(const struct jd_turn *a, const struct jd_turn *b)
{
	double g;

	if (a->ts < 0 || b->ts < 0)
		return "u";
	g = b->ts - a->ts;
	return g < 15 ? "g0" : g < 60 ? "g1" : g < 300 ? "g2" : "g3";
}

static const char *
reph_bin(double r)
{
	return r < 0.2 ? "r0" : r < 0.4 ? "r1" : r < 0.6 ? "r2" : r < 0.8 ? "r3" : "r4";
}

static void
tokf(struct strbuf *out, const char *name, const char *v)
{
	sb_addf(out, " %s_%s", name, v);
}

static void
fpi_features(const struct jd_turn *t, size_t n, size_t i, struct strbuf *out)
{
	const struct jd_turn *c = &t[i], *nx = i + 1 < n ? &t[i + 1] : NULL;
	const char *asr = conf_bin(c->asr), *nlu = conf_bin(c->nlu_conf);
	const char *resp = judge_response_kind(c->response);

	sb_adds(out, "bias");
	tokf(out, "asr", asr);
	tokf(out, "nlu", nlu);
	tokf(out, "resp", resp);
	tokf(out, "bi", c->barge_in < 0 ? "u" : c->barge_in ? "y" : "n");
	sb_addf(out, " echo_%d echo_%d_X_resp_%s", c->echo + 1, c->echo + 1, resp);
	if (judge_negates(c->text))
		sb_adds(out, " self_neg");
	if (!c->intent[0])
		sb_adds(out, " no_intent");
	if (!nx) {
		sb_adds(out, " last");
		sb_addf(out, " last_X_resp_%s last_X_asr_%s last_X_nlu_%s", resp, asr, nlu);
		return;
	}
	{
		double r = reph(t, i + 1);
		const char *rb = reph_bin(r), *gap = gap_bin(c, nx);
		int same = c->intent[0] && !strcmp(c->intent, nx->intent);
		int neg = judge_negates(nx->text);
		const char *nresp = judge_response_kind(nx->response);
		int recovered = 0;

		tokf(out, "n_reph", rb);
		tokf(out, "n_gap", gap);
		tokf(out, "n_resp", nresp);
		tokf(out, "n_bi", nx->barge_in == 1 ? "y" : "n");
		tokf(out, "n_asr", conf_bin(nx->asr));
		sb_addf(out, " n_same_%d n_neg_%d", same, neg);
		/* The follow-up worked: no error, and nobody came back to it. */
		if (r >= 0.4 && strcmp(nresp, "err") && nx->barge_in != 1 &&
		    (i + 2 >= n || reph(t, i + 2) < 0.4) &&
		    (i + 2 >= n || !judge_negates(t[i + 2].text)))
			recovered = 1;
		sb_addf(out, " n_rec_%d", recovered);
		sb_addf(out, " asr_%s_X_n_reph_%s nlu_%s_X_n_reph_%s n_same_%d_X_n_reph_%s", asr, rb, nlu,
			rb, same, rb);
		sb_addf(out, " resp_%s_X_n_neg_%d n_rec_%d_X_asr_%s n_rec_%d_X_nlu_%s n_rec_%d_X_resp_%s",
			resp, neg, recovered, asr, recovered, nlu, recovered, resp);
		sb_addf(out, " n_gap_%s_X_n_reph_%s n_same_%d_X_n_neg_%d", gap, rb, same, neg);
		sb_addf(out, " echo_%d_X_n_same_%d echo_%d_X_n_neg_%d", c->echo + 1, same, c->echo + 1,
			neg);
	}
}

/* The first two words, lower-cased: "also", "thanks", "what about" start new goals. */
static void
first_words(const char *text, struct strbuf *out)
{
	struct tok_list tl;
	size_t i, k = 0;

	tok_list_init(&tl);
	tok_split(&tl, text);
	for (i = 0; i < tl.n && k < 2; i++) {
		if (tl.v[i].kind != TOK_WORD || tl.v[i].lower_len > 20)
			continue;
		sb_addf(out, " w%zu_%s", k++, tok_lower(&tl, i));
	}
	tok_list_release(&tl);
}

static void
boundary_features(const struct jd_turn *t, size_t i, int prev_new, struct strbuf *out)
{
	const struct jd_turn *p = &t[i - 1], *c = &t[i];
	const char *rb = reph_bin(reph(t, i)), *gap = gap_bin(p, c);
	int ichg = strcmp(p->intent, c->intent) != 0, dchg = strcmp(p->domain, c->domain) != 0;
	int neg = judge_negates(c->text);
	const char *presp = judge_response_kind(p->response);

	sb_adds(out, "bias");
	tokf(out, "gap", gap);
	tokf(out, "reph", rb);
	tokf(out, "p_resp", presp);
	sb_addf(out, " ichg_%d dchg_%d neg_%d p_bi_%d", ichg, dchg, neg, p->barge_in == 1);
	sb_addf(out, " gap_%s_X_ichg_%d gap_%s_X_reph_%s ichg_%d_X_reph_%s p_resp_%s_X_gap_%s",
		gap, ichg, gap, rb, ichg, rb, presp, gap);
	sb_addf(out, " dchg_%d_X_gap_%s neg_%d_X_gap_%s", dchg, gap, neg, gap);
	/* The chain: whether a goal started at the turn before. */
	sb_addf(out, " prev_%d prev_%d_X_ichg_%d prev_%d_X_reph_%s prev_%d_X_gap_%s", prev_new,
		prev_new, ichg, prev_new, rb, prev_new, gap);
	first_words(c->text, out);
}

static void
outcome_features(const struct jd_turn *t, size_t n, size_t a, size_t end, struct strbuf *out)
{
	const struct jd_turn *l = &t[end - 1];
	const char *lresp = judge_response_kind(l->response);
	size_t i, nreph = 0, errs = 0, bis = 0, negs = 0;
	double minasr = 1;

	for (i = a; i < end; i++) {
		if (i > a && reph(t, i) >= 0.4)
			nreph++;
		errs += !strcmp(judge_response_kind(t[i].response), "err");
		bis += t[i].barge_in == 1;
		negs += i > a && judge_negates(t[i].text);
		if (t[i].asr >= 0 && t[i].asr < minasr)
			minasr = t[i].asr;
	}
	sb_adds(out, "bias");
	tokf(out, "l_resp", lresp);
	tokf(out, "l_asr", conf_bin(l->asr));
	tokf(out, "l_nlu", conf_bin(l->nlu_conf));
	sb_addf(out, " l_bi_%d l_neg_%d turns_%zu reph_%zu errs_%zu bis_%zu negs_%zu",
		l->barge_in == 1, judge_negates(l->text), end - a < 4 ? end - a : 4, nreph < 3 ? nreph : 3,
		errs < 3 ? errs : 3, bis < 3 ? bis : 3, negs < 3 ? negs : 3);
	tokf(out, "min_asr", conf_bin(minasr));
	sb_addf(out, " ends_%d l_resp_%s_X_turns_%zu l_resp_%s_X_l_neg_%d", end == n, lresp,
		end - a < 3 ? end - a : 3, lresp, judge_negates(l->text));
}

static const char *
ratio_bin(double r)
{
	return r < 0.2 ? "0" : r < 0.4 ? "1" : r < 0.6 ? "2" : r < 0.8 ? "3" : r < 0.95 ? "4" : "5";
}

/* Does turn i restate turn i - 1?  Overlap, edit distance, time, and how each turn went. */
static void
rephrase_features(const struct jd_turn *t, size_t i, struct strbuf *out)
{
	const struct jd_turn *p = &t[i - 1], *c = &t[i];
	const char *presp = judge_response_kind(p->response), *cresp = judge_response_kind(c->response);
	const char *gap = "u", *jb, *db, *eb, *lb;
	uint64_t wa[MAXSET], wb[MAXSET];
	size_t na = word_seq(p->text, wa, MAXSET), nb = word_seq(c->text, wb, MAXSET);
	double jac, dice, g;
	int si = p->intent[0] && c->intent[0] ? !strcmp(p->intent, c->intent) : 2;
	int sd = p->domain[0] && c->domain[0] ? !strcmp(p->domain, c->domain) : 2;
	int neg = judge_negates(c->text), pneg = judge_negates(p->text);

	overlaps(p->text, c->text, &jac, &dice);
	jb = ratio_bin(jac);
	db = ratio_bin(dice);
	eb = ratio_bin(1 - word_edit(p->text, c->text));
	lb = !na || !nb ? "u" : nb * 2 < na ? "s2" : nb * 5 < na * 4 ? "s1" : nb * 4 <= na * 5 ? "eq" :
	     nb < na * 2 ? "l1" : "l2";
	if (p->ts >= 0 && c->ts >= 0) {
		g = c->ts - p->ts;
		gap = g < 6 ? "0" : g < 15 ? "1" : g < 30 ? "2" : g < 60 ? "3" : g < 300 ? "4" : "5";
	}
	sb_adds(out, "bias");
	sb_addf(out, " jac_%s dice_%s edit_%s len_%s gap_%s", jb, db, eb, lb, gap);
	sb_addf(out, " p_resp_%s c_resp_%s p_bi_%d si_%d sd_%d neg_%d pneg_%d", presp, cresp,
		p->barge_in == 1, si, sd, neg, pneg);
	tokf(out, "p_asr", conf_bin(p->asr));
	tokf(out, "p_nlu", conf_bin(p->nlu_conf));
	sb_addf(out, " jac_%s_X_dice_%s jac_%s_X_gap_%s dice_%s_X_gap_%s edit_%s_X_gap_%s", jb, db,
		jb, gap, db, gap, eb, gap);
	sb_addf(out, " jac_%s_X_p_resp_%s dice_%s_X_p_resp_%s gap_%s_X_p_resp_%s", jb, presp, db,
		presp, gap, presp);
	sb_addf(out, " si_%d_X_jac_%s si_%d_X_dice_%s sd_%d_X_p_resp_%s neg_%d_X_dice_%s", si, jb,
		si, db, sd, presp, neg, db);
	sb_addf(out, " p_bi_%d_X_dice_%s len_%s_X_dice_%s", p->barge_in == 1, db, lb, db);
	first_words(c->text, out);
}

void
jd_rephrase_fill(const struct intent_model *m, struct jd_turn *t, size_t n)
{
	struct intent_candidate top[2];
	struct strbuf sb;
	size_t k, got, j;

	sb_init(&sb);
	for (k = 1; k < n; k++) {
		t[k].reph_prev = -1;
		if (!m)
			continue;
		sb_reset(&sb);
		rephrase_features(t, k, &sb);
		got = intent_predict(m, sb.buf, top, 2);
		t[k].reph_prev = 0;
		for (j = 0; j < got; j++)
			if (top[j].id == 1)
				t[k].reph_prev = top[j].confidence;
	}
	sb_release(&sb);
}

void
judge_features(const struct jd_turn *t, size_t n, size_t i, size_t end, enum jd_task task,
	       struct strbuf *out)
{
	switch (task) {
	case JD_FPI:
		fpi_features(t, n, i, out);
		break;
	case JD_BOUNDARY:
		boundary_features(t, i, end != 0, out);
		break;
	case JD_OUTCOME:
		outcome_features(t, n, i, end, out);
		break;
	case JD_REPHRASE:
		rephrase_features(t, i, out);
		break;
	}
}

/* ---- Gold sets, training and scoring ---- */

static const char *const boundary_classes[] = { "same", "new" };
static const char *const outcome_classes[] = { "failure", "success" };
static const char *const rephrase_classes[] = { "no", "yes" };
static const char *fp_classes[FP__COUNT];

const char *const *
jd_classes(enum jd_task task, size_t *n)
{
	int i;

	switch (task) {
	case JD_FPI:
		for (i = 0; i < FP__COUNT; i++)
			fp_classes[i] = fmt_fp_name((enum fp_stage)i);
		*n = FP__COUNT;
		return fp_classes;
	case JD_BOUNDARY:
		*n = 2;
		return boundary_classes;
	case JD_REPHRASE:
		*n = 2;
		return rephrase_classes;
	default:
		*n = 2;
		return outcome_classes;
	}
}

struct collect {
	struct jd_set *s;
	double split;
	uint64_t seed;
};

/* Offsets into s->text are kept until the end, then turned into pointers. */
static size_t
keep_text(struct jd_set *s, const char *p)
{
	size_t off = s->text.len;

	if (!p)
		return (size_t)-1;
	sb_adds(&s->text, p);
	sb_addc(&s->text, '\0');
	return off;
}

static int
collect_dialogue(void *ctx, const struct st_dialogue *d, const struct st_turn *turns,
		 size_t nturns, const struct st_label *labels, size_t nlabels,
		 struct dl_error *err)
{
	struct collect *c = ctx;
	struct jd_set *s = c->s;
	struct jd_dialogue *jd;
	int *goal = xmalloc((nturns + 1) * sizeof(int)), *fp = xmalloc((nturns + 1) * sizeof(int));
	int *rp = xmalloc((nturns + 1) * sizeof(int));
	int *oc = NULL, maxgoal = 0, any = 0;
	size_t i, l;

	(void)err;
	for (i = 0; i < nturns; i++)
		goal[i] = fp[i] = rp[i] = -1;
	for (l = 0; l < nlabels; l++) {
		const struct st_label *lb = &labels[l];
		json_t *v;

		if (lb->turn_idx >= (int)nturns)
			continue;
		if (!strcmp(lb->kind, "goal") && lb->turn_idx >= 0) {
			v = jw_parse(lb->value);
			if (json_is_integer(v) && json_integer_value(v) >= 1 &&
			    json_integer_value(v) <= 10000) {
				goal[lb->turn_idx] = (int)json_integer_value(v);
				any = 1;
			}
			json_decref(v);
		} else if (!strcmp(lb->kind, "failure_point") && lb->turn_idx >= 0) {
			v = jw_parse(lb->value);
			if (json_is_string(v) && fmt_fp_parse(json_string_value(v)) >= 0) {
				fp[lb->turn_idx] = fmt_fp_parse(json_string_value(v));
				any = 1;
			}
			json_decref(v);
		} else if (!strcmp(lb->kind, "rephrase") && lb->turn_idx >= 1) {
			v = jw_parse(lb->value);
			if (json_is_boolean(v)) {
				rp[lb->turn_idx] = json_is_true(v);
				any = 1;
			}
			json_decref(v);
		}
	}
	for (i = 0; i < nturns; i++)
		if (goal[i] > maxgoal)
			maxgoal = goal[i];
	oc = xmalloc(((size_t)maxgoal + 2) * sizeof(int));
	for (i = 0; i <= (size_t)maxgoal; i++)
		oc[i] = -1;
	for (l = 0; l < nlabels; l++) {
		json_t *v;
		const char *o;
		json_int_t g;

		if (strcmp(labels[l].kind, "goal_outcome"))
			continue;
		v = jw_parse(labels[l].value);
		g = json_integer_value(json_object_get(v, "goal"));
		o = json_string_value(json_object_get(v, "outcome"));
		if (o && g >= 1 && g <= maxgoal) {
			oc[g] = !strcmp(o, "success");
			any = 1;
		}
		json_decref(v);
	}
	if (!any) {
		free(goal);
		free(fp);
		free(rp);
		free(oc);
		return 0;
	}
	if (s->nd == s->capd) {
		s->capd = s->capd ? 2 * s->capd : 64;
		s->d = xrealloc(s->d, s->capd * sizeof(*s->d));
	}
	jd = &s->d[s->nd++];
	jd->id = d->id;
	jd->dev = dataset_is_dev(d->ext_id, c->split, c->seed);
	s->dev_dialogues += jd->dev;
	jd->first = s->nt;
	jd->n = nturns;
	jd->goal = goal;
	jd->fp = fp;
	jd->reph = rp;
	jd->outcome = oc;
	jd->maxgoal = maxgoal;
	for (i = 0; i < nturns; i++) {
		struct jd_turn *t;

		if (s->nt == s->capt) {
			s->capt = s->capt ? 2 * s->capt : 256;
			s->turns = xrealloc(s->turns, s->capt * sizeof(*s->turns));
		}
		t = &s->turns[s->nt++];
		judge_turn(t, &turns[i]);
		if (!t->intent[0])
			judge_intent_from_labels(t, turns[i].idx, labels, nlabels);
		t->text = (const char *)(uintptr_t)keep_text(s, turns[i].text);
		t->response = (const char *)(uintptr_t)keep_text(s, turns[i].response);
	}
	return 0;
}

/* Turn the kept offsets of the turns' texts into pointers, once s->text stops growing. */
static void
resolve_texts(struct jd_set *s)
{
	size_t i;

	for (i = 0; i < s->nt; i++) {
		size_t a = (size_t)(uintptr_t)s->turns[i].text;
		size_t b = (size_t)(uintptr_t)s->turns[i].response;

		s->turns[i].text = s->text.buf + a;
		s->turns[i].response = b == (size_t)-1 ? NULL : s->text.buf + b;
	}
	s->dialogues = (long)s->nd;
}

int
jd_set_from_store(struct jd_set *s, struct store *st, double dev_split, uint64_t seed,
		  struct dl_error *err)
{
	struct collect c = { s, dev_split, seed };

	memset(s, 0, sizeof(*s));
	sb_init(&s->text);
	if (store_each_dialogue(st, LF_HUMAN | LF_WITH_DECISIONS, collect_dialogue, &c, err))
		return -1;
	resolve_texts(s);
	return 0;
}

void
jd_set_release(struct jd_set *s)
{
	size_t i;

	for (i = 0; i < s->nd; i++) {
		free(s->d[i].goal);
		free(s->d[i].fp);
		free(s->d[i].reph);
		free(s->d[i].outcome);
	}
	free(s->d);
	free(s->turns);
	sb_release(&s->text);
	memset(s, 0, sizeof(*s));
}

/* Is every turn of d given a gold goal? */
static int
fully_segmented(const struct jd_dialogue *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->goal[i] < 1)
			return 0;
	return d->n > 0;
}

/* The turns [*a, *end) of goal g of d; 0 when g has none. */
static int
goal_span(const struct jd_dialogue *d, int g, size_t *a, size_t *end)
{
	size_t i;

	for (i = 0; i < d->n && d->goal[i] != g; i++)
		;
	if (i == d->n)
		return 0;
	*a = i;
	for (; i < d->n && d->goal[i] == g; i++)
		;
	*end = i;
	return 1;
}

/* Call fn for each example of task in d: its features, then its gold class. */
typedef void (*example_fn)(void *ctx, const char *features, int gold);

static void
each_example(const struct jd_set *s, const struct jd_dialogue *d, enum jd_task task,
	     struct strbuf *sb, example_fn fn, void *ctx)
{
	const struct jd_turn *t = s->turns + d->first;
	size_t i, a, end;
	int g;

	switch (task) {
	case JD_FPI:
		for (i = 0; i < d->n; i++) {
			if (d->fp[i] < 0)
				continue;
			sb_reset(sb);
			judge_features(t, d->n, i, 0, JD_FPI, sb);
			fn(ctx, sb->buf, d->fp[i]);
		}
		break;
	case JD_BOUNDARY:
		if (!fully_segmented(d))
			break;
		for (i = 1; i < d->n; i++) {
			int prev_new = i == 1 || d->goal[i - 1] != d->goal[i - 2];

			sb_reset(sb);
			judge_features(t, d->n, i, (size_t)prev_new, JD_BOUNDARY, sb);
			fn(ctx, sb->buf, d->goal[i] != d->goal[i - 1]);
		}
		break;
	case JD_REPHRASE:
		for (i = 1; i < d->n; i++) {
			if (d->reph[i] < 0)
				continue;
			sb_reset(sb);
			judge_features(t, d->n, i, 0, JD_REPHRASE, sb);
			fn(ctx, sb->buf, d->reph[i]);
		}
		break;
	case JD_OUTCOME:
		for (g = 1; g <= d->maxgoal; g++) {
			if (d->outcome[g] < 0 || !goal_span(d, g, &a, &end))
				continue;
			sb_reset(sb);
			judge_features(t, d->n, a, end, JD_OUTCOME, sb);
			fn(ctx, sb->buf, d->outcome[g]);
		}
		break;
	}
}

struct examples {
	struct intent_example *v;
	size_t n, cap;
	struct strbuf text;
	size_t *off;
};

static void
add_example(void *ctx, const char *features, int gold)
{
	struct examples *e = ctx;

	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 256;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
		e->off = xrealloc(e->off, e->cap * sizeof(*e->off));
	}
	e->off[e->n] = e->text.len;
	sb_adds(&e->text, features);
	sb_addc(&e->text, '\0');
	e->v[e->n].ctx = NULL;
	e->v[e->n++].label = gold;
}

static void
count_example(void *ctx, const char *features, int gold)
{
	(void)features;
	(void)gold;
	(*(long *)ctx)++;
}

struct intent_model *
jd_train(const struct jd_set *s, enum jd_task task, uint64_t seed, long *n_train, long *n_dev,
	 struct dl_error *err)
{
	struct examples e = { 0 };
	struct intent_params p;
	struct intent_model *m = NULL;
	struct strbuf sb;
	const char *const *classes;
	size_t i, nc;

	sb_init(&sb);
	sb_init(&e.text);
	*n_dev = 0;
	for (i = 0; i < s->nd; i++)
		each_example(s, &s->d[i], task, &sb, s->d[i].dev ? count_example : add_example,
			     s->d[i].dev ? (void *)n_dev : (void *)&e);
	*n_train = (long)e.n;
	for (i = 0; i < e.n; i++)
		e.v[i].text = e.text.buf + e.off[i];
	classes = jd_classes(task, &nc);
	intent_params_init(&p);
	p.seed = seed;
	p.char_max = 0;		/* the tokens are features, not words */
	p.word_ngrams = 1;
	p.word_weight = 1;
	p.hash_bits = 16;
	p.epochs = 20;
	if (e.n)
		m = intent_train(e.v, e.n, classes, nc, &p, err);
	else
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "no gold %s to train on",
			     task == JD_FPI ? "failure points" : task == JD_BOUNDARY ?
			     "goal segmentations (every turn of a dialogue with a goal)" :
			     task == JD_REPHRASE ? "rephrase labels (on turns after the first)" :
			     "goal outcomes on segmented dialogues");
	free(e.v);
	free(e.off);
	sb_release(&e.text);
	sb_release(&sb);
	return m;
}

void
jd_segment(const struct intent_model *m, const struct jd_turn *t, size_t n, int *goal,
	   double *conf)
{
	struct intent_candidate top[2];
	struct strbuf sb;
	double (*best)[2], (*pr)[2][2];	/* best[i][y]; pr[i][prev][y] = P(y | prev) */
	int (*back)[2], y, p, k;
	size_t i;

	if (!n)
		return;
	best = xmalloc(n * sizeof(*best));
	back = xmalloc(n * sizeof(*back));
	pr = xmalloc(n * sizeof(*pr));
	sb_init(&sb);
	/* Viterbi over "same goal" (0) / "new goal" (1); turn 0 starts one. */
	best[0][0] = -1e300;
	best[0][1] = 0;
	for (i = 1; i < n; i++) {
		for (p = 0; p < 2; p++) {
			sb_reset(&sb);
			judge_features(t, n, i, (size_t)p, JD_BOUNDARY, &sb);
			pr[i][p][0] = pr[i][p][1] = 1e-12;
			for (k = 0; k < (int)intent_predict(m, sb.buf, top, 2); k++)
				if (top[k].id == 0 || top[k].id == 1)
					pr[i][p][top[k].id] = top[k].confidence > 1e-12 ? top[k].confidence : 1e-12;
		}
		for (y = 0; y < 2; y++) {
			double a = best[i - 1][0] + log(pr[i][0][y]);
			double b = best[i - 1][1] + log(pr[i][1][y]);

			best[i][y] = a > b ? a : b;
			back[i][y] = a > b ? 0 : 1;
		}
	}
	y = best[n - 1][1] > best[n - 1][0];
	for (i = n - 1; i > 0; i--) {
		goal[i] = y;	/* the tags first, numbered below */
		conf[i] = pr[i][back[i][y]][y];
		y = back[i][y];
	}
	goal[0] = 1;
	conf[0] = 1;
	for (i = 1; i < n; i++)
		goal[i] = goal[i - 1] + goal[i];
	sb_release(&sb);
	free(best);
	free(back);
	free(pr);
}

struct scoring {
	const struct intent_model *m;
	struct metrics_confusion cm;
	double *conf;
	int *correct;
	size_t n, cap;
};

static void
score_example(void *ctx, const char *features, int gold)
{
	struct scoring *sc = ctx;
	struct intent_candidate top;

	intent_predict(sc->m, features, &top, 1);
	metrics_confusion_add(&sc->cm, gold, top.id, NULL);
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 256;
		sc->conf = xrealloc(sc->conf, sc->cap * sizeof(*sc->conf));
		sc->correct = xrealloc(sc->correct, sc->cap * sizeof(*sc->correct));
	}
	sc->conf[sc->n] = top.confidence;
	sc->correct[sc->n++] = top.id == gold;
}

json_t *
jd_score(const struct jd_set *s, int dev_only, enum jd_task task, const struct intent_model *m,
	 double target)
{
	struct strbuf sb;
	json_t *out;
	size_t i, nc;
	const char *const *classes = jd_classes(task, &nc);

	sb_init(&sb);
	if (task == JD_BOUNDARY) {
		struct metrics_seg seg;
		int *g = NULL, *ref = NULL, *hyp = NULL;
		double *cf = NULL;
		size_t k;

		metrics_seg_init(&seg);
		for (i = 0; i < s->nd; i++) {
			const struct jd_dialogue *d = &s->d[i];

			if ((dev_only && !d->dev) || !fully_segmented(d))
				continue;
			g = xrealloc(g, (d->n + 1) * sizeof(*g));
			ref = xrealloc(ref, (d->n + 1) * sizeof(*ref));
			hyp = xrealloc(hyp, (d->n + 1) * sizeof(*hyp));
			cf = xrealloc(cf, (d->n + 1) * sizeof(*cf));
			jd_segment(m, s->turns + d->first, d->n, g, cf);
			for (k = 0; k < d->n; k++) {
				ref[k] = k > 0 && d->goal[k] != d->goal[k - 1];
				hyp[k] = k > 0 && g[k] != g[k - 1];
			}
			metrics_seg_add(&seg, ref, hyp, d->n, 0);
		}
		{
			struct metrics_prf p = metrics_seg_boundary_prf(&seg);

			out = json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f}",
					"n", (json_int_t)seg.dialogues, "gold", (json_int_t)p.gold,
					"predicted", (json_int_t)p.predicted, "correct", (json_int_t)p.tp,
					"precision", p.precision, "recall", p.recall, "f1", p.f1,
					"pk", metrics_seg_pk(&seg), "windowdiff", metrics_seg_windowdiff(&seg));
		}
		free(g);
		free(ref);
		free(hyp);
		free(cf);
	} else {
		struct scoring sc = { 0 };

		sc.m = m;
		metrics_confusion_init(&sc.cm, (int)nc, NULL);
		for (i = 0; i < s->nd; i++)
			if (!dev_only || s->d[i].dev)
				each_example(s, &s->d[i], task, &sb, score_example, &sc);
		out = learn_class_json(&sc.cm, classes, sc.conf, sc.correct, sc.n, target);
		metrics_confusion_release(&sc.cm);
		free(sc.conf);
		free(sc.correct);
	}
	sb_release(&sb);
	return out;
}

/* ---- Gold from a file ---- */

/* A JSON value's text, kept in strs (freed by the caller). */
static const char *
json_text_kept(const json_t *v, char ***strs, size_t *n)
{
	struct strbuf sb;

	if (!v)
		return NULL;
	sb_init(&sb);
	jw_value(&sb, v);
	*strs = xrealloc(*strs, (*n + 1) * sizeof(**strs));
	(*strs)[(*n)++] = sb.buf;
	return sb.buf;
}

static void
add_gold(const json_t *labels, int turn, struct st_label **v, size_t *nv, char ***strs,
	 size_t *ns)
{
	const json_t *l;
	size_t i;

	json_array_foreach(labels, i, l) {
		const char *src = json_string_value(json_object_get(l, "source"));
		struct st_label *sl;

		if (!fmt_source_gold(src))
			continue;
		*v = xrealloc(*v, (*nv + 1) * sizeof(**v));
		sl = &(*v)[(*nv)++];
		memset(sl, 0, sizeof(*sl));
		sl->turn_idx = turn;
		sl->kind = json_string_value(json_object_get(l, "kind"));
		sl->source = src;
		sl->value = json_text_kept(json_object_get(l, "value"), strs, ns);
	}
}

int
jd_set_from_file(struct jd_set *s, const char *path, enum in_format f, struct dl_error *err)
{
	struct collect c = { s, 2, 0 };	/* every dialogue held out */
	struct reader *r;
	json_t *d, *t;
	long line;
	size_t i;
	int rc;

	memset(s, 0, sizeof(*s));
	sb_init(&s->text);
	if (reader_open(&r, f, path, NULL, NULL, err))
		return -1;
	while ((rc = reader_next(r, &d, &line, err)) == 1) {
		struct st_dialogue sd = { 0 };
		struct st_turn *turns;
		struct st_label *labels = NULL;
		size_t nturns, nlabels = 0, nstrs = 0;
		char **strs = NULL;

		fmt_normalize(d);
		if (fmt_validate(d, reader_name(r), line, err)) {
			json_decref(d);
			rc = -1;
			break;
		}
		nturns = json_array_size(json_object_get(d, "turns"));
		turns = xmalloc((nturns + 1) * sizeof(*turns));
		sd.id = (int64_t)line;
		sd.ext_id = json_string_value(json_object_get(d, "id"));
		json_array_foreach(json_object_get(d, "turns"), i, t) {
			struct st_turn *st = &turns[i];
			const json_t *b = json_object_get(t, "barge_in"), *a = json_object_get(t, "asr_confidence");

			memset(st, 0, sizeof(*st));
			st->idx = (int)i;
			st->text = json_string_value(json_object_get(t, "text"));
			st->response = json_string_value(json_object_get(t, "response"));
			st->nlu = json_text_kept(json_object_get(t, "nlu"), &strs, &nstrs);
			st->ts_json = json_text_kept(json_object_get(t, "ts"), &strs, &nstrs);
			st->has_asr_confidence = json_is_number(a);
			st->asr_confidence = json_number_value(a);
			st->barge_in = json_is_boolean(b) ? json_is_true(b) : -1;
			add_gold(json_object_get(t, "labels"), (int)i, &labels, &nlabels, &strs, &nstrs);
		}
		add_gold(json_object_get(d, "labels"), -1, &labels, &nlabels, &strs, &nstrs);
		collect_dialogue(&c, &sd, turns, nturns, labels, nlabels, err);
		for (i = 0; i < nstrs; i++)
			free(strs[i]);
		free(strs);
		free(labels);
		free(turns);
		json_decref(d);
	}
	reader_close(r);
	resolve_texts(s);
	return rc < 0 ? -1 : 0;
}

/* ---- Weak labels from implicit feedback ---- */

/*
 * Slots of the live NLU of src (spans over src_text) moved onto text
 * (spans_reanchor()): each slot's words must be in text, for a weak
 * label never guesses.  Appends the JSON array to out and returns 0, or
 * returns -1 when a slot's words are not there.
 */
static int
move_slots(const json_t *slots, const char *src_text, const char *text, struct strbuf *out)
{
	struct strbuf in;
	char *moved;
	int rc;

	sb_init(&in);
	jw_value(&in, slots);
	moved = spans_reanchor(in.buf, src_text, text);
	rc = fmt_slots_unsettled(moved) ? -1 : 0;
	if (!rc)
		sb_adds(out, moved);
	free(moved);
	sb_release(&in);
	return rc;
}

/* Did turn i work, as far as the user's behaviour tells? */
static int
worked(const struct jd_turn *t, size_t n, size_t i)
{
	if (!strcmp(judge_response_kind(t[i].response), "err") || t[i].barge_in == 1)
		return 0;
	if (i + 1 < n && (judge_negates(t[i + 1].text) ||
			  (reph(t, i + 1) >= 0.5 &&
			   (t[i].ts < 0 || t[i + 1].ts < 0 || t[i + 1].ts - t[i].ts < 60))))
		return 0;
	return 1;
}

int
jd_restated(const struct jd_turn *t, size_t n, size_t i)
{
	return i + 1 < n && !worked(t, n, i) && worked(t, n, i + 1) && reph(t, i + 1) >= 0.4 &&
	       (t[i].ts < 0 || t[i + 1].ts < 0 || t[i + 1].ts - t[i].ts < 60);
}

int
judge_weak(const struct st_turn *turns, const struct jd_turn *t, size_t n, size_t i,
	   struct jd_weak *w)
{
	const struct st_turn *from;
	json_t *nlu;
	const json_t *in;
	double r = 0, conf;

	w->signal = NULL;
	w->intent[0] = '\0';
	w->has_slots = 0;
	w->confidence = 0;
	sb_reset(&w->slots);
	if (jd_restated(t, n, i)) {
		r = reph(t, i + 1);
		from = &turns[i + 1];	/* the rephrase that worked */
		w->signal = "rephrase";
	} else if (worked(t, n, i)) {
		from = &turns[i];	/* it worked: keep what was understood */
		w->signal = "success";
		r = 1;
	} else {
		return 0;
	}
	if (!from->nlu || !(nlu = jw_parse(from->nlu)))
		return 0;
	in = json_object_get(nlu, "intent");
	conf = json_is_number(json_object_get(nlu, "confidence")) ?
	       json_number_value(json_object_get(nlu, "confidence")) : 0.5;
	if (!json_is_string(in) || json_string_length(in) >= sizeof(w->intent)) {
		json_decref(nlu);
		return 0;
	}
	strcpy(w->intent, json_string_value(in));
	w->confidence = conf * r;
	w->has_slots = json_is_array(json_object_get(nlu, "slots")) &&
		       !move_slots(json_object_get(nlu, "slots"), from->text, turns[i].text,
				   &w->slots);
	if (!w->has_slots)
		sb_reset(&w->slots);
	json_decref(nlu);
	return 1;
}

/* ---- Repairing the words ---- */

/* The words of tl (punctuation left out): their indexes into tl, in out; returns how many. */
static size_t
words_of(const struct tok_list *tl, size_t *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < tl->n && n < max; i++)
		if (tl->v[i].kind == TOK_WORD)
			out[n++] = i;
	return n;
}

#define REPAIR_WORDS 64	/* longer utterances are not repaired */
#define REPAIR_SPAN 4	/* at most this many words differ on either side */

/*
 * The words a correction starts with that were not said the first time
 * ("no", "no i said", "i meant"): how many of b's words, none when a
 * starts with them too.
 */
static size_t
lead_in(const struct tok_list *tb, const size_t *wb, size_t nb, const struct tok_list *ta,
	const size_t *wa, size_t na)
{
	static const char *const lead[] = { "no", "nope", "not", "i", "said", "meant", "mean" };
	size_t k = 0, j;

	while (k < nb && k < 3) {
		for (j = 0; j < sizeof(lead) / sizeof(*lead); j++)
			if (!strcmp(tok_lower(tb, wb[k]), lead[j]))
				break;
		if (j == sizeof(lead) / sizeof(*lead))
			break;
		k++;
	}
	if (k && na && !strcmp(tok_lower(ta, wa[0]), tok_lower(tb, wb[0])))
		return 0;
	return k < nb ? k : 0;
}

/* Do the words x[0..nx) of ta and y[0..ny) of tb have one in common? */
static int
shares_word(const struct tok_list *ta, const size_t *x, size_t nx, const struct tok_list *tb,
	    const size_t *y, size_t ny)
{
	size_t i, j;

	for (i = 0; i < nx; i++)
		for (j = 0; j < ny; j++)
			if (!strcmp(tok_lower(ta, x[i]), tok_lower(tb, y[j])))
				return 1;
	return 0;
}

/* The copy of s[from, to), without white space when joined. */
static char *
slice(const char *s, size_t from, size_t to, int joined)
{
	char *x = xmalloc(to - from + 1);
	size_t i, k = 0;

	for (i = from; i < to; i++)
		if (!joined || !isspace((unsigned char)s[i]))
			x[k++] = s[i];
	x[k] = 0;
	return x;
}

/* The sound and spelling likeness (the larger) of a[as, ae) and b[bs, be), maybe joined. */
static double
span_sim(const char *a, size_t as, size_t ae, const char *b, size_t bs, size_t be, int joined)
{
	char *x = slice(a, as, ae, joined), *y = slice(b, bs, be, joined);
	double p = phon_similarity(x, y), r = judge_rephrase(x, y);

	free(x);
	free(y);
	return p > r ? p : r;
}

double
judge_asr_repair(const char *a, const char *b, double asr, struct strbuf *out)
{
	struct tok_list ta, tb;
	size_t wa[REPAIR_WORDS], wb[REPAIR_WORDS], na, nb, p = 0, q = 0;
	double sim = 0, conf = 0, ext;

	sb_reset(out);
	if (!a || !b)
		return 0;
	tok_list_init(&ta);
	tok_list_init(&tb);
	tok_split(&ta, a);
	tok_split(&tb, b);
	na = words_of(&ta, wa, REPAIR_WORDS);
	nb = words_of(&tb, wb, REPAIR_WORDS);
	if (na == REPAIR_WORDS || nb == REPAIR_WORDS || !na || !nb)
		goto done;
	/* "no, play imagine dragons": the correction's own lead-in is not what was said */
	p = lead_in(&tb, wb, nb, &ta, wa, na);
	if (p) {
		memmove(wb, wb + p, (nb - p) * sizeof(*wb));
		nb -= p;
		p = 0;
	}
	while (p < na && p < nb && !strcmp(tok_lower(&ta, wa[p]), tok_lower(&tb, wb[p])))
		p++;
	while (q < na - p && q < nb - p &&
	       !strcmp(tok_lower(&ta, wa[na - 1 - q]), tok_lower(&tb, wb[nb - 1 - q])))
		q++;
	/* the same words: an NLU failure; words only added or dropped: not a mishearing */
	if (!nb || p + q == na || p + q == nb || na - p - q > REPAIR_SPAN ||
	    nb - p - q > REPAIR_SPAN || shares_word(&ta, wa + p, na - p - q, &tb, wb + p, nb - p - q))
		goto done;
	{
		size_t as = ta.v[wa[p]].byte_start, ae = ta.v[wa[na - 1 - q]].byte_end;
		size_t bs = tb.v[wb[p]].byte_start, be = tb.v[wb[nb - 1 - q]].byte_end;

		/*
		 * How the differing words sound and are spelt, as words and
		 * with their letters joined: a word boundary heard in the wrong
		 * place ("maj and", "imagine") shows only joined.
		 */
		sim = span_sim(a, as, ae, b, bs, be, 0);
		ext = span_sim(a, as, ae, b, bs, be, 1);
		if (ext > sim)
			sim = ext;
		if (sim >= 0.5) {
			sb_add(out, a, as);
			sb_add(out, b + bs, be - bs);
			sb_adds(out, a + ae);
			/* a confident recogniser makes a mishearing less likely */
			conf = sim * (asr < 0 ? 0.6 : asr > 0.95 ? 0.25 : 1.2 - asr);
			if (conf > 1)
				conf = 1;
		}
	}
done:
	tok_list_release(&ta);
	tok_list_release(&tb);
	if (!conf)
		sb_reset(out);
	return conf;
}

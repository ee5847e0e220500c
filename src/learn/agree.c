#include "dialab/agree.h"

#include <stdlib.h>
#include <string.h>

#include "dialab/dataset.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/metrics.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

/* The kinds agreement is measured on, and how. */
enum ag_how { AG_CATEGORY, AG_SPANS, AG_GOALS };

static const struct {
	const char *kind;
	enum ag_how how;
} kinds[] = {
	{ "intent", AG_CATEGORY },
	{ "slots", AG_SPANS },
	{ "transcription", AG_CATEGORY },
	{ "failure_point", AG_CATEGORY },
	{ "goal", AG_GOALS },
	{ "goal_outcome", AG_CATEGORY },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* One target of one kind: a turn, or for goal_outcome a goal of a dialogue. */
struct target {
	int64_t did;
	int turn;		/* goal_outcome: the goal number */
	int nturns;		/* turns of the dialogue (for goals) */
	int model;		/* category of the models' answer, -1: none */
	int gen;		/* category of implicit feedback's answer, -1: none */
	double gconf;		/* its confidence */
};

/*
 * One answer: target index, annotator, category; for slots the arena
 * offset of the value, followed there by the words it stands on.
 */
struct answer {
	size_t target;
	int ann;
	long cat;
};

struct per_kind {
	struct target *t;
	size_t nt, capt;
	struct answer *a;
	size_t na, capa;
	struct ds_names cats;	/* category values as canonical JSON text */
};

struct collect {
	int only;		/* index in kinds[], -1: all */
	struct ds_names anns;
	struct per_kind k[NKINDS];
	struct strbuf arena;	/* slot values and texts */
	struct strbuf tmp;
};

static size_t
keep(struct strbuf *a, const char *s)
{
	size_t off = a->len;

	sb_adds(a, s);
	sb_addc(a, '\0');
	return off;
}

/* The target (did, turn) of pk, added when new (targets of a dialogue are contiguous). */
static size_t
target_of(struct per_kind *pk, size_t first, int64_t did, int turn, int nturns)
{
	size_t i;

	for (i = first; i < pk->nt; i++)
		if (pk->t[i].did == did && pk->t[i].turn == turn)
			return i;
	if (pk->nt == pk->capt) {
		pk->capt = pk->capt ? 2 * pk->capt : 256;
		pk->t = xrealloc(pk->t, pk->capt * sizeof(*pk->t));
	}
	pk->t[pk->nt].did = did;
	pk->t[pk->nt].turn = turn;
	pk->t[pk->nt].nturns = nturns;
	pk->t[pk->nt].model = -1;
	pk->t[pk->nt].gen = -1;
	pk->t[pk->nt].gconf = 0;
	return pk->nt++;
}

/* Record annotator ann's answer; a later answer of the same annotator replaces it. */
static void
answer(struct per_kind *pk, size_t first_answer, size_t target, int ann, long cat)
{
	size_t i;

	for (i = first_answer; i < pk->na; i++)
		if (pk->a[i].target == target && pk->a[i].ann == ann) {
			pk->a[i].cat = cat;
			return;
		}
	if (pk->na == pk->capa) {
		pk->capa = pk->capa ? 2 * pk->capa : 256;
		pk->a = xrealloc(pk->a, pk->capa * sizeof(*pk->a));
	}
	pk->a[pk->na].target = target;
	pk->a[pk->na].ann = ann;
	pk->a[pk->na++].cat = cat;
}

static int
on_dialogue(void *ctx, const struct st_dialogue *d, const struct st_turn *turns,
	    size_t nturns, const struct st_label *labels, size_t nlabels,
	    struct dl_error *err)
{
	struct collect *c = ctx;
	size_t first_t[NKINDS], first_a[NKINDS], l, k, ti;
	const char *text;

	(void)err;
	for (k = 0; k < NKINDS; k++) {
		first_t[k] = c->k[k].nt;
		first_a[k] = c->k[k].na;
	}
	for (l = 0; l < nlabels; l++) {
		const struct st_label *lb = &labels[l];
		int human = !strncmp(lb->source, "human:", 6);
		int model = !strncmp(lb->source, "model:", 6) || !strncmp(lb->source, "implicit:", 9);
		int kk = -1, turn = lb->turn_idx;
		struct per_kind *pk;
		json_t *v = NULL;
		long cat;

		for (k = 0; k < NKINDS; k++)
			if (!strcmp(kinds[k].kind, lb->kind))
				kk = (int)k;
		if (kk < 0 || (c->only >= 0 && kk != c->only) || (!human && !model))
			continue;
		pk = &c->k[kk];
		sb_reset(&c->tmp);
		if (!strcmp(lb->kind, "goal_outcome")) {
			/* A target per goal; the category is the outcome. */
			v = jw_parse(lb->value);
			if (!json_is_integer(json_object_get(v, "goal")) ||
			    !json_is_string(json_object_get(v, "outcome"))) {
				json_decref(v);
				continue;
			}
			turn = (int)json_integer_value(json_object_get(v, "goal"));
			sb_adds(&c->tmp, json_string_value(json_object_get(v, "outcome")));
			json_decref(v);
		} else {
			if (turn < 0 || (size_t)turn >= nturns)
				continue;
			sb_adds(&c->tmp, lb->value);
		}
		ti = target_of(pk, first_t[kk], d->id, turn, (int)nturns);
		if (kinds[kk].how == AG_SPANS) {
			/* the value, then the words it stands on: its source's transcription, if any */
			json_t *words;

			text = turns[lb->turn_idx].text;
			words = dataset_slot_words(labels, nlabels, lb, &text);
			cat = (long)keep(&c->arena, c->tmp.buf);
			keep(&c->arena, text);
			json_decref(words);
		} else if (kinds[kk].how == AG_GOALS) {
			v = jw_parse(lb->value);
			cat = json_is_integer(v) ? (long)json_integer_value(v) : -1;
			json_decref(v);
			if (cat < 1)
				continue;
		} else {
			cat = ds_names_add(&pk->cats, c->tmp.buf);
		}
		if (model)
			pk->t[ti].model = (int)cat;
		if (!strncmp(lb->source, "implicit:", 9)) {
			pk->t[ti].gen = (int)cat;
			pk->t[ti].gconf = lb->has_confidence ? lb->confidence : 1;
		}
		if (!model)
			answer(pk, first_a[kk], ti, ds_names_add(&c->anns, lb->source + 6), cat);
	}
	return 0;
}

/* The words a slots answer (an arena string) stands on: kept right after it. */
static const char *
words_of(const char *value)
{
	return value + strlen(value) + 1;
}

/*
 * Spans for metrics_spans_match(): by offsets, or, with text, by their
 * lower-cased words (a hash) and the how-many-th such span they are.
 */
static void
spans_of(const struct slot_span *s, size_t n, const char *text, struct metrics_span *out)
{
	struct strbuf raw, norm;
	size_t i, j;

	sb_init(&raw);
	sb_init(&norm);
	for (i = 0; i < n; i++) {
		long a, b;

		out[i] = (struct metrics_span){ s[i].type, (long)s[i].start, (long)s[i].end };
		if (!text)
			continue;
		a = utf8_cp_to_byte(text, s[i].start);
		b = utf8_cp_to_byte(text, s[i].end);
		sb_reset(&raw);
		sb_add(&raw, text + a, (size_t)(b - a));
		sb_adds(&raw, "");
		tok_norm(&norm, raw.buf);
		out[i].start = (long)(tok_hash(norm.buf ? norm.buf : "", norm.len, 4) & 0x7fffffff);
		out[i].end = 0;
		for (j = 0; j < i; j++)
			out[i].end += out[j].type == out[i].type && out[j].start == out[i].start;
	}
	sb_release(&raw);
	sb_release(&norm);
}

/* ---- Kinds with categories ---- */

static json_t *
ratio(long n, long d)
{
	return json_real(d ? (double)n / (double)d : 0);
}

/*
 * The lowest confidence at which implicit feedback's answers (gen,
 * gconf of the targets) are at least as accurate against gold as bar
 * (metrics_curve_threshold(): ties of confidence go together):
 * {"bar", "threshold", "coverage" (of its answers on gold targets),
 * "accuracy", "items"}, threshold null when none reaches it.
 */
static json_t *
at_bar(const struct per_kind *pk, const int *gold, double bar)
{
	double *conf = xmalloc((pk->nt + 1) * sizeof(*conf));
	int *right = xmalloc((pk->nt + 1) * sizeof(*right));
	const struct metrics_curve_point *pt = NULL;
	struct metrics_curve c = { 0 };
	struct dl_error err = { 0 };
	size_t i, n = 0;
	json_t *o;

	for (i = 0; i < pk->nt; i++)
		if (gold[i] >= 0 && pk->t[i].gen >= 0) {
			conf[n] = pk->t[i].gconf;
			right[n++] = pk->t[i].gen == gold[i];
		}
	if (!metrics_curve_init(&c, conf, right, n, &err))
		pt = metrics_curve_threshold(&c, bar);
	o = json_pack("{s:f,s:I}", "bar", bar, "items", (json_int_t)n);
	json_object_set_new(o, "threshold", pt ? json_real(pt->threshold) : json_null());
	json_object_set_new(o, "coverage", json_real(pt ? pt->coverage : 0));
	json_object_set_new(o, "accuracy", json_real(pt ? pt->accuracy : 0));
	metrics_curve_release(&c);
	free(conf);
	free(right);
	return o;
}

static json_t *
category_report(const struct per_kind *pk, int nann, const struct ds_names *anns)
{
	size_t nt = pk->nt, i, j;
	int *r = xmalloc((nt * (size_t)nann + 1) * sizeof(*r)), *gold, *loo, *row, *a, *b;
	int k = (int)pk->cats.n, x, y, m, maxm = 0;
	long *counts, items2 = 0, gold_n = 0, model_n = 0, model_ok = 0;
	long pool_n = 0, pool_ok = 0, pool_mn = 0, pool_mok = 0;
	json_t *o, *pairs = json_array(), *single = json_array();
	double v;

	if (k < 1)
		k = 1;
	for (i = 0; i < nt * (size_t)nann; i++)
		r[i] = -1;
	for (i = 0; i < pk->na; i++)
		r[pk->a[i].target * (size_t)nann + (size_t)pk->a[i].ann] = (int)pk->a[i].cat;
	for (i = 0; i < nt; i++) {
		for (m = 0, x = 0; x < nann; x++)
			m += r[i * (size_t)nann + (size_t)x] >= 0;
		items2 += m >= 2;
		if (m > maxm)
			maxm = m;
	}
	o = json_pack("{s:I, s:I}", "targets", (json_int_t)nt, "items", (json_int_t)items2);
	/* Pairs. */
	a = xmalloc((nt + 1) * sizeof(*a));
	b = xmalloc((nt + 1) * sizeof(*b));
	for (x = 0; x < nann; x++)
		for (y = x + 1; y < nann; y++) {
			long both = 0, same = 0;

			for (i = 0; i < nt; i++) {
				a[i] = r[i * (size_t)nann + (size_t)x];
				b[i] = r[i * (size_t)nann + (size_t)y];
				if (a[i] >= 0 && b[i] >= 0) {
					both++;
					same += a[i] == b[i];
				}
			}
			if (!both || metrics_cohen_kappa(a, b, nt, k, &v, NULL))
				continue;
			json_array_append_new(pairs, json_pack("{s:s, s:s, s:I, s:o, s:f}",
				"a", anns->v[x], "b", anns->v[y], "items", (json_int_t)both,
				"agreement", ratio(same, both), "kappa", v));
		}
	free(a);
	free(b);
	json_object_set_new(o, "pairs", pairs);
	/* Fleiss over the targets rated by the most annotators. */
	if (maxm >= 2) {
		long nf = 0;

		counts = xmalloc((nt * (size_t)k + 1) * sizeof(*counts));
		for (i = 0; i < nt; i++) {
			long *c = counts + nf * k;

			for (m = 0, x = 0; x < nann; x++)
				m += r[i * (size_t)nann + (size_t)x] >= 0;
			if (m != maxm)
				continue;
			memset(c, 0, (size_t)k * sizeof(*c));
			for (x = 0; x < nann; x++)
				if (r[i * (size_t)nann + (size_t)x] >= 0)
					c[r[i * (size_t)nann + (size_t)x]]++;
			nf++;
		}
		if (!metrics_fleiss_kappa(counts, (size_t)nf, k, &v, NULL))
			json_object_set_new(o, "fleiss", json_pack("{s:i, s:I, s:f}", "raters", maxm,
								   "items", (json_int_t)nf, "kappa", v));
		free(counts);
	}
	if (!metrics_krippendorff_alpha(r, nt, (size_t)nann, k, &v, NULL) && items2)
		json_object_set_new(o, "alpha", json_real(v));
	/* Majority gold and the model against it. */
	gold = xmalloc((nt + 1) * sizeof(*gold));
	metrics_majority_gold(r, nt, (size_t)nann, 2, gold);
	for (i = 0; i < nt; i++) {
		if (gold[i] < 0)
			continue;
		gold_n++;
		if (pk->t[i].model >= 0) {
			model_n++;
			model_ok += pk->t[i].model == gold[i];
		}
	}
	json_object_set_new(o, "gold", json_pack("{s:I, s:i}", "items", (json_int_t)gold_n,
						  "quorum", 2));
	json_object_set_new(o, "model_vs_gold", json_pack("{s:I, s:o}", "items",
		(json_int_t)model_n, "accuracy", ratio(model_ok, model_n)));
	/* Each annotator against the majority of the others, beside the model. */
	loo = xmalloc(((size_t)nann + 1) * sizeof(*loo));
	for (x = 0; x < nann; x++) {
		long n = 0, ok = 0, mn = 0, mok = 0;

		for (i = 0; i < nt; i++) {
			int mine = r[i * (size_t)nann + (size_t)x], g;

			if (mine < 0)
				continue;
			row = r + i * (size_t)nann;
			for (j = 0, m = 0; j < (size_t)nann; j++)
				if ((int)j != x)
					loo[m++] = row[j];
			if ((g = metrics_majority(loo, (size_t)m, 2)) < 0)
				continue;
			n++;
			ok += mine == g;
			if (pk->t[i].model >= 0) {
				mn++;
				mok += pk->t[i].model == g;
			}
		}
		if (!n)
			continue;
		pool_n += n;
		pool_ok += ok;
		pool_mn += mn;
		pool_mok += mok;
		json_array_append_new(single, json_pack("{s:s, s:I, s:o, s:I, s:o}",
			"annotator", anns->v[x], "items", (json_int_t)n, "accuracy", ratio(ok, n),
			"model_items", (json_int_t)mn, "model_accuracy", ratio(mok, mn)));
	}
	json_object_set_new(o, "single_vs_gold", single);
	json_object_set_new(o, "single_pooled", json_pack("{s:I, s:o, s:I, s:o}",
		"items", (json_int_t)pool_n, "accuracy", ratio(pool_ok, pool_n),
		"model_items", (json_int_t)pool_mn, "model_accuracy", ratio(pool_mok, pool_mn)));
	/* where implicit feedback's labels are as good as one annotator */
	json_object_set_new(o, "implicit_at_human", pool_n ?
			    at_bar(pk, gold, (double)pool_ok / (double)pool_n) : json_null());
	free(loo);
	free(gold);
	free(r);
	return o;
}

/* ---- Slots ---- */

static json_t *
spans_report(const struct per_kind *pk, const struct strbuf *arena, int nann,
	     const struct ds_names *anns)
{
	json_t *pairs = json_array();
	struct ds_names types = { 0 };
	struct metrics_span *ga = NULL, *gb = NULL;
	size_t i, j;
	int x, y;

	for (x = 0; x < nann; x++)
		for (y = x + 1; y < nann; y++) {
			long tp = 0, np = 0, ng = 0, turns = 0;

			for (i = 0; i < pk->nt; i++) {
				const char *va = NULL, *vb = NULL;
				struct slot_span *sa, *sb;
				long na, nb;
				int same;

				for (j = 0; j < pk->na; j++) {
					if (pk->a[j].target != i)
						continue;
					if (pk->a[j].ann == x)
						va = arena->buf + pk->a[j].cat;
					else if (pk->a[j].ann == y)
						vb = arena->buf + pk->a[j].cat;
				}
				if (!va || !vb)
					continue;
				na = dataset_parse_slots(va, words_of(va), &types, &sa);
				nb = dataset_parse_slots(vb, words_of(vb), &types, &sb);
				/* On other words, spans agree by type and words, not offsets. */
				same = !strcmp(words_of(va), words_of(vb));
				if (na >= 0 && nb >= 0) {
					ga = xrealloc(ga, ((size_t)na + 1) * sizeof(*ga));
					gb = xrealloc(gb, ((size_t)nb + 1) * sizeof(*gb));
					spans_of(sa, (size_t)na, same ? NULL : words_of(va), ga);
					spans_of(sb, (size_t)nb, same ? NULL : words_of(vb), gb);
					tp += metrics_spans_match(ga, (size_t)na, gb, (size_t)nb);
					ng += na;
					np += nb;
					turns++;
				}
				free(sa);
				free(sb);
			}
			if (turns) {
				struct metrics_prf p = metrics_prf_make(tp, np, ng);

				json_array_append_new(pairs, json_pack("{s:s, s:s, s:I, s:f, s:f, s:f}",
					"a", anns->v[x], "b", anns->v[y], "items", (json_int_t)turns,
					"precision", p.precision, "recall", p.recall, "f1", p.f1));
			}
		}
	free(ga);
	free(gb);
	ds_names_release(&types);
	return json_pack("{s:I, s:o}", "targets", (json_int_t)pk->nt, "pairs", pairs);
}

/* ---- Goals ---- */

/* Annotator x's boundaries of the dialogue at targets [from, to) into b; 0 if incomplete. */
static int
boundaries(const struct per_kind *pk, size_t from, size_t to, int x, int *goal, int *b, int n)
{
	size_t i, j;
	int t;

	for (t = 0; t < n; t++)
		goal[t] = -1;
	for (i = from; i < to; i++)
		for (j = 0; j < pk->na; j++)
			if (pk->a[j].target == i && pk->a[j].ann == x)
				goal[pk->t[i].turn] = (int)pk->a[j].cat;
	for (t = 0; t < n; t++) {
		if (goal[t] < 0)
			return 0;
		b[t] = t > 0 && goal[t] != goal[t - 1];
	}
	return 1;
}

static json_t *
goals_report(const struct per_kind *pk, int nann, const struct ds_names *anns)
{
	json_t *pairs = json_array();
	int x, y, n, *goal = NULL, *ba = NULL, *bb = NULL;
	size_t i, end;

	for (x = 0; x < nann; x++)
		for (y = x + 1; y < nann; y++) {
			struct metrics_seg s;

			metrics_seg_init(&s);
			for (i = 0; i < pk->nt; i = end) {
				for (end = i; end < pk->nt && pk->t[end].did == pk->t[i].did; end++)
					;
				n = pk->t[i].nturns;
				goal = xrealloc(goal, ((size_t)n + 1) * sizeof(*goal));
				ba = xrealloc(ba, ((size_t)n + 1) * sizeof(*ba));
				bb = xrealloc(bb, ((size_t)n + 1) * sizeof(*bb));
				if (boundaries(pk, i, end, x, goal, ba, n) &&
				    boundaries(pk, i, end, y, goal, bb, n))
					metrics_seg_add(&s, ba, bb, (size_t)n, 0);
			}
			if (s.dialogues) {
				struct metrics_prf p = metrics_seg_boundary_prf(&s);

				json_array_append_new(pairs, json_pack("{s:s, s:s, s:I, s:f, s:f, s:f, s:f}",
					"a", anns->v[x], "b", anns->v[y], "items", (json_int_t)s.dialogues,
					"precision", p.precision, "recall", p.recall, "f1", p.f1,
					"pk", metrics_seg_pk(&s)));
			}
		}
	free(goal);
	free(ba);
	free(bb);
	return json_pack("{s:I, s:o}", "targets", (json_int_t)pk->nt, "pairs", pairs);
}

json_t *
agree_report(struct store *st, const char *kind, struct dl_error *err)
{
	struct collect c;
	json_t *out = NULL, *by;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.only = -1;
	if (kind) {
		for (k = 0; k < NKINDS; k++)
			if (!strcmp(kinds[k].kind, kind))
				c.only = (int)k;
		if (c.only < 0) {
			dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
				     "--kind: unknown kind '%s' (intent, slots, transcription,"
				     " failure_point, goal, goal_outcome)", kind);
			return NULL;
		}
	}
	sb_init(&c.arena);
	sb_init(&c.tmp);
	sb_addc(&c.arena, '\0');	/* offset 0 means "no text" */
	if (store_each_dialogue(st, LF_ALL | LF_WITH_DECISIONS, on_dialogue, &c, err))
		goto out;
	by = json_object();
	for (k = 0; k < NKINDS; k++) {
		const struct per_kind *pk = &c.k[k];
		json_t *r;

		if ((c.only >= 0 && (int)k != c.only) || !pk->na)
			continue;
		if (kinds[k].how == AG_CATEGORY)
			r = category_report(pk, (int)c.anns.n, &c.anns);
		else if (kinds[k].how == AG_SPANS)
			r = spans_report(pk, &c.arena, (int)c.anns.n, &c.anns);
		else
			r = goals_report(pk, (int)c.anns.n, &c.anns);
		json_object_set_new(by, kinds[k].kind, r);
	}
	out = json_pack("{s:[], s:o}", "annotators", "kinds", by);
	for (k = 0; k < c.anns.n; k++)
		json_array_append_new(json_object_get(out, "annotators"), json_string(c.anns.v[k]));
out:
	for (k = 0; k < NKINDS; k++) {
		free(c.k[k].t);
		free(c.k[k].a);
		ds_names_release(&c.k[k].cats);
	}
	ds_names_release(&c.anns);
	sb_release(&c.arena);
	sb_release(&c.tmp);
	return out;
}

#include "dialab/learn.h"
#include "dialab/agree.h"
#include "dialab/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/judge.h"
#include "dialab/jsonw.h"
#include "dialab/metrics.h"
#include "dialab/spans.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"

#define TOPK 5

static const char *const model_names[LM_COUNT] = {
	"intent", "slots", "fpi", "goals", "outcome", "rephrase"
};
/* The label kind each model proposes; the last three are implicit feedback's. */
#define IMPLICIT_INTENT LM_COUNT
#define IMPLICIT_SLOTS (LM_COUNT + 1)
#define IMPLICIT_TRANSCRIPTION (LM_COUNT + 2)
#define NKINDS (LM_COUNT + 3)
static const char *const model_kinds[NKINDS] = {
	"intent", "slots", "failure_point", "goal", "goal_outcome", "rephrase", "intent", "slots",
	"transcription"
};
static const enum jd_task judge_task[4] = { JD_FPI, JD_BOUNDARY, JD_OUTCOME, JD_REPHRASE };
#define REPHRASE 5	/* the rephrase detector's model index */

/* Is model k loaded? */
static int
have(const struct learn_models *lm, int k)
{
	return k == 0 ? lm->intent != NULL : k == 1 ? lm->slots != NULL : lm->judge[k - 2] != NULL;
}

static int
version_of(const struct learn_models *lm, int k)
{
	return k == 0 ? lm->intent_version : k == 1 ? lm->slots_version : lm->judge_version[k - 2];
}

int
learn_models_parse(const char *s, unsigned *mask, int *all, struct dl_error *err)
{
	char buf[128], *tok, *save = NULL;
	int i;

	*mask = 0;
	*all = 0;
	if (strlen(s) >= sizeof(buf))
		return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL, "--model: list too long");
	strcpy(buf, s);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(tok, "all")) {
			*mask |= LM_ALL;
			*all = 1;
			continue;
		}
		if ((i = str_index(model_names, LM_COUNT, tok)) < 0)
			return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
					    "--model: unknown model '%s' (known: intent, slots, fpi,"
					    " goals, outcome, rephrase, all)", tok);
		*mask |= 1u << i;
	}
	if (!*mask)
		return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL, "--model: no model named");
	return 0;
}

/* ---- Loading ---- */

static void
split_of(const char *params, double *split, uint64_t *seed)
{
	json_t *p = jw_parse(params);

	*split = json_number_value(json_object_get(p, "dev_split"));
	*seed = (uint64_t)json_integer_value(json_object_get(p, "seed"));
	json_decref(p);
}

/*
 * The rephrase detector judge k was trained with (its params'
 * "rephrase_model" version), into lm->feed: 0, or -1 with err set.
 */
static int
load_feed(struct store *st, const char *params, struct learn_models *lm, int k,
	  struct dl_error *err)
{
	json_t *p = jw_parse(params);
	int v = (int)json_integer_value(json_object_get(p, "rephrase_model")), rc;
	struct st_model *m;

	json_decref(p);
	if (v <= 0)
		return 0;
	if ((rc = store_model_get(st, "rephrase", v, &m, err)) <= 0)
		return rc < 0 ? -1 : dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
						  "the %s model was trained with rephrase model %d,"
						  " which is not in this database", model_names[k], v);
	lm->feed[k - 2] = intent_load(m->weights, m->nweights, err);
	lm->feed_version[k - 2] = v;
	store_model_free(m);
	return lm->feed[k - 2] ? 0 : -1;
}

int
learn_models_load(struct store *st, unsigned mask, int any, struct learn_models *lm,
		  struct dl_error *err)
{
	struct st_model *m;
	size_t i;
	int k, rc;

	memset(lm, 0, sizeof(*lm));
	for (k = 0; k < LM_COUNT; k++) {
		if (!(mask & (1u << k)))
			continue;
		if ((rc = store_model_get(st, model_names[k], 0, &m, err)) < 0)
			goto fail;
		if (!rc && any)
			continue;
		if (!rc) {
			dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				     "no %s model in this database; train one with 'dialab train --model %s'",
				     model_names[k], model_names[k]);
			goto fail;
		}
		split_of(m->params, &lm->split[k], &lm->seed[k]);
		if (k >= 2) {
			lm->judge[k - 2] = intent_load(m->weights, m->nweights, err);
			lm->judge_version[k - 2] = m->version;
			if (k != REPHRASE && lm->judge[k - 2] && load_feed(st, m->params, lm, k, err))
				goto fail_model;
		} else if (k == 0) {
			lm->intent = intent_load(m->weights, m->nweights, err);
			lm->intent_version = m->version;
		} else {
			json_t *p = jw_parse(m->params), *v;

			json_array_foreach(json_object_get(p, "intents"), i, v)
				ds_names_add(&lm->slot_intents, json_string_value(v) ?
					     json_string_value(v) : "");
			json_decref(p);
			lm->slots = slots_load(m->weights, m->nweights, err);
			lm->slots_version = m->version;
		}
		store_model_free(m);
		if (!have(lm, k))
			goto fail;
		continue;
fail_model:
		store_model_free(m);
		goto fail;
	}
	for (k = 0; k < LM_COUNT && !have(lm, k); k++)
		;
	if (k == LM_COUNT) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
			     "no trained model in this database; train one with 'dialab train'");
		goto fail;
	}
	return 0;
fail:
	learn_models_release(lm);
	return -1;
}

void
learn_models_release(struct learn_models *lm)
{
	int k;

	intent_free(lm->intent);
	slots_free(lm->slots);
	for (k = 0; k < 4; k++)
		intent_free(lm->judge[k]);
	for (k = 0; k < 3; k++)
		intent_free(lm->feed[k]);
	ds_names_release(&lm->slot_intents);
	memset(lm, 0, sizeof(*lm));
}

/* ---- Prediction shared by eval and label ---- */

/* Spans of text into *buf (grown as needed); returns how many, or -1. */
static long
tag(const struct learn_models *lm, const char *text, const char *ctx, const char *intent,
    struct slot_span **buf, size_t *cap)
{
	struct dl_error err;
	int in = intent ? str_index((const char *const *)lm->slot_intents.v,
				    lm->slot_intents.n, intent) : -1;
	long n;

	if (!*cap) {
		*cap = 32;
		*buf = xmalloc(*cap * sizeof(**buf));
	}
	n = slots_predict_ctx(lm->slots, text, in, ctx, *buf, *cap, &err);
	if (n > (long)*cap) {
		*cap = (size_t)n;
		*buf = xrealloc(*buf, *cap * sizeof(**buf));
		n = slots_predict_ctx(lm->slots, text, in, ctx, *buf, *cap, &err);
	}
	return n;
}

json_t *
learn_interpret(const struct learn_models *lm, const char *text, const char *ctx)
{
	struct intent_candidate top[3];
	struct slot_span *sp = NULL;
	size_t cap = 0, k, i;
	json_t *r = json_object(), *c, *slots = json_array();
	const char *intent = NULL;
	long n;

	if (lm->intent && (k = intent_predict_ctx(lm->intent, text, ctx, top, 3)) > 0) {
		intent = top[0].name;
		json_object_set_new(r, "intent", json_string(intent));
		json_object_set_new(r, "confidence", json_real(top[0].confidence));
		c = json_array();
		for (i = 0; i < k; i++)
			json_array_append_new(c, json_pack("{s:s,s:f}", "value", top[i].name,
							   "confidence", top[i].confidence));
		json_object_set_new(r, "candidates", c);
	}
	if (lm->slots && (n = tag(lm, text, ctx, intent, &sp, &cap)) > 0) {
		for (i = 0; i < (size_t)n; i++) {
			long a = utf8_cp_to_byte(text, sp[i].start), b = utf8_cp_to_byte(text, sp[i].end);

			json_array_append_new(slots, json_pack("{s:s,s:I,s:I,s:s%,s:f}", "type",
				slots_type_name(lm->slots, (size_t)sp[i].type), "start",
				(json_int_t)sp[i].start, "end", (json_int_t)sp[i].end, "text", text + a, (size_t)(b - a), "confidence",
				sp[i].confidence));
		}
	}
	free(sp);
	json_object_set_new(r, "slots", slots);
	return r;
}

/* ---- Scoring ---- */

static json_t *
prf_json(struct metrics_prf p, long support)
{
	return json_pack("{s:f, s:f, s:f, s:I}", "precision", p.precision, "recall", p.recall,
			 "f1", p.f1, "support", (json_int_t)support);
}

static json_t *
curve_json(const double *conf, const int *correct, size_t n, double target)
{
	static const double th[] = { 0, .1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .99 };
	struct metrics_curve c;
	const struct metrics_curve_point *pt;
	json_t *pts = json_array(), *o;
	size_t i, j;

	for (j = 0; j < sizeof(th) / sizeof(th[0]); j++) {
		long kept = 0, ok = 0;

		for (i = 0; i < n; i++)
			if (conf[i] >= th[j]) {
				kept++;
				ok += correct[i] != 0;
			}
		json_array_append_new(pts, json_pack("{s:f, s:f, s:f}", "threshold", th[j],
						     "coverage", n ? (double)kept / (double)n : 0.0,
						     "accuracy", kept ? (double)ok / (double)kept : 0.0));
	}
	o = json_pack("{s:o}", "curve", pts);
	if (target > 0 && !metrics_curve_init(&c, conf, correct, n, NULL)) {
		pt = metrics_curve_threshold(&c, target);
		json_object_set_new(o, "at_target", pt ?
				    json_pack("{s:f, s:f, s:f}", "precision", target,
					      "threshold", pt->threshold, "coverage", pt->coverage) :
				    json_pack("{s:f, s:n, s:f}", "precision", target,
					      "threshold", "coverage", 0.0));
		metrics_curve_release(&c);
	}
	return o;
}

json_t *
learn_class_json(const struct metrics_confusion *cm, const char *const *names,
		 const double *conf, const int *correct, size_t n, double target)
{
	json_t *o, *per = json_object(), *labels = json_array(), *matrix = json_array(), *row, *cj;
	double mp, mr, mf;
	int *used = xmalloc((size_t)cm->k * sizeof(*used)), c, d, nu = 0;

	metrics_macro(cm, &mp, &mr, &mf);
	for (c = 0; c < cm->k; c++) {
		struct metrics_prf p = metrics_class_prf(cm, c);

		if (!p.gold && !p.predicted)
			continue;
		used[nu++] = c;
		json_array_append_new(labels, json_string(names[c]));
		json_object_set_new(per, names[c], prf_json(p, p.gold));
	}
	for (c = 0; c < nu; c++) {
		row = json_array();
		for (d = 0; d < nu; d++)
			json_array_append_new(row, json_integer(metrics_confusion_get(cm, used[c], used[d])));
		json_array_append_new(matrix, row);
	}
	free(used);
	o = json_pack("{s:I, s:f, s:f, s:f, s:f, s:o, s:{s:o, s:o}}",
		      "n", (json_int_t)cm->total, "accuracy", metrics_accuracy(cm),
		      "macro_precision", mp, "macro_recall", mr, "macro_f1", mf,
		      "per_class", per, "confusion", "labels", labels, "matrix", matrix);
	cj = curve_json(conf, correct, n, target);
	json_object_update(o, cj);
	json_decref(cj);
	return o;
}

static void
to_mspans(const struct slot_span *s, size_t n, const int *map, struct metrics_span **out,
	  size_t *cap)
{
	size_t i;

	if (n > *cap) {
		*cap = n;
		*out = xrealloc(*out, n * sizeof(**out));
	}
	for (i = 0; i < n; i++) {
		(*out)[i].type = map ? map[s[i].type] : s[i].type;
		(*out)[i].start = (long)s[i].start;
		(*out)[i].end = (long)s[i].end;
	}
}

/* ---- Context at work ---- */

json_t *
learn_context_effect(const struct intent_model *m, const char *text, const char *ctx,
		     const struct intent_candidate *best)
{
	struct intent_candidate with, bare, part;
	json_t *because;
	struct ctx less;
	const char *f;
	char buf[CTX_FEAT + 40];
	unsigned present = 0;
	int g;

	if (!m || !ctx || !*ctx)
		return NULL;
	if (best)
		with = *best;
	else if (intent_predict_ctx(m, text, ctx, &with, 1) != 1)
		return NULL;
	if (intent_predict(m, text, &bare, 1) != 1 || with.id == bare.id)
		return NULL;
	for (f = ctx; f; f = ctx_next(f))
		if ((g = ctx_group_of(f)) >= 0)
			present |= 1u << g;
	because = json_array();
	/* the groups without which the answer is not the same */
	for (g = 0; g < CG__COUNT; g++) {
		if (!(present >> g & 1))
			continue;
		ctx_filter(&less, ctx, 1u << g);
		if (intent_predict_ctx(m, text, ctx_list(&less), &part, 1) == 1 && part.id == with.id)
			continue;
		for (f = ctx; f; f = ctx_next(f))
			if (ctx_group_of(f) == g) {
				ctx_describe(f, buf, sizeof(buf));
				json_array_append_new(because, json_string(buf));
			}
	}
	if (!json_array_size(because))	/* no one group alone: all of them together */
		for (f = ctx; f; f = ctx_next(f)) {
			ctx_describe(f, buf, sizeof(buf));
			json_array_append_new(because, json_string(buf));
		}
	return json_pack("{s:{s:s,s:f},s:o}", "without", "value", bare.name, "confidence",
			 bare.confidence, "because", because);
}

struct said {
	char *norm;
	size_t item;
	int intent;
};

static int
said_cmp(const void *a, const void *b)
{
	const struct said *x = a, *y = b;
	int c = strcmp(x->norm, y->norm);

	return c ? c : (x->item > y->item) - (x->item < y->item);
}

/*
 * Which items' answers depend on their context: the same words
 * (normalised) have more than one gold intent in the data.  A flag per
 * item (malloc'd).
 */
static unsigned char *
context_dependent(const struct dataset *ds)
{
	struct said *v = xmalloc((ds->n + 1) * sizeof(*v));
	unsigned char *dep = xmalloc(ds->n + 1);
	struct strbuf sb;
	size_t i, j, k, n = 0;

	memset(dep, 0, ds->n + 1);
	sb_init(&sb);
	for (i = 0; i < ds->n; i++)
		if (ds->v[i].intent >= 0) {
			tok_norm(&sb, ds->v[i].text);
			v[n++] = (struct said){ xstrdup(sb.buf ? sb.buf : ""), i, ds->v[i].intent };
		}
	sb_release(&sb);
	if (n)
		qsort(v, n, sizeof(*v), said_cmp);
	for (i = 0; i < n; i = j) {
		int mixed = 0;

		for (j = i + 1; j < n && !strcmp(v[j].norm, v[i].norm); j++)
			mixed |= v[j].intent != v[i].intent;
		for (k = i; k < j && mixed; k++)
			dep[v[k].item] = 1;
	}
	for (i = 0; i < n; i++)
		free(v[i].norm);
	free(v);
	return dep;
}

/* Intent accuracy with the context and with it masked, on one kind of turns. */
struct ctx_tally {
	long n, right, masked_right;
};

static json_t *
tally_json(const struct ctx_tally *t)
{
	return json_pack("{s:I,s:f,s:f}", "n", (json_int_t)t->n, "accuracy",
			 t->n ? (double)t->right / (double)t->n : 0, "masked_accuracy",
			 t->n ? (double)t->masked_right / (double)t->n : 0);
}

json_t *
learn_score(const struct dataset *ds, int dev_only, const struct learn_models *lm,
	    unsigned mask, double target)
{
	struct ds_names in = { 0 }, ty = { 0 };
	struct metrics_confusion cm = { 0 };
	struct metrics_spans sp = { 0 };
	struct metrics_span *g = NULL, *p = NULL;
	struct slot_span *buf = NULL;
	size_t i, gcap = 0, pcap = 0, bcap = 0, nc = 0;
	int *imap = NULL, *smap = NULL, *correct = NULL;
	double *conf = NULL;
	long sent = 0, sent_ok = 0, items = 0;
	int do_in = (mask & LM_INTENT) && lm->intent, do_sl = (mask & LM_SLOTS) && lm->slots;
	unsigned char *dep = do_in ? context_dependent(ds) : NULL;
	struct ctx_tally ct[2] = { { 0 } };	/* controls, context-dependent */
	json_t *out;

	for (i = 0; i < ds->intents.n; i++)
		ds_names_add(&in, ds->intents.v[i]);
	for (i = 0; i < ds->types.n; i++)
		ds_names_add(&ty, ds->types.v[i]);
	if (do_in) {
		imap = xmalloc(intent_nclasses(lm->intent) * sizeof(*imap));
		for (i = 0; i < intent_nclasses(lm->intent); i++)
			imap[i] = ds_names_add(&in, intent_class_name(lm->intent, i));
		metrics_confusion_init(&cm, (int)in.n, NULL);
		conf = xmalloc((ds->n + 1) * sizeof(*conf));
		correct = xmalloc((ds->n + 1) * sizeof(*correct));
	}
	if (do_sl) {
		smap = xmalloc((slots_ntypes(lm->slots) + 1) * sizeof(*smap));
		for (i = 0; i < slots_ntypes(lm->slots); i++)
			smap[i] = ds_names_add(&ty, slots_type_name(lm->slots, i));
		metrics_spans_init(&sp, (int)ty.n, NULL);
	}
	for (i = 0; i < ds->n; i++) {
		const struct ds_item *it = &ds->v[i];
		struct intent_candidate top;
		const char *name = NULL;
		int pi = -1, spans_ok = 0;
		long n;

		if (dev_only && !it->dev)
			continue;
		items++;
		if (do_in && intent_predict_ctx(lm->intent, it->text, it->ctx, &top, 1) == 1) {
			pi = imap[top.id];
			name = top.name;
			if (it->intent >= 0) {
				metrics_confusion_add(&cm, it->intent, pi, NULL);
				conf[nc] = top.confidence;
				correct[nc++] = pi == it->intent;
			}
			if (it->intent >= 0 && it->ctx) {
				struct ctx_tally *t = &ct[dep[i]];
				struct intent_candidate bare;

				t->n++;
				t->right += pi == it->intent;
				if (intent_predict(lm->intent, it->text, &bare, 1) == 1)
					t->masked_right += imap[bare.id] == it->intent;
			}
		} else if (it->intent >= 0) {
			name = ds->intents.v[it->intent];
		}
		if (do_sl && it->has_slots &&
		    (n = tag(lm, it->text, it->ctx, name, &buf, &bcap)) >= 0) {
			to_mspans(it->spans, it->nspans, NULL, &g, &gcap);
			to_mspans(buf, (size_t)n, smap, &p, &pcap);
			metrics_spans_add(&sp, g, it->nspans, p, (size_t)n, NULL);
			spans_ok = metrics_spans_equal(g, it->nspans, p, (size_t)n);
			if (do_in && it->intent >= 0) {
				sent++;
				sent_ok += spans_ok && pi == it->intent;
			}
		}
	}
	out = json_pack("{s:I}", "items", (json_int_t)items);
	if (do_in)
		json_object_set_new(out, "intent", learn_class_json(&cm, (const char *const *)in.v, conf, correct, nc, target));
	if (do_sl) {
		struct metrics_prf a = metrics_spans_prf(&sp);
		json_t *per = json_object();
		int t;

		for (t = 0; t < (int)ty.n; t++) {
			struct metrics_prf q = metrics_spans_type_prf(&sp, t);

			if (q.gold || q.predicted)
				json_object_set_new(per, ty.v[t], prf_json(q, q.gold));
		}
		json_object_set_new(out, "slots", json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:o}",
			"n", (json_int_t)sp.sentences, "gold", (json_int_t)sp.gold,
			"predicted", (json_int_t)sp.predicted, "correct", (json_int_t)sp.correct,
			"precision", a.precision, "recall", a.recall, "f1", a.f1,
			"exact", metrics_spans_exact(&sp), "per_type", per));
	}
	if (do_in && do_sl)
		json_object_set_new(out, "sentence_accuracy",
				    json_real(sent ? (double)sent_ok / (double)sent : 0));
	if (ct[0].n + ct[1].n)
		json_object_set_new(out, "context", json_pack("{s:I,s:o,s:o}", "turns",
			(json_int_t)(ct[0].n + ct[1].n), "dependent", tally_json(&ct[1]),
			"controls", tally_json(&ct[0])));
	free(dep);
	metrics_confusion_release(&cm);
	metrics_spans_release(&sp);
	ds_names_release(&in);
	ds_names_release(&ty);
	free(imap);
	free(smap);
	free(conf);
	free(correct);
	free(g);
	free(p);
	free(buf);
	return out;
}

/* ---- Training ---- */

static char *
json_text(const json_t *v)
{
	struct strbuf sb;

	sb_init(&sb);
	jw_value(&sb, v);
	return sb.buf;
}

/* Store a trained model; adds its entry to report.  Returns its version, or -1. */
static int
put_model(struct store *st, const char *name, const struct learn_opts *o, struct strbuf *blob,
	  long n_train, long n_dev, json_t *params, json_t *metrics, double secs,
	  json_t *report, struct dl_error *err)
{
	struct st_model m = { 0 };
	int rc;

	json_object_set_new(params, "weak", json_boolean(o->weak));
	if (!strcmp(name, "intent") || !strcmp(name, "slots"))
		json_object_set_new(params, "context", json_boolean(!o->no_context));
	m.name = (char *)name;
	m.annotator = (char *)o->annotator;
	m.n_train = n_train;
	m.params = json_text(params);
	m.metrics = metrics ? json_text(metrics) : NULL;
	m.weights = (unsigned char *)blob->buf;
	m.nweights = blob->len;
	rc = store_model_put(st, &m, err);
	free(m.params);
	free(m.metrics);
	if (!rc)
		json_array_append_new(json_object_get(report, "models"),
				      json_pack("{s:s, s:i, s:I, s:I, s:f, s:I, s:O, s:o}", "name", name,
						"version", m.version, "n_train", (json_int_t)n_train,
						"n_dev", (json_int_t)n_dev, "seconds", secs,
						"bytes", (json_int_t)blob->len, "params", params,
						"metrics", metrics ? metrics : json_null()));
	else
		json_decref(metrics);
	return rc ? -1 : m.version;
}

static int
train_intent(struct store *st, const struct learn_opts *o, const struct dataset *ds,
	     json_t *report, struct dl_error *err)
{
	struct intent_example *ex = xmalloc((ds->n + 1) * sizeof(*ex));
	struct learn_models lm = { 0 };
	struct intent_params p;
	struct strbuf blob;
	json_t *params, *metrics = NULL;
	size_t i, n = 0, ndev = 0;
	double t0 = clock_now();
	int rc;

	for (i = 0; i < ds->n; i++) {
		if (ds->v[i].intent < 0)
			continue;
		if (ds->v[i].dev) {
			ndev++;
			continue;
		}
		ex[n].text = ds->v[i].text;
		ex[n].ctx = o->no_context ? NULL : ds->v[i].ctx;
		ex[n++].label = ds->v[i].intent;
	}
	intent_params_init(&p);
	p.seed = o->seed;
	lm.intent = intent_train(ex, n, (const char *const *)ds->intents.v, ds->intents.n, &p, err);
	free(ex);
	if (!lm.intent)
		return -1;
	sb_init(&blob);
	intent_save(lm.intent, &blob);
	params = json_pack("{s:I, s:f, s:i, s:f, s:f, s:f, s:i, s:i, s:i, s:i}",
			   "seed", (json_int_t)o->seed, "dev_split", o->dev_split, "epochs", p.epochs,
			   "learning_rate", p.learning_rate, "l2", p.l2, "word_weight", p.word_weight,
			   "hash_bits", p.hash_bits, "word_ngrams", p.word_ngrams,
			   "char_min", p.char_min, "char_max", p.char_max);
	if (ndev) {
		json_t *s = learn_score(ds, 1, &lm, LM_INTENT, 0);

		metrics = json_incref(json_object_get(s, "intent"));
		json_object_del(metrics, "confusion");
		json_decref(s);
	}
	rc = put_model(st, "intent", o, &blob, (long)n, (long)ndev, params, metrics,
		       clock_now() - t0, report, err) < 0 ? -1 : 0;
	json_decref(params);
	sb_release(&blob);
	learn_models_release(&lm);
	return rc;
}

static int
train_slots(struct store *st, const struct learn_opts *o, const struct dataset *ds,
	    json_t *report, struct dl_error *err)
{
	struct slots_example *ex = xmalloc((ds->n + 1) * sizeof(*ex));
	struct learn_models lm = { 0 };
	struct slots_params p;
	struct strbuf blob;
	json_t *params, *metrics = NULL, *intents = json_array();
	size_t i, n = 0, ndev = 0;
	double t0 = clock_now();
	int rc;

	for (i = 0; i < ds->n; i++) {
		if (!ds->v[i].has_slots)
			continue;
		if (ds->v[i].dev) {
			ndev++;
			continue;
		}
		ex[n].text = ds->v[i].text;
		ex[n].spans = ds->v[i].spans;
		ex[n].nspans = ds->v[i].nspans;
		ex[n].ctx = o->no_context ? NULL : ds->v[i].ctx;
		ex[n++].intent = ds->v[i].intent < 4096 ? ds->v[i].intent : -1;
	}
	slots_params_init(&p);
	p.seed = o->seed;
	if (!ds->types.n) {
		free(ex);
		json_decref(intents);
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "the gold slot labels name no slot type; nothing to learn");
	}
	lm.slots = slots_train(ex, n, (const char *const *)ds->types.v, ds->types.n, &p, err);
	free(ex);
	if (!lm.slots) {
		json_decref(intents);
		return -1;
	}
	for (i = 0; i < ds->intents.n; i++) {
		json_array_append_new(intents, json_string(ds->intents.v[i]));
		ds_names_add(&lm.slot_intents, ds->intents.v[i]);
	}
	sb_init(&blob);
	slots_save(lm.slots, &blob);
	params = json_pack("{s:I, s:f, s:i, s:b, s:b, s:f, s:o}", "seed", (json_int_t)o->seed,
			   "dev_split", o->dev_split, "epochs", p.epochs, "gazetteer", p.gazetteer,
			   "constrain", p.constrain, "intent_dropout", p.intent_dropout,
			   "intents", intents);
	if (ndev) {
		/* Scored as labelling will run: with the gold intent, if any, else none. */
		json_t *s = learn_score(ds, 1, &lm, LM_SLOTS, 0);

		metrics = json_incref(json_object_get(s, "slots"));
		json_decref(s);
	}
	rc = put_model(st, "slots", o, &blob, (long)n, (long)ndev, params, metrics,
		       clock_now() - t0, report, err) < 0 ? -1 : 0;
	json_decref(params);
	sb_release(&blob);
	learn_models_release(&lm);
	return rc;
}

/*
 * Train the judge of model k (fpi, goals, outcome, rephrase); 1 when
 * there was nothing to learn from.  feed is the version of the rephrase
 * detector whose answers js holds (0: none).  A rephrase detector is
 * kept in *keep with its version in *version.
 */
static int
train_judge(struct store *st, const struct learn_opts *o, const struct jd_set *js, int k,
	    int feed, json_t *report, struct intent_model **keep, int *version,
	    struct dl_error *err)
{
	struct intent_model *m;
	struct strbuf blob;
	struct intent_params p;
	json_t *params, *metrics = NULL;
	long n_train = 0, n_dev = 0;
	double t0 = clock_now();
	int rc;

	if (!(m = jd_train(js, judge_task[k - 2], o->seed, &n_train, &n_dev, err)))
		return !n_train && o->any ? 1 : -1;
	sb_init(&blob);
	intent_save(m, &blob);
	intent_get_params(m, &p);
	params = json_pack("{s:I, s:f, s:i, s:f, s:f, s:i}", "seed", (json_int_t)o->seed,
			   "dev_split", o->dev_split, "epochs", p.epochs,
			   "learning_rate", p.learning_rate, "l2", p.l2, "hash_bits", p.hash_bits);
	if (k != REPHRASE)
		json_object_set_new(params, "rephrase_model", json_integer(feed));
	if (n_dev) {
		metrics = jd_score(js, 1, judge_task[k - 2], m, 0);
		json_object_del(metrics, "confusion");
	}
	rc = put_model(st, model_names[k], o, &blob, n_train, n_dev, params, metrics,
		       clock_now() - t0, report, err);
	json_decref(params);
	sb_release(&blob);
	if (rc > 0 && keep) {
		*version = rc;
		*keep = m;
		return 0;
	}
	intent_free(m);
	return rc < 0 ? -1 : 0;
}

/* Give every turn of js the rephrase detector m's answers (NULL: the fixed score). */
static void
feed_set(struct jd_set *js, const struct intent_model *m)
{
	size_t i;

	for (i = 0; i < js->nd; i++)
		jd_rephrase_fill(m, js->turns + js->d[i].first, js->d[i].n);
}

/*
 * Train the judges in models on js: the rephrase detector first, as
 * the others' evidence comes from it (or from the newest stored one).
 * Returns how many were trained, or -1.
 */
static int
train_judges(struct store *st, const struct learn_opts *o, struct jd_set *js, unsigned models,
	     json_t *report, struct dl_error *err)
{
	static const int order[] = { REPHRASE, 2, 3, 4 };
	struct intent_model *feed = NULL;
	struct st_model *sm;
	int i, k, rc, version = 0, trained = 0;

	for (i = 0; i < 4; i++) {
		k = order[i];
		if (models & (1u << k)) {
			if (o->progress)
				o->progress(o->pctx, model_names[k], 0, 0);
			rc = train_judge(st, o, js, k, version, report, k == REPHRASE ? &feed : NULL,
					 &version, err);
			if (rc < 0) {
				intent_free(feed);
				return -1;
			}
			trained += !rc;
		}
		if (k != REPHRASE)
			continue;
		if (!feed && (models & (LM_FPI | LM_GOALS | LM_OUTCOME))) {
			if ((rc = store_model_get(st, "rephrase", 0, &sm, err)) < 0)
				return -1;
			if (rc) {
				feed = intent_load(sm->weights, sm->nweights, err);
				version = sm->version;
				store_model_free(sm);
				if (!feed)
					return -1;
			}
		}
		if (feed)
			feed_set(js, feed);
	}
	intent_free(feed);
	return trained;
}

json_t *
learn_train(struct store *st, const struct learn_opts *o, struct dl_error *err)
{
	struct dataset ds;
	struct jd_set js;
	json_t *report = NULL;
	size_t i, nin = 0, nsl = 0;
	unsigned models = o->models;
	int rc, trained = 0;

	dataset_init(&ds);
	memset(&js, 0, sizeof(js));
	sb_init(&js.text);
	if (o->progress)
		o->progress(o->pctx, "reading gold labels", 0, 0);
	if (dataset_from_store(&ds, st, o->dev_split, o->seed, o->weak, err))
		goto out;
	for (i = 0; i < ds.n; i++) {
		nin += ds.v[i].intent >= 0 && !ds.v[i].dev;
		nsl += ds.v[i].has_slots && !ds.v[i].dev;
	}
	if (o->any) {
		if (!nin)
			models &= ~(unsigned)LM_INTENT;
		if (!nsl)
			models &= ~(unsigned)LM_SLOTS;
	}
	if (((models & LM_INTENT) && !nin) || ((models & LM_SLOTS) && !nsl)) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
			     "no human %s labels to train on%s; import labelled data or review some turns first",
			     (models & LM_INTENT) && !nin ? "intent" : "slot",
			     o->dev_split > 0 && ds.n ? " outside the held-out split" : "");
		goto out;
	}
	if ((models & LM_JUDGES) && (jd_set_release(&js),
				     jd_set_from_store(&js, st, o->dev_split, o->seed, err)))
		goto out;
	report = json_pack("{s:[], s:I, s:I, s:I, s:I}", "models", "dialogues",
			   (json_int_t)ds.dialogues, "dev_dialogues", (json_int_t)ds.dev_dialogues,
			   "skipped_slots", (json_int_t)ds.skipped, "weak", (json_int_t)ds.weak);
	if (store_begin(st, err))
		goto fail;
	if (models & LM_INTENT) {
		if (o->progress)
			o->progress(o->pctx, "training intent", 0, (long)nin);
		if (train_intent(st, o, &ds, report, err))
			goto rollback;
		trained++;
	}
	if (models & LM_SLOTS) {
		if (o->progress)
			o->progress(o->pctx, "training slots", 0, (long)nsl);
		if (train_slots(st, o, &ds, report, err))
			goto rollback;
		trained++;
	}
	if ((rc = train_judges(st, o, &js, models, report, err)) < 0)
		goto rollback;
	trained += rc;
	if (!trained) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
			     "no human labels to train on (intents, slots, goals, goal outcomes,"
			     " failure points or rephrases); import labelled data or review some"
			     " turns first");
		goto rollback;
	}
	if (store_commit(st, err))
		goto rollback;
	goto out;
rollback:
	store_rollback(st);
fail:
	json_decref(report);
	report = NULL;
out:
	dataset_release(&ds);
	jd_set_release(&js);
	return report;
}

/* ---- Labelling ---- */

struct pending {
	int64_t did;
	int idx, kind;		/* turn (-1: the dialogue); model index */
	size_t value, cand;	/* offsets in the arena; cand (size_t)-1: none */
	size_t src;		/* the source's offset, or (size_t)-1: the model's */
	double conf;
	int has_conf;
};

struct label_run {
	const struct learn_models *lm;
	unsigned mask;
	int implicit;		/* also write implicit feedback's labels */
	const char *src;	/* set: the source of what pend() adds */
	struct dl_filter where;
	char source[LM_COUNT][64];
	struct strbuf arena, tmp, cand;
	struct pending *p;
	size_t np, cap;
	struct slot_span *buf;
	size_t bcap;
	long dialogues, turns, written[NKINDS], human[NKINDS], already[NKINDS];
	/* label --min-precision human: the least confidence of the implicit kinds, < 0: none */
	int bar;
	double min_conf[3];	/* intent (slots too), -, transcription */
};

static size_t
arena_keep(struct strbuf *a, const char *s, size_t n)
{
	size_t off = a->len;

	sb_add(a, s, n);
	sb_addc(a, '\0');
	return off;
}

static void
pend(struct label_run *r, int64_t did, int idx, int kind, const struct strbuf *value,
     const struct strbuf *cand, double conf, int has_conf)
{
	struct pending *q;

	if (r->np == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->p = xrealloc(r->p, r->cap * sizeof(*r->p));
	}
	q = &r->p[r->np++];
	q->did = did;
	q->idx = idx;
	q->kind = kind;
	q->value = arena_keep(&r->arena, value->buf, value->len);
	q->cand = cand ? arena_keep(&r->arena, cand->buf, cand->len) : (size_t)-1;
	q->src = r->src ? arena_keep(&r->arena, r->src, strlen(r->src)) : (size_t)-1;
	q->conf = conf;
	q->has_conf = has_conf;
	r->written[kind]++;
}

/*
 * A classifier's top n answers as a candidates array, into c; when the
 * context moved the best one (learn_context_effect()), the first also
 * holds what it would be without and why: "without_context", "because".
 */
static void
candidates_json(struct strbuf *c, const struct intent_candidate *top, size_t n,
		const json_t *moved)
{
	size_t k;

	sb_reset(c);
	sb_addc(c, '[');
	for (k = 0; k < n; k++) {
		sb_adds(c, k ? ",{\"value\":" : "{\"value\":");
		jw_string(c, top[k].name, strlen(top[k].name));
		sb_adds(c, ",\"confidence\":");
		jw_real(c, top[k].confidence);
		if (!k && moved) {
			sb_adds(c, ",\"without_context\":");
			jw_value(c, json_object_get(moved, "without"));
			sb_adds(c, ",\"because\":");
			jw_value(c, json_object_get(moved, "because"));
		}
		sb_addc(c, '}');
	}
	sb_addc(c, ']');
}

static void
label_turn(struct label_run *r, int64_t did, const struct st_turn *t, const char *ctx,
	   const struct st_label *labels, size_t nlabels)
{
	const struct learn_models *lm = r->lm;
	int need[2] = { (r->mask & LM_INTENT) && lm->intent, (r->mask & LM_SLOTS) && lm->slots };
	const char *human_intent = NULL, *intent = NULL;
	struct intent_candidate top[TOPK];
	struct strbuf *v = &r->tmp, *c = &r->cand;	/* scratch, kept between turns */
	size_t l, n = 0;
	json_t *hv = NULL;
	int kind;

	for (l = 0; l < nlabels; l++) {
		if (labels[l].turn_idx != t->idx)
			continue;
		kind = !strcmp(labels[l].kind, "intent") ? 0 : !strcmp(labels[l].kind, "slots") ? 1 : -1;
		if (kind < 0)
			continue;
		if (!kind && fmt_source_gold(labels[l].source))
			human_intent = labels[l].value;	/* guides the tagger too */
		if (need[kind] < 1)
			continue;
		if (fmt_source_gold(labels[l].source)) {
			need[kind] = -1;
			r->human[kind]++;
		} else if (!strcmp(labels[l].source, r->source[kind])) {
			need[kind] = -2;
			r->already[kind]++;
		}
	}
	if (need[0] < 0 && need[1] < 0)
		return;
	if (need[0] == 1 || (need[1] == 1 && !human_intent && lm->intent))
		n = intent_predict_ctx(lm->intent, t->text, ctx, top, TOPK);
	if (need[0] == 1 && n) {
		json_t *moved = ctx ? learn_context_effect(lm->intent, t->text, ctx, &top[0]) : NULL;

		sb_reset(v);
		jw_string(v, top[0].name, strlen(top[0].name));
		candidates_json(c, top, n, moved);
		json_decref(moved);
		pend(r, did, t->idx, 0, v, c, top[0].confidence, 1);
	}
	if (need[1] == 1) {
		long ns, i;
		double minc = 1;

		if (human_intent && (hv = jw_parse(human_intent)))
			intent = json_string_value(hv);
		else if (n)
			intent = top[0].name;
		ns = tag(lm, t->text, ctx, intent, &r->buf, &r->bcap);
		if (ns >= 0) {
			sb_reset(v);
			sb_addc(v, '[');
			for (i = 0; i < ns; i++) {
				const char *ty = slots_type_name(lm->slots, (size_t)r->buf[i].type);

				sb_adds(v, i ? ",{\"type\":" : "{\"type\":");
				jw_string(v, ty, strlen(ty));
				sb_addf(v, ",\"start\":%zu,\"end\":%zu}", r->buf[i].start, r->buf[i].end);
				if (r->buf[i].confidence < minc)
					minc = r->buf[i].confidence;
			}
			sb_addc(v, ']');
			pend(r, did, t->idx, 1, v, NULL, minc, 1);
		}
		json_decref(hv);
	}
}

/* Where a dialogue stands for one judge: humans answered, this version did, or neither. */
enum { FREE, HUMAN, MINE };

/*
 * Give the turns the rephrase answers judge j was trained with; *fed is
 * the version they hold now (0: the fixed score).
 */
static void
feed(const struct learn_models *lm, int j, struct jd_turn *jt, size_t n, int *fed)
{
	int v = lm->feed[j] ? lm->feed_version[j] : 0;

	if (v != *fed) {
		jd_rephrase_fill(lm->feed[j], jt, n);
		*fed = v;
	}
}

static void
label_judges(struct label_run *r, int64_t did, const struct st_turn *turns, size_t n,
	     const struct st_label *labels, size_t nlabels)
{
	const struct learn_models *lm = r->lm;
	struct intent_candidate top[3];
	struct jd_turn *jt;
	struct strbuf f, v, c;
	int *fp, *rp, *hgoal, *goal = NULL, gstate = FREE, ostate = FREE, nh = 0, use[4], k;
	int fed = 0;
	const int *segs = NULL;
	double *cf = NULL;
	size_t i, l, a, end, got;

	for (k = 0; k < 4; k++)
		use[k] = (r->mask & (1u << (k + 2))) && lm->judge[k];
	if (!use[0] && !use[1] && !use[2] && !use[3])
		return;
	fp = xmalloc((n + 1) * sizeof(*fp));
	rp = xmalloc((n + 1) * sizeof(*rp));
	hgoal = xmalloc((n + 1) * sizeof(*hgoal));
	for (i = 0; i < n; i++)
		fp[i] = rp[i] = FREE, hgoal[i] = -1;
	for (l = 0; l < nlabels; l++) {
		const struct st_label *lb = &labels[l];
		int human = fmt_source_gold(lb->source), t = lb->turn_idx;

		if (!strcmp(lb->kind, "failure_point") && t >= 0 && (size_t)t < n) {
			if (human)
				fp[t] = HUMAN;
			else if (fp[t] == FREE && !strcmp(lb->source, r->source[2]))
				fp[t] = MINE;
		} else if (!strcmp(lb->kind, "rephrase") && t >= 0 && (size_t)t < n) {
			if (human)
				rp[t] = HUMAN;
			else if (rp[t] == FREE && !strcmp(lb->source, r->source[REPHRASE]))
				rp[t] = MINE;
		} else if (!strcmp(lb->kind, "goal") && t >= 0 && (size_t)t < n) {
			if (human) {
				json_t *gv = jw_parse(lb->value);

				if (json_is_integer(gv) && hgoal[t] < 0) {
					hgoal[t] = (int)json_integer_value(gv);
					nh++;
				}
				json_decref(gv);
				gstate = HUMAN;
			} else if (gstate == FREE && !strcmp(lb->source, r->source[3])) {
				gstate = MINE;
			}
		} else if (!strcmp(lb->kind, "goal_outcome")) {
			if (human)
				ostate = HUMAN;
			else if (ostate == FREE && !strcmp(lb->source, r->source[4]))
				ostate = MINE;
		}
	}
	jt = xmalloc((n + 1) * sizeof(*jt));
	for (i = 0; i < n; i++) {
		judge_turn(&jt[i], &turns[i]);
		if (!jt[i].intent[0])
			judge_intent_from_labels(&jt[i], turns[i].idx, labels, nlabels);
		if (!jt[i].intent[0] && lm->intent &&
		    intent_predict(lm->intent, turns[i].text, top, 1) == 1 &&
		    strlen(top[0].name) < sizeof(jt[i].intent))
			strcpy(jt[i].intent, top[0].name);
	}
	sb_init(&f);
	sb_init(&v);
	sb_init(&c);
	if (use[0])
		feed(lm, 0, jt, n, &fed);
	if (use[3])
		for (i = 1; i < n; i++) {
			double p;

			if (rp[i] != FREE) {
				(rp[i] == HUMAN ? r->human : r->already)[REPHRASE]++;
				continue;
			}
			if (fed == lm->judge_version[3]) {	/* the same detector answered already */
				p = jt[i].reph_prev;
			} else {
				sb_reset(&f);
				judge_features(jt, n, i, 0, JD_REPHRASE, &f);
				intent_predict(lm->judge[3], f.buf, top, 1);
				p = top[0].id == 1 ? top[0].confidence : 1 - top[0].confidence;
			}
			sb_reset(&v);
			sb_adds(&v, p >= 0.5 ? "true" : "false");
			pend(r, did, turns[i].idx, REPHRASE, &v, NULL, p >= 0.5 ? p : 1 - p, 1);
		}
	if (use[0]) {
		for (i = 0; i < n; i++) {
			if (fp[i] != FREE) {
				(fp[i] == HUMAN ? r->human : r->already)[2]++;
				continue;
			}
			sb_reset(&f);
			judge_features(jt, n, i, 0, JD_FPI, &f);
			got = intent_predict(lm->judge[0], f.buf, top, 3);
			sb_reset(&v);
			jw_string(&v, top[0].name, strlen(top[0].name));
			candidates_json(&c, top, got, NULL);
			pend(r, did, turns[i].idx, 2, &v, &c, top[0].confidence, 1);
		}
	}
	if (lm->judge[1] && (use[1] || use[2])) {
		goal = xmalloc((n + 1) * sizeof(*goal));
		cf = xmalloc((n + 1) * sizeof(*cf));
		feed(lm, 1, jt, n, &fed);
		jd_segment(lm->judge[1], jt, n, goal, cf);
	}
	if (use[1]) {
		if (gstate != FREE)
			(gstate == HUMAN ? r->human : r->already)[3] += (long)n;
		else
			for (i = 0; i < n; i++) {
				sb_reset(&v);
				jw_integer(&v, goal[i]);
				pend(r, did, turns[i].idx, 3, &v, NULL, cf[i], 1);
			}
	}
	/* Outcomes need goals: the humans' when they segmented every turn, else the model's. */
	segs = nh == (int)n && n ? hgoal : goal;
	if (use[2] && ostate != FREE) {
		(ostate == HUMAN ? r->human : r->already)[4]++;
	} else if (use[2] && segs) {
		feed(lm, 2, jt, n, &fed);
		for (a = 0; a < n; a = end) {
			for (end = a; end < n && segs[end] == segs[a]; end++)
				;
			sb_reset(&f);
			judge_features(jt, n, a, end, JD_OUTCOME, &f);
			intent_predict(lm->judge[2], f.buf, top, 1);
			sb_reset(&v);
			sb_addf(&v, "{\"goal\":%d,\"outcome\":", segs[a]);
			jw_string(&v, top[0].name, strlen(top[0].name));
			sb_addc(&v, '}');
			pend(r, did, -1, 4, &v, NULL, top[0].confidence, 1);
		}
	}
	sb_release(&f);
	sb_release(&v);
	sb_release(&c);
	free(jt);
	free(fp);
	free(rp);
	free(hgoal);
	free(goal);
	free(cf);
}

/* May an implicit label of kind k (0 intent and slots, 2 transcription) of confidence c be written? */
static int
passes_bar(const struct label_run *r, int k, double c)
{
	return !r->bar || (r->min_conf[k] >= 0 && c >= r->min_conf[k] - 1e-12);
}

/*
 * label --min-precision human: the confidence at which implicit
 * feedback's intents and transcriptions are as accurate as one
 * annotator against the majority of the others (agree.h); -1 for a kind
 * without such a bar.  Their report goes into *out.
 */
static int
human_bars(struct store *st, struct label_run *r, json_t **out, struct dl_error *err)
{
	static const char *const kinds[3] = { "intent", NULL, "transcription" };
	json_t *a = agree_report(st, NULL, err), *bar;
	int k;

	if (!a)
		return -1;
	*out = json_object();
	for (k = 0; k < 3; k++) {
		if (!kinds[k])
			continue;
		bar = json_object_get(json_object_get(json_object_get(a, "kinds"), kinds[k]),
				      "implicit_at_human");
		r->min_conf[k] = json_is_number(json_object_get(bar, "threshold")) ?
				 json_number_value(json_object_get(bar, "threshold")) : -1;
		json_object_set(*out, kinds[k], json_is_object(bar) ? bar : json_null());
	}
	json_decref(a);
	r->bar = 1;
	return 0;
}

/* Implicit feedback's labels (judge_weak()) where no human answered and none was written. */
static void
label_implicit(struct label_run *r, int64_t did, const struct st_turn *turns, size_t n,
	       const struct st_label *labels, size_t nlabels)
{
	struct jd_turn *jt = xmalloc((n + 1) * sizeof(*jt));
	struct jd_weak w;
	struct strbuf v, fix;
	char src[64];
	size_t i, l;

	sb_init(&v);
	sb_init(&fix);
	sb_init(&w.slots);
	for (i = 0; i < n; i++)
		judge_turn(&jt[i], &turns[i]);
	if (r->lm->judge[3])	/* the rephrase detector, when there is one */
		jd_rephrase_fill(r->lm->judge[3], jt, n);
	for (i = 0; i < n; i++) {
		int st[3] = { FREE, FREE, FREE }, k;
		double fc = 0;

		for (l = 0; l < nlabels; l++) {
			const struct st_label *lb = &labels[l];

			if (lb->turn_idx != turns[i].idx)
				continue;
			k = !strcmp(lb->kind, "intent") ? 0 : !strcmp(lb->kind, "slots") ? 1 :
			    !strcmp(lb->kind, "transcription") ? 2 : -1;
			if (k < 0)
				continue;
			if (fmt_source_gold(lb->source))
				st[k] = HUMAN;
			else if (st[k] == FREE && !strncmp(lb->source, "implicit:", 9))
				st[k] = MINE;
		}
		for (k = 0; k < 3; k++)
			if (st[k] != FREE)
				(st[k] == HUMAN ? r->human : r->already)[IMPLICIT_INTENT + k]++;
		if (st[0] != FREE && st[1] != FREE && st[2] != FREE)
			continue;
		/* a mishearing: the words, and the slots on the words as they were said */
		if (jd_restated(jt, n, i) && st[2] == FREE &&
		    (fc = judge_asr_repair(turns[i].text, turns[i + 1].text, jt[i].asr, &fix) *
			  jd_rephrase_score(jt, i + 1)) > 0 && passes_bar(r, 2, fc)) {
			r->src = "implicit:rephrase";
			sb_reset(&v);
			jw_string(&v, fix.buf, fix.len);
			pend(r, did, turns[i].idx, IMPLICIT_TRANSCRIPTION, &v, NULL, fc, 1);
			r->src = NULL;
		}
		if (!judge_weak(turns, jt, n, i, &w))
			continue;
		snprintf(src, sizeof(src), "implicit:%s", w.signal);
		r->src = src;
		if (!passes_bar(r, 0, w.confidence)) {
			r->src = NULL;
			continue;
		}
		if (st[0] == FREE) {
			sb_reset(&v);
			jw_string(&v, w.intent, strlen(w.intent));
			pend(r, did, turns[i].idx, IMPLICIT_INTENT, &v, NULL, w.confidence, 1);
		}
		/*
		 * Slots come only on the turn's own words (w.slots): review
		 * shows and records slots there, so a slot of repaired words
		 * would read wrong and could be accepted without its
		 * transcription.
		 */
		if (st[1] == FREE && w.has_slots)
			pend(r, did, turns[i].idx, IMPLICIT_SLOTS, &w.slots, NULL, w.confidence, 1);
		r->src = NULL;
	}
	sb_release(&v);
	sb_release(&fix);
	sb_release(&w.slots);
	free(jt);
}

static int
label_dialogue(void *ctx, const struct st_dialogue *d, const struct st_turn *turns,
	       size_t nturns, const struct st_label *labels, size_t nlabels,
	       struct dl_error *err)
{
	struct label_run *r = ctx;
	json_t *dv, *cx;
	struct ctx c;
	size_t t;

	(void)err;
	if (!store_filter_match(&r->where, d, labels, nlabels))
		return 0;
	r->dialogues++;
	r->turns += (long)nturns;
	dv = d->device ? jw_parse(d->device) : NULL;
	cx = d->context ? jw_parse(d->context) : NULL;
	for (t = 0; t < nturns; t++) {
		dataset_turn_ctx(&c, dv, cx, turns, t);
		label_turn(r, d->id, &turns[t], ctx_list(&c), labels, nlabels);
	}
	json_decref(dv);
	json_decref(cx);
	label_judges(r, d->id, turns, nturns, labels, nlabels);
	if (r->implicit)
		label_implicit(r, d->id, turns, nturns, labels, nlabels);
	return 0;
}

static int
flush(struct store *st, struct label_run *r, struct dl_error *err)
{
	double now = clock_now();
	size_t i;

	if (!r->np)
		return 0;
	if (store_begin(st, err))
		return -1;
	for (i = 0; i < r->np; i++) {
		const struct pending *q = &r->p[i];
		struct st_label_new l = {
			.dialogue_id = q->did, .turn_idx = q->idx,
			.kind = model_kinds[q->kind], .value = r->arena.buf + q->value,
			.source = q->src == (size_t)-1 ? r->source[q->kind] : r->arena.buf + q->src,
			.candidates = q->cand == (size_t)-1 ? NULL : r->arena.buf + q->cand,
			.confidence = q->conf, .has_confidence = q->has_conf, .created_at = now,
		};

		if (store_label_add(st, &l, err) < 0) {
			store_rollback(st);
			return -1;
		}
	}
	if (store_commit(st, err)) {
		store_rollback(st);
		return -1;
	}
	r->np = 0;
	sb_reset(&r->arena);
	return 0;
}

#define LABEL_BATCH 500

json_t *
learn_label(struct store *st, const struct learn_opts *o, struct dl_error *err)
{
	struct learn_models lm;
	struct label_run r;
	int64_t *ids = NULL;
	size_t n = 0, i;
	double t0 = clock_now();
	json_t *report = NULL, *bars = NULL;

	memset(&r, 0, sizeof(r));
	if (o->implicit && o->models == LM_ALL && o->any) {
		/* Implicit feedback needs no model; use those there are. */
		if (learn_models_load(st, LM_ALL, 1, &lm, err))
			memset(&lm, 0, sizeof(lm));
	} else if (learn_models_load(st, o->models, o->any, &lm, err)) {
		return NULL;
	}
	r.lm = &lm;
	r.mask = o->models;
	r.implicit = o->implicit;
	if (o->implicit && o->min_human && human_bars(st, &r, &bars, err)) {
		learn_models_release(&lm);
		return NULL;
	}
	sb_init(&r.arena);
	sb_init(&r.tmp);
	sb_init(&r.cand);
	for (i = 0; i < LM_COUNT; i++)
		snprintf(r.source[i], sizeof(r.source[i]), "model:%s@%d", model_names[i],
			 version_of(&lm, (int)i));
	if (filter_parse(&r.where, o->where, "--where", err) || store_dialogue_ids(st, &ids, &n, err))
		goto out;
	for (i = 0; i < n; i += LABEL_BATCH) {
		size_t j = i + LABEL_BATCH < n ? i + LABEL_BATCH - 1 : n - 1;

		if (store_each_dialogue_range(st, LF_ALL | LF_WITH_DECISIONS, ids[i], ids[j],
					      label_dialogue, &r, err) || flush(st, &r, err))
			goto out;
		if (o->progress)
			o->progress(o->pctx, "labelling", (long)j + 1, (long)n);
	}
	report = json_pack("{s:{}, s:I, s:I, s:{}, s:{}, s:{}, s:f}", "models",
			   "dialogues", (json_int_t)r.dialogues, "turns", (json_int_t)r.turns,
			   "written", "kept_human", "already", "seconds", clock_now() - t0);
	for (i = 0; i < LM_COUNT; i++) {
		if (!have(&lm, (int)i) || !(o->models & (1u << i)))
			continue;
		json_object_set_new(json_object_get(report, "models"), model_names[i],
				    json_string(r.source[i]));
		json_object_set_new(json_object_get(report, "written"), model_names[i],
				    json_integer(r.written[i]));
		json_object_set_new(json_object_get(report, "kept_human"), model_names[i],
				    json_integer(r.human[i]));
		json_object_set_new(json_object_get(report, "already"), model_names[i],
				    json_integer(r.already[i]));
	}
	if (o->implicit)
		json_object_set_new(report, "implicit", json_pack("{s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I},"
			" s:{s:I, s:I, s:I}}",
			"written", "intent", (json_int_t)r.written[IMPLICIT_INTENT],
			"slots", (json_int_t)r.written[IMPLICIT_SLOTS],
			"transcription", (json_int_t)r.written[IMPLICIT_TRANSCRIPTION],
			"kept_human", "intent", (json_int_t)r.human[IMPLICIT_INTENT],
			"slots", (json_int_t)r.human[IMPLICIT_SLOTS],
			"transcription", (json_int_t)r.human[IMPLICIT_TRANSCRIPTION],
			"already", "intent", (json_int_t)r.already[IMPLICIT_INTENT],
			"slots", (json_int_t)r.already[IMPLICIT_SLOTS],
			"transcription", (json_int_t)r.already[IMPLICIT_TRANSCRIPTION]));
	if (o->implicit && bars) {
		json_object_set_new(json_object_get(report, "implicit"), "at_human", bars);
		bars = NULL;
	}
out:
	json_decref(bars);
	free(ids);
	free(r.p);
	free(r.buf);
	sb_release(&r.arena);
	sb_release(&r.tmp);
	sb_release(&r.cand);
	learn_models_release(&lm);
	return report;
}

/* ---- Evaluation ---- */

/* Move the scores of part into report, each model's marked with what it was scored on. */
static void
merge_scores(json_t *report, json_t *part, const char *on, double split, long dialogues)
{
	static const char *const keys[] = { "intent", "slots" };
	json_t *v;
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!(v = json_object_get(part, keys[i])))
			continue;
		json_object_set_new(v, "on", json_string(on));
		json_object_set_new(v, "dev_split", json_real(split));
		json_object_set_new(v, "dialogues", json_integer(dialogues));
		json_object_set(report, keys[i], v);
	}
	if ((v = json_object_get(part, "sentence_accuracy")))
		json_object_set(report, "sentence_accuracy", v);
	if ((v = json_object_get(part, "context")))
		json_object_set(report, "context", v);
	json_decref(part);
}

/* Score the loaded judges on the file data, or on the database's held-out gold. */
static int
eval_judges(json_t *report, struct store *st, const struct learn_models *lm, const char *data,
	    enum in_format f, double target, struct dl_error *err)
{
	struct jd_set js;
	json_t *part;
	int k;

	for (k = 2; k < LM_COUNT; k++) {
		double split = lm->split[k];

		if (!have(lm, k))
			continue;
		if (data ? jd_set_from_file(&js, data, f, err) :
		    jd_set_from_store(&js, st, split, lm->seed[k], err)) {
			jd_set_release(&js);
			return -1;
		}
		if (k != REPHRASE && lm->feed[k - 2])
			feed_set(&js, lm->feed[k - 2]);
		part = jd_score(&js, data || split > 0, judge_task[k - 2], lm->judge[k - 2], target);
		json_object_set_new(part, "on", json_string(data ? "file" : split > 0 ? "held-out" :
							    "training data"));
		json_object_set_new(part, "dev_split", json_real(data ? 0 : split));
		json_object_set_new(part, "dialogues", json_integer(data || split <= 0 ? js.dialogues :
								    js.dev_dialogues));
		json_object_set_new(report, model_names[k], part);
		jd_set_release(&js);
	}
	return 0;
}

json_t *
learn_eval(struct store *st, const struct learn_opts *o, const char *data, enum in_format f,
	   struct dl_error *err)
{
	struct learn_models lm;
	struct dataset ds;
	json_t *report = NULL, *models = json_object();
	int k, same;

	if (learn_models_load(st, o->models, o->any, &lm, err)) {
		json_decref(models);
		return NULL;
	}
	for (k = 0; k < LM_COUNT; k++)
		if (have(&lm, k))
			json_object_set_new(models, model_names[k], json_integer(version_of(&lm, k)));
	report = json_pack("{s:s, s:o}", "data", data ? data : "database", "models", models);
	dataset_init(&ds);
	if (data) {
		if (dataset_from_file(&ds, data, f, err))
			goto fail;
		merge_scores(report, learn_score(&ds, 1, &lm, LM_ALL, o->target), "file", 0,
			     ds.dialogues);
		if (eval_judges(report, st, &lm, data, f, o->target, err))
			goto fail;
		goto out;
	}
	same = lm.intent && lm.slots && lm.split[0] == lm.split[1] && lm.seed[0] == lm.seed[1];
	for (k = 0; k < 2; k++) {
		if (!have(&lm, k) || (k == 1 && same))
			continue;
		dataset_release(&ds);
		if (dataset_from_store(&ds, st, lm.split[k], lm.seed[k], 0, err))
			goto fail;
		/* One pass scores both when they were split alike (and gives sentence accuracy). */
		merge_scores(report, learn_score(&ds, lm.split[k] > 0, &lm,
						 same ? LM_ALL : 1u << k, o->target),
			     lm.split[k] > 0 ? "held-out" : "training data", lm.split[k],
			     lm.split[k] > 0 ? ds.dev_dialogues : ds.dialogues);
	}
	if (eval_judges(report, st, &lm, NULL, f, o->target, err))
		goto fail;
	goto out;
fail:
	json_decref(report);
	report = NULL;
out:
	dataset_release(&ds);
	learn_models_release(&lm);
	return report;
}

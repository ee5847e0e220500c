#include "dialab/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "dialab/fmt.h"
#include "dialab/judge.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

int
ds_names_add(struct ds_names *nm, const char *s)
{
	int i = str_index((const char *const *)nm->v, nm->n, s);

	if (i >= 0)
		return i;
	nm->v = xrealloc(nm->v, (nm->n + 1) * sizeof(*nm->v));
	nm->v[nm->n] = xstrdup(s);
	return (int)nm->n++;
}

void
ds_names_release(struct ds_names *nm)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	nm->v = NULL;
	nm->n = 0;
}

void
dataset_init(struct dataset *ds)
{
	memset(ds, 0, sizeof(*ds));
}

void
dataset_release(struct dataset *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		free(ds->v[i].text);
		free(ds->v[i].spans);
		free(ds->v[i].ctx);
	}
	free(ds->v);
	ds_names_release(&ds->intents);
	ds_names_release(&ds->types);
	dataset_init(ds);
}

int
dataset_is_dev(const char *ext_id, double dev_split, uint64_t seed)
{
	uint64_t h;

	if (dev_split <= 0)
		return 0;
	h = tok_hash(ext_id, strlen(ext_id), seed ^ 0x5eedd5e7u);
	return (double)(h >> 11) * 0x1p-53 < dev_split;
}

static int
span_cmp(const void *a, const void *b)
{
	const struct slot_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

long
dataset_parse_slots(const char *value, const char *text, struct ds_names *types,
		    struct slot_span **out)
{
	json_t *a = jw_parse(value), *s;
	size_t i, n, len = utf8_cp_len(text);
	struct slot_span *v;

	*out = NULL;
	if (!json_is_array(a)) {
		json_decref(a);
		return -1;
	}
	n = json_array_size(a);
	v = xmalloc((n + 1) * sizeof(*v));
	json_array_foreach(a, i, s) {
		json_t *ty = json_object_get(s, "type");
		json_t *st = json_object_get(s, "start"), *en = json_object_get(s, "end");

		if (!json_is_string(ty) || !json_is_integer(st) || !json_is_integer(en) ||
		    json_integer_value(st) < 0 || json_integer_value(en) <= json_integer_value(st) ||
		    (size_t)json_integer_value(en) > len)
			goto bad;
		v[i].type = ds_names_add(types, json_string_value(ty));
		v[i].start = (size_t)json_integer_value(st);
		v[i].end = (size_t)json_integer_value(en);
		v[i].confidence = 1;
	}
	json_decref(a);
	qsort(v, n, sizeof(*v), span_cmp);
	for (i = 1; i < n; i++)
		if (v[i].start < v[i - 1].end) {
			free(v);
			return -1;
		}
	*out = v;
	return (long)n;
bad:
	json_decref(a);
	free(v);
	return -1;
}

/*
 * The words the slots of lab stand on: the latest transcription its
 * source gave the turn, in *text, as a JSON string to json_decref();
 * else NULL, and *text is left as it is.
 */
json_t *
dataset_slot_words(const struct st_label *l, size_t nl, const struct st_label *lab, const char **text)
{
	json_t *tr = NULL, *v;
	size_t i;

	for (i = 0; lab && i < nl; i++) {
		if (l[i].turn_idx != lab->turn_idx || strcmp(l[i].kind, "transcription") ||
		    strcmp(l[i].source, lab->source) || !(v = jw_parse(l[i].value)))
			continue;
		if (json_is_string(v)) {
			json_decref(tr);
			tr = v;
		} else {
			json_decref(v);
		}
	}
	if (tr)
		*text = json_string_value(tr);
	return tr;
}

void
dataset_turn_ctx(struct ctx *c, const json_t *device, const json_t *context,
		 const struct st_turn *turns, size_t t)
{
	json_t *ts = turns[t].ts_json ? jw_parse(turns[t].ts_json) : NULL;
	json_t *state = turns[t].device_state ? jw_parse(turns[t].device_state) : NULL;
	json_t *prev = t > 0 && turns[t - 1].nlu ? jw_parse(turns[t - 1].nlu) : NULL;

	ctx_from_json(c, device, context, ts, state,
		      json_string_value(json_object_get(prev, "intent")));
	json_decref(ts);
	json_decref(state);
	json_decref(prev);
}

/* Add the item of one turn from the JSON texts of its gold labels (or NULL). */
static void
add_item(struct dataset *ds, int64_t did, int idx, const char *text, int dev,
	 const char *intent, const char *slots, const struct ctx *c)
{
	struct ds_item *it;
	struct slot_span *spans = NULL;
	long ns = -1;
	int in = -1;

	if (intent) {
		json_t *v = jw_parse(intent);

		if (json_is_string(v) && json_string_length(v))
			in = ds_names_add(&ds->intents, json_string_value(v));
		json_decref(v);
	}
	if (slots && (ns = dataset_parse_slots(slots, text, &ds->types, &spans)) < 0)
		ds->skipped++;
	if (in < 0 && ns < 0)
		return;
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? 2 * ds->cap : 256;
		ds->v = xrealloc(ds->v, ds->cap * sizeof(*ds->v));
	}
	it = &ds->v[ds->n++];
	it->dialogue_id = did;
	it->turn_idx = idx;
	it->text = xstrdup(text);
	it->dev = dev;
	it->intent = in;
	it->has_slots = ns >= 0;
	it->spans = spans;
	it->nspans = ns > 0 ? (size_t)ns : 0;
	it->ctx = ctx_dup(ctx_list(c));
}

struct from_store {
	struct dataset *ds;
	double dev_split;
	uint64_t seed;
	int weak;
	struct jd_weak w;
	struct strbuf in;
};

static int
on_dialogue(void *ctx, const struct st_dialogue *d, const struct st_turn *turns,
	    size_t nturns, const struct st_label *labels, size_t nlabels,
	    struct dl_error *err)
{
	struct from_store *fs = ctx;
	int dev = dataset_is_dev(d->ext_id, fs->dev_split, fs->seed);
	size_t t, l;

	struct jd_turn *jt = NULL;
	json_t *dv = d->device ? jw_parse(d->device) : NULL;
	json_t *cx = d->context ? jw_parse(d->context) : NULL;
	struct ctx c;

	(void)err;
	fs->ds->dialogues++;
	fs->ds->dev_dialogues += dev;
	if (fs->weak && !dev) {
		jt = xmalloc((nturns + 1) * sizeof(*jt));
		for (t = 0; t < nturns; t++)
			judge_turn(&jt[t], &turns[t]);
	}
	for (t = 0; t < nturns; t++) {
		const char *intent = NULL, *slots = NULL, *text = turns[t].text;
		const struct st_label *sl = NULL;
		json_t *words;

		/* Stored labels come by age, then the reviewers' decisions: the last wins. */
		for (l = 0; l < nlabels; l++) {
			if (labels[l].turn_idx != turns[t].idx)
				continue;
			if (!strcmp(labels[l].kind, "intent")) {
				intent = labels[l].value;
			} else if (!strcmp(labels[l].kind, "slots")) {
				slots = labels[l].value;
				sl = &labels[l];
			}
		}
		/* Slots stand on the words of their source's transcription, if any: learn on those. */
		words = dataset_slot_words(labels, nlabels, sl, &text);
		/* Without a human answer, implicit feedback may give one (train --weak). */
		if (jt && (!intent || !slots) && judge_weak(turns, jt, nturns, t, &fs->w)) {
			if (!intent) {
				sb_reset(&fs->in);
				jw_string(&fs->in, fs->w.intent, strlen(fs->w.intent));
				intent = fs->in.buf;
			}
			if (!slots && fs->w.has_slots)
				slots = fs->w.slots.buf;
			fs->ds->weak++;
		}
		dataset_turn_ctx(&c, dv, cx, turns, t);
		add_item(fs->ds, d->id, turns[t].idx, text, dev, intent, slots, &c);
		json_decref(words);
	}
	free(jt);
	json_decref(dv);
	json_decref(cx);
	return 0;
}

int
dataset_from_store(struct dataset *ds, struct store *st, double dev_split, uint64_t seed,
		   int weak, struct dl_error *err)
{
	struct from_store fs = { ds, dev_split, seed, weak, { 0 }, { 0 } };
	int rc;

	sb_init(&fs.in);
	sb_init(&fs.w.slots);
	rc = store_each_dialogue(st, LF_HUMAN | LF_WITH_DECISIONS, on_dialogue, &fs, err);
	sb_release(&fs.in);
	sb_release(&fs.w.slots);
	return rc;
}

static int
is_gold(const json_t *label)
{
	const char *src = json_string_value(json_object_get(label, "source"));

	return fmt_source_gold(src);
}

/* The JSON text of the last gold label of kind in labels, into sb; NULL if none. */
static const char *
gold_text(const json_t *labels, const char *kind, struct strbuf *sb)
{
	const json_t *found = NULL, *l;
	size_t i;

	json_array_foreach(labels, i, l)
		if (is_gold(l) && !strcmp(json_string_value(json_object_get(l, "kind")), kind))
			found = l;
	if (!found)
		return NULL;
	sb_reset(sb);
	jw_value(sb, json_object_get(found, "value"));
	return sb->buf;
}

int
dataset_from_file(struct dataset *ds, const char *path, enum in_format f,
		  struct dl_error *err)
{
	struct reader *r;
	struct strbuf a, b;
	json_t *d, *turn;
	const char *prev;
	long line;
	size_t i;
	int rc;

	if (reader_open(&r, f, path, NULL, NULL, err))
		return -1;
	sb_init(&a);
	sb_init(&b);
	while ((rc = reader_next(r, &d, &line, err)) == 1) {
		fmt_normalize(d);
		if (fmt_validate(d, reader_name(r), line, err)) {
			json_decref(d);
			rc = -1;
			break;
		}
		ds->dialogues++;
		ds->dev_dialogues++;
		prev = NULL;
		json_array_foreach(json_object_get(d, "turns"), i, turn) {
			const json_t *labels = json_object_get(turn, "labels");
			struct ctx c;

			ctx_from_json(&c, json_object_get(d, "device"), json_object_get(d, "context"),
				      json_object_get(turn, "ts"), json_object_get(turn, "device_state"),
				      prev);
			add_item(ds, 0, (int)i, json_string_value(json_object_get(turn, "text")), 1,
				 gold_text(labels, "intent", &a), gold_text(labels, "slots", &b), &c);
			prev = json_string_value(json_object_get(json_object_get(turn, "nlu"), "intent"));
		}
		json_decref(d);
	}
	sb_release(&a);
	sb_release(&b);
	reader_close(r);
	return rc < 0 ? -1 : 0;
}

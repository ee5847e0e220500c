#include "dialab/review.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/segment.h"
#include "dialab/spans.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

/* The goal outcome: a dialogue's label, decided on the goal's first turn. */
#define RF_OUTCOME RF__COUNT
#define NTARGETS (RF__COUNT + 1)

static const char *const field_kinds[NTARGETS] = {
	"intent", "slots", "transcription", "failure_point", "goal", "goal_outcome",
};

const char *
review_field_kind(enum review_field f)
{
	return (unsigned)f < RF__COUNT ? field_kinds[f] : NULL;
}

static int
field_of_kind(const char *kind)
{
	return str_index(field_kinds, NTARGETS, kind);
}

/* One decision of this annotator, replayed from the log. */
struct dec {
	int64_t id, dialogue_id;
	int turn, field;
	char *action, *value;
	char *words;		/* a transcription's words (value decoded), else NULL */
	int64_t group;		/* the first decision of its group, or 0 */
	int active;		/* not undone */
	long prev;		/* the previous decision on the same target, or -1 */
};

/* Open-addressing map from a target to its latest decision. */
struct slot {
	uint64_t key;		/* 0: empty */
	long dec;
};

struct review {
	struct store *st;
	char *annotator;
	int blind;
	enum queue_order order;
	char *filter;
	int64_t *queue;
	size_t nqueue, pos;
	struct review_dialogue d;
	int turn;
	enum review_field focus;
	struct dec *decs;
	size_t ndecs, capdecs;
	long *undo, *redo;
	size_t nundo, nredo, capundo, capredo;
	struct slot *map;
	size_t mapcap, mapn;
	long session_decisions;
	double started, last_action;
	char **intents, **slot_types;
};

static uint64_t
target_key(int64_t dialogue_id, int turn, int field)
{
	uint64_t k = ((uint64_t)dialogue_id << 24) ^ ((uint64_t)(turn + 1) << 4) ^ (uint64_t)field;

	return k ? k : 1;
}

static size_t
map_find(const struct review *r, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (r->mapcap - 1);

	while (r->map[i].key && r->map[i].key != key)
		i = (i + 1) & (r->mapcap - 1);
	return i;
}

static void
map_put(struct review *r, uint64_t key, long dec)
{
	size_t i;

	if (2 * (r->mapn + 1) > r->mapcap) {
		struct slot *old = r->map;
		size_t oldcap = r->mapcap, j;

		r->mapcap = r->mapcap ? 2 * r->mapcap : 1024;
		r->map = calloc(r->mapcap, sizeof(*r->map));
		if (!r->map)
			abort();
		r->mapn = 0;
		for (j = 0; j < oldcap; j++)
			if (old[j].key) {
				i = map_find(r, old[j].key);
				r->map[i] = old[j];
				r->mapn++;
			}
		free(old);
	}
	i = map_find(r, key);
	if (!r->map[i].key)
		r->mapn++;
	r->map[i].key = key;
	r->map[i].dec = dec;
}

static long
map_get(const struct review *r, uint64_t key)
{
	size_t i;

	if (!r->mapcap)
		return -1;
	i = map_find(r, key);
	return r->map[i].key ? r->map[i].dec : -1;
}

static void
push(long **v, size_t *n, size_t *cap, long x)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = x;
}

/* Apply one logged decision to the in-memory state (replay and live). */
static void
apply(struct review *r, const struct st_decision *d)
{
	struct dec *x;
	long i;
	int f;

	if (!strcmp(d->action, "undo") || !strcmp(d->action, "redo")) {
		int undo = d->action[0] == 'u';
		long *from = undo ? r->undo : r->redo;
		size_t *nfrom = undo ? &r->nundo : &r->nredo;

		if (!*nfrom || r->decs[from[*nfrom - 1]].id != d->ref)
			return;	/* a log written by another program: ignore */
		i = from[--*nfrom];
		r->decs[i].active = !undo;
		if (undo)
			push(&r->redo, &r->nredo, &r->capredo, i);
		else
			push(&r->undo, &r->nundo, &r->capundo, i);
		return;
	}
	if ((f = field_of_kind(d->kind)) < 0)
		return;
	if (r->ndecs == r->capdecs) {
		r->capdecs = r->capdecs ? 2 * r->capdecs : 256;
		r->decs = xrealloc(r->decs, r->capdecs * sizeof(*r->decs));
	}
	x = &r->decs[r->ndecs];
	x->id = d->id;
	x->dialogue_id = d->dialogue_id;
	x->turn = d->turn_idx;
	x->field = f;
	x->action = xstrdup(d->action);
	x->value = d->new_value ? xstrdup(d->new_value) : NULL;
	x->words = NULL;
	if (f == RF_TRANSCRIPTION && x->value && strcmp(x->action, "reject")) {
		json_t *w = jw_parse(x->value);

		if (json_is_string(w))
			x->words = xstrdup(json_string_value(w));
		json_decref(w);
	}
	x->group = d->ref > 0 ? d->ref : 0;
	x->active = 1;
	x->prev = map_get(r, target_key(d->dialogue_id, d->turn_idx, f));
	map_put(r, target_key(d->dialogue_id, d->turn_idx, f), (long)r->ndecs);
	push(&r->undo, &r->nundo, &r->capundo, (long)r->ndecs);
	r->nredo = 0;	/* a new decision ends the redo chain */
	r->ndecs++;
}

static int
replay_cb(void *ctx, const struct st_decision *d)
{
	apply(ctx, d);
	return 0;
}

/* The decision standing for a target: the latest active one that is not a skip. */
static const struct dec *
effective(const struct review *r, int64_t did, int turn, int field)
{
	long i = map_get(r, target_key(did, turn, field));

	for (; i >= 0; i = r->decs[i].prev)
		if (r->decs[i].active && strcmp(r->decs[i].action, "skip"))
			return &r->decs[i];
	return NULL;
}

static void
label_free(struct review_label *l)
{
	if (!l)
		return;
	free(l->value);
	free(l->source);
	free(l->candidates);
	free(l);
}

static struct review_label *
label_copy(const struct st_label *s)
{
	struct review_label *l = xmalloc(sizeof(*l));

	l->id = s->id;
	l->value = xstrdup(s->value);
	l->source = xstrdup(s->source);
	l->candidates = s->candidates ? xstrdup(s->candidates) : NULL;
	l->confidence = s->confidence;
	l->has_confidence = s->has_confidence;
	return l;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
dialogue_release(struct review_dialogue *d)
{
	size_t i;
	int f;

	for (i = 0; i < d->nturns; i++) {
		struct review_turn *t = &d->turns[i];

		free(t->text);
		free(t->response);
		free(t->nlu);
		free(t->device_state);
		for (f = 0; f < RF__COUNT; f++) {
			label_free(t->proposal[f]);
			label_free(t->other[f]);
		}
		label_free(t->rephrase);
	}
	free(d->turns);
	for (i = 0; i < d->noutcomes; i++)
		label_free(d->outcomes[i]);
	free(d->outcomes);
	free(d->ext_id);
	free(d->user);
	free(d->device);
	free(d->context);
	memset(d, 0, sizeof(*d));
}

static int
is_model(const char *src)
{
	return !strncmp(src, "model:", 6) || !strncmp(src, "implicit:", 9);
}

static int
load_cb(void *ctx, const struct st_dialogue *sd, const struct st_turn *st, size_t nt,
	const struct st_label *sl, size_t nl, struct dl_error *err)
{
	struct review *r = ctx;
	struct review_dialogue *d = &r->d;
	size_t i;
	int f;

	(void)err;
	d->id = sd->id;
	d->ext_id = xstrdup(sd->ext_id);
	d->user = dup_or_null(sd->user);
	d->device = dup_or_null(sd->device);
	d->context = dup_or_null(sd->context);
	d->turns = calloc(nt ? nt : 1, sizeof(*d->turns));
	if (!d->turns)
		abort();
	d->nturns = nt;
	for (i = 0; i < nt; i++) {
		struct review_turn *t = &d->turns[i];
		json_t *ts;

		t->idx = st[i].idx;
		t->text = xstrdup(st[i].text);
		t->response = dup_or_null(st[i].response);
		t->nlu = dup_or_null(st[i].nlu);
		t->device_state = dup_or_null(st[i].device_state);
		t->asr_confidence = st[i].asr_confidence;
		t->has_asr_confidence = st[i].has_asr_confidence;
		t->barge_in = st[i].barge_in;
		if (st[i].ts_json && (ts = jw_parse(st[i].ts_json))) {
			t->has_ts = fmt_ts_parse(ts, &t->ts) == 0;
			json_decref(ts);
		}
	}
	/* Labels come by turn, oldest first: the last of each kind wins. */
	for (i = 0; i < nl; i++) {
		struct review_label **slot;
		int model = is_model(sl[i].source);

		if (sl[i].turn_idx < 0) {
			/* blind: neither models' nor other annotators' outcomes, only gold */
			if (!strcmp(sl[i].kind, "goal_outcome") &&
			    (!r->blind || !strncmp(sl[i].source, "import:", 7))) {
				d->outcomes = xrealloc(d->outcomes, (d->noutcomes + 1) * sizeof(*d->outcomes));
				d->outcomes[d->noutcomes++] = label_copy(&sl[i]);
			}
			continue;
		}
		if ((size_t)sl[i].turn_idx < nt && !strcmp(sl[i].kind, "rephrase")) {
			/* evidence, not a field: blind shows only imported gold */
			if (!r->blind || !strncmp(sl[i].source, "import:", 7)) {
				label_free(d->turns[sl[i].turn_idx].rephrase);
				d->turns[sl[i].turn_idx].rephrase = label_copy(&sl[i]);
			}
			continue;
		}
		if ((size_t)sl[i].turn_idx >= nt || (f = field_of_kind(sl[i].kind)) < 0)
			continue;
		if (!strncmp(sl[i].source, "human:", 6)) {
			if (r->blind)
				continue;
			slot = &d->turns[sl[i].turn_idx].other[f];
		} else {
			slot = &d->turns[sl[i].turn_idx].proposal[f];
			/* a model's proposal outranks imported gold; blind shows only gold */
			if (*slot && is_model((*slot)->source) && !model)
				continue;
			if (model && r->blind)
				continue;
		}
		label_free(*slot);
		*slot = label_copy(&sl[i]);
	}
	return 0;
}

static enum review_field
first_pending(const struct review *r, int turn)
{
	int f;

	for (f = 0; f < RF__COUNT; f++)
		if (review_pending(r, turn, (enum review_field)f))
			return (enum review_field)f;
	return RF_INTENT;
}

int
review_goto_dialogue(struct review *r, size_t pos, struct dl_error *err)
{
	struct review_dialogue old;
	int rc;

	if (pos >= r->nqueue)
		return -1;
	/* load beside the one on screen: a failed load leaves it as it was */
	old = r->d;
	memset(&r->d, 0, sizeof(r->d));
	rc = store_dialogue_get(r->st, r->queue[pos], LF_ALL, load_cb, r, err);
	if (!rc && !r->d.ext_id)
		rc = 1;		/* deleted since the queue was read */
	if (rc) {
		dialogue_release(&r->d);
		r->d = old;
		if (rc > 0)
			dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				     "dialogue %lld is no longer in the database", (long long)r->queue[pos]);
		return -1;
	}
	dialogue_release(&old);
	r->pos = pos;
	r->turn = 0;
	r->focus = first_pending(r, 0);
	return 0;
}

/* Position of dialogue id in the queue, or r->nqueue when it is not there. */
static size_t
queue_index(const struct review *r, int64_t id)
{
	size_t lo = 0, hi = r->nqueue;

	if (r->order != QUEUE_SEQUENTIAL) {
		for (lo = 0; lo < r->nqueue && r->queue[lo] != id; lo++)
			;
		return lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->queue[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nqueue && r->queue[lo] == id ? lo : r->nqueue;
}

int
review_requeue(struct review *r, enum queue_order order, const char *filter,
	       struct dl_error *err)
{
	int64_t *q, cur = r->nqueue ? r->d.id : 0;
	size_t n, pos;
	char *nf;

	if (store_queue(r->st, order, filter && *filter ? filter : NULL, &q, &n, err))
		return -1;
	nf = filter && *filter ? xstrdup(filter) : NULL;	/* filter may be r->filter */

	free(r->queue);
	r->queue = q;
	r->nqueue = n;
	r->order = order;
	free(r->filter);
	r->filter = nf;
	if (!n)
		return 0;
	pos = queue_index(r, cur);
	return review_goto_dialogue(r, pos < n ? pos : 0, err);
}

enum queue_order review_order(const struct review *r) { return r->order; }
const char *review_filter(const struct review *r) { return r->filter; }

struct review *
review_new(struct store *st, const struct review_opts *o, struct dl_error *err)
{
	struct review *r = calloc(1, sizeof(*r));
	size_t start = 0;

	if (!r) {
		dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	r->st = st;
	r->annotator = xstrdup(o->annotator);
	r->blind = o->blind;
	r->started = r->last_action = clock_now();
	r->order = o->order;
	r->filter = o->filter ? xstrdup(o->filter) : NULL;
	if (store_queue(st, o->order, o->filter, &r->queue, &r->nqueue, err) ||
	    store_decisions_each(st, r->annotator, 0, replay_cb, r, err))
		goto fail;
	if (o->start_at) {
		int64_t id = store_dialogue_find(st, o->start_at, err);

		if (id < 0)
			goto fail;
		if (id == 0) {
			dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				     "no dialogue with id '%s'", o->start_at);
			goto fail;
		}
		if ((start = queue_index(r, id)) == r->nqueue) {
			dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				     "dialogue '%s' is not in this queue (see --filter)", o->start_at);
			goto fail;
		}
	} else if (r->ndecs) {
		start = queue_index(r, r->decs[r->ndecs - 1].dialogue_id);	/* resume */
		if (start == r->nqueue)
			start = 0;
	}
	if (r->nqueue && review_goto_dialogue(r, start, err))
		goto fail;
	if (r->ndecs && !o->start_at) {
		const struct dec *last = &r->decs[r->ndecs - 1];

		if (last->dialogue_id == r->d.id && last->turn >= 0 &&
		    (size_t)last->turn < r->d.nturns) {
			r->turn = last->turn;
			r->focus = first_pending(r, r->turn);
		}
	}
	return r;
fail:
	review_free(r);
	return NULL;
}

void
review_free(struct review *r)
{
	size_t i;

	if (!r)
		return;
	dialogue_release(&r->d);
	for (i = 0; i < r->ndecs; i++) {
		free(r->decs[i].action);
		free(r->decs[i].value);
		free(r->decs[i].words);
	}
	free(r->decs);
	free(r->undo);
	free(r->redo);
	free(r->map);
	free(r->queue);
	free(r->filter);
	store_strings_free(r->intents);
	store_strings_free(r->slot_types);
	free(r->annotator);
	free(r);
}

size_t review_queue_len(const struct review *r) { return r->nqueue; }
size_t review_queue_pos(const struct review *r) { return r->pos; }
int64_t review_queue_id(const struct review *r, size_t i) { return i < r->nqueue ? r->queue[i] : 0; }
const struct review_dialogue *review_dialogue(const struct review *r) { return r->nqueue ? &r->d : NULL; }
int review_turn(const struct review *r) { return r->turn; }
const char *review_annotator(const struct review *r) { return r->annotator; }
struct store *review_store(const struct review *r) { return r->st; }
enum review_field review_focus(const struct review *r) { return r->focus; }
long review_session_decisions(const struct review *r) { return r->session_decisions; }
double review_session_seconds(const struct review *r) { return clock_now() - r->started; }

int
review_queue_row(struct review *r, size_t i, struct st_queue_row *row,
		 struct dl_error *err)
{
	return store_queue_row(r->st, review_queue_id(r, i), row, err);
}

char **
review_intents(struct review *r)
{
	struct dl_error err = { 0 };

	if (!r->intents)
		r->intents = store_label_values(r->st, "intent", &err);
	return r->intents;
}

char **
review_slot_types(struct review *r)
{
	struct dl_error err = { 0 };

	if (!r->slot_types)
		r->slot_types = store_slot_types(r->st, &err);
	return r->slot_types;
}

long
review_reviewed_turns(const struct review *r)
{
	long n = 0;
	size_t i;

	for (i = 0; i < r->mapcap; i++) {
		const struct dec *d;

		if (!r->map[i].key)
			continue;
		d = &r->decs[r->map[i].dec];
		d = effective(r, d->dialogue_id, d->turn, d->field);
		/* slots awaiting review are not an answer */
		if (d && !(d->field == RF_SLOTS && fmt_slots_unsettled(d->value)))
			n++;
	}
	return n;
}

struct review_answer
review_answer(const struct review *r, int turn, enum review_field f)
{
	struct review_answer a = { NULL, NULL, r->annotator };
	const struct dec *d = effective(r, r->d.id, turn, f);

	if (d) {
		a.action = d->action;
		a.value = d->value;
	}
	return a;
}

static const struct review_label *
proposal(const struct review *r, int turn, enum review_field f)
{
	if (turn < 0 || (size_t)turn >= r->d.nturns || (unsigned)f >= RF__COUNT)
		return NULL;
	return r->d.turns[turn].proposal[f];
}

const char *
review_current_value(const struct review *r, int turn, enum review_field f)
{
	struct review_answer a = review_answer(r, turn, f);
	const struct review_label *p;

	if (a.action)
		return a.value;
	p = proposal(r, turn, f);
	return p ? p->value : NULL;
}

int
review_pending(const struct review *r, int turn, enum review_field f)
{
	struct review_answer a = review_answer(r, turn, f);

	if (a.action)
		return f == RF_SLOTS && review_slots_unsettled(r, turn);
	return proposal(r, turn, f) != NULL;
}

int
review_slots_unsettled(const struct review *r, int turn)
{
	struct review_answer a = review_answer(r, turn, RF_SLOTS);

	return a.action && strcmp(a.action, "reject") && fmt_slots_unsettled(a.value);
}

/* Does hay contain needle, ignoring ASCII case (as SQLite's LIKE does)? */
static int
contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle), i;

	for (; *hay; hay++) {
		for (i = 0; i < n && hay[i]; i++) {
			char a = hay[i], b = needle[i];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (char)(b + 32);
			if (a != b)
				break;
		}
		if (i == n)
			return 1;
	}
	return n == 0;
}

int
review_search(struct review *r, const char *needle, int dir, struct dl_error *err)
{
	int turn = 0, t;
	int64_t id;

	if (!r->nqueue || !*needle)
		return 1;
	/* later (earlier) turns of this dialogue first */
	for (t = r->turn + dir; t >= 0 && (size_t)t < r->d.nturns; t += dir)
		if (contains(r->d.turns[t].text, needle)) {
			r->turn = t;
			r->focus = first_pending(r, t);
			return 0;
		}
	if ((id = store_search(r->st, needle, r->d.id, dir, &turn, err)) <= 0)
		return id < 0 ? -1 : 1;
	if (queue_index(r, id) == r->nqueue)
		return 1;	/* the match is outside this queue's filter */
	if (review_goto_dialogue(r, queue_index(r, id), err))
		return -1;
	if ((size_t)turn < r->d.nturns) {
		r->turn = turn;
		r->focus = first_pending(r, turn);
	}
	return 0;
}

int
review_goto_id(struct review *r, const char *ext_id, struct dl_error *err)
{
	int64_t id = store_dialogue_find(r->st, ext_id, err);

	if (id < 0)
		return -1;
	if (id == 0)
		return 1;
	if (queue_index(r, id) == r->nqueue)
		return 2;
	return review_goto_dialogue(r, queue_index(r, id), err);
}

int
review_move_turn(struct review *r, int dir)
{
	int t = r->turn + dir;

	if (t < 0 || (size_t)t >= r->d.nturns)
		return -1;
	r->turn = t;
	r->focus = first_pending(r, t);
	return 0;
}

int
review_next_dialogue(struct review *r, int dir, struct dl_error *err)
{
	if ((dir < 0 && r->pos == 0) || (dir > 0 && r->pos + 1 >= r->nqueue))
		return -1;
	return review_goto_dialogue(r, dir < 0 ? r->pos - 1 : r->pos + 1, err);
}

void
review_set_focus(struct review *r, enum review_field f)
{
	if ((unsigned)f < RF__COUNT)
		r->focus = f;
}

void
review_next_field(struct review *r, int dir)
{
	r->focus = (enum review_field)(((int)r->focus + dir + RF__COUNT) % RF__COUNT);
}

/* One decision to log: action on the field f of turn. */
struct pend {
	int turn, field;
	const char *action;
	const char *value;	/* JSON or NULL */
	int64_t ref;		/* undo/redo: the decision undone or redone */
};

/* Are two JSON texts the same value (key order and spacing aside)? */
static int
same_value(const char *a, const char *b)
{
	json_t *x, *y;
	int same;

	if (!a || !b)
		return 0;
	if (!strcmp(a, b))
		return 1;
	x = jw_parse(a);
	y = jw_parse(b);
	same = x && y && json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

static void
pend_init(struct review *r, struct st_decision *d, const struct pend *p, double t)
{
	const struct review_label *l = proposal(r, p->turn, (enum review_field)p->field);

	memset(d, 0, sizeof(*d));
	d->annotator = r->annotator;
	d->at = t;
	d->dialogue_id = r->d.id;
	d->turn_idx = p->turn;
	d->kind = field_kinds[p->field];
	d->label_id = l ? l->id : 0;
	d->action = p->action;
	/* the value already proposed, typed, picked by its key or taken by R: an accept */
	if (!strcmp(p->action, "correct") && l && same_value(l->value, p->value) &&
	    (p->field != RF_SLOTS || !strcmp(review_words_text(r, p->turn), r->d.turns[p->turn].text)))
		d->action = "accept";
	d->old_value = review_current_value(r, p->turn, (enum review_field)p->field);
	d->new_value = p->value;
	d->ref = p->ref;
}

/*
 * Log p[0..n), in one transaction when there are several, then apply
 * them here: all or none.  grouped: p[1..n) refer to p[0], so that
 * undo and redo treat them as one step.
 */
static int
decide_all(struct review *r, const struct pend *p, size_t n, int grouped,
	   struct dl_error *err)
{
	struct st_decision *d;
	double t = clock_now();
	size_t i;
	int ret = -1, tx = n > 1;

	if (!r->nqueue)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "nothing to review");
	if (!n)
		return 0;
	d = xmalloc(n * sizeof(*d));
	if (tx && store_begin(r->st, err))
		goto out;
	for (i = 0; i < n; i++) {
		pend_init(r, &d[i], &p[i], t);
		d[i].ms_spent = i ? 0 : (long)((t - r->last_action) * 1000);
		if (grouped && i)
			d[i].ref = d[0].id;
		/* Committed before anything on screen says it is done. */
		if ((d[i].id = store_decision_append(r->st, &d[i], err)) < 0) {
			store_rollback(r->st);
			goto out;
		}
	}
	if (tx && store_commit(r->st, err)) {
		store_rollback(r->st);
		goto out;
	}
	/* old_value points into the state apply() changes: not read again */
	for (i = 0; i < n; i++)
		apply(r, &d[i]);
	r->last_action = t;
	r->session_decisions += (long)n;
	ret = 0;
out:
	free(d);
	return ret;
}

/* Log one decision, then apply it here. */
static int
decide(struct review *r, int turn, enum review_field f, const char *action,
       const char *value, int64_t ref, struct dl_error *err)
{
	struct pend p = { turn, (int)f, action, value, ref };

	return decide_all(r, &p, 1, 0, err);
}

/*
 * After a decision: the next pending field, else turn, else dialogue.
 * Returns 0, or -1 with err set when the next dialogue could not be
 * opened (the decision is saved, and the view stays).
 */
static int
advance(struct review *r, struct dl_error *err)
{
	int i, f;

	for (i = 1; i <= RF__COUNT; i++) {
		f = ((int)r->focus + i) % RF__COUNT;
		if (review_pending(r, r->turn, (enum review_field)f)) {
			r->focus = (enum review_field)f;
			return 0;
		}
	}
	if ((size_t)r->turn + 1 < r->d.nturns) {
		review_move_turn(r, 1);
		return 0;
	}
	if (r->pos + 1 < r->nqueue && review_next_dialogue(r, 1, err)) {
		char why[sizeof(err->msg)];

		snprintf(why, sizeof(why), "%s", err->msg);
		return dl_error_set(err, err->code ? err->code : DL_EX_IOERR, NULL, 0, NULL,
				    "saved, but the next dialogue did not open: %.200s", why);
	}
	return 0;
}

const char *
review_words_text(const struct review *r, int turn)
{
	const struct dec *d;

	if (!r->nqueue || turn < 0 || (size_t)turn >= r->d.nturns)
		return "";
	d = effective(r, r->d.id, turn, RF_TRANSCRIPTION);
	return d && d->words ? d->words : r->d.turns[turn].text;
}

const char *
review_slots_text(const struct review *r, int turn)
{
	const struct dec *d;

	if (!r->nqueue || turn < 0 || (size_t)turn >= r->d.nturns)
		return "";
	d = effective(r, r->d.id, turn, RF_SLOTS);
	return d && strcmp(d->action, "reject") ? review_words_text(r, turn) :
	       r->d.turns[turn].text;
}

/*
 * The slots of turn re-anchored to text, when the text they stand on
 * is another: a new string, else NULL.
 */
static char *
slots_moved_to(const struct review *r, int turn, const char *text)
{
	const char *cur = review_current_value(r, turn, RF_SLOTS);
	const char *from = review_slots_text(r, turn);

	if (!cur || !strcmp(from, text))
		return NULL;
	return spans_reanchor(cur, from, text);
}

/*
 * Decide on a field of turn.  A transcription takes the slots along
 * to its words in the same step; accepted slots proposed over the
 * turn's text land on the annotator's own words, as a correction.
 */
static int
decide_field(struct review *r, int turn, enum review_field f, const char *action,
	     const char *value, struct dl_error *err)
{
	struct pend p[2] = { { turn, (int)f, action, value, 0 } };
	char *slots = NULL;
	size_t n = 1;
	int rc;

	if (f == RF_TRANSCRIPTION && strcmp(action, "skip")) {
		json_t *w = value && strcmp(action, "reject") ? jw_parse(value) : NULL;

		slots = slots_moved_to(r, turn, json_is_string(w) ? json_string_value(w) :
				       r->d.turns[turn].text);
		json_decref(w);
		if (slots)
			p[n++] = (struct pend){ turn, RF_SLOTS, "correct", slots, 0 };
	} else if (f == RF_SLOTS && !strcmp(action, "accept") && value &&
		   strcmp(review_words_text(r, turn), r->d.turns[turn].text)) {
		slots = spans_reanchor(value, r->d.turns[turn].text,
					      review_words_text(r, turn));
		p[0].action = "correct";
		p[0].value = slots;
	}
	rc = decide_all(r, p, n, 1, err);
	free(slots);
	return rc;
}

/*
 * The annotator's slots with their marks taken off, after they saw the
 * guesses on screen: a new string, or NULL with err set when a slot has
 * no place in the words.
 */
static char *
slots_confirmed(const struct review *r, struct dl_error *err)
{
	json_t *v = jw_parse(review_answer(r, r->turn, RF_SLOTS).value), *sp;
	struct strbuf sb;
	size_t i;

	json_array_foreach(v, i, sp) {
		if (!spans_marked(sp))
			continue;
		if (!json_is_true(json_object_get(sp, "guess"))) {
			const char *w = json_string_value(json_object_get(sp, "value"));

			dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				     "%s \"%.60s\" is not in the words: place it (v) or delete it",
				     json_string_value(json_object_get(sp, "type")), w ? w : "");
			json_decref(v);
			return NULL;
		}
		json_object_del(sp, "review");
		json_object_del(sp, "guess");
		json_object_del(sp, "was");
	}
	sb_init(&sb);
	jw_value(&sb, v);
	json_decref(v);
	return sb.buf;
}

int
review_accept(struct review *r, struct dl_error *err)
{
	const struct review_label *p = proposal(r, r->turn, r->focus);

	if (r->focus == RF_SLOTS && review_slots_unsettled(r, r->turn)) {
		/* a confirms the slots as shown, guesses and all */
		char *v = slots_confirmed(r, err);
		int rc = v ? decide(r, r->turn, RF_SLOTS, "correct", v, 0, err) : -1;

		free(v);
		if (rc)
			return -1;
		return advance(r, err);
	}
	if (!p)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "no %s proposal to accept here; correct it with e",
				    field_kinds[r->focus]);
	if (decide_field(r, r->turn, r->focus, "accept", p->value, err))
		return -1;
	return advance(r, err);
}

int
review_reject(struct review *r, struct dl_error *err)
{
	if (!proposal(r, r->turn, r->focus))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "no %s proposal to reject here", field_kinds[r->focus]);
	if (decide_field(r, r->turn, r->focus, "reject", NULL, err))
		return -1;
	return advance(r, err);
}

int
review_check_value(const struct review *r, int turn, enum review_field f, const char *value,
		   struct dl_error *err)
{
	json_t *v = value ? jw_parse(value) : NULL, *sp, *settled;
	const char *s = json_string_value(v);
	size_t i;
	int rc = 0;

	switch (f) {
	case RF_INTENT:
		if (!s || !*s || strpbrk(s, " \t\n\r"))
			rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "an intent is one word");
		break;
	case RF_FAILURE_POINT:
		if (!s || fmt_fp_parse(s) < 0)
			rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
					  "one of correct, false_wake, asr, nlu, entity, result");
		break;
	case RF_GOAL:
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000)
			rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "a goal is a number from 1");
		break;
	case RF_TRANSCRIPTION:
		if (!s)
			rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "the words are a text");
		break;
	case RF_SLOTS:
		if (!json_is_array(v)) {
			rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "slots are a list");
			break;
		}
		/* the settled ones stand on the words; a marked one waits for its place */
		settled = json_array();
		json_array_foreach(v, i, sp)
			if (!spans_marked(sp))
				json_array_append(settled, sp);
		rc = fmt_check_slots(settled, review_words_text(r, turn), "slots", NULL, 0, err);
		json_decref(settled);
		break;
	default:
		rc = dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "no such field");
	}
	json_decref(v);
	return rc;
}

int
review_correct(struct review *r, const char *value, struct dl_error *err)
{
	char canon[32];

	if (review_check_value(r, r->turn, r->focus, value, err))
		return -1;
	if (r->focus == RF_FAILURE_POINT) {
		/* an alias ("er") is stored by its name */
		json_t *v = jw_parse(value);

		snprintf(canon, sizeof(canon), "\"%s\"",
			 fmt_fp_name((enum fp_stage)fmt_fp_parse(json_string_value(v))));
		json_decref(v);
		value = canon;
	}
	if (decide_field(r, r->turn, r->focus, "correct", value, err))
		return -1;
	return advance(r, err);
}

int
review_skip(struct review *r, struct dl_error *err)
{
	if (decide(r, r->turn, r->focus, "skip", NULL, 0, err))
		return -1;
	if (review_move_turn(r, 1) < 0 && r->pos + 1 < r->nqueue)
		review_next_dialogue(r, 1, err);
	return 0;
}

int
review_accept_turn(struct review *r, struct dl_error *err)
{
	int f, turn = r->turn;

	for (f = 0; f < RF__COUNT; f++) {
		const struct review_label *p = proposal(r, turn, (enum review_field)f);

		/* A takes proposals; slots awaiting review wait for their own a */
		if (f == RF_SLOTS && review_slots_unsettled(r, turn))
			continue;
		if (p && review_pending(r, turn, (enum review_field)f) &&
		    decide_field(r, turn, (enum review_field)f, "accept", p->value, err))
			return -1;
	}
	r->focus = RF__COUNT - 1;
	return advance(r, err);
}

/* ---- slots, word by word ---- */

size_t
review_words(const char *text, struct seg_span **out)
{
	return seg_words(text, out);
}

/* The slots of the focused turn, over its words text, as a new JSON array. */
static json_t *
slots_now(const struct review *r)
{
	char *moved = slots_moved_to(r, r->turn, review_words_text(r, r->turn));
	const char *v = moved ? moved : review_current_value(r, r->turn, RF_SLOTS);
	json_t *a = v ? jw_parse(v) : NULL;

	free(moved);
	if (!json_is_array(a)) {
		json_decref(a);
		a = json_array();
	}
	return a;
}

static int
by_start(const void *a, const void *b)
{
	json_int_t x = spans_int(*(json_t *const *)a, "start"), y = spans_int(*(json_t *const *)b, "start");

	return (x > y) - (x < y);
}

/* Save slots (taken) as the focused turn's correction, in text order; stay on the field. */
static int
slots_save(struct review *r, json_t *slots, struct dl_error *err)
{
	size_t n = json_array_size(slots), i;
	json_t **v = xmalloc((n + 1) * sizeof(*v)), *sorted = json_array();
	struct strbuf sb;
	int rc;

	for (i = 0; i < n; i++)
		v[i] = json_array_get(slots, i);
	qsort(v, n, sizeof(*v), by_start);
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	sb_init(&sb);
	jw_value(&sb, sorted);
	rc = decide(r, r->turn, RF_SLOTS, "correct", sb.buf, 0, err);
	sb_release(&sb);
	json_decref(sorted);
	json_decref(slots);
	free(v);
	return rc;
}

/* Remove the placed slots overlapping [start, end) (and marked ones of type); return how many. */
static size_t
slots_clear(json_t *slots, size_t start, size_t end, const char *type)
{
	size_t i = 0, n = 0;

	while (i < json_array_size(slots)) {
		json_t *sp = json_array_get(slots, i);
		const char *t = json_string_value(json_object_get(sp, "type"));

		if (spans_marked(sp) ? type && t && !strcmp(t, type) :
		    spans_int(sp, "start") < (json_int_t)end && (json_int_t)start < spans_int(sp, "end")) {
			json_array_remove(slots, i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

static int
span_check(const struct review *r, size_t start, size_t end, struct dl_error *err)
{
	if (!r->nqueue)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "nothing to review");
	if (start >= end || end > utf8_cp_len(review_words_text(r, r->turn)))
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "no such span [%zu, %zu) in the turn's words", start, end);
	return 0;
}

int
review_slot_assign(struct review *r, size_t start, size_t end, const char *type,
		   struct dl_error *err)
{
	json_t *slots;

	if (span_check(r, start, end, err))
		return -1;
	if (!*type || type[strcspn(type, " \t\"=")])
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
				    "a slot type is one word without '=' or '\"'");
	slots = slots_now(r);
	slots_clear(slots, start, end, type);
	json_array_append_new(slots, json_pack("{s:s, s:I, s:I}", "type", type,
					       "start", (json_int_t)start, "end", (json_int_t)end));
	return slots_save(r, slots, err);
}

int
review_slot_delete(struct review *r, size_t start, size_t end, struct dl_error *err)
{
	json_t *slots;

	if (span_check(r, start, end, err))
		return -1;
	slots = slots_now(r);
	if (!slots_clear(slots, start, end, NULL)) {
		json_decref(slots);
		return 1;
	}
	return slots_save(r, slots, err);
}

int
review_slot_move(struct review *r, size_t from, size_t start, size_t end,
		 struct dl_error *err)
{
	const char *text = review_words_text(r, r->turn);
	json_t *slots, *sp = NULL, *v;
	long a, b;
	size_t i;

	if (span_check(r, start, end, err))
		return -1;
	slots = slots_now(r);
	json_array_foreach(slots, i, v)
		if (!spans_marked(v) && spans_int(v, "start") == (json_int_t)from)
			break;
	if (i == json_array_size(slots)) {
		json_decref(slots);
		return 1;
	}
	sp = json_incref(json_array_get(slots, i));
	json_array_remove(slots, i);
	slots_clear(slots, start, end, NULL);
	/* a value that copied the words follows them */
	a = utf8_cp_to_byte(text, (size_t)spans_int(sp, "start"));
	b = utf8_cp_to_byte(text, (size_t)spans_int(sp, "end"));
	v = json_object_get(sp, "value");
	if (json_is_string(v) && a >= 0 && b > a && json_string_length(v) == (size_t)(b - a) &&
	    !memcmp(json_string_value(v), text + a, (size_t)(b - a))) {
		long c = utf8_cp_to_byte(text, start), d = utf8_cp_to_byte(text, end);

		json_object_set_new(sp, "value", json_stringn(text + c, (size_t)(d - c)));
	}
	json_object_set_new(sp, "start", json_integer((json_int_t)start));
	json_object_set_new(sp, "end", json_integer((json_int_t)end));
	json_array_append_new(slots, sp);
	return slots_save(r, slots, err);
}

/* ---- goals ---- */

int
review_goal(const struct review *r, int turn)
{
	for (; turn >= 0 && (size_t)turn < r->d.nturns; turn--) {
		const char *v = review_current_value(r, turn, RF_GOAL);
		long g = v ? strtol(v, NULL, 10) : 0;

		if (g >= 1 && g <= 1000000)
			return (int)g;
	}
	return 1;
}

/* The outcome in a goal_outcome value: "success", "failure" or NULL. */
static const char *
outcome_of(const char *json)
{
	json_t *v = json ? jw_parse(json) : NULL;
	const char *o = json_string_value(json_object_get(v, "outcome"));
	const char *ret = !o ? NULL : !strcmp(o, "success") ? "success" :
			  !strcmp(o, "failure") ? "failure" : NULL;

	json_decref(v);
	return ret;
}

static int
goal_in(const char *json)
{
	json_t *v = json ? jw_parse(json) : NULL;
	int g = (int)json_integer_value(json_object_get(v, "goal"));

	json_decref(v);
	return g;
}

/* This annotator's standing outcome of the goal starting at turn, or NULL. */
static const struct dec *
outcome_answer(const struct review *r, int turn)
{
	const struct dec *d = effective(r, r->d.id, turn, RF_OUTCOME);

	return d && strcmp(d->action, "reject") ? d : NULL;
}

const char *
review_goal_outcome(const struct review *r, int g, int *mine)
{
	const char *o = NULL;
	size_t i;
	int t;

	*mine = 0;
	if (!r->nqueue)
		return NULL;
	for (t = 0; (size_t)t < r->d.nturns; t++)
		if (review_goal(r, t) == g) {
			const struct dec *d = t == 0 || review_goal(r, t - 1) != g ?
					      outcome_answer(r, t) : NULL;

			if (d && (o = outcome_of(d->value))) {
				*mine = 1;
				return o;
			}
			break;
		}
	for (i = 0; i < r->d.noutcomes; i++)	/* the latest label of the goal */
		if (goal_in(r->d.outcomes[i]->value) == g && outcome_of(r->d.outcomes[i]->value))
			o = outcome_of(r->d.outcomes[i]->value);
	return o;
}

int
review_goal_max(const struct review *r)
{
	int max = 0, g;
	size_t i;

	if (!r->nqueue)
		return 0;
	for (i = 0; i < r->d.nturns; i++)
		if ((g = review_goal(r, (int)i)) > max)
			max = g;
	for (i = 0; i < r->d.noutcomes; i++)
		if ((g = goal_in(r->d.outcomes[i]->value)) > max)
			max = g;
	return max;
}

int
review_goal_outcome_set(struct review *r, int success, struct dl_error *err)
{
	int t = r->turn, g, s;
	char v[64];

	if (!r->nqueue)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "nothing to review");
	g = review_goal(r, t);
	for (s = t; s > 0 && review_goal(r, s - 1) == g; s--)
		;
	snprintf(v, sizeof(v), "{\"goal\":%d,\"outcome\":\"%s\"}", g, success ? "success" : "failure");
	return decide(r, s, RF_OUTCOME, "correct", v, 0, err);
}

/*
 * The decisions of a toggle at turn t, given the goals g before and ng
 * after: the focused turn first (it leads the group), then every turn
 * whose number changes or had none; the outcomes of later goals follow
 * their numbers; an outcome where no goal starts any more is rejected.
 * The values go to vals (freed by the caller).
 */
static size_t
toggle_pends(const struct review *r, int t, const int *g, const int *ng,
	     struct pend *p, char **vals)
{
	size_t n = 0, k;
	int i;

	for (k = 0; k < r->d.nturns; k++) {
		const struct dec *o;

		i = (int)(((size_t)t + k) % r->d.nturns);
		if (ng[i] != g[i] || !review_current_value(r, i, RF_GOAL) || i == t) {
			vals[n] = xmalloc(16);
			snprintf(vals[n], 16, "%d", ng[i]);
			p[n] = (struct pend){ i, RF_GOAL, "correct", vals[n], 0 };
			n++;
		}
		if (!(o = outcome_answer(r, i)) || i == 0)
			continue;
		if (ng[i] == ng[i - 1]) {
			p[n++] = (struct pend){ i, RF_OUTCOME, "reject", NULL, 0 };
		} else if (goal_in(o->value) != ng[i] && outcome_of(o->value)) {
			vals[n] = xmalloc(64);
			snprintf(vals[n], 64, "{\"goal\":%d,\"outcome\":\"%s\"}", ng[i], outcome_of(o->value));
			p[n] = (struct pend){ i, RF_OUTCOME, "correct", vals[n], 0 };
			n++;
		}
	}
	return n;
}

int
review_goal_toggle(struct review *r, struct dl_error *err)
{
	size_t nt = r->d.nturns, n, i;
	int t = r->turn, *g, *ng, rc;
	struct pend *p;
	char **vals;

	if (!r->nqueue)
		return dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL, "nothing to review");
	if (t == 0)
		return 1;
	g = xmalloc(nt * sizeof(*g));
	ng = xmalloc(nt * sizeof(*ng));
	for (i = 0; i < nt; i++)
		g[i] = review_goal(r, (int)i);
	for (i = 0; i < nt; i++)	/* goals count up from the first turn's */
		ng[i] = (int)i < t ? g[i] : (int)i == t ? g[t - 1] + (g[t] == g[t - 1]) :
			ng[i - 1] + (g[i] != g[i - 1]);
	p = xmalloc(2 * nt * sizeof(*p));
	vals = calloc(2 * nt, sizeof(*vals));
	if (!vals)
		abort();
	n = toggle_pends(r, t, g, ng, p, vals);
	rc = decide_all(r, p, n, 1, err);
	for (i = 0; i < 2 * nt; i++)
		free(vals[i]);
	free(vals);
	free(p);
	free(g);
	free(ng);
	if (rc)
		return -1;
	r->focus = RF_GOAL;
	return 0;
}

/* Words of a text, lower-cased and single-spaced, for comparing turns. */
static void
normalize_words(const char *s, struct strbuf *out)
{
	int space = 1;

	sb_reset(out);
	for (; *s; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c == ' ' || c == '\t' || c == ',' || c == '.' || c == '?' || c == '!') {
			space = 1;
			continue;
		}
		if (space && out->len)
			sb_addc(out, ' ');
		space = 0;
		sb_addc(out, c);
	}
}

/* Does slots (a JSON array) hold a slot of type t over [a, b)? */
static int
has_slot(const json_t *slots, const json_t *t, json_int_t a, json_int_t b)
{
	const json_t *sp;
	size_t i;

	json_array_foreach(slots, i, sp)
		if (json_equal(json_object_get(sp, "type"), t) && spans_int(sp, "start") == a &&
		    spans_int(sp, "end") == b && !spans_marked(sp))
			return 1;
	return 0;
}

/*
 * The next turn's slots (over next_text) carried to text: each moves to
 * its words there (spans_reanchor()); one whose words are not in
 * text is left out; one placed on words like its own ("oat milk" onto
 * "oak milk") stays marked for review unless the turn's own slots (cur,
 * over text, or NULL) have the same type there, so two sources agree.
 */
static char *
carry_slots(const char *slots_json, const char *next_text, const char *text, const char *cur)
{
	char *moved = spans_reanchor(slots_json, next_text, text);
	json_t *in = jw_parse(moved), *have = cur ? jw_parse(cur) : NULL, *out = json_array(), *sp;
	struct strbuf sb;
	size_t i;

	json_array_foreach(in, i, sp) {
		if (spans_marked(sp) && !json_is_true(json_object_get(sp, "guess")))
			continue;
		if (spans_marked(sp) && has_slot(have, json_object_get(sp, "type"),
					   spans_int(sp, "start"), spans_int(sp, "end"))) {
			json_object_del(sp, "review");
			json_object_del(sp, "guess");
			json_object_del(sp, "was");
		}
		json_array_append(out, sp);
	}
	sb_init(&sb);
	jw_value(&sb, out);
	json_decref(in);
	json_decref(have);
	json_decref(out);
	free(moved);
	return sb.buf;
}

int
review_take_next(struct review *r, struct dl_error *err)
{
	const struct review_turn *t, *n;
	const char *intent, *cur_intent, *cur_slots;
	struct strbuf a, b;
	char *slots = NULL, *intent_copy = NULL;
	const char *fp;
	int ret = -1;

	if (!r->nqueue || (size_t)r->turn + 1 >= r->d.nturns)
		return 1;
	t = &r->d.turns[r->turn];
	n = &r->d.turns[r->turn + 1];
	intent = review_current_value(r, r->turn + 1, RF_INTENT);
	cur_intent = review_current_value(r, r->turn, RF_INTENT);
	cur_slots = review_current_value(r, r->turn, RF_SLOTS);
	/* from the words the next turn's slots stand on to the words of this one */
	slots = carry_slots(review_current_value(r, r->turn + 1, RF_SLOTS),
			    review_slots_text(r, r->turn + 1), review_words_text(r, r->turn),
			    !strcmp(review_slots_text(r, r->turn), review_words_text(r, r->turn)) ?
			    cur_slots : NULL);
	sb_init(&a);
	sb_init(&b);
	normalize_words(t->text, &a);
	normalize_words(n->text, &b);
	if (strcmp(a.buf, b.buf))
		fp = "\"asr\"";	/* the earliest stage that explains other words */
	else if (!intent || !cur_intent || strcmp(intent, cur_intent))
		fp = "\"nlu\"";
	else if (!cur_slots || strcmp(slots, cur_slots))
		fp = "\"entity\"";
	else
		fp = "\"result\"";
	intent_copy = intent ? xstrdup(intent) : NULL;
	{
		/* One step: undone and redone together. */
		struct pend p[3];
		size_t k = 0;

		if (intent_copy)
			p[k++] = (struct pend){ r->turn, RF_INTENT, "correct", intent_copy, 0 };
		p[k++] = (struct pend){ r->turn, RF_SLOTS, "correct", slots, 0 };
		p[k++] = (struct pend){ r->turn, RF_FAILURE_POINT, "correct", fp, 0 };
		if (decide_all(r, p, k, 1, err))
			goto out;
	}
	r->focus = RF_FAILURE_POINT;
	ret = 0;
out:
	free(slots);
	free(intent_copy);
	sb_release(&a);
	sb_release(&b);
	return ret;
}

/*
 * The decisions an undo (redo) takes back (brings back), top of the
 * stack first: the top one and, when it belongs to a group, the rest
 * of the group.  Returns their number (at most the stack's size).
 */
static size_t
undo_set(const struct review *r, int undo, long *out)
{
	const long *stack = undo ? r->undo : r->redo;
	size_t n = undo ? r->nundo : r->nredo, k = 0;
	int64_t g;

	if (!n)
		return 0;
	out[k++] = stack[--n];
	/* undo: the group's members down to its first; redo: from the first */
	g = undo ? r->decs[out[0]].group : (r->decs[out[0]].group ? 0 : r->decs[out[0]].id);
	while (g && n) {
		const struct dec *y = &r->decs[stack[n - 1]];

		if (y->group != g && y->id != g)
			break;
		out[k++] = stack[--n];
		if (y->id == g)
			break;
	}
	return k;
}

/* Log an undo or redo of the last decision (group) and show where it happened. */
static int
undo_redo(struct review *r, int undo, struct dl_error *err)
{
	size_t n = undo ? r->nundo : r->nredo, k, i;
	long *set;
	struct pend *p;
	const struct dec *x;
	size_t pos;
	int ret = -1;

	if (!n)
		return 1;
	set = xmalloc(n * sizeof(*set));
	p = xmalloc(n * sizeof(*p));
	k = undo_set(r, undo, set);
	x = &r->decs[set[undo ? k - 1 : 0]];	/* the group's first decision */
	pos = queue_index(r, x->dialogue_id);
	if (pos == r->nqueue) {
		dl_error_set(err, DL_EX_DATAERR, NULL, 0, NULL,
			     "that decision's dialogue is not in this queue (:filter clears the filter)");
		goto out;
	}
	if (r->d.id != x->dialogue_id && review_goto_dialogue(r, pos, err))
		goto out;
	for (i = 0; i < k; i++) {
		const struct dec *y = &r->decs[set[i]];

		p[i] = (struct pend){ y->turn, y->field, undo ? "undo" : "redo",
				      undo ? NULL : y->value, y->id };
	}
	if (decide_all(r, p, k, 0, err))
		goto out;
	x = &r->decs[set[undo ? k - 1 : 0]];	/* apply() may have moved decs */
	if (x->turn >= 0)
		r->turn = x->turn;
	r->focus = x->field == RF_OUTCOME ? RF_GOAL : (enum review_field)x->field;
	ret = 0;
out:
	free(set);
	free(p);
	return ret;
}

int
review_undo(struct review *r, struct dl_error *err)
{
	return undo_redo(r, 1, err);
}

int
review_redo(struct review *r, struct dl_error *err)
{
	return undo_redo(r, 0, err);
}

/* Implicit feedback's evidence: the rephrase after the turn, how soon, the ASR's confidence. */
static const char *
rephrase_note(const struct review *r, char *buf, size_t n)
{
	const struct review_dialogue *d = review_dialogue(r);
	const struct review_turn *t, *next;
	char asr[32] = "", gap[32] = "";

	if (!d || (size_t)r->turn + 1 >= d->nturns)
		return NULL;
	t = &d->turns[r->turn];
	next = &d->turns[r->turn + 1];
	if (t->has_ts && next->has_ts)
		snprintf(gap, sizeof(gap), " %.0f s later", next->ts - t->ts);
	if (t->has_asr_confidence)
		snprintf(asr, sizeof(asr), "; ASR %.2f", t->asr_confidence);
	snprintf(buf, n, "from the rephrase%s: %s%s", gap, next->text ? next->text : "", asr);
	return buf;
}

const char *
review_note(const struct review *r, char *buf, size_t n)
{
	const struct review_label *p = proposal(r, r->turn, r->focus);
	json_t *c, *w, *b, *x;
	struct strbuf sb;
	size_t i;

	if (p && p->source && !strcmp(p->source, "implicit:rephrase"))
		return rephrase_note(r, buf, n);
	if (!p || !p->candidates || !(c = jw_parse(p->candidates)))
		return NULL;
	w = json_object_get(json_array_get(c, 0), "without_context");
	b = json_object_get(json_array_get(c, 0), "because");
	if (!json_is_string(json_object_get(w, "value"))) {
		json_decref(c);
		return NULL;
	}
	sb_init(&sb);
	sb_addf(&sb, "without context: %s %.2f", json_string_value(json_object_get(w, "value")),
		json_number_value(json_object_get(w, "confidence")));
	json_array_foreach(b, i, x)
		if (json_is_string(x))
			sb_addf(&sb, "%s%s", i ? ", " : " (", json_string_value(x));
	if (json_array_size(b))
		sb_addc(&sb, ')');
	snprintf(buf, n, "%s", sb.buf);
	sb_release(&sb);
	json_decref(c);
	return buf;
}

const char *
review_candidate(const struct review *r, int n, double *confidence)
{
	const struct review_label *p = proposal(r, r->turn, r->focus);
	static char *last;
	json_t *c, *x;
	struct strbuf sb;

	if (!p || !p->candidates || !(c = jw_parse(p->candidates)))
		return NULL;
	x = json_array_get(c, (size_t)n);
	if (!x) {
		json_decref(c);
		return NULL;
	}
	if (confidence)
		*confidence = json_number_value(json_object_get(x, "confidence"));
	sb_init(&sb);
	jw_value(&sb, json_object_get(x, "value"));
	free(last);
	last = sb.buf;	/* valid until the next call */
	json_decref(c);
	return last;
}

/* rewrite.c: rephrase sessions, the absorbing chain over them, and mined rewrites (rewrite.h). */
#include "dialab/rewrite.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/chain.h"
#include "dialab/fmt.h"
#include "dialab/intern.h"
#include "dialab/judge.h"
#include "dialab/online.h"
#include "dialab/jsonw.h"
#include "dialab/phonetic.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"

#define NONE UINT32_MAX
#define MAX_SESSION 8		/* utterances kept of one session */
#define MAX_EXAMPLES 3
#define MAX_STATES 2000		/* of the part of the chain solved from a source */
#define GLOBAL_SHARE 0.6	/* of a source's supported successors a global rewrite takes */

void
rw_opts_default(struct rw_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_support = 3;
	o->min_support_personal = 2;
	o->gap = 60;
	o->min_gain = 0.2;
	o->min_after = 0.5;
	o->max_before = 0.5;
	o->min_related = 0.5;
	o->min_related_personal = 0.3;
	o->depth = 4;
	o->split = 0.7;
}

/* ---- Sessions ---- */

struct session {
	size_t first;		/* its utterances: utt[first .. first + len) */
	uint32_t len, user, dialogue;
	int ok;
	double ts;		/* its first turn's time; < 0 unknown */
};

struct miner {
	const struct rw_opts *o;
	struct intern utt, users, dialogues;
	uint32_t *utt_seq;		/* the utterances of all sessions, in order */
	size_t nseq, capseq;
	struct session *sess;
	size_t nsess, capsess;
	long dialogues_seen, turns;
	struct strbuf norm;
};

static int
gives_up(const char *text)
{
	static const char *const up[] = {
		"never mind", "nevermind", "forget it", "stop", "cancel", "forget about it",
	};
	struct strbuf w;
	size_t i;
	int yes = 0;

	sb_init(&w);
	tok_norm(&w, text ? text : "");
	sb_adds(&w, "");
	for (i = 0; !yes && i < sizeof(up) / sizeof(up[0]); i++)
		yes = tok_has_phrase(w.buf, up[i]);
	sb_release(&w);
	return yes;
}

/*
 * A human or gold failure point of turn idx: 0 when it names a failure
 * there, -1 otherwise.  "correct" says nothing of the turn itself: a
 * failure the user recovered from is not irrecoverable, so it is
 * labelled correct (dialab-format(5)).
 */
static int
gold_failed(const struct st_label *labels, size_t n, int idx)
{
	size_t l;
	int v = -1;

	for (l = 0; l < n; l++)
		if (labels[l].turn_idx == idx && !strcmp(labels[l].kind, "failure_point") &&
		    fmt_source_gold(labels[l].source) &&
		    labels[l].value && strcmp(labels[l].value, "\"correct\""))
			v = 0;
	return v;
}

double
rw_related(const char *a, const char *b)
{
	double r = judge_rephrase(a, b), p = phon_similarity(a, b);

	return r > p ? r : p;
}

static int
within(const struct jd_turn *a, const struct jd_turn *b, double gap)
{
	return a->ts < 0 || b->ts < 0 || (b->ts - a->ts >= 0 && b->ts - a->ts <= gap);
}

/*
 * Did turn t fail, by a gold failure point (gold 0), its own signals,
 * and what the user said next (next may be NULL)?
 */
static int
failed(const struct jd_turn *t, const struct jd_turn *next, int gold)
{
	if (gold == 0)
		return 1;
	if (!strcmp(judge_response_kind(t->response), "err") || t->barge_in == 1)
		return 1;
	return next && (judge_negates(next->text) || gives_up(next->text));
}

/*
 * Does b restate a?  When they are alike (0.5), or, for the personal
 * words the whole world does not share ("call the boss", then "call
 * maria lopez"), when a failed by its own signals and b came quickly
 * and shares something with it (WEAK_LINK).  Mining still asks each
 * rewrite to be related enough for its layer.
 */
#define WEAK_LINK 0.15
#define WEAK_GAP 20.0

static int
restates(const struct jd_turn *a, const struct jd_turn *b)
{
	double r = rw_related(a->text, b->text);

	if (r >= 0.5)
		return 1;
	return r >= WEAK_LINK && failed(a, NULL, -1) && a->ts >= 0 && b->ts >= 0 &&
	       b->ts - a->ts <= WEAK_GAP && !judge_negates(b->text);
}

int
rw_turn_worked(const struct jd_turn *t, size_t n, size_t i, const struct st_label *labels,
	       size_t nlabels, double gap)
{
	const struct jd_turn *next = i + 1 < n ? &t[i + 1] : NULL;

	if (failed(&t[i], next, gold_failed(labels, nlabels, (int)i)))
		return 0;
	return !(next && next->text && within(&t[i], next, gap) && restates(&t[i], next));
}

static void
add_session(struct miner *m, const uint32_t *u, uint32_t len, int ok, uint32_t user,
	    uint32_t dialogue, double ts)
{
	struct session *s;

	if (m->nsess == m->capsess) {
		m->capsess = m->capsess ? 2 * m->capsess : 1024;
		m->sess = xrealloc(m->sess, m->capsess * sizeof(*m->sess));
	}
	while (m->nseq + len > m->capseq) {
		m->capseq = m->capseq ? 2 * m->capseq : 4096;
		m->utt_seq = xrealloc(m->utt_seq, m->capseq * sizeof(uint32_t));
	}
	s = &m->sess[m->nsess++];
	s->first = m->nseq;
	s->len = len;
	s->ok = ok;
	s->user = user;
	s->dialogue = dialogue;
	s->ts = ts;
	memcpy(m->utt_seq + m->nseq, u, len * sizeof(uint32_t));
	m->nseq += len;
}

static int
each_dialogue(void *ctx, const struct st_dialogue *d, const struct st_turn *turns, size_t n,
	      const struct st_label *labels, size_t nlabels, struct dl_error *err)
{
	struct miner *m = ctx;
	struct jd_turn *t;
	uint32_t run[MAX_SESSION], user, dlg;
	size_t i, j;

	(void)err;
	m->dialogues_seen++;
	m->turns += (long)n;
	if (!n)
		return 0;
	user = intern_id(&m->users, d->user ? d->user : "");
	dlg = intern_id(&m->dialogues, d->ext_id ? d->ext_id : "");
	t = xmalloc(n * sizeof(*t));
	for (i = 0; i < n; i++)
		judge_turn(&t[i], &turns[i]);
	for (i = 0; i < n;) {
		uint32_t len = 0;
		double ts = t[i].ts;
		int ok;

		if (!turns[i].text || !*turns[i].text || judge_negates(turns[i].text) ||
		    gives_up(turns[i].text)) {
			i++;
			continue;
		}
		for (;;) {
			size_t nx = i + 1;

			tok_norm(&m->norm, turns[i].text);
			if (len < MAX_SESSION)
				run[len++] = intern_id(&m->utt, m->norm.buf);
			/* step over a bare "no" to the restatement after it */
			if (nx < n && judge_negates(turns[nx].text) && !gives_up(turns[nx].text) &&
			    nx + 1 < n)
				nx++;
			if (nx >= n || !turns[nx].text || !within(&t[i], &t[nx], m->o->gap) ||
			    !restates(&t[i], &t[nx]))
				break;
			i = nx;
		}
		j = i + 1;
		ok = !failed(&t[i], j < n ? &t[j] : NULL, gold_failed(labels, nlabels, (int)i));
		add_session(m, run, len, ok, user, dlg, ts);
		i = j;
	}
	free(t);
	return 0;
}

static int
read_sessions(struct store *st, struct miner *m, const struct rw_opts *o, struct dl_error *err)
{
	memset(m, 0, sizeof(*m));
	m->o = o;
	intern_init(&m->utt);
	intern_init(&m->users);
	intern_init(&m->dialogues);
	sb_init(&m->norm);
	if (o->progress)
		o->progress(o->progress_ctx, "reading sessions", 0, 0);
	return store_each_dialogue(st, LF_HUMAN | LF_WITH_DECISIONS, each_dialogue, m, err);
}

static void
miner_release(struct miner *m)
{
	intern_release(&m->utt);
	intern_release(&m->users);
	intern_release(&m->dialogues);
	free(m->utt_seq);
	free(m->sess);
	sb_release(&m->norm);
}

/* ---- Mining one layer ---- */

/* Open addressing over 64-bit keys: a (from, to) pair, or a state. */
struct pair {
	uint64_t key;		/* 0: empty (keys are stored + 1) */
	long count;
	uint32_t ex[MAX_EXAMPLES];	/* example sessions */
	uint32_t nex;
	uint32_t local;		/* for a state map: its local id */
	uint32_t user1;		/* the user of the first session */
	int users2;		/* a session of another user too */
};

struct pairmap {
	struct pair *v;
	size_t n, cap;
};

static void
pm_init(struct pairmap *p, size_t hint)
{
	p->cap = 64;
	while (p->cap < 2 * hint)
		p->cap *= 2;
	p->n = 0;
	p->v = xmalloc(p->cap * sizeof(*p->v));
	memset(p->v, 0, p->cap * sizeof(*p->v));
}

static struct pair *pm_get(struct pairmap *p, uint64_t key);

static void
pm_grow(struct pairmap *p)
{
	struct pairmap q;
	size_t i;

	pm_init(&q, p->cap);
	for (i = 0; i < p->cap; i++)
		if (p->v[i].key) {
			struct pair *d = pm_get(&q, p->v[i].key - 1);

			*d = p->v[i];
		}
	free(p->v);
	*p = q;
}

/* The entry of key, made (zeroed) when new. */
static struct pair *
pm_get(struct pairmap *p, uint64_t key)
{
	size_t k;

	if (2 * (p->n + 1) > p->cap)
		pm_grow(p);
	k = (size_t)(tok_mix(key, 0x9e3779b97f4a7c15u)) & (p->cap - 1);
	while (p->v[k].key && p->v[k].key != key + 1)
		k = (k + 1) & (p->cap - 1);
	if (!p->v[k].key) {
		memset(&p->v[k], 0, sizeof(p->v[k]));
		p->v[k].key = key + 1;
		p->n++;
	}
	return &p->v[k];
}

static struct pair *
pm_find(const struct pairmap *p, uint64_t key)
{
	size_t k = (size_t)(tok_mix(key, 0x9e3779b97f4a7c15u)) & (p->cap - 1);

	while (p->v[k].key) {
		if (p->v[k].key == key + 1)
			return &p->v[k];
		k = (k + 1) & (p->cap - 1);
	}
	return NULL;
}

struct proposal {
	uint32_t from, to, user;	/* utterance ids; user NONE: global */
	long support;
	double p_before, p_after;
	uint32_t ex[MAX_EXAMPLES], nex;
};

struct proposals {
	struct proposal *v;
	size_t n, cap;
};

static void
propose(struct proposals *ps, const struct proposal *p)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 64;
		ps->v = xrealloc(ps->v, ps->cap * sizeof(*ps->v));
	}
	ps->v[ps->n++] = *p;
}

static int
cmp_pair_from(const void *a, const void *b)
{
	const struct pair *x = *(const struct pair *const *)a, *y = *(const struct pair *const *)b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * Mine the sessions sess[0..n) (indices into m->sess) as one layer:
 * user NONE for the global one.  skip, when set, holds the global
 * proposals (from -> to) that make a personal one needless.
 */
static void
mine_layer(const struct miner *m, const uint32_t *sess, size_t n, long min_support,
	   uint32_t user, const struct pairmap *skip, struct proposals *out)
{
	const struct rw_opts *o = m->o;
	struct pairmap states, pairs;
	uint32_t *global_of;
	struct pair **byfrom;
	struct chain c;
	size_t i, j, k, nloc = 0, nb = 0;

	/* sized by what they hold, not by the sessions: they grow as needed */
	pm_init(&states, n < m->utt.n ? n : m->utt.n);
	/* at most the layer's utterances: a user's layer is small */
	global_of = xmalloc(((n * MAX_SESSION < m->utt.n ? n * MAX_SESSION : m->utt.n) + 1) *
			    sizeof(uint32_t));
	for (i = 0; i < n; i++) {
		const struct session *s = &m->sess[sess[i]];

		for (j = 0; j < s->len; j++) {
			struct pair *e = pm_get(&states, m->utt_seq[s->first + j]);

			if (!e->count++) {
				e->local = (uint32_t)nloc;
				global_of[nloc++] = m->utt_seq[s->first + j];
			}
		}
	}
	chain_init(&c, nloc);
	pm_init(&pairs, nloc < 1024 ? nloc : 1024);
	for (i = 0; i < n; i++) {
		const struct session *s = &m->sess[sess[i]];
		uint32_t loc[MAX_SESSION];

		for (j = 0; j < s->len; j++)
			loc[j] = pm_find(&states, m->utt_seq[s->first + j])->local;
		for (j = 0; j + 1 < s->len; j++)
			chain_add(&c, loc[j], loc[j + 1], 1);
		chain_end(&c, loc[s->len - 1], s->ok, 1);
		/* support: each (earlier, later) pair once per session */
		for (j = 0; j + 1 < s->len; j++)
			for (k = j + 1; k < s->len; k++) {
				uint64_t key = (uint64_t)loc[j] << 32 | loc[k];
				size_t x;
				struct pair *e;
				int seen = 0;

				if (loc[j] == loc[k])
					continue;
				for (x = 0; x < j && !seen; x++)
					seen = loc[x] == loc[j];
				for (x = j + 1; x < k && !seen; x++)
					seen = loc[x] == loc[k];
				if (seen)
					continue;	/* once per session */
				e = pm_get(&pairs, key);
				if (!e->count++)
					e->user1 = s->user;
				else if (e->user1 != s->user)
					e->users2 = 1;
				if (e->nex < MAX_EXAMPLES)
					e->ex[e->nex++] = sess[i];
			}
	}
	chain_finish(&c);
	/* the candidate pairs with support, grouped by their source */
	byfrom = xmalloc((pairs.n + 1) * sizeof(*byfrom));
	for (i = 0; i < pairs.cap; i++)
		if (pairs.v[i].key && pairs.v[i].count >= min_support &&
		    (user != NONE || pairs.v[i].users2))	/* global: not one person's habit */
			byfrom[nb++] = &pairs.v[i];
	qsort(byfrom, nb, sizeof(*byfrom), cmp_pair_from);
	for (i = 0; i < nb; i = j) {
		uint32_t from = (uint32_t)((byfrom[i]->key - 1) >> 32);
		struct chain_solution sol;
		struct proposal best = { 0 };
		double before;
		long total;

		for (j = i; j < nb && (uint32_t)((byfrom[j]->key - 1) >> 32) == from; j++)
			;
		/* the source's own odds: said as it is, how often it worked at once */
		before = c.total[from] > 0 ? c.success[from] / c.total[from] : 0;
		best.p_after = -1;
		if (before > o->max_before)
			continue;
		chain_solve(&c, from, o->depth, MAX_STATES, &sol);
		total = 0;
		for (k = i; k < j; k++)
			total += byfrom[k]->count;
		{
			for (k = i; k < j; k++) {
				uint32_t to = (uint32_t)((byfrom[k]->key - 1) & 0xffffffffu);
				long row = chain_row(&sol, to);
				double pa = row >= 0 ? sol.success[row] : -1;
				const char *a = intern_str(&m->utt, global_of[from]);
				const char *b = intern_str(&m->utt, global_of[to]);

				if (pa < o->min_after || pa - before < o->min_gain)
					continue;
				if (pa < best.p_after ||
				    (pa == best.p_after && byfrom[k]->count <= best.support))
					continue;
				if (rw_related(a, b) < (user == NONE ? o->min_related :
						     o->min_related_personal))
					continue;
				best.from = global_of[from];
				best.to = global_of[to];
				best.user = user;
				best.support = byfrom[k]->count;
				best.p_before = before;
				best.p_after = pa;
				best.nex = byfrom[k]->nex;
				memcpy(best.ex, byfrom[k]->ex, sizeof(best.ex));
			}
		}
		chain_solution_release(&sol);
		if (best.p_after < 0)
			continue;
		/* users who go from s to different places: a personal matter, not a global one */
		if (user == NONE && (double)best.support < GLOBAL_SHARE * (double)total)
			continue;
		if (skip) {
			struct pair *g = pm_find(skip, best.from);

			if (g && g->local == best.to)
				continue;	/* the global layer says the same */
		}
		propose(out, &best);
	}
	free(byfrom);
	free(pairs.v);
	free(states.v);
	free(global_of);
	chain_release(&c);
}

/* The miner whose sessions cmp_user() and cmp_time() sort (qsort has no context). */
static const struct miner *sort_miner;

/* Session indices sorted by user, then by position. */

static int
cmp_user(const void *a, const void *b)
{
	const struct session *x = &sort_miner->sess[*(const uint32_t *)a];
	const struct session *y = &sort_miner->sess[*(const uint32_t *)b];

	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Session indices sorted by the time of their first turn, then by position. */
static int
cmp_time(const void *a, const void *b)
{
	const struct session *x = &sort_miner->sess[*(const uint32_t *)a];
	const struct session *y = &sort_miner->sess[*(const uint32_t *)b];

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Mine the layers o asks for over sess[0..n); the global proposals go first. */
static void
mine_all(const struct miner *m, uint32_t *sess, size_t n, struct proposals *out,
	 size_t *nglobal)
{
	const struct rw_opts *o = m->o;
	int global = o->global || !o->personal, personal = o->personal || !o->global;
	struct pairmap gmap;
	size_t i, j;

	mine_layer(m, sess, n, o->min_support, NONE, NULL, out);
	*nglobal = out->n;
	if (!personal)
		return;
	pm_init(&gmap, out->n);
	for (i = 0; i < out->n; i++)
		pm_get(&gmap, out->v[i].from)->local = out->v[i].to;
	sort_miner = m;
	qsort(sess, n, sizeof(*sess), cmp_user);
	for (i = 0; i < n; i = j) {
		uint32_t u = m->sess[sess[i]].user;

		for (j = i; j < n && m->sess[sess[j]].user == u; j++)
			;
		if (strcmp(intern_str(&m->users, u), ""))
			mine_layer(m, sess + i, j - i, o->min_support_personal, u, &gmap, out);
	}
	free(gmap.v);
	if (!global) {	/* the global layer only served to skip what it covers */
		if (out->n > *nglobal)
			memmove(out->v, out->v + *nglobal, (out->n - *nglobal) * sizeof(*out->v));
		out->n -= *nglobal;
		*nglobal = 0;
	}
}

/* ---- Storing ---- */

static char *
provenance(const struct miner *m, const struct proposal *p)
{
	json_t *o = json_object(), *ex = json_array();
	struct strbuf sb;
	uint32_t i;

	for (i = 0; i < p->nex; i++)
		json_array_append_new(ex, json_string(intern_str(&m->dialogues,
								 m->sess[p->ex[i]].dialogue)));
	json_object_set_new(o, "kind", json_string("mined"));
	json_object_set_new(o, "sessions", json_integer(p->support));
	json_object_set_new(o, "examples", ex);
	sb_init(&sb);
	jw_value(&sb, o);
	json_decref(o);
	return sb.buf;
}

/*
 * The forms of the sessions sess[0..n): each utterance, how often it
 * was said, and how often it ended its session in success; for all
 * users (key: the utterance) and for each (key: user << 32 | utterance).
 * successes go in the pair's local field.
 */
static void
count_forms(const struct miner *m, const uint32_t *sess, size_t n, struct pairmap *all,
	    struct pairmap *mine)
{
	size_t i, j;

	pm_init(all, m->utt.n);
	pm_init(mine, 1024);
	for (i = 0; i < n; i++) {
		const struct session *s = &m->sess[sess ? sess[i] : i];
		int named = strcmp(intern_str(&m->users, s->user), "") != 0;

		for (j = 0; j < s->len; j++) {
			uint32_t u = m->utt_seq[s->first + j];
			int won = j + 1 == s->len && s->ok;
			struct pair *e = pm_get(all, u);

			e->count++;
			e->local += (uint32_t)won;
			if (named) {
				e = pm_get(mine, (uint64_t)s->user << 32 | u);
				e->count++;
				e->local += (uint32_t)won;
			}
		}
	}
}

/* An online index of the forms of sessions sess[0..n), threshold calibrated on them. */
static struct rw_index *
index_raw(const struct miner *m, const uint32_t *sess, size_t n)
{
	struct pairmap all, mine;
	struct rw_index *ix = rw_index_new();
	size_t i;

	count_forms(m, sess, n, &all, &mine);
	for (i = 0; i < all.cap; i++)
		if (all.v[i].key)
			rw_index_add(ix, NULL, intern_str(&m->utt, (uint32_t)(all.v[i].key - 1)),
				     all.v[i].local, all.v[i].count);
	for (i = 0; i < mine.cap; i++)
		if (mine.v[i].key) {
			uint64_t k = mine.v[i].key - 1;

			rw_index_add(ix, intern_str(&m->users, (uint32_t)(k >> 32)),
				     intern_str(&m->utt, (uint32_t)(k & 0xffffffffu)),
				     mine.v[i].local, mine.v[i].count);
		}
	rw_index_done(ix);
	free(all.v);
	free(mine.v);
	return ix;
}

/*
 * The online threshold for sessions sess[0..n), oldest first: an index
 * of the older 80% replays the newest 20%, and the threshold is the
 * lowest score (0.50, 0.55, ... 1.00) at which the top hit wins at
 * least CALIBRATE_WL times for each loss (and wins at all); above 1
 * (never) when none does.
 */
#define CALIBRATE_WL 8.0

static double
calibrate(const struct miner *m, const uint32_t *sess, size_t n)
{
	size_t cut = n - n / 5, i, j, k;
	struct rw_index *ix;
	long wins[11] = { 0 }, losses[11] = { 0 };

	if (n < 20)
		return ONLINE_THRESHOLD;
	ix = index_raw(m, sess, cut);
	for (i = cut; i < n; i++) {
		const struct session *s = &m->sess[sess[i]];
		const char *user = intern_str(&m->users, s->user);
		const char *last = intern_str(&m->utt, m->utt_seq[s->first + s->len - 1]);

		for (j = 0; j < s->len; j++) {
			struct rw_hit hit;
			int bad = j + 1 < s->len || !s->ok;

			if (!rw_online_rank(ix, *user ? user : NULL,
					    intern_str(&m->utt, m->utt_seq[s->first + j]), &hit, 1))
				continue;
			if (bad && !s->ok)
				continue;	/* unsure */
			for (k = 0; k <= 10; k++) {
				if (hit.score < 0.5 + 0.05 * (double)k)
					break;
				if (bad && !strcmp(hit.to, last))
					wins[k]++;
				else
					losses[k]++;
			}
		}
	}
	rw_index_free(ix);
	for (k = 0; k <= 10; k++)
		if (wins[k] && (double)wins[k] >= CALIBRATE_WL * (double)losses[k])
			return 0.5 + 0.05 * (double)k;
	return 1.01;
}

/* index_raw(), with the threshold calibrated on the same sessions (oldest first). */
static struct rw_index *
index_of(const struct miner *m, const uint32_t *sess, size_t n)
{
	struct rw_index *ix = index_raw(m, sess, n);

	rw_index_set_threshold(ix, calibrate(m, sess, n));
	return ix;
}

static int
write_forms(struct store *st, const struct miner *m, struct dl_error *err)
{
	struct pairmap all, mine;
	size_t i;
	int rc = 0;

	uint32_t *order = xmalloc((m->nsess + 1) * sizeof(uint32_t));
	char tbuf[32];

	for (i = 0; i < m->nsess; i++)
		order[i] = (uint32_t)i;
	sort_miner = m;
	qsort(order, m->nsess, sizeof(*order), cmp_time);
	snprintf(tbuf, sizeof(tbuf), "%.2f", calibrate(m, order, m->nsess));
	free(order);
	count_forms(m, NULL, m->nsess, &all, &mine);
	if (store_forms_clear(st, err) || store_meta_set(st, ONLINE_META, tbuf, err))
		rc = -1;
	for (i = 0; !rc && i < all.cap; i++) {
		struct st_form f;

		if (!all.v[i].key)
			continue;
		f.user = NULL;
		f.form = intern_str(&m->utt, (uint32_t)(all.v[i].key - 1));
		f.successes = all.v[i].local;
		f.seen = all.v[i].count;
		rc = store_form_put(st, &f, err);
	}
	for (i = 0; !rc && i < mine.cap; i++) {
		struct st_form f;
		uint64_t k;

		if (!mine.v[i].key)
			continue;
		k = mine.v[i].key - 1;
		f.user = intern_str(&m->users, (uint32_t)(k >> 32));
		f.form = intern_str(&m->utt, (uint32_t)(k & 0xffffffffu));
		f.successes = mine.v[i].local;
		f.seen = mine.v[i].count;
		rc = store_form_put(st, &f, err);
	}
	free(all.v);
	free(mine.v);
	return rc;
}

int
rw_mine(struct store *st, const struct rw_opts *o, struct rw_summary *sum,
	struct dl_error *err)
{
	struct miner m;
	struct proposals ps = { 0 };
	uint32_t *all;
	size_t i, nglobal;
	int rc = 0;

	memset(sum, 0, sizeof(*sum));
	if (read_sessions(st, &m, o, err)) {
		miner_release(&m);
		return -1;
	}
	all = xmalloc((m.nsess + 1) * sizeof(uint32_t));
	for (i = 0; i < m.nsess; i++) {
		all[i] = (uint32_t)i;
		sum->rephrase_sessions += m.sess[i].len > 1;
	}
	if (o->progress)
		o->progress(o->progress_ctx, "mining", 0, 0);
	mine_all(&m, all, m.nsess, &ps, &nglobal);
	sum->dialogues = m.dialogues_seen;
	sum->turns = m.turns;
	sum->sessions = (long)m.nsess;
	sum->states = (long)m.utt.n;
	sum->proposed = (long)ps.n;
	sum->global = (long)nglobal;
	sum->personal = (long)(ps.n - nglobal);
	if (store_begin(st, err)) {
		rc = -1;
		goto out;
	}
	for (i = 0; i < ps.n; i++) {
		const struct proposal *p = &ps.v[i];
		char *prov = provenance(&m, p);
		struct st_rewrite r = {
			.scope = p->user == NONE ? "global" : "personal",
			.user = p->user == NONE ? NULL : intern_str(&m.users, p->user),
			.from = intern_str(&m.utt, p->from),
			.to = intern_str(&m.utt, p->to),
			.support = p->support,
			.p_before = p->p_before,
			.p_after = p->p_after,
			.provenance = prov,
		};
		int put = store_rewrite_put(st, &r, err);

		free(prov);
		if (put < 0) {
			store_rollback(st);
			rc = -1;
			goto out;
		}
		if (put)
			sum->created++;
		else
			sum->updated++;
	}
	if (write_forms(st, &m, err)) {
		store_rollback(st);
		rc = -1;
		goto out;
	}
	if (store_commit(st, err))
		rc = -1;
out:
	free(ps.v);
	free(all);
	miner_release(&m);
	return rc;
}

/* ---- Evaluation by time ---- */

struct tally {
	long fired, wins, losses, unknown;
};

static json_t *
tally_json(const struct tally *t, long defective)
{
	json_t *o = json_object();

	json_object_set_new(o, "fired", json_integer(t->fired));
	json_object_set_new(o, "wins", json_integer(t->wins));
	json_object_set_new(o, "losses", json_integer(t->losses));
	json_object_set_new(o, "unsure", json_integer(t->unknown));
	json_object_set_new(o, "win_loss", t->losses ? json_real((double)t->wins / (double)t->losses)
						   : json_null());
	json_object_set_new(o, "defect_reduction",
			    defective ? json_real((double)t->wins / (double)defective) : json_null());
	return o;
}

json_t *
rw_eval(struct store *st, const struct rw_opts *o, struct dl_error *err)
{
	struct miner m;
	struct proposals ps = { 0 };
	struct pairmap gmap, pmap;
	struct tally tg = { 0 }, tp = { 0 }, to = { 0 }, ta = { 0 };
	struct rw_index *ix = NULL;
	long pairs = 0, hit1 = 0;
	double rr = 0;
	uint32_t *order;
	size_t i, j, ntrain, nglobal;
	long defective = 0, test_turns = 0;
	json_t *res;

	if (read_sessions(st, &m, o, err)) {
		miner_release(&m);
		return NULL;
	}
	order = xmalloc((m.nsess + 1) * sizeof(uint32_t));
	for (i = 0; i < m.nsess; i++)
		order[i] = (uint32_t)i;
	sort_miner = &m;
	qsort(order, m.nsess, sizeof(*order), cmp_time);
	ntrain = (size_t)floor(o->split * (double)m.nsess);
	{
		uint32_t *train = xmalloc((ntrain + 1) * sizeof(uint32_t));

		memcpy(train, order, ntrain * sizeof(uint32_t));
		mine_all(&m, train, ntrain, &ps, &nglobal);
		/* the online layer's index: the forms of the older sessions only */
		ix = index_of(&m, train, ntrain);
		free(train);
	}
	pm_init(&gmap, ps.n);
	pm_init(&pmap, ps.n);
	for (i = 0; i < ps.n; i++) {
		if (ps.v[i].user == NONE)
			pm_get(&gmap, ps.v[i].from)->local = ps.v[i].to;
		else
			pm_get(&pmap, (uint64_t)ps.v[i].user << 32 | ps.v[i].from)->local = ps.v[i].to;
	}
	/* replay the later sessions turn by turn */
	for (i = ntrain; i < m.nsess; i++) {
		const struct session *s = &m.sess[order[i]];
		uint32_t last = m.utt_seq[s->first + s->len - 1];

		const char *user = intern_str(&m.users, s->user);

		if (s->len > 1 && s->ok) {	/* retrieval: does the first find the last? */
			struct rw_hit hits[ONLINE_K];
			size_t nh = rw_online_rank(ix, *user ? user : NULL,
						   intern_str(&m.utt, m.utt_seq[s->first]), hits, ONLINE_K), h;

			pairs++;
			for (h = 0; h < nh; h++)
				if (!strcmp(hits[h].to, intern_str(&m.utt, last))) {
					hit1 += h == 0;
					rr += 1.0 / (double)(h + 1);
					break;
				}
		}
		for (j = 0; j < s->len; j++) {
			uint32_t u = m.utt_seq[s->first + j];
			int bad = j + 1 < s->len || !s->ok;
			struct pair *g = pm_find(&gmap, u);
			struct pair *p = pm_find(&pmap, (uint64_t)s->user << 32 | u);
			struct rw_hit hit;
			uint32_t on = UINT32_MAX;
			uint32_t pick[4];
			struct tally *t[4] = { &tg, &tp, &to, &ta };
			int l;

			if (rw_online(ix, *user ? user : NULL, intern_str(&m.utt, u), &hit))
				on = intern_find(&m.utt, hit.to);
			pick[0] = g ? g->local : UINT32_MAX;
			pick[1] = p ? p->local : pick[0];
			pick[2] = on;
			pick[3] = pick[1] != UINT32_MAX ? pick[1] : on;
			test_turns++;
			defective += bad;
			for (l = 0; l < 4; l++) {
				if (pick[l] == UINT32_MAX)
					continue;
				t[l]->fired++;
				if (!bad)
					t[l]->losses++;
				else if (s->ok && pick[l] == last)
					t[l]->wins++;
				else if (s->ok)
					t[l]->losses++;
				else
					t[l]->unknown++;
			}
		}
	}
	res = json_object();
	json_object_set_new(res, "sessions", json_integer((json_int_t)m.nsess));
	json_object_set_new(res, "train_sessions", json_integer((json_int_t)ntrain));
	json_object_set_new(res, "test_sessions", json_integer((json_int_t)(m.nsess - ntrain)));
	json_object_set_new(res, "test_turns", json_integer(test_turns));
	json_object_set_new(res, "defective_turns", json_integer(defective));
	json_object_set_new(res, "mined_global", json_integer((json_int_t)nglobal));
	json_object_set_new(res, "mined_personal", json_integer((json_int_t)(ps.n - nglobal)));
	json_object_set_new(res, "global", tally_json(&tg, defective));
	json_object_set_new(res, "global_personal", tally_json(&tp, defective));
	json_object_set_new(res, "online", tally_json(&to, defective));
	json_object_set_new(res, "precomputed_online", tally_json(&ta, defective));
	json_object_set_new(res, "retrieval", json_pack("{s:I,s:o,s:o}", "pairs", (json_int_t)pairs,
		"hit_at_1", pairs ? json_real((double)hit1 / (double)pairs) : json_null(),
		"mrr", pairs ? json_real(rr / (double)pairs) : json_null()));
	free(gmap.v);
	free(pmap.v);
	free(ps.v);
	free(order);
	rw_index_free(ix);
	miner_release(&m);
	return res;
}

/* ---- Taught rewrites ---- */

/* The words of a normalised text, split in place (at most max). */
static size_t
split_words(char *s, char **w, size_t max)
{
	size_t n = 0;
	char *p = s;

	while (*p && n < max) {
		w[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static void
join(struct strbuf *out, char **w, size_t a, size_t b)
{
	size_t i;

	for (i = a; i < b; i++)
		sb_addf(out, "%s%s", out->len ? " " : "", w[i]);
}

int
rw_from_answer(const char *request, const char *answer, struct strbuf *from,
	       struct strbuf *to)
{
	static const char *const openers[] = {
		"no", "nope", "not that", "i meant", "i mean", "i said", "i wanted", "i want",
		"it's", "it is", "it was", "meant", "that's not it", "wrong",
	};
	struct strbuf a, req, win;
	char *rw[32], *aw[32];
	size_t nr, na, i, len, start, skip = 0, bl = 0, bs = 0;
	double best = 0;
	int again = 1, rc = -1;

	sb_init(&a);
	sb_init(&req);
	sb_init(&win);
	tok_norm(from, request);
	tok_norm(&a, answer);
	sb_adds(from, "");
	sb_adds(&a, "");
	/* drop the openers, as many as there are ("no, I meant ...") */
	while (again) {
		again = 0;
		for (i = 0; i < sizeof(openers) / sizeof(openers[0]); i++) {
			size_t n = strlen(openers[i]);

			if (!strncmp(a.buf + skip, openers[i], n) &&
			    (a.buf[skip + n] == ' ' || !a.buf[skip + n])) {
				skip += n + (a.buf[skip + n] == ' ');
				again = 1;
			}
		}
	}
	sb_reset(to);
	if (!a.buf[skip] || !from->buf[0])
		goto out;
	sb_adds(&req, from->buf);
	nr = split_words(req.buf, rw, 32);
	{
		char *ans = xstrdup(a.buf + skip);

		na = split_words(ans, aw, 32);
		if (na + 1 >= nr && rw_related(from->buf, a.buf + skip) >= 0.5) {
			sb_adds(to, a.buf + skip);	/* the whole request again */
		} else {
			/* the window of the request that sounds most like the answer */
			for (len = na > 1 ? na - 1 : 1; len <= na + 1 && len <= nr; len++)
				for (start = 0; start + len <= nr; start++) {
					double s;

					sb_reset(&win);
					join(&win, rw, start, start + len);
					s = rw_related(win.buf, a.buf + skip);
					if (s > best) {
						best = s;
						bs = start;
						bl = len;
					}
				}
			if (best >= 0.5) {
				join(to, rw, 0, bs);
				join(to, aw, 0, na);
				join(to, rw, bs + bl, nr);
			}
		}
		free(ans);
	}
	rc = to->len && strcmp(to->buf, from->buf) ? 0 : -1;
out:
	sb_release(&a);
	sb_release(&req);
	sb_release(&win);
	return rc;
}

json_t *
rw_json(const struct st_rewrite *r)
{
	json_t *o = json_object(), *prov;

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "from", json_string(r->from));
	json_object_set_new(o, "to", json_string(r->to));
	json_object_set_new(o, "scope", json_string(r->scope));
	json_object_set_new(o, "user", r->user ? json_string(r->user) : json_null());
	json_object_set_new(o, "support", json_integer(r->support));
	json_object_set_new(o, "p_before", r->p_before >= 0 ? json_real(r->p_before) : json_null());
	json_object_set_new(o, "p_after", r->p_after >= 0 ? json_real(r->p_after) : json_null());
	json_object_set_new(o, "status", json_string(r->status));
	prov = r->provenance ? jw_parse(r->provenance) : NULL;
	json_object_set_new(o, "provenance", prov ? prov : json_null());
	return o;
}

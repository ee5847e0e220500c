/* dialogue.c: dialogues, turns and labels: storing, reading back, searching, counting. */
#include "store-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"

/* Bind v as canonical JSON text (NULL when absent) from scratch buffer b. */
static void
bind_json(sqlite3_stmt *s, int col, struct strbuf *b, const json_t *v)
{
	if (!v) {
		sqlite3_bind_null(s, col);
		return;
	}
	sb_reset(b);
	jw_value(b, v);
	sqlite3_bind_text(s, col, b->buf, (int)b->len, SQLITE_STATIC);
}

/* Bind the members of obj not named in known[] as a JSON object, or NULL. */
static void
bind_extra(sqlite3_stmt *s, int col, struct strbuf *b, const json_t *obj,
	   const char *const *known)
{
	const char *key;
	const char *const *k;
	json_t *v;
	int n = 0;

	sb_reset(b);
	json_object_foreach((json_t *)obj, key, v) {
		for (k = known; *k && strcmp(*k, key); k++)
			;
		if (*k)
			continue;
		sb_addc(b, n++ ? ',' : '{');
		jw_string(b, key, strlen(key));
		sb_addc(b, ':');
		jw_value(b, v);
	}
	if (!n) {
		sqlite3_bind_null(s, col);
		return;
	}
	sb_addc(b, '}');
	sqlite3_bind_text(s, col, b->buf, (int)b->len, SQLITE_STATIC);
}

static void
bind_str(sqlite3_stmt *s, int col, const json_t *v)
{
	if (json_is_string(v))
		sqlite3_bind_text(s, col, json_string_value(v),
				  (int)json_string_length(v), SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static void
bind_num(sqlite3_stmt *s, int col, const json_t *v)
{
	if (json_is_number(v))
		sqlite3_bind_double(s, col, json_number_value(v));
	else
		sqlite3_bind_null(s, col);
}

static const char *const label_keys[] = {
	"kind", "value", "confidence", "source", "candidates", NULL
};
static const char *const turn_keys[] = {
	"ts", "text", "asr_confidence", "nlu", "response", "barge_in",
	"device_state", "audio", "labels", NULL
};
static const char *const dialogue_keys[] = {
	"id", "user", "device", "context", "turns", "labels", NULL
};

static int
put_labels(struct store *st, int64_t did, long turn_idx, const json_t *labels,
	   struct dl_error *err)
{
	sqlite3_stmt *s = st->stmt[S_INS_LABEL];
	json_t *l;
	size_t i;

	json_array_foreach(labels, i, l) {
		sqlite3_bind_int64(s, 1, did);
		if (turn_idx < 0)
			sqlite3_bind_null(s, 2);
		else
			sqlite3_bind_int64(s, 2, turn_idx);
		bind_str(s, 3, json_object_get(l, "kind"));
		bind_json(s, 4, &st->jb[0], json_object_get(l, "value"));
		bind_num(s, 5, json_object_get(l, "confidence"));
		bind_str(s, 6, json_object_get(l, "source"));
		bind_json(s, 7, &st->jb[1], json_object_get(l, "candidates"));
		bind_extra(s, 8, &st->jb[2], l, label_keys);
		sqlite3_bind_double(s, 9, st->now);
		if (db_step_done(st, s, err, "storing a label"))
			return -1;
	}
	return 0;
}

static int
put_turns(struct store *st, int64_t did, const json_t *turns, struct dl_error *err)
{
	sqlite3_stmt *s = st->stmt[S_INS_TURN];
	json_t *t, *x;
	double ts;
	size_t i;

	json_array_foreach(turns, i, t) {
		sqlite3_bind_int64(s, 1, did);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		x = json_object_get(t, "ts");
		if (x && !fmt_ts_parse(x, &ts))
			sqlite3_bind_double(s, 3, ts);
		else
			sqlite3_bind_null(s, 3);
		bind_json(s, 4, &st->jb[0], x);
		bind_str(s, 5, json_object_get(t, "text"));
		bind_num(s, 6, json_object_get(t, "asr_confidence"));
		bind_json(s, 7, &st->jb[1], json_object_get(t, "nlu"));
		bind_str(s, 8, json_object_get(t, "response"));
		x = json_object_get(t, "barge_in");
		if (json_is_boolean(x))
			sqlite3_bind_int(s, 9, json_is_true(x));
		else
			sqlite3_bind_null(s, 9);
		bind_json(s, 10, &st->jb[2], json_object_get(t, "device_state"));
		bind_str(s, 11, json_object_get(t, "audio"));
		bind_extra(s, 12, &st->jb[3], t, turn_keys);
		if (db_step_done(st, s, err, "storing a turn"))
			return -1;
		if ((x = json_object_get(t, "labels")) &&
		    put_labels(st, did, (long)i, x, err))
			return -1;
	}
	return 0;
}

int
store_dialogue_put(struct store *st, const json_t *d, int64_t import_id,
		   enum dup_policy dup, const char *file, long line,
		   struct dl_error *err)
{
	sqlite3_stmt *s = st->stmt[S_FIND];
	const json_t *id = json_object_get(d, "id");
	int64_t did = 0;
	int rc, replaced = 0;

	bind_str(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		did = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "looking up a dialogue");
	if (did) {
		if (dup == DUP_SKIP)
			return PUT_SKIPPED;
		if (dup == DUP_ERROR)
			return dl_error_set(err, DL_EX_DATAERR, file, line, "$.id",
					    "expected a new dialogue id, got \"%s\" which is already stored (see --on-duplicate)",
					    json_string_value(id));
		sqlite3_bind_int64(st->stmt[S_DEL_LABELS], 1, did);
		sqlite3_bind_int64(st->stmt[S_DEL_TURNS], 1, did);
		if (db_step_done(st, st->stmt[S_DEL_LABELS], err, "replacing a dialogue") ||
		    db_step_done(st, st->stmt[S_DEL_TURNS], err, "replacing a dialogue"))
			return -1;
		replaced = 1;
	}
	s = st->stmt[replaced ? S_UPD_DIALOGUE : S_INS_DIALOGUE];
	if (replaced)
		sqlite3_bind_int64(s, 1, did);
	else
		bind_str(s, 1, id);
	bind_str(s, 2, json_object_get(d, "user"));
	bind_json(s, 3, &st->jb[0], json_object_get(d, "device"));
	bind_json(s, 4, &st->jb[1], json_object_get(d, "context"));
	bind_extra(s, 5, &st->jb[2], d, dialogue_keys);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)json_array_size(json_object_get(d, "turns")));
	if (import_id > 0)
		sqlite3_bind_int64(s, 7, import_id);
	else
		sqlite3_bind_null(s, 7);
	if (db_step_done(st, s, err, "storing a dialogue"))
		return -1;
	if (!replaced)
		did = sqlite3_last_insert_rowid(st->db);
	st->now = clock_now();
	if (put_turns(st, did, json_object_get(d, "turns"), err))
		return -1;
	if (json_object_get(d, "labels") &&
	    put_labels(st, did, -1, json_object_get(d, "labels"), err))
		return -1;
	return replaced ? PUT_REPLACED : PUT_INSERTED;
}

/* Reading back: strings of one dialogue are copied into an arena. */
struct each_buf {
	struct strbuf arena;
	struct st_turn *turns;
	struct st_label *labels;
	size_t nturns, nlabels, capt, capl;
};

/* Column col as an arena offset + 1 (0 for NULL), cast through a pointer. */
static const char *
keep(struct each_buf *b, sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t off;

	if (!t)
		return NULL;
	off = b->arena.len + 1;
	sb_add(&b->arena, (const char *)t, (size_t)sqlite3_column_bytes(s, col));
	sb_addc(&b->arena, '\0');
	return (const char *)(uintptr_t)off;
}

static const char *
resolve(struct each_buf *b, const char *p)
{
	return p ? b->arena.buf + ((uintptr_t)p - 1) : NULL;
}

static void
read_turn(struct each_buf *b, sqlite3_stmt *s)
{
	struct st_turn *t;

	if (b->nturns == b->capt) {
		b->capt = b->capt ? 2 * b->capt : 16;
		b->turns = xrealloc(b->turns, b->capt * sizeof(*b->turns));
	}
	t = &b->turns[b->nturns++];
	t->idx = sqlite3_column_int(s, 1);
	t->ts_json = keep(b, s, 2);
	t->text = keep(b, s, 3);
	t->has_asr_confidence = sqlite3_column_type(s, 4) != SQLITE_NULL;
	t->asr_confidence = sqlite3_column_double(s, 4);
	t->nlu = keep(b, s, 5);
	t->response = keep(b, s, 6);
	t->barge_in = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 :
		      sqlite3_column_int(s, 7) != 0;
	t->device_state = keep(b, s, 8);
	t->audio = keep(b, s, 9);
	t->extra = keep(b, s, 10);
}

static void
read_label(struct each_buf *b, sqlite3_stmt *s)
{
	struct st_label *l;

	if (b->nlabels == b->capl) {
		b->capl = b->capl ? 2 * b->capl : 32;
		b->labels = xrealloc(b->labels, b->capl * sizeof(*b->labels));
	}
	l = &b->labels[b->nlabels++];
	l->turn_idx = sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 :
		      sqlite3_column_int(s, 1);
	l->kind = keep(b, s, 2);
	l->value = keep(b, s, 3);
	l->has_confidence = sqlite3_column_type(s, 4) != SQLITE_NULL;
	l->confidence = sqlite3_column_double(s, 4);
	l->source = keep(b, s, 5);
	l->candidates = keep(b, s, 6);
	l->extra = keep(b, s, 7);
	l->id = sqlite3_column_int64(s, 8);
}

/* A text into the arena, as keep() does for a column. */
static const char *
keep_str(struct each_buf *b, const char *s)
{
	size_t off = b->arena.len + 1;

	sb_adds(&b->arena, s);
	sb_addc(&b->arena, '\0');
	return (const char *)(uintptr_t)off;
}

/* The standing answers of dialogue id, appended as human labels. */
static int
read_decisions(struct store *st, struct each_buf *b, sqlite3_stmt *s, int64_t id,
	       struct dl_error *err)
{
	char src[300];
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_label *l;

		if (sqlite3_column_type(s, 3) == SQLITE_NULL)
			continue;
		/*
		 * Slots with one marked for review (words a corrected
		 * transcription changed) are no answer yet: none is written,
		 * not even the settled part, which would say a slot is absent.
		 */
		if (!strcmp((const char *)sqlite3_column_text(s, 2), "slots") &&
		    fmt_slots_unsettled((const char *)sqlite3_column_text(s, 3)))
			continue;
		if (b->nlabels == b->capl) {
			b->capl = b->capl ? 2 * b->capl : 32;
			b->labels = xrealloc(b->labels, b->capl * sizeof(*b->labels));
		}
		l = &b->labels[b->nlabels++];
		memset(l, 0, sizeof(*l));
		/* a goal's outcome is decided on its first turn, and belongs on the dialogue */
		l->turn_idx = sqlite3_column_type(s, 1) == SQLITE_NULL ||
			      !strcmp((const char *)sqlite3_column_text(s, 2), "goal_outcome") ?
			      -1 : sqlite3_column_int(s, 1);
		l->kind = keep(b, s, 2);
		l->value = keep(b, s, 3);
		snprintf(src, sizeof(src), "human:%s", (const char *)sqlite3_column_text(s, 0));
		l->source = keep_str(b, src);
	}
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading decisions");
	return 0;
}

static void
resolve_all(struct each_buf *b, struct st_dialogue *d)
{
	size_t i;

	d->ext_id = resolve(b, d->ext_id);
	d->user = resolve(b, d->user);
	d->device = resolve(b, d->device);
	d->context = resolve(b, d->context);
	d->extra = resolve(b, d->extra);
	for (i = 0; i < b->nturns; i++) {
		struct st_turn *t = &b->turns[i];

		t->ts_json = resolve(b, t->ts_json);
		t->text = resolve(b, t->text);
		t->nlu = resolve(b, t->nlu);
		t->response = resolve(b, t->response);
		t->device_state = resolve(b, t->device_state);
		t->audio = resolve(b, t->audio);
		t->extra = resolve(b, t->extra);
	}
	for (i = 0; i < b->nlabels; i++) {
		struct st_label *l = &b->labels[i];

		l->kind = resolve(b, l->kind);
		l->value = resolve(b, l->value);
		l->source = resolve(b, l->source);
		l->candidates = resolve(b, l->candidates);
		l->extra = resolve(b, l->extra);
	}
}

/*
 * Every dialogue (lo == 0), those with ids lo..hi, or those of user
 * (through the dialogues_user index), with turns and filtered labels.
 */
static int
each_dialogue(struct store *st, enum label_filter filter, int64_t lo, int64_t hi,
	      const char *user, store_each_fn fn, void *ctx, struct dl_error *err)
{
	static const char *const lsql[] = {
		[LF_ALL] = " WHERE 1",
		[LF_MODEL] = " WHERE (source LIKE 'model:%' OR source LIKE 'implicit:%')",
		[LF_HUMAN] = " WHERE (source LIKE 'human:%' OR source LIKE 'import:%')",
	};
	int ranged = lo > 0;
	const char *one = ranged ? " AND dialogue_id BETWEEN ?1 AND ?2" : user ?
			  " AND dialogue_id IN (SELECT id FROM dialogues WHERE user_id = ?3)" : "";
	sqlite3_stmt *sdec = NULL;
	int with_dec = (filter & LF_WITH_DECISIONS) && (filter & 3) != LF_MODEL;
	sqlite3_stmt *sd = NULL, *stt = NULL, *sl = NULL;
	struct each_buf b = { 0 };
	char sql[512], dsql[256], tsql[512];
	int rd, rt, rl, ret = -1;

	sb_init(&b.arena);
	if (db_exec(st, "BEGIN", err))
		goto out;
	snprintf(sql, sizeof(sql), "SELECT dialogue_id, turn_idx, kind, value, confidence,"
		 " source, candidates, extra, id FROM labels%s%s ORDER BY dialogue_id, turn_idx, id",
		 lsql[filter & 3], one);
	snprintf(dsql, sizeof(dsql), "SELECT id, ext_id, user_id, device, context, extra"
		 " FROM dialogues%s ORDER BY id", ranged ? " WHERE id BETWEEN ?1 AND ?2" :
		 user ? " WHERE user_id = ?3" : "");
	snprintf(tsql, sizeof(tsql), "SELECT dialogue_id, idx, ts_json, text, asr_confidence,"
		 " nlu, response, barge_in, device_state, audio, extra FROM turns WHERE 1%s"
		 " ORDER BY dialogue_id, idx", one);
	if (sqlite3_prepare_v2(st->db, dsql, -1, &sd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, tsql, -1, &stt, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, sql, -1, &sl, NULL) != SQLITE_OK) {
		db_fail(st, err, "reading dialogues");
		goto out;
	}
	if (with_dec && sqlite3_prepare_v2(st->db, "SELECT d.annotator, d.turn_idx, d.kind, d.new_value"
			" FROM decisions d WHERE d.dialogue_id = ?1 AND " STANDING("d")
			" AND d.action <> 'reject' ORDER BY d.turn_idx, d.id", -1, &sdec, NULL) != SQLITE_OK) {
		db_fail(st, err, "reading decisions");
		goto out;
	}
	if (ranged) {
		sqlite3_bind_int64(sd, 1, lo);
		sqlite3_bind_int64(stt, 1, lo);
		sqlite3_bind_int64(sl, 1, lo);
		sqlite3_bind_int64(sd, 2, hi);
		sqlite3_bind_int64(stt, 2, hi);
		sqlite3_bind_int64(sl, 2, hi);
	} else if (user) {
		sqlite3_bind_text(sd, 3, user, -1, SQLITE_STATIC);
		sqlite3_bind_text(stt, 3, user, -1, SQLITE_STATIC);
		sqlite3_bind_text(sl, 3, user, -1, SQLITE_STATIC);
	}
	rt = sqlite3_step(stt);
	rl = sqlite3_step(sl);
	while ((rd = sqlite3_step(sd)) == SQLITE_ROW) {
		struct st_dialogue d;

		sb_reset(&b.arena);
		b.nturns = b.nlabels = 0;
		d.id = sqlite3_column_int64(sd, 0);
		d.ext_id = keep(&b, sd, 1);
		d.user = keep(&b, sd, 2);
		d.device = keep(&b, sd, 3);
		d.context = keep(&b, sd, 4);
		d.extra = keep(&b, sd, 5);
		for (; rt == SQLITE_ROW && sqlite3_column_int64(stt, 0) <= d.id;
		     rt = sqlite3_step(stt))
			if (sqlite3_column_int64(stt, 0) == d.id)
				read_turn(&b, stt);
		for (; rl == SQLITE_ROW && sqlite3_column_int64(sl, 0) <= d.id;
		     rl = sqlite3_step(sl))
			if (sqlite3_column_int64(sl, 0) == d.id)
				read_label(&b, sl);
		if ((rt != SQLITE_ROW && rt != SQLITE_DONE) ||
		    (rl != SQLITE_ROW && rl != SQLITE_DONE)) {
			db_fail(st, err, "reading dialogues");
			goto out;
		}
		if (sdec && read_decisions(st, &b, sdec, d.id, err))
			goto out;
		resolve_all(&b, &d);
		if (fn(ctx, &d, b.turns, b.nturns, b.labels, b.nlabels, err) < 0)
			goto out;
	}
	if (rd != SQLITE_DONE) {
		db_fail(st, err, "reading dialogues");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(sd);
	sqlite3_finalize(stt);
	sqlite3_finalize(sl);
	sqlite3_finalize(sdec);
	store_rollback(st);
	sb_release(&b.arena);
	free(b.turns);
	free(b.labels);
	return ret;
}

int
store_each_dialogue(struct store *st, enum label_filter filter,
		    store_each_fn fn, void *ctx, struct dl_error *err)
{
	return each_dialogue(st, filter, 0, 0, NULL, fn, ctx, err);
}

int
store_each_dialogue_of(struct store *st, enum label_filter filter, const char *user,
		       store_each_fn fn, void *ctx, struct dl_error *err)
{
	return each_dialogue(st, filter, 0, 0, user, fn, ctx, err);
}

int
store_each_dialogue_range(struct store *st, enum label_filter filter, int64_t lo,
			  int64_t hi, store_each_fn fn, void *ctx, struct dl_error *err)
{
	if (lo < 1)
		lo = 1;
	if (hi < lo)
		return 0;
	return each_dialogue(st, filter, lo, hi, NULL, fn, ctx, err);
}

int
store_dialogue_get(struct store *st, int64_t id, enum label_filter filter,
		   store_each_fn fn, void *ctx, struct dl_error *err)
{
	if (id < 1)
		return 0;
	return each_dialogue(st, filter, id, id, NULL, fn, ctx, err);
}

int
store_dialogue_ids(struct store *st, int64_t **ids, size_t *n, struct dl_error *err)
{
	sqlite3_stmt *s;
	size_t cap = 1024;
	int rc;

	*n = 0;
	*ids = xmalloc(cap * sizeof(**ids));
	if (sqlite3_prepare_v2(st->db, "SELECT id FROM dialogues ORDER BY id", -1, &s,
			       NULL) != SQLITE_OK) {
		free(*ids);
		*ids = NULL;
		return db_fail(st, err, "listing dialogues");
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap *= 2) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return db_fail(st, err, "listing dialogues");
	}
	return 0;
}

int64_t
store_dialogue_find(struct store *st, const char *ext_id, struct dl_error *err)
{
	sqlite3_stmt *s = st->stmt[S_FIND];
	int64_t id = 0;
	int rc;

	sqlite3_bind_text(s, 1, ext_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "looking up a dialogue");
	return id;
}

int64_t
store_search(struct store *st, const char *needle, int64_t from, int dir, int *turn,
	     struct dl_error *err)
{
	struct strbuf pat;
	sqlite3_stmt *s;
	int64_t id = 0;
	const char *p;
	int rc;

	/* LIKE with our own escape, so % and _ in the needle are plain */
	sb_init(&pat);
	sb_addc(&pat, '%');
	for (p = needle; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			sb_addc(&pat, '\\');
		sb_addc(&pat, *p);
	}
	sb_addc(&pat, '%');
	if (sqlite3_prepare_v2(st->db, dir > 0 ?
			       "SELECT dialogue_id, idx FROM turns WHERE dialogue_id > ?1"
			       " AND text LIKE ?2 ESCAPE '\\' ORDER BY dialogue_id, idx LIMIT 1" :
			       "SELECT dialogue_id, min(idx) FROM turns WHERE dialogue_id = (SELECT"
			       " max(dialogue_id) FROM turns WHERE dialogue_id < ?1 AND text LIKE ?2"
			       " ESCAPE '\\') AND text LIKE ?2 ESCAPE '\\'", -1, &s, NULL) != SQLITE_OK) {
		sb_release(&pat);
		return db_fail(st, err, "searching");
	}
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_text(s, 2, pat.buf, (int)pat.len, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		id = sqlite3_column_int64(s, 0);
		*turn = sqlite3_column_int(s, 1);
	}
	sqlite3_finalize(s);
	sb_release(&pat);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "searching");
	return id;
}
/* The text column of each row of s (bound, then stepped), as a new NULL-terminated array. */
static char **
strings_of(struct store *st, sqlite3_stmt *s, struct dl_error *err)
{
	char **v;
	size_t n = 0, cap = 64;
	int rc;

	v = xmalloc(cap * sizeof(*v));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n + 1 >= cap)
			v = xrealloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = xstrdup((const char *)sqlite3_column_text(s, 0));
	}
	v[n] = NULL;
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		store_strings_free(v);
		db_fail(st, err, "listing label values");
		return NULL;
	}
	return v;
}

char **
store_label_values(struct store *st, const char *kind, struct dl_error *err)
{
	sqlite3_stmt *s;

	/* proposals and the corrections annotators made */
	if (sqlite3_prepare_v2(st->db, "SELECT json_extract(value, '$') AS v FROM labels"
			       " WHERE kind = ?1 AND json_type(value) = 'text'"
			       " UNION SELECT json_extract(new_value, '$') FROM decisions"
			       " WHERE kind = ?1 AND action = 'correct' AND json_type(new_value) = 'text'"
			       " ORDER BY v",
			       -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "listing label values");
		return NULL;
	}
	sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
	return strings_of(st, s, err);
}

char **
store_slot_types(struct store *st, struct dl_error *err)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, "SELECT json_extract(j.value, '$.type') AS v"
			       " FROM labels l, json_each(l.value) j WHERE l.kind = 'slots'"
			       " AND json_type(l.value) = 'array' AND json_type(j.value, '$.type') = 'text'"
			       " UNION SELECT json_extract(j.value, '$.type') FROM decisions d,"
			       " json_each(d.new_value) j WHERE d.kind = 'slots' AND d.action = 'correct'"
			       " AND json_type(d.new_value) = 'array' AND json_type(j.value, '$.type') = 'text'"
			       " ORDER BY v", -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "listing slot types");
		return NULL;
	}
	return strings_of(st, s, err);
}

void
store_strings_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* Rows of (text, count) from sql into a new JSON object. */
static json_t *
count_by(struct store *st, const char *sql, struct dl_error *err)
{
	sqlite3_stmt *s;
	json_t *o = json_object();
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "counting");
		json_decref(o);
		return NULL;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_object_set_new(o, (const char *)sqlite3_column_text(s, 0),
				    json_integer(sqlite3_column_int64(s, 1)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		db_fail(st, err, "counting");
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
store_stats(struct store *st, struct dl_error *err)
{
	int64_t nd = 0, nt = 0, nl = 0, ndec = 0, rev_turns = 0, rev_dlg = 0, nusers = 0;
	json_t *kinds = NULL, *sources = NULL, *annot = NULL, *actions = NULL, *o = NULL;

	if (db_exec(st, "BEGIN", err))
		return NULL;
	if (db_query_int(st, "SELECT count(*) FROM dialogues", &nd, err) ||
	    db_query_int(st, "SELECT count(*) FROM turns", &nt, err) ||
	    db_query_int(st, "SELECT count(*) FROM labels", &nl, err) ||
	    db_query_int(st, "SELECT count(DISTINCT user_id) FROM dialogues", &nusers, err) ||
	    db_query_int(st, "SELECT count(*) FROM decisions", &ndec, err) ||
	    db_query_int(st, "SELECT count(*) FROM (SELECT DISTINCT dialogue_id, turn_idx"
		      " FROM decisions WHERE turn_idx IS NOT NULL AND action <> 'skip'"
		      /* slots awaiting review are no answer (fmt_slots_unsettled) */
		      " AND NOT (kind = 'slots' AND instr(new_value, '\"review\":true') > 0))",
		      &rev_turns, err) ||
	    db_query_int(st, "SELECT count(DISTINCT dialogue_id) FROM decisions"
		      " WHERE action <> 'skip'", &rev_dlg, err) ||
	    !(kinds = count_by(st, "SELECT kind, count(*) FROM labels GROUP BY kind ORDER BY kind", err)) ||
	    !(sources = count_by(st, "SELECT source, count(*) FROM labels GROUP BY source ORDER BY source", err)) ||
	    !(annot = count_by(st, "SELECT annotator, count(*) FROM decisions GROUP BY annotator ORDER BY annotator", err)) ||
	    !(actions = count_by(st, "SELECT action, count(*) FROM decisions GROUP BY action ORDER BY action", err)))
		goto out;
	o = json_pack("{s:s, s:I, s:I, s:I, s:{s:I, s:O, s:O}, s:{s:I, s:O, s:O},"
		      " s:{s:I, s:I, s:I, s:I}}",
		      "database", st->path, "dialogues", (json_int_t)nd,
		      "turns", (json_int_t)nt, "users", (json_int_t)nusers,
		      "labels", "total", (json_int_t)nl, "by_kind", kinds, "by_source", sources,
		      "decisions", "total", (json_int_t)ndec, "by_annotator", annot,
		      "by_action", actions,
		      "review", "turns_reviewed", (json_int_t)rev_turns,
		      "turns", (json_int_t)nt, "dialogues_reviewed", (json_int_t)rev_dlg,
		      "dialogues", (json_int_t)nd);
out:
	store_rollback(st);
	json_decref(kinds);
	json_decref(sources);
	json_decref(annot);
	json_decref(actions);
	return o;
}

/* ---- Labels written by the models ---- */

int64_t
store_label_add(struct store *st, const struct st_label_new *l, struct dl_error *err)
{
	sqlite3_stmt *s = st->stmt[S_INS_LABEL];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	sqlite3_bind_int64(s, 1, l->dialogue_id);
	if (l->turn_idx >= 0)
		sqlite3_bind_int(s, 2, l->turn_idx);
	sqlite3_bind_text(s, 3, l->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, l->value, -1, SQLITE_STATIC);
	if (l->has_confidence)
		sqlite3_bind_double(s, 5, l->confidence);
	sqlite3_bind_text(s, 6, l->source, -1, SQLITE_STATIC);
	if (l->candidates)
		sqlite3_bind_text(s, 7, l->candidates, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 9, l->created_at > 0 ? l->created_at : clock_now());
	if (db_step_done(st, s, err, "writing a label"))
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

/* teaching.c: sessions, preferences, feedback and users. */
#include "store-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"

static int
need_teaching(struct store *st, struct dl_error *err)
{
	if (st->schema >= 4)
		return 0;
	return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
			    "database schema %lld has no teaching tables; open it for writing"
			    " (e.g. 'dialab init') to migrate", (long long)st->schema);
}

int64_t
store_session_begin(struct store *st, const char *user, const char *operator_, const char *mode,
		    struct dl_error *err)
{
	sqlite3_stmt *s;
	int64_t id;

	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO teach_sessions (user_id, operator, mode,"
			       " started_at) VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "starting a teaching session");
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, operator_, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, mode, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 4, clock_now());
	if (db_step_done(st, s, err, "starting a teaching session")) {
		sqlite3_finalize(s);
		return -1;
	}
	id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return id;
}

int
store_session_save(struct store *st, int64_t id, const char *state, int ended,
		   struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "UPDATE teach_sessions SET state = ?2, ended_at ="
			       " CASE WHEN ?3 THEN ?4 ELSE ended_at END WHERE id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "saving a teaching session");
	sqlite3_bind_int64(s, 1, id);
	db_bind_opt_text(s, 2, state);
	sqlite3_bind_int(s, 3, ended);
	sqlite3_bind_double(s, 4, clock_now());
	rc = db_step_done(st, s, err, "saving a teaching session");
	sqlite3_finalize(s);
	return rc;
}

int64_t
store_session_last(struct store *st, const char *user, const char *mode, char **state,
		   struct dl_error *err)
{
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc;

	*state = NULL;
	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT id, state FROM teach_sessions WHERE user_id = ?1"
			       " AND mode = ?2 ORDER BY id DESC LIMIT 1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading teaching sessions");
	sqlite3_bind_text(s, 1, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, mode, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		if (db_col_text(s, 1))
			*state = xstrdup(db_col_text(s, 1));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading teaching sessions");
	return id;
}

int
store_pref_add(struct store *st, struct st_pref *p, int replace_domain, int64_t *replaced,
	       size_t max, size_t *nreplaced, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	*nreplaced = 0;
	if (need_teaching(st, err))
		return -1;
	if (p->at <= 0)
		p->at = clock_now();
	if (sqlite3_prepare_v2(st->db, "INSERT INTO preferences (user_id, domain, slot, value,"
			       " polarity, source, at, session_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a preference");
	sqlite3_bind_text(s, 1, p->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, p->domain, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, p->value, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 5, p->polarity);
	sqlite3_bind_text(s, 6, p->source, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 7, p->at);
	db_bind_opt_id(s, 8, p->session);
	rc = db_step_done(st, s, err, "storing a preference");
	p->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	if (rc)
		return -1;
	if (sqlite3_prepare_v2(st->db, "UPDATE preferences SET revoked_at = ?5, replaced_by = ?1"
			       " WHERE user_id = ?2 AND domain = ?3 AND (?4 OR value = ?6)"
			       " AND revoked_at IS NULL AND id <> ?1 RETURNING id",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a preference");
	sqlite3_bind_int64(s, 1, p->id);
	sqlite3_bind_text(s, 2, p->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->domain, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, replace_domain);
	sqlite3_bind_double(s, 5, p->at);
	sqlite3_bind_text(s, 6, p->value, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*nreplaced < max)
			replaced[*nreplaced] = sqlite3_column_int64(s, 0);
		++*nreplaced;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "storing a preference");
	return 0;
}

int
store_pref_revoke(struct store *st, int64_t id, int revoked, int64_t replaced_by,
		  struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "UPDATE preferences SET revoked_at = CASE WHEN ?2"
			       " THEN ?3 END, replaced_by = CASE WHEN ?2 THEN ?4 END WHERE id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "changing a preference");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, revoked);
	sqlite3_bind_double(s, 3, clock_now());
	db_bind_opt_id(s, 4, replaced_by);
	rc = db_step_done(st, s, err, "changing a preference");
	sqlite3_finalize(s);
	if (rc)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int
store_prefs_each(struct store *st, const char *user, int all,
		 int (*fn)(void *ctx, const struct st_pref *p), void *ctx, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT id, user_id, domain, slot, value, polarity, source,"
			       " at, session_id, revoked_at, replaced_by FROM preferences"
			       " WHERE (?1 IS NULL OR user_id = ?1) AND (?2 OR revoked_at IS NULL)"
			       " ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading preferences");
	db_bind_opt_text(s, 1, user);
	sqlite3_bind_int(s, 2, all);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_pref p = {
			.id = sqlite3_column_int64(s, 0),
			.user = db_col_text(s, 1),
			.domain = db_col_text(s, 2),
			.slot = db_col_text(s, 3),
			.value = db_col_text(s, 4),
			.polarity = sqlite3_column_int(s, 5),
			.source = db_col_text(s, 6),
			.at = sqlite3_column_double(s, 7),
			.session = sqlite3_column_int64(s, 8),
			.revoked_at = sqlite3_column_double(s, 9),
			.replaced_by = sqlite3_column_int64(s, 10),
		};

		if (fn(ctx, &p) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading preferences");
	return 0;
}

int
store_feedback_add(struct store *st, struct st_feedback *f, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_teaching(st, err))
		return -1;
	if (f->at <= 0)
		f->at = clock_now();
	if (sqlite3_prepare_v2(st->db, "INSERT INTO feedback (user_id, at, operator, session_id,"
			       " kind, text, value, preference_id, dialogue, turns)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing feedback");
	sqlite3_bind_text(s, 1, f->user, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, f->at);
	sqlite3_bind_text(s, 3, f->operator_, -1, SQLITE_STATIC);
	db_bind_opt_id(s, 4, f->session);
	sqlite3_bind_text(s, 5, f->kind, -1, SQLITE_STATIC);
	db_bind_opt_text(s, 6, f->text);
	db_bind_opt_text(s, 7, f->value);
	db_bind_opt_id(s, 8, f->pref);
	db_bind_opt_text(s, 9, f->dialogue);
	db_bind_opt_text(s, 10, f->turns);
	rc = db_step_done(st, s, err, "storing feedback");
	f->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return rc;
}

int
store_feedback_each(struct store *st, const char *user,
		    int (*fn)(void *ctx, const struct st_feedback *f), void *ctx,
		    struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_teaching(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT id, user_id, at, operator, session_id, kind, text,"
			       " value, preference_id, dialogue, turns FROM feedback"
			       " WHERE (?1 IS NULL OR user_id = ?1) ORDER BY id", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "reading feedback");
	db_bind_opt_text(s, 1, user);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_feedback f = {
			.id = sqlite3_column_int64(s, 0),
			.user = db_col_text(s, 1),
			.at = sqlite3_column_double(s, 2),
			.operator_ = db_col_text(s, 3),
			.session = sqlite3_column_int64(s, 4),
			.kind = db_col_text(s, 5),
			.text = db_col_text(s, 6),
			.value = db_col_text(s, 7),
			.pref = sqlite3_column_int64(s, 8),
			.dialogue = db_col_text(s, 9),
			.turns = db_col_text(s, 10),
		};

		if (fn(ctx, &f) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading feedback");
	return 0;
}

json_t *
store_users(struct store *st, struct dl_error *err)
{
	sqlite3_stmt *s;
	json_t *a;
	int rc;

	if (sqlite3_prepare_v2(st->db, st->schema >= 4 ?
			       "SELECT user_id FROM dialogues WHERE user_id IS NOT NULL UNION"
			       " SELECT user_id FROM preferences ORDER BY 1" :
			       "SELECT DISTINCT user_id FROM dialogues WHERE user_id IS NOT NULL"
			       " ORDER BY 1", -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "reading users");
		return NULL;
	}
	a = json_array();
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, json_string(db_col_text(s, 0)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		db_fail(st, err, "reading users");
		return NULL;
	}
	return a;
}

/* ---- Habits ---- */

static int
need_habits(struct store *st, struct dl_error *err)
{
	if (st->schema >= 6)
		return 0;
	return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
			    "database schema %lld has no habits; open it for writing"
			    " (e.g. 'dialab init') to migrate", (long long)st->schema);
}

int
store_habits_clear(struct store *st, const char *user, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_habits(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "DELETE FROM habits WHERE ?1 IS NULL OR user_id = ?1", -1,
			       &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "forgetting habits");
	db_bind_opt_text(s, 1, user);
	rc = db_step_done(st, s, err, "forgetting habits");
	sqlite3_finalize(s);
	return rc;
}

int
store_habit_put(struct store *st, const struct st_habit *h, struct dl_error *err)
{
	sqlite3_stmt *s;

	if (!st->habit_ins &&
	    sqlite3_prepare_v3(st->db, "INSERT INTO habits (user_id, intent, slot, cond, value, n, m,"
			       " learnt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
			       SQLITE_PREPARE_PERSISTENT, &st->habit_ins, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a habit");
	s = st->habit_ins;
	sqlite3_bind_text(s, 1, h->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, h->intent, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, h->slot, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, h->cond, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, h->value, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 6, h->n);
	sqlite3_bind_int64(s, 7, h->m);
	sqlite3_bind_double(s, 8, h->at);
	return db_step_done(st, s, err, "storing a habit");
}

int
store_habits_each(struct store *st, const char *user, const char *intent,
		  int (*fn)(void *ctx, const struct st_habit *h), void *ctx, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_habits(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT user_id, intent, slot, cond, value, n, m, learnt_at"
			       " FROM habits WHERE (?1 IS NULL OR user_id = ?1)"
			       " AND (?2 IS NULL OR intent = ?2)"
			       " ORDER BY user_id, intent, slot, cond, n DESC, value", -1, &s,
			       NULL) != SQLITE_OK)
		return db_fail(st, err, "reading habits");
	db_bind_opt_text(s, 1, user);
	db_bind_opt_text(s, 2, intent);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_habit h = {
			.user = db_col_text(s, 0),
			.intent = db_col_text(s, 1),
			.slot = db_col_text(s, 2),
			.cond = db_col_text(s, 3),
			.value = db_col_text(s, 4),
			.n = (long)sqlite3_column_int64(s, 5),
			.m = (long)sqlite3_column_int64(s, 6),
			.at = sqlite3_column_double(s, 7),
		};

		if (fn(ctx, &h) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading habits");
	return 0;
}

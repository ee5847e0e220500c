/* rewrite.c: rewrites and the decisions on them (schema 5). */
#include "store-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"

static int
need_rewrites(struct store *st, struct dl_error *err)
{
	if (st->schema >= 5)
		return 0;
	return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
			    "database schema %lld has no rewrites; open it for writing"
			    " (e.g. 'dialab init') to migrate", (long long)st->schema);
}

static void
bind_p(sqlite3_stmt *s, int col, double p)
{
	if (p < 0)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_double(s, col, p);
}

int
store_rewrite_put(struct store *st, struct st_rewrite *r, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc, created;

	if (need_rewrites(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT id FROM rewrites WHERE scope = ?1"
			       " AND coalesce(user_id, '') = coalesce(?2, '') AND from_text = ?3"
			       " AND to_text = ?4", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "finding a rewrite");
	sqlite3_bind_text(s, 1, r->scope, -1, SQLITE_STATIC);
	db_bind_opt_text(s, 2, r->user);
	sqlite3_bind_text(s, 3, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->to, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	r->id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "finding a rewrite");
	created = !r->id;
	if (created)
		rc = sqlite3_prepare_v2(st->db, "INSERT INTO rewrites (scope, user_id, from_text,"
					" to_text, support, p_before, p_after, provenance, mined_at, status)"
					" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", -1, &s, NULL);
	else
		rc = sqlite3_prepare_v2(st->db, "UPDATE rewrites SET support = ?5, p_before = ?6,"
					" p_after = ?7, provenance = CASE WHEN json_extract(provenance,"
					" '$.kind') = 'taught' THEN provenance ELSE ?8 END, mined_at = ?9"
					" WHERE id = ?11",
					-1, &s, NULL);
	if (rc != SQLITE_OK)
		return db_fail(st, err, "storing a rewrite");
	sqlite3_bind_text(s, 1, r->scope, -1, SQLITE_STATIC);
	db_bind_opt_text(s, 2, r->user);
	sqlite3_bind_text(s, 3, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, r->to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, r->support);
	bind_p(s, 6, r->p_before);
	bind_p(s, 7, r->p_after);
	sqlite3_bind_text(s, 8, r->provenance ? r->provenance : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 9, r->mined_at > 0 ? r->mined_at : clock_now());
	sqlite3_bind_text(s, 10, r->status ? r->status : "proposed", -1, SQLITE_STATIC);
	if (!created)
		sqlite3_bind_int64(s, 11, r->id);
	if (db_step_done(st, s, err, "storing a rewrite")) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	if (created)
		r->id = sqlite3_last_insert_rowid(st->db);
	return created;
}

static double
col_p(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? -1 : sqlite3_column_double(s, col);
}

int
store_rewrites_each(struct store *st, const struct st_rewrite_query *q,
		    int (*fn)(void *ctx, const struct st_rewrite *r), void *ctx,
		    struct dl_error *err)
{
	static const struct st_rewrite_query all = { 0 };
	sqlite3_stmt *s;
	int rc;

	if (need_rewrites(st, err))
		return -1;
	if (!q)
		q = &all;
	if (sqlite3_prepare_v2(st->db, "SELECT id, scope, user_id, from_text, to_text, support,"
			       " p_before, p_after, status, provenance, mined_at, decided_at, decided_by"
			       " FROM rewrites WHERE (?1 = 0 OR id = ?1) AND (?2 IS NULL OR status = ?2)"
			       " AND (?3 IS NULL OR scope = ?3) AND (?4 IS NULL OR user_id = ?4)"
			       " AND (?5 IS NULL OR from_text = ?5) AND support >= ?6 ORDER BY id",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading rewrites");
	sqlite3_bind_int64(s, 1, q->id);
	db_bind_opt_text(s, 2, q->status);
	db_bind_opt_text(s, 3, q->scope);
	db_bind_opt_text(s, 4, q->user);
	db_bind_opt_text(s, 5, q->from);
	sqlite3_bind_int64(s, 6, q->min_support);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_rewrite r;

		r.id = sqlite3_column_int64(s, 0);
		r.scope = db_col_text(s, 1);
		r.user = sqlite3_column_type(s, 2) == SQLITE_NULL ? NULL : db_col_text(s, 2);
		r.from = db_col_text(s, 3);
		r.to = db_col_text(s, 4);
		r.support = (long)sqlite3_column_int64(s, 5);
		r.p_before = col_p(s, 6);
		r.p_after = col_p(s, 7);
		r.status = db_col_text(s, 8);
		r.provenance = db_col_text(s, 9);
		r.mined_at = sqlite3_column_double(s, 10);
		r.decided_at = sqlite3_column_type(s, 11) == SQLITE_NULL ? 0 :
			       sqlite3_column_double(s, 11);
		r.decided_by = sqlite3_column_type(s, 12) == SQLITE_NULL ? NULL : db_col_text(s, 12);
		if (fn(ctx, &r) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading rewrites");
	return 0;
}

/*
 * The text of column 0 of the one row of sql bound with id (and
 * annotator), into buf ("" when none); column 1, when there is one, in
 * *ref.
 */
static int
status_of(struct store *st, const char *sql, int64_t id, const char *annotator, char *buf,
	  size_t n, int64_t *ref, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading a rewrite");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_text(s, 2, annotator, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(buf, n, "%s", db_col_text(s, 0));
		if (ref && sqlite3_column_count(s) > 1)
			*ref = sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading a rewrite");
	return 0;
}

int
store_rewrite_decide(struct store *st, int64_t id, const char *action,
		     const char *annotator, struct dl_error *err)
{
	char now[16], want[16];
	sqlite3_stmt *s;
	double at = clock_now();
	int64_t ref = 0;

	if (need_rewrites(st, err))
		return -1;
	if (status_of(st, "SELECT status FROM rewrites WHERE id = ?1", id, NULL, now,
		      sizeof(now), NULL, err))
		return -1;
	if (!now[0])
		return 2;
	if (!strcmp(action, "undo")) {
		/* the status before the annotator's latest decision that is not undone */
		if (status_of(st, "SELECT old_status, id FROM rewrite_decisions d WHERE rewrite_id = ?1"
			      " AND annotator = ?2 AND action <> 'undo' AND NOT EXISTS (SELECT 1"
			      " FROM rewrite_decisions u WHERE u.ref = d.id) ORDER BY id DESC LIMIT 1",
			      id, annotator, want, sizeof(want), &ref, err))
			return -1;
		if (!want[0])
			return 2;
	} else if (!strcmp(action, "accept")) {
		snprintf(want, sizeof(want), "accepted");
	} else if (!strcmp(action, "reject")) {
		snprintf(want, sizeof(want), "rejected");
	} else if (!strcmp(action, "retire")) {
		snprintf(want, sizeof(want), "retired");
	} else {
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL,
				    "unknown rewrite action '%s'", action);
	}
	if (!strcmp(now, want) && strcmp(action, "undo"))
		return 0;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO rewrite_decisions (rewrite_id, annotator, at,"
			       " action, old_status, new_status, ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "logging a rewrite decision");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, annotator, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, at);
	sqlite3_bind_text(s, 4, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, want, -1, SQLITE_STATIC);
	db_bind_opt_id(s, 7, ref);
	if (db_step_done(st, s, err, "logging a rewrite decision")) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(st->db, "UPDATE rewrites SET status = ?2, decided_at = ?3,"
			       " decided_by = ?4 WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "deciding on a rewrite");
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, want, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 3, at);
	sqlite3_bind_text(s, 4, annotator, -1, SQLITE_STATIC);
	if (db_step_done(st, s, err, "deciding on a rewrite")) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 1;
}

int
store_forms_clear(struct store *st, struct dl_error *err)
{
	if (need_rewrites(st, err))
		return -1;
	return db_exec(st, "DELETE FROM rewrite_forms", err);
}

int
store_form_put(struct store *st, const struct st_form *f, struct dl_error *err)
{
	sqlite3_stmt *s;

	if (!st->form_ins &&
	    sqlite3_prepare_v3(st->db, "INSERT INTO rewrite_forms (user_id, form, successes, seen)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, SQLITE_PREPARE_PERSISTENT,
			       &st->form_ins, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a form");
	s = st->form_ins;
	sqlite3_bind_text(s, 1, f->user ? f->user : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, f->form, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, f->successes);
	sqlite3_bind_int64(s, 4, f->seen);
	return db_step_done(st, s, err, "storing a form");
}

int
store_forms_each(struct store *st, int user_rows, const char *user,
		 int (*fn)(void *ctx, const struct st_form *f), void *ctx,
		 struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (need_rewrites(st, err))
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT user_id, form, successes, seen FROM rewrite_forms"
			       " WHERE CASE WHEN ?2 IS NOT NULL THEN user_id = ?2"
			       " WHEN ?1 THEN user_id <> '' ELSE user_id = '' END",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading forms");
	sqlite3_bind_int(s, 1, user_rows);
	db_bind_opt_text(s, 2, user);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_form f;

		f.user = *db_col_text(s, 0) ? db_col_text(s, 0) : NULL;
		f.form = db_col_text(s, 1);
		f.successes = (long)sqlite3_column_int64(s, 2);
		f.seen = (long)sqlite3_column_int64(s, 3);
		if (fn(ctx, &f) < 0) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading forms");
	return 0;
}

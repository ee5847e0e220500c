/* decision.c: the append-only decision log. */
#include "store-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"

int64_t
store_decision_append(struct store *st, const struct st_decision *d,
		      struct dl_error *err)
{
	sqlite3_stmt *s;
	int64_t id;

	if (sqlite3_prepare_v2(st->db, "INSERT INTO decisions (annotator, at, dialogue_id,"
			       " turn_idx, kind, label_id, action, old_value, new_value, ms_spent, ref)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "recording a decision");
	sqlite3_bind_text(s, 1, d->annotator, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, d->at > 0 ? d->at : clock_now());
	sqlite3_bind_int64(s, 3, d->dialogue_id);
	if (d->turn_idx >= 0)
		sqlite3_bind_int(s, 4, d->turn_idx);
	else
		sqlite3_bind_null(s, 4);
	sqlite3_bind_text(s, 5, d->kind, -1, SQLITE_STATIC);
	if (d->label_id > 0)
		sqlite3_bind_int64(s, 6, d->label_id);
	else
		sqlite3_bind_null(s, 6);
	sqlite3_bind_text(s, 7, d->action, -1, SQLITE_STATIC);
	db_bind_opt_text(s, 8, d->old_value);
	db_bind_opt_text(s, 9, d->new_value);
	sqlite3_bind_int64(s, 10, d->ms_spent);
	if (d->ref > 0)
		sqlite3_bind_int64(s, 11, d->ref);
	else
		sqlite3_bind_null(s, 11);
	/* Autocommit: the row is durable (WAL) when step returns. */
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_fail(st, err, "recording a decision");
	}
	id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	return id;
}

int
store_decisions_each(struct store *st, const char *annotator, int64_t dialogue_id,
		     store_decision_fn fn, void *ctx, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT id, annotator, at, dialogue_id, turn_idx, kind,"
			       " label_id, action, old_value, new_value, ms_spent, ref FROM decisions"
			       " WHERE (?1 IS NULL OR annotator = ?1) AND (?2 = 0 OR dialogue_id = ?2)"
			       " ORDER BY id", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading decisions");
	db_bind_opt_text(s, 1, annotator);
	sqlite3_bind_int64(s, 2, dialogue_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_decision d;

		d.id = sqlite3_column_int64(s, 0);
		d.annotator = (const char *)sqlite3_column_text(s, 1);
		d.at = sqlite3_column_double(s, 2);
		d.dialogue_id = sqlite3_column_int64(s, 3);
		d.turn_idx = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 4);
		d.kind = (const char *)sqlite3_column_text(s, 5);
		d.label_id = sqlite3_column_int64(s, 6);
		d.action = (const char *)sqlite3_column_text(s, 7);
		d.old_value = (const char *)sqlite3_column_text(s, 8);
		d.new_value = (const char *)sqlite3_column_text(s, 9);
		d.ms_spent = (long)sqlite3_column_int64(s, 10);
		d.ref = sqlite3_column_int64(s, 11);
		if (fn(ctx, &d) < 0)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading decisions");
	return 0;
}

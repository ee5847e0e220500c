/*
 * store-int.h: what the files of the SQLite store share, and nothing
 * outside src/store sees.  The only header besides them that includes
 * <sqlite3.h>.
 */
#ifndef DIALAB_STORE_INT_H
#define DIALAB_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"
#include "dialab/strbuf.h"

/* The statements of an import, prepared once by store_open() (db.c). */
enum {
	S_FIND, S_INS_DIALOGUE, S_UPD_DIALOGUE, S_INS_TURN, S_INS_LABEL,
	S_DEL_TURNS, S_DEL_LABELS, S__COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	int created;
	int64_t schema;		/* the file's schema version once checked */
	int busy_ms;
	sqlite3_stmt *stmt[S__COUNT];
	struct strbuf jb[4];	/* scratch JSON for the bound columns of one row */
	double now;		/* created_at of the labels of one put */
	sqlite3_stmt *form_ins;	/* store_form_put()'s, prepared on first use */
	sqlite3_stmt *habit_ins;	/* store_habit_put()'s, likewise */
};

/*
 * SQL: the decision d stands (is its annotator's answer now): an
 * accept, correct or reject with as many redos as undos, and no later
 * such decision of its annotator on the same target.  d must not be
 * named u or x.
 */
#define STANDS(d) "(SELECT count(*) FROM decisions u WHERE u.ref = " d ".id AND u.action = 'undo')" \
	" = (SELECT count(*) FROM decisions u WHERE u.ref = " d ".id AND u.action = 'redo')"
#define STANDING(d) d ".action IN ('accept', 'correct', 'reject') AND " STANDS(d) \
	" AND NOT EXISTS (SELECT 1 FROM decisions x WHERE x.dialogue_id = " d ".dialogue_id" \
	" AND x.annotator = " d ".annotator AND x.kind = " d ".kind AND x.turn_idx IS " d ".turn_idx" \
	" AND x.id > " d ".id AND x.action IN ('accept', 'correct', 'reject') AND " STANDS("x") ")"


/* db.c: a SQLite failure as a dl_error with the right exit code (returns -1). */
int db_fail(struct store *st, struct dl_error *err, const char *what);
/* db.c: run sql, which returns no rows. */
int db_exec(struct store *st, const char *sql, struct dl_error *err);
/* db.c: the one integer sql returns, in *out. */
int db_query_int(struct store *st, const char *sql, int64_t *out, struct dl_error *err);
/* db.c: step s to its end; a failure names what. */
int db_step_done(struct store *st, sqlite3_stmt *s, struct dl_error *err, const char *what);
/* db.c: bind v as text, or NULL when v is NULL. */
void db_bind_opt_text(sqlite3_stmt *s, int col, const char *v);
/* db.c: bind v, or NULL when v is 0. */
void db_bind_opt_id(sqlite3_stmt *s, int col, int64_t v);
/* db.c: text column col, "" when NULL. */
const char *db_col_text(sqlite3_stmt *s, int col);
/* db.c: a malloc'd copy of text column col, NULL when NULL. */
char *db_col_dup(sqlite3_stmt *s, int col);

#endif

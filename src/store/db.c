/* db.c: opening, creating and migrating the file; transactions; meta values. */
#include "store-int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dialab/clock.h"
#include "dialab/jsonw.h"

static const char schema_sql[] =
#include "schema.h"
;

/*
 * Forward migrations: migrations[v - 1] turns schema v into v + 1.
 * db/schema.sql is the newest schema, for new files.
 */
static const char *const migrations[] = {
	/* 1 -> 2: find the undo/redo of a decision without a scan (export) */
	"CREATE INDEX decisions_ref ON decisions(ref);",
	/* 2 -> 3: trained models */
	"CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	" version INTEGER NOT NULL, trained_at REAL NOT NULL, annotator TEXT NOT NULL,"
	" n_train INTEGER NOT NULL, params TEXT NOT NULL, metrics TEXT,"
	" weights BLOB NOT NULL, UNIQUE (name, version));",
	/* 3 -> 4: teaching sessions, preferences and feedback */
	"CREATE TABLE teach_sessions (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL,"
	" operator TEXT NOT NULL, mode TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL,"
	" state TEXT);"
	"CREATE INDEX teach_sessions_user ON teach_sessions(user_id, mode, id);"
	"CREATE TABLE preferences (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL,"
	" domain TEXT NOT NULL, slot TEXT NOT NULL, value TEXT NOT NULL,"
	" polarity INTEGER NOT NULL CHECK (polarity IN (1, -1)), source TEXT NOT NULL CHECK"
	" (source IN ('stated', 'guided', 'moment')), at REAL NOT NULL,"
	" session_id INTEGER REFERENCES teach_sessions(id), revoked_at REAL,"
	" replaced_by INTEGER REFERENCES preferences(id));"
	"CREATE INDEX preferences_user ON preferences(user_id, domain);"
	"CREATE TABLE feedback (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL, at REAL NOT NULL,"
	" operator TEXT NOT NULL, session_id INTEGER REFERENCES teach_sessions(id),"
	" kind TEXT NOT NULL, text TEXT, value TEXT,"
	" preference_id INTEGER REFERENCES preferences(id), dialogue TEXT, turns TEXT);"
	"CREATE INDEX feedback_user ON feedback(user_id, id);",
	/* 4 -> 5: rewrites and the decisions on them */
	"CREATE TABLE rewrites (id INTEGER PRIMARY KEY,"
	" scope TEXT NOT NULL CHECK (scope IN ('global', 'personal')), user_id TEXT,"
	" from_text TEXT NOT NULL, to_text TEXT NOT NULL, support INTEGER NOT NULL,"
	" p_before REAL, p_after REAL, status TEXT NOT NULL DEFAULT 'proposed'"
	" CHECK (status IN ('proposed', 'accepted', 'rejected', 'retired')),"
	" provenance TEXT NOT NULL, mined_at REAL NOT NULL, decided_at REAL, decided_by TEXT,"
	" CHECK ((scope = 'global') = (user_id IS NULL)));"
	"CREATE UNIQUE INDEX rewrites_key ON rewrites(scope, coalesce(user_id, ''), from_text,"
	" to_text);"
	"CREATE INDEX rewrites_from ON rewrites(from_text, status);"
	"CREATE TABLE rewrite_decisions (id INTEGER PRIMARY KEY,"
	" rewrite_id INTEGER NOT NULL REFERENCES rewrites(id), annotator TEXT NOT NULL,"
	" at REAL NOT NULL, action TEXT NOT NULL"
	" CHECK (action IN ('accept', 'reject', 'retire', 'undo')),"
	" old_status TEXT NOT NULL, new_status TEXT NOT NULL,"
	" ref INTEGER REFERENCES rewrite_decisions(id));"
	"CREATE INDEX rewrite_decisions_rewrite ON rewrite_decisions(rewrite_id, id);"
	"CREATE TABLE rewrite_forms (user_id TEXT NOT NULL, form TEXT NOT NULL,"
	" successes INTEGER NOT NULL, seen INTEGER NOT NULL, PRIMARY KEY (user_id, form))"
	" WITHOUT ROWID;",
	/* 5 -> 6: habits learnt from the logs */
	"CREATE TABLE habits (user_id TEXT NOT NULL, intent TEXT NOT NULL, slot TEXT NOT NULL,"
	" cond TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, m INTEGER NOT NULL,"
	" learnt_at REAL NOT NULL, PRIMARY KEY (user_id, intent, slot, cond, value))"
	" WITHOUT ROWID;",
};

static const char *const stmt_sql[S__COUNT] = {
	[S_FIND] = "SELECT id FROM dialogues WHERE ext_id = ?1",
	[S_INS_DIALOGUE] = "INSERT INTO dialogues (ext_id, user_id, device, context,"
		" extra, n_turns, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_UPD_DIALOGUE] = "UPDATE dialogues SET user_id = ?2, device = ?3, context = ?4,"
		" extra = ?5, n_turns = ?6, import_id = ?7 WHERE id = ?1",
	[S_INS_TURN] = "INSERT INTO turns (dialogue_id, idx, ts, ts_json, text,"
		" asr_confidence, nlu, response, barge_in, device_state, audio, extra)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_INS_LABEL] = "INSERT INTO labels (dialogue_id, turn_idx, kind, value,"
		" confidence, source, candidates, extra, created_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_DEL_TURNS] = "DELETE FROM turns WHERE dialogue_id = ?1",
	[S_DEL_LABELS] = "DELETE FROM labels WHERE dialogue_id = ?1",
};

/* Turn a SQLite failure into a dl_error with the right exit code. */
int
db_fail(struct store *st, struct dl_error *err, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);
	int code = DL_EX_IOERR;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return dl_error_set(err, DL_EX_TEMPFAIL, st->path, 0, NULL,
				    "database is locked by another process (waited %d ms): %s",
				    st->busy_ms, what);
	case SQLITE_READONLY:
		return dl_error_set(err, DL_EX_CANTCREAT, st->path, 0, NULL,
				    "database is read-only: %s", what);
	case SQLITE_NOTADB:
		return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
				    "not a SQLite database (nor a dialab one)");
	case SQLITE_CORRUPT:
		code = DL_EX_DATAERR;
		break;
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		code = DL_EX_IOERR;
		break;
	default:
		code = DL_EX_SOFTWARE;
	}
	return dl_error_set(err, code, st->path, 0, NULL, "%s: %s", what,
			    sqlite3_errmsg(st->db));
}

int
db_exec(struct store *st, const char *sql, struct dl_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, sql);
	return 0;
}

/* One integer from a query with no parameters. */
int
db_query_int(struct store *st, const char *sql, int64_t *out, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading the database");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading the database");
	return 0;
}

static int
initialise(struct store *st, struct dl_error *err)
{
	char sql[256];
	sqlite3_stmt *s;

	if (db_exec(st, "BEGIN IMMEDIATE", err))
		return -1;
	if (db_exec(st, schema_sql, err))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
	if (db_exec(st, sql, err))
		goto fail;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO meta (key, value) VALUES"
			       " ('created_by', 'dialab " DIALAB_VERSION "'), ('created_at', ?1)",
			       -1, &s, NULL) != SQLITE_OK) {
		db_fail(st, err, "initialising");
		goto fail;
	}
	sqlite3_bind_double(s, 1, clock_now());
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		db_fail(st, err, "initialising");
		goto fail;
	}
	sqlite3_finalize(s);
	if (db_exec(st, "COMMIT", err))
		goto fail;
	st->created = 1;
	return 0;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
migrate(struct store *st, int64_t from, struct dl_error *err)
{
	char sql[64];
	int64_t v;

	if (db_exec(st, "BEGIN IMMEDIATE", err))
		return -1;
	for (v = from; v < STORE_SCHEMA_VERSION; v++) {
		if (v - 1 >= (int64_t)(sizeof(migrations) / sizeof(migrations[0])) ||
		    !migrations[v - 1] || db_exec(st, migrations[v - 1], err)) {
			if (!err->code)
				dl_error_set(err, DL_EX_SOFTWARE, st->path, 0, NULL,
					     "no migration from schema %lld", (long long)v);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	if (db_exec(st, sql, err) || db_exec(st, "COMMIT", err)) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* Is this a dialab database we can use?  Initialise it when new. */
static int
check_schema(struct store *st, enum store_mode mode, struct dl_error *err)
{
	int64_t app = 0, ver = 0, ntables = 0;

	if (db_query_int(st, "SELECT count(*) FROM sqlite_master", &ntables, err) ||
	    db_query_int(st, "PRAGMA application_id", &app, err) ||
	    db_query_int(st, "PRAGMA user_version", &ver, err))
		return -1;
	st->schema = ver ? ver : STORE_SCHEMA_VERSION;
	if (app == 0 && ntables == 0) {
		if (mode != STORE_CREATE)
			return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
					    "empty database; create it with 'dialab init'");
		return initialise(st, err);
	}
	if (app != STORE_APPLICATION_ID)
		return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
				    "not a dialab database (a SQLite file of another program)");
	if (ver > STORE_SCHEMA_VERSION)
		return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
				    "database schema %lld is newer than this dialab knows (%d); upgrade dialab",
				    (long long)ver, STORE_SCHEMA_VERSION);
	if (ver < 1)
		return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
				    "damaged dialab database: schema version %lld", (long long)ver);
	if (ver < STORE_SCHEMA_VERSION) {
		if (mode == STORE_READ && ver >= STORE_SCHEMA_READABLE)
			return 0;	/* later versions only added what readers can do without */
		if (mode == STORE_READ)
			return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
					    "database schema %lld needs migrating to %d; run any writing command, e.g. 'dialab init'",
					    (long long)ver, STORE_SCHEMA_VERSION);
		if (migrate(st, ver, err))
			return -1;
		st->schema = STORE_SCHEMA_VERSION;
	}
	return 0;
}

int
store_open(struct store **out, const char *path, enum store_mode mode,
	   struct dl_error *err)
{
	struct store *st;
	struct stat sb;
	const char *env;
	int flags, i;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || mode != STORE_CREATE)
			return dl_error_set(err, errno == ENOENT ? DL_EX_NOINPUT : DL_EX_IOERR,
					    path, 0, NULL, errno == ENOENT ?
					    "no database here; create one with 'dialab init' or 'dialab import'" :
					    "%s", strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return dl_error_set(err, DL_EX_NOINPUT, path, 0, NULL,
				    "not a regular file");
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		return dl_error_set(err, DL_EX_SOFTWARE, path, 0, NULL, "out of memory");
	st->path = xstrdup(path);
	for (i = 0; i < 4; i++)
		sb_init(&st->jb[i]);
	st->busy_ms = 5000;
	if ((env = getenv("DIALAB_BUSY_TIMEOUT")) && *env) {
		char *end;
		long ms = strtol(env, &end, 10);

		if (!*end && ms >= 0 && ms <= 3600000)
			st->busy_ms = (int)ms;
	}
	flags = mode == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (mode == STORE_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		dl_error_set(err, mode == STORE_CREATE ? DL_EX_CANTCREAT : DL_EX_IOERR,
			     path, 0, NULL, "cannot open: %s",
			     st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, st->busy_ms);
	if (mode != STORE_READ && sqlite3_db_readonly(st->db, "main") == 1) {
		dl_error_set(err, DL_EX_CANTCREAT, path, 0, NULL,
			     "database is read-only (no write permission)");
		store_close(st);
		return -1;
	}
	/* WAL only once the file is known to be ours: never touch another program's. */
	if (db_exec(st, "PRAGMA foreign_keys = ON", err) ||
	    check_schema(st, mode, err) ||
	    (mode != STORE_READ && (db_exec(st, "PRAGMA journal_mode = WAL", err) ||
				    db_exec(st, "PRAGMA synchronous = NORMAL", err)))) {
		store_close(st);
		return -1;
	}
	for (i = 0; i < S__COUNT; i++)
		if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &st->stmt[i], NULL) != SQLITE_OK) {
			db_fail(st, err, "preparing statements");
			store_close(st);
			return -1;
		}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < S__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_finalize(st->form_ins);
	sqlite3_finalize(st->habit_ins);
	sqlite3_close(st->db);
	for (i = 0; i < 4; i++)
		sb_release(&st->jb[i]);
	free(st->path);
	free(st);
}

int
store_created(const struct store *st)
{
	return st->created;
}

int
store_begin(struct store *st, struct dl_error *err)
{
	return db_exec(st, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *st, struct dl_error *err)
{
	return db_exec(st, "COMMIT", err);
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int
store_savepoint(struct store *st, struct dl_error *err)
{
	return db_exec(st, "SAVEPOINT rec", err);
}

int
store_savepoint_release(struct store *st, struct dl_error *err)
{
	return db_exec(st, "RELEASE rec", err);
}

void
store_savepoint_rollback(struct store *st)
{
	sqlite3_exec(st->db, "ROLLBACK TO rec; RELEASE rec", NULL, NULL, NULL);
}

int64_t
store_import_begin(struct store *st, const char *annotator, const char *format,
		   const json_t *paths, struct dl_error *err)
{
	sqlite3_stmt *s;
	struct strbuf *b = &st->jb[0];

	sb_reset(b);
	jw_value(b, paths);
	if (sqlite3_prepare_v2(st->db, "INSERT INTO imports (at, annotator, format, paths)"
			       " VALUES (?1, ?2, ?3, ?4)", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "recording the import");
	sqlite3_bind_double(s, 1, clock_now());
	sqlite3_bind_text(s, 2, annotator, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, format, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, b->buf, (int)b->len, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_fail(st, err, "recording the import");
	}
	sqlite3_finalize(s);
	return sqlite3_last_insert_rowid(st->db);
}


char *
store_meta_get(struct store *st, const char *key, struct dl_error *err)
{
	sqlite3_stmt *s;
	char *v = NULL;
	int rc;

	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = ?1", -1, &s,
			       NULL) != SQLITE_OK) {
		db_fail(st, err, "reading meta");
		return NULL;
	}
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && db_col_text(s, 0))
		v = xstrdup(db_col_text(s, 0));
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(st, err, "reading meta");
	return v;
}

int
store_meta_set(struct store *st, const char *key, const char *value, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(st->db, value ? "INSERT INTO meta (key, value) VALUES (?1, ?2)"
			       " ON CONFLICT (key) DO UPDATE SET value = excluded.value" :
			       "DELETE FROM meta WHERE key = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "writing meta");
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (value)
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = db_step_done(st, s, err, "writing meta");
	sqlite3_finalize(s);
	return rc;
}

/* ---- Helpers of the other files (store-int.h) ---- */

int
db_step_done(struct store *st, sqlite3_stmt *s, struct dl_error *err, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, what);
	return 0;
}

void
db_bind_opt_text(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

void
db_bind_opt_id(sqlite3_stmt *s, int col, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(s, col, v);
	else
		sqlite3_bind_null(s, col);
}

const char *
db_col_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

char *
db_col_dup(sqlite3_stmt *s, int col)
{
	const char *v = (const char *)sqlite3_column_text(s, col);

	return v ? xstrdup(v) : NULL;
}

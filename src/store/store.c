#include "dialab/store.h"

#include <errno.h>
#include <fnmatch.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"

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
};

enum {
	S_FIND, S_INS_DIALOGUE, S_UPD_DIALOGUE, S_INS_TURN, S_INS_LABEL,
	S_DEL_TURNS, S_DEL_LABELS, S__COUNT
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

struct store {
	sqlite3 *db;
	char *path;
	int created;
	int64_t schema;		/* the file's schema version once checked */
	int busy_ms;
	sqlite3_stmt *stmt[S__COUNT];
	struct strbuf jb[4];	/* scratch JSON for the bound columns of one row */
	double now;		/* created_at of the labels of one put */
};

/* Turn a SQLite failure into a dl_error with the right exit code. */
static int
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

static int
exec(struct store *st, const char *sql, struct dl_error *err)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(st, err, sql);
	return 0;
}

/* One integer from a query with no parameters. */
static int
query_int(struct store *st, const char *sql, int64_t *out, struct dl_error *err)
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

	if (exec(st, "BEGIN IMMEDIATE", err))
		return -1;
	if (exec(st, schema_sql, err))
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
	if (exec(st, sql, err))
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
	if (exec(st, "COMMIT", err))
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

	if (exec(st, "BEGIN IMMEDIATE", err))
		return -1;
	for (v = from; v < STORE_SCHEMA_VERSION; v++) {
		if (v - 1 >= (int64_t)(sizeof(migrations) / sizeof(migrations[0])) ||
		    !migrations[v - 1] || exec(st, migrations[v - 1], err)) {
			if (!err->code)
				dl_error_set(err, DL_EX_SOFTWARE, st->path, 0, NULL,
					     "no migration from schema %lld", (long long)v);
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	if (exec(st, sql, err) || exec(st, "COMMIT", err)) {
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

	if (query_int(st, "SELECT count(*) FROM sqlite_master", &ntables, err) ||
	    query_int(st, "PRAGMA application_id", &app, err) ||
	    query_int(st, "PRAGMA user_version", &ver, err))
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
	if (exec(st, "PRAGMA foreign_keys = ON", err) ||
	    check_schema(st, mode, err) ||
	    (mode != STORE_READ && (exec(st, "PRAGMA journal_mode = WAL", err) ||
				    exec(st, "PRAGMA synchronous = NORMAL", err)))) {
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
	return exec(st, "BEGIN IMMEDIATE", err);
}

int
store_commit(struct store *st, struct dl_error *err)
{
	return exec(st, "COMMIT", err);
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
	return exec(st, "SAVEPOINT rec", err);
}

int
store_savepoint_release(struct store *st, struct dl_error *err)
{
	return exec(st, "RELEASE rec", err);
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

static int
step_done(struct store *st, sqlite3_stmt *s, struct dl_error *err, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, what);
	return 0;
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
		if (step_done(st, s, err, "storing a label"))
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
		if (step_done(st, s, err, "storing a turn"))
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
		if (step_done(st, st->stmt[S_DEL_LABELS], err, "replacing a dialogue") ||
		    step_done(st, st->stmt[S_DEL_TURNS], err, "replacing a dialogue"))
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
	if (step_done(st, s, err, "storing a dialogue"))
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
	if (exec(st, "BEGIN", err))
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

/*
 * The friction of the dialogue whose row id is the SQL expression id:
 * barge-ins and turns of ASR confidence under 0.6, failure points other
 * than correct and failed goals.  The queue pane's mark and the
 * friction queue's order, so the two always agree.
 */
#define FRICTION_SQL(id) \
	"((SELECT count(*) FROM turns t WHERE t.dialogue_id = " id \
	" AND (t.barge_in = 1 OR t.asr_confidence < 0.6)) + (SELECT count(*) FROM labels l" \
	" WHERE l.dialogue_id = " id " AND ((l.kind = 'failure_point' AND l.value <> '\"correct\"')" \
	" OR (l.kind = 'goal_outcome' AND json_extract(l.value, '$.outcome') = 'failure'))))"

int
store_queue_row(struct store *st, int64_t id, struct st_queue_row *row,
		struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	memset(row, 0, sizeof(*row));
	if (sqlite3_prepare_v2(st->db, "SELECT ext_id, coalesce(user_id, ''),"
		" coalesce(json_extract(device, '$.type'), ''), n_turns, " FRICTION_SQL("?1")
		" FROM dialogues WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading the queue");
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(row->ext_id, sizeof(row->ext_id), "%s", sqlite3_column_text(s, 0));
		snprintf(row->user, sizeof(row->user), "%s", sqlite3_column_text(s, 1));
		snprintf(row->device, sizeof(row->device), "%s", sqlite3_column_text(s, 2));
		row->n_turns = sqlite3_column_int(s, 3);
		row->friction = sqlite3_column_int(s, 4);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading the queue");
	return 0;
}

static void
bind_text_or_null(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

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
	bind_text_or_null(s, 8, d->old_value);
	bind_text_or_null(s, 9, d->new_value);
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
	bind_text_or_null(s, 1, annotator);
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

	if (exec(st, "BEGIN", err))
		return NULL;
	if (query_int(st, "SELECT count(*) FROM dialogues", &nd, err) ||
	    query_int(st, "SELECT count(*) FROM turns", &nt, err) ||
	    query_int(st, "SELECT count(*) FROM labels", &nl, err) ||
	    query_int(st, "SELECT count(DISTINCT user_id) FROM dialogues", &nusers, err) ||
	    query_int(st, "SELECT count(*) FROM decisions", &ndec, err) ||
	    query_int(st, "SELECT count(*) FROM (SELECT DISTINCT dialogue_id, turn_idx"
		      " FROM decisions WHERE turn_idx IS NOT NULL AND action <> 'skip'"
		      /* slots awaiting review are no answer (fmt_slots_unsettled) */
		      " AND NOT (kind = 'slots' AND instr(new_value, '\"review\":true') > 0))",
		      &rev_turns, err) ||
	    query_int(st, "SELECT count(DISTINCT dialogue_id) FROM decisions"
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
	if (step_done(st, s, err, "writing a label"))
		return -1;
	return sqlite3_last_insert_rowid(st->db);
}

/* ---- Models ---- */

static char *
col_dup(sqlite3_stmt *s, int col)
{
	const char *v = (const char *)sqlite3_column_text(s, col);

	return v ? xstrdup(v) : NULL;
}

static struct st_model *
read_model(sqlite3_stmt *s, int with_weights)
{
	struct st_model *m = xmalloc(sizeof(*m));
	const void *w;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->name = col_dup(s, 1);
	m->version = sqlite3_column_int(s, 2);
	m->trained_at = sqlite3_column_double(s, 3);
	m->annotator = col_dup(s, 4);
	m->n_train = sqlite3_column_int64(s, 5);
	m->params = col_dup(s, 6);
	m->metrics = col_dup(s, 7);
	m->nweights = (size_t)sqlite3_column_int64(s, 8);
	if (with_weights && m->nweights) {
		w = sqlite3_column_blob(s, 9);
		m->weights = xmalloc(m->nweights);
		if (w)
			memcpy(m->weights, w, m->nweights);
		else
			m->nweights = 0;
	}
	return m;
}

void
store_model_free(struct st_model *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->annotator);
	free(m->params);
	free(m->metrics);
	free(m->weights);
	free(m);
}

int
store_model_put(struct store *st, struct st_model *m, struct dl_error *err)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;
	int rc;

	if (st->schema < 3)
		return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
				    "database schema %lld has no models; open it for writing to migrate",
				    (long long)st->schema);
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(version), 0) + 1 FROM models"
			       " WHERE name = ?1", -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a model");
	sqlite3_bind_text(s, 1, m->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, err, "storing a model");
	if (sqlite3_prepare_v2(st->db, "INSERT INTO models (name, version, trained_at, annotator,"
			       " n_train, params, metrics, weights) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "storing a model");
	sqlite3_bind_text(s, 1, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, v);
	sqlite3_bind_double(s, 3, m->trained_at > 0 ? m->trained_at : clock_now());
	sqlite3_bind_text(s, 4, m->annotator ? m->annotator : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 5, m->n_train);
	sqlite3_bind_text(s, 6, m->params ? m->params : "{}", -1, SQLITE_STATIC);
	if (m->metrics)
		sqlite3_bind_text(s, 7, m->metrics, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(s, 8, m->weights ? (const void *)m->weights : (const void *)"",
			    m->nweights, SQLITE_STATIC);
	rc = step_done(st, s, err, "storing a model");
	m->id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(s);
	if (rc)
		return -1;
	m->version = (int)v;
	return 0;
}

int
store_model_get(struct store *st, const char *name, int version, struct st_model **out,
		struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (st->schema < 3)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT id, name, version, trained_at, annotator, n_train,"
			       " params, metrics, length(weights), weights FROM models WHERE name = ?1"
			       " AND (?2 = 0 OR version = ?2) ORDER BY version DESC LIMIT 1",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading a model");
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = read_model(s, 1);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(st, err, "reading a model");
	return *out != NULL;
}

int
store_models_each(struct store *st, int (*fn)(void *ctx, const struct st_model *m),
		  void *ctx, struct dl_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if (st->schema < 3)
		return 0;
	if (sqlite3_prepare_v2(st->db, "SELECT id, name, version, trained_at, annotator, n_train,"
			       " params, metrics, length(weights) FROM models ORDER BY name, version",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(st, err, "reading models");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_model *m = read_model(s, 0);
		int stop = fn(ctx, m) < 0;

		store_model_free(m);
		if (stop) {
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, err, "reading models");
	return 0;
}

/* ---- Review queues ---- */

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort row ids (each once).  They are dense (1..max, a few deleted), so
 * a bitmap of them is small and faster than comparing; sparse ones are
 * sorted by comparison.  Returns how many there are.
 */
static size_t
sort_ids(int64_t *ids, size_t n)
{
	int64_t max = 0;
	unsigned char *bits;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (ids[i] < 1) {
			qsort(ids, n, sizeof(*ids), id_cmp);
			return n;
		}
		if (ids[i] > max)
			max = ids[i];
	}
	if ((uint64_t)max > 8 * (uint64_t)n + 1024 || !(bits = calloc((size_t)max / 8 + 1, 1))) {
		qsort(ids, n, sizeof(*ids), id_cmp);
		return n;
	}
	for (i = 0; i < n; i++)
		bits[ids[i] / 8] |= (unsigned char)(1u << (ids[i] % 8));
	for (i = 0; i <= (size_t)max; i++)
		if (bits[i / 8] & (1u << (i % 8)))
			ids[k++] = (int64_t)i;
	free(bits);
	return k;
}

static const char *const queue_order_sql[] = {
	[QUEUE_SEQUENTIAL] = "d.id",
	/* Lowest model confidence first; dialogues without proposals last. */
	[QUEUE_UNCERTAIN] = "m.c IS NULL, m.c, d.id",
	/* Most implicit-feedback evidence first: the queue pane's friction mark. */
	[QUEUE_FRICTION] = FRICTION_SQL("d.id") " DESC, d.id",
	/*
	 * Most targets whose answers (proposals, labels, standing
	 * decisions) differ first.  A goal's outcome is its own target,
	 * wherever it is stored (the dialogue, or the goal's first turn).
	 */
	[QUEUE_DISAGREEMENTS] = "(SELECT count(*) FROM (SELECT t FROM"
		" (SELECT CASE kind WHEN 'goal_outcome' THEN 'g' || json_extract(v, '$.goal')"
		" ELSE turn_idx END AS t, kind, CASE kind WHEN 'goal_outcome'"
		" THEN json_extract(v, '$.outcome') ELSE v END AS w FROM"
		" (SELECT turn_idx, kind, value AS v FROM labels l WHERE l.dialogue_id = d.id"
		" UNION ALL SELECT turn_idx, kind, new_value FROM decisions s WHERE s.dialogue_id = d.id"
		" AND s.new_value IS NOT NULL AND s.action <> 'reject' AND " STANDING("s") "))"
		" GROUP BY t, kind HAVING count(DISTINCT w) > 1)) DESC, d.id",
};

int
store_queue_order_parse(const char *s)
{
	static const char *const names[] = { "sequential", "uncertain", "friction", "disagreements" };

	return str_index(names, 4, s);
}

/* Append the SQL of filter f to sql, its parameters to params (*np of them). */
static void
filter_sql(const struct dl_filter *f, struct strbuf *sql, const char **params, int *np,
	   char *src, size_t srcsz)
{
	size_t i;

	if (f->source)
		snprintf(src, srcsz, "%s:%%", f->source);
	for (i = 0; i < f->n; i++) {
		const char *v = f->term[i].value;

		switch (f->term[i].key) {
		case FK_INTENT:
		case FK_FP: {
			const char *kind = f->term[i].key == FK_INTENT ? "intent" : "failure_point";

			sb_addf(sql, " AND (EXISTS (SELECT 1 FROM labels l WHERE l.dialogue_id = d.id"
				" AND l.kind = '%s' AND l.value = json_quote(?)%s)", kind,
				f->source ? " AND l.source LIKE ?" : "");
			params[(*np)++] = v;
			if (f->source)
				params[(*np)++] = src;
			/* a reviewer's standing answer is a human label too */
			if (!f->source || !strcmp(f->source, "human")) {
				sb_addf(sql, " OR EXISTS (SELECT 1 FROM decisions s WHERE"
					" s.dialogue_id = d.id AND s.kind = '%s' AND s.action <> 'reject'"
					" AND s.new_value = json_quote(?) AND " STANDING("s") ")", kind);
				params[(*np)++] = v;
			}
			sb_addc(sql, ')');
			break;
		}
		case FK_USER:
			sb_adds(sql, " AND d.user_id = ?");
			params[(*np)++] = v;
			break;
		case FK_DEVICE:
			sb_adds(sql, " AND json_extract(d.device, '$.type') = ?");
			params[(*np)++] = v;
			break;
		case FK_ID:
			sb_adds(sql, " AND d.ext_id GLOB ?");
			params[(*np)++] = v;
			break;
		}
	}
	if (f->source && !f->label_terms) {
		sb_adds(sql, " AND (EXISTS (SELECT 1 FROM labels l WHERE l.dialogue_id = d.id"
			" AND l.source LIKE ?)");
		params[(*np)++] = src;
		if (!strcmp(f->source, "human"))
			sb_adds(sql, " OR EXISTS (SELECT 1 FROM decisions s WHERE s.dialogue_id = d.id"
				" AND s.action <> 'reject' AND s.new_value IS NOT NULL AND " STANDING("s") ")");
		sb_addc(sql, ')');
	}
}

/* Does the label's source start with "KIND:"? */
static int
source_is(const char *source, const char *kind)
{
	size_t n = strlen(kind);

	return source && !strncmp(source, kind, n) && source[n] == ':';
}

int
store_filter_match(const struct dl_filter *f, const struct st_dialogue *d,
		   const struct st_label *l, size_t nl)
{
	size_t i, k;
	int hit;

	for (i = 0; i < f->n; i++) {
		const char *v = f->term[i].value;

		switch (f->term[i].key) {
		case FK_INTENT:
		case FK_FP:
			for (hit = 0, k = 0; k < nl && !hit; k++) {
				json_t *lv;

				if (strcmp(l[k].kind, f->term[i].key == FK_INTENT ? "intent" :
					   "failure_point") || (f->source && !source_is(l[k].source, f->source)))
					continue;
				lv = jw_parse(l[k].value);
				hit = json_is_string(lv) && !strcmp(json_string_value(lv), v);
				json_decref(lv);
			}
			if (!hit)
				return 0;
			break;
		case FK_USER:
			if (!d->user || strcmp(d->user, v))
				return 0;
			break;
		case FK_DEVICE: {
			json_t *dev = d->device ? jw_parse(d->device) : NULL;
			const char *type = json_string_value(json_object_get(dev, "type"));

			hit = type && !strcmp(type, v);
			json_decref(dev);
			if (!hit)
				return 0;
			break;
		}
		case FK_ID:
			if (fnmatch(v, d->ext_id, 0))
				return 0;
			break;
		}
	}
	if (f->source && !f->label_terms) {
		for (k = 0; k < nl && !source_is(l[k].source, f->source); k++)
			;
		if (k == nl)
			return 0;
	}
	return 1;
}

int
store_queue(struct store *st, enum queue_order order, const char *filter, int64_t **ids,
	    size_t *n, struct dl_error *err)
{
	struct dl_filter f;
	char src[16];
	const char *params[3 * FILTER_MAX_TERMS + 1];	/* a label term binds up to 3 */
	struct strbuf sql;
	sqlite3_stmt *s;
	size_t cap = 1024;
	int np = 0, i, rc;

	*ids = NULL;
	*n = 0;
	if (filter_parse(&f, filter, "filter", err))
		return -1;
	sb_init(&sql);
	sb_adds(&sql, "SELECT d.id FROM dialogues d");
	if (order == QUEUE_UNCERTAIN)	/* one pass over the labels, not one per dialogue */
		sb_adds(&sql, " LEFT JOIN (SELECT dialogue_id, min(confidence) AS c FROM labels"
			" WHERE source LIKE 'model:%' OR source LIKE 'implicit:%' GROUP BY dialogue_id) m"
			" ON m.dialogue_id = d.id");
	sb_adds(&sql, " WHERE 1");
	filter_sql(&f, &sql, params, &np, src, sizeof(src));
	/*
	 * In id order, sort here: without ORDER BY, SQLite reads the ids
	 * from the smallest covering index instead of every page of the
	 * table, which is what the first screen waits for on a cold cache.
	 */
	if (order != QUEUE_SEQUENTIAL)
		sb_addf(&sql, " ORDER BY %s", queue_order_sql[order]);
	rc = sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL);
	sb_release(&sql);
	if (rc != SQLITE_OK)
		return db_fail(st, err, "reading the queue");
	for (i = 0; i < np; i++)
		sqlite3_bind_text(s, i + 1, params[i], -1, SQLITE_STATIC);
	*ids = xmalloc(cap * sizeof(**ids));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap *= 2;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return db_fail(st, err, "reading the queue");
	}
	if (order == QUEUE_SEQUENTIAL)
		*n = sort_ids(*ids, *n);
	return 0;
}

/* ---- Teaching: sessions, preferences, feedback (schema 4) ---- */

static int
need_teaching(struct store *st, struct dl_error *err)
{
	if (st->schema >= 4)
		return 0;
	return dl_error_set(err, DL_EX_DATAERR, st->path, 0, NULL,
			    "database schema %lld has no teaching tables; open it for writing"
			    " (e.g. 'dialab init') to migrate", (long long)st->schema);
}

static void
bind_opt_text(sqlite3_stmt *s, int col, const char *v)
{
	if (v)
		sqlite3_bind_text(s, col, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, col);
}

static void
bind_opt_id(sqlite3_stmt *s, int col, int64_t v)
{
	if (v > 0)
		sqlite3_bind_int64(s, col, v);
	else
		sqlite3_bind_null(s, col);
}

static const char *
col_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
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
	if (step_done(st, s, err, "starting a teaching session")) {
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
	bind_opt_text(s, 2, state);
	sqlite3_bind_int(s, 3, ended);
	sqlite3_bind_double(s, 4, clock_now());
	rc = step_done(st, s, err, "saving a teaching session");
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
		if (col_text(s, 1))
			*state = xstrdup(col_text(s, 1));
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
	bind_opt_id(s, 8, p->session);
	rc = step_done(st, s, err, "storing a preference");
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
	bind_opt_id(s, 4, replaced_by);
	rc = step_done(st, s, err, "changing a preference");
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
	bind_opt_text(s, 1, user);
	sqlite3_bind_int(s, 2, all);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_pref p = {
			.id = sqlite3_column_int64(s, 0),
			.user = col_text(s, 1),
			.domain = col_text(s, 2),
			.slot = col_text(s, 3),
			.value = col_text(s, 4),
			.polarity = sqlite3_column_int(s, 5),
			.source = col_text(s, 6),
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
	bind_opt_id(s, 4, f->session);
	sqlite3_bind_text(s, 5, f->kind, -1, SQLITE_STATIC);
	bind_opt_text(s, 6, f->text);
	bind_opt_text(s, 7, f->value);
	bind_opt_id(s, 8, f->pref);
	bind_opt_text(s, 9, f->dialogue);
	bind_opt_text(s, 10, f->turns);
	rc = step_done(st, s, err, "storing feedback");
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
	bind_opt_text(s, 1, user);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct st_feedback f = {
			.id = sqlite3_column_int64(s, 0),
			.user = col_text(s, 1),
			.at = sqlite3_column_double(s, 2),
			.operator_ = col_text(s, 3),
			.session = sqlite3_column_int64(s, 4),
			.kind = col_text(s, 5),
			.text = col_text(s, 6),
			.value = col_text(s, 7),
			.pref = sqlite3_column_int64(s, 8),
			.dialogue = col_text(s, 9),
			.turns = col_text(s, 10),
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
		json_array_append_new(a, json_string(col_text(s, 0)));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		db_fail(st, err, "reading users");
		return NULL;
	}
	return a;
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
	if (rc == SQLITE_ROW && col_text(s, 0))
		v = xstrdup(col_text(s, 0));
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
	rc = step_done(st, s, err, "writing meta");
	sqlite3_finalize(s);
	return rc;
}

/* The store: schema checks, put and read back, duplicates, atomicity. */
#include "dialab/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "dialab/fmt.h"
#include "tap.h"

static char dir[] = "/tmp/dialab-t-store.XXXXXX";
static char path[256];

struct seen {
	int n;
	char text[64], label[256], extra[128];
	int nlabels;
	char all[256];		/* "user:text " of each dialogue, in order */
};

static int
count(void *ctx, const struct st_dialogue *d, const struct st_turn *t, size_t nt,
      const struct st_label *l, size_t nl, struct dl_error *err)
{
	struct seen *s = ctx;

	(void)err;
	s->n++;
	s->nlabels += (int)nl;
	if (nt)
		snprintf(s->text, sizeof(s->text), "%s", t[0].text);
	if (nl)
		snprintf(s->label, sizeof(s->label), "%s=%s", l[0].kind, l[0].value);
	snprintf(s->extra, sizeof(s->extra), "%s", d->extra ? d->extra : "");
	if (nt && strlen(s->all) + strlen(t[0].text) + 40 < sizeof(s->all))
		sprintf(s->all + strlen(s->all), "%s:%s ", d->user ? d->user : "-", t[0].text);
	return 0;
}

static json_t *
dlg(const char *id, const char *text)
{
	return json_pack("{s:s, s:[{s:s, s:[{s:s, s:s, s:f, s:s}]}], s:{s:b}}", "id", id, "turns",
			 "text", text, "labels", "kind", "intent", "value", "play_music",
			 "confidence", 0.5, "source", "model:intent@1", "x-extra", "kept", 1);
}

static void
raw(const char *sql)
{
	sqlite3 *db;

	sqlite3_open(path, &db);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
}

static int64_t
decide(struct store *st, int64_t did, int turn, const char *kind, const char *action,
       const char *value, int64_t ref)
{
	struct dl_error err = { 0 };
	struct st_decision d = { 0 };

	d.annotator = "ana";
	d.at = 1;
	d.dialogue_id = did;
	d.turn_idx = turn;
	d.kind = kind;
	d.action = action;
	d.new_value = value;
	d.ref = ref;
	return store_decision_append(st, &d, &err);
}

struct matched {
	struct dl_filter f;
	char ids[64];
};

static int
match_cb(void *ctx, const struct st_dialogue *d, const struct st_turn *t, size_t nt,
	 const struct st_label *l, size_t nl, struct dl_error *err)
{
	struct matched *m = ctx;

	(void)t, (void)nt, (void)err;
	if (store_filter_match(&m->f, d, l, nl))
		snprintf(m->ids + strlen(m->ids), sizeof(m->ids) - strlen(m->ids), "%lld ",
			 (long long)d->id);
	return 0;
}

/* One filter language: the queue's SQL and the C match name the same dialogues. */
static void
one_filter(struct store *st)
{
	static const char *const filters[] = {
		"", "intent=x", "intent=y", "fp=er", "fp=entity source=human", "source=model",
		"source=human", "user=u1", "device=speaker", "id=q[13]", "id=q* intent=x,user=u2",
	};
	struct dl_error err = { 0 };
	size_t i, n, k;

	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct matched m = { .ids = "" };
		char sql[64] = "", desc[160];
		int64_t *ids = NULL;

		if (filter_parse(&m.f, filters[i], "filter", &err) ||
		    store_queue(st, QUEUE_SEQUENTIAL, filters[i], &ids, &n, &err) ||
		    store_each_dialogue(st, LF_ALL | LF_WITH_DECISIONS, match_cb, &m, &err)) {
			ok(0, "filter '%s': %s", filters[i], err.msg);
			continue;
		}
		for (k = 0; k < n; k++)
			snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "%lld ", (long long)ids[k]);
		free(ids);
		snprintf(desc, sizeof(desc), "filter '%s': the SQL and the match agree (%s)",
			 filters[i], sql);
		ok(!strcmp(m.ids, sql), "%s", desc);
		if (strcmp(m.ids, sql))
			printf("# match: %s\n", m.ids);
	}
	ok(filter_parse(&(struct dl_filter){ 0 }, "colour=red", "--where", &err) == -1 &&
	   strstr(err.msg, "--where: unknown key 'colour'"), "an unknown key names the option");
	ok(filter_parse(&(struct dl_filter){ 0 }, "fp=wrong", "filter", &err) == -1 &&
	   strstr(err.msg, "not a failure point"), "so does a bad failure point");
}

/* The disagreements queue counts standing answers, a goal's outcome by its goal. */
static void
disagreements(void)
{
	static const char *const dl[] = {
		"{\"id\":\"q1\",\"turns\":[{\"text\":\"a\",\"labels\":[{\"kind\":\"intent\","
		"\"value\":\"x\",\"source\":\"model:m@1\"}]}]}",
		"{\"id\":\"q2\",\"turns\":[{\"text\":\"a\"},{\"text\":\"b\"}],\"labels\":["
		"{\"kind\":\"goal_outcome\",\"value\":{\"goal\":1,\"outcome\":\"success\"},"
		"\"source\":\"import:x\"},{\"kind\":\"goal_outcome\",\"value\":{\"goal\":2,"
		"\"outcome\":\"failure\"},\"source\":\"import:x\"}]}",
		"{\"id\":\"q3\",\"user\":\"u2\",\"device\":{\"type\":\"speaker\"},\"turns\":[{\"text\":\"a\","
		"\"labels\":[{\"kind\":\"intent\",\"value\":\"x\",\"source\":\"model:m@1\"},"
		"{\"kind\":\"failure_point\",\"value\":\"entity\",\"source\":\"import:x\"}]}]}",
	};
	struct dl_error err = { 0 };
	struct store *st;
	int64_t *ids = NULL, c;
	size_t n = 0, i;
	char p[300];

	snprintf(p, sizeof(p), "%s/q.db", dir);
	if (store_open(&st, p, STORE_CREATE, &err)) {
		ok(0, "open q.db: %s", err.msg);
		return;
	}
	store_begin(st, &err);
	for (i = 0; i < 3; i++) {
		json_t *d = json_loads(dl[i], 0, NULL);

		store_dialogue_put(st, d, 0, DUP_ERROR, "q", (long)i + 1, &err);
		json_decref(d);
	}
	store_commit(st, &err);
	/* q1: a correction, undone; q3: a correction that stands */
	c = decide(st, 1, 0, "intent", "correct", "\"y\"", 0);
	decide(st, 1, 0, "undo", "undo", NULL, c);
	decide(st, 3, 0, "intent", "correct", "\"y\"", 0);
	/* q2: the outcome of goal 2 again, the same */
	decide(st, 2, 1, "goal_outcome", "accept", "{\"goal\":2,\"outcome\":\"failure\"}", 0);
	is_int(store_queue(st, QUEUE_DISAGREEMENTS, NULL, &ids, &n, &err), 0, "the disagreements queue");
	ok(n == 3 && ids[0] == 3 && ids[1] == 1 && ids[2] == 2,
	   "a standing correction first; an undone one and outcomes of two goals are no disagreement");
	free(ids);
	ids = NULL;
	decide(st, 2, 1, "goal_outcome", "correct", "{\"goal\":2,\"outcome\":\"success\"}", 0);
	store_queue(st, QUEUE_DISAGREEMENTS, NULL, &ids, &n, &err);
	ok(n == 3 && ids[0] == 2 && ids[1] == 3,
	   "two outcomes of the same goal disagree (and the latest decision stands)");
	free(ids);
	one_filter(st);
	store_close(st);
	unlink(p);
}

int
main(void)
{
	struct store *st;
	struct dl_error err = { 0 };
	struct seen s = { 0 };
	json_t *d;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);

	ok(store_open(&st, path, STORE_WRITE, &err) == -1 && err.code == DL_EX_NOINPUT,
	   "opening a missing database for writing fails with 66");
	ok(store_open(&st, path, STORE_CREATE, &err) == 0, "creating a database works");
	ok(store_created(st), "and says it created it");
	d = dlg("d1", "play jazz");
	ok(store_begin(st, &err) == 0, "a transaction begins");
	is_int(store_dialogue_put(st, d, 0, DUP_ERROR, "f", 1, &err), PUT_INSERTED, "a dialogue is stored");
	is_int(store_dialogue_put(st, d, 0, DUP_ERROR, "f", 2, &err), -1, "the same id again is an error");
	is_str(err.path, "$.id", "which names $.id");
	is_int(store_dialogue_put(st, d, 0, DUP_SKIP, "f", 2, &err), PUT_SKIPPED, "or is skipped");
	json_decref(d);
	d = dlg("d1", "play blues");
	is_int(store_dialogue_put(st, d, 0, DUP_REPLACE, "f", 3, &err), PUT_REPLACED, "or replaced");
	json_decref(d);
	ok(store_commit(st, &err) == 0, "and committed");
	ok(store_each_dialogue(st, LF_ALL, count, &s, &err) == 0, "dialogues read back");
	is_int(s.n, 1, "one dialogue after a replace");
	is_str(s.text, "play blues", "with the new text");
	is_int(s.nlabels, 1, "and only the new labels");
	is_str(s.label, "intent=\"play_music\"", "label values are stored as JSON");
	is_str(s.extra, "{\"x-extra\":{\"kept\":true}}", "unknown fields are kept");
	memset(&s, 0, sizeof(s));
	store_each_dialogue(st, LF_HUMAN, count, &s, &err);
	is_int(s.nlabels, 0, "a model label is not a human one");

	/* A rolled back transaction leaves nothing behind. */
	store_begin(st, &err);
	d = dlg("d2", "stop");
	store_dialogue_put(st, d, 0, DUP_ERROR, "f", 4, &err);
	json_decref(d);
	store_rollback(st);
	memset(&s, 0, sizeof(s));
	store_each_dialogue(st, LF_ALL, count, &s, &err);
	is_int(s.n, 1, "a rollback leaves the database as it was");

	/* One user's dialogues, through the index on dialogues(user_id). */
	store_begin(st, &err);
	{
		static const char *const u[][3] = {
			{ "d2", "ua", "play jazz" }, { "d3", "ub", "stop" }, { "d4", "ua", "louder" },
		};
		size_t i;

		for (i = 0; i < 3; i++) {
			d = dlg(u[i][0], u[i][2]);
			json_object_set_new(d, "user", json_string(u[i][1]));
			store_dialogue_put(st, d, 0, DUP_ERROR, "f", 5, &err);
			json_decref(d);
		}
	}
	store_commit(st, &err);
	memset(&s, 0, sizeof(s));
	ok(store_each_dialogue_of(st, LF_ALL, "ua", count, &s, &err) == 0, "a user's dialogues read back");
	is_str(s.all, "ua:play jazz ua:louder ", "only theirs, in id order, with their turns");
	is_int(s.nlabels, 2, "and only their labels");
	memset(&s, 0, sizeof(s));
	store_each_dialogue_of(st, LF_ALL, "nobody", count, &s, &err);
	is_int(s.n, 0, "a user with no dialogues has none");
	memset(&s, 0, sizeof(s));
	store_each_dialogue_of(st, LF_HUMAN, NULL, count, &s, &err);
	is_str(s.all, "-:play blues ua:play jazz ub:stop ua:louder ", "no user: every dialogue");
	/* The sequential queue is in id order, whatever index SQLite reads it from. */
	{
		int64_t *ids = NULL, first;
		size_t n = 0;

		ok(store_queue(st, QUEUE_SEQUENTIAL, NULL, &ids, &n, &err) == 0 && n == 4 &&
		   ids[0] < ids[1] && ids[1] < ids[2] && ids[2] < ids[3], "the queue is in id order");
		first = n ? ids[0] : 0;
		free(ids);
		store_close(st);
		/* a far id: sorted by comparison instead of the bitmap of dense ids */
		raw("UPDATE dialogues SET id = 9000000 WHERE ext_id = 'd3'");
		store_open(&st, path, STORE_WRITE, &err);
		ids = NULL;
		n = 0;
		ok(store_queue(st, QUEUE_SEQUENTIAL, NULL, &ids, &n, &err) == 0 && n == 4 &&
		   ids[0] == first && ids[1] < ids[2] && ids[3] == 9000000,
		   "and so with a sparse id");
		free(ids);
	}
	store_close(st);

	ok(store_open(&st, path, STORE_READ, &err) == 0, "the database opens read-only");
	store_close(st);
	store_close(NULL);
	ok(1, "store_close(NULL) is a no-op");

	/* A schema 1 file: migrated forward when opened for writing. */
	raw("DROP INDEX decisions_ref; DROP TABLE models; DROP TABLE feedback;"
	    " DROP TABLE preferences; DROP TABLE teach_sessions; DROP TABLE rewrite_decisions;"
	    " DROP TABLE rewrites; DROP TABLE rewrite_forms; DROP TABLE habits;"
	    " PRAGMA user_version = 1");
	ok(store_open(&st, path, STORE_READ, &err) == 0, "a schema 1 file opens read-only as it is");
	store_close(st);
	ok(store_open(&st, path, STORE_WRITE, &err) == 0, "and migrates when opened for writing");
	store_close(st);
	{
		sqlite3 *db;
		sqlite3_stmt *q;
		int v = 0, idx = 0;

		sqlite3_open(path, &db);
		sqlite3_prepare_v2(db, "SELECT (SELECT user_version FROM pragma_user_version),"
				   " (SELECT count(*) FROM sqlite_master WHERE name IN ('decisions_ref', 'models',"
				   " 'teach_sessions', 'preferences', 'feedback', 'rewrites', 'rewrite_decisions',"
				   " 'habits'))",
				   -1, &q, NULL);
		if (sqlite3_step(q) == SQLITE_ROW) {
			v = sqlite3_column_int(q, 0);
			idx = sqlite3_column_int(q, 1);
		}
		sqlite3_finalize(q);
		sqlite3_close(db);
		is_int(v, STORE_SCHEMA_VERSION, "to the current schema version");
		is_int(idx, 8, "with the index and the tables the migrations add");
	}

	raw("PRAGMA user_version = 99");
	ok(store_open(&st, path, STORE_WRITE, &err) == -1 && err.code == DL_EX_DATAERR &&
	   strstr(err.msg, "newer"), "a schema from the future is refused");
	raw("PRAGMA user_version = 1");
	raw("PRAGMA application_id = 7");
	ok(store_open(&st, path, STORE_WRITE, &err) == -1 && strstr(err.msg, "not a dialab database"),
	   "a SQLite file of another program is refused");
	unlink(path);
	raw("CREATE TABLE t (x)");
	ok(store_open(&st, path, STORE_CREATE, &err) == -1 && strstr(err.msg, "not a dialab database"),
	   "even with create, a foreign database is left alone");
	unlink(path);
	{
		FILE *fp = fopen(path, "w");

		fputs("this is not a database, just some text that is long enough\n", fp);
		fclose(fp);
	}
	ok(store_open(&st, path, STORE_WRITE, &err) == -1 && err.code == DL_EX_DATAERR,
	   "a text file is not a database");
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.db-shm", dir);
	unlink(path);
	disagreements();
	rmdir(dir);
	return done_testing();
}

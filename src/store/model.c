/* model.c: trained models and their weights. */
#include "store-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/clock.h"

static struct st_model *
read_model(sqlite3_stmt *s, int with_weights)
{
	struct st_model *m = xmalloc(sizeof(*m));
	const void *w;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->name = db_col_dup(s, 1);
	m->version = sqlite3_column_int(s, 2);
	m->trained_at = sqlite3_column_double(s, 3);
	m->annotator = db_col_dup(s, 4);
	m->n_train = sqlite3_column_int64(s, 5);
	m->params = db_col_dup(s, 6);
	m->metrics = db_col_dup(s, 7);
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
	rc = db_step_done(st, s, err, "storing a model");
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

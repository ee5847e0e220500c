/* queue.c: review queues: the orders, the filter in SQL, and a queue row. */
#include "store-int.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/jsonw.h"

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

#include "dialab/import.h"

#include <jansson.h>
#include <string.h>

#include "dialab/fmt.h"

struct import_run_ctx {
	const struct import_opts *o;
	struct import_result *res;
};

static void
count_stored(struct import_result *res, const json_t *d)
{
	const json_t *t;
	size_t i;

	res->turns += (long)json_array_size(json_object_get(d, "turns"));
	res->labels += (long)json_array_size(json_object_get(d, "labels"));
	json_array_foreach(json_object_get(d, "turns"), i, t)
		res->labels += (long)json_array_size(json_object_get(t, "labels"));
}

static void
warn_cb(void *ctx, const struct dl_error *w)
{
	struct import_run_ctx *rc = ctx;

	rc->res->warnings++;
	if (rc->o->on_warn)
		rc->o->on_warn(rc->o->ctx, w);
}

/* Import one file; -1 stops the whole import. */
static int
import_path(struct store *st, const struct import_opts *o, const char *path,
	    int64_t import_id, struct import_result *res, struct dl_error *err)
{
	struct import_run_ctx wctx = { o, res };
	struct reader *r;
	json_t *d;
	long line;
	int rc;

	if (reader_open(&r, o->format, path, warn_cb, &wctx, err))
		return -1;
	for (;;) {
		struct dl_error e = { 0 };

		rc = reader_next(r, &d, &line, &e);
		if (rc == 0)
			break;
		if (rc > 0)
			res->read++;
		if (rc > 0)
			fmt_normalize(d);
		if (rc > 0 && fmt_validate(d, reader_name(r), line, &e) == 0) {
			rc = store_dialogue_put(st, d, import_id, o->dup, reader_name(r), line, &e);
			if (rc >= 0) {
				if (rc == PUT_SKIPPED)
					res->skipped++;
				else
					count_stored(res, d);
				res->inserted += rc == PUT_INSERTED;
				res->replaced += rc == PUT_REPLACED;
				json_decref(d);
				if (o->on_progress && (res->read & 255) == 0)
					o->on_progress(o->ctx, res, reader_progress(r));
				continue;
			}
		} else if (rc < 0 && e.code == DL_EX_DATAERR) {
			res->read++;
		}
		json_decref(d);
		if (!o->skip_bad || e.code != DL_EX_DATAERR) {
			*err = e;
			reader_close(r);
			return -1;
		}
		res->rejected++;
		if (o->on_reject)
			o->on_reject(o->ctx, &e);
		if (!reader_can_continue(r))
			break;
	}
	if (o->on_progress)
		o->on_progress(o->ctx, res, 1);
	reader_close(r);
	return 0;
}

int
import_run(struct store *st, const struct import_opts *o,
	   struct import_result *res, struct dl_error *err)
{
	json_t *paths = json_array();
	int64_t import_id;
	size_t i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < o->npaths; i++)
		json_array_append_new(paths, json_string(o->paths[i]));
	if (store_begin(st, err)) {
		json_decref(paths);
		return -1;
	}
	import_id = store_import_begin(st, o->annotator, reader_format_name(o->format),
				       paths, err);
	json_decref(paths);
	if (import_id < 0)
		goto fail;
	for (i = 0; i < o->npaths; i++)
		if (import_path(st, o, o->paths[i], import_id, res, err))
			goto fail;
	/* Commit last: a killed import leaves the database as it was. */
	if (store_commit(st, err))
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* rwfile.c: rewrites from JSON Lines (rwfile.h). */
#include "dialab/rwfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/utf8.h"

#define MAX_LINE (1 << 20)

static int
bad(struct dl_error *err, const char *path, long line, const char *field, const char *what)
{
	char jp[64] = "";

	if (field)
		snprintf(jp, sizeof(jp), "$.%s", field);
	return dl_error_set(err, DL_EX_DATAERR, path, line, field ? jp : NULL, "%s", what);
}

static const char *
action_for(const char *status)
{
	if (!strcmp(status, "accepted"))
		return "accept";
	if (!strcmp(status, "rejected"))
		return "reject";
	if (!strcmp(status, "retired"))
		return "retire";
	return NULL;
}

/* The probability field of o in *p (-1 when null or absent); -1 with err set when bad. */
static int
prob(const json_t *o, const char *field, double *p, const char *path, long line,
     struct dl_error *err)
{
	const json_t *v = json_object_get(o, field);

	*p = -1;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1)
		return bad(err, path, line, field, "expected a probability (0..1) or null");
	*p = json_number_value(v);
	return 0;
}

/* One line: checked, normalised and stored. */
static int
one(struct store *st, json_t *o, const char *path, long line, const char *annotator,
    long *created, long *updated, struct dl_error *err)
{
	static const char *const statuses[] = { "proposed", "accepted", "rejected", "retired" };
	struct st_rewrite r = { .p_before = -1, .p_after = -1 };
	struct strbuf from, to, prov;
	json_t *v;
	const char *act;
	int rc = -1, put;

	if (!json_is_object(o))
		return bad(err, path, line, NULL, "expected an object");
	sb_init(&from);
	sb_init(&to);
	sb_init(&prov);
	if (!json_is_string(v = json_object_get(o, "from")) || !tok_norm(&from, json_string_value(v))) {
		bad(err, path, line, "from", "expected a string with words");
		goto out;
	}
	if (!json_is_string(v = json_object_get(o, "to")) || !tok_norm(&to, json_string_value(v))) {
		bad(err, path, line, "to", "expected a string with words");
		goto out;
	}
	if (!strcmp(from.buf, to.buf)) {
		bad(err, path, line, "to", "the rewrite says what the original says");
		goto out;
	}
	v = json_object_get(o, "scope");
	if (!json_is_string(v) || (strcmp(json_string_value(v), "global") &&
				   strcmp(json_string_value(v), "personal"))) {
		bad(err, path, line, "scope", "expected \"global\" or \"personal\"");
		goto out;
	}
	r.scope = json_string_value(v);
	v = json_object_get(o, "user");
	if (!strcmp(r.scope, "personal")) {
		if (!json_is_string(v) || !json_string_length(v)) {
			bad(err, path, line, "user", "a personal rewrite needs its user");
			goto out;
		}
		r.user = json_string_value(v);
	} else if (v && !json_is_null(v)) {
		bad(err, path, line, "user", "a global rewrite has no user (null)");
		goto out;
	}
	v = json_object_get(o, "support");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0)) {
		bad(err, path, line, "support", "expected a count of sessions (0 or more)");
		goto out;
	}
	r.support = v ? (long)json_integer_value(v) : 0;
	if (prob(o, "p_before", &r.p_before, path, line, err) ||
	    prob(o, "p_after", &r.p_after, path, line, err))
		goto out;
	v = json_object_get(o, "status");
	if (v && (!json_is_string(v) || str_index(statuses, 4, json_string_value(v)) < 0)) {
		bad(err, path, line, "status", "expected proposed, accepted, rejected or retired");
		goto out;
	}
	v = json_object_get(o, "provenance");
	if (v && !json_is_null(v) && !json_is_object(v)) {
		bad(err, path, line, "provenance", "expected an object");
		goto out;
	}
	if (v && json_is_object(v))
		jw_value(&prov, v);
	else
		sb_adds(&prov, "{\"kind\":\"imported\"}");
	r.from = from.buf;
	r.to = to.buf;
	r.provenance = prov.buf;
	if ((put = store_rewrite_put(st, &r, err)) < 0)
		goto out;
	if (put)
		(*created)++;
	else
		(*updated)++;
	v = json_object_get(o, "status");
	act = v ? action_for(json_string_value(v)) : NULL;
	if (act && store_rewrite_decide(st, r.id, act, annotator, err) < 0)
		goto out;
	rc = 0;
out:
	sb_release(&from);
	sb_release(&to);
	sb_release(&prov);
	return rc;
}

int
rw_import(struct store *st, const char *path, const char *annotator, long *created,
	  long *updated, struct dl_error *err)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	long line = 0, lines = 0;
	int rc = 0;

	*created = *updated = 0;
	if (!fp)
		return dl_error_set(err, errno == ENOENT ? DL_EX_NOINPUT : DL_EX_IOERR, path, 0, NULL,
				    "cannot open: %s", strerror(errno));
	if (store_begin(st, err)) {
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	while ((n = getline(&buf, &cap, fp)) >= 0) {
		json_error_t je;
		json_t *o;

		line++;
		if (n > MAX_LINE) {
			rc = bad(err, path, line, NULL, "the line is too long (over 1 MiB)");
			break;
		}
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (!n)
			continue;
		if (utf8_invalid_at(buf, (size_t)n) >= 0) {
			rc = bad(err, path, line, NULL, "not valid UTF-8");
			break;
		}
		if (!(o = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, &je))) {
			rc = dl_error_set(err, DL_EX_DATAERR, path, line, NULL, "not JSON: %s", je.text);
			break;
		}
		lines++;
		rc = one(st, o, path, line, annotator, created, updated, err);
		json_decref(o);
		if (rc)
			break;
	}
	if (!rc && ferror(fp))
		rc = dl_error_set(err, DL_EX_IOERR, path, line, NULL, "cannot read: %s",
				  strerror(errno));
	if (!rc && !lines)
		rc = dl_error_set(err, DL_EX_DATAERR, path, 0, NULL, "no rewrites in the file");
	free(buf);
	if (fp != stdin)
		fclose(fp);
	if (rc) {
		store_rollback(st);
		*created = *updated = 0;
		return -1;
	}
	return store_commit(st, err);
}

#include "dialab/reader.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dialab/fmt.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

static const char *const format_names[IN__COUNT] = {
	"dialab", "snips", "slurp", "sgd",
};

int
reader_format_parse(const char *s)
{
	return str_index(format_names, IN__COUNT, s);
}

const char *
reader_format_name(enum in_format f)
{
	return (unsigned)f < IN__COUNT ? format_names[f] : NULL;
}

/* A buffered input file that counts lines and bytes. */
struct input {
	FILE *fp;
	char *name;
	long line;		/* lines started so far */
	long long size;		/* -1: unknown */
	long long consumed;
	size_t pos, len;
	int eof;
	char buf[1 << 16];
};

struct reader {
	enum in_format fmt;
	struct input *in;	/* the input; for snips, seq.in */
	struct input *out, *lab;	/* snips: seq.out and label */
	char *split;		/* snips: the folder's base name, for ids */
	struct strbuf lb, lb2, lb3;
	long nrec;
	int sgd_state;
	int fatal;		/* cannot go on after the last error */		/* 0 before '[', 1 inside, 2 after ']' */
	reader_warn_fn warn;
	void *wctx;
};

static struct input *
input_open(const char *path, const char *name, struct dl_error *err)
{
	struct input *in = calloc(1, sizeof(*in));
	struct stat sb;

	if (!in) {
		dl_error_set(err, DL_EX_SOFTWARE, path, 0, NULL, "out of memory");
		return NULL;
	}
	in->size = -1;
	if (!strcmp(path, "-")) {
		in->fp = stdin;
	} else if (!(in->fp = fopen(path, "rb"))) {
		dl_error_set(err, errno == ENOENT ? DL_EX_NOINPUT : DL_EX_IOERR,
			     path, 0, NULL, "cannot open: %s", strerror(errno));
		free(in);
		return NULL;
	}
	if (fstat(fileno(in->fp), &sb) == 0 && S_ISREG(sb.st_mode))
		in->size = sb.st_size;
	else if (S_ISDIR(sb.st_mode)) {
		dl_error_set(err, DL_EX_NOINPUT, path, 0, NULL,
			     "is a folder; only --format snips reads folders");
		fclose(in->fp);
		free(in);
		return NULL;
	}
	in->name = xstrdup(name ? name : path);
	return in;
}

static void
input_close(struct input *in)
{
	if (!in)
		return;
	if (in->fp && in->fp != stdin)
		fclose(in->fp);
	free(in->name);
	free(in);
}

static int
fill(struct input *in)
{
	if (in->pos < in->len)
		return 1;
	if (in->eof)
		return 0;
	in->len = fread(in->buf, 1, sizeof(in->buf), in->fp);
	in->pos = 0;
	if (in->len == 0) {
		in->eof = 1;
		return ferror(in->fp) ? -1 : 0;
	}
	return 1;
}

/*
 * Read one line into lb, without its newline.  Returns 1, 0 at the
 * end, -1 on a read error.  A line longer than READER_MAX_RECORD is
 * skipped to its end; *total then says how long it was.
 */
static int
input_line(struct input *in, struct strbuf *lb, long long *total)
{
	int rc, any = 0;

	sb_reset(lb);
	*total = 0;
	for (;;) {
		char *p, *nl;
		size_t avail, take;

		if ((rc = fill(in)) <= 0) {
			if (rc < 0)
				return -1;
			break;
		}
		if (!any)
			in->line++;
		any = 1;
		p = in->buf + in->pos;
		avail = in->len - in->pos;
		nl = memchr(p, '\n', avail);
		take = nl ? (size_t)(nl - p) : avail;
		if (*total + (long long)take <= READER_MAX_RECORD)
			sb_add(lb, p, take);
		*total += (long long)take;
		in->pos += take + (nl != NULL);
		in->consumed += (long long)(take + (nl != NULL));
		if (nl)
			break;
	}
	if (lb->len && lb->buf[lb->len - 1] == '\r')
		lb->buf[--lb->len] = '\0';
	return any;
}

static int
input_getc(struct input *in)
{
	int c;

	if (fill(in) <= 0)
		return -1;
	c = (unsigned char)in->buf[in->pos++];
	in->consumed++;
	if (c == '\n')
		in->line++;
	return c;
}

int
reader_open(struct reader **out, enum in_format f, const char *path,
	    reader_warn_fn warn, void *wctx, struct dl_error *err)
{
	struct reader *r;
	struct stat sb;
	struct strbuf p;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return dl_error_set(err, DL_EX_SOFTWARE, path, 0, NULL, "out of memory");
	r->fmt = f;
	r->warn = warn;
	r->wctx = wctx;
	sb_init(&r->lb);
	sb_init(&r->lb2);
	sb_init(&r->lb3);
	if (f != IN_SNIPS) {
		if (!(r->in = input_open(path, strcmp(path, "-") ? path : "<stdin>", err)))
			goto fail;
		*out = r;
		return 0;
	}
	if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		dl_error_set(err, DL_EX_NOINPUT, path, 0, NULL,
			     "expected a SNIPS folder holding seq.in, seq.out and label");
		goto fail;
	}
	sb_init(&p);
	sb_addf(&p, "%s/seq.in", path);
	r->in = input_open(p.buf, NULL, err);
	sb_reset(&p);
	sb_addf(&p, "%s/seq.out", path);
	if (r->in)
		r->out = input_open(p.buf, NULL, err);
	sb_reset(&p);
	sb_addf(&p, "%s/label", path);
	if (r->out)
		r->lab = input_open(p.buf, NULL, err);
	sb_release(&p);
	if (!r->lab)
		goto fail;
	{
		char *copy = xstrdup(path), *end = copy + strlen(copy), *base;

		while (end > copy + 1 && end[-1] == '/')
			*--end = '\0';
		base = strrchr(copy, '/');
		r->split = xstrdup(base ? base + 1 : copy);
		free(copy);
	}
	*out = r;
	return 0;
fail:
	reader_close(r);
	return -1;
}

void
reader_close(struct reader *r)
{
	if (!r)
		return;
	input_close(r->in);
	input_close(r->out);
	input_close(r->lab);
	free(r->split);
	sb_release(&r->lb);
	sb_release(&r->lb2);
	sb_release(&r->lb3);
	free(r);
}

int
reader_can_continue(const struct reader *r)
{
	return !r->fatal;
}

double
reader_progress(const struct reader *r)
{
	if (r->in->size <= 0)
		return -1;
	return (double)r->in->consumed / (double)r->in->size;
}

const char *
reader_name(const struct reader *r)
{
	return r->in->name;
}

/* A line must be text: no NUL byte, valid UTF-8, not over the limit. */
static int
check_text_line(struct input *in, const struct strbuf *lb, long long total,
		struct dl_error *err)
{
	const char *nul;
	long bad;

	if (total > READER_MAX_RECORD)
		return dl_error_set(err, DL_EX_DATAERR, in->name, in->line, NULL,
				    "line is %lld bytes, longer than the limit of %ld (8 MiB)",
				    total, READER_MAX_RECORD);
	if ((nul = memchr(lb->buf, '\0', lb->len)))
		return dl_error_set(err, DL_EX_DATAERR, in->name, in->line, NULL,
				    "NUL byte at column %ld: expected text",
				    (long)(nul - lb->buf) + 1);
	if ((bad = utf8_invalid_at(lb->buf, lb->len)) >= 0)
		return dl_error_set(err, DL_EX_DATAERR, in->name, in->line, NULL,
				    "invalid UTF-8 at column %ld (byte 0x%02x): expected UTF-8 text",
				    bad + 1, (unsigned char)lb->buf[bad]);
	return 0;
}

static int
blank(const struct strbuf *lb)
{
	size_t i;

	for (i = 0; i < lb->len; i++)
		if (!strchr(" \t\r\f\v", lb->buf[i]))
			return 0;
	return 1;
}

/* Parse a JSON text, naming line and column on failure. */
static json_t *
parse_json(struct input *in, long line, const char *s, size_t n, struct dl_error *err)
{
	json_error_t je;
	json_t *v = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);

	if (!v)
		dl_error_set(err, DL_EX_DATAERR, in->name, line, NULL,
			     "invalid JSON at column %d: %s", je.column, je.text);
	return v;
}

/* Read the next non-failing line of a JSON Lines file. */
static int
next_json_line(struct reader *r, json_t **out, long *line, struct dl_error *err)
{
	long long total;
	int rc;

	rc = input_line(r->in, &r->lb, &total);
	*line = r->in->line;
	if (rc < 0) {
		r->fatal = 1;
		return dl_error_set(err, DL_EX_IOERR, r->in->name, 0, NULL,
				    "read error: %s", strerror(errno));
	}
	if (rc == 0) {
		if (r->nrec == 0 && r->in->line == 0) {
			r->fatal = 1;
			return dl_error_set(err, DL_EX_DATAERR, r->in->name, 0, NULL,
					    "empty file: expected one JSON object per line");
		}
		return 0;
	}
	r->nrec++;
	if (check_text_line(r->in, &r->lb, total, err))
		return -1;
	if (blank(&r->lb))
		return dl_error_set(err, DL_EX_DATAERR, r->in->name, *line, NULL,
				    "blank line: expected a JSON object");
	if (!(*out = parse_json(r->in, *line, r->lb.buf, r->lb.len, err)))
		return -1;
	return 1;
}

/* ---- snips: seq.in / seq.out / label, one utterance a line ---- */

static int
snips_next(struct reader *r, json_t **out, long *line, struct dl_error *err)
{
	long long t1, t2, t3;
	int a, b, c;
	char *tok, *tag, *s1, *s2, id[300];
	struct strbuf text;
	json_t *slots, *rec;
	size_t ntok = 0, cp = 0, start = 0;
	char cur[128] = "";

	a = input_line(r->in, &r->lb, &t1);
	b = input_line(r->out, &r->lb2, &t2);
	c = input_line(r->lab, &r->lb3, &t3);
	*line = r->in->line;
	if (a < 0 || b < 0 || c < 0) {
		r->fatal = 1;
		return dl_error_set(err, DL_EX_IOERR, r->in->name, 0, NULL,
				    "read error: %s", strerror(errno));
	}
	if (!a && !b && !c) {
		if (r->nrec == 0) {
			r->fatal = 1;
			return dl_error_set(err, DL_EX_DATAERR, r->in->name, 0, NULL,
					    "empty file: expected one utterance per line");
		}
		return 0;
	}
	if (!a || !b || !c) {
		struct input *shorter = !a ? r->in : !b ? r->out : r->lab;

		r->in->eof = r->out->eof = r->lab->eof = 1;
		r->in->pos = r->in->len = r->out->pos = r->out->len = 0;
		r->lab->pos = r->lab->len = 0;
		r->fatal = 1;
		return dl_error_set(err, DL_EX_DATAERR, shorter->name, shorter->line + 1, NULL,
				    "ends early: expected as many lines as seq.in, seq.out and label");
	}
	r->nrec++;
	if (check_text_line(r->in, &r->lb, t1, err) ||
	    check_text_line(r->out, &r->lb2, t2, err) ||
	    check_text_line(r->lab, &r->lb3, t3, err))
		return -1;
	while (r->lb3.len && strchr(" \t", r->lb3.buf[r->lb3.len - 1]))
		r->lb3.buf[--r->lb3.len] = '\0';
	if (!r->lb3.len || strchr(r->lb3.buf, ' '))
		return dl_error_set(err, DL_EX_DATAERR, r->lab->name, r->lab->line, NULL,
				    "expected one intent name, got \"%s\"", r->lb3.buf);
	sb_init(&text);
	slots = json_array();
	tok = strtok_r(r->lb.buf, " \t", &s1);
	tag = strtok_r(r->lb2.buf, " \t", &s2);
	for (; tok && tag; tok = strtok_r(NULL, " \t", &s1),
	     tag = strtok_r(NULL, " \t", &s2), ntok++) {
		int is_b = !strncmp(tag, "B-", 2), is_i = !strncmp(tag, "I-", 2);

		if (ntok) {
			sb_addc(&text, ' ');
			cp++;
		}
		if ((is_i && (!cur[0] || strcmp(cur, tag + 2))) ||
		    (!is_b && !is_i && strcmp(tag, "O")) ||
		    ((is_b || is_i) && (!tag[2] || strlen(tag + 2) >= sizeof(cur)))) {
			dl_error_set(err, DL_EX_DATAERR, r->out->name, r->out->line, NULL,
				     "token %zu: expected O, B-type or an I-type continuing its B-type, got \"%s\"",
				     ntok + 1, tag);
			goto bad;
		}
		if (cur[0] && !is_i) {
			json_array_append_new(slots, json_pack("{s:s, s:I, s:I}", "type", cur,
				"start", (json_int_t)start, "end", (json_int_t)cp - 1));
			cur[0] = '\0';
		}
		if (is_b) {
			snprintf(cur, sizeof(cur), "%s", tag + 2);
			start = cp;
		}
		sb_adds(&text, tok);
		cp += utf8_cp_len(tok);
	}
	if (tok || tag) {
		dl_error_set(err, DL_EX_DATAERR, r->out->name, r->out->line, NULL,
			     "expected one tag per token of seq.in, got %s tags than tokens",
			     tag ? "more" : "fewer");
		goto bad;
	}
	if (!ntok) {
		dl_error_set(err, DL_EX_DATAERR, r->in->name, r->in->line, NULL,
			     "blank line: expected an utterance");
		goto bad;
	}
	if (cur[0])
		json_array_append_new(slots, json_pack("{s:s, s:I, s:I}", "type", cur,
			"start", (json_int_t)start, "end", (json_int_t)cp));
	snprintf(id, sizeof(id), "%s-%05ld", r->split, *line);
	rec = json_pack("{s:s, s:[{s:s, s:[{s:s, s:s, s:s}, {s:s, s:o, s:s}]}]}",
			"id", id, "turns", "text", text.buf, "labels",
			"kind", "intent", "value", r->lb3.buf, "source", "import:snips",
			"kind", "slots", "value", slots, "source", "import:snips");
	sb_release(&text);
	*out = rec;
	return 1;
bad:
	sb_release(&text);
	json_decref(slots);
	return -1;
}

/* ---- slurp ---- */

int
slurp_annotation_parse(const char *ann, char **plain, json_t *spans)
{
	struct strbuf p;
	const char *s = ann, *close, *colon, *a, *b;
	size_t cp = 0;

	sb_init(&p);
	while (*s) {
		if (*s == ']')
			goto bad;
		if (*s != '[') {
			if (((unsigned char)*s & 0xc0) != 0x80)
				cp++;
			sb_addc(&p, *s++);
			continue;
		}
		close = strchr(s, ']');
		colon = strchr(s, ':');
		if (!close || !colon || colon > close || memchr(s + 1, '[', (size_t)(close - s - 1)))
			goto bad;
		for (a = s + 1; a < colon && *a == ' '; a++)
			;
		for (b = colon; b > a && b[-1] == ' '; b--)
			;
		if (a == b)
			goto bad;
		{
			char type[128];
			const char *f = colon + 1, *fe = close;
			size_t start = cp;

			snprintf(type, sizeof(type), "%.*s", (int)(b - a), a);
			while (f < fe && *f == ' ')
				f++;
			while (fe > f && fe[-1] == ' ')
				fe--;
			if (f == fe)
				goto bad;
			for (; f < fe; f++) {
				if (((unsigned char)*f & 0xc0) != 0x80)
					cp++;
				sb_addc(&p, *f);
			}
			json_array_append_new(spans, json_pack("{s:s, s:I, s:I}", "type", type,
				"start", (json_int_t)start, "end", (json_int_t)cp));
		}
		s = close + 1;
	}
	*plain = p.buf;
	return 0;
bad:
	sb_release(&p);
	return -1;
}

/* Code points of s, lower-cased when ASCII, into a new array of n. */
static uint32_t *
folded(const char *s, size_t *n)
{
	size_t len = strlen(s), i = 0, k;
	uint32_t *v = xmalloc((len + 1) * sizeof(*v)), c;

	*n = 0;
	while (i < len) {
		if (!(k = utf8_decode(s + i, len - i, &c)))
			c = (unsigned char)s[i], k = 1;
		v[(*n)++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		i += k;
	}
	return v;
}

/* The folded code points of v[a, b) with spaces removed, compared. */
static int
same_words(const uint32_t *x, size_t xa, size_t xb, const uint32_t *y,
	   size_t ya, size_t yb)
{
	for (;;) {
		while (xa < xb && x[xa] == ' ')
			xa++;
		while (ya < yb && y[ya] == ' ')
			ya++;
		if (xa == xb || ya == yb)
			return xa == xb && ya == yb;
		if (x[xa++] != y[ya++])
			return 0;
	}
}

int
slurp_align(const char *plain, const char *sentence, json_t *spans,
	    char *why, size_t n)
{
	size_t np, ns, i, j, k, *map = NULL;
	uint32_t *p = folded(plain, &np), *s = folded(sentence, &ns);
	unsigned *dp = NULL;
	json_t *sp;
	int ret = -1;

	if (np == ns && !memcmp(p, s, np * sizeof(*p))) {
		ret = 0;	/* differs only in ASCII case: offsets hold */
		goto out;
	}
	if (np > 2000 || ns > 2000) {
		snprintf(why, n, "too long to align");
		goto out;
	}
	/* Levenshtein table, then map every boundary of plain onto sentence. */
	dp = xmalloc((np + 1) * (ns + 1) * sizeof(*dp));
#define D(a, b) dp[(a) * (ns + 1) + (b)]
	for (i = 0; i <= np; i++)
		D(i, 0) = (unsigned)i;
	for (j = 0; j <= ns; j++)
		D(0, j) = (unsigned)j;
	for (i = 1; i <= np; i++)
		for (j = 1; j <= ns; j++) {
			unsigned best = D(i - 1, j - 1) + (p[i - 1] != s[j - 1]);

			if (D(i - 1, j) + 1 < best)
				best = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			D(i, j) = best;
		}
	map = xmalloc((np + 1) * sizeof(*map));
	for (i = np, j = ns;;) {
		map[i] = j;
		if (i == 0)
			break;
		if (j > 0 && D(i, j) == D(i - 1, j - 1) + (p[i - 1] != s[j - 1]))
			i--, j--;
		else if (D(i, j) == D(i - 1, j) + 1)
			i--;
		else
			j--;
	}
#undef D
	json_array_foreach(spans, k, sp) {
		size_t a = (size_t)json_integer_value(json_object_get(sp, "start"));
		size_t b = (size_t)json_integer_value(json_object_get(sp, "end"));
		size_t na = map[a], nb = map[b];

		while (na < nb && s[na] == ' ')
			na++;
		while (nb > na && s[nb - 1] == ' ')
			nb--;
		if (na >= nb || !same_words(p, a, b, s, na, nb)) {
			snprintf(why, n, "the %s slot's words are not in the sentence",
				 json_string_value(json_object_get(sp, "type")));
			goto out;
		}
		json_object_set_new(sp, "start", json_integer((json_int_t)na));
		json_object_set_new(sp, "end", json_integer((json_int_t)nb));
	}
	ret = 0;
out:
	free(p);
	free(s);
	free(dp);
	free(map);
	return ret;
}

static int
slurp_next(struct reader *r, json_t **out, long *line, struct dl_error *err)
{
	json_t *rec, *sent, *ann, *scen, *act, *sid, *spans, *labels, *d;
	char id[64], intent[256], why[160], *plain = NULL;
	int rc;

	if ((rc = next_json_line(r, &rec, line, err)) <= 0)
		return rc;
	sent = json_object_get(rec, "sentence");
	ann = json_object_get(rec, "sentence_annotation");
	scen = json_object_get(rec, "scenario");
	act = json_object_get(rec, "action");
	sid = json_object_get(rec, "slurp_id");
	{
		const char *field = !json_is_object(rec) ? "$" :
			!json_is_integer(sid) && !json_is_string(sid) ? "$.slurp_id" :
			!json_is_string(sent) ? "$.sentence" :
			!json_is_string(scen) ? "$.scenario" :
			!json_is_string(act) ? "$.action" :
			ann && !json_is_string(ann) ? "$.sentence_annotation" : NULL;

		if (field) {
			json_t *x = json_is_object(rec) ? json_object_get(rec, field + 2) : rec;

			dl_error_set(err, DL_EX_DATAERR, r->in->name, *line, field,
				     "expected %s, got %s", !strcmp(field, "$") ? "a SLURP record (object)" :
				     !strcmp(field, "$.slurp_id") ? "an integer or string" : "a string",
				     fmt_type_name(x));
			json_decref(rec);
			return -1;
		}
	}
	if (json_is_integer(sid))
		snprintf(id, sizeof(id), "slurp-%" JSON_INTEGER_FORMAT, json_integer_value(sid));
	else
		snprintf(id, sizeof(id), "slurp-%.56s", json_string_value(sid));
	snprintf(intent, sizeof(intent), "%s_%s", json_string_value(scen), json_string_value(act));
	labels = json_pack("[{s:s, s:s, s:s}]", "kind", "intent", "value", intent,
			   "source", "import:slurp");
	spans = ann ? json_array() : NULL;
	if (ann && slurp_annotation_parse(json_string_value(ann), &plain, spans)) {
		struct dl_error w = { 0 };

		dl_error_set(&w, DL_EX_DATAERR, r->in->name, *line, "$.sentence_annotation",
			     "slots not imported: malformed [type : words] markup");
		if (r->warn)
			r->warn(r->wctx, &w);
		json_decref(spans);
		spans = NULL;
	} else if (ann && strcmp(plain, json_string_value(sent)) &&
		   slurp_align(plain, json_string_value(sent), spans, why, sizeof(why))) {
		struct dl_error w = { 0 };

		dl_error_set(&w, DL_EX_DATAERR, r->in->name, *line, "$.sentence_annotation",
			     "slots not imported: the annotation's text differs from the sentence and %s",
			     why);
		if (r->warn)
			r->warn(r->wctx, &w);
		json_decref(spans);
		spans = NULL;
	}
	free(plain);
	if (spans)
		json_array_append_new(labels, json_pack("{s:s, s:o, s:s}", "kind", "slots",
							"value", spans, "source", "import:slurp"));
	d = json_pack("{s:s, s:[{s:O, s:o}], s:{s:O}}", "id", id, "turns", "text", sent,
		      "labels", labels, "slurp", "slurp_id", sid);
	if (ann)
		json_object_set(json_object_get(d, "slurp"), "sentence_annotation", ann);
	json_decref(rec);
	*out = d;
	return 1;
}

/* ---- sgd: a JSON array of dialogues, read one element at a time ---- */

static int
skip_ws(struct input *in)
{
	int c;

	while ((c = input_getc(in)) == ' ' || c == '\n' || c == '\t' || c == '\r')
		;
	return c;
}

/* Read one JSON object (its '{' already read) into lb. */
static int
capture_object(struct reader *r, struct dl_error *err)
{
	struct input *in = r->in;
	int c, depth = 1, str = 0, esc = 0;

	sb_reset(&r->lb);
	sb_addc(&r->lb, '{');
	while (depth > 0) {
		if ((c = input_getc(in)) < 0)
			return dl_error_set(err, DL_EX_DATAERR, in->name, in->line + 1, NULL,
					    "truncated JSON: the file ends inside a dialogue");
		if ((long)r->lb.len >= READER_MAX_RECORD)
			return dl_error_set(err, DL_EX_DATAERR, in->name, in->line, NULL,
					    "a dialogue longer than the limit of %ld bytes (8 MiB)",
					    READER_MAX_RECORD);
		sb_addc(&r->lb, (char)c);
		if (str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				str = 0;
		} else if (c == '"') {
			str = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

/* Is s[a, b) inside text (code points) and clear of the spans so far? */
static int
sgd_slot_ok(json_t *spans, json_int_t a, json_int_t b, size_t len)
{
	json_t *sp;
	size_t i;

	if (a < 0 || b <= a || (size_t)b > len)
		return 0;
	json_array_foreach(spans, i, sp)
		if (a < json_integer_value(json_object_get(sp, "end")) &&
		    json_integer_value(json_object_get(sp, "start")) < b)
			return 0;
	return 1;
}

static json_t *
sgd_convert(struct reader *r, json_t *sd, long line, struct dl_error *err)
{
	json_t *did = json_object_get(sd, "dialogue_id");
	json_t *turns = json_object_get(sd, "turns"), *t, *out_turns, *d, *last = NULL;
	char id[256], cur[512] = "", key[512], path[96];
	json_int_t goal = 0;
	size_t i, f;

	if (!json_is_object(sd) || !json_is_string(did) || !json_is_array(turns)) {
		const char *p = !json_is_object(sd) ? "$" : !json_is_string(did) ?
				"$.dialogue_id" : "$.turns";

		dl_error_set(err, DL_EX_DATAERR, r->in->name, line, p, "expected %s, got %s",
			     !strcmp(p, "$") ? "an SGD dialogue (object)" :
			     !strcmp(p, "$.turns") ? "an array of turns" : "a string",
			     fmt_type_name(!strcmp(p, "$") ? sd : json_object_get(sd, p + 2)));
		return NULL;
	}
	snprintf(id, sizeof(id), "sgd-%.240s", json_string_value(did));
	out_turns = json_array();
	json_array_foreach(turns, i, t) {
		json_t *spk = json_object_get(t, "speaker"), *utt = json_object_get(t, "utterance");
		json_t *frames = json_object_get(t, "frames"), *fr, *pick = NULL, *spans, *nt;
		const char *intent = "NONE", *service = "";
		size_t len;

		if (!json_is_string(spk) || !json_is_string(utt)) {
			snprintf(path, sizeof(path), "$.turns[%zu].%s", i,
				 json_is_string(spk) ? "utterance" : "speaker");
			dl_error_set(err, DL_EX_DATAERR, r->in->name, line, path,
				     "expected a string, got %s",
				     fmt_type_name(json_is_string(spk) ? utt : spk));
			goto bad;
		}
		if (strcmp(json_string_value(spk), "USER")) {
			if (last && !json_object_get(last, "response"))
				json_object_set(last, "response", utt);
			continue;
		}
		/* The frame whose intent is new wins; else the first with an intent. */
		json_array_foreach(frames, f, fr) {
			const char *ai = json_string_value(json_object_get(
				json_object_get(fr, "state"), "active_intent"));
			const char *sv = json_string_value(json_object_get(fr, "service"));

			if (!ai || !strcmp(ai, "NONE"))
				continue;
			snprintf(key, sizeof(key), "%s/%s", sv ? sv : "", ai);
			if (!pick || strcmp(key, cur))
				pick = fr;
			if (strcmp(key, cur))
				break;
		}
		if (pick) {
			intent = json_string_value(json_object_get(json_object_get(pick, "state"),
								   "active_intent"));
			service = json_string_value(json_object_get(pick, "service"));
			snprintf(key, sizeof(key), "%s/%s", service ? service : "", intent);
			if (strcmp(key, cur)) {
				goal++;
				snprintf(cur, sizeof(cur), "%s", key);
			}
		}
		if (!goal)
			goal = 1;
		len = utf8_cp_len(json_string_value(utt));
		spans = json_array();
		json_array_foreach(frames, f, fr) {
			json_t *sl;
			size_t k;

			json_array_foreach(json_object_get(fr, "slots"), k, sl) {
				json_t *nm = json_object_get(sl, "slot");
				json_t *st = json_object_get(sl, "start");
				json_t *en = json_object_get(sl, "exclusive_end");

				if (!json_is_string(nm) || !json_is_integer(st) || !json_is_integer(en)) {
					snprintf(path, sizeof(path), "$.turns[%zu].frames[%zu].slots[%zu]", i, f, k);
					dl_error_set(err, DL_EX_DATAERR, r->in->name, line, path,
						     "expected {slot, start, exclusive_end} with integer offsets");
					json_decref(spans);
					goto bad;
				}
				if (!sgd_slot_ok(spans, json_integer_value(st), json_integer_value(en), len))
					continue;	/* a value repeated by a second frame */
				json_array_append_new(spans, json_pack("{s:O, s:O, s:O}", "type", nm,
								       "start", st, "end", en));
			}
		}
		nt = json_pack("{s:O, s:[{s:s, s:s, s:s}, {s:s, s:o, s:s}, {s:s, s:I, s:s}]}",
			       "text", utt, "labels",
			       "kind", "intent", "value", intent, "source", "import:sgd",
			       "kind", "slots", "value", spans, "source", "import:sgd",
			       "kind", "goal", "value", goal, "source", "import:sgd");
		json_array_append_new(out_turns, nt);
		last = nt;
	}
	if (!json_array_size(out_turns)) {
		dl_error_set(err, DL_EX_DATAERR, r->in->name, line, "$.turns",
			     "expected at least one USER turn, got none");
		goto bad;
	}
	d = json_pack("{s:s, s:o, s:{s:O}}", "id", id, "turns", out_turns, "sgd",
		      "services", json_object_get(sd, "services") ?
		      json_object_get(sd, "services") : json_null());
	return d;
bad:
	json_decref(out_turns);
	return NULL;
}

static int
sgd_next(struct reader *r, json_t **out, long *line, struct dl_error *err)
{
	struct input *in = r->in;
	json_t *sd;
	int c;

	if (r->sgd_state == 2)
		return 0;
	c = skip_ws(in);
	if (r->sgd_state == 0) {
		if (c < 0)
			goto empty;
		if (c != '[') {
			r->sgd_state = 2;
			r->fatal = 1;
			return dl_error_set(err, DL_EX_DATAERR, in->name, in->line + 1, NULL,
					    "expected a JSON array of SGD dialogues, got '%c'", c);
		}
		r->sgd_state = 1;
		if ((c = skip_ws(in)) == ']')
			goto empty;
	} else if (c == ',') {
		c = skip_ws(in);
	} else if (c == ']') {
		r->sgd_state = 2;
		if (skip_ws(in) >= 0) {
			r->fatal = 1;
			return dl_error_set(err, DL_EX_DATAERR, in->name, in->line + 1, NULL,
					    "unexpected text after the array of dialogues");
		}
		return 0;
	} else {
		r->sgd_state = 2;
		r->fatal = 1;
		return dl_error_set(err, DL_EX_DATAERR, in->name, in->line + 1, NULL,
				    c < 0 ? "truncated JSON: the array of dialogues is not closed" :
				    "expected ',' or ']' between dialogues");
	}
	*line = in->line + 1;
	if (c != '{') {
		r->sgd_state = 2;
		r->fatal = 1;
		return dl_error_set(err, DL_EX_DATAERR, in->name, *line, NULL,
				    c < 0 ? "truncated JSON: the array of dialogues is not closed" :
				    "expected a dialogue object");
	}
	if (capture_object(r, err)) {
		r->sgd_state = 2;
		r->fatal = 1;
		return -1;
	}
	r->nrec++;
	if (check_text_line(in, &r->lb, (long long)r->lb.len, err)) {
		err->line = *line;
		return -1;
	}
	if (!(sd = parse_json(in, *line, r->lb.buf, r->lb.len, err)))
		return -1;
	*out = sgd_convert(r, sd, *line, err);
	json_decref(sd);
	return *out ? 1 : -1;
empty:
	r->sgd_state = 2;
	r->fatal = 1;
	return dl_error_set(err, DL_EX_DATAERR, in->name, 0, NULL,
			    "empty file: expected a JSON array of SGD dialogues");
}

int
reader_next(struct reader *r, json_t **out, long *line, struct dl_error *err)
{
	*out = NULL;
	*line = 0;
	switch (r->fmt) {
	case IN_DIALAB:
		return next_json_line(r, out, line, err);
	case IN_SNIPS:
		return snips_next(r, out, line, err);
	case IN_SLURP:
		return slurp_next(r, out, line, err);
	case IN_SGD:
		return sgd_next(r, out, line, err);
	default:
		return dl_error_set(err, DL_EX_SOFTWARE, NULL, 0, NULL, "unknown format");
	}
}

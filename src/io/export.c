#include "dialab/export.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "dialab/dataset.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

static const char *const out_names[OUT__COUNT] = { "dialab", "conll", "slurp" };

int
export_format_parse(const char *s)
{
	return str_index(out_names, OUT__COUNT, s);
}

struct ectx {
	enum out_format f;
	FILE *out;
	const char *outname;
	struct export_result *res;
	struct strbuf sb;
};

/* ,"key":<stored JSON text> when text is not NULL. */
static void
add_raw(struct strbuf *sb, const char *key, const char *text)
{
	if (!text)
		return;
	sb_addf(sb, ",\"%s\":", key);
	sb_adds(sb, text);
}

static void
add_str(struct strbuf *sb, const char *key, const char *s)
{
	if (!s)
		return;
	sb_addf(sb, ",\"%s\":", key);
	jw_string(sb, s, strlen(s));
}

/* The members of a stored extra object, spliced in after the known ones. */
static void
add_extra(struct strbuf *sb, const char *extra)
{
	size_t n;

	if (!extra || (n = strlen(extra)) < 3)
		return;
	sb_addc(sb, ',');
	sb_add(sb, extra + 1, n - 2);
}

static void
add_labels(struct strbuf *sb, const struct st_label *l, size_t n, int turn_idx)
{
	size_t i;
	int first = 1;

	for (i = 0; i < n; i++) {
		if (l[i].turn_idx != turn_idx)
			continue;
		sb_adds(sb, first ? ",\"labels\":[" : ",");
		first = 0;
		sb_adds(sb, "{\"kind\":");
		jw_string(sb, l[i].kind, strlen(l[i].kind));
		add_raw(sb, "value", l[i].value);
		if (l[i].has_confidence) {
			sb_adds(sb, ",\"confidence\":");
			jw_real(sb, l[i].confidence);
		}
		add_str(sb, "source", l[i].source);
		add_raw(sb, "candidates", l[i].candidates);
		add_extra(sb, l[i].extra);
		sb_addc(sb, '}');
	}
	if (!first)
		sb_addc(sb, ']');
}

static int
write_out(struct ectx *c, struct dl_error *err)
{
	if (fwrite(c->sb.buf, 1, c->sb.len, c->out) != c->sb.len)
		return dl_error_set(err, DL_EX_IOERR, c->outname, 0, NULL,
				    "cannot write: %s", strerror(errno));
	return 0;
}

static int
put_dialab(struct ectx *c, const struct st_dialogue *d, const struct st_turn *t,
	   size_t nt, const struct st_label *l, size_t nl)
{
	struct strbuf *sb = &c->sb;
	size_t i;

	sb_adds(sb, "{\"id\":");
	jw_string(sb, d->ext_id, strlen(d->ext_id));
	add_str(sb, "user", d->user);
	add_raw(sb, "device", d->device);
	add_raw(sb, "context", d->context);
	sb_adds(sb, ",\"turns\":[");
	for (i = 0; i < nt; i++) {
		sb_adds(sb, i ? ",{" : "{");
		if (t[i].ts_json) {
			sb_adds(sb, "\"ts\":");
			sb_adds(sb, t[i].ts_json);
			sb_addc(sb, ',');
		}
		sb_adds(sb, "\"text\":");
		jw_string(sb, t[i].text, strlen(t[i].text));
		if (t[i].has_asr_confidence) {
			sb_adds(sb, ",\"asr_confidence\":");
			jw_real(sb, t[i].asr_confidence);
		}
		add_raw(sb, "nlu", t[i].nlu);
		add_str(sb, "response", t[i].response);
		if (t[i].barge_in >= 0)
			sb_adds(sb, t[i].barge_in ? ",\"barge_in\":true" : ",\"barge_in\":false");
		add_raw(sb, "device_state", t[i].device_state);
		add_str(sb, "audio", t[i].audio);
		add_labels(sb, l, nl, t[i].idx);
		add_extra(sb, t[i].extra);
		sb_addc(sb, '}');
	}
	sb_addc(sb, ']');
	add_labels(sb, l, nl, -1);
	add_extra(sb, d->extra);
	sb_adds(sb, "}\n");
	c->res->turns += (long)nt;
	return 0;
}

/*
 * The label of kind for turn idx that an export should use: a human or
 * gold label over a proposal, and among equals the latest.
 */
static const struct st_label *
best_label(const struct st_label *l, size_t nl, int idx, const char *kind)
{
	const struct st_label *best = NULL;
	int best_human = 0;
	size_t i;

	for (i = 0; i < nl; i++) {
		int human;

		if (l[i].turn_idx != idx || strcmp(l[i].kind, kind))
			continue;
		human = fmt_source_gold(l[i].source);
		if (!best || human >= best_human) {
			best = &l[i];
			best_human = human;
		}
	}
	return best;
}

/* Slots of a label as an array of [start, end, type] in code points. */
static json_t *
slots_of(const struct st_label *lab)
{
	json_t *v = lab ? jw_parse(lab->value) : NULL;

	if (v && !json_is_array(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

static int
put_conll(struct ectx *c, const struct st_turn *t, size_t nt,
	  const struct st_label *l, size_t nl)
{
	struct strbuf *sb = &c->sb;
	size_t i;

	for (i = 0; i < nt; i++) {
		const struct st_label *lab = best_label(l, nl, t[i].idx, "slots");
		json_t *slots = slots_of(lab), *tr;
		const char *s = t[i].text;
		size_t pos = 0, cp = 0, len;
		long last_span = -1;

		if (!slots) {
			c->res->unlabelled++;
			continue;
		}
		tr = dataset_slot_words(l, nl, lab, &s);
		len = strlen(s);
		while (pos < len) {
			size_t a, b, tcp, k;
			json_t *sp;
			const char *tag = "O", *type = NULL;

			while (pos < len && strchr(" \t\n\r\f\v", s[pos]))
				pos++, cp++;
			if (pos == len)
				break;
			a = pos;
			tcp = cp;
			while (pos < len && !strchr(" \t\n\r\f\v", s[pos])) {
				pos++;
				while (pos < len && ((unsigned char)s[pos] & 0xc0) == 0x80)
					pos++;
				cp++;
			}
			b = pos;
			json_array_foreach(slots, k, sp) {
				json_int_t ss = json_integer_value(json_object_get(sp, "start"));
				json_int_t se = json_integer_value(json_object_get(sp, "end"));

				if (ss < (json_int_t)cp && (json_int_t)tcp < se) {
					type = json_string_value(json_object_get(sp, "type"));
					tag = last_span == (long)k ? "I-" : "B-";
					last_span = (long)k;
					break;
				}
			}
			if (!type)
				last_span = -1;
			sb_add(sb, s + a, b - a);
			sb_addc(sb, ' ');
			sb_adds(sb, tag);
			if (type)
				sb_adds(sb, type);
			sb_addc(sb, '\n');
		}
		sb_addc(sb, '\n');
		json_decref(slots);
		json_decref(tr);
		c->res->turns++;
	}
	return 0;
}

/* "[type : words]" markup of text with slots. */
static void
annotate(struct strbuf *sb, const char *text, json_t *slots)
{
	size_t cp = 0, pos = 0, len = strlen(text), k;
	json_t *sp;

	while (pos <= len) {
		json_array_foreach(slots, k, sp) {
			if (json_integer_value(json_object_get(sp, "start")) != (json_int_t)cp)
				continue;
			long b = utf8_cp_to_byte(text, (size_t)json_integer_value(json_object_get(sp, "end")));

			if (b < 0)
				continue;
			sb_addf(sb, "[%s : ", json_string_value(json_object_get(sp, "type")));
			sb_add(sb, text + pos, (size_t)b - pos);
			sb_addc(sb, ']');
			cp = (size_t)json_integer_value(json_object_get(sp, "end"));
			pos = (size_t)b;
			break;
		}
		if (pos == len)
			break;
		if (k < json_array_size(slots))
			continue;
		do
			sb_addc(sb, text[pos++]);
		while (pos < len && ((unsigned char)text[pos] & 0xc0) == 0x80);
		cp++;
	}
}

static int
put_slurp(struct ectx *c, const struct st_dialogue *d, const struct st_turn *t,
	  size_t nt, const struct st_label *l, size_t nl)
{
	json_t *extra = d->extra ? jw_parse(d->extra) : NULL;
	json_t *sid = json_object_get(json_object_get(extra, "slurp"), "slurp_id");
	struct strbuf ann;
	size_t i;

	sb_init(&ann);
	for (i = 0; i < nt; i++) {
		const struct st_label *il = best_label(l, nl, t[i].idx, "intent"), *sl;
		json_t *intent = il ? jw_parse(il->value) : NULL, *slots, *rec, *tr;
		const char *iv = json_string_value(intent), *us, *text = t[i].text;

		if (!iv) {
			json_decref(intent);
			c->res->unlabelled++;
			continue;
		}
		sl = best_label(l, nl, t[i].idx, "slots");
		slots = slots_of(sl);
		tr = slots ? dataset_slot_words(l, nl, sl, &text) : NULL;
		if (!slots)
			slots = json_array();
		sb_reset(&ann);
		annotate(&ann, text, slots);
		us = strchr(iv, '_');
		rec = json_pack("{s:s, s:i, s:s, s:s, s:s%, s:s, s:s}", "id", d->ext_id,
				"turn", t[i].idx, "sentence", text,
				"sentence_annotation", ann.buf,
				"scenario", iv, us ? (size_t)(us - iv) : strlen(iv),
				"action", us ? us + 1 : "", "intent", iv);
		if (sid && nt == 1)
			json_object_set(rec, "slurp_id", sid);
		jw_value(&c->sb, rec);
		sb_addc(&c->sb, '\n');
		json_decref(rec);
		json_decref(slots);
		json_decref(tr);
		json_decref(intent);
		c->res->turns++;
	}
	sb_release(&ann);
	json_decref(extra);
	return 0;
}

static int
each(void *ctx, const struct st_dialogue *d, const struct st_turn *t, size_t nt,
     const struct st_label *l, size_t nl, struct dl_error *err)
{
	struct ectx *c = ctx;

	sb_reset(&c->sb);
	switch (c->f) {
	case OUT_DIALAB:
		put_dialab(c, d, t, nt, l, nl);
		break;
	case OUT_CONLL:
		put_conll(c, t, nt, l, nl);
		break;
	case OUT_SLURP:
		put_slurp(c, d, t, nt, l, nl);
		break;
	default:
		break;
	}
	c->res->dialogues++;
	return write_out(c, err);
}

int
export_run(struct store *st, enum out_format f, enum label_filter filter,
	   FILE *out, const char *outname, struct export_result *res,
	   struct dl_error *err)
{
	struct ectx c = { f, out, outname, res, { 0 } };
	int rc;

	memset(res, 0, sizeof(*res));
	sb_init(&c.sb);
	/* what reviewers decided goes out as their human labels */
	rc = store_each_dialogue(st, (enum label_filter)(filter | LF_WITH_DECISIONS), each, &c, err);
	sb_release(&c.sb);
	if (rc == 0 && fflush(out) != 0)
		return dl_error_set(err, DL_EX_IOERR, outname, 0, NULL,
				    "cannot write: %s", strerror(errno));
	return rc;
}

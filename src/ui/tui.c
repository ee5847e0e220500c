#include "dialab/tui.h"
#include "ui-int.h"

#include <curses.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "dialab/clock.h"
#include "dialab/teach.h"
#include "dialab/fmt.h"
#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/utf8.h"

#define QUEUE_W 26	/* width of the queue pane when the screen is wide */
#define MIN_W 80
#define MIN_H 24

enum { C_SLOT1 = 1, C_SLOT6 = 6, C_BAD, C_GOOD, C_FOCUS, C_DIM, C_STATUS };

struct ui {
	struct review *r;
	int color;
	char msg[256];
	int msg_err;
	FILE *trace;
	char **completions;	/* for the prompt's Tab */
	int top;		/* first turn shown */
	int help;
	char needle[256];	/* the last search */
	/* the slots' word cursor (v): words wa..wb of the turn's words */
	int span, moving;	/* moving: the slot that started at move_from, picked up by m */
	int64_t span_dlg;
	int span_turn;
	size_t wa, wb, move_from;
};

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	interrupted = sig;	/* SIGINT cancels a prompt; otherwise any of them quits */
}

/* ---- text that cannot drive the terminal ---- */

static int
is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0);
}

/* The visible form of a control character: ^[ ^G ^? or \x9b. */
static void
control_name(uint32_t c, char *out)
{
	if (c < 0x20)
		snprintf(out, 8, "^%c", (char)(c + '@'));
	else if (c == 0x7f)
		snprintf(out, 8, "^?");
	else
		snprintf(out, 8, "\\x%02x", (unsigned)(c & 0xff));
}

char *
tui_sanitize(const char *s, char *out, size_t n)
{
	size_t i = 0, o = 0, len = strlen(s), k;
	uint32_t c;
	char vis[8];

	while (i < len && o + 8 < n) {
		if (!(k = utf8_decode(s + i, len - i, &c))) {
			c = 0xfffd;	/* not UTF-8: the replacement character */
			k = 1;
		}
		if (is_control(c)) {
			control_name(c, vis);
			memcpy(out + o, vis, strlen(vis));
			o += strlen(vis);
		} else {
			o += utf8_encode(c, out + o);
		}
		i += k;
	}
	out[o] = '\0';
	return out;
}

/*
 * Set a as the attributes to draw with.  attr_set(a, 0, NULL) would draw
 * without colour: its pair argument, not a's colour bits, names the pair.
 */
static void
set_attr(attr_t a)
{
	attr_set(a & ~A_COLOR, (short)PAIR_NUMBER((int)(a & A_COLOR)), NULL);
}

int
ui_draw_text(int y, int x, int w, int maxlines, const char *s, const attr_t *attrs,
	  attr_t base)
{
	size_t i = 0, len = strlen(s), k, cp = 0;
	int col = 0, line = 0;
	uint32_t c;

	if (w <= 0 || maxlines <= 0)
		return 0;
	move(y, x);
	while (i < len) {
		char vis[8];
		wchar_t wc;
		int cw;

		if (!(k = utf8_decode(s + i, len - i, &c)))
			c = 0xfffd, k = 1;
		if (is_control(c)) {
			control_name(c, vis);
			cw = (int)strlen(vis);
		} else {
			cw = wcwidth((wchar_t)c);
			if (cw < 0) {
				c = '?';
				cw = 1;
			}
		}
		if (col + cw > w) {
			if (++line >= maxlines)
				break;
			col = 0;
			move(y + line, x);
		}
		set_attr(attrs ? attrs[cp] : base);
		if (is_control(c)) {
			attron(A_REVERSE);
			addstr(vis);
		} else {
			wc = (wchar_t)c;
			addnwstr(&wc, 1);
		}
		col += cw;
		i += k;
		cp++;
	}
	attrset(A_NORMAL);
	return line + 1;
}

/* Lines that ui_draw_text() would use for s at width w. */
static int
text_lines(const char *s, int w)
{
	size_t i = 0, len = strlen(s), k;
	int col = 0, lines = 1;
	uint32_t c;

	while (i < len) {
		int cw;

		if (!(k = utf8_decode(s + i, len - i, &c)))
			c = 0xfffd, k = 1;
		cw = is_control(c) ? (c < 0x80 ? 2 : 4) : wcwidth((wchar_t)c);
		if (cw < 0)
			cw = 1;
		if (col + cw > w) {
			lines++;
			col = 0;
		}
		col += cw;
		i += k;
	}
	return lines;
}

/* Columns that ui_draw_text() would use for s on one line. */
static int
text_width(const char *s)
{
	size_t i = 0, len = strlen(s), k;
	int col = 0, cw;
	uint32_t c;

	while (i < len) {
		if (!(k = utf8_decode(s + i, len - i, &c)))
			c = 0xfffd, k = 1;
		cw = is_control(c) ? (c < 0x80 ? 2 : 4) : wcwidth((wchar_t)c);
		col += cw < 0 ? 1 : cw;
		i += k;
	}
	return col;
}

/* printw of a sanitized string, clipped to w columns. */
static void
put_clipped(int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
put_clipped(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ui_draw_text(y, x, w, 1, buf, NULL, a);
}

/* ---- labels as text ---- */

static int
slot_color(const char *type)
{
	unsigned h = 5381;

	while (*type)
		h = h * 33 + (unsigned char)*type++;
	return C_SLOT1 + (int)(h % (C_SLOT6 - C_SLOT1 + 1));
}

/* A label value as a short human text: strings unquoted, slots as type="words". */
static void
value_text(struct strbuf *sb, const char *json, const char *text)
{
	json_t *v = json ? jw_parse(json) : NULL;
	size_t i;
	json_t *sp;

	if (!v) {
		sb_adds(sb, json ? json : "-");
		return;
	}
	if (json_is_string(v)) {
		sb_adds(sb, json_string_value(v));
	} else if (json_is_array(v) && text) {
		if (!json_array_size(v))
			sb_adds(sb, "(no slots)");
		json_array_foreach(v, i, sp) {
			long a = utf8_cp_to_byte(text, (size_t)json_integer_value(json_object_get(sp, "start")));
			long b = utf8_cp_to_byte(text, (size_t)json_integer_value(json_object_get(sp, "end")));

			if (i)
				sb_addc(sb, ' ');
			if (json_is_true(json_object_get(sp, "review")) &&
			    !json_is_true(json_object_get(sp, "guess"))) {
				/* its words are not in the text: ? until placed again */
				const char *w = json_string_value(json_object_get(sp, "value"));

				sb_addf(sb, "%s?=\"%s\"", json_string_value(json_object_get(sp, "type")),
					w ? w : "");
				continue;
			}
			/* a guess (its words changed under it) shows where it went, with ? */
			sb_addf(sb, "%s%s=\"", json_string_value(json_object_get(sp, "type")),
				json_is_true(json_object_get(sp, "review")) ? "?" : "");
			if (a >= 0 && b >= a)
				sb_add(sb, text + a, (size_t)(b - a));
			sb_addc(sb, '"');
		}
	} else {
		jw_value(sb, v);
	}
	json_decref(v);
}

/* Attributes per code point of text: slot spans in their type's colour. */
static attr_t *
slot_attrs(const struct ui *ui, const char *text, const char *slots_json)
{
	size_t n = utf8_cp_len(text), i, k;
	attr_t *a = xmalloc((n + 1) * sizeof(*a));
	json_t *v = slots_json ? jw_parse(slots_json) : NULL, *sp;

	for (i = 0; i <= n; i++)
		a[i] = A_NORMAL;
	json_array_foreach(v, k, sp) {
		json_int_t s = json_integer_value(json_object_get(sp, "start"));
		json_int_t e = json_integer_value(json_object_get(sp, "end"));
		const char *t = json_string_value(json_object_get(sp, "type"));
		attr_t at = ui->color ? (attr_t)COLOR_PAIR(slot_color(t ? t : "")) | A_BOLD : A_UNDERLINE;

		if (json_is_true(json_object_get(sp, "review")) &&
		    !json_is_true(json_object_get(sp, "guess")))
			continue;	/* its offsets are not its words */
		for (; s < e && (size_t)s < n; s++)
			if (s >= 0)
				a[s] = at;
	}
	json_decref(v);
	return a;
}

/* ---- layout ---- */

static const char *const field_short[RF__COUNT] = {
	"intent", "slots", "transcr", "failure", "goal",
};

/* Fields of a turn worth a line: a proposal, an answer or another's label. */
static int
field_shown(const struct review *r, const struct review_turn *t, int f)
{
	return t->proposal[f] || t->other[f] || review_answer(r, t->idx, (enum review_field)f).action;
}

static int
goal_of(const struct review *r, int turn)
{
	const char *v = review_current_value(r, turn, RF_GOAL);

	return v ? atoi(v) : 0;
}

static int field_lines(const struct review *r, const struct review_turn *t, int f, int w);

static int
turn_height(const struct review *r, const struct review_turn *t, int w, int focused)
{
	int h = text_lines(t->text, w - 14), f;

	for (f = 0; f < RF__COUNT; f++)
		if (field_shown(r, t, f) || (focused && f == (int)review_focus(r)))
			h += field_lines(r, t, f, w - 9);
	if (focused)
		h += 2;	/* evidence and candidates */
	return h;
}

static void
draw_queue(struct ui *ui, int h)
{
	struct review *r = ui->r;
	size_t n = review_queue_len(r), pos = review_queue_pos(r), first, i;
	int y;

	first = pos > (size_t)(h / 2) ? pos - (size_t)(h / 2) : 0;
	if (first + (size_t)h > n)
		first = n > (size_t)h ? n - (size_t)h : 0;
	for (y = 0, i = first; y < h && i < n; y++, i++) {
		struct st_queue_row row;
		struct dl_error err = { 0 };
		attr_t a = i == pos ? A_REVERSE : A_NORMAL;

		if (review_queue_row(r, i, &row, &err))
			break;
		put_clipped(y + 1, 0, QUEUE_W - 1, a, "%c%-10.10s %-4.4s %-3.3s%3d%s",
			    i == pos ? '>' : ' ', row.ext_id, row.user, row.device, row.n_turns,
			    row.friction ? (row.friction > 2 ? " !!" : " !") : "");
	}
	for (y = 1; y < h + 1; y++)
		mvaddch(y, QUEUE_W - 1, ACS_VLINE);
}

static const char *
json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The response, the evidence and the options under the focused turn. */

/*
 * The broken-down time of tt in the dialogue's time zone (an IANA name
 * such as "America/Los_Angeles" from context.timezone), else the
 * reviewer's own.
 */
static int
draw_evidence(struct ui *ui, const struct review_turn *t, int y, int x, int w)
{
	const struct review_dialogue *d = review_dialogue(ui->r);
	json_t *nlu = t->nlu ? jw_parse(t->nlu) : NULL;
	json_t *dev = d->device ? jw_parse(d->device) : NULL;
	json_t *ctx = d->context ? jw_parse(d->context) : NULL;
	json_t *ds = t->device_state ? jw_parse(t->device_state) : NULL;
	enum review_field f = review_focus(ui->r);
	struct strbuf sb;
	const char *key;
	json_t *v;
	char note[300];
	int i;

	sb_init(&sb);
	sb_addf(&sb, "<- %s", t->response && *t->response ? t->response : "(no response)");
	ui_draw_text(y, x, w, 1, sb.buf, NULL, ui->color ? COLOR_PAIR(C_DIM) : A_DIM);
	sb_reset(&sb);
	if (t->has_asr_confidence)
		sb_addf(&sb, "ASR %.2f", t->asr_confidence);
	if (nlu)
		sb_addf(&sb, " | NLU %s %.2f", json_str(nlu, "intent") ? json_str(nlu, "intent") : "-",
			json_number_value(json_object_get(nlu, "confidence")));
	if (t->barge_in == 1)
		sb_adds(&sb, " | BARGE-IN");
	if (t->rephrase && !strcmp(t->rephrase->value, "true")) {	/* restates the turn before */
		sb_adds(&sb, " | REPHRASE");
		if (t->rephrase->has_confidence)
			sb_addf(&sb, " %.2f", t->rephrase->confidence);
	}
	if (dev)
		sb_addf(&sb, " | %s %s", json_str(dev, "type") ? json_str(dev, "type") : "?",
			json_str(dev, "id") ? json_str(dev, "id") : "");
	json_object_foreach(ds, key, v)
		if (json_is_string(v))
			sb_addf(&sb, " %s=%s", key, json_string_value(v));
	if (t->has_ts) {
		time_t tt = (time_t)t->ts;
		struct tm tm;
		char hm[16];

		clock_local(ctx ? json_str(ctx, "timezone") : NULL, tt, &tm);
		strftime(hm, sizeof(hm), "%H:%M %Z", &tm);
		sb_addf(&sb, " | %s", hm);
		if (t->idx > 0 && d->turns[t->idx - 1].has_ts)
			sb_addf(&sb, " +%.0fs", t->ts - d->turns[t->idx - 1].ts);
	}
	if (ctx && json_str(ctx, "location"))
		sb_addf(&sb, " | %s", json_str(ctx, "location"));
	ui_draw_text(y + 1, x, w, 1, sb.buf, NULL, A_NORMAL);
	sb_reset(&sb);
	if (f == RF_FAILURE_POINT) {
		sb_adds(&sb, "c correct  w false_wake  r asr  l nlu  i entity  o result");
	} else {
		/* the context's note goes on the line too: fewer candidates then */
		int most = review_note(ui->r, note, sizeof(note)) ? 2 : 9;

		for (i = 0; i < most; i++) {
			double c = 0;
			const char *cand = review_candidate(ui->r, i, &c);

			if (!cand)
				break;
			sb_addf(&sb, "%d ", i + 1);
			value_text(&sb, cand, t->text);
			sb_addf(&sb, " %.2f  ", c);
		}
		if (most < 9)
			sb_addf(&sb, "| %s", note);	/* the context at work: what it changed */
	}
	ui_draw_text(y + 2, x, w, 1, sb.buf, NULL, A_BOLD);
	sb_release(&sb);
	json_decref(nlu);
	json_decref(dev);
	json_decref(ctx);
	json_decref(ds);
	return 3;
}

/* The value a field line shows, into sb: a rejected proposal stays in view, marked [wrong]. */
static int
field_value(const struct review *r, const struct review_turn *t, int f, struct strbuf *sb)
{
	struct review_answer a = review_answer(r, t->idx, (enum review_field)f);
	const struct review_label *p = t->proposal[f];
	int rejected = a.action && !strcmp(a.action, "reject") && p;

	value_text(sb, rejected ? p->value : review_current_value(r, t->idx, (enum review_field)f),
		   f == RF_SLOTS && !rejected ? review_slots_text(r, t->idx) : t->text);
	sb_adds(sb, "");
	return rejected;
}

/* The answer column of a field line: the decision, the proposal's confidence and source, another's answer. */
static void
answer_text(const struct review *r, const struct review_turn *t, int f, struct strbuf *rs)
{
	struct review_answer a = review_answer(r, t->idx, (enum review_field)f);
	const struct review_label *p = t->proposal[f];

	if (f == RF_SLOTS && review_slots_unsettled(r, t->idx))
		sb_adds(rs, "[check] ");	/* a ? slot: not an answer yet */
	else if (a.action && !strcmp(a.action, "accept"))
		sb_adds(rs, "[ok] ");
	else if (a.action && !strcmp(a.action, "correct"))
		sb_adds(rs, "[fixed] ");
	else if (a.action && !strcmp(a.action, "reject"))
		sb_adds(rs, "[wrong] ");
	else if (p)
		sb_adds(rs, "? ");
	if (p && p->has_confidence)
		sb_addf(rs, "%.2f ", p->confidence);
	if (p)
		sb_adds(rs, p->source);
	if (t->other[f]) {
		sb_addf(rs, " | %s: ", t->other[f]->source + 6);
		value_text(rs, t->other[f]->value, t->text);
	}
	sb_adds(rs, "");
}

/*
 * The width of a field's value in a field line of width w: the answer
 * column is ANSWER_W wide at the right, and a long value takes the room
 * the answer does not need.  What is still too long wraps (the words,
 * the slots) or is cut.
 */
#define ANSWER_W 35
static int
value_space(const char *value, const char *answer, int w)
{
	int rw = text_width(answer) < ANSWER_W ? text_width(answer) : ANSWER_W;
	int vw = text_width(value), space = w - 9 - ANSWER_W - 1;

	if (vw > space)
		space = vw < w - 9 - rw - 1 ? vw : w - 9 - rw - 1;
	return space;
}

/* The lines a field takes in a field line of width w: the words and the slots wrap. */
static int
field_lines(const struct review *r, const struct review_turn *t, int f, int w)
{
	struct strbuf sb, rs;
	int n;

	if (f != RF_TRANSCRIPTION && f != RF_SLOTS)
		return 1;
	sb_init(&sb);
	sb_init(&rs);
	field_value(r, t, f, &sb);
	answer_text(r, t, f, &rs);
	n = text_lines(sb.buf, value_space(sb.buf, rs.buf, w));
	sb_release(&sb);
	sb_release(&rs);
	return n;
}

/*
 * xattrs: the attributes of the transcription's code points, or NULL.
 * At most maxlines lines; returns the lines used.
 */
static int
draw_field(struct ui *ui, const struct review_turn *t, int f, int y, int x, int w, int focused,
	   const attr_t *xattrs, int maxlines)
{
	struct review_answer a = review_answer(ui->r, t->idx, (enum review_field)f);
	struct strbuf sb, rs;
	attr_t badge = A_BOLD;
	int col, space, rx, rejected, lines = 1;

	sb_init(&sb);
	attrset(focused ? A_REVERSE | A_BOLD : A_DIM);
	mvprintw(y, x, "%-8s", field_short[f]);
	attrset(A_NORMAL);
	col = x + 9;
	rejected = field_value(ui->r, t, f, &sb);
	if (f == RF_FAILURE_POINT && ui->color)
		badge = (attr_t)COLOR_PAIR(strstr(sb.buf, "correct") ? C_GOOD : C_BAD) | A_BOLD;
	if (f == RF_FAILURE_POINT) {	/* the badge: [asr] */
		sb_addc(&sb, ']');
		ui_draw_text(y, col++, 1, 1, "[", NULL, badge);
	}
	sb_init(&rs);
	answer_text(ui->r, t, f, &rs);
	space = value_space(sb.buf, rs.buf, w - (col - x - 9));	/* a badge takes a column */
	if (f == RF_TRANSCRIPTION || f == RF_SLOTS)
		lines = text_lines(sb.buf, space) < maxlines ? text_lines(sb.buf, space) : maxlines;
	ui_draw_text(y, col, space, lines, sb.buf, f == RF_TRANSCRIPTION && !rejected ? xattrs : NULL,
		  badge);
	rx = col + space + 1 > x + w - ANSWER_W ? col + space + 1 : x + w - ANSWER_W;
	ui_draw_text(y, rx, x + w - rx, 1, rs.buf, NULL,
		  a.action ? (ui->color ? COLOR_PAIR(C_GOOD) : A_BOLD) : A_DIM);
	sb_release(&sb);
	sb_release(&rs);
	return lines;
}

/* Is the word cursor on, over the focused slots field it was opened on? */
static int
span_on(struct ui *ui)
{
	const struct review_dialogue *d = review_dialogue(ui->r);
	struct seg_span *words;
	size_t n;

	if (ui->span && (!d || d->id != ui->span_dlg || review_turn(ui->r) != ui->span_turn ||
			 review_focus(ui->r) != RF_SLOTS))
		ui->span = 0;
	if (!ui->span)
		return 0;
	n = review_words(review_words_text(ui->r, ui->span_turn), &words);
	free(words);
	if (ui->wb >= n || ui->wa > ui->wb)
		ui->span = 0;
	return ui->span;
}

/* The code points [*start, *end) of the selection. */
static void
span_get(struct ui *ui, size_t *start, size_t *end)
{
	struct seg_span *words;

	review_words(review_words_text(ui->r, ui->span_turn), &words);
	*start = words[ui->wa].start;
	*end = words[ui->wb].end;
	free(words);
}

/*
 * The attributes of a turn's text line (*ta) and of its transcription
 * line (*xa): the slots in their colours on the text they stand on,
 * the selection in reverse on the words it is over.  NULL: plain.
 */
static void
turn_attrs(struct ui *ui, const struct review_turn *tu, int focused, attr_t **ta, attr_t **xa)
{
	const char *stx = review_slots_text(ui->r, tu->idx), *wt = review_words_text(ui->r, tu->idx);
	attr_t **sel = strcmp(wt, tu->text) ? xa : ta;
	size_t a, b;

	*(strcmp(stx, tu->text) ? xa : ta) = slot_attrs(ui, stx, review_current_value(ui->r, tu->idx, RF_SLOTS));
	if (!focused || !span_on(ui))
		return;
	if (!*sel)
		*sel = slot_attrs(ui, wt, NULL);
	span_get(ui, &a, &b);
	for (; a < b; a++)
		(*sel)[a] |= A_REVERSE;
}

static void
draw_dialogue(struct ui *ui, int x0, int y0, int w, int h)
{
	struct review *r = ui->r;
	const struct review_dialogue *d = review_dialogue(r);
	int focus = review_turn(r), y = y0, t, sum, f;

	if (ui->top > focus)
		ui->top = focus;
	/*
	 * The first turn shown: the old one if every turn from it to the
	 * focused one fits, else the earliest that lets them fit.  Counted
	 * back from the focus, so only the turns that can show are measured.
	 */
	sum = turn_height(r, &d->turns[focus], w, 1);
	for (t = focus; t > ui->top; t--) {
		int th = turn_height(r, &d->turns[t - 1], w, 0);

		if (sum + th > h)
			break;
		sum += th;
	}
	ui->top = t;
	for (t = ui->top; t < (int)d->nturns && y < y0 + h; t++) {
		const struct review_turn *tu = &d->turns[t];
		int focused = t == focus, g = goal_of(r, t), pg = t ? goal_of(r, t - 1) : -1;
		int ng = (size_t)t + 1 < d->nturns ? goal_of(r, t + 1) : -1;
		attr_t *attrs = NULL, *xattrs = NULL;
		char hdr[32];

		/* the goal bracket: opens where a goal starts, closes where it ends */
		/* the goal bracket: G<n> where a goal starts, | while it goes on, ' at its end */
		if (g > 0 && g != pg)
			put_clipped(y, x0, 3, A_BOLD, "G%d", g);
		else if (g > 0)
			put_clipped(y, x0, 3, A_BOLD, " %s", ng == g ? "|" : "'");
		snprintf(hdr, sizeof(hdr), "%c%3d", focused ? '>' : ' ', t + 1);
		put_clipped(y, x0 + 3, 5, focused ? A_BOLD | A_REVERSE : A_BOLD, "%s", hdr);
		turn_attrs(ui, tu, focused, &attrs, &xattrs);
		y += ui_draw_text(y, x0 + 9, w - 9, y0 + h - y, tu->text, attrs, A_NORMAL);
		for (f = 0; f < RF__COUNT && y < y0 + h; f++) {
			int ff = focused && f == (int)review_focus(r);

			if (!field_shown(r, tu, f) && !ff)
				continue;
			if (g > 0 && ng == g)
				mvaddstr(y, x0 + 1, "|");
			y += draw_field(ui, tu, f, y, x0 + 9, w - 9, ff, xattrs, y0 + h - y);
		}
		free(attrs);
		free(xattrs);
		if (focused && y + 3 <= y0 + h)
			y += draw_evidence(ui, tu, y, x0 + 9, w - 9);
	}
}

static const char *
key_hint(enum review_field f)
{
	switch (f) {
	case RF_INTENT:
		return "a accept  x reject  e edit (Tab completes)  1-9 candidate  A accept turn  u undo  ? help";
	case RF_SLOTS:
		return "v select words  e edit as type=\"words\" ...  a accept  x reject  A accept turn  u undo  ? help";
	case RF_TRANSCRIPTION:
		return "a accept  x reject  e edit the words  A accept turn  u undo  ? help";
	case RF_FAILURE_POINT:
		return "c correct w false_wake r asr l nlu i entity o result  a accept  x reject  ? help";
	default:
		return "g new goal here (toggle)  y goal succeeded  f failed  a accept  x reject  e number  u undo";
	}
}

/* The selection's words and the keys of the word cursor. */
static void
span_hint(struct ui *ui, int y, int w)
{
	const char *wt = review_words_text(ui->r, ui->span_turn);
	size_t a, b;
	long ba, bb;

	span_get(ui, &a, &b);
	ba = utf8_cp_to_byte(wt, a);
	bb = utf8_cp_to_byte(wt, b);
	put_clipped(y, 0, w, A_BOLD, "%s[%.*s]  h l move  H L shrink/extend  Enter type  d delete  %s  v done",
		    ui->moving ? "moving " : "", (int)(bb - ba), wt + ba,
		    ui->moving ? "m drop" : "m move");
}

static void
draw_status(struct ui *ui, int w, int h)
{
	struct review *r = ui->r;
	double hours = review_session_seconds(r) / 3600;
	const struct review_dialogue *d = review_dialogue(r);

	if (ui->msg[0])
		put_clipped(h - 2, 0, w, ui->msg_err ? A_BOLD | (ui->color ? COLOR_PAIR(C_BAD) : A_REVERSE) : A_BOLD,
			    "%s", ui->msg);
	else if (span_on(ui))
		span_hint(ui, h - 2, w);
	else
		put_clipped(h - 2, 0, w, A_DIM, "%s", key_hint(review_focus(r)));
	attrset(A_REVERSE);
	mvhline(h - 1, 0, ' ', w);
	put_clipped(h - 1, 0, w, A_REVERSE, " %s | %s %zu/%zu%s%s | turn %d/%zu | %ld answered | %.0f/h | all saved ",
		    review_annotator(r), d ? d->ext_id : "-", d ? review_queue_pos(r) + 1 : 0,
		    review_queue_len(r), review_order(r) == QUEUE_SEQUENTIAL ? "" :
		    review_order(r) == QUEUE_UNCERTAIN ? " uncertain" : review_order(r) == QUEUE_FRICTION ?
		    " friction" : " disagreements", review_filter(r) ? " filtered" : "",
		    review_turn(r) + 1, d ? d->nturns : 0, review_reviewed_turns(r),
		    hours > 0.001 ? (double)review_session_decisions(r) / hours : 0.0);
	attrset(A_NORMAL);
}

static const char help_text[] =
	"dialab review: keys\n"
	"\n"
	"  j k  Down Up     next / previous turn\n"
	"  J K  ] [         next / previous dialogue\n"
	"  Tab  Shift-Tab   next / previous field (intent, slots, transcription, failure, goal)\n"
	"  a                accept the focused proposal, then go on; on [check] slots\n"
	"                   (marked ? after the words changed): confirm them as shown\n"
	"  A                accept every pending proposal of the turn\n"
	"  x                reject the focused proposal (it is wrong)\n"
	"  s                skip the field (recorded, nothing decided)\n"
	"  e  Enter         correct: a prompt with history and Tab completion\n"
	"  1-9              take the n-th candidate\n"
	"  R                the user rephrased: take the next turn's intent and slots\n"
	"  v                slots: select words, then h l move, H L shrink / extend,\n"
	"                   Enter type (Tab completes), d delete, m move a slot, v done\n"
	"  c w r l i o      failure point: correct, false_wake, asr, nlu, entity, result\n"
	"  g  y  f          goal: a new goal starts here (toggle); it succeeded; it failed\n"
	"  u  Ctrl-R        undo / redo your last decision (also after a restart)\n"
	"  /  n  N          search the turns' text; next / previous match\n"
	"  :goto ID         open the dialogue ID (:q quits)\n"
	"  :queue NAME      order: sequential, uncertain, friction, disagreements\n"
	"  :filter EXPR     only dialogues with e.g. intent=X fp=asr source=model user=U\n"
	"                   device=T id=GLOB; :filter alone clears it\n"
	"  t                teach: a session for this dialogue's user, this turn as the moment\n"
	"  Ctrl-L           redraw\n"
	"  q                quit: every decision is already saved\n"
	"\n"
	"In a prompt: Enter saves, Tab completes, Up/Down recall history, Ctrl-G or Ctrl-C cancels.\n"
	"\n"
	"Press any key.";

/* Lines of the help text. */
static int
help_lines(void)
{
	const char *p;
	int n = 1;

	for (p = help_text; *p; p++)
		n += *p == '\n';
	return n;
}

/*
 * The first help line shown (ui->help - 1), kept so that the last page
 * is full; a window too short for all of it scrolls, with a footer.
 */
static int
help_top(struct ui *ui, int h)
{
	int total = help_lines(), rows = total > h ? h - 1 : h, top = ui->help - 1;

	if (top > total - rows)
		top = total - rows;
	if (top < 0)
		top = 0;
	ui->help = top + 1;
	return top;
}

static void
draw_help(struct ui *ui, int w, int h)
{
	const char *p = help_text;
	int total = help_lines(), top = help_top(ui, h), rows = total > h ? h - 1 : h, i, y = 0;

	for (i = 0; *p && y < rows; i++) {
		const char *nl = strchr(p, '\n');
		char line[256];
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (i >= top) {
			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			ui_draw_text(y, 1, w - 2, 1, line, NULL, i == 0 ? A_BOLD : A_NORMAL);
			y++;
		}
		p += n + (nl != NULL);
	}
	if (total > h)
		put_clipped(h - 1, 1, w - 2, A_REVERSE,
			    " lines %d-%d of %d: j k Space scroll, any other key closes ", top + 1,
			    top + rows, total);
}

/* The goals' outcomes in the header: this annotator's, marked (you), over the labels. */
static void
draw_outcomes(struct ui *ui, int w)
{
	int g, max = review_goal_max(ui->r), mine, width;
	struct strbuf sb;

	sb_init(&sb);
	for (g = 1; g <= max; g++) {
		const char *o = review_goal_outcome(ui->r, g, &mine);

		if (o)
			sb_addf(&sb, "  G%d %s%s", g, o, mine ? " (you)" : "");
	}
	width = sb.len < (size_t)w / 2 ? (int)sb.len : w / 2;
	if (width)
		put_clipped(0, w - width, width, A_BOLD, "%s", sb.buf);
	sb_release(&sb);
}

static void
draw(struct ui *ui)
{
	int h = LINES, w = COLS, qw;
	const struct review_dialogue *d;

	erase();
	if (w < MIN_W || h < MIN_H) {
		put_clipped(0, 0, w, A_BOLD, "dialab review needs at least %dx%d;", MIN_W, MIN_H);
		put_clipped(1, 0, w, A_BOLD, "this window is %dx%d. Enlarge it (q quits).", w, h);
		refresh();
		return;
	}
	if (ui->help) {
		draw_help(ui, w, h);
		refresh();
		return;
	}
	d = review_dialogue(ui->r);
	if (!d && review_filter(ui->r)) {
		put_clipped(1, 2, w - 4, A_BOLD, "No dialogue matches the filter \"%s\".",
			    review_filter(ui->r));
		put_clipped(3, 2, w - 4, A_NORMAL, "%s",
			    "Type :filter with nothing after it to clear it, or another filter. q quits.");
		draw_status(ui, w, LINES);
		refresh();
		return;
	}
	if (!d) {
		put_clipped(1, 2, w - 4, A_BOLD, "%s", "This database has no dialogues yet.");
		put_clipped(3, 2, w - 4, A_NORMAL, "%s", "Import some first, for example:");
		put_clipped(4, 4, w - 6, A_NORMAL, "%s", "dialab import calls.jsonl");
		put_clipped(5, 4, w - 6, A_NORMAL, "%s", "dialab import --format snips ../shared/data/snips/test");
		put_clipped(6, 2, w - 4, A_NORMAL, "%s", "or load the demo with 'dialab demo'. Press q to quit.");
		refresh();
		return;
	}
	qw = w >= 100 ? QUEUE_W : 0;
	{
		json_t *dev = d->device ? jw_parse(d->device) : NULL;

		put_clipped(0, 0, w, A_BOLD, " %s  user %s  %s  %zu turn%s", d->ext_id,
			    d->user ? d->user : "-", dev && json_str(dev, "type") ? json_str(dev, "type") : "",
			    d->nturns, d->nturns == 1 ? "" : "s");
		json_decref(dev);
	}
	draw_outcomes(ui, w);
	if (qw)
		draw_queue(ui, h - 3);
	draw_dialogue(ui, qw ? qw + 1 : 0, 1, w - qw - (qw ? 1 : 0), h - 3);
	draw_status(ui, w, h);
	refresh();
}

/* ---- the prompt: GNU readline, driven one key at a time ---- */

static struct ui *rl_ui;
static int rl_key = EOF;
static char *rl_line;
static int rl_finished;
static const char *rl_initial;
static char rl_matches[512];

static int
rl_getc_cb(FILE *fp)
{
	int c = rl_key;

	(void)fp;
	rl_key = EOF;
	return c;
}

static int
rl_input_available_cb(void)
{
	return rl_key != EOF;
}

static void
rl_prep_noop(int meta)
{
	(void)meta;
}

static void
rl_deprep_noop(void)
{
}

static void
rl_redisplay_cb(void)
{
	int h = LINES, w = COLS, pw, col, i;
	char buf[2048];

	tui_sanitize(rl_display_prompt ? rl_display_prompt : "", buf, sizeof(buf));
	move(h - 2, 0);
	clrtoeol();
	if (rl_matches[0])
		ui_draw_text(h - 2, 0, w, 1, rl_matches, NULL, A_DIM);
	move(h - 1, 0);
	clrtoeol();
	pw = ui_draw_text(h - 1, 0, w, 1, buf, NULL, A_BOLD) ? (int)utf8_cp_len(buf) : 0;
	/* the cursor's column: the width of the text before the point */
	for (col = 0, i = 0; i < rl_point && rl_line_buffer[i];) {
		uint32_t c;
		size_t k = utf8_decode(rl_line_buffer + i, (size_t)(rl_end - i), &c);

		if (!k)
			c = '?', k = 1;
		col += is_control(c) ? 2 : (wcwidth((wchar_t)c) > 0 ? wcwidth((wchar_t)c) : 0);
		i += (int)k;
	}
	tui_sanitize(rl_line_buffer, buf, sizeof(buf));
	ui_draw_text(h - 1, pw, w - pw - 1, 1, buf, NULL, A_NORMAL);
	move(h - 1, pw + col < w - 1 ? pw + col : w - 1);
	refresh();
}

static void
rl_line_cb(char *line)
{
	rl_line = line;
	rl_finished = 1;
	rl_callback_handler_remove();
}

static char *
rl_generator(const char *text, int state)
{
	static size_t i, len;
	char **v = rl_ui->completions;

	if (!state) {
		i = 0;
		len = strlen(text);
	}
	while (v && v[i]) {
		const char *c = v[i++];

		if (!strncmp(c, text, len))
			return xstrdup(c);
	}
	return NULL;
}

static char **
rl_complete_cb(const char *text, int start, int end)
{
	(void)start;
	(void)end;
	rl_attempted_completion_over = 1;
	rl_completion_append_character = '\0';	/* readline resets it before each call */
	return rl_completion_matches(text, rl_generator);
}

static void
rl_show_matches(char **matches, int n, int maxlen)
{
	int i;
	size_t o = 0;

	(void)maxlen;
	rl_matches[0] = '\0';
	for (i = 1; i <= n && o + 2 < sizeof(rl_matches); i++)
		o += (size_t)snprintf(rl_matches + o, sizeof(rl_matches) - o, "%s  ", matches[i]);
	rl_redisplay_cb();
}

static int
rl_startup_cb(void)
{
	if (rl_initial)
		rl_insert_text(rl_initial);
	return 0;
}

/*
 * Ask for a line on the bottom row with readline (history, editing,
 * Tab completion over completions).  Returns a new string, or NULL
 * when cancelled with Ctrl-G, Ctrl-C or Ctrl-D on an empty line.
 */
static char *
prompt(struct ui *ui, const char *label, const char *initial, char **completions)
{
	static FILE *devnull;
	int c;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	rl_ui = ui;
	ui->completions = completions;
	rl_initial = initial;
	rl_matches[0] = '\0';
	rl_finished = 0;
	rl_line = NULL;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_outstream = devnull;
	rl_getc_function = rl_getc_cb;
	rl_input_available_hook = rl_input_available_cb;
	rl_redisplay_function = rl_redisplay_cb;
	rl_prep_term_function = rl_prep_noop;
	rl_deprep_term_function = rl_deprep_noop;
	rl_attempted_completion_function = rl_complete_cb;
	rl_completion_display_matches_hook = rl_show_matches;
	rl_completion_append_character = '\0';
	rl_startup_hook = rl_startup_cb;
	curs_set(1);
	rl_callback_handler_install(label, rl_line_cb);
	rl_redisplay_cb();
	while (!rl_finished) {
		c = getch();
		if (c == ERR) {
			if (interrupted == SIGINT) {	/* Ctrl-C: cancel, like Ctrl-G */
				interrupted = 0;
				rl_callback_handler_remove();
				break;
			}
			if (interrupted)
				break;
			continue;
		}
		if (c == 7 || c == 3) {		/* Ctrl-G, Ctrl-C: cancel */
			rl_callback_handler_remove();
			break;
		}
		switch (c) {			/* curses keys to readline's */
		case KEY_LEFT: c = 2; break;
		case KEY_RIGHT: c = 6; break;
		case KEY_UP: c = 16; break;
		case KEY_DOWN: c = 14; break;
		case KEY_HOME: c = 1; break;
		case KEY_END: c = 5; break;
		case KEY_BACKSPACE: c = 127; break;
		case KEY_DC: c = 4; break;
		case KEY_ENTER: c = '\n'; break;
		case KEY_RESIZE:
			draw(ui);
			rl_redisplay_cb();
			continue;
		default:
			if (c > 255)
				continue;
		}
		rl_key = c;
		rl_callback_read_char();
	}
	curs_set(0);
	if (rl_line && *rl_line)
		add_history(rl_line);
	return rl_line;
}

/* ---- keys to actions ---- */

static void
say(struct ui *ui, int is_err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(struct ui *ui, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_err = is_err;
}

/*
 * After an undo or redo, which shows where it happened: say what the
 * field stands at now ("undone: intent of turn 2 back to play_music").
 */
static void
say_changed(struct ui *ui, const char *what)
{
	struct review *r = ui->r;
	enum review_field f = review_focus(r);
	int turn = review_turn(r);
	const char *v = review_current_value(r, turn, f);
	struct strbuf sb;

	sb_init(&sb);
	if (v)
		value_text(&sb, v, f == RF_SLOTS ? review_slots_text(r, turn) :
			   review_dialogue(r)->turns[turn].text);
	say(ui, 0, "%s: %s of turn %d %s %.200s", what, review_field_kind(f), turn + 1,
	    review_answer(r, turn, f).action ? "now" : "back to", v ? sb.buf : "no value");
	sb_release(&sb);
}

/* ---- t: a teaching session on the plain terminal, then back ---- */

static void
teach_here(struct ui *ui)
{
	const struct review_dialogue *d = review_dialogue(ui->r);
	struct store *st = review_store(ui->r);
	struct teach_opts o = { 0 };
	struct dl_error err = { 0 };
	struct catalog cat;
	int rc;

	if (!d->user || !*d->user) {
		say(ui, 1, "this dialogue has no user to teach about");
		return;
	}
	if (teach_catalog(&cat, NULL, st, &err)) {
		{
		char m[600];

		say(ui, 1, "%s", dl_error_str(&err, m, sizeof(m)));
	}
		return;
	}
	o.user = d->user;
	o.operator_ = review_annotator(ui->r);
	o.cat = &cat;
	o.dialogue = d->ext_id;
	o.turn = review_turn(ui->r);
	def_prog_mode();
	endwin();
	printf("\n-- teaching %s from dialogue %s, turn %d (quit or Ctrl-D returns to the review) --\n",
	       d->user, d->ext_id, o.turn + 1);
	rc = teach_run(st, &o, stdin, 1, 0, &err);
	cat_release(&cat);
	reset_prog_mode();
	refresh();
	draw(ui);
	if (rc)
		{
		char m[600];

		say(ui, 1, "%s", dl_error_str(&err, m, sizeof(m)));
	}
	else
		say(ui, 0, "back from teaching %s", d->user);
}

/*
 * Parse `type="words" type="words"` against text into a JSON array of
 * code-point spans, each found after the previous one.  Returns a new
 * string or NULL with why set.
 */
static char *
parse_slots(const char *in, const char *text, char *why, size_t n)
{
	json_t *arr = json_array();
	const char *p = in;
	size_t from = 0;
	struct strbuf sb;

	while (*p) {
		const char *eq, *q1, *q2, *hit;
		char type[128], words[512];

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (!strncmp(p, "(no slots)", 10)) {
			p += 10;
			continue;
		}
		eq = strchr(p, '=');
		if (!eq || eq == p || eq[1] != '"' || !(q2 = strchr(eq + 2, '"'))) {
			snprintf(why, n, "write slots as type=\"words\" type=\"words\"");
			json_decref(arr);
			return NULL;
		}
		q1 = eq + 2;
		/* type?="words": a slot marked for review, placed again here */
		snprintf(type, sizeof(type), "%.*s", (int)(eq - p - (eq[-1] == '?' && eq - p > 1)), p);
		snprintf(words, sizeof(words), "%.*s", (int)(q2 - q1), q1);
		if (!words[0] || !(hit = strstr(text + from, words))) {
			snprintf(why, n, "\"%.60s\" is not in the text%s", words, from ? " after the previous slot" : "");
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I}", "type", type,
			"start", (json_int_t)utf8_byte_to_cp(text, (size_t)(hit - text)),
			"end", (json_int_t)utf8_byte_to_cp(text, (size_t)(hit - text) + strlen(words))));
		from = (size_t)(hit - text) + strlen(words);
		p = q2 + 1;
	}
	sb_init(&sb);
	jw_value(&sb, arr);
	json_decref(arr);
	return sb.buf;
}

static void
correct_field(struct ui *ui)
{
	struct review *r = ui->r;
	const struct review_dialogue *d = review_dialogue(r);
	const struct review_turn *t = &d->turns[review_turn(r)];
	enum review_field f = review_focus(r);
	char *stages[FP__COUNT + 1];
	int k;
	struct dl_error err = { 0 };
	struct strbuf cur, json;
	char *line, *value = NULL, why[160] = "";

	for (k = 0; k < FP__COUNT; k++)
		stages[k] = (char *)fmt_fp_name((enum fp_stage)k);	/* readline's type */
	stages[FP__COUNT] = NULL;
	sb_init(&cur);
	sb_init(&json);
	if (f == RF_TRANSCRIPTION && !review_current_value(r, t->idx, f))
		sb_adds(&cur, t->text);
	else if (review_current_value(r, t->idx, f))
		value_text(&cur, review_current_value(r, t->idx, f),
			   f == RF_SLOTS ? review_slots_text(r, t->idx) : t->text);
	line = prompt(ui, f == RF_INTENT ? "intent: " : f == RF_SLOTS ? "slots: " :
		      f == RF_TRANSCRIPTION ? "words: " : f == RF_FAILURE_POINT ? "failure point: " :
		      "goal number: ", cur.buf,
		      f == RF_INTENT ? review_intents(r) : f == RF_FAILURE_POINT ? stages : NULL);
	if (!line) {
		say(ui, 0, "cancelled; nothing changed");
		goto out;
	}
	if (f != RF_TRANSCRIPTION) {	/* outer blanks mean nothing but in the words */
		char *p = line, *e = line + strlen(line);

		while (*p == ' ' || *p == '\t')
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		memmove(line, p, strlen(p) + 1);
	}
	switch (f) {
	case RF_SLOTS:
		value = parse_slots(line, review_words_text(r, t->idx), why, sizeof(why));
		break;
	case RF_GOAL:
		/* the number as typed; the library says what a goal is */
		value = xstrdup(*line && strspn(line, "0123456789") == strlen(line) &&
				strlen(line) < 10 ? line : "null");
		break;
	default:
		jw_string(&json, line, strlen(line));
		value = xstrdup(json.buf);
	}
	if (!value)
		say(ui, 1, "not saved: %s", why);
	else if (review_correct(r, value, &err))
		say(ui, 1, "not saved: %s", err.msg);
	else
		say(ui, 0, "saved");
	free(value);
	free(line);
out:
	sb_release(&cur);
	sb_release(&json);
}

static void
set_failure(struct ui *ui, const char *stage)
{
	struct dl_error err = { 0 };
	char json[32];

	review_set_focus(ui->r, RF_FAILURE_POINT);
	snprintf(json, sizeof(json), "\"%s\"", stage);
	if (review_correct(ui->r, json, &err))
		say(ui, 1, "not saved: %s", err.msg);
	else
		say(ui, 0, "failure point %s saved", stage);
}

static void
take_candidate(struct ui *ui, int n)
{
	struct dl_error err = { 0 };
	const char *c = review_candidate(ui->r, n, NULL);
	char *v;

	if (!c) {
		say(ui, 1, "no candidate %d here", n + 1);
		return;
	}
	v = xstrdup(c);
	if (review_correct(ui->r, v, &err))
		say(ui, 1, "not saved: %s", err.msg);
	else
		say(ui, 0, "candidate %d saved", n + 1);
	free(v);
}

static void
search(struct ui *ui, int dir)
{
	struct dl_error err = { 0 };
	int rc;

	if (!ui->needle[0]) {
		say(ui, 0, "no search yet: / searches the text of the turns");
		return;
	}
	if ((rc = review_search(ui->r, ui->needle, dir, &err)) < 0)
		say(ui, 1, "%s", err.msg);
	else if (rc == 1)
		say(ui, 0, "no %s match for \"%.60s\"", dir > 0 ? "later" : "earlier", ui->needle);
	else
		say(ui, 0, "\"%.60s\" (n next, N previous)", ui->needle);
	ui->top = 0;
}

/* A ':' command.  Returns 1 to quit. */
static int
command(struct ui *ui)
{
	struct dl_error err = { 0 };
	char *line = prompt(ui, ":", NULL, NULL), *arg;
	int rc = 0;

	if (!line)
		return 0;
	arg = line + strcspn(line, " ");
	arg += strspn(arg, " ");
	if (!strcmp(line, "q") || !strcmp(line, "quit")) {
		rc = 1;
	} else if (!strncmp(line, "goto ", 5) || !strncmp(line, "g ", 2)) {
		int g = review_goto_id(ui->r, arg, &err);

		if (g < 0)
			say(ui, 1, "%s", err.msg);
		else if (g == 1)
			say(ui, 1, "no dialogue with id \"%.60s\"", arg);
		else if (g == 2)
			say(ui, 1, "\"%.60s\" is not in this queue; :filter clears the filter", arg);
		ui->top = 0;
	} else if (!strncmp(line, "queue", 5) && (!line[5] || line[5] == ' ')) {
		int order = store_queue_order_parse(*arg ? arg : "sequential");

		if (order < 0)
			say(ui, 1, "unknown queue \"%.40s\": sequential, uncertain, friction or disagreements", arg);
		else if (review_requeue(ui->r, (enum queue_order)order, review_filter(ui->r), &err))
			say(ui, 1, "%s", err.msg);
		else
			say(ui, 0, "queue: %s, %zu dialogues", *arg ? arg : "sequential",
			    review_queue_len(ui->r));
		ui->top = 0;
	} else if (!strncmp(line, "filter", 6) && (!line[6] || line[6] == ' ')) {
		char *f = *arg ? xstrdup(arg) : NULL;

		if (review_requeue(ui->r, review_order(ui->r), f, &err))
			say(ui, 1, "%s", err.msg);
		else if (f)
			say(ui, 0, "filter %s: %zu dialogues", f, review_queue_len(ui->r));
		else
			say(ui, 0, "no filter: %zu dialogues", review_queue_len(ui->r));
		free(f);
		ui->top = 0;
	} else if (*line) {
		say(ui, 1, "unknown command \"%.40s\": try :goto ID, :queue, :filter or :q", line);
	}
	free(line);
	return rc;
}

/* ---- the slots' word cursor ---- */

/* The first slot over the selection (its start, end and type in *type), or -1. */
static long
slot_under(struct ui *ui, size_t *end, char *type, size_t n)
{
	const char *v = review_current_value(ui->r, ui->span_turn, RF_SLOTS);
	json_t *slots = v ? jw_parse(v) : NULL, *sp;
	size_t a, b, i;
	long found = -1;

	span_get(ui, &a, &b);
	if (strcmp(review_slots_text(ui->r, ui->span_turn), review_words_text(ui->r, ui->span_turn))) {
		json_decref(slots);
		return -1;	/* they stand on other words */
	}
	json_array_foreach(slots, i, sp) {
		json_int_t s = json_integer_value(json_object_get(sp, "start"));
		json_int_t e = json_integer_value(json_object_get(sp, "end"));

		if (json_is_true(json_object_get(sp, "review")) || !(s < (json_int_t)b && (json_int_t)a < e))
			continue;
		found = (long)s;
		*end = (size_t)e;
		snprintf(type, n, "%s", json_string_value(json_object_get(sp, "type")));
		break;
	}
	json_decref(slots);
	return found;
}

/* Select the words covering [start, end). */
static void
span_select(struct ui *ui, size_t start, size_t end)
{
	struct seg_span *words;
	size_t n = review_words(review_words_text(ui->r, ui->span_turn), &words), i;

	ui->wa = ui->wb = 0;
	for (i = 0; i < n; i++) {
		if (words[i].end <= start)
			ui->wa = i + 1 < n ? i + 1 : i;
		if (words[i].start < end)
			ui->wb = i;
	}
	if (ui->wb < ui->wa)
		ui->wb = ui->wa;
	free(words);
}

/* v: the word cursor on the focused turn, at its first slot or word. */
static void
span_start(struct ui *ui)
{
	const struct review_dialogue *d = review_dialogue(ui->r);
	struct seg_span *words;
	size_t n, end;
	char type[128];
	long s;

	review_set_focus(ui->r, RF_SLOTS);
	ui->span_turn = review_turn(ui->r);
	n = review_words(review_words_text(ui->r, ui->span_turn), &words);
	free(words);
	if (!n) {
		say(ui, 1, "this turn has no words to select");
		return;
	}
	ui->span = 1;
	ui->moving = 0;
	ui->span_dlg = d->id;
	ui->wa = 0;
	ui->wb = n - 1;	/* the whole text: the first slot over it */
	if ((s = slot_under(ui, &end, type, sizeof(type))) >= 0)
		span_select(ui, (size_t)s, end);
	else
		ui->wb = 0;
}

static void
span_type(struct ui *ui)
{
	struct dl_error err = { 0 };
	size_t a, b, end;
	char type[128] = "", *line;

	if (slot_under(ui, &end, type, sizeof(type)) < 0)
		type[0] = '\0';
	span_get(ui, &a, &b);
	line = prompt(ui, "slot type: ", type, review_slot_types(ui->r));
	if (!line) {
		say(ui, 0, "cancelled; nothing changed");
		return;
	}
	line[strcspn(line, " \t")] = '\0';
	if (review_slot_assign(ui->r, a, b, line, &err))
		say(ui, 1, "not saved: %s", err.msg);
	else
		say(ui, 0, "slot %s saved", line);
	free(line);
}

static void
span_delete(struct ui *ui)
{
	struct dl_error err = { 0 };
	size_t a, b;
	int rc;

	span_get(ui, &a, &b);
	if ((rc = review_slot_delete(ui->r, a, b, &err)) < 0)
		say(ui, 1, "not saved: %s", err.msg);
	else if (rc == 1)
		say(ui, 0, "no slot here to delete");
	else
		say(ui, 0, "slot deleted");
}

/* m: pick up the slot under the selection, or put it down there. */
static void
span_move(struct ui *ui)
{
	struct dl_error err = { 0 };
	size_t a, b, end;
	char type[128];
	long s;
	int rc;

	if (!ui->moving) {
		if ((s = slot_under(ui, &end, type, sizeof(type))) < 0) {
			say(ui, 1, "no slot here to move");
			return;
		}
		ui->moving = 1;
		ui->move_from = (size_t)s;
		span_select(ui, (size_t)s, end);
		return;
	}
	ui->moving = 0;
	span_get(ui, &a, &b);
	if ((rc = review_slot_move(ui->r, ui->move_from, a, b, &err)) < 0)
		say(ui, 1, "not saved: %s", err.msg);
	else if (rc == 1)
		say(ui, 1, "the slot to move is gone");
	else
		say(ui, 0, "slot moved");
}

/* A key of the word cursor.  Returns 0 when it is not one. */
static int
span_key(struct ui *ui, int c)
{
	struct seg_span *words;
	size_t n = review_words(review_words_text(ui->r, ui->span_turn), &words);

	free(words);
	switch (c) {
	case 'h': case KEY_LEFT:
		if (ui->wa > 0)
			ui->wa--, ui->wb--;
		break;
	case 'l': case KEY_RIGHT:
		if (ui->wb + 1 < n)
			ui->wa++, ui->wb++;
		break;
	case 'L': case '>':
		if (ui->wb + 1 < n)
			ui->wb++;
		break;
	case 'H': case '<':
		if (ui->wb > ui->wa)
			ui->wb--;
		break;
	case 'e': case '\n': case '\r': case KEY_ENTER:
		if (ui->moving)
			span_move(ui);
		else
			span_type(ui);
		break;
	case 'd':
		span_delete(ui);
		break;
	case 'm':
		span_move(ui);
		break;
	case 'v': case 7:	/* v, Ctrl-G */
		ui->span = ui->moving = 0;
		break;
	default:
		return 0;
	}
	return 1;
}

/* g, y, f on the goal field. */
static void
goal_key(struct ui *ui, int c)
{
	struct review *r = ui->r;
	struct dl_error err = { 0 };
	int t = review_turn(r), rc;

	if (c == 'g') {
		if ((rc = review_goal_toggle(r, &err)) < 0)
			say(ui, 1, "not saved: %s", err.msg);
		else if (rc == 1)
			say(ui, 1, "a goal always starts at the first turn");
		else if (review_goal(r, t) != review_goal(r, t - 1))
			say(ui, 0, "goal %d starts at turn %d (u undoes it)", review_goal(r, t), t + 1);
		else
			say(ui, 0, "turn %d goes on with goal %d (u undoes it)", t + 1, review_goal(r, t));
		return;
	}
	if (review_goal_outcome_set(r, c == 'y', &err))
		say(ui, 1, "not saved: %s", err.msg);
	else
		say(ui, 0, "goal %d: %s saved", review_goal(r, t), c == 'y' ? "success" : "failure");
}

/* Handle one key.  Returns 1 to quit. */
static int
handle_key(struct ui *ui, int c)
{
	struct review *r = ui->r;
	struct dl_error err = { 0 };
	int rc = 0;

	ui->msg[0] = '\0';
	if (ui->help) {
		/* a help longer than the window scrolls; any other key closes it */
		if (help_lines() > LINES && (c == 'j' || c == KEY_DOWN || c == ' ' || c == KEY_NPAGE))
			ui->help += c == 'j' || c == KEY_DOWN ? 1 : LINES - 2;
		else if (help_lines() > LINES && (c == 'k' || c == KEY_UP || c == KEY_PPAGE))
			ui->help = ui->help - (c == KEY_PPAGE ? LINES - 2 : 1) > 1 ?
				   ui->help - (c == KEY_PPAGE ? LINES - 2 : 1) : 1;
		else
			ui->help = 0;
		return 0;
	}
	if (c == 'q' || c == 3)		/* q, Ctrl-C */
		return 1;
	if (c == '?') {
		ui->help = 1;
		return 0;
	}
	if (c == ':' && review_filter(r) && !review_dialogue(r) && COLS >= MIN_W && LINES >= MIN_H)
		return command(ui);	/* an empty filtered queue: let the filter be changed */
	if (!review_dialogue(r) || COLS < MIN_W || LINES < MIN_H)
		return 0;
	if (span_on(ui) && span_key(ui, c))
		return 0;
	if (review_focus(r) == RF_GOAL && (c == 'g' || c == 'y' || c == 'f')) {
		goal_key(ui, c);
		return 0;
	}
	if (review_focus(r) == RF_SLOTS && c == 'v') {
		span_start(ui);
		return 0;
	}
	if (review_focus(r) == RF_FAILURE_POINT && c < 256 && strchr("cwrlio", c) && c) {
		/* the letters in the order of enum fp_stage */
		set_failure(ui, fmt_fp_name((enum fp_stage)(strchr("cwrlio", c) - "cwrlio")));
		return 0;
	}
	switch (c) {
	case 'j': case KEY_DOWN:
		if (review_move_turn(r, 1))
			say(ui, 0, "last turn; J for the next dialogue");
		break;
	case 'k': case KEY_UP:
		review_move_turn(r, -1);
		break;
	case 'J': case ']': case KEY_NPAGE:
		if (review_next_dialogue(r, 1, &err))
			say(ui, !!err.code, "%s", err.code ? err.msg : "last dialogue of the queue");
		ui->top = 0;
		break;
	case 'K': case '[': case KEY_PPAGE:
		if (review_next_dialogue(r, -1, &err))
			say(ui, !!err.code, "%s", err.code ? err.msg : "first dialogue of the queue");
		ui->top = 0;
		break;
	case '\t':
		review_next_field(r, 1);
		break;
	case KEY_BTAB:
		review_next_field(r, -1);
		break;
	case 'a': case 'A': {
		int turn = review_turn(r);

		rc = c == 'a' ? review_accept(r, &err) : review_accept_turn(r, &err);
		if (!rc && review_slots_unsettled(r, turn))
			say(ui, 0, "saved; slots marked ? moved with the words: a confirms them, v edits");
		break;
	}
	case 'x':
		rc = review_reject(r, &err);
		break;
	case 's':
		rc = review_skip(r, &err);
		break;
	case 'e': case '\n': case '\r': case KEY_ENTER:
		correct_field(ui);
		break;
	case 't':
		teach_here(ui);
		break;
	case 'u':
		if ((rc = review_undo(r, &err)) == 1)
			say(ui, 0, "nothing to undo");
		else if (rc == 0)
			say_changed(ui, "undone");
		break;
	case 18:	/* Ctrl-R */
		if ((rc = review_redo(r, &err)) == 1)
			say(ui, 0, "nothing to redo");
		else if (rc == 0)
			say_changed(ui, "redone");
		break;
	case 12:	/* Ctrl-L */
		clearok(curscr, TRUE);
		break;
	case '/': {
		char *line = prompt(ui, "search: ", NULL, NULL);

		if (line && *line) {
			snprintf(ui->needle, sizeof(ui->needle), "%s", line);
			search(ui, 1);
		}
		free(line);
		break;
	}
	case 'R':
		if ((rc = review_take_next(r, &err)) == 1)
			say(ui, 0, "no next turn to take the interpretation from");
		else if (rc == 0)
			say(ui, 0, "took the next turn's intent and slots; failure point set (u undoes each)");
		break;
	case 'n':
		search(ui, 1);
		break;
	case 'N':
		search(ui, -1);
		break;
	case ':':
		return command(ui);
	default:
		if (c >= '1' && c <= '9')
			take_candidate(ui, c - '1');
	}
	if (rc < 0)
		say(ui, 1, "%s", err.msg);
	return 0;
}

int
tui_run(struct review *r, const char *trace, double started_ms, struct dl_error *err)
{
	struct ui ui = { 0 };
	struct sigaction sa;
	SCREEN *scr;
	int c;

	ui.r = r;
	if (trace && !(ui.trace = fopen(trace, "a")))
		return dl_error_set(err, DL_EX_CANTCREAT, trace, 0, NULL, "cannot open the trace file");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* newterm, unlike initscr, returns instead of exiting on an unknown TERM */
	if (!(scr = newterm(NULL, stdout, stdin))) {
		if (ui.trace)
			fclose(ui.trace);
		return dl_error_set(err, DL_EX_IOERR, NULL, 0, NULL,
				    "cannot drive the terminal (TERM=%s)",
				    getenv("TERM") ? getenv("TERM") : "");
	}
	/* raw: Ctrl-C is a key read in order with the others, not a signal
	   that overtakes the keys typed before it */
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(250);
	if (has_colors() && !getenv("NO_COLOR")) {
		ui.color = 1;
		start_color();
		use_default_colors();
		init_pair(1, COLOR_CYAN, -1);
		init_pair(2, COLOR_YELLOW, -1);
		init_pair(3, COLOR_MAGENTA, -1);
		init_pair(4, COLOR_GREEN, -1);
		init_pair(5, COLOR_BLUE, -1);
		init_pair(6, COLOR_RED, -1);
		init_pair(C_BAD, COLOR_RED, -1);
		init_pair(C_GOOD, COLOR_GREEN, -1);
		init_pair(C_FOCUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_DIM, COLOR_BLUE, -1);
		init_pair(C_STATUS, COLOR_BLACK, COLOR_WHITE);
	}
	draw(&ui);
	if (ui.trace) {
		fprintf(ui.trace, "first_screen %.3f\n", clock_ms() - started_ms);
		fflush(ui.trace);	/* a benchmark reads it while we run */
	}
	while (!interrupted) {
		double t0;

		if ((c = getch()) == ERR)
			continue;
		t0 = clock_ms();
		if (handle_key(&ui, c))
			break;
		draw(&ui);
		if (ui.trace) {
			fprintf(ui.trace, "%d %.3f\n", c, clock_ms() - t0);
			fflush(ui.trace);
		}
	}
	endwin();
	delscreen(scr);
	if (ui.trace)
		fclose(ui.trace);
	return 0;
}

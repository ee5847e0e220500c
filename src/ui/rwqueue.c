/* rwqueue.c: the rewrites queue of the review UI (dialab review --queue rewrites). */
#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "dialab/jsonw.h"
#include "dialab/strbuf.h"
#include "dialab/tok.h"
#include "dialab/tui.h"
#include "dialab/utf8.h"
#include "ui-int.h"

#define MAX_EXAMPLES 3

struct rw_item {
	int64_t id;
	char *scope, *user, *from, *to, *status, *provenance;
	long support;
	double p_before, p_after;
};

struct rwq {
	struct store *st;
	const char *annotator;
	struct rw_item *v;
	size_t n, cap, cur, top;
	char msg[512];
	int msg_err, color;
	/* the example sessions of the current rewrite, drawn as lines */
	int64_t shown;
	struct strbuf lines;	/* NUL-separated */
	size_t nlines;
};

static volatile sig_atomic_t rw_interrupted;

static void
on_signal(int sig)
{
	(void)sig;
	rw_interrupted = 1;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int
keep(void *ctx, const struct st_rewrite *r)
{
	struct rwq *q = ctx;
	struct rw_item *it;

	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 64;
		q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
	}
	it = &q->v[q->n++];
	it->id = r->id;
	it->scope = xstrdup(r->scope);
	it->user = dup_or_null(r->user);
	it->from = xstrdup(r->from);
	it->to = xstrdup(r->to);
	it->status = xstrdup(r->status);
	it->provenance = dup_or_null(r->provenance);
	it->support = r->support;
	it->p_before = r->p_before;
	it->p_after = r->p_after;
	return 0;
}

static void free_item(struct rw_item *it);

static void
free_items(struct rwq *q)
{
	size_t i;

	for (i = 0; i < q->n; i++)
		free_item(&q->v[i]);
	free(q->v);
	q->v = NULL;
	q->n = q->cap = 0;
}

/* Proposed ones first (most support first), then the decided ones, by id. */
static int
cmp_item(const void *a, const void *b)
{
	const struct rw_item *x = a, *y = b;
	int px = !strcmp(x->status, "proposed"), py = !strcmp(y->status, "proposed");

	if (px != py)
		return py - px;
	if (px && x->support != y->support)
		return x->support > y->support ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
load(struct rwq *q, struct dl_error *err)
{
	free_items(q);
	if (store_rewrites_each(q->st, NULL, keep, q, err))
		return -1;
	qsort(q->v, q->n, sizeof(*q->v), cmp_item);
	q->shown = 0;
	return 0;
}

/* One rewrite read again by id, into a new one-item queue. */
static int
fetch(struct rwq *q, int64_t id, struct rw_item *out, struct dl_error *err)
{
	struct rwq one;
	struct st_rewrite_query by = { .id = id };

	memset(&one, 0, sizeof(one));
	if (store_rewrites_each(q->st, &by, keep, &one, err))
		return -1;
	if (!one.n) {
		free(one.v);
		return 1;
	}
	*out = one.v[0];
	free(one.v);
	return 0;
}

static void
free_item(struct rw_item *it)
{
	free(it->scope);
	free(it->user);
	free(it->from);
	free(it->to);
	free(it->status);
	free(it->provenance);
}

/* Read the current rewrite again, where it is in the queue: the queue keeps its order. */
static int
reread(struct rwq *q, struct dl_error *err)
{
	struct rw_item it;
	int rc = fetch(q, q->v[q->cur].id, &it, err);

	if (rc)
		return rc < 0 ? -1 : 0;
	free_item(&q->v[q->cur]);
	q->v[q->cur] = it;
	q->shown = 0;
	return 0;
}

/* Put rewrite id (new, or moved) right after the current one. */
static int
insert_after(struct rwq *q, int64_t id, struct dl_error *err)
{
	struct rw_item it;
	size_t i;
	int rc;

	for (i = 0; i < q->n; i++)
		if (q->v[i].id == id) {	/* already in the queue: go to it */
			q->cur = i;
			return reread(q, err);
		}
	if ((rc = fetch(q, id, &it, err)))
		return rc < 0 ? -1 : 0;
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 64;
		q->v = xrealloc(q->v, q->cap * sizeof(*q->v));
	}
	memmove(q->v + q->cur + 2, q->v + q->cur + 1, (q->n - q->cur - 1) * sizeof(*q->v));
	q->v[q->cur + 1] = it;
	q->n++;
	q->cur++;
	q->shown = 0;
	return 0;
}

/* ---- Drawing ---- */

/* Draw s (made safe) on one line at y, x, in at most w columns. */
static void
put(int y, int x, int w, const char *s, attr_t a)
{
	ui_draw_text(y, x, w, 1, s ? s : "", NULL, a);
}

static void
add_line(struct rwq *q, const char *s)
{
	sb_add(&q->lines, s, strlen(s));
	sb_addc(&q->lines, '\0');
	q->nlines++;
}

struct ex_ctx {
	struct rwq *q;
};

static int
example(void *ctx, const struct st_dialogue *d, const struct st_turn *turns, size_t n,
	const struct st_label *labels, size_t nlabels, struct dl_error *err)
{
	struct rwq *q = ctx;
	struct strbuf sb;
	size_t i;

	(void)labels;
	(void)nlabels;
	(void)err;
	sb_init(&sb);
	sb_addf(&sb, "%s (user %s)", d->ext_id, d->user ? d->user : "-");
	add_line(q, sb.buf);
	for (i = 0; i < n && i < 6; i++) {
		sb_reset(&sb);
		sb_addf(&sb, "  you: \"%s\"", turns[i].text ? turns[i].text : "");
		if (turns[i].barge_in == 1)
			sb_adds(&sb, " (barged in)");
		add_line(q, sb.buf);
		if (turns[i].response) {
			sb_reset(&sb);
			sb_addf(&sb, "      assistant: \"%s\"", turns[i].response);
			add_line(q, sb.buf);
		}
	}
	sb_release(&sb);
	return 0;
}

/* The example sessions of the current rewrite, read once per rewrite. */
static void
examples(struct rwq *q)
{
	struct rw_item *it = &q->v[q->cur];
	struct dl_error err = { 0 };
	json_t *p, *ex, *v;
	size_t i;

	if (q->shown == it->id)
		return;
	q->shown = it->id;
	sb_reset(&q->lines);
	q->nlines = 0;
	p = it->provenance ? jw_parse(it->provenance) : NULL;
	if (p && !strcmp(json_string_value(json_object_get(p, "kind")) ?
			 json_string_value(json_object_get(p, "kind")) : "", "taught")) {
		struct strbuf sb;

		sb_init(&sb);
		sb_addf(&sb, "taught by %s in a teachable moment: \"%s\"", it->user ? it->user : "?",
			json_string_value(json_object_get(p, "said")) ?
			json_string_value(json_object_get(p, "said")) : "");
		add_line(q, sb.buf);
		sb_release(&sb);
	}
	ex = p ? json_object_get(p, "examples") : NULL;
	json_array_foreach(ex, i, v) {
		int64_t id;

		if (i >= MAX_EXAMPLES || !json_is_string(v))
			break;
		if ((id = store_dialogue_find(q->st, json_string_value(v), &err)) > 0)
			store_dialogue_get(q->st, id, LF_ALL, example, q, &err);
	}
	json_decref(p);
}

static void
draw(struct rwq *q)
{
	int h, w, y, listh;
	size_t i, proposed = 0;
	char buf[256];
	const char *s;

	getmaxyx(stdscr, h, w);
	erase();
	for (i = 0; i < q->n; i++)
		proposed += !strcmp(q->v[i].status, "proposed");
	snprintf(buf, sizeof(buf), "dialab review: rewrites queue  %zu proposed of %zu  annotator %s",
		 proposed, q->n, q->annotator);
	put(0, 0, w, buf, A_BOLD);
	if (!q->n) {
		put(2, 1, w - 2, "No rewrites. 'dialab rewrites mine' finds them in the logs.", A_NORMAL);
	} else {
		struct rw_item *it;

		listh = h / 3 < 3 ? 3 : h / 3;
		if (q->cur < q->top)
			q->top = q->cur;
		if (q->cur >= q->top + (size_t)listh)
			q->top = q->cur - (size_t)listh + 1;
		for (i = q->top, y = 2; i < q->n && y < 2 + listh; i++, y++) {
			struct strbuf sb;

			it = &q->v[i];
			sb_init(&sb);
			sb_addf(&sb, "%c #%-4lld %-8s %-8s %-6s %4ld  %s -> %s", i == q->cur ? '>' : ' ',
				(long long)it->id, it->status, it->scope, it->user ? it->user : "-",
				it->support, it->from, it->to);
			put(y, 0, w, sb.buf, i == q->cur ? A_REVERSE : A_NORMAL);
			sb_release(&sb);
		}
		it = &q->v[q->cur];
		y = 3 + listh;
		put(y++, 1, w - 2, "original", A_BOLD);
		put(y++, 3, w - 4, it->from, A_NORMAL);
		put(y++, 1, w - 2, "rewrite", A_BOLD);
		put(y++, 3, w - 4, it->to, q->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
		snprintf(buf, sizeof(buf), "%s%s%s  status %s  support %ld session%s  P(success) %s",
			 it->scope, it->user ? " of " : "", it->user ? it->user : "", it->status,
			 it->support, it->support == 1 ? "" : "s", "");
		{
			char pb[16], pa[16];

			snprintf(pb, sizeof(pb), it->p_before >= 0 ? "%.2f" : "?", it->p_before);
			snprintf(pa, sizeof(pa), it->p_after >= 0 ? "%.2f" : "?", it->p_after);
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s -> %s", pb, pa);
		}
		put(y++, 1, w - 2, buf, A_NORMAL);
		y++;
		examples(q);
		if (q->nlines)
			put(y++, 1, w - 2, "example sessions", A_BOLD);
		for (i = 0, s = q->lines.buf; i < q->nlines && y < h - 2; i++, s += strlen(s) + 1)
			put(y++, 3, w - 4, s, A_NORMAL);
	}
	put(h - 2, 0, w, q->msg, q->msg_err ? A_BOLD | (q->color ? COLOR_PAIR(6) : A_REVERSE) :
	    A_BOLD);
	put(h - 1, 0, w, "a accept  x reject  e edit  u undo  j/k move  ? help  q quit",
	    q->color ? A_DIM : A_NORMAL);
	refresh();
}

/* ---- Keys ---- */

static void
say(struct rwq *q, int is_err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
say(struct rwq *q, int is_err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->msg, sizeof(q->msg), fmt, ap);
	va_end(ap);
	q->msg_err = is_err;
}

/* The next proposed rewrite after the current one (round to the first), else the current. */
static void
next_proposed(struct rwq *q)
{
	size_t k, i;

	for (k = 1; k < q->n; k++) {
		i = (q->cur + k) % q->n;
		if (!strcmp(q->v[i].status, "proposed")) {
			q->cur = i;
			return;
		}
	}
}

static int
decide(struct rwq *q, const char *action, struct dl_error *err)
{
	struct rw_item *it = &q->v[q->cur];
	int64_t id = it->id;
	int rc;

	if (store_begin(q->st, err))
		return -1;
	rc = store_rewrite_decide(q->st, id, action, q->annotator, err);
	if (rc < 0 || store_commit(q->st, err)) {
		store_rollback(q->st);
		return -1;
	}
	if (rc == 2)
		say(q, 1, "#%lld: nothing of yours to undo", (long long)id);
	else if (rc == 0)
		say(q, 0, "#%lld is %s already", (long long)id, it->status);
	if (reread(q, err))
		return -1;
	if (rc == 1) {
		say(q, 0, "#%lld %s: %s", (long long)id, !strcmp(action, "undo") ? "back to" : "now",
		    q->v[q->cur].status);
		if (strcmp(action, "undo"))
			next_proposed(q);
	}
	return 0;
}

/* Read a line at the bottom of the screen, starting from init; 0 when Enter, -1 Esc. */
static int
prompt(const char *label, const char *init, struct strbuf *out)
{
	int h, w;
	wint_t c;

	sb_reset(out);
	sb_adds(out, init);
	curs_set(1);
	for (;;) {
		int r;

		getmaxyx(stdscr, h, w);
		move(h - 1, 0);
		clrtoeol();
		put(h - 1, 0, w, label, A_BOLD);
		put(h - 1, (int)strlen(label), w - (int)strlen(label) - 1, out->buf, A_NORMAL);
		refresh();
		if ((r = get_wch(&c)) == ERR) {
			if (rw_interrupted)
				break;
			continue;
		}
		if (r == KEY_CODE_YES) {
			if (c == KEY_BACKSPACE)
				goto backspace;
			continue;
		}
		if (c == 27) {
			curs_set(0);
			return -1;
		}
		if (c == '\r' || c == '\n') {
			curs_set(0);
			return 0;
		}
		if (c == 127 || c == 8) {
backspace:
			while (out->len && ((unsigned char)out->buf[out->len - 1] & 0xc0) == 0x80)
				out->len--;
			if (out->len)
				out->len--;
			out->buf[out->len] = '\0';
			continue;
		}
		if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) {
			char enc[8];
			size_t k = utf8_encode((uint32_t)c, enc);

			sb_add(out, enc, k);
		}
	}
	curs_set(0);
	return -1;
}

/* e: say what the rewrite should be; stored as an accepted rewrite of the same source. */
static int
edit(struct rwq *q, struct dl_error *err)
{
	struct rw_item *it = &q->v[q->cur];
	struct strbuf line, norm, prov;
	struct st_rewrite r = { 0 };
	int64_t old = it->id;
	json_t *p;
	int rc = 0;

	sb_init(&line);
	sb_init(&norm);
	sb_init(&prov);
	if (prompt("rewrite to: ", it->to, &line)) {
		say(q, 0, "edit cancelled");
		goto out;
	}
	tok_norm(&norm, line.buf);
	sb_adds(&norm, "");
	if (!norm.len || !strcmp(norm.buf, it->from)) {
		say(q, 1, "not changed: the rewrite must say something other than the original");
		goto out;
	}
	p = json_pack("{s:s,s:I,s:s}", "kind", "edited", "rewrite", (json_int_t)old, "by",
		      q->annotator);
	{	/* the sessions it came from stay its examples */
		json_t *was = it->provenance ? jw_parse(it->provenance) : NULL;

		if (json_is_array(json_object_get(was, "examples")))
			json_object_set(p, "examples", json_object_get(was, "examples"));
		json_decref(was);
	}
	jw_value(&prov, p);
	json_decref(p);
	r.scope = it->scope;
	r.user = it->user;
	r.from = it->from;
	r.to = norm.buf;
	r.support = it->support;
	r.p_before = it->p_before;
	r.p_after = -1;
	r.provenance = prov.buf;
	if (store_begin(q->st, err)) {
		rc = -1;
		goto out;
	}
	if (!strcmp(norm.buf, it->to)) {
		rc = store_rewrite_decide(q->st, old, "accept", q->annotator, err) < 0 ? -1 : 0;
	} else if (store_rewrite_put(q->st, &r, err) < 0 ||
		   store_rewrite_decide(q->st, r.id, "accept", q->annotator, err) < 0 ||
		   store_rewrite_decide(q->st, old, "reject", q->annotator, err) < 0) {
		rc = -1;
	}
	if (rc || store_commit(q->st, err)) {
		store_rollback(q->st);
		rc = -1;
		goto out;
	}
	if (!strcmp(norm.buf, it->to))
		say(q, 0, "#%lld now: accepted (the same words)", (long long)old);
	else
		say(q, 0, "#%lld rejected; #%lld accepted instead: \"%s\"", (long long)old,
		    (long long)r.id, norm.buf);
	rc = reread(q, err);
	if (!rc && r.id && r.id != old)
		rc = insert_after(q, r.id, err);
out:
	sb_release(&line);
	sb_release(&norm);
	sb_release(&prov);
	return rc;
}

static const char help_text[] =
	"The rewrites queue: rewrites mined from users' rephrases, proposed first.\n"
	"  a        accept: dialab resolve applies it from now on\n"
	"  x        reject: it never fires\n"
	"  e        edit what it rewrites to (accepted as a new rewrite; this one rejected)\n"
	"  u        undo your last decision on this rewrite\n"
	"  j k      next, previous (also the arrow keys); g G first, last\n"
	"  q        quit\n"
	"Every decision is logged; 'dialab rewrites list' shows them all.\n"
	"Press any key.";

static void
help(struct rwq *q)
{
	const char *s = help_text;
	int y = 1, h, w;

	(void)q;
	getmaxyx(stdscr, h, w);
	erase();
	while (*s && y < h) {
		const char *e = strchr(s, '\n');
		char line[256];
		size_t n = e ? (size_t)(e - s) : strlen(s);

		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		put(y, 1, w - 2, line, y == 1 ? A_BOLD : A_NORMAL);
		y++;
		s += n + (e != NULL);
	}
	refresh();
	while (getch() == ERR && !rw_interrupted)
		;
}

/* 1: quit. */
static int
key(struct rwq *q, int c, struct dl_error *err)
{
	q->msg[0] = '\0';
	q->msg_err = 0;
	switch (c) {
	case 'q':
	case 3:		/* Ctrl-C in raw mode */
		return 1;
	case 'j':
	case KEY_DOWN:
		if (q->cur + 1 < q->n)
			q->cur++;
		return 0;
	case 'k':
	case KEY_UP:
		if (q->cur)
			q->cur--;
		return 0;
	case 'g':
	case KEY_HOME:
		q->cur = 0;
		return 0;
	case 'G':
	case KEY_END:
		q->cur = q->n ? q->n - 1 : 0;
		return 0;
	case '?':
		help(q);
		return 0;
	}
	if (!q->n)
		return 0;
	switch (c) {
	case 'a':
		return decide(q, "accept", err) ? -1 : 0;
	case 'x':
		return decide(q, "reject", err) ? -1 : 0;
	case 'u':
		return decide(q, "undo", err) ? -1 : 0;
	case 'e':
		return edit(q, err);
	}
	return 0;
}

int
tui_rewrites(struct store *st, const char *annotator, struct dl_error *err)
{
	struct rwq q;
	struct sigaction sa;
	SCREEN *scr;
	int c, rc = 0;

	memset(&q, 0, sizeof(q));
	q.st = st;
	q.annotator = annotator;
	sb_init(&q.lines);
	if (load(&q, err)) {
		sb_release(&q.lines);
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!(scr = newterm(NULL, stdout, stdin))) {
		free_items(&q);
		sb_release(&q.lines);
		return dl_error_set(err, DL_EX_IOERR, NULL, 0, NULL,
				    "cannot drive the terminal (TERM=%s)",
				    getenv("TERM") ? getenv("TERM") : "");
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	timeout(250);
	if (has_colors() && !getenv("NO_COLOR")) {
		q.color = 1;
		start_color();
		use_default_colors();
		init_pair(2, COLOR_YELLOW, -1);
		init_pair(6, COLOR_RED, -1);
	}
	draw(&q);
	while (!rw_interrupted) {
		if ((c = getch()) == ERR)
			continue;
		if ((rc = key(&q, c, err)) != 0)
			break;
		draw(&q);
	}
	endwin();
	delscreen(scr);
	free_items(&q);
	sb_release(&q.lines);
	return rc < 0 ? -1 : 0;
}

/* A teaching session on the terminal (GNU readline) or on a stream. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "dialab/strbuf.h"
#include "dialab/teach.h"
#include "dialab/utf8.h"

static const struct teach *rl_teach;

/* Data text on the terminal: control characters as ^X, never raw. */
static void
put_line(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			fprintf(f, "^%c", c == 0x7f ? '?' : c + '@');
		else
			fputc(c, f);
	}
	fputc('\n', f);
}

static void
show(const json_t *ev, int json)
{
	const json_t *v;
	size_t i;

	if (json) {
		char *s = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);

		puts(s);
		free(s);
	} else {
		json_array_foreach(json_object_get(ev, "output"), i, v)
			put_line(stdout, json_string_value(v));
	}
	fflush(stdout);
}

/*
 * Tab completion of a catalog value that may span several words: the
 * longest tail of the line before the cursor, from a word start, that
 * begins some alias.  Matches are the whole line with the alias in.
 */
static char **
complete(const char *text, int start, int end)
{
	const char *const *w;
	size_t nw, i, p, lo, n;
	char **m = NULL;
	size_t nm = 0;
	struct strbuf low;

	(void)text;
	(void)start;
	rl_attempted_completion_over = 1;
	if (!rl_teach)
		return NULL;
	w = teach_words(rl_teach, &nw);
	sb_init(&low);
	for (p = 0; p <= (size_t)end && !nm; p++) {
		if (p && rl_line_buffer[p - 1] != ' ')
			continue;
		sb_reset(&low);
		for (i = p; i < (size_t)end; i++)
			sb_addc(&low, (char)((rl_line_buffer[i] >= 'A' && rl_line_buffer[i] <= 'Z') ?
					     rl_line_buffer[i] + 32 : rl_line_buffer[i]));
		if (!low.buf)
			sb_adds(&low, "");
		n = low.len;
		if (!n && p != (size_t)end)
			continue;
		for (lo = 0; lo < nw; lo++) {
			if (strncmp(w[lo], low.buf, n))
				continue;
			m = xrealloc(m, (nm + 3) * sizeof(char *));
			{
				struct strbuf sb;

				sb_init(&sb);
				sb_add(&sb, rl_line_buffer, p);
				sb_adds(&sb, w[lo]);
				m[1 + nm++] = sb.buf;
			}
			if (nm >= 200)
				break;
		}
	}
	sb_release(&low);
	if (!nm)
		return NULL;
	/* m[0]: the longest common prefix of the matches, as readline wants. */
	{
		size_t k = strlen(m[1]);

		for (i = 2; i <= nm; i++) {
			size_t j = 0;

			while (j < k && m[i][j] == m[1][j])
				j++;
			k = j;
		}
		m[0] = xmalloc(k + 1);
		memcpy(m[0], m[1], k);
		m[0][k] = 0;
		if (nm == 1) {
			free(m[0]);
			m[0] = m[1];
			m[1] = NULL;
			return m;
		}
	}
	m[nm + 1] = NULL;
	return m;
}

/* Show only the alias part of each match when listing them. */
static void
show_matches(char **matches, int n, int max)
{
	int i;

	(void)max;
	fputc('\n', rl_outstream);
	for (i = 1; i <= n && i <= 40; i++) {
		const char *s = matches[i], *sp = s + rl_point;

		/* The matches share the line up to where the alias starts. */
		while (sp > s && sp[-1] != ' ')
			sp--;
		fprintf(rl_outstream, "  %s\n", sp > s + strlen(s) ? s : sp);
	}
	if (n > 40)
		fprintf(rl_outstream, "  ... and %d more\n", n - 40);
	rl_forced_update_display();
}

static char *
read_tty(const char *prompt)
{
	rl_getc_function = rl_getc;
	rl_redisplay_function = rl_redisplay;
	rl_prep_term_function = rl_prep_terminal;
	rl_deprep_term_function = rl_deprep_terminal;
	rl_input_available_hook = NULL;
	rl_startup_hook = NULL;
	rl_outstream = stdout;
	rl_instream = stdin;
	rl_catch_signals = 1;
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = "\n";	/* the whole line: aliases span words */
	rl_completion_display_matches_hook = show_matches;
	rl_completion_append_character = ' ';
	return readline(prompt);
}

/*
 * The history of teaching sessions on a terminal, kept across them in
 * $XDG_STATE_HOME/dialab/teach_history (~/.local/state/... by default).
 * A session has a history list of its own: the review UI's prompt
 * history is put aside while it runs and comes back after.
 */
struct hist {
	HISTORY_STATE *outer;	/* the list put aside */
	char *path;		/* NULL: nowhere to keep it */
	int added;		/* lines added in this session */
	char problem[300];	/* why it could not be kept, or "" */
};

/* Create dir and the folders above it that are missing. */
static int
make_dirs(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static void
hist_begin(struct hist *h)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	HISTORY_STATE empty;
	struct strbuf dir;

	memset(h, 0, sizeof(*h));
	h->outer = history_get_history_state();
	memset(&empty, 0, sizeof(empty));
	history_set_history_state(&empty);
	sb_init(&dir);
	/* The XDG base directory spec: a relative $XDG_STATE_HOME is ignored. */
	if (state && state[0] == '/')
		sb_addf(&dir, "%s/dialab", state);
	else if (home && home[0] == '/')
		sb_addf(&dir, "%s/.local/state/dialab", home);
	if (dir.len) {
		if (make_dirs(dir.buf) == 0) {
			sb_adds(&dir, "/" TEACH_HISTORY_FILE);
			h->path = xstrdup(dir.buf);
			read_history(h->path);	/* none yet is fine */
		} else {
			snprintf(h->problem, sizeof(h->problem), "%s: %s", dir.buf,
				 strerror(errno));
		}
	}
	sb_release(&dir);
	using_history();
}

static void
hist_add(struct hist *h, const char *line)
{
	add_history(line);
	h->added++;
}

/* Keep the session's lines (the newest TEACH_HISTORY_MAX) and bring back the list put aside. */
static void
hist_end(struct hist *h)
{
	HISTORY_STATE *inner;
	int e = 0;

	if (h->path && h->added) {
		e = access(h->path, F_OK) == 0 ? append_history(h->added, h->path) :
		    write_history(h->path);
		if (!e)
			e = history_truncate_file(h->path, TEACH_HISTORY_MAX);
		if (e)
			snprintf(h->problem, sizeof(h->problem), "%s: %s", h->path, strerror(e));
	}
	inner = history_get_history_state();
	clear_history();
	free(inner->entries);
	free(inner);
	history_set_history_state(h->outer);
	free(h->outer);
	free(h->path);
}

/* One line of in without its newline, or NULL at the end; *toolong when cut. */
static char *
read_stream(FILE *in, int *toolong)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);

	*toolong = 0;
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	if ((size_t)n > TEACH_MAX_LINE)
		*toolong = (int)(n > 99999 ? 99999 : n);
	return line;
}

int
teach_run(struct store *st, const struct teach_opts *o, FILE *in, int interactive, int json,
	  struct dl_error *err)
{
	struct teach *t = teach_open(st, o, err);
	struct hist h;
	json_t *ev;
	long lineno = 0;
	int rc = 0;

	if (!t)
		return -1;
	show((ev = teach_event(t)), json);
	json_decref(ev);
	rl_teach = t;
	if (interactive)
		hist_begin(&h);
	for (;;) {
		const char *prompt = teach_prompt(t);
		int toolong = 0, r;
		char *line = interactive ? read_tty(prompt) : read_stream(in, &toolong);

		if (!line)
			break;
		lineno++;
		if (strlen(line) > TEACH_MAX_LINE)
			toolong = 1;
		if (!interactive && !json) {
			fputs(prompt, stdout);
			put_line(stdout, toolong ? "(a line too long to show)" :
				 utf8_invalid_at(line, strlen(line)) >= 0 ? "(a line that is not UTF-8)" :
				 line);
		}
		if (toolong || utf8_invalid_at(line, strlen(line)) >= 0) {
			json_t *e = json_pack("{s:i,s:[s]}", "line", (int)lineno, "output",
					      toolong ? "Not read: the line is too long (over 1000"
					      " bytes)." : "Not read: the line is not valid UTF-8.");

			show(e, json);
			json_decref(e);
			free(line);
			continue;
		}
		if (interactive && *line)
			hist_add(&h, line);
		r = teach_line(t, line, err);
		free(line);
		ev = teach_event(t);
		if (!interactive)
			json_object_set_new(ev, "line", json_integer(lineno));
		show(ev, json);
		json_decref(ev);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			break;
	}
	rl_teach = NULL;
	teach_close(t, &ev);
	if (interactive) {
		char msg[400];

		hist_end(&h);
		snprintf(msg, sizeof(msg), "(The lines of this session were not kept for the next:"
			 " %s.)", h.problem);
		if (h.problem[0])
			json_array_append_new(json_object_get(ev, "output"), json_string(msg));
	}
	if (interactive && !json && !rc)
		json_array_append_new(json_object_get(ev, "output"), json_string("Bye."));
	show(ev, json);
	json_decref(ev);
	return rc;
}

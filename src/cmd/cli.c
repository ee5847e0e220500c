#include "dialab/cli.h"

#include "dialab/clock.h"
#include "dialab/jsonw.h"
#include "dialab/utf8.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct cli_global cli;

static int
common_opt(int ch, const char *arg, const char *cmd, int *done)
{
	char page[64];

	switch (ch) {
	case CLI_OPT_DB:
		cli.db = arg;
		cli.db_given = cli.db_option = 1;
		return 1;
	case CLI_OPT_ANNOTATOR:
		cli.annotator = arg;
		return 1;
	case CLI_OPT_HELP:
		snprintf(page, sizeof(page), "dialab-%s", cmd);
		*done = 1 + cli_show_man(page, 1);
		return 1;
	}
	return 0;
}

/* After getopt_long() returned '?': name the offending argument, print the usage. */
static int
bad_option(const char *cmd, const char *usage, char **argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (optopt && optopt < 0x100 && strncmp(arg, "--", 2))
		return cli_usage(cmd, usage, "unknown option '-%c' or its argument missing", optopt);
	return cli_usage(cmd, usage, "unknown option '%s' or its argument missing", arg);
}

int
cli_getopt(struct cli_opts *o, int argc, char **argv)
{
	const char *name = cli.command ? cli.command->name : "dialab";
	int ch, done = 0;

	if (!o->started) {	/* a command may run another: start over */
		o->started = 1;
		optind = 0;
		opterr = 0;
	}
	while ((ch = getopt_long(argc, argv, o->shorts, o->longs, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			o->status = bad_option(name, o->usage, argv);
			return -1;
		}
		if (!common_opt(ch, optarg, name, &done))
			return ch;
		if (done) {
			o->status = done - 1;
			return -1;
		}
	}
	if (o->operands != CLI_ANY && argc - optind > o->operands) {
		o->status = cli_usage(name, o->usage, "unexpected argument '%s'",
				      argv[optind + o->operands]);
		return -1;
	}
	return 0;
}

int
cli_error(const char *cmd, const struct dl_error *err)
{
	char buf[1024];

	fprintf(stderr, "dialab %s: %s\n", cmd, dl_error_str(err, buf, sizeof(buf)));
	return err->code ? err->code : DL_EX_SOFTWARE;
}

int
cli_usage(const char *cmd, const char *usage, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "dialab %s: ", cmd);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%s\n", usage);
	return DL_EX_USAGE;
}

int
cli_open_store(const char *cmd, enum store_mode mode, struct store **st)
{
	struct dl_error err = { 0 };

	if (store_open(st, cli.db, mode, &err))
		return cli_error(cmd, &err);
	return 0;
}

int
cli_open(const struct cli_opts *o, struct store **st)
{
	const struct cli_command *c = cli.command;

	if ((c->needs & CMD_TTY) && (!cli_isatty(0) || !cli_isatty(1)))
		return cli_usage(c->name, o->usage, "needs a terminal (standard input and output)");
	return cli_open_store(c->name, c->store, st);
}

void
cli_print_json(json_t *o)
{
	struct strbuf sb;

	sb_init(&sb);
	jw_value(&sb, o);
	puts(sb.buf);
	sb_release(&sb);
	json_decref(o);
}

/* Characters that change how a terminal shows text, not what it shows. */
static int
hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

const char *
cli_safe_str(const char *s)
{
	static struct strbuf ring[8];
	static unsigned next;

	return s ? cli_safe(&ring[next++ % 8], s) : NULL;
}

const char *
cli_safe(struct strbuf *out, const char *s)
{
	size_t n = s ? strlen(s) : 0, i = 0;

	sb_reset(out);
	sb_adds(out, "");
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);

		if (!len) {
			sb_addf(out, "\\x{%02X}", (unsigned char)s[i]);
			i++;
			continue;
		}
		if (hidden(cp))
			sb_addf(out, "\\u{%04X}", (unsigned)cp);
		else
			sb_add(out, s + i, len);
		i += len;
	}
	return out->buf;
}

int
cli_isatty(int fd)
{
	return isatty(fd);
}

/* The page in the source tree beside the binary, or the installed one. */
static int
find_man(const char *page, int section, char *out, size_t n)
{
	char exe[PATH_MAX], *slash;
	struct stat sb;
	ssize_t len;

	if ((len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')))
			*slash = '\0';
		snprintf(out, n, "%s/man/%s.%d", exe, page, section);
		if (stat(out, &sb) == 0)
			return 0;
		/* build/san/dialab: two levels below the tree */
		snprintf(out, n, "%s/../../man/%s.%d", exe, page, section);
		if (stat(out, &sb) == 0)
			return 0;
		/* installed under some PREFIX: PREFIX/bin and PREFIX/share/man */
		snprintf(out, n, "%s/../share/man/man%d/%s.%d", exe, section, page, section);
		if (stat(out, &sb) == 0)
			return 0;
	}
	snprintf(out, n, "%s/man%d/%s.%d", DIALAB_MANDIR, section, page, section);
	return stat(out, &sb) == 0 ? 0 : -1;
}

int
cli_show_man(const char *page, int section)
{
	char path[PATH_MAX + 64];
	pid_t pid;
	int status;

	if (find_man(page, section, path, sizeof(path))) {
		fprintf(stderr, "dialab: no manual page %s(%d) installed\n", page, section);
		return DL_EX_NOINPUT;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		execlp("man", "man", "-l", path, (char *)NULL);
		execlp("mandoc", "mandoc", "-a", path, (char *)NULL);
		fprintf(stderr, "dialab: neither man nor mandoc found; the manual is %s\n", path);
		_exit(DL_EX_NOINPUT);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return DL_EX_SOFTWARE;
	return WIFEXITED(status) ? WEXITSTATUS(status) : DL_EX_SOFTWARE;
}

void
cli_progress_init(struct cli_progress *p, const char *cmd)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->tty = cli_isatty(2);
	p->start = clock_now();
}

void
cli_progress(void *ctx, const char *what, long done, long total)
{
	struct cli_progress *p = ctx;
	double t = clock_now();

	if (!p->tty || (t - p->last < 0.25 && done < total))
		return;
	p->last = t;
	fprintf(stderr, "\r\033[K%s: %s", p->cmd, what);
	if (total > 0 && done > 0) {
		double share = (double)done / (double)total;

		fprintf(stderr, " %ld/%ld, %.0f%%", done, total, 100 * share);
		if (share < 1)
			fprintf(stderr, ", about %.0f s left", (t - p->start) * (1 - share) / share);
	}
	p->shown = 1;
}

void
cli_progress_clear(struct cli_progress *p)
{
	if (p->tty && p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}

#ifndef DIALAB_ERROR_H
#define DIALAB_ERROR_H

/* Exit codes from sysexits(3); DESIGN.md section 9. */
enum {
	EX_OK_ = 0,
	DL_EX_USAGE = 64,
	DL_EX_DATAERR = 65,
	DL_EX_NOINPUT = 66,
	DL_EX_SOFTWARE = 70,
	DL_EX_CANTCREAT = 73,
	DL_EX_IOERR = 74,
	DL_EX_TEMPFAIL = 75
};

/*
 * What went wrong, where.  Library functions fill one of these and
 * return -1; only main() and the commands print it.
 */
struct dl_error {
	int code;		/* one of the DL_EX_* codes */
	char file[256];		/* input file, "" when none */
	long line;		/* 1-based; 0 when unknown */
	char path[128];		/* JSON path, e.g. "$.turns[2].text" */
	char msg[512];		/* what was expected and what was found */
};

/* Reset err to "no error". */
void dl_error_clear(struct dl_error *err);

/*
 * Record an error.  file and path may be NULL.  Always returns -1 so
 * callers can write "return dl_error_set(...);".
 */
int dl_error_set(struct dl_error *err, int code, const char *file, long line,
		 const char *path, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Format err as "file:line: path: msg" (the parts that are known) into
 * buf of size n.  Returns buf.
 */
char *dl_error_str(const struct dl_error *err, char *buf, unsigned long n);

#endif

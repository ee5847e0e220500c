#ifndef DIALAB_STRBUF_H
#define DIALAB_STRBUF_H

#include <stddef.h>

/*
 * A growable, always NUL-terminated byte buffer.  Caller-owned:
 * sb_init() before use, sb_release() after.  Running out of memory
 * aborts the program (there is nothing sensible to recover).
 */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);
/* Empty the buffer, keeping its memory. */
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Index of s in names[0..n), or -1: the lookup of every name table. */
int str_index(const char *const *names, size_t n, const char *s);

/* malloc/realloc/strdup that abort when memory runs out. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif

#include "dialab/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
dl_error_clear(struct dl_error *err)
{
	memset(err, 0, sizeof(*err));
}

int
dl_error_set(struct dl_error *err, int code, const char *file, long line,
	     const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

char *
dl_error_str(const struct dl_error *err, char *buf, unsigned long n)
{
	size_t len = 0;

	buf[0] = '\0';
	if (err->file[0])
		len += (size_t)snprintf(buf, n, "%s:", err->file);
	if (err->line > 0 && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%ld:", err->line);
	if (len && len < n)
		len += (size_t)snprintf(buf + len, n - len, " ");
	if (err->path[0] && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%s: ", err->path);
	if (len < n)
		snprintf(buf + len, n - len, "%s", err->msg);
	return buf;
}

#ifndef DIALAB_CLOCK_H
#define DIALAB_CLOCK_H

#include <stddef.h>

/* Time, in the forms dialab needs. */

/* Wall-clock Unix seconds with microseconds: what the database records. */
double clock_now(void);

/* Milliseconds on the monotonic clock: for durations (traces, progress). */
double clock_ms(void);

/*
 * The broken-down local time of tt in the IANA zone tz ("Europe/Paris"),
 * or in the process's zone when tz is NULL, empty or not a zone name.
 */
struct tm;
void clock_local(const char *tz, long long tt, struct tm *tm);

/*
 * Unix seconds t as local time "2026-01-31 18:05" into buf (n bytes;
 * 17 are enough): how dialab shows when a preference was taught.
 * Returns buf.
 */
char *clock_format(double t, char *buf, size_t n);

#endif

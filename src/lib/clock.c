#include "dialab/clock.h"
#include "dialab/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

double
clock_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

double
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

void
clock_local(const char *tz, long long t, struct tm *tm)
{
	time_t tt = (time_t)t;
	char *old;

	if (!tz || !*tz || strlen(tz) > 64 || strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"abcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(tz)) {
		localtime_r(&tt, tm);
		return;
	}
	old = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&tt, tm);
	if (old)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

char *
clock_format(double t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (!n || !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
		snprintf(buf, n, "?");
	return buf;
}

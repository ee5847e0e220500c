/* Time as dialab shows it: one formatter for when a preference was taught. */
#include "dialab/clock.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

int
main(void)
{
	char buf[32], tiny[8];

	setenv("TZ", "UTC", 1);
	tzset();
	is_str(clock_format(0, buf, sizeof(buf)), "1970-01-01 00:00", "the epoch in UTC");
	is_str(clock_format(1769882700.9, buf, sizeof(buf)), "2026-01-31 18:05",
	       "seconds are dropped, not rounded up");
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	is_str(clock_format(0, buf, sizeof(buf)), "1970-01-01 05:30", "in the local zone");
	ok(clock_format(0, buf, sizeof(buf)) == buf, "returns the buffer");
	is_str(clock_format(0, tiny, sizeof(tiny)), "?", "a buffer too small gets '?', not a cut date");
	return done_testing();
}

#ifndef DIALAB_CLOCK_H
#define DIALAB_CLOCK_H

/* Time, in the two forms dialab needs. */

/* Wall-clock Unix seconds with microseconds: what the database records. */
double clock_now(void);

/* Milliseconds on the monotonic clock: for durations (traces, progress). */
double clock_ms(void);

#endif

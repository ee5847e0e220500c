#ifndef DIALAB_HABITS_H
#define DIALAB_HABITS_H

#include <jansson.h>

#include "dialab/error.h"
#include "dialab/store.h"

/*
 * Habits (DESIGN.md section 8): what a user's own requests that worked
 * said, learnt from the logs, for the slots a new request leaves open.
 * "play music" from a user whose played genres were jazz eight times in
 * ten is jazz; "start brewing" after the alarm, from a user who starts
 * the coffee maker after the alarm, is the coffee maker.
 *
 * A request that worked is a turn rewrite mining counts as a success
 * (rw_turn_worked(): no failure point, error prompt, barge-in, "no" or
 * restatement after it).  Its interpretation is the human or gold
 * answer where there is one, else the live NLU's.  For each intent and
 * slot, habits count how many requests gave the slot a value (m) and
 * how many this value (n): always (condition ""), and under each feature
 * of the turn's context (context.h: "prev=alarm_off", "device=car",
 * "hour=morning").
 */

/* A habit is used when at least HABIT_MIN_N requests say it, and HABIT_MIN_SHARE of them. */
#define HABIT_MIN_N 3
#define HABIT_MIN_SHARE 0.6

/*
 * Learn the habits of user (NULL: every user) from the database and
 * store them in place of the old ones, in one transaction.  Returns
 * {"users", "requests" (turns that worked, with an intent), "habits"
 * (rows stored), "seconds"}, or NULL with err set.
 */
json_t *habits_learn(struct store *st, const char *user, struct dl_error *err);

/*
 * The habits that answer the slots of intent for user in context ctx (a
 * context.h list, or NULL): {slot: {"value", "cond", "n", "m"}} with,
 * for each slot, the habit of a condition the context holds (or of ""),
 * used when it passes the bars above: a condition before "always",
 * then the larger share, then the more requests.  An empty object when
 * none; NULL with err set on error (a database without habits has none).
 */
json_t *habits_for(struct store *st, const char *user, const char *intent, const char *ctx,
		   struct dl_error *err);

/* "learnt from 8 of 10 requests (after the previous intent alarm_off)" into buf. */
void habits_say(const json_t *habit, char *buf, size_t n);

#endif

#ifndef DIALAB_RESOLVE_H
#define DIALAB_RESOLVE_H

#include <jansson.h>

#include "dialab/catalog.h"
#include "dialab/error.h"
#include "dialab/store.h"

/*
 * `dialab resolve`: interpret a new utterance as the assistant would
 * now.  Intent and slots come from the newest trained models, or, when
 * there are none, from the live NLU of the closest logged utterance
 * (and the report says so).  Then the user's standing preferences fill
 * the slots the words leave open (fill domains), rank the open choices
 * (rank domains: likes first, dislikes last), and never fill a slot
 * with a dislike.
 *
 * Before all of that, unless no_rewrite, an accepted rewrite of what
 * was said (rewrite.h) replaces the words: the user's personal one,
 * else a global one, matched on the normalised utterance.
 *
 * The situation (NULL: none) is the request's context: the models take
 * it as features (context.h), "context" says which features there were
 * and, when they moved the intent, what it would be without them and
 * which ones did it; slots the words leave open that the situation
 * answers (the device's room, its city) are filled before the
 * preferences, as changes with action "context".
 *
 * Returns {"user", "utterance", "device", "context": {"features",
 * "intent": {"value", "without", "because"} or null}, "rewrite": {"id", "from",
 * "to", "layer": "precomputed", "scope", "user", "score", "support"} or
 * null, "interpretation": {"source",
 * "intent", "confidence", "slots"}, "closest" (when used), "changes":
 * [{slot, value, action, preference, because}], "ranking": {slot:
 * {"prefer", "avoid"}}, "result": {"intent", "slots": {slot: value}}},
 * or NULL with err set.
 */
json_t *resolve_utterance(struct store *st, const struct catalog *cat, const char *user,
			  const json_t *situation, const char *utterance, int no_rewrite,
			  struct dl_error *err);

/*
 * Check a situation: NULL, or an object with the format's members
 * (dialab-format(5)) "device" {type, screen, room}, "context"
 * {location, timezone}, "device_state" {key: scalar}, "ts" and
 * "previous_intent".  Returns 0, or -1 with err naming the JSON path.
 */
int resolve_situation_check(const json_t *situation, struct dl_error *err);

/*
 * The same for many utterances, with the models loaded once: a
 * resolver over st and cat (NULL with err set on failure), run on each
 * utterance as resolve_utterance() is, then freed.
 */
struct resolver;
struct resolver *resolver_new(struct store *st, const struct catalog *cat, struct dl_error *err);
json_t *resolver_run(struct resolver *rs, const char *user, const json_t *situation,
		     const char *utterance, int no_rewrite, struct dl_error *err);
void resolver_free(struct resolver *rs);

#endif

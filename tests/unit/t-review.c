/* The review session without a terminal: decisions, advance, undo/redo across restarts. */
#include "dialab/review.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"

static char dir[] = "/tmp/dialab-t-review.XXXXXX";
static char path[256];

static void
put(struct store *st, const char *json)
{
	struct dl_error err = { 0 };
	json_t *d = json_loads(json, 0, NULL);

	store_dialogue_put(st, d, 0, DUP_ERROR, "t", 1, &err);
	json_decref(d);
}

#define LAB(k, v) "{\"kind\":\"" k "\",\"value\":" v ",\"confidence\":0.5,\"source\":\"model:m@1\"}"

int
main(void)
{
	struct dl_error err = { 0 };
	struct review_opts o = { .annotator = "ana" };
	struct store *st;
	struct review *r;
	struct review_answer a;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/r.db", dir);
	store_open(&st, path, STORE_CREATE, &err);
	store_begin(st, &err);
	put(st, "{\"id\":\"d1\",\"turns\":[{\"text\":\"play jazz\",\"labels\":[" LAB("intent", "\"play_music\"")
		"," LAB("failure_point", "\"correct\"") "]},{\"text\":\"louder\",\"labels\":["
		LAB("intent", "\"volume_up\"") "]}]}");
	put(st, "{\"id\":\"d2\",\"turns\":[{\"text\":\"stop\",\"labels\":[" LAB("intent", "\"stop\"") "]}]}");
	store_commit(st, &err);

	r = review_new(st, &o, &err);
	ok(r != NULL, "a session opens");
	is_int(review_queue_len(r), 2, "the queue holds both dialogues");
	is_str(review_dialogue(r)->ext_id, "d1", "and starts at the first");
	is_int(review_focus(r), RF_INTENT, "focused on the first pending field");
	ok(review_pending(r, 0, RF_INTENT), "the intent is pending");
	is_int(review_accept(r, &err), 0, "accept works");
	a = review_answer(r, 0, RF_INTENT);
	is_str(a.action, "accept", "the answer is an accept");
	is_str(a.value, "\"play_music\"", "of the proposal");
	is_int(review_focus(r), RF_FAILURE_POINT, "focus moves to the next pending field");
	is_int(review_correct(r, "\"asr\"", &err), 0, "correct works");
	is_int(review_turn(r), 1, "the turn is done: the next turn");
	is_int(review_reject(r, &err), 0, "reject works");
	is_str(review_dialogue(r)->ext_id, "d2", "the last turn done: the next dialogue");
	is_int(review_session_decisions(r), 3, "three decisions this session");
	is_int(review_reviewed_turns(r), 3, "three fields answered");

	is_int(review_undo(r, &err), 0, "undo works");
	is_str(review_dialogue(r)->ext_id, "d1", "and shows where it happened");
	ok(review_answer(r, 1, RF_INTENT).action == NULL, "the reject is undone");
	is_int(review_undo(r, &err), 0, "undo again");
	is_str(review_current_value(r, 0, RF_FAILURE_POINT), "\"correct\"", "the correction is undone");
	is_int(review_redo(r, &err), 0, "redo");
	is_str(review_current_value(r, 0, RF_FAILURE_POINT), "\"asr\"", "brings the correction back");
	review_free(r);

	r = review_new(st, &o, &err);
	ok(r != NULL, "the session reopens");
	is_str(review_dialogue(r)->ext_id, "d1", "where the annotator stopped");
	is_str(review_current_value(r, 0, RF_FAILURE_POINT), "\"asr\"", "answers survive a restart");
	is_int(review_undo(r, &err), 0, "undo after a restart");
	is_str(review_current_value(r, 0, RF_FAILURE_POINT), "\"correct\"", "undoes the last redone step");
	is_int(review_redo(r, &err), 0, "and redo after a restart");
	is_int(review_redo(r, &err), 0, "redo the undone reject too");
	is_str(review_answer(r, 1, RF_INTENT).action, "reject", "the reject is back");
	is_int(review_redo(r, &err), 1, "nothing more to redo");
	review_free(r);

	o.annotator = "ben";
	r = review_new(st, &o, &err);
	ok(review_answer(r, 0, RF_INTENT).action == NULL, "another annotator has their own answers");
	is_int(review_undo(r, &err), 1, "and nothing to undo");
	/* Queues: d2's only proposal has no confidence, d1's lowest is 0.9 (LAB). */
	is_int(review_requeue(r, QUEUE_SEQUENTIAL, "intent=stop", &err), 0, "a filter applies");
	ok(review_queue_len(r) == 1 && !strcmp(review_dialogue(r)->ext_id, "d2"),
	   "intent=stop keeps d2 alone and opens it");
	is_int(review_requeue(r, QUEUE_SEQUENTIAL, "intent=nothing", &err), 0, "an empty filter result");
	ok(review_queue_len(r) == 0 && review_dialogue(r) == NULL, "leaves no dialogue open");
	is_int(review_goto_id(r, "d1", &err), 2, ":goto outside the queue says so");
	is_int(review_requeue(r, QUEUE_SEQUENTIAL, "colour=red", &err), -1, "an unknown key");
	is_int(err.code, DL_EX_USAGE, "is a usage error");
	is_str(review_filter(r), "intent=nothing", "and leaves the filter as it was");
	is_int(review_requeue(r, QUEUE_FRICTION, NULL, &err), 0, "the filter clears");
	is_int(review_queue_len(r), 2, "and both dialogues are back");
	ok(review_order(r) == QUEUE_FRICTION && review_filter(r) == NULL, "in friction order");
	review_free(r);
	store_close(st);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}

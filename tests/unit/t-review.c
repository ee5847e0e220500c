/* The review session without a terminal: decisions, advance, undo/redo across restarts. */
#include "dialab/fmt.h"
#include "dialab/review.h"
#include "dialab/spans.h"

#include <jansson.h>
#include <sqlite3.h>
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

/* Focus turn t's field f of the open dialogue. */
static void
at(struct review *r, int t, enum review_field f)
{
	while (review_turn(r) < t && !review_move_turn(r, 1))
		;
	while (review_turn(r) > t && !review_move_turn(r, -1))
		;
	review_set_focus(r, f);
}

/* The goal numbers of the open dialogue's turns, as "1 1 2 2". */
static const char *
goals(struct review *r)
{
	static char buf[64];
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < review_dialogue(r)->nturns && o + 8 < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%d", i ? " " : "",
				      review_goal(r, (int)i));
	return buf;
}

static void
reanchor(const char *slots, const char *old_text, const char *new_text, const char *want,
	 const char *desc)
{
	char *got = spans_reanchor(slots, old_text, new_text);

	is_str(got, want, "%s", desc);
	free(got);
}

/* Words, re-anchoring, slot spans and goals. */
static void
spans_and_goals(void)
{
	struct dl_error err = { 0 };
	struct review_opts o = { .annotator = "ana" };
	struct seg_span *w;
	struct store *st;
	struct review *r;
	int mine = -1;
	size_t n;

	n = review_words("play  caf\xc3\xa9 \xf0\x9f\x8e\x89\tdel mar", &w);
	ok(n == 5 && w[1].start == 6 && w[1].end == 10 && w[2].start == 11 && w[2].end == 12 &&
	   w[3].start == 13, "words are split at white space, in code points");
	free(w);
	/* 播放 周杰伦 (U+3000 between) */
	n = review_words("\xe6\x92\xad\xe6\x94\xbe\xe3\x80\x80\xe5\x91\xa8\xe6\x9d\xb0\xe4\xbc\xa6", &w);
	ok(n == 2 && w[1].start == 3 && w[1].end == 6, "CJK words and the ideographic space");
	free(w);
	is_int(review_words("  ", &w), 0, "blank text has no words");
	ok(w == NULL, "and no array");
	/* 東京の天気は: 東京 / の / 天気 / は */
	n = review_words("\xe6\x9d\xb1\xe4\xba\xac\xe3\x81\xae\xe5\xa4\xa9\xe6\xb0\x97\xe3\x81\xaf", &w);
	ok(n == 4 && w[0].start == 0 && w[0].end == 2 && w[1].start == 2 && w[1].end == 3 &&
	   w[2].end == 5, "text without spaces: a word ends where the script changes");
	free(w);
	n = review_words("what's new, e-mail?", &w);
	ok(n == 5 && w[0].end == 6 && w[1].start == 7 && w[1].end == 10 && w[2].start == 10 &&
	   w[2].end == 11 && w[3].start == 12 && w[3].end == 18 && w[4].start == 18,
	   "a comma or question mark is a word of its own; what's and e-mail stay whole");
	free(w);

	reanchor("[{\"type\":\"team\",\"start\":4,\"end\":12},{\"type\":\"date\",\"start\":13,\"end\":20}]",
		 "the warriors tonight", "the golden state warriors",
		 "[{\"type\":\"team\",\"start\":17,\"end\":25},"
		 "{\"type\":\"date\",\"start\":13,\"end\":20,\"value\":\"tonight\",\"review\":true}]",
		 "a slot moves to its words; one whose words are gone is kept, marked for review");
	reanchor("[{\"type\":\"team\",\"start\":4,\"end\":12}]", "the warriors", "The Warriors game",
		 "[{\"type\":\"team\",\"start\":4,\"end\":12}]", "ignoring the case of ASCII letters");
	reanchor("[{\"type\":\"genre\",\"start\":5,\"end\":9}]", "play jazz", "jazzy jazz please",
		 "[{\"type\":\"genre\",\"start\":6,\"end\":10}]", "whole words before parts of words");
	reanchor("[{\"type\":\"n\",\"start\":0,\"end\":1},{\"type\":\"n\",\"start\":4,\"end\":5}]",
		 "a b a b", "x a a",
		 "[{\"type\":\"n\",\"start\":2,\"end\":3},{\"type\":\"n\",\"start\":4,\"end\":5}]",
		 "two slots on the same words take two places");
	reanchor("[{\"type\":\"city\",\"start\":0,\"end\":2,\"value\":\"new york\"}]", "NY please",
		 "weather in new york",
		 "[{\"type\":\"city\",\"start\":11,\"end\":19,\"value\":\"new york\"}]",
		 "a slot's value is looked for first");
	/* 播放周杰伦的歌 -> 请播放周杰伦 */
	reanchor("[{\"type\":\"artist\",\"start\":2,\"end\":5}]",
		 "\xe6\x92\xad\xe6\x94\xbe\xe5\x91\xa8\xe6\x9d\xb0\xe4\xbc\xa6\xe7\x9a\x84\xe6\xad\x8c",
		 "\xe8\xaf\xb7\xe6\x92\xad\xe6\x94\xbe\xe5\x91\xa8\xe6\x9d\xb0\xe4\xbc\xa6",
		 "[{\"type\":\"artist\",\"start\":3,\"end\":6}]", "CJK slots move by code points");
	reanchor("[{\"type\":\"date\",\"start\":0,\"end\":7,\"value\":\"tonight\",\"review\":true}]",
		 "tomorrow", "play it tonight",
		 "[{\"type\":\"date\",\"start\":8,\"end\":15,\"value\":\"tonight\"}]",
		 "a marked slot whose words come back is placed and unmarked");

	reanchor("[{\"type\":\"artist\",\"start\":5,\"end\":20}]", "play maj and dragons",
		 "play imagine dragons",
		 "[{\"type\":\"artist\",\"start\":5,\"end\":20,\"was\":\"maj and dragons\","
		 "\"review\":true,\"guess\":true}]",
		 "words that changed: placed on the words they became, marked, with the old words");
	reanchor("[{\"type\":\"item\",\"start\":4,\"end\":12}]", "add oak milk", "add oat milk",
		 "[{\"type\":\"item\",\"start\":4,\"end\":12,\"was\":\"oak milk\","
		 "\"review\":true,\"guess\":true}]", "one word like another pairs with it");
	reanchor("[{\"type\":\"artist\",\"start\":8,\"end\":23}]", "no play imagine dragons",
		 "play maj and dragons",
		 "[{\"type\":\"artist\",\"start\":5,\"end\":20,\"was\":\"imagine dragons\","
		 "\"review\":true,\"guess\":true}]",
		 "one word for two: the span keeps both");
	reanchor("[{\"type\":\"item\",\"start\":4,\"end\":12,\"was\":\"oak milk\",\"review\":true,"
		 "\"guess\":true}]", "add oat milk", "please add oat milk",
		 "[{\"type\":\"item\",\"start\":11,\"end\":19,\"was\":\"oak milk\",\"review\":true,"
		 "\"guess\":true}]", "a guess found again is moved and stays a guess");
	reanchor("[{\"type\":\"item\",\"start\":4,\"end\":12,\"was\":\"oak milk\",\"review\":true,"
		 "\"guess\":true}]", "add oat milk", "add oak milk",
		 "[{\"type\":\"item\",\"start\":4,\"end\":12}]",
		 "a guess whose old words come back is settled there");
	ok(fmt_slots_unsettled("[{\"type\":\"a\",\"start\":0,\"end\":1,\"review\":true}]") &&
	   !fmt_slots_unsettled("[{\"type\":\"a\",\"start\":0,\"end\":1}]") &&
	   !fmt_slots_unsettled(NULL) && !fmt_slots_unsettled("[{\"review\":false}]"),
	   "fmt_slots_unsettled: only a slot with \"review\":true");

	snprintf(path, sizeof(path), "%s/g.db", dir);
	store_open(&st, path, STORE_CREATE, &err);
	store_begin(st, &err);
	put(st, "{\"id\":\"g1\",\"turns\":["
		"{\"text\":\"the warriors tonight\",\"labels\":[" LAB("slots",
		"[{\"type\":\"team\",\"start\":4,\"end\":12},{\"type\":\"date\",\"start\":13,\"end\":20}]")
		"," LAB("goal", "1") "]},"
		"{\"text\":\"score\",\"labels\":[" LAB("goal", "1") "]},"
		"{\"text\":\"play jazz\",\"labels\":[" LAB("goal", "1") "]},"
		"{\"text\":\"louder\",\"labels\":[" LAB("goal", "1") "]}],"
		"\"labels\":[" LAB("goal_outcome", "{\"goal\":1,\"outcome\":\"success\"}") "]}");
	store_commit(st, &err);
	r = review_new(st, &o, &err);
	ok(r != NULL, "a session on a dialogue of four turns");
	is_str(goals(r), "1 1 1 1", "one goal");
	at(r, 0, RF_GOAL);
	is_int(review_goal_toggle(r, &err), 1, "a goal always starts at the first turn");
	at(r, 2, RF_GOAL);
	is_int(review_goal_toggle(r, &err), 0, "g at turn 3");
	is_str(goals(r), "1 1 2 2", "starts goal 2 there");
	is_int(review_session_decisions(r), 2, "two turns renumbered, two decisions");
	is_int(review_focus(r), RF_GOAL, "the focus stays on the goal");
	is_int(review_goal_outcome_set(r, 0, &err), 0, "f: goal 2 failed");
	ok(review_answer(r, 2, RF__COUNT).value &&
	   !strcmp(review_answer(r, 2, RF__COUNT).value, "{\"goal\":2,\"outcome\":\"failure\"}"),
	   "a goal_outcome decision on the goal's first turn");
	is_str(review_goal_outcome(r, 2, &mine), "failure", "the header's goal 2 failed");
	is_int(mine, 1, "by this annotator");
	is_str(review_goal_outcome(r, 1, &mine), "success", "goal 1 shows the proposal");
	is_int(mine, 0, "which is not this annotator's");
	at(r, 1, RF_GOAL);
	is_int(review_goal_toggle(r, &err), 0, "g at turn 2");
	is_str(goals(r), "1 2 3 3", "the later goals count on");
	is_str(review_goal_outcome(r, 3, &mine), "failure", "the outcome goes along with its goal");
	ok(review_goal_outcome(r, 2, &mine) == NULL, "and the new goal 2 has none");
	is_int(review_undo(r, &err), 0, "undo the toggle");
	is_str(goals(r), "1 1 2 2", "in one step");
	is_str(review_goal_outcome(r, 2, &mine), "failure", "the outcome is back on goal 2");
	at(r, 2, RF_GOAL);
	is_int(review_goal_toggle(r, &err), 0, "g at turn 3 again");
	is_str(goals(r), "1 1 1 1", "joins goal 1");
	ok(review_answer(r, 2, RF__COUNT).action && !strcmp(review_answer(r, 2, RF__COUNT).action, "reject"),
	   "the outcome of the goal that no longer starts there is rejected");
	review_free(r);
	r = review_new(st, &o, &err);
	is_str(goals(r), "1 1 1 1", "a restart keeps the goals");
	is_int(review_undo(r, &err), 0, "undo after a restart");
	is_str(goals(r), "1 1 2 2", "undoes the whole toggle");
	is_str(review_goal_outcome(r, 2, &mine), "failure", "with the outcome");
	is_int(review_redo(r, &err), 0, "redo");
	is_str(goals(r), "1 1 1 1", "redoes it whole");
	is_int(review_undo(r, &err), 0, "and undo once more");

	/* slot spans over "the warriors tonight" */
	at(r, 0, RF_SLOTS);
	is_int(review_slot_delete(r, 0, 3, &err), 1, "no slot over \"the\" to delete");
	is_int(review_slot_assign(r, 0, 3, "det", &err), 0, "assign a type to \"the\"");
	is_str(review_current_value(r, 0, RF_SLOTS),
	       "[{\"type\":\"det\",\"start\":0,\"end\":3},{\"type\":\"team\",\"start\":4,\"end\":12},"
	       "{\"type\":\"date\",\"start\":13,\"end\":20}]", "is one slots correction, in text order");
	is_int(review_focus(r), RF_SLOTS, "and the focus stays on the slots");
	is_int(review_slot_assign(r, 0, 12, "team", &err), 0, "a span over two slots");
	is_str(review_current_value(r, 0, RF_SLOTS),
	       "[{\"type\":\"team\",\"start\":0,\"end\":12},{\"type\":\"date\",\"start\":13,\"end\":20}]",
	       "replaces them");
	is_int(review_slot_assign(r, 0, 30, "team", &err), -1, "a span past the words is refused");
	is_int(review_slot_assign(r, 0, 3, "a b", &err), -1, "so is a type with a blank");
	is_int(review_slot_move(r, 0, 4, 12, &err), 0, "move the team slot");
	is_str(review_current_value(r, 0, RF_SLOTS),
	       "[{\"type\":\"team\",\"start\":4,\"end\":12},{\"type\":\"date\",\"start\":13,\"end\":20}]",
	       "to \"warriors\"");
	is_int(review_slot_move(r, 1, 0, 3, &err), 1, "no slot starts at 1");
	is_int(review_slot_delete(r, 13, 20, &err), 0, "delete \"tonight\"");
	is_str(review_current_value(r, 0, RF_SLOTS), "[{\"type\":\"team\",\"start\":4,\"end\":12}]",
	       "the slot is gone");
	is_int(review_undo(r, &err), 0, "undo the delete");
	is_int(review_slot_assign(r, 13, 20, "when", &err), 0, "retype \"tonight\"");
	ok(review_slot_types(r) && !strcmp(review_slot_types(r)[0], "date"),
	   "slot types known to the database, sorted");

	/* a transcription takes the slots along */
	at(r, 0, RF_TRANSCRIPTION);
	is_int(review_correct(r, "\"the golden state warriors\"", &err), 0, "correct the words");
	is_str(review_words_text(r, 0), "the golden state warriors", "new slots go on the new words");
	is_str(review_slots_text(r, 0), "the golden state warriors", "and so do the current ones");
	is_str(review_current_value(r, 0, RF_SLOTS),
	       "[{\"type\":\"team\",\"start\":17,\"end\":25},"
	       "{\"type\":\"when\",\"start\":13,\"end\":20,\"value\":\"tonight\",\"review\":true}]",
	       "re-anchored in the same step, the lost one marked");
	ok(review_slots_unsettled(r, 0) && review_pending(r, 0, RF_SLOTS),
	   "slots with a marked one are no answer: the field is pending");
	at(r, 0, RF_SLOTS);
	is_int(review_accept(r, &err), -1, "a cannot confirm a slot that has no place in the words");
	ok(strstr(err.msg, "is not in the words") != NULL, "and says so");
	at(r, 0, RF_TRANSCRIPTION);
	is_int(review_undo(r, &err), 0, "undo");
	is_str(review_words_text(r, 0), "the warriors tonight", "takes back the words");
	is_str(review_current_value(r, 0, RF_SLOTS),
	       "[{\"type\":\"team\",\"start\":4,\"end\":12},{\"type\":\"when\",\"start\":13,\"end\":20}]",
	       "and the slots together");
	review_free(r);
	store_close(st);
	unlink(path);
	snprintf(path, sizeof(path), "%s/g.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/g.db-shm", dir);
	unlink(path);
}

/* A dialogue deleted under the session: the decision is saved, the view stays. */
static void
gone_under(void)
{
	struct dl_error err = { 0 };
	struct review_opts o = { .annotator = "ana" };
	struct store *st;
	struct review *r;
	sqlite3 *db;
	char p[300];

	snprintf(p, sizeof(p), "%s/gone.db", dir);
	store_open(&st, p, STORE_CREATE, &err);
	store_begin(st, &err);
	put(st, "{\"id\":\"a1\",\"turns\":[{\"text\":\"x\",\"labels\":[" LAB("intent", "\"i\"") "]}]}");
	put(st, "{\"id\":\"a2\",\"turns\":[{\"text\":\"y\"}]}");
	store_commit(st, &err);
	r = review_new(st, &o, &err);
	sqlite3_open(p, &db);
	sqlite3_exec(db, "DELETE FROM turns WHERE dialogue_id = 2; DELETE FROM dialogues WHERE id = 2",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	is_int(review_accept(r, &err), -1, "accept on the last field, the next dialogue deleted");
	ok(strstr(err.msg, "saved, but the next dialogue did not open") != NULL, "says the decision is saved");
	ok(review_dialogue(r) && !strcmp(review_dialogue(r)->ext_id, "a1") &&
	   review_dialogue(r)->nturns == 1, "and the view stays on the dialogue it was on");
	is_str(review_answer(r, 0, RF_INTENT).action, "accept", "with the decision in it");
	/* the library, not the screen, says what an answer is */
	ok(review_check_value(r, 0, RF_INTENT, "\"two words\"", &err) == -1 &&
	   !strcmp(err.msg, "an intent is one word"), "an intent is one word");
	ok(review_check_value(r, 0, RF_INTENT, "\"play_music\"", &err) == 0, "one word is");
	ok(review_check_value(r, 0, RF_FAILURE_POINT, "\"wrong\"", &err) == -1 &&
	   review_check_value(r, 0, RF_FAILURE_POINT, "\"er\"", &err) == 0, "failure points, aliases too");
	ok(review_check_value(r, 0, RF_GOAL, "0", &err) == -1 &&
	   review_check_value(r, 0, RF_GOAL, "null", &err) == -1 &&
	   review_check_value(r, 0, RF_GOAL, "2", &err) == 0, "a goal is a number from 1");
	ok(review_check_value(r, 0, RF_SLOTS, "[{\"type\":\"t\",\"start\":0,\"end\":5}]", &err) == -1 &&
	   review_check_value(r, 0, RF_SLOTS, "[{\"type\":\"t\",\"start\":0,\"end\":1}]", &err) == 0,
	   "slots must stand on the turn's words");
	ok(review_check_value(r, 0, RF_SLOTS, "[{\"type\":\"t\",\"start\":0,\"end\":9,"
			      "\"review\":true}]", &err) == 0, "a marked slot waits for its place");
	at(r, 0, RF_INTENT);
	is_int(review_correct(r, "\"no good\"", &err), -1, "review_correct refuses what is not an answer");
	at(r, 0, RF_FAILURE_POINT);
	review_correct(r, "\"er\"", &err);	/* saved; the deleted a2 does not open */
	is_str(review_answer(r, 0, RF_FAILURE_POINT).value, "\"entity\"", "and stored by its name");
	review_free(r);
	store_close(st);
	unlink(p);
	snprintf(p, sizeof(p), "%s/gone.db-wal", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/gone.db-shm", dir);
	unlink(p);
}

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
	spans_and_goals();
	gone_under();
	snprintf(path, sizeof(path), "%s/r.db", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/r.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return done_testing();
}

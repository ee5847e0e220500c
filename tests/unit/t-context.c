/* A turn's context as model features: what is taken, how it is normalised, local hours. */
#include <stdlib.h>
#include <string.h>

#include "dialab/context.h"
#include "../tap.h"

/* The list joined with '|' for comparisons. */
static const char *
joined(const char *list)
{
	static char buf[CTX_BUF];
	const char *f;
	size_t k = 0;

	buf[0] = 0;
	for (f = list; f; f = ctx_next(f)) {
		size_t n = strlen(f);

		if (k)
			buf[k++] = '|';
		memcpy(buf + k, f, n + 1);
		k += n;
	}
	return buf;
}

static void
test_from_text(void)
{
	struct ctx c;
	char *d;

	ctx_from_text(&c, "{\"id\":\"k1\",\"type\":\"Speaker\",\"screen\":false,\"room\":\"Living  Room\"}",
		      "{\"location\":\"Seattle\",\"timezone\":\"America/Los_Angeles\"}",
		      "1767225600", "{\"tv\":\"on\",\"oven\":\"ON\",\"volume\":7,\"x\":{\"deep\":1}}",
		      "alarm_off");
	/* 2026-01-01T00:00:00Z is 16:00 on Dec 31 in Los Angeles (PST): afternoon */
	is_str(joined(ctx_list(&c)),
	       "device=speaker|screen=no|room=living_room|location=seattle|state:oven=on|"
	       "state:tv=on|state:volume=7|hour=afternoon|prev=alarm_off",
	       "device, room, location, device_state (sorted, scalars only), local hour and previous intent");
	is_int(ctx_count(ctx_list(&c)), 9, "nine features");
	d = ctx_dup(ctx_list(&c));
	is_str(joined(d), joined(ctx_list(&c)), "a copy holds the same list");
	free(d);
	ok(ctx_dup(NULL) == NULL, "an empty list copies as NULL");

	ctx_from_text(&c, NULL, NULL, NULL, NULL, NULL);
	ok(ctx_list(&c) == NULL && ctx_count(ctx_list(&c)) == 0, "no context, no features");

	ctx_from_text(&c, "{\"type\":\"tv\",\"screen\":true}", "{\"timezone\":\"Nowhere/Atlantis\"}",
		      "1767225600", NULL, NULL);
	is_str(joined(ctx_list(&c)), "device=tv|screen=yes", "an unknown time zone gives no hour: never guessed");

	ctx_from_text(&c, NULL, NULL, "\"2026-01-09T23:14:05.250-08:00\"", NULL, NULL);
	is_str(joined(ctx_list(&c)), "hour=late", "an RFC 3339 time with an offset says its own local hour");
	ctx_from_text(&c, NULL, NULL, "\"2026-01-09T23:14:05Z\"", NULL, NULL);
	ok(ctx_list(&c) == NULL, "a UTC time without a time zone gives no local hour");
}

static void
test_normalise(void)
{
	struct ctx c;
	char big[200];

	ctx_init(&c);
	ctx_add(&c, "device", "Smart\tDisplay\x1b]0;x\x07");
	ctx_add(&c, "device", "smart display]0;x");
	ctx_add(&c, "room", "");
	ctx_add(&c, "location", "\xc2\x9b" "caf\xc3\xa9");
	is_str(joined(ctx_list(&c)), "device=smart_display]0;x|location=caf\xc3\xa9",
	       "lower case, one '_' for white space, no control characters (C0, C1), no duplicates,"
	       " no empty values");
	memset(big, 'a', sizeof(big) - 3);
	memcpy(big + sizeof(big) - 3, "\xc3\xa9", 3);
	ctx_init(&c);
	ctx_add(&c, "location", big);
	is_int(strlen(ctx_list(&c)), CTX_FEAT - 1, "a long value is cut to the feature size");
	ctx_init(&c);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big + CTX_FEAT - 12, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 12);
	ctx_add(&c, "location", big);
	ok(strlen(ctx_list(&c)) < CTX_FEAT && (ctx_list(&c)[strlen(ctx_list(&c)) - 1] & 0xc0) != 0xc0,
	   "a cut never splits a UTF-8 sequence");
}

static void
test_groups(void)
{
	struct ctx c, out;
	char buf[80];

	ctx_from_text(&c, "{\"type\":\"speaker\",\"screen\":true}", "{\"location\":\"home\"}", NULL,
		      "{\"oven\":\"on\"}", "set_alarm");
	is_int(ctx_group_of("state:oven=on"), CG_STATE, "state: is the device_state group");
	is_int(ctx_group_of("screen=yes"), CG_DEVICE, "screen= belongs to the device");
	is_int(ctx_group_of("nonsense"), -1, "an unknown feature has no group");
	ctx_filter(&out, ctx_list(&c), 1u << CG_STATE | 1u << CG_PREV);
	is_str(joined(ctx_list(&out)), "device=speaker|screen=yes|location=home",
	       "filtering drops the groups asked for");
	ctx_filter(&out, ctx_list(&c), ~0u);
	ok(ctx_list(&out) == NULL, "masking every group leaves no context");
	ctx_describe("state:oven=on", buf, sizeof(buf));
	is_str(buf, "device_state oven=on", "device_state said for people");
	ctx_describe("hour=late", buf, sizeof(buf));
	is_str(buf, "local hour late (22-23)", "an hour bucket says its hours");
	ctx_describe("screen=no", buf, sizeof(buf));
	is_str(buf, "no screen", "no screen");
	is_str(ctx_group_name(CG_PREV), "previous_intent", "group names");
}

static void
test_hours(void)
{
	/* 2026-07-01T06:30:00Z */
	double t = 1782887400;

	is_int(ctx_local_hour(t, "UTC"), 6, "UTC");
	is_int(ctx_local_hour(t, "America/Los_Angeles"), 23, "Los Angeles in summer: UTC-7");
	is_int(ctx_local_hour(t - 183 * 86400, "America/Los_Angeles"), 22, "and in winter: UTC-8");
	is_int(ctx_local_hour(t, "Europe/Berlin"), 8, "Berlin in summer: UTC+2");
	is_int(ctx_local_hour(t, "Asia/Kolkata"), 12, "Kolkata: UTC+5:30");
	is_int(ctx_local_hour(t, "+05:30"), 12, "an offset +05:30");
	is_int(ctx_local_hour(t, "-0800"), 22, "an offset -0800");
	is_int(ctx_local_hour(t, "UTC+2"), 8, "UTC+2");
	is_int(ctx_local_hour(t, "../../etc/passwd"), -1, "a path is not a zone");
	is_int(ctx_local_hour(t, "+25:00"), -1, "an offset out of range is not one");
	is_int(ctx_local_hour(t, NULL), -1, "no zone, no hour");
	is_int(ctx_local_hour(t, "America/Los_Angeles"), 23, "the cached answer is the same");
	is_str(ctx_hour_bucket(0), "night", "0 is night");
	is_str(ctx_hour_bucket(5), "morning", "5 is morning");
	is_str(ctx_hour_bucket(13), "midday", "13 is midday");
	is_str(ctx_hour_bucket(21), "evening", "21 is evening");
	is_str(ctx_hour_bucket(23), "late", "23 is late");
	ok(ctx_hour_bucket(24) == NULL && ctx_hour_bucket(-1) == NULL, "no bucket outside 0..23");
	is_int(ctx_written_hour("2026-01-09T20:14:05-08:00"), 20, "the written hour");
	is_int(ctx_written_hour("2026-01-09T20:14:05Z"), -1, "Z gives none");
}

int
main(void)
{
	test_from_text();
	test_normalise();
	test_groups();
	test_hours();
	return done_testing();
}

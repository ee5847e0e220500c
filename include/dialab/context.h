#ifndef DIALAB_CONTEXT_H
#define DIALAB_CONTEXT_H

#include <jansson.h>
#include <stddef.h>

/*
 * A turn's context as the models see it (DESIGN.md section 6,
 * dialab-format(5)): a short list of features, each a string
 * "name=value", built from the dialogue's device and context, the
 * turn's device_state and time stamp, and the intent of the turn before:
 *
 *   device=speaker        device.type
 *   screen=yes            device.screen (true/false)
 *   room=kitchen          device.room, or context.room
 *   location=seattle      context.location
 *   state:oven=on         each device_state member with a scalar value
 *   hour=evening          the local hour's bucket (see ctx_hour_bucket())
 *   prev=alarm_off        the previous turn's intent (its live NLU)
 *
 * Values are lower-cased, runs of white space become one '_', control
 * characters are dropped and each feature is cut at CTX_FEAT bytes.  A
 * turn without context has an empty list; models then see only the
 * words, exactly as before context existed.
 *
 * The list is a run of NUL-terminated strings closed by an empty one,
 * so it can be stored and passed as one const char *.
 */

#define CTX_FEAT 64	/* bytes in one feature, NUL included */
#define CTX_MAX 16	/* features in one list */
#define CTX_BUF (CTX_FEAT * CTX_MAX + 1)

struct ctx {
	char buf[CTX_BUF];
	size_t len;	/* bytes used, the closing NUL not counted */
	size_t n;	/* features */
};

/* The parts of a context that explain a result: the groups of features. */
enum ctx_group {
	CG_DEVICE,	/* device=, screen= */
	CG_ROOM,	/* room= */
	CG_LOCATION,	/* location= */
	CG_STATE,	/* state: */
	CG_HOUR,	/* hour= */
	CG_PREV,	/* prev= */
	CG__COUNT
};

void ctx_init(struct ctx *c);

/*
 * Add the feature name=value (value normalised as above).  A full list,
 * an empty value or one already there are ignored.
 */
void ctx_add(struct ctx *c, const char *name, const char *value);

/*
 * The context of a turn from the format's JSON values, any of which may
 * be NULL: the dialogue's device and context objects, the turn's ts
 * and device_state, and the previous turn's intent.  Replaces c.
 */
void ctx_from_json(struct ctx *c, const json_t *device, const json_t *context,
		   const json_t *ts, const json_t *state, const char *prev_intent);

/* The same from their JSON texts (as the store keeps them; NULL when absent). */
void ctx_from_text(struct ctx *c, const char *device, const char *context, const char *ts,
		   const char *state, const char *prev_intent);

/* The list: NULL when there are no features (models treat both alike). */
const char *ctx_list(const struct ctx *c);

/* The feature after f in its list, or NULL at the end; f == NULL gives NULL. */
const char *ctx_next(const char *f);

/* A malloc'd copy of a list (NULL for NULL or an empty list). */
char *ctx_dup(const char *list);

/* The number of features in a list. */
size_t ctx_count(const char *list);

/* The group feature f belongs to, or -1. */
int ctx_group_of(const char *f);

/* "device_state", "device", ...: the group's name in explanations. */
const char *ctx_group_name(enum ctx_group g);

/* Replace out with the features of list not in the groups of mask (1u << CG_*). */
void ctx_filter(struct ctx *out, const char *list, unsigned mask);

/* f said for people: "device_state oven=on", "device type speaker", "local hour evening (18-21)". */
void ctx_describe(const char *f, char *buf, size_t n);

/*
 * The local hour (0..23) at Unix time t in timezone tz: an IANA name
 * found in the system's zone files ("America/Los_Angeles"), "UTC", "Z"
 * or an offset "+hh:mm", "-hhmm", "UTC+2".  Returns -1 when tz is NULL
 * or unknown: an hour is never guessed.
 */
int ctx_local_hour(double t, const char *tz);

/*
 * The local hour of an RFC 3339 time ("2026-01-09T20:14:05-08:00"):
 * the hour written in it, when it carries an offset other than Z; else -1.
 */
int ctx_written_hour(const char *rfc3339);

/* The bucket of an hour: night 0-4, morning 5-10, midday 11-13, afternoon 14-17, evening 18-21, late 22-23. */
const char *ctx_hour_bucket(int hour);

#endif

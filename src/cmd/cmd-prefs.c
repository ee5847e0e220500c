#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/clock.h"
#include "dialab/habits.h"
#include "dialab/strbuf.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab prefs list|show|set|forget|export|learn [--user name] [--all]"
	" [--dislike] [--operator name] [--catalog file] [--json] [--db path] [domain value | what]";

struct lctx {
	int json;
	json_t *a;
	long n;
	FILE *out;
};

static json_t *
pref_obj(const struct st_pref *p)
{
	json_t *o = teach_pref_json(p);

	json_object_set_new(o, "type", json_string("preference"));
	return o;
}

static int
list_one(void *ctx, const struct st_pref *p)
{
	struct lctx *c = ctx;
	char when[32];

	c->n++;
	if (c->json) {
		json_array_append_new(c->a, pref_obj(p));
		return 0;
	}
	printf("#%-5lld %-8s %-8s %-13s %s (%s, %s%s)\n", (long long)p->id, p->user,
	       p->polarity > 0 ? "likes" : "dislikes", p->domain, p->value, p->source,
	       clock_format(p->at, when, sizeof(when)),
	       p->revoked_at > 0 ? ", revoked" : "");
	return 0;
}

static int
write_line(struct lctx *c, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	json_decref(o);
	if (!s)
		return -1;
	fprintf(c->out, "%s\n", s);
	free(s);
	c->n++;
	return 0;
}

static int
export_pref_line(void *ctx, const struct st_pref *p)
{
	return write_line(ctx, pref_obj(p));
}

static int
export_feedback_line(void *ctx, const struct st_feedback *f)
{
	json_t *o = json_pack("{s:s,s:I,s:s,s:f,s:s,s:s}", "type", "feedback", "id",
			      (json_int_t)f->id, "user", f->user, "at", f->at, "operator",
			      f->operator_, "kind", f->kind);
	json_t *v = f->value ? json_loads(f->value, 0, NULL) : NULL;

	json_object_set_new(o, "session", f->session ? json_integer(f->session) : json_null());
	json_object_set_new(o, "text", f->text ? json_string(f->text) : json_null());
	json_object_set_new(o, "value", v ? v : json_null());
	json_object_set_new(o, "preference", f->pref ? json_integer(f->pref) : json_null());
	json_object_set_new(o, "dialogue", f->dialogue ? json_string(f->dialogue) : json_null());
	v = f->turns ? json_loads(f->turns, 0, NULL) : NULL;
	json_object_set_new(o, "turns", v ? v : json_null());
	return write_line(ctx, o);
}

/* ---- Habits ---- */

struct hctx {
	int json, all;
	json_t *a;
	long n;
};

static int
habit_one(void *ctx, const struct st_habit *h)
{
	struct hctx *c = ctx;
	json_t *o;
	char why[300];
	int used = h->n >= HABIT_MIN_N && (double)h->n >= HABIT_MIN_SHARE * (double)h->m;

	if (!used && !c->all)
		return 0;
	c->n++;
	o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:b}", "intent", h->intent, "slot", h->slot,
		      "value", h->value, "cond", h->cond, "n", (json_int_t)h->n, "m",
		      (json_int_t)h->m, "used", used);
	if (c->json) {
		json_array_append_new(c->a, o);
		return 0;
	}
	habits_say(o, why, sizeof(why));
	printf("  %-16s %s = %s  <- %s%s\n", cli_safe_str(h->intent), cli_safe_str(h->slot),
	       cli_safe_str(h->value), why, used ? "" : " (too few to use)");
	json_decref(o);
	return 0;
}

/* prefs show: the stated preferences that hold, then the habits. */
static int
show(struct store *st, const char *user, int all, int json)
{
	struct dl_error err = { 0 };
	struct lctx lc = { .json = json, .a = json_array() };
	struct hctx hc = { .json = json, .all = all, .a = json_array() };
	int rc;

	if (!json)
		printf("%s: stated preferences\n", cli_safe_str(user));
	rc = store_prefs_each(st, user, 0, list_one, &lc, &err);
	if (!rc && !json)
		printf("%s%s: habits learnt from the logs (dialab prefs learn)\n",
		       lc.n ? "" : "  none\n", cli_safe_str(user));
	if (!rc && (rc = store_habits_each(st, user, NULL, habit_one, &hc, &err)) &&
	    err.code == DL_EX_DATAERR) {
		dl_error_clear(&err);
		rc = 0;
	}
	if (rc) {
		json_decref(lc.a);
		json_decref(hc.a);
		return cli_error("prefs", &err);
	}
	if (json) {
		cli_print_json(json_pack("{s:s,s:o,s:o}", "user", user, "preferences", lc.a,
					 "habits", hc.a));
		return 0;
	}
	if (!hc.n)
		printf("  none yet\n");
	json_decref(lc.a);
	json_decref(hc.a);
	return 0;
}

/* Run one line through a teaching session of mode "prefs"; 0, or an exit code. */
static int
session_line(struct store *st, struct teach_opts *o, const char *line, int json)
{
	struct dl_error err = { 0 };
	struct teach *t;
	json_t *ev, *v;
	const char *state;
	size_t i;
	int rc;

	o->mode = "prefs";
	o->quiet = 1;
	if (!(t = teach_open(st, o, &err)))
		return cli_error("prefs", &err);
	json_decref(teach_event(t));
	rc = teach_line(t, line, &err);
	ev = teach_event(t);
	teach_close(t, NULL);
	if (rc < 0) {
		json_decref(ev);
		return cli_error("prefs", &err);
	}
	state = json_string_value(json_object_get(ev, "state"));
	rc = json_array_size(json_object_get(ev, "stored")) ||
	     json_array_size(json_object_get(ev, "revoked")) ? 0 : DL_EX_DATAERR;
	if (strcmp(state, "idle"))
		rc = DL_EX_DATAERR;	/* a guess or a choice to confirm: not stored */
	if (json) {
		json_object_set_new(ev, "ok", json_boolean(!rc));
		cli_print_json(ev);
		return rc;
	}
	json_array_foreach(json_object_get(ev, "output"), i, v)
		fprintf(rc ? stderr : stdout, "%s%s\n", rc ? "dialab prefs: " : "",
			json_string_value(v));
	if (rc && !strcmp(state, "confirm"))
		fprintf(stderr, "dialab prefs: not stored; give the value as the catalog spells it\n");
	json_decref(ev);
	return rc;
}

int
cmd_prefs(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "all", no_argument, NULL, 'a' },
		{ "dislike", no_argument, NULL, 'x' },
		{ "operator", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, CLI_ANY, 0, 0 };
	struct teach_opts o = { .turn = -1 };
	struct dl_error err = { 0 };
	struct lctx lc = { 0 };
	struct catalog cat;
	struct store *st;
	const char *user = NULL, *catalog = NULL, *op;
	int ch, json = 0, all = 0, dislike = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case 'u': user = optarg; break;
		case 'a': all = 1; break;
		case 'x': dislike = 1; break;
		case 'o': o.operator_ = optarg; break;
		case 'c': catalog = optarg; break;
		case 'j': json = 1; break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (optind >= argc)
		return cli_usage("prefs", usage, "say what to do: list, set, forget or export");
	op = argv[optind++];
	if (strcmp(op, "list") && strcmp(op, "set") && strcmp(op, "forget") && strcmp(op, "export") &&
	    strcmp(op, "show") && strcmp(op, "learn"))
		return cli_usage("prefs", usage, "unknown action '%s'", op);
	if (strcmp(op, "export") && strcmp(op, "learn") && (!user || !*user))
		return cli_usage("prefs", usage, "whose preferences? give --user");
	if ((!strcmp(op, "list") || !strcmp(op, "export") || !strcmp(op, "show") ||
	     !strcmp(op, "learn")) && optind < argc)
		return cli_usage("prefs", usage, "unexpected argument '%s'", argv[optind]);
	if (!strcmp(op, "set") && argc - optind != 2)
		return cli_usage("prefs", usage, "set wants a domain and a value");
	if (!strcmp(op, "forget") && argc - optind != 1)
		return cli_usage("prefs", usage, "forget wants one value, domain or 'everything'");
	if (dislike && strcmp(op, "set"))
		return cli_usage("prefs", usage, "--dislike goes with set");
	if (all && strcmp(op, "list") && strcmp(op, "show"))
		return cli_usage("prefs", usage, "--all goes with list or show");
	if ((rc = cli_open_store("prefs", strcmp(op, "set") && strcmp(op, "forget") &&
				 strcmp(op, "learn") ? STORE_READ : STORE_WRITE, &st)))
		return rc;
	if (!strcmp(op, "show")) {
		rc = show(st, user, all, json);
		store_close(st);
		return rc;
	}
	if (!strcmp(op, "learn")) {
		json_t *r = habits_learn(st, user, &err);

		store_close(st);
		if (!r)
			return cli_error("prefs", &err);
		if (json) {
			cli_print_json(r);
			return 0;
		}
		printf("learnt %lld habits of %lld users from %lld requests that worked in %.2f s\n",
		       (long long)json_integer_value(json_object_get(r, "habits")),
		       (long long)json_integer_value(json_object_get(r, "users")),
		       (long long)json_integer_value(json_object_get(r, "requests")),
		       json_number_value(json_object_get(r, "seconds")));
		json_decref(r);
		return 0;
	}
	if (!strcmp(op, "list")) {
		lc.json = json;
		lc.a = json_array();
		rc = store_prefs_each(st, user, all, list_one, &lc, &err);
		store_close(st);
		if (rc) {
			json_decref(lc.a);
			return cli_error("prefs", &err);
		}
		if (json)
			cli_print_json(json_pack("{s:s,s:o}", "user", user, "preferences", lc.a));
		else {
			json_decref(lc.a);
			if (!lc.n)
				printf("no preferences for %s yet: teach some with 'dialab teach --user %s'\n",
				       user, user);
		}
		return 0;
	}
	if (!strcmp(op, "export")) {
		lc.out = stdout;
		rc = store_prefs_each(st, user, 1, export_pref_line, &lc, &err) ||
		     store_feedback_each(st, user, export_feedback_line, &lc, &err);
		store_close(st);
		if (rc)
			return cli_error("prefs", &err);
		if (fflush(stdout) || ferror(stdout)) {
			dl_error_set(&err, DL_EX_IOERR, "stdout", 0, NULL, "write error");
			return cli_error("prefs", &err);
		}
		return 0;
	}
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		return cli_error("prefs", &err);
	}
	o.user = user;
	o.operator_ = o.operator_ ? o.operator_ : cli.annotator;
	o.cat = &cat;
	if (!strcmp(op, "set")) {
		int d = cat_domain_find(&cat, argv[optind]);
		struct strbuf line;

		if (d < 0) {
			cat_release(&cat);
			store_close(st);
			return cli_usage("prefs", usage, "no domain '%s' in the catalog", argv[optind]);
		}
		o.in_domain = d;
		o.has_in_domain = 1;
		sb_init(&line);
		sb_addf(&line, "%s%s", dislike ? "not " : "", argv[optind + 1]);
		rc = session_line(st, &o, line.buf, json);
		sb_release(&line);
	} else {
		struct strbuf line;

		sb_init(&line);
		sb_addf(&line, "forget %s", argv[optind]);
		rc = session_line(st, &o, line.buf, json);
		sb_release(&line);
	}
	cat_release(&cat);
	store_close(st);
	return rc;
}

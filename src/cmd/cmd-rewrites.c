/* dialab rewrites: mine, list, review and export rewrites learnt from rephrases. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/jsonw.h"
#include "dialab/rewrite.h"
#include "dialab/strbuf.h"

static const char usage[] = "usage: dialab rewrites mine|list|accept|reject|retire|undo|eval|export"
	" [--global] [--personal] [--min-support N] [--gap seconds] [--split share]"
	" [--status status] [--scope scope] [--user name] [--all] [--json] [--db path] [id ...]";

enum { O_GLOBAL = 0x200, O_PERSONAL, O_SUPPORT, O_GAP, O_SPLIT, O_STATUS, O_SCOPE, O_USER,
       O_ALL, O_JSON };

struct list_ctx {
	int json;
	long n;
	struct strbuf a, b, c;
};

static int
print_one(void *ctx, const struct st_rewrite *r)
{
	struct list_ctx *l = ctx;
	char pb[16], pa[16];

	l->n++;
	if (l->json) {
		cli_print_json(rw_json(r));
		return 0;
	}
	snprintf(pb, sizeof(pb), r->p_before >= 0 ? "%.2f" : "?", r->p_before);
	snprintf(pa, sizeof(pa), r->p_after >= 0 ? "%.2f" : "?", r->p_after);
	printf("#%-5lld %-8s %-9s %-8s %4ld sessions  %s -> %s  \"%s\" -> \"%s\"\n",
	       (long long)r->id, r->status, r->scope, r->user ? cli_safe(&l->c, r->user) : "-",
	       r->support, pb, pa, cli_safe(&l->a, r->from), cli_safe(&l->b, r->to));
	return 0;
}

/* `export`: one JSON object a line, as a runtime would load them. */
static int
export_one(void *ctx, const struct st_rewrite *r)
{
	json_t *o = rw_json(r);

	(void)ctx;
	json_object_del(o, "id");
	cli_print_json(o);
	return 0;
}

struct ids_ctx {
	int64_t *v;
	size_t n, cap;
};

static int
collect(void *ctx, const struct st_rewrite *r)
{
	struct ids_ctx *c = ctx;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = r->id;
	return 0;
}

static int
parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end || *out < 0;
}

/* accept, reject, retire or undo the rewrites named (or, with --all, those of q). */
static int
decide(struct store *st, const char *action, char **ids, int nids, int all,
       const struct st_rewrite_query *q, int json)
{
	struct dl_error err = { 0 };
	struct ids_ctx c = { 0 };
	long changed = 0, same = 0;
	size_t i;
	int rc = 0;

	if (all) {
		struct st_rewrite_query pq = *q;

		if (!pq.status)
			pq.status = "proposed";
		if (store_rewrites_each(st, &pq, collect, &c, &err))
			return cli_error("rewrites", &err);
	}
	for (i = 0; i < (size_t)nids; i++) {
		long id;
		const char *s = ids[i][0] == '#' ? ids[i] + 1 : ids[i];

		if (parse_long(s, &id) || !id) {
			free(c.v);
			return cli_usage("rewrites", usage, "not a rewrite id: '%s'", ids[i]);
		}
		collect(&c, &(struct st_rewrite){ .id = id });
	}
	if (store_begin(st, &err)) {
		free(c.v);
		return cli_error("rewrites", &err);
	}
	for (i = 0; i < c.n; i++) {
		int r = store_rewrite_decide(st, c.v[i], action, cli.annotator, &err);

		if (r < 0) {
			store_rollback(st);
			free(c.v);
			return cli_error("rewrites", &err);
		}
		if (r == 2) {
			store_rollback(st);
			fprintf(stderr, "dialab rewrites: %s #%lld: %s\n", action, (long long)c.v[i],
				strcmp(action, "undo") ? "no such rewrite" : "nothing of yours to undo");
			free(c.v);
			return DL_EX_NOINPUT;
		}
		changed += r == 1;
		same += r == 0;
	}
	if (store_commit(st, &err))
		rc = cli_error("rewrites", &err);
	else if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "action", json_string(action));
		json_object_set_new(o, "changed", json_integer(changed));
		json_object_set_new(o, "unchanged", json_integer(same));
		cli_print_json(o);
	} else {
		printf("%s: %ld rewrite%s changed", action, changed, changed == 1 ? "" : "s");
		if (same)
			printf(", %ld already so", same);
		printf("\n");
	}
	free(c.v);
	return rc;
}

static void
print_tally(const char *name, json_t *t)
{
	json_t *wl = json_object_get(t, "win_loss"), *dr = json_object_get(t, "defect_reduction");

	printf("  %-18s fired %6lld  wins %6lld  losses %6lld  unsure %6lld  win/loss %s%.1f"
	       "  defects repaired %.1f%%\n", name,
	       (long long)json_integer_value(json_object_get(t, "fired")),
	       (long long)json_integer_value(json_object_get(t, "wins")),
	       (long long)json_integer_value(json_object_get(t, "losses")),
	       (long long)json_integer_value(json_object_get(t, "unsure")),
	       json_is_null(wl) ? "inf " : "", json_is_null(wl) ? 0.0 : json_real_value(wl),
	       json_is_null(dr) ? 0.0 : 100 * json_real_value(dr));
}

int
cmd_rewrites(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "global", no_argument, NULL, O_GLOBAL },
		{ "personal", no_argument, NULL, O_PERSONAL },
		{ "min-support", required_argument, NULL, O_SUPPORT },
		{ "gap", required_argument, NULL, O_GAP },
		{ "split", required_argument, NULL, O_SPLIT },
		{ "status", required_argument, NULL, O_STATUS },
		{ "scope", required_argument, NULL, O_SCOPE },
		{ "user", required_argument, NULL, O_USER },
		{ "all", no_argument, NULL, O_ALL },
		{ "json", no_argument, NULL, O_JSON },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const actions[] = {
		"mine", "list", "accept", "reject", "retire", "undo", "eval", "export",
	};
	static const char *const statuses[] = { "proposed", "accepted", "rejected", "retired" };
	struct cli_opts opts = { "h", longopts, usage, CLI_ANY, 0, 0 };
	struct st_rewrite_query q = { 0 };
	struct dl_error err = { 0 };
	struct cli_progress prog;
	struct rw_opts o;
	struct store *st;
	const char *op;
	long support = -1;
	int ch, json = 0, all = 0, rc, writes;
	char *end;

	rw_opts_default(&o);
	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		switch (ch) {
		case O_GLOBAL: o.global = 1; break;
		case O_PERSONAL: o.personal = 1; break;
		case O_SUPPORT:
			if (parse_long(optarg, &support) || support < 1)
				return cli_usage("rewrites", usage,
						 "--min-support wants a count of 1 or more, not '%s'", optarg);
			break;
		case O_GAP:
			o.gap = strtod(optarg, &end);
			if (*end || !(o.gap > 0))
				return cli_usage("rewrites", usage,
						 "--gap wants seconds above 0, not '%s'", optarg);
			break;
		case O_SPLIT:
			o.split = strtod(optarg, &end);
			if (*end || !(o.split > 0 && o.split < 1))
				return cli_usage("rewrites", usage,
						 "--split wants a share between 0 and 1, not '%s'", optarg);
			break;
		case O_STATUS:
			if (str_index(statuses, 4, optarg) < 0)
				return cli_usage("rewrites", usage, "--status: one of proposed, accepted,"
						 " rejected, retired, not '%s'", optarg);
			q.status = optarg;
			break;
		case O_SCOPE:
			if (strcmp(optarg, "global") && strcmp(optarg, "personal"))
				return cli_usage("rewrites", usage,
						 "--scope: global or personal, not '%s'", optarg);
			q.scope = optarg;
			break;
		case O_USER: q.user = optarg; break;
		case O_ALL: all = 1; break;
		case O_JSON: json = 1; break;
		}
	}
	if (ch < 0)
		return opts.status;
	if (optind >= argc)
		return cli_usage("rewrites", usage, "say what to do: mine, list, accept, reject,"
				 " retire, undo, eval or export");
	op = argv[optind++];
	if (str_index(actions, sizeof(actions) / sizeof(actions[0]), op) < 0)
		return cli_usage("rewrites", usage, "unknown action '%s'", op);
	writes = !strcmp(op, "mine") || !strcmp(op, "accept") || !strcmp(op, "reject") ||
		 !strcmp(op, "retire") || !strcmp(op, "undo");
	if (writes && strcmp(op, "mine") && optind >= argc && !all)
		return cli_usage("rewrites", usage, "%s which? give rewrite ids, or --all", op);
	if ((!writes || !strcmp(op, "mine")) && optind < argc)
		return cli_usage("rewrites", usage, "unexpected argument '%s'", argv[optind]);
	if (all && strcmp(op, "accept") && strcmp(op, "reject") && strcmp(op, "retire"))
		return cli_usage("rewrites", usage, "--all goes with accept, reject or retire");
	if (all && optind < argc)
		return cli_usage("rewrites", usage, "give rewrite ids or --all, not both");
	if ((o.global || o.personal) && strcmp(op, "mine") && strcmp(op, "eval"))
		return cli_usage("rewrites", usage, "--global and --personal go with mine and eval");
	if (support > 0) {
		o.min_support = support;
		q.min_support = support;
	}
	if ((rc = cli_open_store("rewrites", writes ? STORE_WRITE : STORE_READ, &st)))
		return rc;
	if (!strcmp(op, "mine")) {
		struct rw_summary s;

		cli_progress_init(&prog, "rewrites");
		o.progress = cli_progress;
		o.progress_ctx = &prog;
		rc = rw_mine(st, &o, &s, &err);
		cli_progress_clear(&prog);
		if (rc) {
			rc = cli_error("rewrites", &err);
		} else if (json) {
			json_t *r = json_object();

			json_object_set_new(r, "proposed", json_integer(s.proposed));
			json_object_set_new(r, "global", json_integer(s.global));
			json_object_set_new(r, "personal", json_integer(s.personal));
			json_object_set_new(r, "new", json_integer(s.created));
			json_object_set_new(r, "updated", json_integer(s.updated));
			json_object_set_new(r, "sessions", json_integer(s.sessions));
			json_object_set_new(r, "rephrase_sessions", json_integer(s.rephrase_sessions));
			json_object_set_new(r, "utterances", json_integer(s.states));
			json_object_set_new(r, "dialogues", json_integer(s.dialogues));
			json_object_set_new(r, "turns", json_integer(s.turns));
			cli_print_json(r);
		} else {
			printf("%ld turns of %ld dialogues: %ld sessions, %ld of them rephrases,"
			       " over %ld distinct utterances\n", s.turns, s.dialogues, s.sessions,
			       s.rephrase_sessions, s.states);
			printf("%ld rewrites found (%ld global, %ld personal): %ld new, %ld updated"
			       " (their decisions kept)\n", s.proposed, s.global, s.personal,
			       s.created, s.updated);
			printf("next: dialab rewrites list --status proposed\n");
		}
	} else if (!strcmp(op, "list") || !strcmp(op, "export")) {
		struct list_ctx l = { .json = json };

		sb_init(&l.a);
		sb_init(&l.b);
		sb_init(&l.c);
		if (!strcmp(op, "export") && !q.status)
			q.status = "accepted";
		if (store_rewrites_each(st, &q, !strcmp(op, "list") ? print_one : export_one, &l,
					&err))
			rc = cli_error("rewrites", &err);
		else if (!json && !strcmp(op, "list") && !l.n)
			printf("no rewrites%s; 'dialab rewrites mine' finds them\n",
			       q.status || q.scope || q.user ? " match" : "");
		sb_release(&l.a);
		sb_release(&l.b);
		sb_release(&l.c);
	} else if (!strcmp(op, "eval")) {
		json_t *r = rw_eval(st, &o, &err);

		if (!r) {
			rc = cli_error("rewrites", &err);
		} else if (json) {
			cli_print_json(r);
		} else {
			printf("mined on the oldest %lld of %lld sessions, replayed the other %lld"
			       " (%lld turns, %lld of them defective)\n",
			       (long long)json_integer_value(json_object_get(r, "train_sessions")),
			       (long long)json_integer_value(json_object_get(r, "sessions")),
			       (long long)json_integer_value(json_object_get(r, "test_sessions")),
			       (long long)json_integer_value(json_object_get(r, "test_turns")),
			       (long long)json_integer_value(json_object_get(r, "defective_turns")));
			printf("rewrites mined: %lld global, %lld personal; precomputed, exact match:\n",
			       (long long)json_integer_value(json_object_get(r, "mined_global")),
			       (long long)json_integer_value(json_object_get(r, "mined_personal")));
			print_tally("global", json_object_get(r, "global"));
			print_tally("global + personal", json_object_get(r, "global_personal"));
			printf("online (retrieval over the forms that worked, global and personal):\n");
			print_tally("online alone", json_object_get(r, "online"));
			print_tally("precomputed, then", json_object_get(r, "precomputed_online"));
			{
				json_t *rt = json_object_get(r, "retrieval");

				printf("  retrieval on %lld held-out (failed -> successful) sessions:"
				       " hit@1 %.3f  MRR %.3f\n",
				       (long long)json_integer_value(json_object_get(rt, "pairs")),
				       json_number_value(json_object_get(rt, "hit_at_1")),
				       json_number_value(json_object_get(rt, "mrr")));
			}
			json_decref(r);
		}
	} else {
		rc = decide(st, op, argv + optind, argc - optind, all, &q, json);
	}
	store_close(st);
	return rc;
}

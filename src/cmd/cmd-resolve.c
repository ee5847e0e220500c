#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/clock.h"
#include "dialab/fmt.h"
#include "dialab/resolve.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab resolve --user name [--device-type type] [--screen yes|no]"
	" [--room room] [--device-state key=value]... [--at time] [--timezone zone] [--location place]"
	" [--previous-intent intent] [--context json] [--catalog file] [--no-rewrite] [--json]"
	" [--db path] utterance\n"
	"       dialab resolve --batch file [--user name] [--device-type type] [--context json] [--catalog file]"
	" [--no-rewrite] [--db path]";


/* The string k of o, made safe. */
static const char *
S(const json_t *o, const char *k)
{
	return cli_safe_str(json_string_value(json_object_get(o, k)));
}

static void
print_report(const json_t *r)
{
	const json_t *in = json_object_get(r, "interpretation"), *v, *c;
	const char *key;
	size_t i;

	printf("%s, for %s%s%s: \"%s\"\n", "resolve", S(r, "user"), S(r, "device") ? " on a " : "",
	       S(r, "device") ? S(r, "device") : "", S(r, "utterance"));
	if ((c = json_object_get(r, "rewrite")) && json_is_object(c)) {
		const json_t *p = json_object_get(c, "provenance");
		long long n = (long long)json_integer_value(json_object_get(c, "support"));

		printf("  rewritten to \"%s\" by the %s %s rewrite", S(c, "to"), S(c, "scope"),
		       S(c, "layer"));
		if (json_is_integer(json_object_get(c, "id")))
			printf(" #%lld", (long long)json_integer_value(json_object_get(c, "id")));
		if (S(c, "user"))
			printf(" of %s", S(c, "user"));
		if (!strcmp(S(c, "layer"), "online"))
			printf(" (retrieved from the utterances that worked, score %.2f)\n",
			       json_number_value(json_object_get(c, "score")));
		else if (S(p, "kind") && !strcmp(S(p, "kind"), "taught"))
			printf(" (taught: \"%s\")\n", S(p, "said"));
		else
			printf(" (accepted; %lld session%s, P(success) %.2f)\n", n, n == 1 ? "" : "s",
			       json_number_value(json_object_get(c, "score")));
	}
	if ((c = json_object_get(r, "closest")))
		printf("  closest logged utterance: \"%s\" (%s turn %d, similarity %.2f)\n",
		       S(c, "text"), S(c, "dialogue"), (int)json_integer_value(json_object_get(c, "turn")),
		       json_number_value(json_object_get(c, "similarity")));
	c = json_object_get(r, "context");
	printf("  context:%s", json_array_size(json_object_get(c, "features")) ? "" : " none");
	json_array_foreach(json_object_get(c, "features"), i, v)
		printf("%s%s", i ? ", " : " ", cli_safe_str(json_string_value(v)));
	printf("\n");
	printf("  understood by %s\n", S(in, "source"));
	printf("  intent: %s", S(in, "intent") ? S(in, "intent") : "(none)");
	if (json_is_number(json_object_get(in, "confidence")))
		printf(" %.2f", json_number_value(json_object_get(in, "confidence")));
	if ((c = json_object_get(json_object_get(r, "context"), "intent")) && json_is_object(c)) {
		const json_t *w = json_object_get(c, "without"), *b = json_object_get(c, "because");

		printf("\n  what the context changed: ");
		json_array_foreach(b, i, v)
			printf("%s%s", i ? " and " : "", cli_safe_str(json_string_value(v)));
		printf(" -> intent %s (without it: %s %.2f)", S(c, "value"), S(w, "value"),
		       json_number_value(json_object_get(w, "confidence")));
	}
	printf("\n  slots from the words:%s\n", json_array_size(json_object_get(in, "slots")) ? "" :
	       " none");
	json_array_foreach(json_object_get(in, "slots"), i, v)
		printf("    %s = \"%s\"\n", S(v, "type"), S(v, "text"));
	printf("  what the context and preferences changed in the slots:%s\n",
	       json_array_size(json_object_get(r, "changes")) ? "" : " nothing");
	json_array_foreach(json_object_get(r, "changes"), i, v)
		printf("    %-10s %s = %s  <- %s\n", S(v, "action"), S(v, "slot"), S(v, "value"),
		       S(v, "because"));
	json_object_foreach((json_t *)json_object_get(r, "ranking"), key, v) {
		const json_t *x;
		size_t k;

		printf("  %s order: ", cli_safe_str(key));
		json_array_foreach(json_object_get(v, "prefer"), k, x)
			printf("%s%s", k ? " > " : "", cli_safe_str(json_string_value(x)));
		if (!json_array_size(json_object_get(v, "prefer")))
			printf("(no likes)");
		json_array_foreach(json_object_get(v, "avoid"), k, x)
			printf("%s%s", k ? ", " : "; last: ", cli_safe_str(json_string_value(x)));
		printf("\n");
	}
	v = json_object_get(r, "result");
	printf("result: %s", S(v, "intent") ? S(v, "intent") : "(no intent)");
	json_object_foreach((json_t *)json_object_get(v, "slots"), key, c)
		printf(" %s=\"%s\"", cli_safe_str(key), cli_safe_str(json_string_value(c)));
	printf("\n");
}

/*
 * --batch: one request a line, {"user", "text"} and optionally
 * "device"; one --json result a line, in order.  A bad line gets
 * {"line", "error"} in its place, and the exit status says so.
 */
/*
 * The situation of one request: base (the command line's) with the
 * members of over (a --batch line's, or --context) on top; "device"
 * may be a device type alone.  A new object.
 */
static json_t *
situation_over(const json_t *base, const json_t *over)
{
	json_t *s = base ? json_deep_copy(base) : json_object();
	static const char *const objs[] = { "device", "context", "device_state" };
	static const char *const vals[] = { "ts", "previous_intent" };
	size_t i;

	for (i = 0; i < 3; i++) {
		json_t *v = json_object_get(over, objs[i]), *have = json_object_get(s, objs[i]);

		if (i == 0 && json_is_string(v))
			v = json_pack("{s:O}", "type", v);
		else
			json_incref(v);
		if (!v)
			continue;
		if (json_is_object(v) && json_is_object(have))
			json_object_update(have, v);
		else
			json_object_set(s, objs[i], v);
		json_decref(v);
	}
	for (i = 0; i < 2; i++)
		if (json_object_get(over, vals[i]))
			json_object_set(s, vals[i], json_object_get(over, vals[i]));
	return s;
}

static int
batch(struct resolver *rs, const char *path, const char *user, const json_t *base,
      int no_rewrite)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	long line = 0, bad = 0;
	struct dl_error err = { 0 };
	const char *trace_path = getenv("DIALAB_TRACE");
	FILE *trace = trace_path ? fopen(trace_path, "a") : NULL;

	if (!fp) {
		dl_error_set(&err, DL_EX_NOINPUT, path, 0, NULL, "cannot open: %s", strerror(errno));
		return cli_error("resolve", &err);
	}
	while ((n = getline(&buf, &cap, fp)) >= 0) {
		json_error_t je;
		json_t *o, *r = NULL, *sit = NULL;
		const char *u, *text, *why = NULL;
		char msg[300];

		double t0 = clock_ms();

		line++;
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		o = json_loadb(buf, (size_t)n, 0, &je);
		u = json_string_value(json_object_get(o, "user"));
		text = json_string_value(json_object_get(o, "text"));
		if (!o)
			snprintf(msg, sizeof(msg), "not JSON: %s", je.text), why = msg;
		else if (!json_is_object(o))
			why = "expected an object";
		else if (!text || !*text)
			why = "$.text: expected the utterance, a string";
		else if (json_object_get(o, "user") && !u)
			why = "$.user: expected a string";
		else if (!u && !user)
			why = "$.user: whose request is it? (or give --user)";
		else if (resolve_situation_check((sit = situation_over(base, o)), &err) ||
			 !(r = resolver_run(rs, u ? u : user, sit, text, no_rewrite, &err)))
			why = dl_error_str(&err, msg, sizeof(msg));
		json_decref(sit);
		if (why) {
			char where[64];

			bad++;
			snprintf(where, sizeof(where), "%s:%ld", strcmp(path, "-") ? path : "<stdin>", line);
			fprintf(stderr, "dialab resolve: %s: %s\n", where, why);
			r = json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", why);
			dl_error_clear(&err);
		}
		if (trace)	/* the time of each line, for make bench (the first loads the index) */
			fprintf(trace, "%ld %.4f\n", line, clock_ms() - t0);
		cli_print_json(r);
		json_decref(o);
	}
	if (trace)
		fclose(trace);
	free(buf);
	if (fp != stdin)
		fclose(fp);
	return bad ? DL_EX_DATAERR : 0;
}

/* Set member k of the object member obj of s (made when absent) to v. */
static void
put_in(json_t *s, const char *obj, const char *k, json_t *v)
{
	json_t *o = json_object_get(s, obj);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(s, obj, o);
	}
	json_object_set_new(o, k, v);
}

/* One context option into the situation s; 0, or a usage error's status. */
static int
context_opt(json_t *s, int ch, const char *arg)
{
	char *eq, *end;
	json_t *v;
	json_error_t je;
	double t;

	switch (ch) {
	case 'd':
		put_in(s, "device", "type", json_string(arg));
		return 0;
	case 'S':
		if (strcmp(arg, "yes") && strcmp(arg, "no"))
			return cli_usage("resolve", usage, "--screen takes yes or no");
		put_in(s, "device", "screen", json_boolean(!strcmp(arg, "yes")));
		return 0;
	case 'r':
		put_in(s, "device", "room", json_string(arg));
		return 0;
	case 'k':
		if (!(eq = strchr(arg, '=')) || eq == arg)
			return cli_usage("resolve", usage, "--device-state takes key=value");
		*eq = 0;
		put_in(s, "device_state", arg, json_string(eq + 1));
		*eq = '=';
		return 0;
	case 'a':
		t = strtod(arg, &end);
		v = *arg && !*end ? json_real(t) : json_string(arg);
		if (fmt_ts_parse(v, &t)) {
			json_decref(v);
			return cli_usage("resolve", usage, "--at takes Unix seconds or an RFC 3339 time"
					 " such as 2026-01-09T23:00:00-08:00");
		}
		json_object_set_new(s, "ts", v);
		return 0;
	case 'z':
		put_in(s, "context", "timezone", json_string(arg));
		return 0;
	case 'l':
		put_in(s, "context", "location", json_string(arg));
		return 0;
	case 'p':
		json_object_set_new(s, "previous_intent", json_string(arg));
		return 0;
	case 'C':
		if (!(v = json_loads(arg, JSON_REJECT_DUPLICATES, &je)) || !json_is_object(v)) {
			json_decref(v);
			return cli_usage("resolve", usage, "--context takes a JSON object such as"
					 " {\"device\": {\"type\": \"speaker\"}}");
		}
		/* the options given after it override it, those before are overridden */
		{
			json_t *merged = situation_over(s, v);

			json_object_clear(s);
			json_object_update(s, merged);
			json_decref(merged);
		}
		json_decref(v);
		return 0;
	}
	return 0;
}

int
cmd_resolve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "device", required_argument, NULL, 'd' },
		{ "device-type", required_argument, NULL, 'd' },
		{ "screen", required_argument, NULL, 'S' },
		{ "room", required_argument, NULL, 'r' },
		{ "device-state", required_argument, NULL, 'k' },
		{ "at", required_argument, NULL, 'a' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "location", required_argument, NULL, 'l' },
		{ "previous-intent", required_argument, NULL, 'p' },
		{ "context", required_argument, NULL, 'C' },
		{ "catalog", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-rewrite", no_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct cli_opts opts = { "h", longopts, usage, CLI_ANY, 0, 0 };
	struct dl_error err = { 0 };
	struct catalog cat;
	struct store *st;
	const char *user = NULL, *catalog = NULL, *batch_path = NULL;
	json_t *r, *sit = json_object();
	int ch, json = 0, no_rewrite = 0, rc = 0;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0 && !rc) {
		if (ch == 'u')
			user = optarg;
		else if (ch == 'c')
			catalog = optarg;
		else if (ch == 'j')
			json = 1;
		else if (ch == 'n')
			no_rewrite = 1;
		else if (ch == 'b')
			batch_path = optarg;
		else
			rc = context_opt(sit, ch, optarg);
	}
	if (ch < 0 || rc) {
		json_decref(sit);
		return ch < 0 ? opts.status : rc;
	}
	if (resolve_situation_check(sit, &err)) {
		json_decref(sit);
		return cli_usage("resolve", usage, "--context: %s: %s", err.path, err.msg);
	}
	if (batch_path && optind < argc)
		rc = cli_usage("resolve", usage, "--batch reads the utterances from its file, not"
			       " from the command line");
	else if (batch_path && json)
		rc = cli_usage("resolve", usage, "--batch always writes JSON: no --json");
	else if (!batch_path && (!user || !*user))
		rc = cli_usage("resolve", usage, "whose request is it? give --user");
	else if (!batch_path && optind + 1 != argc)
		rc = cli_usage("resolve", usage, optind == argc ? "give the utterance to resolve" :
			       "one utterance, in quotes");
	else if (!batch_path && !*argv[optind])
		rc = cli_usage("resolve", usage, "the utterance is empty");
	if (rc || (rc = cli_open(&opts, &st))) {
		json_decref(sit);
		return rc;
	}
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		json_decref(sit);
		return cli_error("resolve", &err);
	}
	if (batch_path) {
		struct resolver *rs = resolver_new(st, &cat, &err);

		rc = rs ? batch(rs, batch_path, user, sit, no_rewrite) : cli_error("resolve", &err);
		resolver_free(rs);
		cat_release(&cat);
		store_close(st);
		json_decref(sit);
		return rc;
	}
	r = resolve_utterance(st, &cat, user, sit, argv[optind], no_rewrite, &err);
	cat_release(&cat);
	store_close(st);
	json_decref(sit);
	if (!r)
		return cli_error("resolve", &err);
	if (json)
		cli_print_json(r);
	else {
		print_report(r);
		json_decref(r);
	}
	return 0;
}

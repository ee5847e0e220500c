#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "dialab/cli.h"
#include "dialab/clock.h"
#include "dialab/resolve.h"
#include "dialab/teach.h"

static const char usage[] = "usage: dialab resolve --user name [--device type] [--catalog file]"
	" [--no-rewrite] [--json] [--db path] utterance\n"
	"       dialab resolve --batch file [--user name] [--device type] [--catalog file]"
	" [--no-rewrite] [--db path]";

/* v made safe for the terminal (NULL stays NULL); eight at a time. */
static const char *
safe(const char *v)
{
	static struct strbuf ring[8];
	static unsigned next;

	return v ? cli_safe(&ring[next++ % 8], v) : NULL;
}

/* The string k of o, made safe. */
static const char *
S(const json_t *o, const char *k)
{
	return safe(json_string_value(json_object_get(o, k)));
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
	printf("  understood by %s\n", S(in, "source"));
	printf("  intent: %s", S(in, "intent") ? S(in, "intent") : "(none)");
	if (json_is_number(json_object_get(in, "confidence")))
		printf(" %.2f", json_number_value(json_object_get(in, "confidence")));
	printf("\n  slots from the words:%s\n", json_array_size(json_object_get(in, "slots")) ? "" :
	       " none");
	json_array_foreach(json_object_get(in, "slots"), i, v)
		printf("    %s = \"%s\"\n", S(v, "type"), S(v, "text"));
	printf("  what the preferences changed:%s\n",
	       json_array_size(json_object_get(r, "changes")) ? "" : " nothing");
	json_array_foreach(json_object_get(r, "changes"), i, v)
		printf("    %-10s %s = %s  <- %s\n", S(v, "action"), S(v, "slot"), S(v, "value"),
		       S(v, "because"));
	json_object_foreach((json_t *)json_object_get(r, "ranking"), key, v) {
		const json_t *x;
		size_t k;

		printf("  %s order: ", safe(key));
		json_array_foreach(json_object_get(v, "prefer"), k, x)
			printf("%s%s", k ? " > " : "", safe(json_string_value(x)));
		if (!json_array_size(json_object_get(v, "prefer")))
			printf("(no likes)");
		json_array_foreach(json_object_get(v, "avoid"), k, x)
			printf("%s%s", k ? ", " : "; last: ", safe(json_string_value(x)));
		printf("\n");
	}
	v = json_object_get(r, "result");
	printf("result: %s", S(v, "intent") ? S(v, "intent") : "(no intent)");
	json_object_foreach((json_t *)json_object_get(v, "slots"), key, c)
		printf(" %s=\"%s\"", safe(key), safe(json_string_value(c)));
	printf("\n");
}

/*
 * --batch: one request a line, {"user", "text"} and optionally
 * "device"; one --json result a line, in order.  A bad line gets
 * {"line", "error"} in its place, and the exit status says so.
 */
static int
batch(struct resolver *rs, const char *path, const char *user, const char *device,
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
		json_t *o, *r = NULL;
		const char *u, *d, *text, *why = NULL;
		char msg[300];

		double t0 = clock_ms();

		line++;
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		o = json_loadb(buf, (size_t)n, 0, &je);
		u = json_string_value(json_object_get(o, "user"));
		d = json_string_value(json_object_get(o, "device"));
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
		else if (!(r = resolver_run(rs, u ? u : user, d ? d : device, text, no_rewrite, &err)))
			why = dl_error_str(&err, msg, sizeof(msg));
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

int
cmd_resolve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "device", required_argument, NULL, 'd' },
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
	const char *user = NULL, *device = NULL, *catalog = NULL, *batch_path = NULL;
	json_t *r;
	int ch, json = 0, no_rewrite = 0, rc;

	while ((ch = cli_getopt(&opts, argc, argv)) > 0) {
		if (ch == 'u')
			user = optarg;
		else if (ch == 'd')
			device = optarg;
		else if (ch == 'c')
			catalog = optarg;
		else if (ch == 'j')
			json = 1;
		else if (ch == 'n')
			no_rewrite = 1;
		else if (ch == 'b')
			batch_path = optarg;
	}
	if (ch < 0)
		return opts.status;
	if (batch_path && optind < argc)
		return cli_usage("resolve", usage, "--batch reads the utterances from its file, not"
				 " from the command line");
	if (batch_path && json)
		return cli_usage("resolve", usage, "--batch always writes JSON: no --json");
	if (batch_path) {
		struct resolver *rs;

		if ((rc = cli_open(&opts, &st)))
			return rc;
		if (teach_catalog(&cat, catalog, st, &err)) {
			store_close(st);
			return cli_error("resolve", &err);
		}
		if (!(rs = resolver_new(st, &cat, &err))) {
			cat_release(&cat);
			store_close(st);
			return cli_error("resolve", &err);
		}
		rc = batch(rs, batch_path, user, device, no_rewrite);
		resolver_free(rs);
		cat_release(&cat);
		store_close(st);
		return rc;
	}
	if (!user || !*user)
		return cli_usage("resolve", usage, "whose request is it? give --user");
	if (optind + 1 != argc)
		return cli_usage("resolve", usage, optind == argc ? "give the utterance to resolve" :
				 "one utterance, in quotes");
	if (!*argv[optind])
		return cli_usage("resolve", usage, "the utterance is empty");
	if ((rc = cli_open(&opts, &st)))
		return rc;
	if (teach_catalog(&cat, catalog, st, &err)) {
		store_close(st);
		return cli_error("resolve", &err);
	}
	r = resolve_utterance(st, &cat, user, device, argv[optind], no_rewrite, &err);
	cat_release(&cat);
	store_close(st);
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

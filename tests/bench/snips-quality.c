/*
 * Quality and speed of the intent classifier and the slot tagger on a
 * SNIPS split (folders of seq.in, seq.out and label, as in
 * data/snips/{train,valid,test}): trains both on one folder, scores on
 * another and prints intent accuracy, CoNLL span precision, recall and
 * F1 (a span counts only when type, start and end all match), exact
 * match, training and prediction times and blob sizes.
 *
 * usage: snips-quality [-CGguv] [-e epochs] [-E epochs] [-r repeat] [-s seed]
 *                      train-dir test-dir
 *   -e  intent epochs      -E  slot epochs     -s  seed for both
 *   -C  do not restrict slot types by intent   -G  no gazetteer
 *   -u  tag slots without an intent (-1)
 *   -g  tag slots with the gold intent (oracle) instead of the predicted
 *   -r  passes over the test set when timing prediction (default 20)
 *   -v  per slot type scores
 *
 * Not part of the library: it prints, and exits on bad input.
 */
#include "dialab/intent.h"
#include "dialab/slots.h"
#include "dialab/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: snips-quality [-CGguv] [-e epochs] [-E epochs] [-r repeat] "
	"[-s seed] train-dir test-dir";

struct names {
	char **v;
	size_t n;
};

struct utt {
	char *text;
	int intent;		/* index in the intent names, -1 if unseen */
	struct slot_span *spans;
	size_t nspans;
};

struct split {
	struct utt *u;
	size_t n;
};

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "snips-quality: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Index of s in nm, added when add is set; -1 when absent. */
static int
name_index(struct names *nm, const char *s, int add)
{
	size_t i;

	for (i = 0; i < nm->n; i++)
		if (!strcmp(nm->v[i], s))
			return (int)i;
	if (!add)
		return -1;
	nm->v = xrealloc(nm->v, (nm->n + 1) * sizeof(*nm->v));
	nm->v[nm->n] = xstrdup(s);
	return (int)nm->n++;
}

/* The lines of dir/name, without trailing white space. */
static char **
read_lines(const char *dir, const char *name, size_t *n)
{
	char path[4096], *line = NULL, **v = NULL;
	size_t cap = 0, len, k = 0;
	ssize_t got;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(fp = fopen(path, "r")))
		die("cannot open %s", path);
	while ((got = getline(&line, &cap, fp)) >= 0) {
		len = (size_t)got;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
			       line[len - 1] == ' '))
			line[--len] = '\0';
		v = xrealloc(v, (k + 1) * sizeof(*v));
		v[k++] = xstrdup(line);
	}
	free(line);
	fclose(fp);
	*n = k;
	return v;
}

/* Split s on single spaces, in place. */
static size_t
words(char *s, char ***out)
{
	size_t n = 0;
	char *p, **v = NULL;

	for (p = strtok(s, " "); p; p = strtok(NULL, " ")) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = p;
	}
	*out = v;
	return n;
}

/*
 * Read one folder.  The text is the words joined by one space; the BIO
 * tags become code point spans by the conlleval rules (an I- tag whose
 * type differs from the tag before starts a span).  Types and intents
 * are added to the name tables when add is set, and are -1 otherwise.
 */
static void
read_split(const char *dir, struct split *sp, struct names *types,
	   struct names *intents, int add)
{
	size_t nin, nout, nlab, i, j, nw, nt, cp, *st, *en;
	char **in = read_lines(dir, "seq.in", &nin);
	char **out = read_lines(dir, "seq.out", &nout);
	char **lab = read_lines(dir, "label", &nlab);
	char **w, **t, *cur;
	struct strbuf sb;
	int ct;

	if (nin != nout || nin != nlab)
		die("%s: seq.in, seq.out and label differ in length", dir);
	sp->n = nin;
	sp->u = xmalloc(nin * sizeof(*sp->u));
	sb_init(&sb);
	for (i = 0; i < nin; i++) {
		struct utt *u = &sp->u[i];

		nw = words(in[i], &w);
		nt = words(out[i], &t);
		if (nw != nt)
			die("%s: a line of seq.in and seq.out differ in words", dir);
		if (utf8_invalid_at(in[i], strlen(in[i])) >= 0)
			die("%s: seq.in is not UTF-8", dir);
		sb_reset(&sb);
		st = xmalloc((nw + 1) * sizeof(*st));
		en = xmalloc((nw + 1) * sizeof(*en));
		for (j = cp = 0; j < nw; j++) {
			if (j) {
				sb_addc(&sb, ' ');
				cp++;
			}
			sb_adds(&sb, w[j]);
			st[j] = cp;
			cp += utf8_cp_len(w[j]);
			en[j] = cp;
		}
		u->text = xstrdup(sb.buf);
		u->intent = name_index(intents, lab[i], add);
		u->spans = xmalloc((nw + 1) * sizeof(*u->spans));
		u->nspans = 0;
		cur = NULL;
		for (j = 0; j < nw; j++) {
			const char *tag = t[j];

			if (tag[0] == 'O' && !tag[1]) {
				cur = NULL;
				continue;
			}
			if ((tag[0] != 'B' && tag[0] != 'I') || tag[1] != '-')
				die("bad tag %s", tag);
			if (tag[0] == 'I' && cur && !strcmp(cur, tag + 2)) {
				u->spans[u->nspans - 1].end = en[j];
				continue;
			}
			cur = t[j] + 2;
			ct = name_index(types, cur, add);
			u->spans[u->nspans].type = ct;
			u->spans[u->nspans].start = st[j];
			u->spans[u->nspans].end = en[j];
			u->spans[u->nspans].confidence = 1;
			u->nspans++;
		}
		free(st);
		free(en);
		free(w);
		free(t);
	}
	sb_release(&sb);
	for (i = 0; i < nin; i++) {
		free(in[i]);
		free(out[i]);
		free(lab[i]);
	}
	free(in);
	free(out);
	free(lab);
}

static void
prf(const char *what, long tp, long npred, long ngold)
{
	double p = npred ? (double)tp / (double)npred : 0;
	double r = ngold ? (double)tp / (double)ngold : 0;

	printf("%-22s P %.4f  R %.4f  F1 %.4f  (%ld/%ld/%ld)\n", what, p, r,
	       p + r > 0 ? 2 * p * r / (p + r) : 0, tp, npred, ngold);
}

int
main(int argc, char **argv)
{
	struct names types = { NULL, 0 }, intents = { NULL, 0 };
	struct split tr, te;
	struct intent_params ip;
	struct slots_params spp;
	struct intent_example *iex;
	struct slots_example *sex;
	struct intent_model *im;
	struct slots_model *sm;
	struct intent_candidate cand;
	struct slot_span *pred;
	struct dl_error err;
	struct strbuf ib, sbb;
	double t0, ti, ts, tpi, tps;
	long tp = 0, npred = 0, ngold = 0, *ttp, *tpr, *tgo;
	int *pin;
	size_t i, j, k, good = 0, exact = 0, sexact = 0, maxsp = 256;
	int gold = 0, verbose = 0, repeat = 20, ch, r;
	long np;
	char buf[1024];

	intent_params_init(&ip);
	slots_params_init(&spp);
	while ((ch = getopt(argc, argv, "CGe:E:gr:s:uv")) != -1)
		switch (ch) {
		case 'C':
			spp.constrain = 0;
			break;
		case 'G':
			spp.gazetteer = 0;
			break;
		case 'e':
			ip.epochs = atoi(optarg);
			break;
		case 'E':
			spp.epochs = atoi(optarg);
			break;
		case 'g':
			gold = 1;
			break;
		case 'r':
			repeat = atoi(optarg) > 0 ? atoi(optarg) : 1;
			break;
		case 's':
			ip.seed = spp.seed = strtoull(optarg, NULL, 10);
			break;
		case 'u':
			gold = -1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "%s\n", usage);
			return 64;
		}
	if (argc - optind != 2) {
		fprintf(stderr, "%s\n", usage);
		return 64;
	}
	read_split(argv[optind], &tr, &types, &intents, 1);
	read_split(argv[optind + 1], &te, &types, &intents, 0);

	iex = xmalloc(tr.n * sizeof(*iex));
	sex = xmalloc(tr.n * sizeof(*sex));
	for (i = 0; i < tr.n; i++) {
		iex[i].text = tr.u[i].text;
		iex[i].label = tr.u[i].intent;
		iex[i].ctx = NULL;
		sex[i].text = tr.u[i].text;
		sex[i].spans = tr.u[i].spans;
		sex[i].nspans = tr.u[i].nspans;
		sex[i].intent = tr.u[i].intent;
		sex[i].ctx = NULL;
	}
	t0 = now();
	im = intent_train(iex, tr.n, (const char *const *)intents.v, intents.n,
			  &ip, &err);
	ti = now() - t0;
	if (!im)
		die("intent: %s", dl_error_str(&err, buf, sizeof(buf)));
	t0 = now();
	sm = slots_train(sex, tr.n, (const char *const *)types.v, types.n, &spp,
			 &err);
	ts = now() - t0;
	if (!sm)
		die("slots: %s", dl_error_str(&err, buf, sizeof(buf)));

	pred = xmalloc(maxsp * sizeof(*pred));
	pin = xmalloc(te.n * sizeof(*pin));
	ttp = calloc(types.n, sizeof(*ttp));
	tpr = calloc(types.n, sizeof(*tpr));
	tgo = calloc(types.n, sizeof(*tgo));
	if (!ttp || !tpr || !tgo)
		die("out of memory");
	for (i = 0; i < te.n; i++) {
		const struct utt *u = &te.u[i];
		size_t hit = 0;
		int in;

		intent_predict(im, u->text, &cand, 1);
		good += cand.id == u->intent;
		in = pin[i] = gold > 0 ? u->intent : gold < 0 ? -1 : cand.id;
		if ((np = slots_predict(sm, u->text, in, pred, maxsp, &err)) < 0)
			die("predict: %s", dl_error_str(&err, buf, sizeof(buf)));
		for (j = 0; j < (size_t)np; j++) {
			tpr[pred[j].type]++;
			for (k = 0; k < u->nspans; k++)
				if (u->spans[k].type == pred[j].type &&
				    u->spans[k].start == pred[j].start &&
				    u->spans[k].end == pred[j].end) {
					hit++;
					ttp[pred[j].type]++;
				}
		}
		for (k = 0; k < u->nspans; k++)
			if (u->spans[k].type >= 0)
				tgo[u->spans[k].type]++;
		tp += (long)hit;
		npred += np;
		ngold += (long)u->nspans;
		if (hit == u->nspans && hit == (size_t)np) {
			sexact++;
			exact += cand.id == u->intent;
		}
	}

	t0 = now();
	for (r = 0; r < repeat; r++)
		for (i = 0; i < te.n; i++)
			intent_predict(im, te.u[i].text, &cand, 1);
	tpi = (now() - t0) / (double)repeat / (double)te.n;
	t0 = now();
	for (r = 0; r < repeat; r++)
		for (i = 0; i < te.n; i++)
			slots_predict(sm, te.u[i].text, pin[i], pred, maxsp, &err);
	tps = (now() - t0) / (double)repeat / (double)te.n;

	sb_init(&ib);
	sb_init(&sbb);
	intent_save(im, &ib);
	slots_save(sm, &sbb);

	printf("train %zu utterances (%zu intents, %zu slot types), test %zu\n",
	       tr.n, intents.n, types.n, te.n);
	printf("intent accuracy        %.4f  (%zu/%zu)\n",
	       (double)good / (double)te.n, good, te.n);
	prf(gold > 0 ? "slot spans (gold int.)" : gold < 0 ?
	    "slot spans (no intent)" : "slot spans", tp, npred, ngold);
	printf("slots exact match      %.4f  (%zu/%zu)\n",
	       (double)sexact / (double)te.n, sexact, te.n);
	printf("intent + slots exact   %.4f  (%zu/%zu)\n",
	       (double)exact / (double)te.n, exact, te.n);
	printf("train time             intent %.2f s, slots %.2f s, total %.2f s\n",
	       ti, ts, ti + ts);
	printf("predict time           intent %.1f us, slots %.1f us per utterance\n",
	       tpi * 1e6, tps * 1e6);
	printf("model blobs            intent %zu bytes, slots %zu bytes\n",
	       ib.len, sbb.len);
	if (verbose)
		for (k = 0; k < types.n; k++)
			prf(types.v[k], ttp[k], tpr[k], tgo[k]);

	sb_release(&ib);
	sb_release(&sbb);
	intent_free(im);
	slots_free(sm);
	for (i = 0; i < tr.n; i++) {
		free(tr.u[i].text);
		free(tr.u[i].spans);
	}
	for (i = 0; i < te.n; i++) {
		free(te.u[i].text);
		free(te.u[i].spans);
	}
	free(tr.u);
	free(te.u);
	for (i = 0; i < types.n; i++)
		free(types.v[i]);
	for (i = 0; i < intents.n; i++)
		free(intents.v[i]);
	free(types.v);
	free(intents.v);
	free(iex);
	free(sex);
	free(pred);
	free(pin);
	free(ttp);
	free(tpr);
	free(tgo);
	return 0;
}

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/catalog.h"
#include "dialab/tok.h"

const char cat_bundled[] =
#include "catalog-json.h"
;


static size_t
count_words(const char *s)
{
	size_t n = *s != 0;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

static int
bad(struct dl_error *err, const char *name, const char *path, const char *what)
{
	return dl_error_set(err, DL_EX_DATAERR, name, 0, path, "%s", what);
}

/* A required string member; NULL with err set when missing. */
static const char *
str_member(const json_t *o, const char *key, const char *name, const char *at,
	   struct dl_error *err)
{
	const json_t *v = json_object_get(o, key);
	char path[128];

	snprintf(path, sizeof(path), "%s.%s", at, key);
	if (!json_is_string(v) || !json_string_length(v)) {
		bad(err, name, path, v ? "expected a non-empty string" : "missing");
		return NULL;
	}
	return json_string_value(v);
}

/* An optional array of strings into *out (normalised when norm). */
static int
str_array(const json_t *o, const char *key, int norm, char ***out, size_t *n,
	  const char *name, const char *at, struct dl_error *err)
{
	const json_t *a = json_object_get(o, key), *s;
	struct strbuf sb;
	char path[128];
	size_t i;

	*out = NULL;
	*n = 0;
	if (!a)
		return 0;
	snprintf(path, sizeof(path), "%s.%s", at, key);
	if (!json_is_array(a))
		return bad(err, name, path, "expected an array of strings");
	*out = xmalloc((json_array_size(a) + 1) * sizeof(char *));
	sb_init(&sb);
	json_array_foreach(a, i, s) {
		if (!json_is_string(s)) {
			snprintf(path, sizeof(path), "%s.%s[%zu]", at, key, i);
			sb_release(&sb);
			return bad(err, name, path, "expected a string");
		}
		if (norm && !tok_norm(&sb, json_string_value(s)))
			continue;	/* nothing to match on */
		(*out)[(*n)++] = xstrdup(norm ? sb.buf : json_string_value(s));
	}
	sb_release(&sb);
	return 0;
}

static int
flag_member(const json_t *o, const char *key, int *out, const char *name, const char *at,
	    struct dl_error *err)
{
	const json_t *v = json_object_get(o, key);
	char path[128];

	*out = 0;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		snprintf(path, sizeof(path), "%s.%s", at, key);
		return bad(err, name, path, "expected true or false");
	}
	*out = json_is_true(v);
	return 0;
}

static int
parse_value(struct cat_value *cv, const json_t *o, const char *name, const char *at,
	    struct dl_error *err)
{
	const char *s;
	const json_t *g;
	struct strbuf sb;
	size_t i;

	if (!json_is_object(o))
		return bad(err, name, at, "expected an object {\"value\", \"aliases\"}");
	if (!(s = str_member(o, "value", name, at, err)))
		return -1;
	cv->value = xstrdup(s);
	if ((g = json_object_get(o, "group")) && json_is_string(g))
		cv->group = xstrdup(json_string_value(g));
	if (str_array(o, "aliases", 1, &cv->aliases, &cv->naliases, name, at, err))
		return -1;
	/* The value's own name always counts as an alias. */
	sb_init(&sb);
	if (tok_norm(&sb, cv->value)) {
		for (i = 0; i < cv->naliases && strcmp(cv->aliases[i], sb.buf); i++)
			;
		if (i == cv->naliases) {
			cv->aliases = xrealloc(cv->aliases, (cv->naliases + 1) * sizeof(char *));
			cv->aliases[cv->naliases++] = xstrdup(sb.buf);
		}
	}
	sb_release(&sb);
	if (!cv->naliases)
		return bad(err, name, at, "a value with no words to match on");
	return 0;
}

static int
parse_domain(struct catalog *cat, struct cat_domain *d, const json_t *o, const char *name,
	     const char *at, struct dl_error *err)
{
	const char *s;
	const json_t *vals, *v;
	char path[128];
	size_t i;

	if (!json_is_object(o))
		return bad(err, name, at, "expected a domain object");
	if (!(s = str_member(o, "name", name, at, err)))
		return -1;
	if (cat_domain_find(cat, s) >= 0) {
		snprintf(path, sizeof(path), "%s.name", at);
		return dl_error_set(err, DL_EX_DATAERR, name, 0, path, "domain '%s' given twice", s);
	}
	d->name = xstrdup(s);
	if (!(s = str_member(o, "slot", name, at, err)))
		return -1;
	d->slot = xstrdup(s);
	if (!(s = str_member(o, "question", name, at, err)))
		return -1;
	d->question = xstrdup(s);
	s = json_string_value(json_object_get(o, "title"));
	d->title = xstrdup(s ? s : d->name);
	s = json_string_value(json_object_get(o, "mode"));
	if (s && strcmp(s, "fill") && strcmp(s, "rank")) {
		snprintf(path, sizeof(path), "%s.mode", at);
		return bad(err, name, path, "expected \"fill\" or \"rank\"");
	}
	d->fill = !s || !strcmp(s, "fill");
	if (flag_member(o, "single", &d->single, name, at, err) ||
	    flag_member(o, "open", &d->open, name, at, err) ||
	    str_array(o, "intents", 0, &d->intents, &d->nintents, name, at, err) ||
	    str_array(o, "triggers", 1, &d->triggers, &d->ntriggers, name, at, err) ||
	    str_array(o, "hints", 1, &d->hints, &d->nhints, name, at, err))
		return -1;
	vals = json_object_get(o, "values");
	snprintf(path, sizeof(path), "%s.values", at);
	if (!json_is_array(vals) || (!json_array_size(vals) && !d->open))
		return bad(err, name, path, "expected a non-empty array of values");
	d->values = xmalloc((json_array_size(vals) + 1) * sizeof(*d->values));
	memset(d->values, 0, (json_array_size(vals) + 1) * sizeof(*d->values));
	json_array_foreach(vals, i, v) {
		snprintf(path, sizeof(path), "%s.values[%zu]", at, i);
		d->nvalues++;
		if (parse_value(&d->values[i], v, name, path, err))
			return -1;
	}
	return 0;
}

static int
alias_cmp(const void *a, const void *b)
{
	const struct cat_alias *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	if (c)
		return c;
	if (x->dom != y->dom)
		return x->dom < y->dom ? -1 : 1;
	return x->val < y->val ? -1 : x->val > y->val;
}

static void
build_index(struct catalog *cat)
{
	size_t d, v, a, n = 0, k;

	for (d = 0; d < cat->ndomains; d++)
		for (v = 0; v < cat->domains[d].nvalues; v++)
			n += cat->domains[d].values[v].naliases;
	cat->alias = xmalloc((n + 1) * sizeof(*cat->alias));
	for (d = 0; d < cat->ndomains; d++) {
		for (v = 0; v < cat->domains[d].nvalues; v++) {
			struct cat_value *cv = &cat->domains[d].values[v];

			cat->nvalues++;
			for (a = 0; a < cv->naliases; a++) {
				struct cat_alias *x = &cat->alias[cat->nalias++];

				x->text = cv->aliases[a];
				x->ntok = count_words(x->text);
				x->dom = (unsigned)d;
				x->val = (unsigned)v;
				if (x->ntok > cat->max_tok)
					cat->max_tok = x->ntok;
			}
		}
	}
	qsort(cat->alias, cat->nalias, sizeof(*cat->alias), alias_cmp);
	/* An alias given twice for one value counts once. */
	for (k = a = 0; a < cat->nalias; a++)
		if (!k || alias_cmp(&cat->alias[k - 1], &cat->alias[a]))
			cat->alias[k++] = cat->alias[a];
	cat->nalias = k;
}

int
cat_parse(struct catalog *cat, const char *text, size_t len, const char *name,
	  struct dl_error *err)
{
	json_error_t je;
	json_t *root, *doms, *o;
	char path[64];
	size_t i;

	memset(cat, 0, sizeof(*cat));
	snprintf(cat->source, sizeof(cat->source), "%s", name);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return dl_error_set(err, DL_EX_DATAERR, name, je.line, NULL,
				    "not a catalog: %s", je.text);
	doms = json_object_get(root, "domains");
	if (!json_is_object(root) || !json_is_array(doms) || !json_array_size(doms)) {
		json_decref(root);
		return bad(err, name, "$.domains", "expected a non-empty array of domains");
	}
	cat->domains = xmalloc(json_array_size(doms) * sizeof(*cat->domains));
	memset(cat->domains, 0, json_array_size(doms) * sizeof(*cat->domains));
	json_array_foreach(doms, i, o) {
		snprintf(path, sizeof(path), "$.domains[%zu]", i);
		cat->ndomains++;
		if (parse_domain(cat, &cat->domains[i], o, name, path, err)) {
			json_decref(root);
			cat_release(cat);
			return -1;
		}
	}
	json_decref(root);
	build_index(cat);
	return 0;
}

int
cat_load_file(struct catalog *cat, const char *path, struct strbuf *text, struct dl_error *err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf own, *sb = text ? text : &own;
	char buf[8192];
	size_t n;
	int rc;

	memset(cat, 0, sizeof(*cat));
	if (!f)
		return dl_error_set(err, errno == ENOENT ? DL_EX_NOINPUT : DL_EX_IOERR, path, 0,
				    NULL, "cannot read the catalog: %s", strerror(errno));
	if (text)
		sb_reset(sb);
	else
		sb_init(sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_add(sb, buf, n);
	if (ferror(f)) {
		rc = dl_error_set(err, errno == EISDIR ? DL_EX_NOINPUT : DL_EX_IOERR, path, 0,
				  NULL, "cannot read the catalog: %s", strerror(errno));
		fclose(f);
		if (!text)
			sb_release(sb);
		return rc;
	}
	fclose(f);
	rc = cat_parse(cat, sb->buf ? sb->buf : "", sb->len, path, err);
	if (!text)
		sb_release(sb);
	return rc;
}

static void
free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
cat_release(struct catalog *cat)
{
	size_t d, v;

	for (d = 0; d < cat->ndomains; d++) {
		struct cat_domain *cd = &cat->domains[d];

		free(cd->name);
		free(cd->title);
		free(cd->slot);
		free(cd->question);
		free_strs(cd->intents, cd->nintents);
		free_strs(cd->triggers, cd->ntriggers);
		free_strs(cd->hints, cd->nhints);
		for (v = 0; v < cd->nvalues; v++) {
			free(cd->values[v].value);
			free(cd->values[v].group);
			free_strs(cd->values[v].aliases, cd->values[v].naliases);
		}
		free(cd->values);
	}
	free(cat->domains);
	free(cat->alias);
	memset(cat, 0, sizeof(*cat));
}

int
cat_domain_find(const struct catalog *cat, const char *name)
{
	size_t d;

	for (d = 0; d < cat->ndomains; d++)
		if (cat->domains[d].name && !strcmp(cat->domains[d].name, name))
			return (int)d;
	return -1;
}

/* The first alias whose text is s[0..n), or nalias. */
static size_t
lookup(const struct catalog *cat, const char *s, size_t n)
{
	size_t lo = 0, hi = cat->nalias;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(cat->alias[mid].text, s, n);

		if (!c && cat->alias[mid].text[n])
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cat->nalias && !strncmp(cat->alias[lo].text, s, n) && !cat->alias[lo].text[n])
		return lo;
	return cat->nalias;
}

/* The starts of the (at most 64) words of normalised text. */
static size_t
split_words(const char *norm, const char *word[64])
{
	size_t nw = 0;

	while (*norm && nw < 64) {
		word[nw++] = norm;
		while (*norm && *norm != ' ')
			norm++;
		if (*norm)
			norm++;
	}
	return nw;
}

size_t
cat_find(const struct catalog *cat, const char *norm, int dom, struct cat_hit *hits, size_t max)
{
	const char *word[64];
	size_t nw = split_words(norm, word), i, len, nh = 0, a;

	for (i = 0; i < nw && nh < max;) {
		size_t k = cat->max_tok < nw - i ? cat->max_tok : nw - i, found = 0;

		for (; k > 0 && !found; k--) {
			const char *end = word[i];
			size_t j;

			for (j = 0; j < k; j++) {
				while (*end && *end != ' ')
					end++;
				if (j + 1 < k)
					end++;
			}
			len = (size_t)(end - word[i]);
			a = lookup(cat, word[i], len);
			for (; a < cat->nalias && !strncmp(cat->alias[a].text, word[i], len) &&
			     !cat->alias[a].text[len]; a++) {
				struct cat_hit *h = &hits[nh];

				if (dom >= 0 && cat->alias[a].dom != (unsigned)dom)
					continue;
				if (!found) {
					h->start = i;
					h->end = i + k;
					h->n = 0;
				}
				found = 1;
				if (h->n < 8) {
					h->dom[h->n] = cat->alias[a].dom;
					h->val[h->n++] = cat->alias[a].val;
				}
			}
			if (found) {
				nh++;
				i += k;
			}
		}
		if (!found)
			i++;
	}
	return nh;
}

int
cat_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[3][64], *pp, *p, *c, best;

	if (la >= 63 || lb >= 63)
		return strcmp(a, b) ? max + 1 : 0;
	if ((int)(la > lb ? la - lb : lb - la) > max)
		return max + 1;
	pp = row[0];
	p = row[1];
	c = row[2];
	for (j = 0; j <= lb; j++)
		p[j] = (int)j;
	for (i = 1; i <= la; i++) {
		int *t;

		c[0] = (int)i;
		best = c[0];
		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = p[j - 1] + cost;

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[lb] > max ? max + 1 : p[lb];
}

/* How many edits a phrase of n bytes may be off by and still be suggested. */
static int
allowed(size_t n)
{
	return n < 4 ? 0 : n <= 5 ? 1 : n <= 10 ? 2 : 3;
}

int
cat_suggest(const struct catalog *cat, const char *norm, int dom, unsigned *d, unsigned *v,
	    int *dist)
{
	const char *word[64];
	size_t nw = split_words(norm, word), i, k, a;
	char piece[128];
	int best = -1;

	for (a = 0; a < cat->nalias; a++) {
		const struct cat_alias *x = &cat->alias[a];
		size_t la = strlen(x->text);
		int lim = allowed(la);

		if (dom >= 0 && x->dom != (unsigned)dom)
			continue;
		if (!lim)
			continue;
		/* Compare with every run of as many words as the alias has. */
		for (i = 0; i + x->ntok <= nw; i++) {
			const char *end = word[i];
			int e;

			for (k = 0; k < x->ntok; k++) {
				while (*end && *end != ' ')
					end++;
				if (k + 1 < x->ntok)
					end++;
			}
			if ((size_t)(end - word[i]) >= sizeof(piece))
				continue;
			memcpy(piece, word[i], (size_t)(end - word[i]));
			piece[end - word[i]] = 0;
			e = cat_distance(piece, x->text, lim);
			if (e <= lim && e > 0 && (best < 0 || e < best)) {
				best = e;
				*d = x->dom;
				*v = x->val;
			}
		}
	}
	if (best < 0)
		return 0;
	*dist = best;
	return 1;
}


#include "dialab/filter.h"

#include <string.h>

#include "dialab/fmt.h"

static const char *const keys[] = { "intent", "fp", "user", "device", "id" };
static const char *const sources[] = { "model", "human", "implicit", "import" };

static int
key_of(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(s, keys[i]))
			return (int)i;
	return -1;
}

static int
source_ok(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (!strcmp(s, sources[i]))
			return 1;
	return 0;
}

int
filter_parse(struct dl_filter *f, const char *s, const char *what, struct dl_error *err)
{
	char *tok, *save = NULL, *eq;
	const char *v;
	int k;

	memset(f, 0, sizeof(*f));
	if (!s)
		return 0;
	if (strlen(s) >= sizeof(f->buf))
		return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL, "%s: too long", what);
	strcpy(f->buf, s);
	for (tok = strtok_r(f->buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!(eq = strchr(tok, '=')) || !eq[1])
			return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
					    "%s: '%s' is not KEY=VALUE (keys: intent, fp, source,"
					    " user, device, id)", what, tok);
		*eq++ = '\0';
		if (!strcmp(tok, "source")) {
			if (!source_ok(eq))
				return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
						    "%s: source=%s is not one of model, human,"
						    " implicit, import", what, eq);
			f->source = eq;
			continue;
		}
		if ((k = key_of(tok)) < 0)
			return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
					    "%s: unknown key '%s' (keys: intent, fp, source, user,"
					    " device, id)", what, tok);
		if (f->n >= FILTER_MAX_TERMS)
			return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL, "%s: too many terms", what);
		v = eq;
		if (k == FK_FP) {
			if (fmt_fp_parse(eq) < 0)
				return dl_error_set(err, DL_EX_USAGE, NULL, 0, NULL,
						    "%s: fp=%s is not a failure point (correct,"
						    " false_wake, asr, nlu, entity, result)", what, eq);
			v = fmt_fp_name((enum fp_stage)fmt_fp_parse(eq));
		}
		f->term[f->n].key = (enum filter_key)k;
		f->term[f->n++].value = v;
		f->label_terms += k == FK_INTENT || k == FK_FP;
	}
	return 0;
}

int
filter_empty(const struct dl_filter *f)
{
	return !f->n && !f->source;
}

/* Taught rewrites: what an answer to a teachable moment rewrites. */
#include <string.h>

#include "dialab/rewrite.h"
#include "../tap.h"

static void
taught(const char *request, const char *answer, const char *want)
{
	struct strbuf from, to;
	int rc;

	sb_init(&from);
	sb_init(&to);
	rc = rw_from_answer(request, answer, &from, &to);
	if (want)
		ok(rc == 0 && !strcmp(to.buf, want), "\"%s\" + \"%s\" -> \"%s\" (got %s \"%s\")",
		   request, answer, want, rc ? "none" : "", to.buf);
	else
		ok(rc < 0, "\"%s\" + \"%s\" teaches no rewrite (got \"%s\")", request, answer, to.buf);
	sb_release(&from);
	sb_release(&to);
}

int
main(void)
{
	struct strbuf from, to;

	taught("turn on the torch light", "I meant the porch light", "turn on the porch light");
	taught("turn on the torch light", "no, I meant the porch light", "turn on the porch light");
	taught("turn on the torch light", "porch light", "turn on the porch light");
	taught("play maj and dragons", "no I said imagine dragons", "play imagine dragons");
	taught("Play the Beetles!", "I meant play the beatles", "play the beatles");
	taught("call mam", "no, call mom", "call mom");
	taught("what's the weather in wilkerson", "wilkerson california",
	       "what's the weather in wilkerson california");
	taught("turn on the torch light", "no", NULL);
	taught("turn on the torch light", "I meant", NULL);
	taught("turn on the torch light", "I meant the torch light", NULL);
	taught("turn on the torch light", "something completely different, sorry", NULL);
	taught("", "the porch light", NULL);
	sb_init(&from);
	sb_init(&to);
	rw_from_answer("Turn ON the torch light", "the porch light", &from, &to);
	is_str(from.buf, "turn on the torch light", "the request is normalised");
	sb_release(&from);
	sb_release(&to);
	return done_testing();
}

/* The absorbing chain and the phonetic key, on cases solved by hand. */
#include <math.h>
#include <string.h>

#include "dialab/chain.h"
#include "dialab/phonetic.h"
#include "../tap.h"

#define near(a, b) (fabs((a) - (b)) < 1e-9)

/* The drunkard's walk on 0..4: 0 and 4 absorb (4 is "success"); 1, 2, 3 are states 0, 1, 2. */
static void
drunkard(struct chain *c)
{
	chain_init(c, 3);
	chain_end(c, 0, 0, 1);		/* 1 -> 0 */
	chain_add(c, 0, 1, 1);		/* 1 -> 2 */
	chain_add(c, 1, 0, 1);		/* 2 -> 1 */
	chain_add(c, 1, 2, 1);		/* 2 -> 3 */
	chain_add(c, 2, 1, 1);		/* 3 -> 2 */
	chain_end(c, 2, 1, 1);		/* 3 -> 4 */
	chain_finish(c);
}

static void
test_drunkard(void)
{
	struct chain c;
	struct chain_solution s;
	static const double want[3] = { 0.25, 0.5, 0.75 };
	uint32_t i;

	drunkard(&c);
	ok(near(chain_p(&c, 1, 2), 0.5), "P(2 -> 3) is 1/2");
	for (i = 0; i < 3; i++) {
		chain_solve(&c, i, 10, 100, &s);
		ok(near(s.success[0], want[i]) && near(s.failure[0], 1 - want[i]),
		   "drunkard's walk from %u: absorbed at 4 with %.2f, at 0 with %.2f (got %.12f, %.12f)",
		   i + 1, want[i], 1 - want[i], s.success[0], s.failure[0]);
		is_int(s.m, 3, "from %u the walk reaches the three states", i + 1);
		ok(!s.depth_cut, "nothing cut");
		chain_solution_release(&s);
	}
	/* depth 1 from state 1 (position 2): position 3's way on is cut to "unknown" */
	chain_solve(&c, 1, 1, 100, &s);
	ok(s.m == 3 && !s.depth_cut, "one step from 2 reaches 1 and 3");
	chain_solution_release(&s);
	chain_solve(&c, 0, 1, 100, &s);
	ok(s.m == 2 && s.depth_cut, "one step from 1 reaches 2 only, and says the rest is cut");
	ok(near(s.success[0], 0), "with the walk cut before 3, none of it reaches 4 (%.4f)",
	   s.success[0]);
	ok(near(s.failure[0], 2.0 / 3), "and 1 falls to 0 in 1/2 + 1/4 + 1/16 ... = 2/3 (%.6f)",
	   s.failure[0]);
	ok(s.success[0] + s.failure[0] < 1 - 1e-9, "the cut mass goes to unknown");
	chain_solution_release(&s);
	chain_release(&c);
}

/* a fails twice in three, and goes on to b, which works; c is a topic switch that fails. */
static void
test_rewrite_chain(void)
{
	struct chain c;
	struct chain_solution s;
	long rb;

	chain_init(&c, 3);
	chain_add(&c, 0, 1, 6);		/* a -> b in six sessions */
	chain_add(&c, 0, 2, 2);		/* a -> c in two */
	chain_add(&c, 0, 1, 2);		/* counts of one pair add up */
	chain_end(&c, 0, 1, 2);		/* a works alone twice */
	chain_end(&c, 1, 1, 9);
	chain_end(&c, 1, 0, 1);
	chain_end(&c, 2, 0, 3);
	chain_end(&c, 2, 1, 1);
	chain_finish(&c);
	ok(near(chain_p(&c, 0, 1), 8.0 / 12), "P(a -> b) = 8/12 after merging repeats");
	chain_solve(&c, 0, 3, 100, &s);
	rb = chain_row(&s, 1);
	ok(rb > 0 && near(s.success[rb], 0.9), "P(success | b) = 0.9");
	ok(near(s.success[0], 2.0 / 12 + 8.0 / 12 * 0.9 + 2.0 / 12 * 0.25),
	   "P(success | a) sums its ways (%.6f)", s.success[0]);
	ok(chain_row(&s, 7) == -1, "an unknown state has no row");
	chain_solution_release(&s);
	chain_release(&c);

	/* a self-loop: the user says a again (a -> a), then works */
	chain_init(&c, 1);
	chain_add(&c, 0, 0, 3);
	chain_end(&c, 0, 1, 1);
	chain_end(&c, 0, 0, 1);
	chain_finish(&c);
	chain_solve(&c, 0, 3, 100, &s);
	ok(near(s.success[0], 0.5), "a self-loop solves to the odds of its ends (0.5)");
	chain_solution_release(&s);
	chain_release(&c);
}

/* A long line 0 -> 1 -> ... -> 999 -> success, with failure halfway: solved by Gauss-Seidel. */
static void
test_big(void)
{
	struct chain c;
	struct chain_solution s;
	uint32_t i;
	double want = 1;

	chain_init(&c, 1000);
	for (i = 0; i + 1 < 1000; i++) {
		chain_add(&c, i, i + 1, 999);
		chain_end(&c, i, 0, 1);
	}
	chain_end(&c, 999, 1, 1);
	chain_finish(&c);
	for (i = 0; i + 1 < 1000; i++)
		want *= 0.999;
	chain_solve(&c, 0, 2000, 2000, &s);
	ok(s.m == 1000 && fabs(s.success[0] - want) < 1e-9 * want,
	   "1000 states by Gauss-Seidel: 0.999^999 (got %.12f, want %.12f)", s.success[0], want);
	chain_solution_release(&s);
	chain_release(&c);
}

static void
test_phonetic(void)
{
	struct strbuf k;

	sb_init(&k);
	phon_key(&k, "play the beetles");
	is_str(k.buf, "PL0BTLS", "beetles: th is 0, the vowels go");
	phon_key(&k, "play the beatles");
	is_str(k.buf, "PL0BTLS", "beatles sounds the same");
	phon_key(&k, "knight");
	is_str(k.buf, "NT", "initial kn drops the k, gh is silent");
	phon_key(&k, "phone shop");
	is_str(k.buf, "FNXP", "ph is F, sh is X");
	phon_key(&k, "judge");
	is_str(k.buf, "JJ", "dge is J");
	phon_key(&k, "");
	is_int(k.len, 0, "no words, no key");
	ok(phon_similarity("play maj and dragons", "play imagine dragons") >= 0.7,
	   "a misheard band name sounds alike (%.3f)",
	   phon_similarity("play maj and dragons", "play imagine dragons"));
	ok(phon_similarity("play maj and dragons", "what's the weather") < 0.3,
	   "a topic switch does not (%.3f)", phon_similarity("play maj and dragons", "what's the weather"));
	ok(phon_similarity("call mam", "call mom") == 1, "mam and mom sound the same");
	ok(phon_similarity("", "") == 1, "two silences are alike");
	sb_release(&k);
}

int
main(void)
{
	test_drunkard();
	test_rewrite_chain();
	test_big();
	test_phonetic();
	return done_testing();
}

#ifndef DIALAB_CHAIN_H
#define DIALAB_CHAIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * An absorbing Markov chain from counts: transient states 0..n-1, and
 * two absorbing states, success and failure.  Transition probabilities
 * are counts over each state's total out of it, as in the rephrase
 * chain of rewrites (rewrite.h): an utterance goes on to another
 * utterance, or the session ends in success or failure.
 *
 * Absorption is solved only on the part of the chain a state reaches:
 * with Q the transitions among the reached states and R those into the
 * absorbing ones, N = (I - Q)^-1 and B = N R, row by row.  Transitions
 * out of the reached part (beyond the depth or size bound) go to an
 * "unknown" state, so a state's P(success) + P(failure) may be under 1.
 */

struct chain_edge {
	uint32_t to;
	double count;
};

struct chain {
	size_t n;		/* transient states */
	size_t *first;		/* edges of state i: edge[first[i] .. first[i + 1]) */
	struct chain_edge *edge;
	double *success, *failure;	/* counts into the absorbing states */
	double *total;		/* all counts out of state i */
	/* while building */
	struct chain_edge *pend;
	uint32_t *pend_from;
	size_t npend, cap;
};

/* An empty chain of n states. */
void chain_init(struct chain *c, size_t n);
void chain_release(struct chain *c);

/* Count a transition from -> to (both < n), c.count times. */
void chain_add(struct chain *c, uint32_t from, uint32_t to, double count);
/* Count an end of from in success (ok != 0) or failure. */
void chain_end(struct chain *c, uint32_t from, int ok, double count);
/* Done adding: merge the counts of each pair, build the rows. */
void chain_finish(struct chain *c);

/* P(from -> to) in one step (after chain_finish). */
double chain_p(const struct chain *c, uint32_t from, uint32_t to);

/* The absorption probabilities of the states reached from a source. */
struct chain_solution {
	size_t m;		/* states reached, the source first */
	uint32_t *state;	/* state[k]: the chain state of row k */
	double *success, *failure;	/* B's columns, row by row */
	int depth_cut;		/* some transitions went to "unknown" */
	uint32_t *map;		/* open addressing: chain state -> row + 1 */
	size_t mapcap;
};

/*
 * Solve from src: the states within max_depth steps (at most
 * max_states of them), breadth first.  Dense elimination for a small
 * part, Gauss-Seidel beyond.  Returns 0; sol is caller-owned
 * (chain_solution_release).
 */
int chain_solve(const struct chain *c, uint32_t src, size_t max_depth, size_t max_states,
		struct chain_solution *sol);
void chain_solution_release(struct chain_solution *sol);

/* The row of chain state s in sol, or -1 when it was not reached. */
long chain_row(const struct chain_solution *sol, uint32_t s);

#endif

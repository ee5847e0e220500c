/* chain.c: absorbing Markov chains from counts (chain.h). */
#include "dialab/chain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dialab/strbuf.h"

#define DENSE_MAX 400		/* above, Gauss-Seidel */

void
chain_init(struct chain *c, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->n = n;
	c->success = xmalloc((n ? n : 1) * sizeof(double));
	c->failure = xmalloc((n ? n : 1) * sizeof(double));
	c->total = xmalloc((n ? n : 1) * sizeof(double));
	memset(c->success, 0, n * sizeof(double));
	memset(c->failure, 0, n * sizeof(double));
	memset(c->total, 0, n * sizeof(double));
}

void
chain_release(struct chain *c)
{
	free(c->first);
	free(c->edge);
	free(c->success);
	free(c->failure);
	free(c->total);
	free(c->pend);
	free(c->pend_from);
	memset(c, 0, sizeof(*c));
}

void
chain_add(struct chain *c, uint32_t from, uint32_t to, double count)
{
	if (c->npend == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->pend = xrealloc(c->pend, c->cap * sizeof(*c->pend));
		c->pend_from = xrealloc(c->pend_from, c->cap * sizeof(*c->pend_from));
	}
	c->pend[c->npend].to = to;
	c->pend[c->npend].count = count;
	c->pend_from[c->npend++] = from;
	c->total[from] += count;
}

void
chain_end(struct chain *c, uint32_t from, int ok, double count)
{
	if (ok)
		c->success[from] += count;
	else
		c->failure[from] += count;
	c->total[from] += count;
}

void
chain_finish(struct chain *c)
{
	size_t *fill, i, k;
	struct chain_edge *e;

	c->first = xmalloc((c->n + 1) * sizeof(size_t));
	memset(c->first, 0, (c->n + 1) * sizeof(size_t));
	for (k = 0; k < c->npend; k++)
		c->first[c->pend_from[k] + 1]++;
	for (i = 0; i < c->n; i++)
		c->first[i + 1] += c->first[i];
	fill = xmalloc((c->n + 1) * sizeof(size_t));
	memcpy(fill, c->first, (c->n + 1) * sizeof(size_t));
	e = xmalloc((c->npend ? c->npend : 1) * sizeof(*e));
	for (k = 0; k < c->npend; k++)
		e[fill[c->pend_from[k]]++] = c->pend[k];
	free(fill);
	/* merge the repeats of one pair within each row (rows are short) */
	k = 0;
	for (i = 0; i < c->n; i++) {
		size_t lo = c->first[i], hi = c->first[i + 1], a, b, start = k;

		for (a = lo; a < hi; a++) {
			for (b = start; b < k && e[b].to != e[a].to; b++)
				;
			if (b < k)
				e[b].count += e[a].count;
			else
				e[k++] = e[a];
		}
		c->first[i] = start;
	}
	c->first[c->n] = k;
	c->edge = e;
	free(c->pend);
	free(c->pend_from);
	c->pend = NULL;
	c->pend_from = NULL;
	c->npend = c->cap = 0;
}

double
chain_p(const struct chain *c, uint32_t from, uint32_t to)
{
	size_t k;

	if (!(c->total[from] > 0))
		return 0;
	for (k = c->first[from]; k < c->first[from + 1]; k++)
		if (c->edge[k].to == to)
			return c->edge[k].count / c->total[from];
	return 0;
}

static size_t
slot_of(const struct chain_solution *sol, uint32_t s)
{
	size_t h = (size_t)((s * 2654435761u) & (sol->mapcap - 1));

	while (sol->map[h] && sol->state[sol->map[h] - 1] != s)
		h = (h + 1) & (sol->mapcap - 1);
	return h;
}

long
chain_row(const struct chain_solution *sol, uint32_t s)
{
	size_t h;

	if (!sol->mapcap)
		return -1;
	h = slot_of(sol, s);
	return sol->map[h] ? (long)sol->map[h] - 1 : -1;
}

/* Solve (I - Q) x = r for two right-hand sides, densely; a is m x m. */
static void
dense(double *a, double *r1, double *r2, size_t m)
{
	size_t i, j, k, piv;

	for (k = 0; k < m; k++) {
		piv = k;
		for (i = k + 1; i < m; i++)
			if (fabs(a[i * m + k]) > fabs(a[piv * m + k]))
				piv = i;
		if (piv != k) {
			double t;

			for (j = 0; j < m; j++) {
				t = a[k * m + j];
				a[k * m + j] = a[piv * m + j];
				a[piv * m + j] = t;
			}
			t = r1[k], r1[k] = r1[piv], r1[piv] = t;
			t = r2[k], r2[k] = r2[piv], r2[piv] = t;
		}
		if (fabs(a[k * m + k]) < 1e-300)
			continue;	/* cannot happen in an absorbing chain */
		for (i = k + 1; i < m; i++) {
			double f = a[i * m + k] / a[k * m + k];

			if (f == 0)
				continue;
			for (j = k; j < m; j++)
				a[i * m + j] -= f * a[k * m + j];
			r1[i] -= f * r1[k];
			r2[i] -= f * r2[k];
		}
	}
	for (k = m; k-- > 0;) {
		double s1 = r1[k], s2 = r2[k];

		for (j = k + 1; j < m; j++) {
			s1 -= a[k * m + j] * r1[j];
			s2 -= a[k * m + j] * r2[j];
		}
		r1[k] = a[k * m + k] != 0 ? s1 / a[k * m + k] : 0;
		r2[k] = a[k * m + k] != 0 ? s2 / a[k * m + k] : 0;
	}
}

/* x_k = sum_j P(k -> j) x_j + r_k over the reached rows, by Gauss-Seidel. */
static void
seidel(const struct chain *c, const struct chain_solution *sol, double *x, const double *abs)
{
	size_t it, k, e;

	for (k = 0; k < sol->m; k++)
		x[k] = 0;
	for (it = 0; it < 100000; it++) {
		double change = 0;

		for (k = 0; k < sol->m; k++) {
			uint32_t s = sol->state[k];
			double v = 0, self = 0, nv;

			if (!(c->total[s] > 0))
				continue;
			for (e = c->first[s]; e < c->first[s + 1]; e++) {
				long row = chain_row(sol, c->edge[e].to);

				if (row < 0)
					continue;
				if ((size_t)row == k)
					self += c->edge[e].count;
				else
					v += c->edge[e].count * x[row];
			}
			nv = (v + abs[s]) / (c->total[s] - self);
			change = fmax(change, fabs(nv - x[k]));
			x[k] = nv;
		}
		if (change < 1e-13)
			break;
	}
}

int
chain_solve(const struct chain *c, uint32_t src, size_t max_depth, size_t max_states,
	    struct chain_solution *sol)
{
	size_t head = 0, level_end, depth = 0, k, e;

	memset(sol, 0, sizeof(*sol));
	if (max_states < 1)
		max_states = 1;
	sol->mapcap = 16;
	while (sol->mapcap < 2 * max_states)
		sol->mapcap *= 2;
	sol->map = xmalloc(sol->mapcap * sizeof(uint32_t));
	memset(sol->map, 0, sol->mapcap * sizeof(uint32_t));
	sol->state = xmalloc(max_states * sizeof(uint32_t));
	sol->state[sol->m++] = src;
	sol->map[slot_of(sol, src)] = 1;
	/* breadth first, to max_depth steps and max_states states */
	level_end = sol->m;
	while (head < sol->m) {
		uint32_t s = sol->state[head];

		for (e = c->first[s]; e < c->first[s + 1]; e++) {
			uint32_t t = c->edge[e].to;
			size_t h = slot_of(sol, t);

			if (sol->map[h])
				continue;
			if (depth >= max_depth || sol->m >= max_states) {
				sol->depth_cut = 1;
				continue;
			}
			sol->state[sol->m++] = t;
			sol->map[h] = (uint32_t)sol->m;
		}
		if (++head == level_end) {
			depth++;
			level_end = sol->m;
		}
	}
	sol->success = xmalloc(sol->m * sizeof(double));
	sol->failure = xmalloc(sol->m * sizeof(double));
	if (sol->m <= DENSE_MAX) {
		size_t m = sol->m;
		double *a = xmalloc(m * m * sizeof(double));

		memset(a, 0, m * m * sizeof(double));
		for (k = 0; k < m; k++) {
			uint32_t s = sol->state[k];
			double tot = c->total[s];

			a[k * m + k] = 1;
			sol->success[k] = tot > 0 ? c->success[s] / tot : 0;
			sol->failure[k] = tot > 0 ? c->failure[s] / tot : 0;
			if (!(tot > 0))
				continue;
			for (e = c->first[s]; e < c->first[s + 1]; e++) {
				long row = chain_row(sol, c->edge[e].to);

				if (row >= 0)
					a[k * m + (size_t)row] -= c->edge[e].count / tot;
			}
		}
		dense(a, sol->success, sol->failure, m);
		free(a);
	} else {
		seidel(c, sol, sol->success, c->success);
		seidel(c, sol, sol->failure, c->failure);
	}
	return 0;
}

void
chain_solution_release(struct chain_solution *sol)
{
	free(sol->state);
	free(sol->success);
	free(sol->failure);
	free(sol->map);
	memset(sol, 0, sizeof(*sol));
}

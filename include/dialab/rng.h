#ifndef DIALAB_RNG_H
#define DIALAB_RNG_H

#include <stdint.h>

/*
 * The seeded generator the models train with (splitmix64): the same
 * seed gives the same sequence on every machine, so training is
 * deterministic.  Advances *state and returns the next 64 bits.
 */
uint64_t rng_next(uint64_t *state);

#endif

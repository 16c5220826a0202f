/* Deterministic pseudo-random numbers (xoshiro256**, seeded by splitmix64) for
 * demo data, simulations and tests. Not for secrets: tokens use libsodium.
 * Room: core. A struct rng belongs to one thread. */
#pragma once
#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1). */
double rng_unit(struct rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Exponentially distributed with the given mean. */
double rng_exp(struct rng *r, double mean);
/* Index drawn from weights w[0..n-1] (non-negative, not all zero). */
unsigned rng_weighted(struct rng *r, const double *w, unsigned n);

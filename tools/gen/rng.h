/* A deterministic PRNG (xoshiro256**, seeded with splitmix64) and the few
 * distributions the generator needs.  No libm: ln and exp are computed here
 * with plain IEEE arithmetic, so a seed gives the same data everywhere. */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

/* A generator for (seed, stream): independent streams for independent parts
 * (the organisation, each day's calls, ...), so one part's draws never shift
 * another's. */
void rng_seed(rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(rng *r);
/* uniform in [0, n) (n > 0) */
uint32_t rng_below(rng *r, uint32_t n);
/* uniform in [lo, hi] */
int rng_range(rng *r, int lo, int hi);
/* uniform in [0, 1) */
double rng_unit(rng *r);
int rng_chance(rng *r, double p);
/* exponential with the given mean */
double rng_exp(rng *r, double mean);
/* standard normal (Irwin-Hall approximation: sum of 12 uniforms) */
double rng_normal(rng *r);
/* log-normal: exp(mu + sigma * N) */
double rng_lognormal(rng *r, double mu, double sigma);
/* index drawn from cumulative weights cum[0..n) (cum[n-1] is the total) */
int rng_pick_cum(rng *r, const double *cum, int n);

double det_ln(double x);
double det_exp(double x);
double det_sqrt(double x);

#endif

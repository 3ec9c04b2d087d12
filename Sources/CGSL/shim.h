// The parts of GNU GSL that bordersim uses: generators, samplers, CDFs, quasi-random sequences.
#ifndef BORDERSIM_CGSL_SHIM_H
#define BORDERSIM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_sf_gamma.h>

// Generator types are exported as global pointers; give Swift a plain function for each.
static inline const gsl_rng_type *bordersim_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_qrng_type *bordersim_qrng_sobol(void) { return gsl_qrng_sobol; }

// A counter-style generator for draws keyed by a party: reseeded per (party key, purpose), it
// lets any GSL sampler draw a party's work content, score or detection outcome so that these
// depend on the party alone — never on the order in which a policy or a staffing plan makes
// the model ask for them (common random numbers). SplitMix64 (Steele, Lea & Flood 2014).
typedef struct { unsigned long long s; } bordersim_keyed_state;
static inline unsigned long long bordersim_keyed_next(bordersim_keyed_state *st) {
    unsigned long long z = (st->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static void bordersim_keyed_set(void *st, unsigned long seed) { ((bordersim_keyed_state *)st)->s = seed; }
static unsigned long bordersim_keyed_get(void *st) {
    return (unsigned long)(bordersim_keyed_next((bordersim_keyed_state *)st) >> 32);
}
static double bordersim_keyed_get_double(void *st) {
    return (double)(bordersim_keyed_next((bordersim_keyed_state *)st) >> 11) * 0x1.0p-53;
}
static const gsl_rng_type bordersim_keyed_type = {
    "bordersim-keyed-splitmix64", 0xffffffffUL, 0, sizeof(bordersim_keyed_state),
    &bordersim_keyed_set, &bordersim_keyed_get, &bordersim_keyed_get_double
};
static inline const gsl_rng_type *bordersim_rng_keyed(void) { return &bordersim_keyed_type; }
/// Reseeds a keyed generator without going through gsl_rng_set's seed-0 special case.
static inline void bordersim_keyed_reseed(gsl_rng *r, unsigned long long key) {
    ((bordersim_keyed_state *)r->state)->s = key;
}
#endif

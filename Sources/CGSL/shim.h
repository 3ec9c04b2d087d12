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
#endif

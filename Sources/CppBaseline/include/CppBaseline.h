// C++ baselines for `bordersim-bench`, exposed to Swift as plain C functions.
#ifndef BORDERSIM_CPP_BASELINE_H
#define BORDERSIM_CPP_BASELINE_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Classic hold model on `std::priority_queue` of a 24-byte record
/// {double time; uint64_t seq; uint64_t payload}, ordered by (time, seq).
/// Fills the queue with `n` events at times draws[0..n), then performs `holds` times:
/// pop the minimum, push a new event at popped.time + next draw. Draws are taken
/// cyclically from `draws` (`ndraws` must be a power of two), continuing where the
/// fill stopped — exactly as the Swift implementations do.
/// Returns nanoseconds per hold (fill excluded); `*checksum` receives the sum of the
/// popped times so the work cannot be optimised away and the results can be compared.
double cpp_pq_hold_ns(size_t n, size_t holds, const double *draws, size_t ndraws,
                      double *checksum);

#ifdef __cplusplus
}
#endif
#endif

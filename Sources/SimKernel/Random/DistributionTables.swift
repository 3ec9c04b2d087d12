import CGSL

// The table-backed parts of `Distribution`: GSL's alias table, empirical distributions and
// mixtures. Each is an immutable final class, so a `Distribution` stays one word of payload for
// them and copies share the table. The factories in Distribution.swift validate the inputs.

extension Distribution {
    /// GSL's lookup table for drawing an index with given weights in O(1) (Walker's alias method,
    /// `gsl_ran_discrete_t`). The class exists to free the table in `deinit`.
    ///
    /// `@unchecked Sendable`: `gsl_ran_discrete_preproc` writes the table once, here, and
    /// `gsl_ran_discrete` only reads it (it takes a `const` table); every thread brings its own
    /// generator. So replications on several threads may share one table without locking.
    final class DiscreteTable: @unchecked Sendable {
        private let table: UnsafeMutablePointer<gsl_ran_discrete_t>

        /// `weights`: finite, ≥ 0, not all 0 — GSL's error handler would abort the process otherwise,
        /// which is why the factories check them first.
        init(weights: [Double]) {
            precondition(!weights.isEmpty && weights.allSatisfy { $0.isFinite && $0 >= 0 }
                         && weights.contains { $0 > 0 }, "DiscreteTable: weights not validated")
            let t = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc($0.count, $0.baseAddress) }
            guard let t else { fatalError("gsl_ran_discrete_preproc failed: out of memory") }
            table = t
        }

        deinit { gsl_ran_discrete_free(table) }

        /// An index into the weights, with probability proportional to its weight.
        @inline(__always)
        func index(_ r: UnsafeMutablePointer<gsl_rng>) -> Int { Int(gsl_ran_discrete(r, table)) }
    }

    /// A discrete distribution on finitely many values: P(X = values[i]) = probabilities[i].
    final class EmpiricalDiscrete: Sendable {
        let values: [Double]          // strictly increasing
        let probabilities: [Double]   // sum to 1
        let table: DiscreteTable
        let mean: Double
        let variance: Double

        init(values: [Double], weights: [Double]) {
            let total = weights.reduce(0, +)
            self.values = values
            probabilities = weights.map { $0 / total }
            table = DiscreteTable(weights: weights)
            let m = zip(values, probabilities).reduce(0) { $0 + $1.1 * $1.0 }
            mean = m
            variance = zip(values, probabilities).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) }
        }

        @inline(__always)
        func sample(_ r: UnsafeMutablePointer<gsl_rng>) -> Double { values[table.index(r)] }
    }

    /// A continuous distribution with a piecewise-linear CDF through the points
    /// (values[k], cumulative[k]): between two points it is uniform. From samples x(1) ≤ … ≤ x(n)
    /// the points are F(x(i)) = (i − 1)/(n − 1) (Law & Kelton's empirical distribution).
    ///
    /// Sampled by inversion with one uniform, so the draw is monotone in it — good for common random numbers.
    final class EmpiricalContinuous: Sendable {
        let values: [Double]        // nondecreasing; at least 2
        let cumulative: [Double]    // nondecreasing, from exactly 0 to exactly 1
        /// cumulative[k] = k/(n − 1): the segment of a uniform is found by arithmetic, not by search.
        let equalSteps: Bool
        let mean: Double
        let variance: Double

        init(values: [Double], cumulative: [Double], equalSteps: Bool) {
            self.values = values
            self.cumulative = cumulative
            self.equalSteps = equalSteps
            // A mixture of uniforms on the segments [a, b], each with probability p = ΔF.
            var m = 0.0
            for k in 0..<(values.count - 1) {
                m += (cumulative[k + 1] - cumulative[k]) * (values[k] + values[k + 1]) / 2
            }
            var v = 0.0
            for k in 0..<(values.count - 1) {
                let a = values[k] - m, b = values[k + 1] - m   // E[(X − m)²] on the segment = (a² + ab + b²)/3
                v += (cumulative[k + 1] - cumulative[k]) * (a * a + a * b + b * b) / 3
            }
            mean = m
            variance = v
        }

        func sample(_ r: UnsafeMutablePointer<gsl_rng>) -> Double {
            let u = gsl_rng_uniform(r)   // [0, 1): never reaches the last point's F = 1
            let last = values.count - 1
            let k: Int, t: Double        // segment k, fraction t of the way through it
            if equalSteps {
                let scaled = u * Double(last)
                k = Swift.min(Int(scaled), last - 1)
                t = scaled - Double(k)
            } else {
                // Binary search keeping cumulative[lo] ≤ u < cumulative[hi]; it ends at the segment
                // holding u, which therefore has a positive probability (no division by zero).
                var lo = 0, hi = last
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2
                    if cumulative[mid] <= u { lo = mid } else { hi = mid }
                }
                k = lo
                t = (u - cumulative[k]) / (cumulative[k + 1] - cumulative[k])
            }
            return values[k] + t * (values[k + 1] - values[k])
        }
    }

    /// A finite mixture: component i is drawn with probability weights[i], then sampled.
    final class Mixture: Sendable {
        let weights: [Double]                 // normalised to sum 1
        let components: [Distribution]
        let table: DiscreteTable
        let mean: Double
        let variance: Double

        init(weights: [Double], components: [Distribution]) {
            let total = weights.reduce(0, +)
            self.weights = weights.map { $0 / total }
            self.components = components
            table = DiscreteTable(weights: weights)
            // Components with weight 0 are skipped so that an unused infinite moment cannot give NaN.
            let used = zip(self.weights, components).filter { $0.0 > 0 }
            let m = used.reduce(0) { $0 + $1.0 * $1.1.mean }
            mean = m
            // Law of total variance: Σ wᵢ (σᵢ² + (μᵢ − μ)²).
            variance = !m.isFinite ? .infinity : used.reduce(0) { acc, c in
                let d = c.1.mean - m
                return acc + c.0 * (c.1.variance + d * d)
            }
        }
    }
}

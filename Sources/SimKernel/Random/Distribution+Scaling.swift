#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Scaling (what-if knobs: service-time inflation and the like)

extension Distribution {
    /// The distribution of c·X, for a factor c that is finite and > 0: `mean` scales by c and
    /// `variance` by c².
    ///
    /// Wherever the family is closed under scaling the result is the same family re-parametrised,
    /// so it samples exactly as fast as the original: exponential and normal means and sds, the
    /// gamma / Erlang / Weibull scale, the lognormal's mu + ln c, all four parameters of a
    /// truncated normal, the bounds (and mode) of uniform, triangular and beta, a deterministic
    /// value, the values of empirical distributions (same probabilities), and every component of a
    /// mixture (same weights). The discrete counts (Bernoulli, binomial, Poisson, geometric) have
    /// no such form: they are wrapped, and a draw is c times a draw of the original — still one
    /// `switch` and no allocation per sample. Scaling a wrapped distribution again multiplies the
    /// factors. A factor of exactly 1 returns the distribution itself.
    ///
    /// Throws a `DistributionError` naming `factor` when c is not finite and > 0, or when c·X
    /// would overflow (or underflow to 0) a parameter.
    public func scaled(by c: Double) throws -> Distribution {
        let exact = DistributionFormat.exact
        guard c.isFinite, c > 0 else {
            throw DistributionError("scaled", "factor", "must be a finite number > 0", got: exact(c))
        }
        if c == 1 { return self }
        /// Scaled parameters must stay finite, and those that were > 0 must stay > 0.
        func check(finite values: Double..., positive: [Double] = []) throws {
            if values.contains(where: { !$0.isFinite }) || positive.contains(where: { !($0.isFinite && $0 > 0) }) {
                throw DistributionError("scaled", "factor", "must keep the parameters of \(self) finite (and > 0 where they must be)",
                                        got: exact(c))
            }
        }
        switch form {
        case .deterministic(let v):
            try check(finite: c * v)
            return Distribution(.deterministic(c * v))
        case let .uniform(a, b):
            try check(finite: c * a, c * b)
            guard c * b > c * a else { break }   // collapsed by underflow: wrap instead
            return Distribution(.uniform(min: c * a, max: c * b))
        case .exponential(let mean):
            try check(positive: [c * mean])
            return Distribution(.exponential(mean: c * mean))
        case let .erlang(k, scale):
            try check(positive: [c * scale, Double(k) * c * scale])
            return Distribution(.erlang(k: k, scale: c * scale))
        case let .gamma(shape, scale):
            try check(positive: [c * scale])
            return Distribution(.gamma(shape: shape, scale: c * scale))
        case let .lognormal(mu, sigma, byMoments):
            try check(finite: mu + log(c))
            return Distribution(.lognormal(mu: mu + log(c), sigma: sigma, givenByMoments: byMoments))
        case let .weibull(shape, scale):
            try check(positive: [c * scale])
            return Distribution(.weibull(shape: shape, scale: c * scale))
        case let .normal(mean, sd):
            try check(finite: c * mean, positive: [c * sd])
            return Distribution(.normal(mean: c * mean, sd: c * sd))
        case .truncatedNormal(let t):
            try check(finite: c * t.mu, positive: [c * t.sigma])
            // Infinite bounds stay infinite; the standardised bounds are unchanged up to rounding.
            if let scaled = TruncatedNormal(mu: c * t.mu, sigma: c * t.sigma, lower: c * t.lower, upper: c * t.upper),
               scaled.lower < scaled.upper {
                return Distribution(.truncatedNormal(scaled))
            }
        case let .triangular(a, mode, b):
            try check(finite: c * a, c * mode, c * b)
            guard c * b > c * a else { break }
            return Distribution(.triangular(min: c * a, mode: Swift.min(Swift.max(c * mode, c * a), c * b), max: c * b))
        case let .beta(alpha, beta, a, b):
            try check(finite: c * a, c * b)
            guard c * b > c * a else { break }
            return Distribution(.beta(alpha: alpha, beta: beta, min: c * a, max: c * b))
        case .bernoulli, .binomial, .poisson, .geometric:
            break
        case .empiricalDiscrete(let e):
            let values = e.values.map { c * $0 }
            try check(finite: values.first!, values.last!)
            // Distinct values must stay distinct (and increasing) for the table to mean the same.
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else { break }
            return Distribution(.empiricalDiscrete(EmpiricalDiscrete(values: values, weights: e.probabilities)))
        case .empiricalContinuous(let e):
            let values = e.values.map { c * $0 }
            try check(finite: values.first!, values.last!)
            return Distribution(.empiricalContinuous(
                EmpiricalContinuous(values: values, cumulative: e.cumulative, equalSteps: e.equalSteps)))
        case .mixture(let m):
            let components = try m.components.map { try $0.scaled(by: c) }
            return Distribution(.mixture(Mixture(weights: m.weights, components: components)))
        case .scaled(let s):
            let factor = s.factor * c
            try check(positive: [factor])
            return factor == 1 ? s.base : Distribution(.scaled(Scaled(factor: factor, base: s.base)))
        }
        return Distribution(.scaled(Scaled(factor: c, base: self)))
    }

    /// c·X for a base distribution X: the wrapper form of `scaled(by:)`. A final class, so the
    /// recursive `Distribution` stays one word of payload (as for mixtures).
    final class Scaled: Sendable {
        let factor: Double
        let base: Distribution
        init(factor: Double, base: Distribution) { self.factor = factor; self.base = base }
    }
}

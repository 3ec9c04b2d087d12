#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGSL

/// A probability distribution of the model — service times, patience, batch sizes, shares —
/// sampled from a `RandomStream`.
///
/// Built only through the throwing factories, which check every parameter:
///
///     let service = try Distribution.lognormal(mean: 60, sd: 20)
///     let gap = try Distribution.mixture([(0.9, .exponential(mean: 30)), (0.1, .deterministic(300))])
///     let t = service.sample(stream)
///
/// A bad parameter throws a `DistributionError` whose message names it; nothing traps.
///
/// For the hot path `sample` is one `switch` over a small enum holding the parameters already in
/// the form the sampler wants: no protocol existentials, no allocation per sample. The enum sits
/// inside a struct, not in public view, because public cases would let a caller build an
/// unchecked distribution (and a case could not share its name with its factory).
///
/// Parametrisations (where conventions differ):
/// - `weibull(shape: k, scale: λ)`: F(x) = 1 − exp(−(x/λ)^k) (GSL's `gsl_ran_weibull(r, a = λ, b = k)`).
/// - `gamma(shape: k, scale: θ)`: mean kθ. `erlang(k:mean:)` is the gamma with integer shape k.
/// - `geometric(p:)`: the number of trials up to and including the first success, 1, 2, …
///   (GSL's convention), mean 1/p. Subtract 1 for the number of failures.
/// - `lognormal(mu:sigma:)`: ln X ~ N(mu, sigma²); `lognormal(mean:sd:)`: by the moments of X.
/// - `truncatedNormal(mu:sigma:lower:upper:)`: mu and sigma are those of the normal *before*
///   truncation; `mean` and `variance` are those after.
///
/// Discrete distributions return integral values as `Double`.
///
/// `Sendable`: a distribution is immutable; the GSL tables behind empirical distributions and
/// mixtures are only read when sampling, so replications on several threads can share one.
public struct Distribution: Sendable {
    /// The validated parameters, already in the form the sampler wants.
    enum Form: Sendable {
        case deterministic(Double)
        case uniform(min: Double, max: Double)
        case exponential(mean: Double)
        case erlang(k: Int, scale: Double)
        case gamma(shape: Double, scale: Double)
        case lognormal(mu: Double, sigma: Double, givenByMoments: Bool)
        case weibull(shape: Double, scale: Double)
        case normal(mean: Double, sd: Double)
        case truncatedNormal(TruncatedNormal)
        case triangular(min: Double, mode: Double, max: Double)
        case beta(alpha: Double, beta: Double, min: Double, max: Double)
        case bernoulli(p: Double)
        case binomial(n: UInt32, p: Double)
        case poisson(mean: Double)
        case geometric(p: Double)
        case empiricalDiscrete(EmpiricalDiscrete)
        case empiricalContinuous(EmpiricalContinuous)
        case mixture(Mixture)
        /// c·X for a form with no exact re-parametrisation (the discrete counts): see `scaled(by:)`.
        case scaled(Scaled)
    }

    let form: Form

    /// Only the validating factories (Distribution+Factories.swift) build one.
    init(_ form: Form) { self.form = form }

    // MARK: - Sampling

    /// One draw from `stream`.
    public func sample(_ stream: RandomStream) -> Double {
        let r = stream.rng
        switch form {
        case .deterministic(let value):
            return value
        case let .uniform(a, b):
            return gsl_ran_flat(r, a, b)
        case .exponential(let mean):
            return gsl_ran_exponential(r, mean)
        case let .erlang(k, scale):
            return gsl_ran_gamma(r, Double(k), scale)
        case let .gamma(shape, scale):
            return gsl_ran_gamma(r, shape, scale)
        case let .lognormal(mu, sigma, _):
            return gsl_ran_lognormal(r, mu, sigma)
        case let .weibull(shape, scale):
            return gsl_ran_weibull(r, scale, shape)   // GSL's order: scale a, then shape b
        case let .normal(mean, sd):
            return mean + gsl_ran_gaussian(r, sd)
        case .truncatedNormal(let t):
            return t.sample(r)
        case let .triangular(a, c, b):
            // Inversion of the CDF, which changes formula at the mode.
            let u = gsl_rng_uniform(r)
            if u * (b - a) < c - a {
                return a + ((b - a) * (c - a) * u).squareRoot()
            }
            return b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case let .beta(alpha, beta, a, b):
            return a + (b - a) * gsl_ran_beta(r, alpha, beta)
        case .bernoulli(let p):
            return Double(gsl_ran_bernoulli(r, p))
        case let .binomial(n, p):
            return Double(gsl_ran_binomial(r, p, n))
        case .poisson(let mean):
            return Double(gsl_ran_poisson(r, mean))
        case .geometric(let p):
            return Double(gsl_ran_geometric(r, p))
        case .empiricalDiscrete(let e):
            return e.sample(r)
        case .empiricalContinuous(let e):
            return e.sample(r)
        case .mixture(let m):
            return m.components[m.table.index(r)].sample(stream)
        case .scaled(let s):
            return s.factor * s.base.sample(stream)
        }
    }

    // MARK: - Moments

    /// The theoretical mean (`.infinity` if it overflows).
    public var mean: Double {
        switch form {
        case .deterministic(let value): return value
        case let .uniform(a, b): return (a + b) / 2
        case .exponential(let mean): return mean
        case let .erlang(k, scale): return Double(k) * scale
        case let .gamma(shape, scale): return shape * scale
        case let .lognormal(mu, sigma, _): return exp(mu + sigma * sigma / 2)
        case let .weibull(shape, scale): return scale * exp(logGamma(1 + 1 / shape))
        case let .normal(mean, _): return mean
        case .truncatedNormal(let t): return t.mean
        case let .triangular(a, c, b): return (a + b + c) / 3
        case let .beta(alpha, beta, a, b): return a + (b - a) * alpha / (alpha + beta)
        case .bernoulli(let p): return p
        case let .binomial(n, p): return Double(n) * p
        case .poisson(let mean): return mean
        case .geometric(let p): return 1 / p
        case .empiricalDiscrete(let e): return e.mean
        case .empiricalContinuous(let e): return e.mean
        case .mixture(let m): return m.mean
        case .scaled(let s): return s.factor * s.base.mean
        }
    }

    /// The theoretical variance (`.infinity` if it overflows).
    public var variance: Double {
        switch form {
        case .deterministic: return 0
        case let .uniform(a, b): return (b - a) * (b - a) / 12
        case .exponential(let mean): return mean * mean
        case let .erlang(k, scale): return Double(k) * scale * scale
        case let .gamma(shape, scale): return shape * scale * scale
        case let .lognormal(mu, sigma, _):
            return expm1(sigma * sigma) * exp(2 * mu + sigma * sigma)
        case let .weibull(shape, scale):
            // λ²(Γ(1 + 2/k) − Γ(1 + 1/k)²), as Γ(1 + 1/k)²·expm1(…) to keep precision for large k.
            let g1 = logGamma(1 + 1 / shape), g2 = logGamma(1 + 2 / shape)
            return scale * scale * exp(2 * g1) * expm1(g2 - 2 * g1)
        case let .normal(_, sd): return sd * sd
        case .truncatedNormal(let t): return t.variance
        case let .triangular(a, c, b): return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        case let .beta(alpha, beta, a, b):
            let s = alpha + beta
            return (b - a) * (b - a) * alpha * beta / (s * s * (s + 1))
        case .bernoulli(let p): return p * (1 - p)
        case let .binomial(n, p): return Double(n) * p * (1 - p)
        case .poisson(let mean): return mean
        case .geometric(let p): return (1 - p) / (p * p)
        case .empiricalDiscrete(let e): return e.variance
        case .empiricalContinuous(let e): return e.variance
        case .mixture(let m): return m.variance
        case .scaled(let s): return s.factor * s.factor * s.base.variance
        }
    }
}

/// ln Γ(x) from the C library (the Swift overlay's `lgamma` also returns the sign, hence the
/// annotation; GSL's `gsl_sf_lngamma` would abort on overflow).
private func logGamma(_ x: Double) -> Double {
    let value: Double = lgamma(x)
    return value
}

// MARK: - Truncated normal

extension Distribution {
    /// N(mu, sigma²) conditioned on [lower, upper], sampled by inversion of the standard normal
    /// CDF between the standardised bounds α = (lower − mu)/sigma and β = (upper − mu)/sigma.
    struct TruncatedNormal: Sendable {
        let mu, sigma, lower, upper: Double
        /// When α ≥ 0 the interval lies in the upper tail, where Φ rounds to 1; there we invert
        /// Q = 1 − Φ instead, whose small values keep their precision.
        let upperTail: Bool
        /// Φ(α) and Φ(β), or Q(α) and Q(β) in the upper tail.
        let atLower, atUpper: Double

        /// nil when the interval's probability is 0 in floating point (e.g. 40 sigmas out).
        init?(mu: Double, sigma: Double, lower: Double, upper: Double) {
            (self.mu, self.sigma, self.lower, self.upper) = (mu, sigma, lower, upper)
            let alpha = (lower - mu) / sigma, beta = (upper - mu) / sigma
            upperTail = alpha >= 0
            atLower = upperTail ? gsl_cdf_ugaussian_Q(alpha) : gsl_cdf_ugaussian_P(alpha)
            atUpper = upperTail ? gsl_cdf_ugaussian_Q(beta) : gsl_cdf_ugaussian_P(beta)
            if !(mass >= Double.leastNormalMagnitude) { return nil }
        }

        /// P(lower ≤ X ≤ upper) for the untruncated normal.
        var mass: Double { upperTail ? atLower - atUpper : atUpper - atLower }

        func sample(_ r: UnsafeMutablePointer<gsl_rng>) -> Double {
            let u = gsl_rng_uniform_pos(r)   // (0, 1): never an infinite quantile at an infinite bound
            let z = upperTail ? gsl_cdf_ugaussian_Qinv(atLower - u * mass)
                              : gsl_cdf_ugaussian_Pinv(atLower + u * mass)
            // Rounding in the quantile may step just outside the interval.
            return Swift.min(Swift.max(mu + sigma * z, lower), upper)
        }

        /// E[X] = mu + sigma (φ(α) − φ(β)) / Z, with Z the mass.
        var mean: Double {
            let (alpha, beta) = ((lower - mu) / sigma, (upper - mu) / sigma)
            return mu + sigma * (gsl_ran_ugaussian_pdf(alpha) - gsl_ran_ugaussian_pdf(beta)) / mass
        }

        /// Var X = sigma² [1 + (αφ(α) − βφ(β))/Z − ((φ(α) − φ(β))/Z)²], where αφ(α) = 0 at α = ±∞.
        var variance: Double {
            let (alpha, beta) = ((lower - mu) / sigma, (upper - mu) / sigma)
            let (pa, pb) = (gsl_ran_ugaussian_pdf(alpha), gsl_ran_ugaussian_pdf(beta))
            let apa = alpha.isFinite ? alpha * pa : 0
            let bpb = beta.isFinite ? beta * pb : 0
            let d = (pa - pb) / mass
            return Swift.max(0, sigma * sigma * (1 + (apa - bpb) / mass - d * d))
        }
    }
}

// MARK: - Description

extension Distribution: CustomStringConvertible {
    /// A short summary such as `exponential(mean 30)`, numbers to six significant digits.
    public var description: String {
        let f = DistributionFormat.short
        switch form {
        case .deterministic(let v): return "deterministic(\(f(v)))"
        case let .uniform(a, b): return "uniform(min \(f(a)), max \(f(b)))"
        case .exponential(let m): return "exponential(mean \(f(m)))"
        case let .erlang(k, scale): return "erlang(k \(k), mean \(f(Double(k) * scale)))"
        case let .gamma(shape, scale): return "gamma(shape \(f(shape)), scale \(f(scale)))"
        case let .lognormal(mu, sigma, byMoments):
            return byMoments ? "lognormal(mean \(f(mean)), sd \(f(variance.squareRoot())))"
                             : "lognormal(mu \(f(mu)), sigma \(f(sigma)))"
        case let .weibull(shape, scale): return "weibull(shape \(f(shape)), scale \(f(scale)))"
        case let .normal(m, sd): return "normal(mean \(f(m)), sd \(f(sd)))"
        case .truncatedNormal(let t):
            return "truncatedNormal(mu \(f(t.mu)), sigma \(f(t.sigma)), lower \(f(t.lower)), upper \(f(t.upper)))"
        case let .triangular(a, c, b): return "triangular(min \(f(a)), mode \(f(c)), max \(f(b)))"
        case let .beta(alpha, beta, a, b):
            let range = (a == 0 && b == 1) ? "" : ", min \(f(a)), max \(f(b))"
            return "beta(alpha \(f(alpha)), beta \(f(beta))\(range))"
        case .bernoulli(let p): return "bernoulli(p \(f(p)))"
        case let .binomial(n, p): return "binomial(n \(n), p \(f(p)))"
        case .poisson(let m): return "poisson(mean \(f(m)))"
        case .geometric(let p): return "geometric(p \(f(p)))"
        case .empiricalDiscrete(let e):
            return "empiricalDiscrete(\(e.values.count) values in [\(f(e.values[0])), \(f(e.values[e.values.count - 1]))])"
        case .empiricalContinuous(let e):
            return "empiricalContinuous(\(e.values.count) points on [\(f(e.values[0])), \(f(e.values[e.values.count - 1]))])"
        case .mixture(let m):
            let parts = zip(m.weights, m.components).map { "\(f($0.0)) × \($0.1)" }
            return "mixture(\(parts.joined(separator: ", ")))"
        case .scaled(let s): return "\(f(s.factor)) × \(s.base)"
        }
    }
}

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
    }

    let form: Form

    private init(_ form: Form) { self.form = form }

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
        }
    }
}

/// ln Γ(x) from the C library (the Swift overlay's `lgamma` also returns the sign, hence the
/// annotation; GSL's `gsl_sf_lngamma` would abort on overflow).
private func logGamma(_ x: Double) -> Double {
    let value: Double = lgamma(x)
    return value
}

// MARK: - Factories

extension Distribution {
    /// Always `value`.
    public static func deterministic(_ value: Double) throws -> Distribution {
        let check = Check("deterministic")
        try check.finite(value, "value")
        return Distribution(.deterministic(value))
    }

    /// Uniform on [min, max).
    public static func uniform(min a: Double, max b: Double) throws -> Distribution {
        let check = Check("uniform")
        try check.finite(a, "min")
        try check.finite(b, "max")
        try check.require(b > a, "max", "must be > min (\(DistributionFormat.exact(a)))", b)
        return Distribution(.uniform(min: a, max: b))
    }

    /// Exponential with the given mean (mean time between events, or a service time).
    public static func exponential(mean: Double) throws -> Distribution {
        try Check("exponential").positive(mean, "mean")
        return Distribution(.exponential(mean: mean))
    }

    /// Exponential with the given rate (events per unit time): mean 1/rate.
    public static func exponential(rate: Double) throws -> Distribution {
        try Check("exponential").positive(rate, "rate")
        let mean = 1 / rate
        try Check("exponential").positive(mean, "rate", "must give a finite mean 1/rate")
        return Distribution(.exponential(mean: mean))
    }

    /// Erlang: the sum of k exponentials, with the given overall mean (coefficient of variation 1/√k).
    public static func erlang(k: Int, mean: Double) throws -> Distribution {
        let check = Check("erlang")
        try check.require(k >= 1, "k", "must be an integer ≥ 1", Double(k))
        try check.positive(mean, "mean")
        return Distribution(.erlang(k: k, scale: mean / Double(k)))
    }

    /// Gamma with density ∝ x^(shape−1) e^(−x/scale): mean shape·scale, variance shape·scale².
    public static func gamma(shape: Double, scale: Double) throws -> Distribution {
        let check = Check("gamma")
        try check.positive(shape, "shape")
        try check.positive(scale, "scale")
        return Distribution(.gamma(shape: shape, scale: scale))
    }

    /// Lognormal with ln X ~ N(mu, sigma²).
    public static func lognormal(mu: Double, sigma: Double) throws -> Distribution {
        let check = Check("lognormal")
        try check.finite(mu, "mu")
        try check.positive(sigma, "sigma")
        return Distribution(.lognormal(mu: mu, sigma: sigma, givenByMoments: false))
    }

    /// Lognormal with the given mean and standard deviation of X itself.
    public static func lognormal(mean: Double, sd: Double) throws -> Distribution {
        let check = Check("lognormal")
        try check.positive(mean, "mean")
        try check.positive(sd, "sd")
        // σ² = ln(1 + sd²/mean²), μ = ln(mean) − σ²/2.
        let cv = sd / mean
        let sigma2 = log1p(cv * cv)
        try check.require(sigma2.isFinite && sigma2 > 0, "sd", "must give a usable sd/mean ratio", sd)
        return Distribution(.lognormal(mu: log(mean) - sigma2 / 2, sigma: sigma2.squareRoot(),
                                       givenByMoments: true))
    }

    /// Weibull with F(x) = 1 − exp(−(x/scale)^shape).
    public static func weibull(shape: Double, scale: Double) throws -> Distribution {
        let check = Check("weibull")
        try check.positive(shape, "shape")
        try check.positive(scale, "scale")
        return Distribution(.weibull(shape: shape, scale: scale))
    }

    /// Normal N(mean, sd²). It takes negative values: for a duration, see `truncatedNormal`.
    public static func normal(mean: Double, sd: Double) throws -> Distribution {
        let check = Check("normal")
        try check.finite(mean, "mean")
        try check.positive(sd, "sd")
        return Distribution(.normal(mean: mean, sd: sd))
    }

    /// N(mu, sigma²) conditioned on [lower, upper]; either bound may be infinite
    /// (`truncatedNormal(mu: 45, sigma: 10, lower: 0)` for a duration).
    public static func truncatedNormal(mu: Double, sigma: Double,
                                       lower: Double = -.infinity,
                                       upper: Double = .infinity) throws -> Distribution {
        let check = Check("truncatedNormal")
        try check.finite(mu, "mu")
        try check.positive(sigma, "sigma")
        try check.require(!lower.isNaN && lower < .infinity, "lower", "must be a number < inf", lower)
        try check.require(!upper.isNaN && upper > -.infinity, "upper", "must be a number > -inf", upper)
        try check.require(upper > lower, "upper", "must be > lower (\(DistributionFormat.exact(lower)))", upper)
        guard let t = TruncatedNormal(mu: mu, sigma: sigma, lower: lower, upper: upper) else {
            throw DistributionError("truncatedNormal", "lower",
                                    "and upper must enclose a positive probability of N(mu, sigma²)",
                                    got: "[\(DistributionFormat.exact(lower)), \(DistributionFormat.exact(upper))]")
        }
        return Distribution(.truncatedNormal(t))
    }

    /// Triangular on [min, max] with its peak at `mode`.
    public static func triangular(min a: Double, mode c: Double, max b: Double) throws -> Distribution {
        let check = Check("triangular")
        try check.finite(a, "min")
        try check.finite(c, "mode")
        try check.finite(b, "max")
        try check.require(b > a, "max", "must be > min (\(DistributionFormat.exact(a)))", b)
        try check.require(a <= c && c <= b, "mode",
                          "must lie in [min, max] = [\(DistributionFormat.exact(a)), \(DistributionFormat.exact(b))]", c)
        return Distribution(.triangular(min: a, mode: c, max: b))
    }

    /// Beta(alpha, beta), stretched from [0, 1] onto [min, max].
    public static func beta(alpha: Double, beta: Double,
                            min a: Double = 0, max b: Double = 1) throws -> Distribution {
        let check = Check("beta")
        try check.positive(alpha, "alpha")
        try check.positive(beta, "beta")
        try check.finite(a, "min")
        try check.finite(b, "max")
        try check.require(b > a, "max", "must be > min (\(DistributionFormat.exact(a)))", b)
        return Distribution(.beta(alpha: alpha, beta: beta, min: a, max: b))
    }

    /// 1 with probability p, else 0.
    public static func bernoulli(p: Double) throws -> Distribution {
        try Check("bernoulli").probability(p, "p")
        return Distribution(.bernoulli(p: p))
    }

    /// The number of successes in n independent trials with probability p each.
    public static func binomial(n: Int, p: Double) throws -> Distribution {
        let check = Check("binomial")
        try check.require(n >= 0 && n <= Int(UInt32.max), "n",
                          "must be an integer in 0...\(UInt32.max) (GSL counts in 32 bits)", Double(n))
        try check.probability(p, "p")
        return Distribution(.binomial(n: UInt32(n), p: p))
    }

    /// Poisson with the given mean (0 allowed: always 0).
    public static func poisson(mean: Double) throws -> Distribution {
        try Check("poisson").require(mean >= 0 && mean <= 1e9, "mean",
                                     "must be a number in [0, 1e9] (GSL counts in 32 bits)", mean)
        return Distribution(.poisson(mean: mean))
    }

    /// The number of trials up to and including the first success (1, 2, 3, …): mean 1/p.
    /// p ≥ 1e-8 keeps every draw within GSL's 32-bit result.
    public static func geometric(p: Double) throws -> Distribution {
        try Check("geometric").require(p >= 1e-8 && p <= 1, "p",
                                       "must be a number in [1e-8, 1] (GSL counts trials in 32 bits)", p)
        return Distribution(.geometric(p: p))
    }

    /// Resampling of observed values: each distinct value with its observed frequency.
    public static func empiricalDiscrete(samples: [Double]) throws -> Distribution {
        let check = Check("empiricalDiscrete")
        try check.require(!samples.isEmpty, "samples", "must not be empty", got: "[]")
        try check.allFinite(samples, "samples")
        var values: [Double] = [], counts: [Double] = []
        for x in samples.sorted() {
            if x == values.last { counts[counts.count - 1] += 1 } else { values.append(x); counts.append(1) }
        }
        return Distribution(.empiricalDiscrete(EmpiricalDiscrete(values: values, weights: counts)))
    }

    /// Interpolated resampling: the piecewise-linear CDF through the sorted samples
    /// x(1) ≤ … ≤ x(n) at F(x(i)) = (i − 1)/(n − 1). Values fall in [x(1), x(n)].
    public static func empiricalContinuous(samples: [Double]) throws -> Distribution {
        let check = Check("empiricalContinuous")
        try check.require(samples.count >= 2, "samples", "must hold at least 2 values",
                          got: "\(samples.count)")
        try check.allFinite(samples, "samples")
        let n = samples.count
        let cumulative = (0..<n).map { Double($0) / Double(n - 1) }
        return Distribution(.empiricalContinuous(
            EmpiricalContinuous(values: samples.sorted(), cumulative: cumulative, equalSteps: true)))
    }

    /// A discrete distribution from its CDF table: P(X ≤ values[i]) = cumulative[i].
    /// `values` strictly increasing; `cumulative` nondecreasing in [0, 1], ending at 1.
    public static func empiricalDiscrete(values: [Double], cumulative: [Double]) throws -> Distribution {
        let check = Check("empiricalDiscrete")
        let cdf = try check.cdfTable(values: values, cumulative: cumulative, minimumCount: 1)
        var previous = 0.0
        let weights = cdf.map { f in defer { previous = f }; return f - previous }
        return Distribution(.empiricalDiscrete(EmpiricalDiscrete(values: values, weights: weights)))
    }

    /// A continuous distribution from its CDF table, linear between the points
    /// (values[k], cumulative[k]). `values` strictly increasing; `cumulative` nondecreasing,
    /// from 0 (so values[0] is the minimum) to 1 (values.last is the maximum).
    public static func empiricalContinuous(values: [Double], cumulative: [Double]) throws -> Distribution {
        let check = Check("empiricalContinuous")
        let cdf = try check.cdfTable(values: values, cumulative: cumulative, minimumCount: 2)
        try check.require(cdf[0] == 0, "cumulative", "must start at 0 (the minimum value)", cdf[0])
        return Distribution(.empiricalContinuous(
            EmpiricalContinuous(values: values, cumulative: cdf, equalSteps: false)))
    }

    /// A finite mixture: with probability weight/Σweights, a draw from that component.
    /// Weights need not sum to 1, e.g. `.mixture([(0.9, fast), (0.1, slow)])`.
    public static func mixture(_ components: [(weight: Double, distribution: Distribution)]) throws -> Distribution {
        let check = Check("mixture")
        try check.require(!components.isEmpty, "components", "must not be empty", got: "[]")
        for (i, c) in components.enumerated() {
            try check.require(c.weight.isFinite && c.weight >= 0, "weight",
                              "of component \(i + 1) must be a finite number ≥ 0", c.weight)
        }
        let total = components.reduce(0) { $0 + $1.weight }
        try check.require(total > 0 && total.isFinite, "weight",
                          "must be > 0 for some component, with a finite sum", total)
        return Distribution(.mixture(Mixture(weights: components.map(\.weight),
                                             components: components.map(\.distribution))))
    }
}

// MARK: - Validation

extension Distribution {
    /// The checks the factories share; each failure names the distribution and the parameter.
    private struct Check {
        let distribution: String
        init(_ distribution: String) { self.distribution = distribution }

        func require(_ ok: Bool, _ parameter: String, _ requirement: String, got value: String) throws {
            if !ok { throw DistributionError(distribution, parameter, requirement, got: value) }
        }

        func require(_ ok: Bool, _ parameter: String, _ requirement: String, _ value: Double) throws {
            try require(ok, parameter, requirement, got: DistributionFormat.exact(value))
        }

        func finite(_ x: Double, _ parameter: String) throws {
            try require(x.isFinite, parameter, "must be a finite number", x)
        }

        func positive(_ x: Double, _ parameter: String,
                      _ requirement: String = "must be a finite number > 0") throws {
            try require(x.isFinite && x > 0, parameter, requirement, x)
        }

        func probability(_ p: Double, _ parameter: String) throws {
            try require(p >= 0 && p <= 1, parameter, "must be a probability in [0, 1]", p)
        }

        func allFinite(_ xs: [Double], _ parameter: String) throws {
            if let i = xs.firstIndex(where: { !$0.isFinite }) {
                try require(false, parameter, "must all be finite numbers",
                            got: "\(DistributionFormat.exact(xs[i])) at index \(i)")
            }
        }

        /// Checks a CDF table and returns `cumulative` with its last entry set to exactly 1
        /// (a table typed with rounded probabilities may end at 1 ± 1e-9).
        func cdfTable(values: [Double], cumulative: [Double], minimumCount: Int) throws -> [Double] {
            try require(values.count >= minimumCount, "values",
                        "must hold at least \(minimumCount) point\(minimumCount == 1 ? "" : "s")",
                        got: "\(values.count)")
            try require(cumulative.count == values.count, "cumulative",
                        "must have as many entries as values (\(values.count))", got: "\(cumulative.count)")
            try allFinite(values, "values")
            for i in 1..<values.count where !(values[i] > values[i - 1]) {
                try require(false, "values", "must be strictly increasing",
                            got: "\(DistributionFormat.exact(values[i])) after \(DistributionFormat.exact(values[i - 1]))")
            }
            for (i, f) in cumulative.enumerated() {
                try require(f >= 0 && f <= 1 + 1e-9, "cumulative", "must be probabilities in [0, 1]",
                            got: "\(DistributionFormat.exact(f)) at index \(i)")
                if i > 0 && f < cumulative[i - 1] {
                    try require(false, "cumulative", "must be nondecreasing",
                                got: "\(DistributionFormat.exact(f)) after \(DistributionFormat.exact(cumulative[i - 1]))")
                }
            }
            let last = cumulative[cumulative.count - 1]
            try require(abs(last - 1) <= 1e-9, "cumulative", "must end at 1", last)
            var cdf = cumulative
            cdf[cdf.count - 1] = 1
            return cdf
        }
    }
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
        }
    }
}

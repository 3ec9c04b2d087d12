#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGSL


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

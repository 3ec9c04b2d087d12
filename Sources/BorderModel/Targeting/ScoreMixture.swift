import SimKernel

/// The distribution of risk scores across all parties of a class: a mixture over
/// (violator or not) × (advance information or not) of unit-variance normals with weights
/// (1−π)(1−a), (1−π)a, π(1−a), πa and means 0, 0, d′, d′_adv, where π is the class's total
/// violation prevalence and a its advance-information share. The two non-violator components
/// share a mean and are merged.
public struct ScoreMixture: Sendable, Equatable {
    public var nonViolatorWeight: Double
    public var violatorWeight: Double
    public var violatorWithAdvanceInfoWeight: Double
    public var dPrime: Double
    public var dPrimeWithAdvanceInfo: Double

    public init(prevalence: Double, advanceInfoShare: Double, scorer: RiskScorer) {
        let p = ScoreMixture.unit(prevalence), a = ScoreMixture.unit(advanceInfoShare)
        nonViolatorWeight = 1 - p
        violatorWeight = p * (1 - a)
        violatorWithAdvanceInfoWeight = p * a
        dPrime = scorer.dPrime
        dPrimeWithAdvanceInfo = scorer.dPrimeWithAdvanceInfo
    }

    public init(trafficClass c: TrafficClass) {
        self.init(prevalence: c.violations.reduce(0) { $0 + $1.prevalence },
                  advanceInfoShare: c.advanceInfoShare, scorer: RiskScorer(model: c.risk))
    }

    /// Standard normal scores only (no violators): for parties of no known class.
    public static let standardNormal = ScoreMixture(prevalence: 0, advanceInfoShare: 0,
                                                    scorer: RiskScorer(model: RiskScoreModel(auc: 0.5)))

    /// P(score > t).
    public func survival(_ t: Double) -> Double {
        nonViolatorWeight * StandardNormal.survival(t)
            + violatorWeight * StandardNormal.survival(t - dPrime)
            + violatorWithAdvanceInfoWeight * StandardNormal.survival(t - dPrimeWithAdvanceInfo)
    }

    /// The t with P(score > t) = fraction, by bisection on the (decreasing) survival function.
    /// The fraction is clamped to [0, 1] (NaN → 0): 0 gives +∞ (nobody), 1 gives −∞ (everybody).
    public func threshold(forFraction fraction: Double) -> Double {
        let f = ScoreMixture.unit(fraction)
        if f <= 0 { return .infinity }
        if f >= 1 { return -.infinity }
        // Forty standard deviations beyond every mean: survival is 1 below, 0 above (in Double).
        var lo = Swift.min(0, dPrime, dPrimeWithAdvanceInfo) - 40
        var hi = Swift.max(0, dPrime, dPrimeWithAdvanceInfo) + 40
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { break }   // interval down to adjacent Doubles
            if survival(mid) > f { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// Clamp to [0, 1]; NaN → 0. Never traps on odd configuration.
    static func unit(_ x: Double) -> Double { x.isNaN ? 0 : Swift.min(Swift.max(x, 0), 1) }
}

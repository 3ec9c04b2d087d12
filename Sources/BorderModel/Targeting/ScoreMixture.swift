import SimKernel

/// The distribution of risk scores across all parties of a class: a mixture of unit-variance
/// normals. Without intelligence sources: over (violator or not) × (advance information or not),
/// with weights 1−π, π(1−a), πa and means 0, d′, d′_adv, where π is the class's total violation
/// prevalence and a its advance-information share (the two non-violator components share a mean
/// and are merged). With sources, over which of them were heard in time as well.
public struct ScoreMixture: Sendable, Equatable {
    /// Unit-variance normal components of the mixture: weight and mean.
    public struct Component: Sendable, Equatable {
        public var weight: Double
        public var mean: Double
    }
    public var components: [Component]

    public init(prevalence: Double, advanceInfoShare: Double, scorer: RiskScorer) {
        let p = ScoreMixture.unit(prevalence), a = ScoreMixture.unit(advanceInfoShare)
        components = [Component(weight: 1 - p, mean: 0), Component(weight: p * (1 - a), mean: scorer.dPrime),
                      Component(weight: p * a, mean: scorer.dPrimeWithAdvanceInfo)]
    }

    public init(trafficClass c: TrafficClass) {
        self.init(prevalence: c.violations.reduce(0) { $0 + $1.prevalence },
                  advanceInfoShare: c.advanceInfoShare, scorer: RiskScorer(model: c.risk))
    }

    /// The primary scores of class `classIndex` once the intelligence sources in use that cover
    /// it are fused in: a component for every violation state, advance information or not, and
    /// every combination of score sources heard in time and of score-raising watchlist hits.
    /// (Watchlist hits that refer outright are referrals beside the score, like random selection.)
    public init(trafficClass c: TrafficClass, classIndex: Int, sources: [IntelligenceSource]) {
        let signals = sources.filter { $0.inUse && $0.classes.contains(classIndex) }
        let scores = signals.compactMap { s -> (p: Double, weight: Double, shift: [Double?])? in
            guard case .score(let auc, let byType) = s.evidence else { return nil }
            return (ScoreMixture.unit(s.coverage * s.timeliness), RiskScorer.dPrime(auc: auc), byType.map { $0.map(RiskScorer.dPrime(auc:)) })
        }
        let raises = signals.compactMap { s -> (p: Double, hit: [Double], falseHit: Double, raise: Double)? in
            guard case .watchlist(let hit, let falseHit, .raiseScore(let x)) = s.evidence else { return nil }
            return (ScoreMixture.unit(s.coverage * s.timeliness), hit, falseHit, x)
        }
        guard !scores.isEmpty || !raises.isEmpty else { self = ScoreMixture(trafficClass: c); return }
        let scorer = RiskScorer(model: c.risk)
        let a = ScoreMixture.unit(c.advanceInfoShare)
        var states: [(weight: Double, type: Int?)] = [(ScoreMixture.unit(1 - c.violations.reduce(0) { $0 + $1.prevalence }), nil)]
        states += c.violations.map { (ScoreMixture.unit($0.prevalence), $0.type) }
        var out: [Component] = []
        for state in states {
            for advance in [false, true] {
                let d0 = scorer.dPrime(advanceInfo: advance)
                let wa = advance ? a : 1 - a
                for heard in 0..<(1 << scores.count) {
                    var weight = state.weight * wa, sum = state.type == nil ? 0 : d0 * d0, total = d0 * d0
                    for (i, s) in scores.enumerated() {
                        let on = heard & (1 << i) != 0
                        weight *= on ? s.p : 1 - s.p
                        guard on else { continue }
                        let shift = state.type.map { t in (t < s.shift.count ? s.shift[t] : nil) ?? s.weight } ?? 0
                        sum += s.weight * shift
                        total += s.weight * s.weight
                    }
                    let mean = heard == 0 ? (state.type == nil ? 0 : d0) : sum / total.squareRoot()
                    for hits in 0..<(1 << raises.count) {
                        var w = weight, m = mean
                        for (j, r) in raises.enumerated() {
                            let rate = state.type.map { $0 < r.hit.count ? r.hit[$0] : 0 } ?? r.falseHit
                            let p = r.p * ScoreMixture.unit(rate)
                            let on = hits & (1 << j) != 0
                            w *= on ? p : 1 - p
                            if on { m += r.raise }
                        }
                        out.append(Component(weight: w, mean: m))
                    }
                }
            }
        }
        components = out
    }

    /// Standard normal scores only (no violators): for parties of no known class.
    public static let standardNormal = ScoreMixture(prevalence: 0, advanceInfoShare: 0,
                                                    scorer: RiskScorer(model: RiskScoreModel(auc: 0.5)))

    /// P(score > t).
    public func survival(_ t: Double) -> Double {
        var sum = components[0].weight * StandardNormal.survival(t - components[0].mean)
        for k in components.indices.dropFirst() { sum += components[k].weight * StandardNormal.survival(t - components[k].mean) }
        return sum
    }

    /// The t with P(score > t) = fraction, by bisection on the (decreasing) survival function.
    /// The fraction is clamped to [0, 1] (NaN → 0): 0 gives +∞ (nobody), 1 gives −∞ (everybody).
    public func threshold(forFraction fraction: Double) -> Double {
        let f = ScoreMixture.unit(fraction)
        if f <= 0 { return .infinity }
        if f >= 1 { return -.infinity }
        // Forty standard deviations beyond every mean: survival is 1 below, 0 above (in Double).
        let means = components.map(\.mean)
        var lo = Swift.min(0, means.min() ?? 0) - 40
        var hi = Swift.max(0, means.max() ?? 0) + 40
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

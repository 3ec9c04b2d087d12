/// Decides referral to secondary at the end of primary.
///
/// Every (class, trusted) pair's effective rule — trusted override, else per-class rule, else
/// the default — is resolved once at construction into a flat array of plain slots, with
/// `.targetFraction` thresholds already derived, so `refers` is one array read and a switch.
///
/// Semantics (`u` is a uniform(0,1) drawn at arrival, `q` the referral station's queue length):
/// - `.none`: never; `.all`: always; `.random(rate)`: u < rate.
/// - `.threshold(t, r)`: score > t || u < r.
/// - `.targetFraction(f, r)`: score > t(f) || u < r, where t(f) makes P(score > t) = f over the
///   class's score mixture (see `ScoreMixture`). The threshold targets f by the score alone; since
///   u is independent of the score the combined referral rate is f + r·(1 − f).
/// - `.congestionAware(t0, s, q0, r)`: score > t0 + s·max(0, q − q0) || u < r.
///
/// Nothing is validated here (the scenario loader does that), but odd inputs never trap:
/// fractions are clamped to [0, 1], per-class rules for unknown classes are ignored, and an
/// unknown class index at decision time gets the default (or trusted) rule, with any target
/// fraction derived for standard-normal scores.
public struct Targeter: Sendable {
    enum Kind: UInt8, Sendable { case never, always, random, scoreOrRandom, congestionAware }

    /// One resolved rule. Unused fields are 0 (or +∞ for the threshold).
    struct Slot: Sendable {
        var kind: Kind
        var threshold: Double
        var randomRate: Double
        var slope: Double
        var freeQueue: Double
    }

    private let classCount: Int
    /// Index classIndex·2 + (trusted ? 1 : 0); the last two slots serve unknown class indices.
    private let slots: [Slot]
    private let rules: [SelectionRule]
    private let derived: [Double?]

    /// `sources`: the intelligence sources fused into scores (target fractions see their mixture).
    public init(policy: TargetingPolicy, classes: [TrafficClass], sources: [IntelligenceSource] = []) {
        classCount = classes.count
        var slots: [Slot] = [], rules: [SelectionRule] = [], derived: [Double?] = []
        let n = classes.count
        slots.reserveCapacity(2 * n + 2); rules.reserveCapacity(2 * n + 2); derived.reserveCapacity(2 * n + 2)
        for c in 0...n {
            let mixture = c < n ? ScoreMixture(trafficClass: classes[c], classIndex: c, sources: sources) : .standardNormal
            let classRule = c < n ? (policy.perClass[c] ?? policy.rule) : policy.rule
            for trusted in [false, true] {
                let rule = trusted ? (policy.trusted ?? classRule) : classRule
                let (slot, t) = Targeter.resolve(rule, mixture)
                slots.append(slot); rules.append(rule); derived.append(t)
            }
        }
        self.slots = slots; self.rules = rules; self.derived = derived
    }

    private static func resolve(_ rule: SelectionRule, _ mixture: ScoreMixture) -> (Slot, Double?) {
        func slot(_ kind: Kind, _ t: Double = .infinity, _ r: Double = 0, _ s: Double = 0, _ q0: Double = 0) -> Slot {
            Slot(kind: kind, threshold: t, randomRate: r, slope: s, freeQueue: q0)
        }
        switch rule {
        case .none: return (slot(.never), nil)
        case .all: return (slot(.always), nil)
        case .random(let rate): return (slot(.random, .infinity, rate), nil)
        case .threshold(let t, let r): return (slot(.scoreOrRandom, t, r), nil)
        case .targetFraction(let f, let r):
            let t = mixture.threshold(forFraction: f)
            return (slot(.scoreOrRandom, t, r), t)
        case .congestionAware(let t0, let s, let q0, let r):
            return (slot(.congestionAware, t0, r, s, Double(q0)), nil)
        }
    }

    @inline(__always)
    private func index(_ classIndex: Int, _ trusted: Bool) -> Int {
        // One unsigned compare catches negative and too-large indices alike.
        let c = UInt(bitPattern: classIndex) < UInt(classCount) ? classIndex : classCount
        return c &* 2 &+ (trusted ? 1 : 0)
    }

    /// Whether a party is referred to secondary. `uRandom` is a uniform(0,1) drawn at arrival
    /// (common random numbers); `secondaryQueue` is the queue length at the referral station.
    @inline(__always)
    public func refers(classIndex: Int, trusted: Bool, score: Double, uRandom: Double,
                       secondaryQueue: Int) -> Bool {
        decision(classIndex: classIndex, trusted: trusted, score: score, uRandom: uRandom,
                 secondaryQueue: secondaryQueue) != .none
    }

    /// Why a party is referred: by its score, at random (only when its score would not have
    /// referred it), or not at all. `.all` counts as the score's (everybody's score qualifies).
    public enum Decision: Sendable { case none, score, random }

    @inline(__always)
    public func decision(classIndex: Int, trusted: Bool, score: Double, uRandom: Double,
                         secondaryQueue: Int) -> Decision {
        let s = slots[index(classIndex, trusted)]
        switch s.kind {
        case .never: return .none
        case .always: return .score
        case .random: return uRandom < s.randomRate ? .random : .none
        case .scoreOrRandom: return score > s.threshold ? .score : uRandom < s.randomRate ? .random : .none
        case .congestionAware:
            let excess = Double(secondaryQueue) - s.freeQueue
            // Only add the rise when there is one: avoids ∞·0 = NaN for an infinite slope.
            let t = excess > 0 ? s.threshold + s.slope * excess : s.threshold
            return score > t ? .score : uRandom < s.randomRate ? .random : .none
        }
    }

    /// The rule in force for a party (trusted override, then per-class, then default).
    public func rule(classIndex: Int, trusted: Bool) -> SelectionRule {
        rules[index(classIndex, trusted)]
    }

    /// The threshold a `.targetFraction` rule resolved to for a class; nil for other rules.
    public func derivedThreshold(classIndex: Int, trusted: Bool) -> Double? {
        derived[index(classIndex, trusted)]
    }
}

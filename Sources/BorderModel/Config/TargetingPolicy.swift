/// How parties are chosen for secondary inspection at the end of primary.
public struct TargetingPolicy: Sendable, Equatable {
    public var rule: SelectionRule
    /// Per-class rules, by class index, that replace `rule` for that class.
    public var perClass: [Int: SelectionRule]
    /// Rule for parties enrolled in a trusted programme (replaces the class's rule); nil: none.
    public var trusted: SelectionRule?

    public init(rule: SelectionRule = .none, perClass: [Int: SelectionRule] = [:],
                trusted: SelectionRule? = nil) {
        self.rule = rule; self.perClass = perClass; self.trusted = trusted
    }
}

/// One selection rule. Every rule that uses the score can add random selection on top.
public enum SelectionRule: Sendable, Equatable {
    /// Nobody is referred (but parties spotted by the primary officer).
    case none
    /// Each party is referred with probability `rate`, whatever its score.
    case random(rate: Double)
    /// Refer when the risk score exceeds `threshold`; plus random selection at `randomRate`.
    case threshold(Double, randomRate: Double)
    /// Refer the riskiest `fraction` of the class: the threshold is derived from the class's
    /// score distribution; plus random selection.
    case targetFraction(Double, randomRate: Double)
    /// A threshold that rises by `slope` for every party queued at the referral station beyond
    /// `freeQueue`: referrals tighten as secondary congests.
    case congestionAware(threshold: Double, slope: Double, freeQueue: Int, randomRate: Double)
    /// Everybody (100 % screening).
    case all
}

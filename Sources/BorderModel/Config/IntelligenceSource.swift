/// A source of intelligence about parties: a partner agency's lookouts, passenger data
/// (API/PNR), cargo filings (ISF 10+2), a watchlist, biometric identity checks. It covers some
/// classes and a share of their parties, separates violators from others as well as its
/// evidence allows, and reaches the officer in time for primary for a share of what it knows.
public struct IntelligenceSource: Sendable, Equatable {
    public enum Evidence: Sendable, Equatable {
        /// A binormal score: violators' signal is shifted by d′ = √2·Φ⁻¹(AUC), by violation type
        /// where `aucByType` gives one (nil entries: `auc`).
        case score(auc: Double, aucByType: [Double?])
        /// A watchlist: a hit with probability `hitRate[type]` for a violator of that type and
        /// `falseHitRate` for anybody else.
        case watchlist(hitRate: [Double], falseHitRate: Double, onHit: OnHit)
        /// An identity check at primary (e-gate or booth biometrics): detects violations of type
        /// `detects` with `sensitivity`; the covered parties' primary service takes `serviceFactor`
        /// times as long.
        case biometric(detects: Int, sensitivity: Double, serviceFactor: Double)
    }

    public enum OnHit: Sendable, Equatable {
        /// The party is referred, whatever its score.
        case refer
        /// Its fused score rises by this much (in standard deviations of a clean party's score).
        case raiseScore(Double)
    }

    public var name: String
    /// Classes it covers (indices).
    public var classes: [Int]
    /// Share of the covered classes' parties it holds information on.
    public var coverage: Double
    /// Share of that information that reaches the officer before the party reaches primary;
    /// the rest arrives while the party is at secondary (it orders highest-risk-first queues).
    public var timeliness: Double
    /// The agency that holds it; nil: the port's own.
    public var agency: String?
    /// Whether a partner agency shares it (a sharing agreement); a source of the port's own
    /// agency is always used.
    public var shared: Bool
    public var evidence: Evidence

    public init(name: String, classes: [Int], coverage: Double = 1, timeliness: Double = 1, agency: String? = nil,
                shared: Bool = true, evidence: Evidence) {
        self.name = name; self.classes = classes; self.coverage = coverage; self.timeliness = timeliness
        self.agency = agency; self.shared = shared; self.evidence = evidence
    }

    /// Whether the port uses it: its own, or shared by the partner that holds it.
    public var inUse: Bool { agency == nil || shared }

    /// Valid factors for a biometric check's service time.
    public static let serviceFactors = ValueRange.closed(0.05, 20)
}

extension PortConfiguration {
    /// What referrals are attributed to, in the order of `SecurityResult.attribution`: the
    /// primary officer, random selection, the class's own risk profile, then each source.
    public var referralCauses: [String] { ["primary-officer", "random-selection", "risk-profile"] + intelligence.map(\.name) }
}

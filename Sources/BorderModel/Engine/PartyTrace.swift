/// A party's record for the per-party trace.
public struct PartyTrace: Sendable, Equatable {
    public enum Outcome: String, Sendable { case departed, balked, reneged }
    public var classIndex: Int
    public var trusted: Bool
    public var advanceInfo: Bool
    /// Violation type index, or -1.
    public var violation: Int
    public var riskScore: Double
    public var arrival: Double
    public var lane: Int
    /// When it joined its lane's queue; nil when it balked (never joined).
    public var queueEntry: Double?
    public var booth: Int
    public var serviceStart: Double?
    public var serviceEnd: Double?
    public var referred: Bool
    public var stations: [StationVisit]
    public var detected: Bool
    public var outcome: Outcome
    public var exit: Double
}

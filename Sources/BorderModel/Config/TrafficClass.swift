import SimKernel

/// The kinds of party a border crossing sees.
public enum TrafficKind: String, CaseIterable, Sendable {
    case passengerVehicle = "passenger-vehicle"
    case pedestrian
    case bus
    case truck
    case airPassenger = "air-passenger"
}

/// A stream of parties of one kind: how they arrive and what they carry.
public struct TrafficClass: Sendable {
    public var name: String
    public var kind: TrafficKind
    public var arrivals: ArrivalProcess
    /// Share enrolled in a trusted programme (NEXUS, SENTRI, FAST, Global Entry).
    public var trustedShare: Double
    /// Share with advance information (manifest, API/PNR, ISF 10+2).
    public var advanceInfoShare: Double
    /// Prevalence of each violation type; a party carries at most one violation, so the
    /// prevalences sum to at most 1.
    public var violations: [ViolationPrevalence]
    public var risk: RiskScoreModel
    /// How long a party waits in a primary queue before leaving (reneging); nil: forever.
    public var patience: Distribution?
    /// Whether a party turns away on seeing a long queue; nil: never.
    public var balking: BalkingRule?
    /// Non-preemptive priority at lanes and FIFO stations: waiting parties of a higher
    /// priority are served before any of a lower one; first come, first served within one.
    public var priority: Int
    /// Valid priorities.
    public static let priorities = ValueRange.whole(-1000, 1000)

    public init(name: String, kind: TrafficKind, arrivals: ArrivalProcess, trustedShare: Double = 0,
                advanceInfoShare: Double = 0, violations: [ViolationPrevalence] = [],
                risk: RiskScoreModel = RiskScoreModel(auc: 0.75), patience: Distribution? = nil,
                balking: BalkingRule? = nil, priority: Int = 0) {
        self.name = name; self.kind = kind; self.arrivals = arrivals
        self.trustedShare = trustedShare; self.advanceInfoShare = advanceInfoShare
        self.violations = violations; self.risk = risk; self.patience = patience; self.balking = balking
        self.priority = priority
    }
}

public struct ViolationPrevalence: Sendable, Equatable {
    /// Index into `PortConfiguration.violationTypes`.
    public var type: Int
    /// Probability that a party of the class carries this violation.
    public var prevalence: Double
    public init(type: Int, prevalence: Double) { self.type = type; self.prevalence = prevalence }
}

/// A party balks — leaves without joining — with `probability` when the shortest queue it may
/// join holds at least `queueLength` parties.
public struct BalkingRule: Sendable, Equatable {
    public var queueLength: Int
    public var probability: Double
    public init(queueLength: Int, probability: Double = 1) {
        self.queueLength = queueLength; self.probability = probability
    }
}

/// The binormal risk-score model: non-violators score N(0, 1), violators N(d′, 1), and the
/// quality of intelligence is the AUC = Φ(d′/√2). Parties with advance information are scored
/// with the (higher) `aucWithAdvanceInfo`.
public struct RiskScoreModel: Sendable, Equatable {
    public var auc: Double
    public var aucWithAdvanceInfo: Double?
    /// An AUC of 0.5 is a coin toss and 1 a perfect oracle; the binormal model needs 0.5 < AUC < 1.
    public static let validAUC = ValueRange.open(0.5, 1)
    public init(auc: Double, aucWithAdvanceInfo: Double? = nil) {
        self.auc = auc; self.aucWithAdvanceInfo = aucWithAdvanceInfo
    }
}

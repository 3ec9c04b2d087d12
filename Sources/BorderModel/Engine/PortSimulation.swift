import SimKernel

/// One replication of a border-crossing model on the event kernel (the public face of `PortEngine`).
///
///     let sim = try PortSimulation(config: port, seed: 42, replication: 0)
///     let result = sim.run()
///
/// The engine orchestrates; the runtime concepts own their state and its statistics:
/// - `PartyPool`: the parties present and the ledger of flows and security outcomes;
/// - `LaneState` / `StationState`: positions, waiting line (`WaitingLine`, whose
///   `QueueDiscipline` orders it) and their time-averages, hourly series and waits
///   (`ServicePoint`);
/// - `PositionPlan`: which positions are staffed (schedules, officers on duty, rule decisions);
/// - `OperationalRule`: what supervisors do in response to the state, decided after each event
///   and applied in one place (`PortEngine.applyRules`).
/// Each event is one `BorderEvent` case, handled by one method of `PortEngine`.
///
/// Random streams are derived from (seed, replication, name): `arrivals/CLASS` for arrival
/// times, batch sizes and spreads; `parties/CLASS` for one 64-bit key per party, from which
/// every draw about that party is made (`DrawPurpose`); `downtime/STATION` for breakdowns. So
/// two runs that differ only in policy or staffing see identical parties (common random numbers).
public final class PortSimulation {
    private var engine: PortEngine

    /// Called with each party's record when it leaves (departs, balks or reneges).
    public var trace: ((PartyTrace) -> Void)? {
        get { engine.trace }
        set { engine.trace = newValue }
    }
    /// When set, structural invariants are checked as the model runs; violations are listed here.
    public var checksInvariants: Bool {
        get { engine.checksInvariants }
        set { engine.checksInvariants = newValue }
    }
    public var invariantViolations: [String] { engine.invariantViolations }
    /// The most parties present in the port at once (the state the run keeps in memory).
    public var peakPartiesPresent: Int { engine.pool.peak }

    public init(config: PortConfiguration, seed: UInt64, replication: Int) throws {
        try ModelCheck.validate(config)
        engine = try PortEngine(config: config, seed: seed, replication: replication)
    }

    /// Runs the replication to the horizon and returns what it measured.
    public func run() -> ReplicationResult {
        // The run works on a local value: every access inside it is then checked for
        // exclusivity at compile time, none at run time (a class's stored properties would
        // need a runtime check on every access).
        var running = engine
        let result = running.run()
        engine = running
        return result
    }
}

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

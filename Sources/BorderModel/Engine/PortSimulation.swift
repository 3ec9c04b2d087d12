import CGSL
import SimKernel

/// One replication of a border-crossing model on the event kernel.
///
///     let sim = try PortSimulation(config: port, seed: 42, replication: 0)
///     let result = sim.run()
///
/// Random streams are derived from (seed, replication, name): `arrivals/CLASS` for arrival
/// times, batch sizes and spreads; `parties/CLASS` for one 64-bit key per party, from which
/// every draw about that party is made (`PartyDraws`); `downtime/STATION` for breakdowns. So
/// two runs that differ only in policy or staffing see identical parties (common random numbers).
public final class PortSimulation {
    let config: PortConfiguration
    let replication: Int
    var pool: PartyPool
    var lanes: [LaneState]
    var stations: [StationState]
    var metrics: PortMetrics
    var generators: [ArrivalGenerator]
    /// The next epoch of each class's arrival process, waiting for its event to fire.
    var pendingEpoch: [ArrivalEpoch?]
    let partyKeys: [RandomStream]
    let downtimeStreams: [RandomStream?]
    let draws = KeyedDraws()
    let tables: EngineTables
    /// Station visits per party slot, kept only when the per-party trace is on. Indexed by the
    /// pool slot (no hashing); most parties never visit a station and keep an empty array.
    var trails: [[StationVisit]] = []
    let targeter: Targeter
    let scorers: [RiskScorer]
    /// Per class: cumulative violation probabilities with their types.
    let violationTable: [[(type: Int32, cumulative: Double)]]
    /// Per class and trusted status (index class*2 + trusted): preferred lanes, then all eligible.
    let preferredLanes: [[Int]]
    let eligibleLanes: [[Int]]
    /// Officers currently moved to secondary by the rebalancing rule.
    var moved = 0
    var settingPositions = false
    var partiesCreated = 0
    var now: Double = 0

    /// Called with each party's record when it leaves (departs, balks or reneges).
    public var trace: ((PartyTrace) -> Void)?
    /// When set, structural invariants are checked as the model runs; violations are listed here.
    public var checksInvariants = false
    public private(set) var invariantViolations: [String] = []
    /// The most parties present in the port at once (the state the run keeps in memory).
    public var peakPartiesPresent: Int { pool.peak }

    public init(config: PortConfiguration, seed: UInt64, replication: Int) throws {
        try ModelCheck.validate(config)
        self.config = config
        self.replication = replication
        pool = PartyPool(capacity: 4096)
        lanes = config.lanes.map { LaneState(booths: Int($0.booths.maximum.rounded())) }
        let extra = config.staffing?.rebalance?.maxMoved ?? 0
        stations = config.stations.indices.map { s in
            StationState(servers: Int(config.stations[s].servers.maximum.rounded())
                         + (config.staffing?.rebalance?.station == s ? extra : 0))
        }
        metrics = PortMetrics(config: config)
        func stream(_ name: String) -> RandomStream {
            RandomStream(masterSeed: seed, replication: replication, name: name)
        }
        generators = config.classes.map {
            ArrivalGenerator(process: $0.arrivals, stream: stream("arrivals/\($0.name)"), horizon: config.horizon)
        }
        pendingEpoch = Array(repeating: nil, count: config.classes.count)
        partyKeys = config.classes.map { stream("parties/\($0.name)") }
        downtimeStreams = config.stations.map { $0.downtime == nil ? nil : stream("downtime/\($0.name)") }
        tables = EngineTables(config)
        targeter = Targeter(policy: config.targeting, classes: config.classes)
        scorers = config.classes.map { RiskScorer(model: $0.risk) }
        violationTable = config.classes.map { c in
            var cumulative = 0.0
            return c.violations.map { v in
                cumulative += v.prevalence
                return (Int32(v.type), cumulative)
            }
        }
        var preferred: [[Int]] = [], eligible: [[Int]] = []
        for c in config.classes.indices {
            for trusted in [false, true] {
                let all = config.lanes.indices.filter {
                    config.lanes[$0].serves.contains(c) && (!config.lanes[$0].trustedOnly || trusted)
                }
                var first = trusted ? all.filter { config.lanes[$0].trustedOnly } : []
                if first.isEmpty { first = all.filter { config.lanes[$0].serves == [c] } }
                if first.isEmpty { first = all }
                preferred.append(first)
                eligible.append(all)
            }
        }
        preferredLanes = preferred
        eligibleLanes = eligible
    }

    /// Runs the replication to the horizon and returns what it measured.
    public func run() -> ReplicationResult {
        var sim = Simulation<BorderEvent>(capacity: 4096)
        applyPlan(&sim)
        for c in config.classes.indices { scheduleNextArrival(Int32(c), &sim) }
        for s in config.stations.indices { scheduleFailure(s, &sim) }
        if config.warmUp > 0 { sim.schedule(.warmUpEnds, at: config.warmUp, priority: .urgent) }
        sim.schedule(.sampleQueues, at: 0, priority: .late)

        sim.run(until: config.horizon) { sim, event in
            self.now = sim.now
            switch event {
            case .classArrival(let c): classArrives(c, &sim)
            case .memberArrives(let id): reachPrimary(id, &sim)
            case .boothDone(let l, let b): boothDone(lane: Int(l), booth: Int(b), &sim)
            case .renege(let id): renege(id)
            case .stationDone(let s, let k): stationDone(station: Int(s), server: Int(k), &sim)
            case .planChange: applyPlan(&sim)
            case .stationFails(let s): stationFails(Int(s), &sim)
            case .stationRepaired(let s): stationRepaired(Int(s), &sim)
            case .sampleQueues: sampleQueues(&sim)
            case .warmUpEnds: metrics.reset(at: sim.now)
            }
        }
        now = config.horizon
        return metrics.result(replication: replication, config: config, end: config.horizon,
                              parties: partiesCreated, events: sim.firedCount)
    }

    func sampleQueues(_ sim: inout Simulation<BorderEvent>) {
        metrics.sampleTimes.append(now)
        for l in lanes.indices { metrics.queueSamples.append(lanes[l].waiting) }
        for s in stations.indices { metrics.queueSamples.append(stations[s].waiting) }
        let next = now + config.metrics.queueSampleInterval
        if next < config.horizon { sim.schedule(.sampleQueues, at: next, priority: .late) }
    }

    func violated(_ message: @autoclosure () -> String) {
        invariantViolations.append("t=\(now): " + message())
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

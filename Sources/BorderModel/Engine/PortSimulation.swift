import SimKernel

/// One replication of a border-crossing model on the event kernel.
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
///   and applied in one place (`apply`).
/// Each event is one `BorderEvent` case, handled by one method below.
///
/// Random streams are derived from (seed, replication, name): `arrivals/CLASS` for arrival
/// times, batch sizes and spreads; `parties/CLASS` for one 64-bit key per party, from which
/// every draw about that party is made (`DrawPurpose`); `downtime/STATION` for breakdowns. So
/// two runs that differ only in policy or staffing see identical parties (common random numbers).
public final class PortSimulation {
    let config: PortConfiguration
    let replication: Int
    var pool: PartyPool
    var lanes: Table<LaneID, LaneState>
    var stations: Table<StationID, StationState>
    var plan: PositionPlan
    let rules: [OperationalRule]
    /// Per rule: the watched point's change count when the rule last decided.
    var ruleSeen: [Int]
    /// The referral station's queue as the targeting policy sees it (congestion-aware rules).
    var referralQueue = 0
    var generators: [ArrivalGenerator]
    /// The next epoch of each class's arrival process, waiting for its event to fire.
    let pendingEpoch: Slab<ArrivalEpoch?>
    let partyKeys: [RandomStream]
    let downtimeStreams: [RandomStream?]
    let draws = KeyedDraws()
    let factory: PartyFactory
    let laneChoice: LaneChoice
    let tables: InspectionTables
    let referral: PrimaryReferral
    let referralStation: StationID?
    let bins: SeriesBins
    var sampleTimes: [Double] = []
    var queueSamples: [Int] = []
    /// Station visits per party slot, kept only when the per-party trace is on. Indexed by the
    /// pool slot (no hashing); most parties never visit a station and keep an empty array.
    var trails: [[StationVisit]] = []
    var now: Double = 0

    /// Called with each party's record when it leaves (departs, balks or reneges).
    public var trace: ((PartyTrace) -> Void)?
    /// Called when a station breaks down (true) or is repaired (false), with the station index and
    /// the time: for the training page's animation. Rare events, nil unless asked for.
    public var stationDown: ((_ station: Int, _ down: Bool, _ time: Double) -> Void)?
    /// When set, structural invariants are checked as the model runs; violations are listed here.
    public var checksInvariants = false
    public private(set) var invariantViolations: [String] = []
    /// The most parties present in the port at once (the state the run keeps in memory).
    public var peakPartiesPresent: Int { pool.peak }

    /// Routing longer than this is a cycle the validation missed: the party is released.
    static let maxVisits: Int16 = 32

    public init(config: PortConfiguration, seed: UInt64, replication: Int) throws {
        try ModelCheck.validate(config)
        self.config = config
        self.replication = replication
        let bins = SeriesBins(horizon: config.horizon, seconds: config.metrics.seriesBin)
        self.bins = bins
        let classes = config.classes.count, thresholds = config.metrics.waitThresholds
        let fine = LogHistogram(relativePrecision: 0.01, minResolution: 0.1, maxValue: 30 * 86_400)
        let coarse = LogHistogram(relativePrecision: 0.05, minResolution: 1, maxValue: 30 * 86_400)
        let targeter = Targeter(policy: config.targeting, classes: config.classes, sources: config.intelligence)
        let intelligence = Intelligence(config)
        referral = PrimaryReferral(targeter: targeter, intelligence: intelligence)
        factory = PartyFactory(config, targeter: targeter, intelligence: intelligence)
        let levels = factory.priorityLevels
        pool = PartyPool(lanes: config.lanes.count, classes: classes, violationTypes: config.violationTypes.count,
                         causes: config.referralCauses.count, bins: bins, histogram: fine)
        let physicalBooths = config.lanes.map { lane in
            max(Int(lane.booths.maximum.rounded()), lane.dynamicOpening?.maxBooths ?? 0)
        }
        lanes = Table(config.lanes.indices.map { l in
            LaneState(point: ServicePoint(positions: physicalBooths[l], discipline: .priorityFIFO(levels: levels),
                                          classes: classes, bins: bins, wait: fine, binWait: coarse,
                                          thresholds: thresholds))
        })
        let extra = config.staffing?.rebalance?.maxMoved ?? 0
        stations = Table(config.stations.indices.map { s in
            let station = config.stations[s]
            let servers = Int(station.servers.maximum.rounded()) + (config.staffing?.rebalance?.station == s ? extra : 0)
            let discipline: QueueDiscipline = station.discipline == .highestRiskFirst
                ? .highestRiskFirst : .priorityFIFO(levels: levels)
            return StationState(point: ServicePoint(positions: servers, discipline: discipline, classes: classes,
                                                    bins: bins, wait: fine, binWait: nil, thresholds: thresholds),
                                classes: classes, bins: bins)
        })
        plan = PositionPlan(config: config, physicalBooths: physicalBooths, bins: bins)
        rules = OperationalRule.rules(for: config)
        ruleSeen = Array(repeating: -1, count: rules.count)
        func stream(_ name: String) -> RandomStream {
            RandomStream(masterSeed: seed, replication: replication, name: name)
        }
        generators = config.classes.map {
            ArrivalGenerator(process: $0.arrivals, stream: stream("arrivals/\($0.name)"), horizon: config.horizon)
        }
        pendingEpoch = Slab(Array(repeating: nil, count: classes))
        partyKeys = config.classes.map { stream("parties/\($0.name)") }
        downtimeStreams = config.stations.map { $0.downtime == nil ? nil : stream("downtime/\($0.name)") }
        laneChoice = LaneChoice(config)
        tables = InspectionTables(config)
        referralStation = config.referralStation.map(StationID.init)
    }

    /// Runs the replication to the horizon and returns what it measured.
    public func run() -> ReplicationResult {
        var sim = Simulation<BorderEvent>(capacity: 4096)
        planChanges(&sim)
        for c in config.classes.indices { scheduleNextArrival(ClassID(c), &sim) }
        for s in stations.ids { scheduleFailure(s, &sim) }
        if config.warmUp > 0 { sim.schedule(.warmUpEnds, at: config.warmUp, priority: .urgent) }
        sim.schedule(.sampleQueues, at: 0, priority: .late)
        let expected = config.horizon / config.metrics.queueSampleInterval     // no regrowth on long runs
        let samples = expected.isFinite && expected > 0 ? Int(min(expected, 1e6)) + 1 : 0
        sampleTimes.reserveCapacity(samples)
        queueSamples.reserveCapacity(samples * (lanes.count + stations.count))

        sim.run(until: config.horizon) { sim, event in
            self.now = sim.now
            switch event {
            case .classArrival(let c): classArrives(c, &sim)
            case .memberArrives(let id): reachesPrimary(id, &sim)
            case .boothDone(let l, let b): boothDone(l, booth: Int(b), &sim)
            case .renege(let id): reneges(id)
            case .stationDone(let s, let k): stationDone(s, server: Int(k), &sim)
            case .planChange: planChanges(&sim)
            case .stationFails(let s): stationFails(s, &sim)
            case .stationRepaired(let s): stationRepaired(s, &sim)
            case .sampleQueues: sampleQueues(&sim)
            case .warmUpEnds: resetStatistics()
            }
            if !rules.isEmpty { applyRules(&sim) }
        }
        now = config.horizon
        return ReplicationResult(assembling: self, events: sim.firedCount)
    }

    // MARK: arrivals

    func scheduleNextArrival(_ c: ClassID, _ sim: inout Simulation<BorderEvent>) {
        guard let epoch = generators[c.index].next() else { return }
        pendingEpoch[c.index] = epoch
        sim.schedule(.classArrival(c), at: epoch.time)
    }

    func classArrives(_ c: ClassID, _ sim: inout Simulation<BorderEvent>) {
        guard let epoch = pendingEpoch[c.index] else { return }
        switch epoch {
        case .single(_, let traced):
            reachesPrimary(createParty(c, traced: traced), &sim)
        case .batch(_, let size):
            for _ in 0..<size {
                let id = createParty(c, traced: nil)
                let delay = generators[c.index].spreadDelay()
                if delay > 0 {
                    sim.schedule(.memberArrives(id), after: delay)
                } else {
                    reachesPrimary(id, &sim)
                }
            }
        }
        scheduleNextArrival(c, &sim)
    }

    func createParty(_ c: ClassID, traced: TracedParty?) -> PartyID {
        let key = partyKeys[c.index].next64()
        let id = pool.create(factory.make(c, key: key, at: now, traced: traced, draws: draws, allScores: trace != nil))
        if trace != nil {
            if id.index >= trails.count { trails.append(contentsOf: repeatElement([], count: id.index + 1 - trails.count)) }
            if !trails[id.index].isEmpty { trails[id.index] = [] }
        }
        return id
    }

    /// The party reaches the primary lanes: it picks a lane, then joins, or balks.
    func reachesPrimary(_ id: PartyID, _ sim: inout Simulation<BorderEvent>) {
        pool[id].arrival = now
        let (l, full) = laneChoice.lane(for: pool[id].classID, trusted: pool[id].trusted) { l in
            (lanes[l].point.waiting, lanes[l].point.open, lanes[l].point.load)
        }
        pool.arrives(id, at: l, now: now)
        if full { return balks(id) }
        let c = pool[id].classID.index
        if let rule = tables.balking[c], lanes[l].point.waiting >= rule.queueLength,
           draws.uniform(pool[id].key, DrawPurpose.balking.rawValue) < rule.probability {
            return balks(id)
        }
        pool.joins(id, now: now)
        if lanes[l].point.waiting == 0, let b = lanes[l].point.idlePosition() {
            return startsPrimary(id, lane: l, booth: b, &sim)
        }
        let party = pool[id]
        lanes[l].point.enqueue(id, level: Int(party.priorityLevel), score: party.score, now: now)
        if let patience = tables.patience[c] {
            let wait = draws.sample(patience, party.key, DrawPurpose.patience.rawValue)
            pool[id].renege = sim.scheduleCancellable(.renege(id), after: max(0, wait))
        }
    }

    func balks(_ id: PartyID) {
        emitTrace(id, outcome: .balked)
        pool.balks(id)
    }

    func reneges(_ id: PartyID) {
        let party = pool[id]
        lanes[party.lane].point.abandons(classIndex: party.classID.index, waited: now - party.queueEntry, now: now)
        pool.reneges(id)
        emitTrace(id, outcome: .reneged)
    }

    // MARK: primary inspection

    func startsPrimary(_ id: PartyID, lane l: LaneID, booth b: Int, _ sim: inout Simulation<BorderEvent>) {
        if checksInvariants {
            if b >= lanes[l].point.open { violated("lane \(l.index): service started at closed booth \(b)") }
            if pool[id].arrival > now { violated("party \(id.index) served before it arrived") }
        }
        if let h = pool[id].renege { sim.cancel(h); pool[id].renege = nil }
        pool[id].booth = Int32(b)
        pool[id].serviceStart = now
        let party = pool[id]
        lanes[l].point.start(id, at: b, classIndex: party.classID.index, joined: party.queueEntry, bin: party.bin, now: now)
        let service = party.trusted ? tables.laneTrustedService[l, party.classID] : tables.laneService[l, party.classID]
        var duration = draws.sample(service.unsafelyUnwrapped, party.key, DrawPurpose.primaryWork.rawValue)
        let speed = lanes[l].speed
        if speed != 1 { duration /= speed }
        if party.biometricCause != ReferralCause.none { duration *= referral.intelligence.serviceFactor(party.biometricCause) }
        sim.schedule(.boothDone(l, booth: Int32(b)), after: max(0, duration))
    }

    func boothDone(_ l: LaneID, booth b: Int, _ sim: inout Simulation<BorderEvent>) {
        let id = lanes[l].point.finish(at: b, now: now)
        pool.finishesPrimary(id, now: now)
        if b < lanes[l].point.open, let next = lanes[l].takeNext(&pool, now: now) {
            startsPrimary(next, lane: l, booth: b, &sim)
        }
        let party = pool[id]
        let spots = party.violation.exists ? tables.spotsAtPrimary(lane: l, party.violation) : 0
        let cause = referral.cause(of: party, spots: spots, referralQueue: referralQueue, draws: draws)
        guard cause != ReferralCause.none else { return departs(id) }
        if PrimaryReferral.detects(cause, party) { pool[id].detected = true }
        pool.referred(id, cause: cause)
        if let s = referralStation { entersStation(id, s, &sim) } else { departs(id) }
    }

    /// The party leaves the port after all its inspection.
    func departs(_ id: PartyID) {
        emitTrace(id, outcome: .departed)
        pool.departs(id, now: now)
    }

    // MARK: secondary inspection

    func entersStation(_ id: PartyID, _ s: StationID, _ sim: inout Simulation<BorderEvent>) {
        pool[id].visits += 1
        guard pool[id].visits <= Self.maxVisits else { return departs(id) }
        pool[id].station = s
        pool[id].stationEntry = now
        let party = pool[id]
        stations[s].receives(classIndex: party.classID.index)
        if stations[s].down, let behaviour = tables.whileDown[s.index], behaviour != .queueWaits {
            return turnedAway(id, from: s, behaviour, &sim)
        }
        if stations[s].point.waiting == 0, let k = stations[s].idleServer() {
            return startsStation(id, s, server: k, &sim)
        }
        stations[s].point.enqueue(id, level: Int(party.priorityLevel), score: party.secondaryScore, now: now)
    }

    /// A party meets a station that is down and does not queue: it is diverted or released.
    func turnedAway(_ id: PartyID, from s: StationID, _ behaviour: Downtime.WhileDown, _ sim: inout Simulation<BorderEvent>) {
        switch behaviour {
        case .queueWaits: break
        case .divert(let other):
            stations[s].diverts()
            entersStation(id, StationID(other), &sim)
        case .releaseUnscreened:
            stations[s].releasesUnscreened()
            departs(id)
        }
    }

    func startsStation(_ id: PartyID, _ s: StationID, server k: Int, _ sim: inout Simulation<BorderEvent>) {
        if checksInvariants, k >= stations[s].point.open || stations[s].down {
            violated("station \(s.index): service started at closed or down server \(k)")
        }
        let party = pool[id]
        stations[s].point.start(id, at: k, classIndex: party.classID.index, joined: party.stationEntry, bin: 0, now: now)
        if trace != nil {
            trails[id.index].append(StationVisit(station: s.index, entered: party.stationEntry, started: now,
                                                 ended: now, alarm: false))
        }
        let service = tables.stationService[s, party.classID]
        let purpose = DrawPurpose.stationWork.rawValue + 2 * UInt64(s.index)
        let duration = draws.sample(service, party.key, purpose)
        sim.schedule(.stationDone(s, server: Int32(k)), after: max(0, duration))
    }

    func stationDone(_ s: StationID, server k: Int, _ sim: inout Simulation<BorderEvent>) {
        let id = stations[s].point.finish(at: k, now: now)
        let party = pool[id]
        let u = draws.uniform(party.key, DrawPurpose.stationDetection.rawValue + 2 * UInt64(s.index))
        let alarm = u < tables.alarmChance(station: s, party.violation)
        stations[s].finishes(classIndex: party.classID.index, alarm: alarm)
        if trace != nil, let last = trails[id.index].indices.last {
            trails[id.index][last].ended = now
            trails[id.index][last].alarm = alarm
        }
        if k < stations[s].point.open { fillServers(s, &sim) }
        switch alarm ? tables.onAlarm[s.index] : tables.onClear[s.index] {
        case .station(let next):
            entersStation(id, StationID(next), &sim)
        case .release:
            if alarm && party.violation.exists { pool[id].detected = true }
            departs(id)
        }
    }

    /// Every idle open server of station `s` takes a waiting party.
    func fillServers(_ s: StationID, _ sim: inout Simulation<BorderEvent>) {
        while stations[s].point.waiting > 0, let k = stations[s].idleServer(), let id = stations[s].point.nextEntry() {
            stations[s].point.leaves(now: now)
            startsStation(id, s, server: k, &sim)
        }
    }

    func scheduleFailure(_ s: StationID, _ sim: inout Simulation<BorderEvent>) {
        guard let downtime = tables.downtime[s.index], let stream = downtimeStreams[s.index] else { return }
        sim.schedule(.stationFails(s), after: max(0, downtime.timeBetweenFailures.sample(stream)))
    }

    /// Parties in service finish; the queue follows the configured behaviour.
    func stationFails(_ s: StationID, _ sim: inout Simulation<BorderEvent>) {
        guard let downtime = tables.downtime[s.index], let stream = downtimeStreams[s.index] else { return }
        stations[s].fails(now: now)
        stationDown?(s.index, true, now)
        if downtime.whileDown != .queueWaits {
            var queued: [PartyID] = []
            while let id = stations[s].point.nextEntry() {
                stations[s].point.leaves(now: now)
                queued.append(id)
            }
            for id in queued { turnedAway(id, from: s, downtime.whileDown, &sim) }
        }
        sim.schedule(.stationRepaired(s), after: max(0, downtime.repairTime.sample(stream)))
    }

    func stationRepaired(_ s: StationID, _ sim: inout Simulation<BorderEvent>) {
        stations[s].isRepaired(now: now)
        stationDown?(s.index, false, now)
        fillServers(s, &sim)
        scheduleFailure(s, &sim)
    }

    // MARK: positions and operational rules

    /// A schedule breakpoint: positions follow the plan; the next breakpoint is scheduled.
    func planChanges(_ sim: inout Simulation<BorderEvent>) {
        staffPositions(&sim)
        let next = plan.nextChange(after: now)
        if next < config.horizon { sim.schedule(.planChange, at: next, priority: .urgent) }
    }

    /// Opens and closes positions as the plan says; newly opened ones take waiting parties.
    func staffPositions(_ sim: inout Simulation<BorderEvent>) {
        let (laneOpen, stationOpen) = plan.targets(at: now)
        for l in lanes.ids where lanes[l].point.setOpen(laneOpen[l.index], now: now) {
            while lanes[l].point.waiting > 0, let b = lanes[l].point.idlePosition(),
                  let id = lanes[l].takeNext(&pool, now: now) {
                startsPrimary(id, lane: l, booth: b, &sim)
            }
        }
        for s in stations.ids where stations[s].point.setOpen(stationOpen[s.index], now: now) {
            fillServers(s, &sim)
        }
    }

    /// After an event: every rule whose lane or station changed decides; the decisions are
    /// applied together, and positions re-staffed once if any of them asks for it.
    func applyRules(_ sim: inout Simulation<BorderEvent>) {
        var restaff = false
        for (i, rule) in rules.enumerated() {
            let changes = watchedChanges(rule)
            guard changes != ruleSeen[i] else { continue }
            ruleSeen[i] = changes
            guard let decision = rule.decide(lanes: lanes, stations: stations, plan: plan,
                                             referralQueue: referralQueue) else { continue }
            switch decision {
            case .officersMoved(let n): plan.setMoved(n); restaff = true
            case .extraBooths(let l, let n): plan.setExtraBooths(n, lane: l); restaff = true
            case .serviceSpeed(let l, let speed): lanes[l].speed = speed
            case .referralQueue(let q): referralQueue = q
            }
        }
        guard restaff else { return }
        staffPositions(&sim)
        // What the rules' own decisions changed is not news to them.
        for (i, rule) in rules.enumerated() { ruleSeen[i] = watchedChanges(rule) }
    }

    private func watchedChanges(_ rule: OperationalRule) -> Int {
        switch rule.watches {
        case .lane(let l): return lanes[l].point.changes
        case .station(let s): return stations[s].point.changes
        }
    }

    // MARK: observation

    func sampleQueues(_ sim: inout Simulation<BorderEvent>) {
        sampleTimes.append(now)
        for l in lanes.ids { queueSamples.append(lanes[l].point.waiting) }
        for s in stations.ids { queueSamples.append(stations[s].point.waiting) }
        let next = now + config.metrics.queueSampleInterval
        if next < config.horizon { sim.schedule(.sampleQueues, at: next, priority: .late) }
    }

    /// The warm-up ends: summary statistics restart, parties and series carry on.
    func resetStatistics() {
        pool.resetStatistics()
        for l in lanes.ids { lanes[l].point.resetStatistics(at: now) }
        for s in stations.ids { stations[s].resetStatistics(at: now) }
        plan.resetStatistics(at: now)
    }

    func emitTrace(_ id: PartyID, outcome: PartyTrace.Outcome) {
        guard let trace else { return }
        let p = pool[id]
        let served = p.booth >= 0
        trace(PartyTrace(classIndex: p.classID.index, trusted: p.trusted, advanceInfo: p.advanceInfo,
                         violation: p.violation.index, riskScore: p.score, arrival: p.arrival, lane: p.lane.index,
                         queueEntry: outcome == .balked ? nil : p.queueEntry, booth: Int(p.booth),
                         serviceStart: served ? p.serviceStart : nil,
                         serviceEnd: served && outcome == .departed ? p.serviceEnd : nil, referred: p.referred,
                         stations: trails[id.index], detected: p.detected, outcome: outcome, exit: now))
    }

    func violated(_ message: @autoclosure () -> String) {
        invariantViolations.append("t=\(now): " + message())
    }
}

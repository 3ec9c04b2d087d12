import SimKernel

/// Makes a class's new parties with their attributes — trusted, advance information,
/// violation, risk score, priority — all drawn from the party's own key (common random
/// numbers: a policy or staffing change never changes who arrives), or taken from a trace.
struct PartyFactory {
    private let trustedShare: [Double]
    private let advanceShare: [Double]
    /// Per class: cumulative violation probabilities with their types.
    private let violationTable: [[(type: ViolationID, cumulative: Double)]]
    private let scorers: [RiskScorer]
    private let priorityLevel: [Int32]
    private let intelligence: Intelligence
    /// Per class·2 + trusted: whether anything reads the risk score (targeting by score, a
    /// highest-risk-first station, intelligence sources). Its draw is keyed, so skipping it
    /// changes no other draw.
    private let scoreUsed: [Bool]
    /// The number of distinct priorities (the levels of a priority line).
    let priorityLevels: Int

    init(_ config: PortConfiguration, targeter: Targeter, intelligence: Intelligence) {
        trustedShare = config.classes.map(\.trustedShare)
        advanceShare = config.classes.map(\.advanceInfoShare)
        violationTable = config.classes.map { c in
            var cumulative = 0.0
            return c.violations.map { v in
                cumulative += v.prevalence
                return (ViolationID(v.type), cumulative)
            }
        }
        scorers = config.classes.map { RiskScorer(model: $0.risk) }
        let priorities = Array(Set(config.classes.map(\.priority))).sorted(by: >)
        priorityLevels = max(1, priorities.count)
        priorityLevel = config.classes.map { Int32(priorities.firstIndex(of: $0.priority) ?? 0) }
        self.intelligence = intelligence
        let byRisk = config.stations.contains { $0.discipline == .highestRiskFirst }
        scoreUsed = config.classes.indices.flatMap { [intelligence] c in
            [false, true].map { byRisk || intelligence.covers[c] || targeter.usesScore(classIndex: c, trusted: $0) }
        }
    }

    /// A new party of class `c`. A share of 0 or 1 needs no draw (u < 0 never holds, u < 1
    /// always does), nor does an empty violation table or an unused score (`scoreUsed`; the
    /// trace, `allScores`, wants every score): the draws are keyed by purpose, so leaving one
    /// out changes no other.
    @inline(__always)
    func make(_ c: ClassID, key: UInt64, at now: Double, traced: TracedParty?, draws: KeyedDraws,
              allScores: Bool) -> Party {
        let i = c.index
        var p = Party(classID: c, key: key, arrival: now)
        p.priorityLevel = priorityLevel[i]
        p.trusted = traced?.trusted ?? Self.bernoulli(trustedShare[i], draws, key, .trusted)
        p.advanceInfo = traced?.advanceInfo ?? Self.bernoulli(advanceShare[i], draws, key, .advanceInfo)
        if let v = traced?.violation {
            p.violation = ViolationID(v)
        } else if !violationTable[i].isEmpty {
            let u = draws.uniform(key, DrawPurpose.violation.rawValue)
            for (type, cumulative) in violationTable[i] where u < cumulative {
                p.violation = type
                break
            }
        }
        if let s = traced?.riskScore {
            p.score = s             // a trace's score is final: no further intelligence
            p.secondaryScore = s
        } else if allScores || scoreUsed[i &* 2 &+ (p.trusted ? 1 : 0)] {
            let z = draws.standardNormal(key, DrawPurpose.riskScore.rawValue)
            p.score = scorers[i].score(violator: p.violation.exists, advanceInfo: p.advanceInfo, z: z)
            p.secondaryScore = p.score
            if intelligence.covers[i] {
                intelligence.assess(&p, profile: p.score, d0: scorers[i].dPrime(advanceInfo: p.advanceInfo), draws: draws)
            }
        }
        return p
    }

    @inline(__always)
    private static func bernoulli(_ share: Double, _ draws: KeyedDraws, _ key: UInt64, _ purpose: DrawPurpose) -> Bool {
        if share <= 0 { return false }
        if share >= 1 { return true }
        return draws.uniform(key, purpose.rawValue) < share
    }
}

/// Where a party queues: dedicated lanes first (trusted-only lanes for trusted parties, else
/// lanes serving only its class), otherwise any eligible lane; the shortest queue per open booth.
struct LaneChoice {
    /// Per class and trusted status (index class·2 + trusted): preferred lanes, then all eligible.
    private let preferred: [[LaneID]]
    private let eligible: [[LaneID]]
    /// The one eligible lane, when there is only one (the choice is then made already).
    private let only: [LaneID?]
    private let capacity: [Int?]

    init(_ config: PortConfiguration) {
        var preferred: [[LaneID]] = [], eligible: [[LaneID]] = []
        for c in config.classes.indices {
            for trusted in [false, true] {
                let all = config.lanes.indices.filter {
                    config.lanes[$0].serves.contains(c) && (!config.lanes[$0].trustedOnly || trusted)
                }
                var first = trusted ? all.filter { config.lanes[$0].trustedOnly } : []
                if first.isEmpty { first = all.filter { config.lanes[$0].serves == [c] } }
                if first.isEmpty { first = all }
                preferred.append(first.map(LaneID.init))
                eligible.append(all.map(LaneID.init))
            }
        }
        self.preferred = preferred
        self.eligible = eligible
        only = eligible.map { $0.count == 1 ? $0[0] : nil }
        capacity = config.lanes.map(\.capacity)
    }

    /// What lane choice looks at: parties waiting, booths open, and parties ahead per open booth.
    typealias Look = (waiting: Int, open: Int, load: Double)

    /// The lane the party joins, and whether every eligible queue is full (it then balks there).
    /// `look` reads a lane's state (a closure, so that the engine's lanes are read in place).
    @inline(__always)
    func lane(for c: ClassID, trusted: Bool, look: (LaneID) -> Look) -> (lane: LaneID, full: Bool) {
        let choice = c.index * 2 + (trusted ? 1 : 0)
        // With one eligible lane every rule below picks it, open or not.
        var lane = only[choice] ?? shortest(preferred[choice], look, openOnly: true)
            ?? shortest(eligible[choice], look, openOnly: true)
            ?? shortest(eligible[choice], look, openOnly: false)!
        // Physical storage: a full queue sends the party to another eligible lane with room.
        if let cap = capacity[lane.index], look(lane).waiting >= cap {
            let roomy = eligible[choice].filter { l in capacity[l.index].map { look(l).waiting < $0 } ?? true }
            guard let other = shortest(roomy, look, openOnly: true) ?? shortest(roomy, look, openOnly: false) else {
                return (lane, true)
            }
            lane = other
        }
        return (lane, false)
    }

    /// The lane with the fewest parties ahead per open booth (lowest index on ties).
    @inline(__always)
    private func shortest(_ candidates: [LaneID], _ look: (LaneID) -> Look, openOnly: Bool) -> LaneID? {
        var best: LaneID? = nil, bestLoad = Double.infinity
        for l in candidates {
            let state = look(l)
            if openOnly && state.open == 0 { continue }
            if state.load < bestLoad { best = l; bestLoad = state.load }
        }
        return best
    }
}

/// The parties in the port and the ledger of what became of them: arrivals, balks, reneges,
/// departures and times in system by lane × class, and the security outcomes by violation
/// type. Each step of a party's life is one method, which updates the slab and the ledger
/// together, so conservation (arrived = left + present, for every flow and violation type)
/// holds by construction.
///
/// The slab's slots are reused: no allocation per party once it has grown to the peak present.
struct PartyPool {
    private var parties: [Party] = []
    private var free: [PartyID] = []
    private(set) var present = 0
    private(set) var peak = 0
    private(set) var created = 0

    private(set) var flows: ByClass<LaneID, FlowLedger>
    private(set) var security: SecurityResult
    /// Live count of violators in the port, by type.
    private var violatorsPresent: [Int]
    /// Per series bin and lane: parties reaching the lane, and finishing primary there.
    private var arrivalsByBin: [Int], servedByBin: [Int]
    /// Per series bin and lane (by arrival): total time in system of those who departed, and how many.
    private var timeInSystemByBin: [(total: Double, departed: Int)]
    private let laneCount: Int
    private let classCount: Int
    private let causeCount: Int
    private let bins: SeriesBins

    init(lanes: Int, classes: Int, violationTypes: Int, causes: Int, bins: SeriesBins, histogram: LogHistogram) {
        laneCount = lanes
        classCount = classes
        causeCount = causes
        self.bins = bins
        parties.reserveCapacity(4096)
        free.reserveCapacity(4096)
        flows = ByClass(rows: lanes, classes: classes) { _, _ in FlowLedger(timeInSystem: histogram) }
        security = Self.freshSecurity(violationTypes: violationTypes, cells: causes * classes)
        violatorsPresent = Array(repeating: 0, count: violationTypes)
        arrivalsByBin = Array(repeating: 0, count: bins.count * lanes)
        servedByBin = arrivalsByBin
        timeInSystemByBin = Array(repeating: (0, 0), count: bins.count * lanes)
    }

    subscript(id: PartyID) -> Party {
        @inline(__always) _read { yield parties[id.index] }
        @inline(__always) _modify { yield &parties[id.index] }
    }

    // MARK: a party's life

    mutating func create(_ party: Party) -> PartyID {
        created += 1
        present += 1
        if present > peak { peak = present }
        if let slot = free.popLast() {
            parties[slot.index] = party
            return slot
        }
        parties.append(party)
        return PartyID(parties.count - 1)
    }

    /// The party reaches lane `l` (counted there whether it then joins or balks).
    mutating func arrives(_ id: PartyID, at l: LaneID, now: Double) {
        parties[id.index].lane = l
        let bin = bins.index(now)
        parties[id.index].bin = Int32(truncatingIfNeeded: bin)
        flows[l, parties[id.index].classID].arrived += 1
        arrivalsByBin[bin * laneCount + l.index] += 1
        let v = parties[id.index].violation
        if v.exists { security.byType[v.index].arrived += 1 }
    }

    /// It turns away without joining; its slot is freed.
    mutating func balks(_ id: PartyID) {
        flows[parties[id.index].lane, parties[id.index].classID].balked += 1
        let v = parties[id.index].violation
        if v.exists { security.byType[v.index].abandoned += 1 }
        release(id)
    }

    /// It joins its lane's queue (or goes straight to a booth).
    mutating func joins(_ id: PartyID, now: Double) {
        parties[id.index].queueEntry = now
        flows[parties[id.index].lane, parties[id.index].classID].present += 1
        let v = parties[id.index].violation
        if v.exists { violatorsPresent[v.index] += 1 }
    }

    /// It gives up waiting. It stays listed in its lane's queue (marked gone) until reached.
    mutating func reneges(_ id: PartyID) {
        parties[id.index].renege = nil
        parties[id.index].gone = true
        let p = parties[id.index]
        flows[p.lane, p.classID].reneged += 1
        flows[p.lane, p.classID].present -= 1
        if p.violation.exists {
            security.byType[p.violation.index].abandoned += 1
            violatorsPresent[p.violation.index] -= 1
        }
    }

    /// Primary inspection ends.
    mutating func finishesPrimary(_ id: PartyID, now: Double) {
        parties[id.index].serviceEnd = now
        let l = parties[id.index].lane
        flows[l, parties[id.index].classID].served += 1
        servedByBin[bins.index(now) * laneCount + l.index] += 1
        security.inspected += 1
    }

    /// It is referred to secondary, for `cause` (see `ReferralCause`).
    mutating func referred(_ id: PartyID, cause: UInt8) {
        parties[id.index].referred = true
        parties[id.index].cause = cause
        security.referrals += 1
        let v = parties[id.index].violation
        let cell = Int(cause) * classCount + parties[id.index].classID.index
        security.attribution[cell].referrals += 1
        if v.exists {
            security.byType[v.index].referred += 1
            security.attribution[cell].referredByType[v.index] += 1
        } else {
            security.falseReferrals += 1
            security.attribution[cell].falseReferrals += 1
        }
    }

    /// It leaves the port after all its inspection; its slot is freed.
    mutating func departs(_ id: PartyID, now: Double) {
        let arrival = parties[id.index].arrival, l = parties[id.index].lane
        let time = now - arrival
        flows[l, parties[id.index].classID].departs(after: time)
        let b = Int(parties[id.index].bin) * laneCount + l.index     // the bin of its arrival
        timeInSystemByBin[b].total += time
        timeInSystemByBin[b].departed += 1
        let v = parties[id.index].violation
        if v.exists {
            if parties[id.index].detected {
                security.byType[v.index].detected += 1
                let cause = parties[id.index].cause
                if cause != ReferralCause.none {
                    security.attribution[Int(cause) * classCount + parties[id.index].classID.index].detectedByType[v.index] += 1
                }
            } else {
                security.byType[v.index].missed += 1
            }
            violatorsPresent[v.index] -= 1
        }
        release(id)
    }

    /// Frees the slot of a party whose story is over (a reneged party, once reached in its queue).
    mutating func release(_ id: PartyID) {
        present -= 1
        free.append(id)
    }

    // MARK: statistics

    /// The warm-up ends: the ledger restarts from the parties present now.
    mutating func resetStatistics() {
        for i in flows.elements.indices {
            let live = flows.elements[i].present
            var h = flows.elements[i].timeInSystem
            h.reset()
            flows.elements[i] = FlowLedger(timeInSystem: h, present: live, presentAtStart: live)
        }
        var fresh = Self.freshSecurity(violationTypes: security.byType.count, cells: causeCount * classCount)
        for v in fresh.byType.indices { fresh.byType[v].inSystemAtStart = violatorsPresent[v] }
        security = fresh
    }

    static func freshSecurity(violationTypes: Int, cells: Int) -> SecurityResult {
        var s = SecurityResult(byType: Array(repeating: .init(), count: violationTypes))
        s.attribution = Array(repeating: Attribution(violationTypes: violationTypes), count: cells)
        return s
    }

    func securityResult() -> SecurityResult {
        var s = security
        for v in s.byType.indices { s.byType[v].inSystemAtEnd = violatorsPresent[v] }
        return s
    }

    /// The per-bin series of lane `l`: arrivals, served, mean time in system (NaN: none departed).
    func series(lane l: LaneID) -> (arrivals: [Int], served: [Int], timeInSystem: [Double]) {
        let rows = 0..<bins.count
        return (rows.map { arrivalsByBin[$0 * laneCount + l.index] },
                rows.map { servedByBin[$0 * laneCount + l.index] },
                rows.map { b in
                    let cell = timeInSystemByBin[b * laneCount + l.index]
                    return cell.departed > 0 ? cell.total / Double(cell.departed) : .nan
                })
    }
}

/// Parties of one class at one lane, while the model runs.
struct FlowLedger {
    var arrived = 0, balked = 0, reneged = 0, served = 0, departed = 0
    var timeInSystem: LogHistogram
    /// Live count of this flow's parties in the port.
    var present = 0
    var presentAtStart = 0

    /// One access for the three changes a departure makes.
    @inline(__always)
    mutating func departs(after time: Double) {
        departed += 1
        present -= 1
        timeInSystem.record(time)
    }
}

/// The bins of the series: `count` bins of `seconds` each; times past the last bin fall in it.
struct SeriesBins {
    let seconds: Double
    let count: Int
    init(horizon: Double, seconds: Double) {
        self.seconds = seconds
        count = max(1, Int((horizon / seconds).rounded(.up)))
    }
    @inline(__always) func index(_ t: Double) -> Int { min(Int(t / seconds), count - 1) }
}

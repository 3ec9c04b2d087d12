/// What a lane and a station have in common: positions (booths, servers) that open and close,
/// the line of parties waiting for them, and the statistics this state feeds — time-averages
/// and hourly integrals of the number waiting, busy and open, and the waits by class. Every
/// change of state goes through one method here, which updates the statistics with it.
///
/// Positions `0..<open` take parties; a busy position at or beyond `open` is closing and
/// finishes its party first.
struct ServicePoint {
    private(set) var line: WaitingLine
    /// The party at each position (`PartyID.none`: idle). Slabs: written in place, shared by copies.
    let occupant: Slab<PartyID>
    private(set) var open = 0
    /// Parties really waiting: the line less those who left it (a lane's reneged parties stay
    /// in the line until reached).
    var waiting: Int { queue.value }
    var busy: Int { busyLevel.value }
    /// Changes so far: an operational rule re-decides only when the point it watches changed.
    private(set) var changes = 0

    private(set) var queue: TrackedLevel
    private(set) var busyLevel: TrackedLevel
    private(set) var openLevel: TrackedLevel
    /// Waits by class, since the warm-up.
    let waits: Slab<WaitTally>
    /// Per series bin (by the time the party joined the line): the waits of those served.
    let binWaits: Slab<WaitTally>
    private let bins: SeriesBins

    init(positions: Int, discipline: QueueDiscipline, classes: Int, bins: SeriesBins,
         wait: LogHistogram, binWait: LogHistogram?, thresholds: [Double]) {
        line = WaitingLine(discipline, capacity: 256)
        occupant = Slab(Array(repeating: .none, count: positions))
        queue = TrackedLevel(bins: bins.count, binSeconds: bins.seconds)
        busyLevel = queue
        openLevel = queue
        waits = Slab(Array(repeating: WaitTally(histogram: wait, thresholds: thresholds), count: classes))
        binWaits = Slab(binWait.map { Array(repeating: WaitTally(histogram: $0, thresholds: thresholds), count: bins.count) } ?? [])
        self.bins = bins
    }

    var positions: Int { occupant.count }

    /// An idle open position, if any (lowest index first).
    func idlePosition() -> Int? {
        var k = 0
        while k < open {
            if !occupant[k].exists { return k }
            k += 1
        }
        return nil
    }

    /// Parties ahead per open position: what a driver choosing the shortest queue compares.
    var load: Double { Double(waiting + busy) / Double(max(open, 1)) }

    // MARK: the line

    mutating func enqueue(_ id: PartyID, level: Int, score: Double, now: Double) {
        line.enqueue(id, level: level, score: score)
        queue.add(1, at: now)
        changes &+= 1
    }

    /// The next entry of the line, removed from it, without counting it as served (the caller
    /// decides: `leaves` for a party that goes to a position, nothing for one already gone).
    mutating func nextEntry() -> PartyID? { line.dequeue() }

    /// A party stops waiting (taken for service, moved away, or gave up).
    mutating func leaves(now: Double) {
        queue.add(-1, at: now)
        changes &+= 1
    }

    /// A party gives up after `waited` seconds in the line; it stays in the line, marked gone.
    mutating func abandons(classIndex c: Int, waited: Double, now: Double) {
        waits[c].recordAbandoned(after: waited)
        leaves(now: now)
    }

    // MARK: positions

    /// `id` starts service at position `k` after waiting since `joined` (in series bin `bin`).
    mutating func start(_ id: PartyID, at k: Int, classIndex c: Int, joined: Double, bin: Int32, now: Double) {
        let wait = now - joined
        waits[c].record(wait)
        if !binWaits.isEmpty { binWaits[Int(bin)].record(wait) }
        occupant[k] = id
        busyLevel.add(1, at: now)
        changes &+= 1
    }

    /// Position `k` finishes its party, which is returned.
    mutating func finish(at k: Int, now: Double) -> PartyID {
        let id = occupant[k]
        occupant[k] = .none
        busyLevel.add(-1, at: now)
        changes &+= 1
        return id
    }

    /// Positions open from now on (capped by the positions there are); true if more opened.
    mutating func setOpen(_ n: Int, now: Double) -> Bool {
        let target = min(n, occupant.count)
        guard target != open else { return false }
        let opened = target > open
        open = target
        openLevel.set(target, at: now)
        changes &+= 1
        return opened
    }

    // MARK: statistics

    mutating func resetStatistics(at t: Double) {
        queue.resetStatistics(at: t)
        busyLevel.resetStatistics(at: t)
        openLevel.resetStatistics(at: t)
        for c in waits.indices { waits[c].reset() }
    }

    /// All classes' waits together.
    var allWaits: WaitTally {
        var all = waits[0]                              // a WaitTally value: merging changes only `all`
        for c in 1..<max(waits.count, 1) { all.merge(waits[c]) }
        return all
    }

    /// Busy position-time over open position-time (NaN: never open).
    func utilisation(at t: Double) -> Double {
        let o = openLevel.integral(at: t)
        return o > 0 ? busyLevel.integral(at: t) / o : .nan
    }
}

/// A primary lane while the model runs: its booths and queue (a `ServicePoint`), and the
/// service speed the operational rules have set for it (extra booths live in `PositionPlan`).
struct LaneState {
    var point: ServicePoint
    /// Service times are divided by this (load-dependent service; 1: normal speed).
    var speed = 1.0

    /// The next party still waiting, removed from the line. Parties that reneged earlier are
    /// skipped, and their pool slots freed only now (their queue entry held them).
    mutating func takeNext(_ pool: inout PartyPool, now: Double) -> PartyID? {
        while let id = point.nextEntry() {
            if pool[id].gone {
                pool.release(id)
                continue
            }
            point.leaves(now: now)
            return id
        }
        return nil
    }
}

/// A secondary station while the model runs: its servers and queue, whether it is down, and
/// its counts of parties received, inspected and alarmed (since the warm-up).
struct StationState {
    var point: ServicePoint
    private(set) var down = false
    private(set) var downLevel: TrackedLevel
    private(set) var counts = StationCounts()
    private(set) var arrivedByClass: [Int]
    private(set) var servedByClass: [Int]

    init(point: ServicePoint, classes: Int, bins: SeriesBins) {
        self.point = point
        downLevel = TrackedLevel(bins: bins.count, binSeconds: bins.seconds)
        arrivedByClass = Array(repeating: 0, count: classes)
        servedByClass = arrivedByClass
    }

    /// A server that can take a party now (none while the station is down).
    func idleServer() -> Int? { down ? nil : point.idlePosition() }

    mutating func receives(classIndex c: Int) {
        counts.arrived += 1
        arrivedByClass[c] += 1
    }

    mutating func finishes(classIndex c: Int, alarm: Bool) {
        counts.served += 1
        servedByClass[c] += 1
        if alarm { counts.alarms += 1 }
    }

    /// A party sent here while it is down goes elsewhere, or is released unscreened.
    mutating func diverts() { counts.diverted += 1 }
    mutating func releasesUnscreened() { counts.releasedUnscreened += 1 }

    mutating func fails(now: Double) { down = true; downLevel.set(1, at: now) }
    mutating func isRepaired(now: Double) { down = false; downLevel.set(0, at: now) }

    mutating func resetStatistics(at t: Double) {
        point.resetStatistics(at: t)
        downLevel.resetStatistics(at: t)
        counts = StationCounts()
        for c in arrivedByClass.indices { arrivedByClass[c] = 0; servedByClass[c] = 0 }
    }
}

struct StationCounts {
    var arrived = 0, served = 0, alarms = 0, diverted = 0, releasedUnscreened = 0
}

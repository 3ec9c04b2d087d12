/// Which booths and station servers are staffed at a given time: the schedules, capped by the
/// officers on duty (filled in the staffing order), then adjusted by what the operational rules
/// decided — officers moved from primary to secondary, extra booths opened by supervisors.
/// It also keeps the officer statistics (staffed positions, officers on duty).
struct PositionPlan {
    private let config: PortConfiguration
    private let physicalBooths: [Int]
    /// Officers currently moved to secondary by the rebalancing rule.
    private(set) var moved = 0
    /// Extra booths per lane opened by a dynamic-opening rule.
    private(set) var extraBooths: [Int]
    private(set) var staffed: TrackedLevel
    private(set) var onDuty: TrackedLevel

    init(config: PortConfiguration, physicalBooths: [Int], bins: SeriesBins) {
        self.config = config
        self.physicalBooths = physicalBooths
        extraBooths = Array(repeating: 0, count: config.lanes.count)
        staffed = TrackedLevel(bins: bins.count, binSeconds: bins.seconds)
        onDuty = staffed
    }

    mutating func setMoved(_ n: Int) { moved = n }
    mutating func setExtraBooths(_ n: Int, lane l: LaneID) { extraBooths[l.index] = n }

    /// Positions to staff at `now`, by lane and by station.
    mutating func targets(at now: Double) -> (lanes: [Int], stations: [Int]) {
        var laneOpen = config.lanes.map { Int($0.booths.value(at: now).rounded()) }
        var stationOpen = config.stations.map { Int($0.servers.value(at: now).rounded()) }
        var duty = laneOpen.reduce(0, +) + stationOpen.reduce(0, +)
        if let staffing = config.staffing {
            duty = Int(staffing.onDuty.value(at: now).rounded(.down))
            var officers = duty
            let order = staffing.order
                ?? (config.stations.indices.map { Position.station($0) } + config.lanes.indices.map { Position.lane($0) })
            var filled = Set<Position>()
            for position in order {
                filled.insert(position)
                switch position {
                case .lane(let l): laneOpen[l] = min(laneOpen[l], officers); officers -= laneOpen[l]
                case .station(let s): stationOpen[s] = min(stationOpen[s], officers); officers -= stationOpen[s]
                }
            }
            // Positions the order does not list stay closed.
            for l in laneOpen.indices where !filled.contains(.lane(l)) { laneOpen[l] = 0 }
            for s in stationOpen.indices where !filled.contains(.station(s)) { stationOpen[s] = 0 }
            if let rule = staffing.rebalance {
                var left = moved
                while left > 0, let l = rule.fromLanes.max(by: { laneOpen[$0] < laneOpen[$1] }), laneOpen[l] > 0 {
                    laneOpen[l] -= 1
                    stationOpen[rule.station] += 1
                    left -= 1
                }
                moved -= left          // fewer booths open than officers to move
            }
        }
        for l in laneOpen.indices where extraBooths[l] > 0 {
            laneOpen[l] = min(laneOpen[l] + extraBooths[l], physicalBooths[l])
        }
        let total = laneOpen.reduce(0, +) + stationOpen.reduce(0, +)
        staffed.set(total, at: now)
        onDuty.set(config.staffing == nil ? total : duty, at: now)
        return (laneOpen, stationOpen)
    }

    /// The next breakpoint of any schedule strictly after `now` (∞: none).
    func nextChange(after now: Double) -> Double {
        var next = Double.infinity
        for lane in config.lanes { next = min(next, upcoming(lane.booths, now)) }
        for station in config.stations { next = min(next, upcoming(station.servers, now)) }
        if let staffing = config.staffing { next = min(next, upcoming(staffing.onDuty, now)) }
        return next
    }

    /// Rounding in a periodic profile with non-integer breakpoints can make
    /// `nextChange(after:)` return `now` itself, which would reschedule the plan change at the
    /// same instant for ever: step just past it.
    private func upcoming(_ schedule: PiecewiseConstant, _ now: Double) -> Double {
        guard let next = schedule.nextChange(after: now) else { return .infinity }
        if next > now { return next }
        return schedule.nextChange(after: now + 1e-9 * max(1, now)) ?? .infinity
    }

    mutating func resetStatistics(at t: Double) {
        staffed.resetStatistics(at: t)
        onDuty.resetStatistics(at: t)
    }
}

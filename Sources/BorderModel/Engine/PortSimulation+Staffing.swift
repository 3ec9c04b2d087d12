import SimKernel

/// Booths and station servers open as the schedules and the officers on duty allow; the
/// rebalancing rule moves officers from primary to secondary and back.
extension PortSimulation {
    /// Re-reads every schedule at `now`, opens and closes positions, and schedules the next
    /// breakpoint of any schedule.
    func applyPlan(_ sim: inout Simulation<BorderEvent>) {
        setPositions(&sim)
        var next = Double.infinity
        for lane in config.lanes { next = min(next, upcoming(lane.booths)) }
        for station in config.stations { next = min(next, upcoming(station.servers)) }
        if let staffing = config.staffing { next = min(next, upcoming(staffing.onDuty)) }
        if next < config.horizon { sim.schedule(.planChange, at: next, priority: .urgent) }
    }

    /// The schedule's next breakpoint strictly after `now`. Rounding in a periodic profile with
    /// non-integer breakpoints can make `nextChange(after:)` return `now` itself, which would
    /// reschedule the plan change at the same instant for ever: step just past it.
    func upcoming(_ schedule: PiecewiseConstant) -> Double {
        guard let next = schedule.nextChange(after: now) else { return .infinity }
        if next > now { return next }
        return schedule.nextChange(after: now + 1e-9 * max(1, now)) ?? .infinity
    }

    /// Positions staffed now: the schedules, capped by officers on duty, adjusted by the rule.
    func setPositions(_ sim: inout Simulation<BorderEvent>) {
        settingPositions = true          // the rule is not re-entered while positions change
        defer { settingPositions = false }
        var laneOpen = config.lanes.map { Int($0.booths.value(at: now).rounded()) }
        var stationOpen = config.stations.map { Int($0.servers.value(at: now).rounded()) }
        var onDuty = Double(laneOpen.reduce(0, +) + stationOpen.reduce(0, +))
        if let staffing = config.staffing {
            onDuty = staffing.onDuty.value(at: now).rounded(.down)
            var officers = Int(onDuty)
            let order = staffing.order
                ?? (config.stations.indices.map { Position.station($0) } + config.lanes.indices.map { Position.lane($0) })
            var filled = Set<Position>()
            for position in order {
                filled.insert(position)
                switch position {
                case .lane(let l):
                    laneOpen[l] = min(laneOpen[l], officers); officers -= laneOpen[l]
                case .station(let s):
                    stationOpen[s] = min(stationOpen[s], officers); officers -= stationOpen[s]
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
        for l in lanes.indices where lanes[l].open != laneOpen[l] {
            let opened = laneOpen[l] > lanes[l].open
            lanes[l].open = min(laneOpen[l], lanes[l].boothParty.count)
            metrics.laneOpen[l].update(to: Double(lanes[l].open), at: now)
            metrics.laneOpenSeries.set(l, to: Double(lanes[l].open), at: now)
            if opened {                  // newly opened booths pull from the queue at once
                while lanes[l].waiting > 0, let b = lanes[l].idleOpenBooth() { pullNext(lane: l, booth: b, &sim) }
            }
        }
        for s in stations.indices where stations[s].open != stationOpen[s] {
            let opened = stationOpen[s] > stations[s].open
            stations[s].open = min(stationOpen[s], stations[s].serverParty.count)
            metrics.stationOpen[s].update(to: Double(stations[s].open), at: now)
            metrics.stationOpenSeries.set(s, to: Double(stations[s].open), at: now)
            if opened { fillServers(s, &sim) }
        }
        let staffed = Double(lanes.reduce(0) { $0 + $1.open } + stations.reduce(0) { $0 + $1.open })
        metrics.staffed.update(to: staffed, at: now)
        let duty = config.staffing == nil ? staffed : onDuty
        metrics.onDuty.update(to: duty, at: now)
        metrics.onDutySeries.set(0, to: duty, at: now)
    }

    /// The dynamic rule: one officer moves to secondary when its queue reaches `raiseAt`, one
    /// returns when it falls to `lowerAt`.
    func rebalanceIfNeeded(station s: Int, _ sim: inout Simulation<BorderEvent>) {
        guard let rule = config.staffing?.rebalance, rule.station == s, !settingPositions else { return }
        let queue = stations[s].waiting
        if queue >= rule.raiseAt, moved < rule.maxMoved, rule.fromLanes.contains(where: { lanes[$0].open > 0 }) {
            moved += 1
            setPositions(&sim)
        } else if queue <= rule.lowerAt, moved > 0 {
            moved -= 1
            setPositions(&sim)
        }
    }
}

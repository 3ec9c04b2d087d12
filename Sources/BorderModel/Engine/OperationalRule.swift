/// What supervisors and officers do in response to the state of the port. A rule watches one
/// lane or station; after any event that changed it, the rule looks at the state and may
/// return a decision. The engine applies every decision in one place (`PortSimulation.apply`),
/// once per event: a rule never runs in the middle of another state change, and nothing it
/// decides re-enters it.
enum OperationalRule {
    /// Officers move one at a time from primary lanes to a secondary station as its queue
    /// grows, and back as it drains (`Staffing.rebalance`).
    case rebalance(RebalanceRule)
    /// Supervisors open and close extra booths at a lane with its queue.
    case dynamicOpening(LaneID, DynamicOpening)
    /// Officers at a lane work faster as its queue grows.
    case speedUp(LaneID, LoadDependentService)
    /// Targeting tightens as the referral station congests: the policy's congestion-aware
    /// rules see that station's queue.
    case congestionTargeting(StationID)

    /// The rules a configuration asks for, in a fixed order.
    static func rules(for config: PortConfiguration) -> [OperationalRule] {
        var rules: [OperationalRule] = []
        if let rule = config.staffing?.rebalance { rules.append(.rebalance(rule)) }
        for (l, lane) in config.lanes.enumerated() {
            if let d = lane.dynamicOpening { rules.append(.dynamicOpening(LaneID(l), d)) }
            if let s = lane.speedUp { rules.append(.speedUp(LaneID(l), s)) }
        }
        let policy = config.targeting
        let congestionAware = ([policy.rule, policy.trusted].compactMap { $0 } + Array(policy.perClass.values))
            .contains { if case .congestionAware = $0 { return true }; return false }
        if congestionAware, let s = config.referralStation { rules.append(.congestionTargeting(StationID(s))) }
        return rules
    }

    enum Watched { case lane(LaneID), station(StationID) }

    var watches: Watched {
        switch self {
        case .rebalance(let r): return .station(StationID(r.station))
        case .dynamicOpening(let l, _), .speedUp(let l, _): return .lane(l)
        case .congestionTargeting(let s): return .station(s)
        }
    }

    /// What the rule decides given the state now; nil: nothing to change.
    func decide(lanes: Table<LaneID, LaneState>, stations: Table<StationID, StationState>,
                plan: PositionPlan, referralQueue: Int) -> Decision? {
        switch self {
        case .rebalance(let rule):
            let queue = stations[StationID(rule.station)].point.waiting
            if queue >= rule.raiseAt, plan.moved < rule.maxMoved,
               rule.fromLanes.contains(where: { lanes[LaneID($0)].point.open > 0 }) {
                return .officersMoved(plan.moved + 1)
            }
            if queue <= rule.lowerAt, plan.moved > 0 { return .officersMoved(plan.moved - 1) }
            return nil
        case .dynamicOpening(let l, let rule):
            let point = lanes[l].point
            let perBooth = point.open > 0 ? Double(point.waiting) / Double(point.open)
                                          : (point.waiting > 0 ? .infinity : 0)
            let extra = plan.extraBooths[l.index]
            if perBooth >= rule.openAbove, point.open < (rule.maxBooths ?? point.positions), point.open > 0 || extra > 0 {
                return .extraBooths(l, extra + 1)
            }
            if perBooth <= rule.closeBelow, extra > 0 { return .extraBooths(l, extra - 1) }
            return nil
        case .speedUp(let l, let rule):
            let point = lanes[l].point
            let speed = rule.speed(perBooth: Double(point.waiting) / Double(max(point.open, 1)))
            return speed != lanes[l].speed ? .serviceSpeed(l, speed) : nil
        case .congestionTargeting(let s):
            let queue = stations[s].point.waiting
            return queue != referralQueue ? .referralQueue(queue) : nil
        }
    }
}

/// A change an operational rule asks for.
enum Decision {
    /// Officers moved from primary to the rebalancing station, from now on.
    case officersMoved(Int)
    /// Booths open beyond the plan at a lane.
    case extraBooths(LaneID, Int)
    /// The divisor of service times at a lane.
    case serviceSpeed(LaneID, Double)
    /// The referral station's queue as the targeting policy sees it.
    case referralQueue(Int)
}

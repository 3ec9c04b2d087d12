/// Officers on duty and how they are placed. Without a `Staffing`, every booth and station
/// server in the schedules is staffed.
///
/// With one, lane booth schedules and station server schedules are the *planned allocation*;
/// when fewer officers are on duty than the plan asks for, positions are filled in `order`
/// (by default: stations first, then lanes as listed). A booth or server without an officer
/// stays closed.
public struct Staffing: Sendable {
    /// Officers on duty over time (the shift pattern).
    public var onDuty: PiecewiseConstant
    /// Fill order when short of officers; nil: stations first, then lanes.
    public var order: [Position]?
    /// Dynamic rule: officers move from primary to a secondary station when its queue grows.
    public var rebalance: RebalanceRule?

    public init(onDuty: PiecewiseConstant, order: [Position]? = nil, rebalance: RebalanceRule? = nil) {
        self.onDuty = onDuty; self.order = order; self.rebalance = rebalance
    }
}

public enum Position: Sendable, Equatable, Hashable {
    case lane(Int)
    case station(Int)
}

/// When the queue at `station` reaches `raiseAt`, one officer at a time moves there from the
/// booths of `fromLanes` (up to `maxMoved`); when it falls to `lowerAt` or below, they return.
public struct RebalanceRule: Sendable, Equatable {
    public var station: Int
    public var fromLanes: [Int]
    public var raiseAt: Int
    public var lowerAt: Int
    public var maxMoved: Int
    public init(station: Int, fromLanes: [Int], raiseAt: Int, lowerAt: Int, maxMoved: Int) {
        self.station = station; self.fromLanes = fromLanes; self.raiseAt = raiseAt
        self.lowerAt = lowerAt; self.maxMoved = maxMoved
    }
}

/// Supervisors open extra booths when the queue grows and close them when it drains.
/// One booth opens when the number waiting per open booth reaches `openAbove` (while fewer
/// than `maxBooths` are open); one extra booth closes when it falls to `closeBelow`.
public struct DynamicOpening: Sendable, Equatable {
    public var openAbove: Double
    public var closeBelow: Double
    /// Most booths open in all; nil: the most the lane's schedule ever opens.
    public var maxBooths: Int?
    /// Valid thresholds (parties waiting per open booth) and booth counts.
    public static let perBooth = ValueRange.closed(0, 10_000)
    public static let boothLimit = ValueRange.whole(1, 100_000)
    public init(openAbove: Double, closeBelow: Double, maxBooths: Int? = nil) {
        self.openAbove = openAbove; self.closeBelow = closeBelow; self.maxBooths = maxBooths
    }
}

/// Officers work faster when the queue is long. With q parties waiting per open booth, a
/// service time is divided by 1 + (maxSpeedUp − 1)·clamp((q − from)/(to − from), 0, 1):
/// no effect below `from`, the full `maxSpeedUp` from `to` on.
public struct LoadDependentService: Sendable, Equatable {
    public var from: Double
    public var to: Double
    public var maxSpeedUp: Double
    /// Valid queue levels (parties waiting per open booth) and speed-up factors.
    public static let perBooth = ValueRange.closed(0, 10_000)
    public static let factors = ValueRange.closed(1, 10)
    public init(from: Double, to: Double, maxSpeedUp: Double) {
        self.from = from; self.to = to; self.maxSpeedUp = maxSpeedUp
    }

    /// The divisor of service times at `perBooth` parties waiting per open booth.
    public func speed(perBooth q: Double) -> Double {
        guard maxSpeedUp != 1, q > from else { return 1 }
        let x = to > from ? Swift.min(1, (q - from) / (to - from)) : 1
        return 1 + (maxSpeedUp - 1) * x
    }
}

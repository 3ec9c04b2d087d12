import SimKernel

/// How the parties of a class arrive. Rates are per second.
public indirect enum ArrivalProcess: Sendable {
    /// Homogeneous Poisson process.
    case poisson(rate: Double)
    /// Non-homogeneous Poisson process with a piecewise-constant rate (by hour of day, by hour
    /// of week, or hour by hour over the whole horizon), sampled exactly.
    case profile(PiecewiseConstant)
    /// Groups that arrive together (a flight, a bus, a train) and then spread out.
    case batches(BatchArrivals)
    /// Single arrivals at listed times (seconds).
    case timetable([Double])
    /// Replay of observed parties, with whatever attributes were recorded.
    case trace([TracedParty])
}

public struct BatchArrivals: Sendable {
    public indirect enum Times: Sendable {
        /// Batch times from a process (e.g. Poisson flights, or a profile of bus arrivals).
        case process(ArrivalProcess)
        /// Batch times listed, each optionally with its own size (else drawn from `size`).
        case timetable([ScheduledBatch])
    }
    public var times: Times
    /// Parties per batch (rounded to a whole number ≥ 0).
    public var size: Distribution
    /// Delay of each member after the batch arrives (walking time from the gate); nil: none.
    public var spread: Distribution?
    /// Mean batch size over time (e.g. passengers per flight by hour of day): a drawn size is
    /// rescaled by sizeMeans(t) / size.mean, so `size` gives the shape and this the level.
    /// nil: `size` as it is, all day.
    public var sizeMeans: PiecewiseConstant?

    public init(times: Times, size: Distribution, spread: Distribution? = nil, sizeMeans: PiecewiseConstant? = nil) {
        self.times = times; self.size = size; self.spread = spread; self.sizeMeans = sizeMeans
    }
}

public struct ScheduledBatch: Sendable, Equatable {
    public var time: Double
    public var size: Int?
    public init(time: Double, size: Int? = nil) { self.time = time; self.size = size }
}

/// One party of a replayed trace. Attributes left nil are drawn as for any other party.
public struct TracedParty: Sendable, Equatable {
    public var time: Double
    public var trusted: Bool?
    public var advanceInfo: Bool?
    /// Violation type index, or -1 for none; nil: drawn.
    public var violation: Int?
    public var riskScore: Double?
    public init(time: Double, trusted: Bool? = nil, advanceInfo: Bool? = nil,
                violation: Int? = nil, riskScore: Double? = nil) {
        self.time = time; self.trusted = trusted; self.advanceInfo = advanceInfo
        self.violation = violation; self.riskScore = riskScore
    }
}

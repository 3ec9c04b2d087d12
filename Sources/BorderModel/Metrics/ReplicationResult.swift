/// What one replication measured. Summary statistics cover the time after the warm-up; the
/// time series cover the whole horizon (so a warm-up can be judged from them).
public struct ReplicationResult: Sendable {
    public var replication: Int
    public var laneNames: [String]
    public var classNames: [String]
    public var stationNames: [String]
    public var violationTypes: [String]
    /// Flow by lane × class, row-major (`laneClass[lane * classCount + class]`).
    public var laneClass: [FlowResult]
    public var lanes: [LaneResult]
    public var stations: [StationResult]
    public var security: SecurityResult
    public var series: SeriesResult
    /// Officer-hours at booths and stations (staffed positions), after the warm-up.
    public var staffedOfficerHours: Double
    /// Officer-hours on duty (the shift pattern), after the warm-up; equals the staffed
    /// hours when no staffing is configured.
    public var onDutyOfficerHours: Double
    /// Simulated parties (all, including the warm-up) and kernel events fired.
    public var partiesArrived: Int
    public var eventsFired: Int

    public func flow(lane: Int, classIndex: Int) -> FlowResult { laneClass[lane * classNames.count + classIndex] }
}

/// Wait statistics from a bounded-memory histogram (seconds).
public struct WaitSummary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var p50: Double, p90: Double, p95: Double, p99: Double
    public var max: Double
    public static let empty = WaitSummary(count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0)

    init(_ h: LogHistogram) {
        guard h.count > 0 else { self = .empty; return }
        self.init(count: h.count, mean: h.mean, p50: h.percentile(50), p90: h.percentile(90),
                  p95: h.percentile(95), p99: h.percentile(99), max: h.max)
    }
    public init(count: Int, mean: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double) {
        self.count = count; self.mean = mean; self.p50 = p50; self.p90 = p90; self.p95 = p95
        self.p99 = p99; self.max = max
    }
}

/// Parties of one class at one lane. Conservation:
/// `inSystemAtStart + arrived = departed + balked + reneged + inSystemAtEnd`.
public struct FlowResult: Sendable, Equatable {
    public var arrived = 0
    public var balked = 0
    public var reneged = 0
    /// Finished primary inspection.
    public var served = 0
    /// Left the port after all inspection.
    public var departed = 0
    public var inSystemAtStart = 0
    public var inSystemAtEnd = 0
    /// Wait in the primary queue.
    public var wait = WaitSummary.empty
    /// Arrival to departure, secondary included.
    public var timeInSystem = WaitSummary.empty
}

public struct LaneResult: Sendable, Equatable {
    /// Busy booth-time over open booth-time.
    public var utilisation: Double
    public var meanOpenBooths: Double
    public var meanQueue: Double
    public var maxQueue: Double
    public var wait: WaitSummary
}

public struct StationResult: Sendable, Equatable {
    public var arrived: Int
    public var served: Int
    public var alarms: Int
    public var utilisation: Double
    public var meanOpenServers: Double
    public var meanQueue: Double
    public var maxQueue: Double
    /// Share of the time the station was down.
    public var downFraction: Double
    /// Parties diverted elsewhere or released unscreened because the station was down.
    public var diverted: Int
    public var releasedUnscreened: Int
    public var wait: WaitSummary
}

/// Security outcomes. Conservation by type:
/// `inSystemAtStart + arrived = detected + missed + abandoned + inSystemAtEnd`.
public struct SecurityResult: Sendable, Equatable {
    public struct ByType: Sendable, Equatable {
        public var arrived = 0
        public var referred = 0
        /// Interdictions: spotted at primary, or alarmed at a station that ends the inspection.
        public var detected = 0
        /// Left the port undetected.
        public var missed = 0
        /// Left without crossing (balked or reneged).
        public var abandoned = 0
        public var inSystemAtStart = 0
        public var inSystemAtEnd = 0
    }
    public var byType: [ByType]
    /// Parties who finished primary, and those of them referred to secondary.
    public var inspected = 0
    public var referrals = 0
    /// Referred parties carrying no violation.
    public var falseReferrals = 0

    public var violatorsArrived: Int { byType.reduce(0) { $0 + $1.arrived } }
    public var detected: Int { byType.reduce(0) { $0 + $1.detected } }
    public var missed: Int { byType.reduce(0) { $0 + $1.missed } }
    public var referralRate: Double { inspected > 0 ? Double(referrals) / Double(inspected) : 0 }
    /// Share of referrals that carried a violation.
    public var hitRate: Double { referrals > 0 ? Double(referrals - falseReferrals) / Double(referrals) : 0 }
    /// Share of violators who left (detected or missed) that were detected.
    public var detectionRate: Double {
        let resolved = detected + missed
        return resolved > 0 ? Double(detected) / Double(resolved) : 0
    }
}

/// Series over the whole horizon: per bin (an hour by default) and per lane, and sampled
/// queue lengths. Arrays are bin-major: `value[bin * laneCount + lane]`.
public struct SeriesResult: Sendable, Equatable {
    public var binSeconds: Double
    public var bins: Int
    public var arrivals: [Int]
    public var served: [Int]
    /// Mean and 95th percentile primary wait of parties who *joined* in the bin (seconds).
    public var meanWait: [Double]
    public var p95Wait: [Double]
    public var openBooths: [Double]
    /// Station utilisation per bin: `stationUtilisation[bin * stationCount + station]`.
    public var stationUtilisation: [Double]
    public var officersOnDuty: [Double]
    /// Queue lengths sampled every `sampleInterval` seconds: `[sample * (lanes + stations) + i]`,
    /// lanes first, then stations.
    public var sampleInterval: Double
    public var sampleTimes: [Double]
    public var queueSamples: [Int]
}

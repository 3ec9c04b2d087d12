/// What one replication measured. Summary statistics cover the time after the warm-up; the
/// time series cover the whole horizon (so a warm-up can be judged from them).
///
/// Undefined is not zero: a rate without a denominator (a hit rate without referrals), a wait
/// where nobody waited, a utilisation where nothing was open, is NaN.
public struct ReplicationResult: Sendable, Equatable {
    public var replication: Int
    public var laneNames: [String]
    public var classNames: [String]
    public var stationNames: [String]
    public var violationTypes: [String]
    /// What referrals are attributed to (`SecurityResult.attribution`): primary-officer,
    /// random-selection, risk-profile, then the intelligence sources by name.
    public var referralCauses: [String] = []
    /// The wait thresholds (seconds) of every `WaitSummary.over`.
    public var waitThresholds: [Double]
    /// Flow by lane × class, row-major (`laneClass[lane * classCount + class]`).
    public var laneClass: [FlowResult]
    public var lanes: [LaneResult]
    public var stations: [StationResult]
    /// Station visits by station × class, row-major (`stationClass[station * classCount + class]`).
    public var stationClass: [StationClassResult]
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
    public func visits(station: Int, classIndex: Int) -> StationClassResult {
        stationClass[station * classNames.count + classIndex]
    }
}

/// Waits at one queue (seconds): from a bounded-memory histogram, with the counts behind
/// P(wait > 0), the shares over thresholds, and the time in queue of those who gave up.
public struct WaitSummary: Sendable, Equatable {
    /// Parties who reached service, and their waits (NaN when there are none).
    public var count: Int
    public var mean: Double
    public var p50: Double, p90: Double, p95: Double, p99: Double
    public var max: Double
    /// Of those, how many waited at all (> 0), and how many longer than each threshold.
    public var waited: Int
    public var over: [Int]
    /// Parties who left the queue before service (reneged), and their total time in it.
    public var abandoned: Int
    public var abandonedWait: Double

    public static let empty = WaitSummary(count: 0, mean: .nan, p50: .nan, p90: .nan, p95: .nan, p99: .nan, max: .nan)

    init(_ h: LogHistogram, waited: Int, over: [Int], abandoned: Int, abandonedWait: Double) {
        if h.count > 0 {
            self.init(count: h.count, mean: h.mean, p50: h.percentile(50), p90: h.percentile(90),
                      p95: h.percentile(95), p99: h.percentile(99), max: h.max)
        } else {
            self = .empty
        }
        self.waited = waited
        self.over = over
        self.abandoned = abandoned
        self.abandonedWait = abandonedWait
    }

    public init(count: Int, mean: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double,
                waited: Int = 0, over: [Int] = [], abandoned: Int = 0, abandonedWait: Double = 0) {
        self.count = count; self.mean = mean; self.p50 = p50; self.p90 = p90; self.p95 = p95
        self.p99 = p99; self.max = max; self.waited = waited; self.over = over
        self.abandoned = abandoned; self.abandonedWait = abandonedWait
    }

    /// P(wait > 0) among parties served.
    public var pWait: Double { ratio(waited, count) }
    /// The share of parties served who waited longer than threshold `k`.
    public func shareOver(_ k: Int) -> Double { k < over.count ? ratio(over[k], count) : .nan }
    /// The mean wait over everybody who joined the queue, those who reneged counted with their
    /// time in it (the Erlang-A mean wait), beside `mean`, over those served only.
    public var meanOverAllJoined: Double {
        let n = count + abandoned
        guard n > 0 else { return .nan }
        return ((count > 0 ? mean * Double(count) : 0) + abandonedWait) / Double(n)
    }

    public static func == (a: WaitSummary, b: WaitSummary) -> Bool {
        a.count == b.count && a.waited == b.waited && a.over == b.over && a.abandoned == b.abandoned
            && [a.mean, a.p50, a.p90, a.p95, a.p99, a.max, a.abandonedWait]
                .identical(to: [b.mean, b.p50, b.p90, b.p95, b.p99, b.max, b.abandonedWait])
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

    /// Balked over arrived (NaN: no arrivals).
    public var blockingShare: Double { ratio(balked, arrived) }
    /// Reneged over arrived.
    public var abandonmentShare: Double { ratio(reneged, arrived) }
}

public struct LaneResult: Sendable, Equatable {
    /// Busy booth-time over open booth-time (NaN: never open).
    public var utilisation: Double
    public var meanOpenBooths: Double
    /// Time-average parties waiting (Lq), busy booths, and both together (L).
    public var meanQueue: Double
    public var maxQueue: Double
    public var meanBusy: Double
    public var meanInSystem: Double { meanQueue + meanBusy }
    public var wait: WaitSummary
    public var arrived: Int, balked: Int, reneged: Int
    public var blockingShare: Double { ratio(balked, arrived) }
    public var abandonmentShare: Double { ratio(reneged, arrived) }

    public static func == (a: LaneResult, b: LaneResult) -> Bool {
        a.wait == b.wait && a.arrived == b.arrived && a.balked == b.balked
            && a.reneged == b.reneged && [a.utilisation, a.meanOpenBooths, a.meanQueue, a.maxQueue, a.meanBusy]
                .identical(to: [b.utilisation, b.meanOpenBooths, b.meanQueue, b.maxQueue, b.meanBusy])
    }
}

public struct StationResult: Sendable, Equatable {
    public var arrived: Int
    public var served: Int
    public var alarms: Int
    /// Busy server-time over open server-time (NaN: never open).
    public var utilisation: Double
    public var meanOpenServers: Double
    public var meanQueue: Double
    public var maxQueue: Double
    public var meanBusy: Double
    public var meanInSystem: Double { meanQueue + meanBusy }
    /// Share of the time the station was down.
    public var downFraction: Double
    /// Parties diverted elsewhere or released unscreened because the station was down.
    public var diverted: Int
    public var releasedUnscreened: Int
    public var wait: WaitSummary

    public static func == (a: StationResult, b: StationResult) -> Bool {
        a.arrived == b.arrived && a.served == b.served && a.alarms == b.alarms && a.diverted == b.diverted
            && a.releasedUnscreened == b.releasedUnscreened && a.wait == b.wait
            && [a.utilisation, a.meanOpenServers, a.meanQueue, a.maxQueue, a.meanBusy, a.downFraction]
                .identical(to: [b.utilisation, b.meanOpenServers, b.meanQueue, b.maxQueue, b.meanBusy, b.downFraction])
    }
}

/// One class at one station: parties sent there, inspections finished, and their waits.
public struct StationClassResult: Sendable, Equatable {
    public var arrived: Int
    public var served: Int
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
    /// Referrals by what triggered them and class, row-major (`attribution[cause * classCount + class]`);
    /// causes are `ReplicationResult.referralCauses`.
    public var attribution: [Attribution] = []
    /// Parties who finished primary, and those of them referred to secondary.
    public var inspected = 0
    public var referrals = 0
    /// Referred parties carrying no violation.
    public var falseReferrals = 0

    public var violatorsArrived: Int { byType.reduce(0) { $0 + $1.arrived } }
    public var detected: Int { byType.reduce(0) { $0 + $1.detected } }
    public var missed: Int { byType.reduce(0) { $0 + $1.missed } }
    /// Referred over inspected (NaN: nobody inspected).
    public var referralRate: Double { ratio(referrals, inspected) }
    /// Share of referrals that carried a violation (NaN: no referrals).
    public var hitRate: Double { ratio(referrals - falseReferrals, referrals) }
    /// Share of violators who left (detected or missed) that were detected (NaN: none left).
    public var detectionRate: Double { ratio(detected, detected + missed) }
}

/// Referrals that one cause triggered (the primary officer, random selection, the class's risk
/// profile, an intelligence source), for one class, and what they found. Rule in `ReferralCause`.
public struct Attribution: Sendable, Equatable {
    public var referrals = 0
    /// Referred parties carrying no violation.
    public var falseReferrals = 0
    /// Violators referred, and of them those detected, by violation type.
    public var referredByType: [Int]
    public var detectedByType: [Int]

    public init(violationTypes: Int) {
        referredByType = Array(repeating: 0, count: violationTypes)
        detectedByType = referredByType
    }

    public var detected: Int { detectedByType.reduce(0, +) }
    /// Share of its referrals that carried a violation (NaN: none).
    public var hitRate: Double { ratio(referrals - falseReferrals, referrals) }

    /// The sum of several (e.g. one cause over all classes).
    public static func total(_ parts: [Attribution], violationTypes: Int) -> Attribution {
        var t = Attribution(violationTypes: violationTypes)
        for a in parts {
            t.referrals += a.referrals
            t.falseReferrals += a.falseReferrals
            for v in 0..<violationTypes {
                t.referredByType[v] += a.referredByType[v]
                t.detectedByType[v] += a.detectedByType[v]
            }
        }
        return t
    }
}

/// Series over the whole horizon: per bin (an hour by default) and per lane or station, and
/// sampled queue lengths. Arrays are bin-major: `value[bin * laneCount + lane]`. Bins in which
/// a quantity is undefined (nobody joined, nothing open) hold NaN.
public struct SeriesResult: Sendable, Equatable {
    public var binSeconds: Double
    public var bins: Int
    public var arrivals: [Int]
    public var served: [Int]
    /// Mean and 95th percentile primary wait of parties who *joined* in the bin (seconds).
    public var meanWait: [Double]
    public var p95Wait: [Double]
    /// P(wait > 0) and the shares waiting over each threshold, by the bin they joined in:
    /// `shareWaitOver[k][bin * laneCount + lane]`.
    public var pWait: [Double]
    public var shareWaitOver: [[Double]]
    /// Mean time in system of parties by the bin they arrived in (seconds).
    public var timeInSystem: [Double]
    /// Time-averages over the bin: open and busy booths, parties at primary (waiting + in service).
    public var openBooths: [Double]
    public var busyBooths: [Double]
    public var inSystem: [Double]
    /// Per bin and station: utilisation, busy servers, parties waiting or in service.
    public var stationUtilisation: [Double]
    public var stationBusy: [Double]
    public var stationInSystem: [Double]
    public var officersOnDuty: [Double]
    /// Queue lengths sampled every `sampleInterval` seconds: `[sample * (lanes + stations) + i]`,
    /// lanes first, then stations.
    public var sampleInterval: Double
    public var sampleTimes: [Double]
    public var queueSamples: [Int]

    public static func == (a: SeriesResult, b: SeriesResult) -> Bool {
        a.bins == b.bins && a.arrivals == b.arrivals && a.served == b.served && a.queueSamples == b.queueSamples
            && a.shareWaitOver.count == b.shareWaitOver.count
            && zip(a.shareWaitOver, b.shareWaitOver).allSatisfy { $0.identical(to: $1) }
            && [a.binSeconds, a.sampleInterval].identical(to: [b.binSeconds, b.sampleInterval])
            && [a.meanWait, a.p95Wait, a.pWait, a.timeInSystem, a.openBooths, a.busyBooths, a.inSystem,
                a.stationUtilisation, a.stationBusy, a.stationInSystem, a.officersOnDuty, a.sampleTimes]
                .elementsEqual([b.meanWait, b.p95Wait, b.pWait, b.timeInSystem, b.openBooths, b.busyBooths,
                                b.inSystem, b.stationUtilisation, b.stationBusy, b.stationInSystem,
                                b.officersOnDuty, b.sampleTimes]) { $0.identical(to: $1) }
    }
}

/// A share or rate; NaN when there is no denominator.
@inline(__always)
func ratio(_ numerator: Int, _ denominator: Int) -> Double {
    denominator > 0 ? Double(numerator) / Double(denominator) : .nan
}

extension Array where Element == Double {
    /// Equal value for value, NaN equal to NaN (results are compared for reproducibility).
    func identical(to other: [Double]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.bitPattern == $1.bitPattern || $0 == $1 }
    }
}

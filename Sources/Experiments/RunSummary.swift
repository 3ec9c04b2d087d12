import BorderModel
import SimKernel

/// Across-replication statistics of a run: means with Student-t confidence intervals for the
/// metrics planners read first. Codable, so `--json` prints exactly this.
public struct RunSummary: Codable, Sendable {
    public struct Estimate: Codable, Sendable, Equatable {
        /// The mean over the replications where the value is defined; NaN (JSON null) if none.
        public var mean: Double
        public var halfWidth: Double
        /// Replications in which the value is undefined (NaN), left out of the estimate.
        public var undefinedIn: Int
        public var low: Double { mean - halfWidth }
        public var high: Double { mean + halfWidth }
        public init(_ values: [Double], level: Double) {
            let s = SampleSummary(values)
            mean = s.mean
            halfWidth = s.count > 1 ? s.halfWidth(level: level) : .infinity
            undefinedIn = s.missing
        }
        enum CodingKeys: String, CodingKey { case mean, halfWidth = "half_width", low, high, undefinedIn = "undefined_in" }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            let interval = halfWidth.isFinite && mean.isFinite
            try c.encode(mean.isFinite ? mean : nil, forKey: .mean)
            try c.encode(interval ? halfWidth : nil, forKey: .halfWidth)
            try c.encode(interval ? low : nil, forKey: .low)
            try c.encode(interval ? high : nil, forKey: .high)
            if undefinedIn > 0 { try c.encode(undefinedIn, forKey: .undefinedIn) }
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mean = try c.decodeIfPresent(Double.self, forKey: .mean) ?? .nan
            halfWidth = try c.decodeIfPresent(Double.self, forKey: .halfWidth) ?? .infinity
            undefinedIn = try c.decodeIfPresent(Int.self, forKey: .undefinedIn) ?? 0
        }
    }
    public struct Flow: Codable, Sendable {
        public var lane: String
        public var trafficClass: String
        public var arrived: Estimate
        public var served: Estimate
        public var balked: Estimate
        public var reneged: Estimate
        /// Wait in the primary queue, minutes.
        public var meanWaitMinutes: Estimate
        public var p95WaitMinutes: Estimate
        public var meanTimeInSystemMinutes: Estimate
        public var queue: QueueEstimates
        enum CodingKeys: String, CodingKey {
            case lane, trafficClass = "class", arrived, served, balked, reneged
            case meanWaitMinutes = "mean_wait_min", p95WaitMinutes = "p95_wait_min"
            case meanTimeInSystemMinutes = "mean_time_in_system_min", queue
        }
    }
    /// What queueing theory asks of a queue: P(wait > 0), the shares waiting over each
    /// threshold (keyed by minutes), the Erlang-A mean wait, L and Lq, blocking and abandonment.
    public struct QueueEstimates: Codable, Sendable {
        public var pWait: Estimate
        public var shareWaitOver: [String: Estimate]
        public var meanWaitAllMinutes: Estimate
        public var meanQueue: Estimate?
        public var meanInSystem: Estimate?
        public var blockingShare: Estimate?
        public var abandonmentShare: Estimate?
        enum CodingKeys: String, CodingKey {
            case pWait = "p_wait", shareWaitOver = "share_wait_over", meanWaitAllMinutes = "mean_wait_all_min"
            case meanQueue = "mean_queue", meanInSystem = "mean_in_system", blockingShare = "blocking_share"
            case abandonmentShare = "abandonment_share"
        }
    }
    public struct Lane: Codable, Sendable {
        public var name: String
        public var utilisation: Estimate
        public var meanOpenBooths: Estimate
        public var meanWaitMinutes: Estimate
        public var p95WaitMinutes: Estimate
        public var queue: QueueEstimates
        enum CodingKeys: String, CodingKey {
            case name, utilisation, meanOpenBooths = "mean_open_booths"
            case meanWaitMinutes = "mean_wait_min", p95WaitMinutes = "p95_wait_min", queue
        }
    }
    public struct Station: Codable, Sendable {
        public var name: String
        public var arrived: Estimate
        public var utilisation: Estimate
        public var meanWaitMinutes: Estimate
        public var downFraction: Estimate
        public var p95WaitMinutes: Estimate
        public var queue: QueueEstimates
        /// Mean wait by class (minutes), keyed by class name.
        public var meanWaitByClassMinutes: [String: Estimate]
        enum CodingKeys: String, CodingKey {
            case name, arrived, utilisation, meanWaitMinutes = "mean_wait_min", downFraction = "down_fraction"
            case p95WaitMinutes = "p95_wait_min", queue, meanWaitByClassMinutes = "mean_wait_by_class_min"
        }
    }
    public struct Security: Codable, Sendable {
        public var violatorsArrived: Estimate
        public var referred: Estimate
        public var detected: Estimate
        public var missed: Estimate
        public var falseReferrals: Estimate
        public var referralRate: Estimate
        public var hitRate: Estimate
        public var detectionRate: Estimate
        public var detectedByType: [String: Estimate]
        /// Referrals by what triggered them (see `ReferralCause`), in cause order.
        public var byCause: [Cause]
        enum CodingKeys: String, CodingKey {
            case violatorsArrived = "violators_arrived", referred, detected, missed
            case falseReferrals = "false_referrals", referralRate = "referral_rate", hitRate = "hit_rate"
            case detectionRate = "detection_rate", detectedByType = "detected_by_type", byCause = "by_cause"
        }
    }
    public struct Cause: Codable, Sendable {
        public var cause: String
        public var referrals: Estimate
        public var falseReferrals: Estimate
        public var detected: Estimate
        public var hitRate: Estimate
        enum CodingKeys: String, CodingKey {
            case cause, referrals, falseReferrals = "false_referrals", detected, hitRate = "hit_rate"
        }
    }

    public var scenario: String
    public var replications: Int
    public var seed: UInt64
    public var horizonHours: Double
    public var warmUpHours: Double
    public var confidenceLevel: Double
    public var flows: [Flow]
    public var lanes: [Lane]
    public var stations: [Station]
    public var security: Security
    public var staffedOfficerHours: Estimate
    public var partiesPerReplication: Estimate

    enum CodingKeys: String, CodingKey {
        case scenario, replications, seed, horizonHours = "horizon_h", warmUpHours = "warm_up_h"
        case confidenceLevel = "confidence_level", flows, lanes, stations, security
        case staffedOfficerHours = "staffed_officer_hours", partiesPerReplication = "parties_per_replication"
    }

    public init(scenario: String, config: PortConfiguration, seed: UInt64, results: [ReplicationResult],
                level: Double = 0.95) {
        func est(_ f: (ReplicationResult) -> Double) -> Estimate { Estimate(results.map(f), level: level) }
        self.scenario = scenario
        replications = results.count
        self.seed = seed
        horizonHours = config.horizon / 3600
        warmUpHours = config.warmUp / 3600
        confidenceLevel = level
        let thresholds = config.metrics.waitThresholds
        func queue(_ w: @escaping (ReplicationResult) -> WaitSummary, queue q: ((ReplicationResult) -> Double)? = nil,
                   inSystem l: ((ReplicationResult) -> Double)? = nil, blocking b: ((ReplicationResult) -> Double)? = nil,
                   abandoning a: ((ReplicationResult) -> Double)? = nil) -> QueueEstimates {
            var over: [String: Estimate] = [:]
            for k in thresholds.indices { over[RunRecordBuilder.minutes(thresholds[k])] = est { w($0).shareOver(k) } }
            return QueueEstimates(pWait: est { w($0).pWait }, shareWaitOver: over,
                                  meanWaitAllMinutes: est { w($0).meanOverAllJoined / 60 },
                                  meanQueue: q.map { est($0) }, meanInSystem: l.map { est($0) },
                                  blockingShare: b.map { est($0) }, abandonmentShare: a.map { est($0) })
        }
        var flows: [Flow] = []
        for (l, lane) in config.lanes.enumerated() {
            for c in lane.serves {
                func f(_ x: @escaping (FlowResult) -> Double) -> Estimate { est { x($0.flow(lane: l, classIndex: c)) } }
                flows.append(Flow(lane: lane.name, trafficClass: config.classes[c].name,
                                  arrived: f { Double($0.arrived) }, served: f { Double($0.served) },
                                  balked: f { Double($0.balked) }, reneged: f { Double($0.reneged) },
                                  meanWaitMinutes: f { $0.wait.mean / 60 }, p95WaitMinutes: f { $0.wait.p95 / 60 },
                                  meanTimeInSystemMinutes: f { $0.timeInSystem.mean / 60 },
                                  queue: queue({ $0.flow(lane: l, classIndex: c).wait },
                                               blocking: { $0.flow(lane: l, classIndex: c).blockingShare },
                                               abandoning: { $0.flow(lane: l, classIndex: c).abandonmentShare })))
            }
        }
        self.flows = flows
        lanes = config.lanes.indices.map { l in
            Lane(name: config.lanes[l].name, utilisation: est { $0.lanes[l].utilisation },
                 meanOpenBooths: est { $0.lanes[l].meanOpenBooths },
                 meanWaitMinutes: est { $0.lanes[l].wait.mean / 60 }, p95WaitMinutes: est { $0.lanes[l].wait.p95 / 60 },
                 queue: queue({ $0.lanes[l].wait }, queue: { $0.lanes[l].meanQueue }, inSystem: { $0.lanes[l].meanInSystem },
                              blocking: { $0.lanes[l].blockingShare }, abandoning: { $0.lanes[l].abandonmentShare }))
        }
        stations = config.stations.indices.map { s in
            Station(name: config.stations[s].name, arrived: est { Double($0.stations[s].arrived) },
                    utilisation: est { $0.stations[s].utilisation },
                    meanWaitMinutes: est { $0.stations[s].wait.mean / 60 }, downFraction: est { $0.stations[s].downFraction },
                    p95WaitMinutes: est { $0.stations[s].wait.p95 / 60 },
                    queue: queue({ $0.stations[s].wait }, queue: { $0.stations[s].meanQueue },
                                 inSystem: { $0.stations[s].meanInSystem }),
                    meanWaitByClassMinutes: Dictionary(uniqueKeysWithValues: config.classes.indices.map { c in
                        (config.classes[c].name, est { $0.visits(station: s, classIndex: c).wait.mean / 60 })
                    }))
        }
        var byType: [String: Estimate] = [:]
        for (v, name) in config.violationTypes.enumerated() { byType[name] = est { Double($0.security.byType[v].detected) } }
        security = Security(violatorsArrived: est { Double($0.security.violatorsArrived) },
                            referred: est { Double($0.security.referrals) }, detected: est { Double($0.security.detected) },
                            missed: est { Double($0.security.missed) }, falseReferrals: est { Double($0.security.falseReferrals) },
                            referralRate: est { $0.security.referralRate }, hitRate: est { $0.security.hitRate },
                            detectionRate: est { $0.security.detectionRate }, detectedByType: byType,
                            byCause: config.referralCauses.enumerated().map { k, name in
            let n = config.classes.count, types = config.violationTypes.count
            func total(_ r: ReplicationResult) -> Attribution {
                Attribution.total(Array(r.security.attribution[(k * n)..<((k + 1) * n)]), violationTypes: types)
            }
            return Cause(cause: name, referrals: est { Double(total($0).referrals) },
                         falseReferrals: est { Double(total($0).falseReferrals) },
                         detected: est { Double(total($0).detected) }, hitRate: est { total($0).hitRate })
        })
        staffedOfficerHours = est { $0.staffedOfficerHours }
        partiesPerReplication = est { Double($0.partiesArrived) }
    }
}

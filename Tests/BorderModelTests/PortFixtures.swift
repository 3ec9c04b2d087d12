import XCTest
import SimKernel
@testable import BorderModel

/// Small ports for the engine tests.
enum PortFixtures {
    /// One class, one lane of `booths` booths, exponential service: an M/M/c queue.
    static func mmc(arrivalsPerHour: Double, meanService: Double, booths: Int, hours: Double = 200,
                    warmUpHours: Double = 10) throws -> PortConfiguration {
        let cars = TrafficClass(name: "car", kind: .passengerVehicle,
                                arrivals: .poisson(rate: arrivalsPerHour / 3600))
        let lane = Lane(name: "general", serves: [0], booths: .constant(Double(booths)),
                        service: [try .exponential(mean: meanService)])
        return PortConfiguration(name: "mmc", horizon: hours * 3600, warmUp: warmUpHours * 3600,
                                 classes: [cars], lanes: [lane])
    }

    /// A small land port: general and trusted cars, pedestrians, a scanner routed to a
    /// physical examination, random and score-based targeting, violations of two types.
    static func smallLandPort(hours: Double = 24, rule: SelectionRule = .threshold(2.0, randomRate: 0.01),
                              auc: Double = 0.8, booths: Double = 6) throws -> PortConfiguration {
        let profile = try PiecewiseConstant(steps: (0..<24).map { h in (h >= 6 && h < 20 ? 400.0 : 120.0) / 3600 },
                                            repeating: true)
        let car = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .profile(profile),
                               trustedShare: 0.3, advanceInfoShare: 0.2,
                               violations: [ViolationPrevalence(type: 0, prevalence: 0.01),
                                            ViolationPrevalence(type: 1, prevalence: 0.02)],
                               risk: RiskScoreModel(auc: auc, aucWithAdvanceInfo: min(0.97, auc + 0.1)),
                               patience: try .exponential(mean: 3 * 3600))
        let walker = TrafficClass(name: "pedestrian", kind: .pedestrian, arrivals: .poisson(rate: 150.0 / 3600),
                                  violations: [ViolationPrevalence(type: 1, prevalence: 0.01)],
                                  risk: RiskScoreModel(auc: 0.7))
        let service = try Distribution.lognormal(mean: 60, sd: 25)
        let general = Lane(name: "general", serves: [0], booths: .constant(booths),
                           service: [service, nil], primaryDetection: [0.1, 0.05])
        let sentri = Lane(name: "sentri", serves: [0], trustedOnly: true, booths: .constant(2),
                          service: [try .lognormal(mean: 30, sd: 10), nil])
        let ped = Lane(name: "pedestrian", serves: [1], booths: .constant(3),
                       service: [nil, try .exponential(mean: 45)])
        let scanner = SecondaryStation(name: "scanner", servers: .constant(2), service: try .exponential(mean: 300),
                                       sensitivity: [0.8, 0.6], falseAlarmRate: 0.1,
                                       onAlarm: .station(1), onClear: .release)
        let exam = SecondaryStation(name: "exam", servers: .constant(2), service: try .exponential(mean: 900),
                                    discipline: .highestRiskFirst, sensitivity: [0.95, 0.9],
                                    falseAlarmRate: 0, onAlarm: .release, onClear: .release)
        return PortConfiguration(name: "small-land-port", horizon: hours * 3600, warmUp: 3600,
                                 violationTypes: ["narcotics", "undeclared-goods"],
                                 classes: [car, walker], lanes: [general, sentri, ped],
                                 targeting: TargetingPolicy(rule: rule), stations: [scanner, exam])
    }
}

// MARK: - Running and checking

/// One replication's outputs, with the per-party trace and the invariant checks.
struct TracedRun {
    var result: ReplicationResult
    var parties: [PartyTrace]
    var violations: [String]
}

extension PortFixtures {
    /// Runs one replication with invariant checks on and the trace collected.
    static func run(_ config: PortConfiguration, seed: UInt64 = 1, replication: Int = 0,
                    traced: Bool = true) throws -> TracedRun {
        let sim = try PortSimulation(config: config, seed: seed, replication: replication)
        sim.checksInvariants = true
        var parties: [PartyTrace] = []
        if traced { sim.trace = { parties.append($0) } }
        let r = sim.run()
        return TracedRun(result: r, parties: parties, violations: sim.invariantViolations)
    }

    /// A statistic over `n` replications (invariant checks off: they cost time).
    static func replicate(_ config: PortConfiguration, n: Int, seed: UInt64 = 7,
                          _ statistic: (ReplicationResult) -> Double) throws -> SampleSummary {
        var s = SampleSummary()
        for rep in 0..<n {
            s.add(statistic(try PortSimulation(config: config, seed: seed, replication: rep).run()))
        }
        return s
    }

    /// Erlang C mean wait in queue of M/M/c (BorderModelTests does not link KernelExamples).
    static func erlangCWait(arrivalRate λ: Double, serviceRate μ: Double, servers c: Int) -> Double {
        let a = λ / μ, rho = a / Double(c)
        var term = 1.0, sum = 1.0          // Σ_{k<c} a^k/k!
        for k in 1..<max(c, 1) { term *= a / Double(k); sum += term }
        let last = term * a / Double(c) / (1 - rho)   // a^c / (c! (1 − ρ))
        let pWait = last / (sum + last)
        return pWait / (Double(c) * μ - λ)
    }

    static func exp(_ mean: Double) -> Distribution {
        // swiftlint:disable:next force_try
        try! Distribution.exponential(mean: mean)
    }
    static func fixed(_ value: Double) -> Distribution {
        // swiftlint:disable:next force_try
        try! Distribution.deterministic(value)
    }
    /// Steps of a schedule by hour, one-off (holds its last value).
    static func hourly(_ values: [Double]) -> PiecewiseConstant {
        // swiftlint:disable:next force_try
        try! PiecewiseConstant(steps: values, step: 3600, repeating: false)
    }
}

// MARK: - Assertions shared by the engine tests

/// Conservation, exactly: per lane × class, and per violation type.
func assertConserves(_ r: ReplicationResult, _ context: String = "", file: StaticString = #filePath,
                     line: UInt = #line) {
    for (i, f) in r.laneClass.enumerated() {
        XCTAssertEqual(f.inSystemAtStart + f.arrived, f.departed + f.balked + f.reneged + f.inSystemAtEnd,
                       "flow \(i) \(context): \(f)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(f.inSystemAtEnd, 0, "flow \(i) \(context)", file: file, line: line)
    }
    for (v, t) in r.security.byType.enumerated() {
        XCTAssertEqual(t.inSystemAtStart + t.arrived, t.detected + t.missed + t.abandoned + t.inSystemAtEnd,
                       "violation type \(v) \(context): \(t)", file: file, line: line)
    }
}

/// Per lane, served parties of one priority start service in the order they joined the queue,
/// and nobody starts while a party of higher priority is waiting at the lane (non-preemptive
/// priority); nobody is served, queued or released before arriving.
func assertOrderly(_ parties: [PartyTrace], lanes: Int, priority: [Int] = [], _ context: String = "",
                   file: StaticString = #filePath, line: UInt = #line) {
    func level(_ p: PartyTrace) -> Int { p.classIndex < priority.count ? priority[p.classIndex] : 0 }
    for p in parties {
        if let q = p.queueEntry { XCTAssertGreaterThanOrEqual(q, p.arrival, context, file: file, line: line) }
        if let s = p.serviceStart {
            XCTAssertGreaterThanOrEqual(s, p.queueEntry ?? -1, "served before joining \(context)", file: file, line: line)
        }
        XCTAssertGreaterThanOrEqual(p.exit, p.arrival, context, file: file, line: line)
        for v in p.stations {
            XCTAssertLessThanOrEqual(v.entered, v.started, context, file: file, line: line)
            XCTAssertLessThanOrEqual(v.started, v.ended, context, file: file, line: line)
            XCTAssertGreaterThanOrEqual(v.entered, p.serviceEnd ?? -.infinity, context, file: file, line: line)
        }
    }
    for l in 0..<lanes {
        for p in Set(parties.map(level)) {
            let served = parties.filter { $0.lane == l && $0.serviceStart != nil && level($0) == p }
                .sorted { ($0.serviceStart!, $0.queueEntry!) < ($1.serviceStart!, $1.queueEntry!) }
            for (a, b) in zip(served, served.dropFirst()) where b.queueEntry! < a.queueEntry! {
                XCTFail("lane \(l) \(context): party queued at \(b.queueEntry!) started at \(b.serviceStart!) "
                        + "before one queued at \(a.queueEntry!) (started \(a.serviceStart!))", file: file, line: line)
                return
            }
        }
        // Waiting intervals of each level, by join time, with the running latest end: a party of a
        // lower level starting at s is wrong if a higher one joined before s and was still waiting.
        let levels = Set(parties.map(level)).sorted()
        for high in levels {
            let waits = parties.filter { $0.lane == l && level($0) == high && $0.queueEntry != nil }
                .map { (join: $0.queueEntry!, end: $0.serviceStart ?? $0.exit) }.sorted { $0.join < $1.join }
            var latest: [Double] = []
            for w in waits { latest.append(max(latest.last ?? -.infinity, w.end)) }
            for b in parties where b.lane == l && level(b) < high {
                guard let s = b.serviceStart else { continue }
                var lo = 0, hi = waits.count          // first join ≥ s
                while lo < hi { let m = (lo + hi) / 2; if waits[m].join < s { lo = m + 1 } else { hi = m } }
                if lo > 0, latest[lo - 1] > s {
                    XCTFail("lane \(l) \(context): a priority-\(level(b)) party started at \(s) while a priority-\(high) "
                            + "party was waiting", file: file, line: line)
                    return
                }
            }
        }
    }
}

/// Referrals by cause add up to the port's referrals, false referrals and detections.
func assertAttributionAddsUp(_ r: ReplicationResult, _ context: String = "", file: StaticString = #filePath,
                             line: UInt = #line) {
    let all = Attribution.total(r.security.attribution, violationTypes: r.violationTypes.count)
    XCTAssertEqual(r.security.attribution.count, r.referralCauses.count * r.classNames.count, context, file: file, line: line)
    XCTAssertEqual(all.referrals, r.security.referrals, "referrals \(context)", file: file, line: line)
    XCTAssertEqual(all.falseReferrals, r.security.falseReferrals, "false referrals \(context)", file: file, line: line)
    XCTAssertEqual(all.detected, r.security.detected, "detections \(context)", file: file, line: line)
    XCTAssertEqual(all.referredByType, r.security.byType.map(\.referred), "referred by type \(context)", file: file, line: line)
}

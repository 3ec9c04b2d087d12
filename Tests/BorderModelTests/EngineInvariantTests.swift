import XCTest
import SimKernel
@testable import BorderModel

/// Invariants on 30 small random scenarios (seeded): no service before arrival or at a closed
/// booth or down station (`invariantViolations`), FIFO within each lane, exact conservation.
final class EngineInvariantTests: XCTestCase {
    func testInvariantsOnRandomScenarios() throws {
        let g = RandomStream(key: 20_240_601, name: "scenarios")
        // Balked, reneged, diverted, released unscreened, present at warm-up, rebalancing rules,
        // priority classes, booths opened by supervisors, load-dependent speed, intelligence sources:
        // the scenarios must exercise each of them somewhere.
        var coverage = Array(repeating: 0, count: 10)
        for k in 0..<30 {
            let config = try RandomScenario.make(g, index: k)
            let run = try PortFixtures.run(config, seed: UInt64(k + 1))
            let context = "scenario \(k)"
            XCTAssertEqual(run.violations, [], context)
            assertConserves(run.result, context)
            assertOrderly(run.parties, lanes: config.lanes.count, priority: config.classes.map(\.priority), context)
            let r = run.result
            coverage[0] += r.laneClass.reduce(0) { $0 + $1.balked }
            coverage[1] += r.laneClass.reduce(0) { $0 + $1.reneged }
            coverage[2] += r.stations.reduce(0) { $0 + $1.diverted }
            coverage[3] += r.stations.reduce(0) { $0 + $1.releasedUnscreened }
            coverage[4] += r.laneClass.reduce(0) { $0 + $1.inSystemAtStart }
            coverage[5] += config.staffing?.rebalance == nil ? 0 : 1
            coverage[6] += Set(config.classes.map(\.priority)).count > 1 ? 1 : 0
            // Supervisors really opened booths beyond the schedule somewhere.
            coverage[7] += zip(config.lanes, r.lanes).contains { lane, result in
                lane.dynamicOpening != nil && result.meanOpenBooths > lane.booths.integral(from: config.warmUp, to: config.horizon)
                    / (config.horizon - config.warmUp) + 1e-9
            } ? 1 : 0
            coverage[8] += config.lanes.contains { $0.speedUp != nil } ? 1 : 0
            // Referrals attributed to an intelligence source (causes 3 and up).
            coverage[9] += r.security.attribution.dropFirst(3 * config.classes.count).reduce(0) { $0 + $1.referrals }
            XCTAssertEqual(r.series.arrivals.reduce(0, +),
                           r.laneClass.reduce(0) { $0 + $1.arrived } + preWarmUpArrivals(r, config), context)
            for s in r.stations { XCTAssertTrue((0...1).contains(s.downFraction), context) }
            for p in run.parties where p.outcome != .departed { XCTAssertTrue(p.stations.isEmpty, context) }
            assertAttributionAddsUp(r, context)
        }
        XCTAssertFalse(coverage.contains(0), "\(coverage)")
    }

    /// Arrivals in the series bins before the warm-up (bins are whole hours, and so is the warm-up).
    private func preWarmUpArrivals(_ r: ReplicationResult, _ c: PortConfiguration) -> Int {
        let bins = Int(c.warmUp / r.series.binSeconds)
        return r.series.arrivals.prefix(bins * r.laneNames.count).reduce(0, +)
    }
}

/// Small random ports: 1–3 classes, 1–4 lanes (maybe a trusted lane, capacities, schedules),
/// 0–2 stations (routing, discipline, downtime), a random policy, maybe staffing with a rule.
enum RandomScenario {
    static func make(_ g: RandomStream, index: Int) throws -> PortConfiguration {
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + g.index(below: range.count) }
        func chance(_ p: Double) -> Bool { g.uniform() < p }
        func hourlySchedule(max: Int, hours: Int) -> PiecewiseConstant {
            PortFixtures.hourly((0..<hours).map { _ in Double(int(0...max)) })
        }
        let hours = int(3...6)
        let classCount = int(1...3)
        var classes: [TrafficClass] = []
        for c in 0..<classCount {
            let rate = Double(int(20...200)) / 3600
            let arrivals: ArrivalProcess
            switch int(0...2) {
            case 0: arrivals = .poisson(rate: rate)
            case 1: arrivals = .profile(PortFixtures.hourly((0..<hours).map { _ in Double(int(0...200)) / 3600 }))
            default: arrivals = .batches(BatchArrivals(times: .process(.poisson(rate: rate / 10)),
                                                       size: try .poisson(mean: 10), spread: PortFixtures.exp(120)))
            }
            classes.append(TrafficClass(
                name: "c\(c)", kind: .passengerVehicle, arrivals: arrivals, trustedShare: chance(0.5) ? 0.3 : 0,
                advanceInfoShare: 0.3, violations: [ViolationPrevalence(type: 0, prevalence: 0.05),
                                                    ViolationPrevalence(type: 1, prevalence: 0.05)],
                risk: RiskScoreModel(auc: 0.8, aucWithAdvanceInfo: 0.9),
                patience: chance(0.5) ? PortFixtures.exp(Double(int(60...1800))) : nil,
                balking: chance(0.3) ? BalkingRule(queueLength: int(1...10), probability: 0.7) : nil,
                priority: chance(0.4) ? int(0...2) : 0))
        }
        var lanes: [Lane] = []
        for l in 0..<int(1...4) {
            let serves = (0..<classCount).filter { _ in chance(0.6) }
            lanes.append(lane(l, serves: serves.isEmpty ? [0] : serves, classCount: classCount,
                              booths: chance(0.5) ? .constant(Double(int(1...3))) : hourlySchedule(max: 3, hours: hours),
                              trustedOnly: false, capacity: chance(0.3) ? int(2...8) : nil))
        }
        for c in 0..<classCount where !lanes.contains(where: { $0.serves.contains(c) }) {
            lanes.append(lane(lanes.count, serves: [c], classCount: classCount, booths: .constant(2),
                              trustedOnly: false, capacity: nil))
        }
        if chance(0.5) {
            lanes.append(lane(lanes.count, serves: Array(0..<classCount), classCount: classCount,
                              booths: hourlySchedule(max: 2, hours: hours), trustedOnly: true, capacity: nil))
        }
        var stations: [SecondaryStation] = []
        let stationCount = int(0...2)
        for s in 0..<stationCount {
            let next: Route = s + 1 < stationCount ? .station(s + 1) : .release
            var whileDown: Downtime.WhileDown = [.queueWaits, .releaseUnscreened][int(0...1)]
            if s + 1 < stationCount, chance(0.7) { whileDown = .divert(to: s + 1) }
            stations.append(SecondaryStation(
                name: "s\(s)", servers: chance(0.5) ? .constant(Double(int(1...2))) : hourlySchedule(max: 2, hours: hours),
                service: PortFixtures.exp(Double(int(60...600))),
                discipline: chance(0.5) ? .fifo : .highestRiskFirst, sensitivity: [0.8, 0.5], falseAlarmRate: 0.05,
                onAlarm: next, onClear: chance(0.3) ? next : .release,
                downtime: chance(0.6) ? Downtime(timeBetweenFailures: PortFixtures.exp(Double(int(600...3600))),
                                                 repairTime: PortFixtures.exp(Double(int(60...900))),
                                                 whileDown: whileDown) : nil))
        }
        let rules: [SelectionRule] = [.none, .random(rate: 0.1), .threshold(1.5, randomRate: 0.02),
                                      .targetFraction(0.1, randomRate: 0.01),
                                      .congestionAware(threshold: 1, slope: 0.3, freeQueue: 2, randomRate: 0.02), .all]
        let policy = TargetingPolicy(rule: rules[int(0...5)], perClass: chance(0.3) ? [0: .random(rate: 0.3)] : [:],
                                     trusted: chance(0.3) ? SelectionRule.none : nil)
        var staffing: Staffing? = nil
        if chance(0.4) {
            let rule = stations.isEmpty || chance(0.3) ? nil
                : RebalanceRule(station: 0, fromLanes: [0], raiseAt: int(2...5), lowerAt: int(0...1), maxMoved: int(1...2))
            staffing = Staffing(onDuty: hourlySchedule(max: 8, hours: hours), rebalance: rule)
        }
        for l in lanes.indices {
            if chance(0.3) { lanes[l].dynamicOpening = DynamicOpening(openAbove: Double(int(2...6)), closeBelow: Double(int(0...1)),
                                                                      maxBooths: chance(0.5) ? int(2...6) : nil) }
            if chance(0.3) { lanes[l].speedUp = LoadDependentService(from: Double(int(0...3)), to: Double(int(4...10)),
                                                                     maxSpeedUp: 1 + Double(int(1...5)) / 10) }
        }
        var config = PortConfiguration(name: "random-\(index)", horizon: Double(hours) * 3600,
                                       warmUp: chance(0.5) ? 3600 : 0, violationTypes: ["a", "b"], classes: classes,
                                       lanes: lanes, targeting: policy, stations: stations, staffing: staffing,
                                       metrics: MetricOptions(queueSampleInterval: 600))
        config.intelligence = intelligence(classes: classCount, index: index)
        return config
    }

    /// Intelligence sources for half the scenarios, from a stream of their own (so the rest of
    /// each scenario is as it was without them): score, watchlist and biometric sources.
    static func intelligence(classes: Int, index: Int) -> [IntelligenceSource] {
        let g = RandomStream(masterSeed: 77, replication: index, name: "sources")
        guard g.uniform() < 0.5 else { return [] }
        let all = Array(0..<classes)
        return [
            IntelligenceSource(name: "api", classes: all, coverage: 0.3 + 0.7 * g.uniform(), timeliness: g.uniform(),
                               evidence: .score(auc: 0.6 + 0.3 * g.uniform(), aucByType: [0.9, nil])),
            IntelligenceSource(name: "lookout", classes: [0], coverage: 0.8, timeliness: 0.7, agency: "partner",
                               shared: g.uniform() < 0.7,
                               evidence: .watchlist(hitRate: [0.5, 0.2], falseHitRate: 0.01,
                                                    onHit: g.uniform() < 0.5 ? .refer : .raiseScore(2))),
            IntelligenceSource(name: "e-gates", classes: all, coverage: 0.5, evidence: .biometric(detects: 1, sensitivity: 0.9,
                                                                                                  serviceFactor: 0.5 + g.uniform())),
        ]
    }

    private static func lane(_ l: Int, serves: [Int], classCount: Int, booths: PiecewiseConstant,
                             trustedOnly: Bool, capacity: Int?) -> Lane {
        let service = (0..<classCount).map { serves.contains($0) ? PortFixtures.exp(40 + 10 * Double($0)) : nil }
        return Lane(name: "lane\(l)", serves: serves, trustedOnly: trustedOnly, booths: booths, service: service,
                    trustedService: service.map { $0 == nil ? nil : PortFixtures.exp(20) }, capacity: capacity,
                    primaryDetection: [0.05, 0.02])
    }
}

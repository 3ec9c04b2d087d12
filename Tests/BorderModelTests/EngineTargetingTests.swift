import XCTest
import SimKernel
@testable import BorderModel

/// Targeting policies through the engine, common random numbers, and the security anchors
/// (AUC of the score model, detection rate p·s).
final class EngineTargetingTests: XCTestCase {
    /// One uncongested lane and one station whose alarm ends the inspection. Parties of
    /// `classes` classes arrive at 300/h each; 10 % carry violation 0.
    private func port(_ policy: TargetingPolicy, classes: Int = 1, trustedShare: Double = 0,
                      stationServers: Double = 50, stationService: Double = 10, sensitivity: Double = 1,
                      auc: Double = 0.8, hours: Double = 4) -> PortConfiguration {
        let cls = (0..<classes).map { i in
            TrafficClass(name: "c\(i)", kind: .passengerVehicle, arrivals: .poisson(rate: 300.0 / 3600),
                         trustedShare: trustedShare, violations: [ViolationPrevalence(type: 0, prevalence: 0.1)],
                         risk: RiskScoreModel(auc: auc))
        }
        let lane = Lane(name: "l", serves: Array(0..<classes), booths: .constant(10),
                        service: Array(repeating: PortFixtures.fixed(5), count: classes))
        let station = SecondaryStation(name: "s", servers: .constant(stationServers),
                                       service: PortFixtures.fixed(stationService), sensitivity: [sensitivity],
                                       onAlarm: .release, onClear: .release)
        return PortConfiguration(name: "targeting", horizon: hours * 3600, violationTypes: ["x"], classes: cls,
                                 lanes: [lane], targeting: policy, stations: [station])
    }

    /// Parties that finished primary and left (with or without secondary).
    private func inspected(_ config: PortConfiguration, seed: UInt64 = 3) throws -> [PartyTrace] {
        let run = try PortFixtures.run(config, seed: seed)
        XCTAssertEqual(run.violations, [])
        assertConserves(run.result)
        return run.parties.filter { $0.outcome == .departed }
    }

    func testNoneRefersNobody() throws {
        let parties = try inspected(port(TargetingPolicy(rule: .none)))
        XCTAssertGreaterThan(parties.count, 1000)
        XCTAssertFalse(parties.contains { $0.referred || !$0.stations.isEmpty })
    }

    func testAllRefersEverybody() throws {
        let parties = try inspected(port(TargetingPolicy(rule: .all)))
        XCTAssertTrue(parties.allSatisfy { $0.referred && $0.stations.count == 1 })
    }

    /// Random selection at p: the referral rate is p (99 % CI, 10 replications).
    func testRandomSelectionRate() throws {
        let rate = try PortFixtures.replicate(port(TargetingPolicy(rule: .random(rate: 0.2))), n: 10) {
            $0.security.referralRate
        }
        XCTAssertTrue(rate.confidenceInterval(level: 0.99).contains(0.2), "\(rate.confidenceInterval(level: 0.99))")
    }

    /// A threshold alone refers exactly the parties scoring above it; with random selection
    /// on top, a share r of the others is referred too.
    func testThresholdRule() throws {
        let exact = try inspected(port(TargetingPolicy(rule: .threshold(1.0, randomRate: 0))))
        for p in exact { XCTAssertEqual(p.referred, p.riskScore > 1.0, "score \(p.riskScore)") }
        let parties = try inspected(port(TargetingPolicy(rule: .threshold(1.0, randomRate: 0.1)), hours: 12))
        XCTAssertTrue(parties.filter { $0.riskScore > 1.0 }.allSatisfy(\.referred))
        let low = parties.filter { $0.riskScore <= 1.0 }
        let share = Double(low.filter(\.referred).count) / Double(low.count)
        let sd = (0.1 * 0.9 / Double(low.count)).squareRoot()
        XCTAssertEqual(share, 0.1, accuracy: 3 * sd)
    }

    /// A target fraction f (no random selection): the referral rate is f (99 % CI).
    func testTargetFraction() throws {
        let rate = try PortFixtures.replicate(port(TargetingPolicy(rule: .targetFraction(0.15, randomRate: 0))), n: 10) {
            $0.security.referralRate
        }
        XCTAssertTrue(rate.confidenceInterval(level: 0.99).contains(0.15), "\(rate.confidenceInterval(level: 0.99))")
    }

    /// Congestion-aware: with a slow station the threshold rises, so it refers a subset of the
    /// plain threshold's referrals (same parties: common random numbers), and never below t0.
    func testCongestionAwareTightens() throws {
        let slow = { (rule: SelectionRule) in self.port(TargetingPolicy(rule: rule), stationServers: 1, stationService: 120) }
        let plain = try PortFixtures.run(slow(.threshold(0.5, randomRate: 0)), seed: 3)
        let aware = try PortFixtures.run(slow(.congestionAware(threshold: 0.5, slope: 0.5, freeQueue: 2, randomRate: 0)),
                                         seed: 3)
        XCTAssertEqual(aware.violations, [])
        let referred = aware.parties.filter(\.referred)
        XCTAssertTrue(referred.allSatisfy { $0.riskScore > 0.5 })
        XCTAssertTrue(aware.parties.contains { !$0.referred && $0.riskScore > 0.5 && $0.outcome == .departed },
                      "the threshold rose at least once")
        XCTAssertLessThan(aware.result.security.referrals, plain.result.security.referrals / 2)
        // Uncongested (large station): the same as the plain threshold, party by party.
        let roomy = try inspected(port(TargetingPolicy(rule: .congestionAware(threshold: 0.5, slope: 0.5, freeQueue: 2,
                                                                               randomRate: 0))))
        for p in roomy { XCTAssertEqual(p.referred, p.riskScore > 0.5) }
    }

    func testPerClassRule() throws {
        let parties = try inspected(port(TargetingPolicy(rule: .all, perClass: [1: .none]), classes: 2))
        XCTAssertTrue(parties.contains { $0.classIndex == 1 })
        for p in parties { XCTAssertEqual(p.referred, p.classIndex == 0, "class \(p.classIndex)") }
    }

    func testTrustedOverride() throws {
        let parties = try inspected(port(TargetingPolicy(rule: .all, trusted: SelectionRule.none),
                                         trustedShare: 0.5))
        XCTAssertTrue(parties.contains(where: \.trusted) && parties.contains { !$0.trusted })
        for p in parties { XCTAssertEqual(p.referred, !p.trusted) }
    }

    // MARK: common random numbers

    /// Two runs that differ only in policy, or only in booths, see the same parties: same
    /// count, and party by party the same class, attributes, score and arrival time.
    func testCommonRandomNumbersAcrossPolicyAndStaffing() throws {
        let base = try PortFixtures.run(PortFixtures.smallLandPort(rule: .threshold(2.0, randomRate: 0.01)))
        let variants = [try PortFixtures.smallLandPort(rule: .threshold(1.0, randomRate: 0.05)),
                        try PortFixtures.smallLandPort(rule: .all),
                        try PortFixtures.smallLandPort(booths: 3)]
        struct Key: Hashable { var classIndex: Int; var arrival: Double }
        let reference = Dictionary(base.parties.map { (Key(classIndex: $0.classIndex, arrival: $0.arrival), $0) },
                                   uniquingKeysWith: { a, _ in a })
        for (v, config) in variants.enumerated() {
            let run = try PortFixtures.run(config)
            XCTAssertEqual(run.result.partiesArrived, base.result.partiesArrived, "variant \(v)")
            var matched = 0
            for p in run.parties {
                guard let q = reference[Key(classIndex: p.classIndex, arrival: p.arrival)] else { continue }
                matched += 1
                XCTAssertEqual(p.trusted, q.trusted, "variant \(v)")
                XCTAssertEqual(p.advanceInfo, q.advanceInfo, "variant \(v)")
                XCTAssertEqual(p.violation, q.violation, "variant \(v)")
                XCTAssertEqual(p.riskScore, q.riskScore, "variant \(v)")
            }
            // Only parties still in the port at the end (untraced in one run) may be unmatched.
            XCTAssertGreaterThan(Double(matched), 0.9 * Double(min(run.parties.count, base.parties.count)),
                                 "variant \(v)")
        }
    }

    // MARK: statistical anchors

    /// Mann–Whitney AUC of traced scores, violators against non-violators.
    private func auc(_ parties: [PartyTrace]) -> Double {
        let sorted = parties.sorted { $0.riskScore < $1.riskScore }
        var rankSum = 0.0, violators = 0.0
        for (i, p) in sorted.enumerated() where p.violation >= 0 { rankSum += Double(i + 1); violators += 1 }
        let others = Double(sorted.count) - violators
        return (rankSum - violators * (violators + 1) / 2) / (violators * others)
    }

    /// The binormal score model reproduces its AUC through the engine, with and without
    /// advance information (99 % CI, 10 replications).
    func testBinormalScoresReproduceAUC() throws {
        var config = port(TargetingPolicy(), auc: 0.75, hours: 4)
        config.classes[0].violations = [ViolationPrevalence(type: 0, prevalence: 0.3)]
        config.classes[0].advanceInfoShare = 0.5
        config.classes[0].risk = RiskScoreModel(auc: 0.75, aucWithAdvanceInfo: 0.9)
        var plain = SampleSummary(), informed = SampleSummary()
        for rep in 0..<10 {
            let run = try PortFixtures.run(config, seed: 5, replication: rep)
            plain.add(auc(run.parties.filter { !$0.advanceInfo }))
            informed.add(auc(run.parties.filter(\.advanceInfo)))
        }
        XCTAssertTrue(plain.confidenceInterval(level: 0.99).contains(0.75), "\(plain.confidenceInterval(level: 0.99))")
        XCTAssertTrue(informed.confidenceInterval(level: 0.99).contains(0.9), "\(informed.confidenceInterval(level: 0.99))")
    }

    /// Random selection p, one station of sensitivity s releasing on alarm and on clear, no
    /// primary detection: the detection rate is p·s (99 % CI, 20 replications).
    func testDetectionRateIsSelectionTimesSensitivity() throws {
        var config = port(TargetingPolicy(rule: .random(rate: 0.3)), sensitivity: 0.6, hours: 8)
        config.classes[0].violations = [ViolationPrevalence(type: 0, prevalence: 0.2)]
        let rate = try PortFixtures.replicate(config, n: 20) { $0.security.detectionRate }
        XCTAssertTrue(rate.confidenceInterval(level: 0.99).contains(0.18), "\(rate.confidenceInterval(level: 0.99))")
    }
}

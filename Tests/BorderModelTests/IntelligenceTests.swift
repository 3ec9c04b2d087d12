import XCTest
import SimKernel
@testable import BorderModel

/// Intelligence sources: fusion against theory, timeliness and sharing, watchlists, biometric
/// checks, attribution. Family-wise error: the statistical checks are eight two-sided z tests at
/// |z| < 3.5 (each α ≈ 4.7e-4), so a correct model fails one with probability below 0.4 %.
final class IntelligenceTests: XCTestCase {
    /// One class, generous booths (no queues to speak of), 10 % violators of two types, nobody referred.
    func port(auc: Double = 0.7, sources: [IntelligenceSource] = [], rule: SelectionRule = .none,
              hours: Double = 200) throws -> PortConfiguration {
        let car = TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .poisson(rate: 200.0 / 3600),
                               violations: [ViolationPrevalence(type: 0, prevalence: 0.05),
                                            ViolationPrevalence(type: 1, prevalence: 0.05)],
                               risk: RiskScoreModel(auc: auc))
        let lane = Lane(name: "general", serves: [0], booths: .constant(8), service: [PortFixtures.exp(60)])
        let exam = SecondaryStation(name: "exam", servers: .constant(30), service: PortFixtures.exp(60),
                                    discipline: .highestRiskFirst, sensitivity: [1, 1])
        var c = PortConfiguration(name: "intel", horizon: hours * 3600, violationTypes: ["narcotics", "identity-fraud"],
                                  classes: [car], lanes: [lane], targeting: TargetingPolicy(rule: rule), stations: [exam])
        c.intelligence = sources
        return c
    }

    static func score(_ name: String, auc: Double, coverage: Double = 1, timeliness: Double = 1,
                      agency: String? = nil, shared: Bool = true) -> IntelligenceSource {
        IntelligenceSource(name: name, classes: [0], coverage: coverage, timeliness: timeliness, agency: agency,
                           shared: shared, evidence: .score(auc: auc, aucByType: []))
    }

    /// Mann–Whitney AUC of violators' against others' scores, with its Hanley–McNeil standard error.
    func empiricalAUC(_ parties: [PartyTrace]) -> (auc: Double, se: Double) {
        let v = parties.filter { $0.violation >= 0 }.map(\.riskScore).sorted()
        let n = parties.filter { $0.violation < 0 }.map(\.riskScore).sorted()
        var below = 0, wins = 0.0
        for s in v {
            while below < n.count && n[below] < s { below += 1 }
            wins += Double(below)
        }
        let a = wins / Double(v.count * n.count)
        let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
        let nv = Double(v.count), nn = Double(n.count)
        let se = ((a * (1 - a) + (nv - 1) * (q1 - a * a) + (nn - 1) * (q2 - a * a)) / (nv * nn)).squareRoot()
        return (a, se)
    }

    /// Independent binormal sources fuse to AUC Φ(√(Σ d′ᵢ²)/√2), measured through the engine.
    func testFusedAUCMatchesLikelihoodRatioFusion() throws {
        let sources = [Self.score("api-pnr", auc: 0.8), Self.score("lookouts", auc: 0.75)]
        let run = try PortFixtures.run(try port(auc: 0.7, sources: sources))
        let d = [0.7, 0.8, 0.75].map(RiskScorer.dPrime(auc:))
        let theory = RiskScorer.auc(dPrime: d.map { $0 * $0 }.reduce(0, +).squareRoot())
        let (auc, se) = empiricalAUC(run.parties)
        XCTAssertGreaterThan(run.parties.count, 30_000)
        XCTAssertEqual(auc, theory, accuracy: 3.5 * se, "fused AUC \(auc) ± \(se), theory \(theory)")
        // The profile alone: the class's own AUC.
        let alone = empiricalAUC(try PortFixtures.run(try port(auc: 0.7)).parties)
        XCTAssertEqual(alone.auc, 0.7, accuracy: 3.5 * alone.se)
        XCTAssertGreaterThan(auc, alone.auc + 0.05)
    }

    /// `advance-info-share` with `auc-with-advance-info` is the one-source shorthand: a source
    /// covering those parties in time with d′ₛ = √(d′_adv² − d′²) fuses to the same AUC.
    func testAdvanceInformationIsAOneSourceShorthand() throws {
        let base = 0.7, withInfo = 0.85
        var shorthand = try port(auc: base)
        shorthand.classes[0].advanceInfoShare = 1
        shorthand.classes[0].risk.aucWithAdvanceInfo = withInfo
        let d0 = RiskScorer.dPrime(auc: base), dA = RiskScorer.dPrime(auc: withInfo)
        let source = Self.score("advance-info", auc: RiskScorer.auc(dPrime: (dA * dA - d0 * d0).squareRoot()))
        let a = empiricalAUC(try PortFixtures.run(shorthand).parties)
        let b = empiricalAUC(try PortFixtures.run(try port(auc: base, sources: [source])).parties)
        XCTAssertEqual(a.auc, withInfo, accuracy: 3.5 * a.se, "shorthand")
        XCTAssertEqual(b.auc, withInfo, accuracy: 3.5 * b.se, "one source")
    }

    /// Parts of the port the sources cannot touch, compared value for value.
    func assertSamePrimary(_ a: ReplicationResult, _ b: ReplicationResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.laneClass, b.laneClass, file: file, line: line)
        XCTAssertEqual(a.lanes, b.lanes, file: file, line: line)
        XCTAssertEqual(a.security.byType, b.security.byType, file: file, line: line)
        XCTAssertEqual([a.security.referrals, a.security.falseReferrals], [b.security.referrals, b.security.falseReferrals],
                       file: file, line: line)
    }

    /// Information that always comes late changes nothing at primary; a partner's source that is
    /// not shared changes nothing at all; a source covering nobody reduces to the profile alone.
    func testLateUnsharedAndEmptySourcesChangeNothingAtPrimary() throws {
        let rule = SelectionRule.threshold(1.5, randomRate: 0.01)
        let plain = try PortFixtures.run(try port(rule: rule, hours: 24))
        let late = try PortFixtures.run(try port(sources: [Self.score("late", auc: 0.9, timeliness: 0)], rule: rule, hours: 24))
        assertSamePrimary(plain.result, late.result)
        XCTAssertEqual(plain.parties.map(\.riskScore), late.parties.map(\.riskScore))
        let unshared = try PortFixtures.run(try port(sources: [Self.score("partner", auc: 0.9, agency: "partner", shared: false)],
                                                     rule: rule, hours: 24))
        assertSamePrimary(plain.result, unshared.result)
        XCTAssertEqual(plain.result.stations, unshared.result.stations, "not shared: not even secondary changes")
        let nobody = try PortFixtures.run(try port(sources: [Self.score("none", auc: 0.9, coverage: 0)], rule: rule, hours: 24))
        assertSamePrimary(plain.result, nobody.result)
        // Shared, the same source does change the referrals.
        let shared = try PortFixtures.run(try port(sources: [Self.score("partner", auc: 0.9, agency: "partner", shared: true)],
                                                   rule: rule, hours: 24))
        XCTAssertNotEqual(plain.result.security.byType, shared.result.security.byType)
        XCTAssertGreaterThan(shared.result.security.detected, plain.result.security.detected)
    }

    /// A watchlist that refers: every violator it hits is referred and attributed to it; with
    /// hit rate h and a false-hit rate f, referrals match h·violators + f·others.
    func testWatchlistHitsReferAsConfigured() throws {
        let watch = IntelligenceSource(name: "lookout", classes: [0], coverage: 1, timeliness: 1,
                                       evidence: .watchlist(hitRate: [0.6, 0], falseHitRate: 0.01, onHit: .refer))
        let run = try PortFixtures.run(try port(sources: [watch], hours: 100))
        let r = run.result
        let lookout = Attribution.total(Array(r.security.attribution[3..<4]), violationTypes: 2)
        XCTAssertEqual(lookout.referrals, r.security.referrals, "targeting none: only the watchlist refers")
        let narcotics = Double(r.security.byType[0].arrived), others = Double(run.parties.filter { $0.violation != 0 }.count)
        let expected = 0.6 * narcotics + 0.01 * others
        let sd = (0.6 * 0.4 * narcotics + 0.01 * 0.99 * others).squareRoot()
        XCTAssertEqual(Double(lookout.referrals), expected, accuracy: 3.5 * sd)
        XCTAssertEqual(lookout.referredByType[1], 0, "a hit rate of 0 never hits")
        // The exam finds every violator it sees (sensitivity 1): all referred ones, but those still inside.
        let referredNarcotics = lookout.referredByType[0], stillInside = r.security.byType[0].inSystemAtEnd
        XCTAssertLessThanOrEqual(lookout.detected, referredNarcotics)
        XCTAssertGreaterThanOrEqual(lookout.detected, referredNarcotics - stillInside)
        assertAttributionAddsUp(r)
        // Raising the score instead: referrals now go through the threshold, attributed to the watchlist where it tipped the balance.
        var raise = watch
        raise.evidence = .watchlist(hitRate: [0.6, 0], falseHitRate: 0.01, onHit: .raiseScore(4))
        let raised = try PortFixtures.run(try port(sources: [raise], rule: .threshold(2.5, randomRate: 0), hours: 100)).result
        let byLookout = raised.security.attribution[3].referrals
        XCTAssertGreaterThan(byLookout, raised.security.referrals / 2)
        assertAttributionAddsUp(raised)
    }

    /// Biometric checks detect their violation type with their sensitivity, are attributed to the
    /// source, and scale primary service by their factor.
    func testBiometricChecksDetectAndChangeServiceTime() throws {
        let bio = IntelligenceSource(name: "e-gates", classes: [0], coverage: 1,
                                     evidence: .biometric(detects: 1, sensitivity: 0.8, serviceFactor: 0.5))
        let plain = try PortFixtures.run(try port(hours: 100))
        let run = try PortFixtures.run(try port(sources: [bio], hours: 100))
        let fraud = run.parties.filter { $0.violation == 1 && $0.outcome == .departed }
        let caught = fraud.filter(\.referred).count
        let n = Double(fraud.count)
        XCTAssertEqual(Double(caught), 0.8 * n, accuracy: 3.5 * (0.8 * 0.2 * n).squareRoot())
        XCTAssertEqual(run.result.security.attribution[3].referredByType[1], caught)
        XCTAssertEqual(run.result.security.attribution[3].referredByType[0], 0, "it detects its own type only")
        func service(_ t: TracedRun) -> Double {
            let times = t.parties.compactMap { p in p.serviceStart.flatMap { start in p.serviceEnd.map { $0 - start } } }
            return times.reduce(0, +) / Double(times.count)
        }
        XCTAssertEqual(service(run) / service(plain), 0.5, accuracy: 0.03)
        assertAttributionAddsUp(run.result)
    }

    /// A target fraction acts on the fused score: the share referred by the score is the fraction.
    func testTargetFractionSeesTheFusedScores() throws {
        let sources = [Self.score("api", auc: 0.85, coverage: 0.6, timeliness: 0.8),
                       IntelligenceSource(name: "watch", classes: [0], coverage: 0.5, timeliness: 1,
                                          evidence: .watchlist(hitRate: [0.5, 0.5], falseHitRate: 0.02, onHit: .raiseScore(1.5)))]
        let run = try PortFixtures.run(try port(sources: sources, rule: .targetFraction(0.1, randomRate: 0), hours: 100)).result
        let n = Double(run.security.inspected), share = Double(run.security.referrals) / n
        XCTAssertEqual(share, 0.1, accuracy: 3.5 * (0.1 * 0.9 / n).squareRoot())
        assertAttributionAddsUp(run)
    }

    /// Sources draw from the party's key and their own name: removing one leaves another's signals as they were.
    func testEachSourceDrawsFromItsOwnStreams() throws {
        let a = Self.score("api", auc: 0.8), b = Self.score("lookouts", auc: 0.75)
        let both = try PortFixtures.run(try port(sources: [a, b], rule: .threshold(1, randomRate: 0), hours: 12)).parties
        let reordered = try PortFixtures.run(try port(sources: [b, a], rule: .threshold(1, randomRate: 0), hours: 12)).parties
        XCTAssertEqual(both.count, reordered.count)
        for (x, y) in zip(both, reordered) { XCTAssertEqual(x.riskScore, y.riskScore, accuracy: 1e-12) }
    }
}

import XCTest
import CGSL
@_spi(GSL) import SimKernel
@testable import BorderModel

/// Risk scoring and the targeting decision. Statistical checks use fixed seeds and 99.9 % bands
/// (z = 3.29); each also checks that its band is narrow enough to catch a real error.
final class TargetingTests: XCTestCase {
    private let z999 = gsl_cdf_ugaussian_Pinv(0.9995)   // two-sided 99.9 %

    // MARK: helpers

    private func trafficClass(prevalence: Double = 0.02, advanceShare: Double = 0.4,
                              auc: Double = 0.8, aucAdvance: Double? = 0.95) -> TrafficClass {
        // Two violation types: the mixture must use their total prevalence.
        TrafficClass(name: "car", kind: .passengerVehicle, arrivals: .poisson(rate: 0.1),
                     advanceInfoShare: advanceShare,
                     violations: [ViolationPrevalence(type: 0, prevalence: prevalence * 0.75),
                                  ViolationPrevalence(type: 1, prevalence: prevalence * 0.25)],
                     risk: RiskScoreModel(auc: auc, aucWithAdvanceInfo: aucAdvance))
    }

    /// The attributes the engine draws at arrival: violator, advance info, score normal, uniform.
    private struct Party { var violator: Bool; var advance: Bool; var z: Double; var u: Double }

    private func parties(_ n: Int, prevalence: Double, advanceShare: Double,
                         replication: Int = 0, name: String = "attributes/car") -> [Party] {
        let s = RandomStream(masterSeed: 20_240_611, replication: replication, name: name)
        return (0..<n).map { _ in
            Party(violator: s.uniform() < prevalence, advance: s.uniform() < advanceShare,
                  z: gsl_ran_ugaussian(s.rng), u: s.uniform())
        }
    }

    /// Half-width of the 99.9 % normal-approximation band for a proportion p from n trials.
    private func binomialBand(_ p: Double, _ n: Int) -> Double { z999 * (p * (1 - p) / Double(n)).squareRoot() }

    /// AUC by the Mann–Whitney statistic: rank the pooled sample (ties averaged), U = R₁ − n₁(n₁+1)/2.
    private func mannWhitneyAUC(negatives: [Double], positives: [Double]) -> Double {
        let pooled = (negatives.map { ($0, false) } + positives.map { ($0, true) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0, i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1   // average of 1-based ranks i+1 ... j+1
            for k in i...j where pooled[k].1 { rankSum += rank }
            i = j + 1
        }
        let n1 = Double(positives.count), n0 = Double(negatives.count)
        return (rankSum - n1 * (n1 + 1) / 2) / (n0 * n1)
    }

    /// Hanley & McNeil (1982) standard error of an AUC estimate.
    private func hanleyMcNeilSE(auc a: Double, negatives n0: Int, positives n1: Int) -> Double {
        let q1 = a / (2 - a), q2 = 2 * a * a / (1 + a)
        let v = (a * (1 - a) + Double(n1 - 1) * (q1 - a * a) + Double(n0 - 1) * (q2 - a * a))
            / Double(n0 * n1)
        return v.squareRoot()
    }

    // MARK: scorer

    func testDPrimeMatchesClosedFormAndAdvanceInfoDefaultsToTheSame() {
        for auc in [0.6, 0.75, 0.9, 0.97] {
            let s = RiskScorer(model: RiskScoreModel(auc: auc))
            XCTAssertEqual(s.dPrime, 2.0.squareRoot() * gsl_cdf_ugaussian_Pinv(auc), accuracy: 1e-12)
            XCTAssertEqual(s.dPrimeWithAdvanceInfo, s.dPrime)
            XCTAssertEqual(RiskScorer.auc(dPrime: s.dPrime), auc, accuracy: 1e-12)
        }
        XCTAssertEqual(RiskScorer(model: RiskScoreModel(auc: 0.5)).dPrime, 0, accuracy: 1e-12)
        let adv = RiskScorer(model: RiskScoreModel(auc: 0.7, aucWithAdvanceInfo: 0.9))
        XCTAssertGreaterThan(adv.dPrimeWithAdvanceInfo, adv.dPrime)
        // Odd AUCs give finite separations, never a trap or ±∞.
        for odd in [0.0, 1.0, -3, 7, .nan] {
            XCTAssertTrue(RiskScorer(model: RiskScoreModel(auc: odd)).dPrime.isFinite, "\(odd)")
        }
    }

    func testScoreIsAShiftOfTheSameNormalDraw() {
        let s = RiskScorer(model: RiskScoreModel(auc: 0.8, aucWithAdvanceInfo: 0.95))
        XCTAssertEqual(s.score(violator: false, advanceInfo: false, z: 0.3), 0.3)
        XCTAssertEqual(s.score(violator: false, advanceInfo: true, z: 0.3), 0.3)
        XCTAssertEqual(s.score(violator: true, advanceInfo: false, z: 0.3), s.dPrime + 0.3)
        XCTAssertEqual(s.score(violator: true, advanceInfo: true, z: 0.3), s.dPrimeWithAdvanceInfo + 0.3)
    }

    func testBinormalScoresReproduceTheirAUC() {
        let n = 20_000
        for (k, auc) in [0.6, 0.75, 0.9, 0.97].enumerated() {
            let advAUC = min(auc + 0.02, 0.99)
            let scorer = RiskScorer(model: RiskScoreModel(auc: auc, aucWithAdvanceInfo: advAUC))
            let s = RandomStream(masterSeed: 77, replication: k, name: "scores")
            for (advance, target) in [(false, auc), (true, advAUC)] {
                let neg = (0..<n).map { _ in scorer.score(violator: false, advanceInfo: advance, z: gsl_ran_ugaussian(s.rng)) }
                let pos = (0..<n).map { _ in scorer.score(violator: true, advanceInfo: advance, z: gsl_ran_ugaussian(s.rng)) }
                let estimate = mannWhitneyAUC(negatives: neg, positives: pos)
                let band = z999 * hanleyMcNeilSE(auc: target, negatives: n, positives: n)
                XCTAssertLessThan(band, 0.015, "band too wide to detect an error")
                XCTAssertLessThan(abs(estimate - target), band, "AUC \(target) advance \(advance): \(estimate)")
            }
        }
    }

    func testMannWhitneyHelperOnKnownCases() {
        // The AUC test is only as good as its estimator.
        XCTAssertEqual(mannWhitneyAUC(negatives: [1, 2, 3], positives: [4, 5]), 1)
        XCTAssertEqual(mannWhitneyAUC(negatives: [4, 5], positives: [1, 2, 3]), 0)
        XCTAssertEqual(mannWhitneyAUC(negatives: [1, 3], positives: [2, 4]), 0.75)
        XCTAssertEqual(mannWhitneyAUC(negatives: [1, 2], positives: [2, 2]), 0.75)   // ties count ½
    }

    // MARK: target fraction

    func testDerivedThresholdSolvesTheMixtureSurvival() {
        let c = trafficClass()
        let mixture = ScoreMixture(trafficClass: c)
        for f in [1e-6, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9, 0.999] {
            let t = Targeter(policy: TargetingPolicy(rule: .targetFraction(f, randomRate: 0)), classes: [c])
                .derivedThreshold(classIndex: 0, trusted: false)!
            XCTAssertEqual(mixture.survival(t), f, accuracy: f * 1e-9, "fraction \(f)")
            // Violators push the threshold above the non-violators' own quantile.
            XCTAssertGreaterThan(t, gsl_cdf_ugaussian_Qinv(f))
        }
        // Clamping: 0 and below → +∞ (nobody by score), 1 and above → −∞ (everybody).
        for (f, expected) in [(0.0, Double.infinity), (-0.5, .infinity), (.nan, .infinity),
                              (1.0, -.infinity), (3.0, -.infinity)] {
            let t = Targeter(policy: TargetingPolicy(rule: .targetFraction(f, randomRate: 0)), classes: [c])
            XCTAssertEqual(t.derivedThreshold(classIndex: 0, trusted: false), expected, "\(f)")
        }
    }

    func testTargetFractionIsReferredByScoreAlone() {
        let c = trafficClass(prevalence: 0.02, advanceShare: 0.4)
        let scorer = RiskScorer(model: c.risk)
        let n = 200_000
        let ps = parties(n, prevalence: 0.02, advanceShare: 0.4)
        for f in [0.005, 0.01, 0.05, 0.2, 0.5] {
            let targeter = Targeter(policy: TargetingPolicy(rule: .targetFraction(f, randomRate: 0)), classes: [c])
            let referred = ps.filter {
                targeter.refers(classIndex: 0, trusted: false,
                                score: scorer.score(violator: $0.violator, advanceInfo: $0.advance, z: $0.z),
                                uRandom: $0.u, secondaryQueue: 0)
            }.count
            let rate = Double(referred) / Double(n)
            XCTAssertLessThan(abs(rate - f), binomialBand(f, n), "fraction \(f): \(rate)")
            // The band can tell a threshold that ignored the violators (N(0,1) quantile).
            let naive = gsl_cdf_ugaussian_Qinv(f)
            let naiveRate = Double(ps.filter { scorer.score(violator: $0.violator, advanceInfo: $0.advance, z: $0.z) > naive }.count) / Double(n)
            if f <= 0.05 { XCTAssertGreaterThan(abs(naiveRate - f), binomialBand(f, n), "fraction \(f)") }
        }
    }

    func testTargetFractionWithRandomSelectionReferralRateIsFPlusRTimesOneMinusF() {
        let c = trafficClass()
        let scorer = RiskScorer(model: c.risk)
        let n = 200_000, f = 0.1, r = 0.2
        let targeter = Targeter(policy: TargetingPolicy(rule: .targetFraction(f, randomRate: r)), classes: [c])
        let referred = parties(n, prevalence: 0.02, advanceShare: 0.4).filter {
            targeter.refers(classIndex: 0, trusted: false,
                            score: scorer.score(violator: $0.violator, advanceInfo: $0.advance, z: $0.z),
                            uRandom: $0.u, secondaryQueue: 0)
        }.count
        let expected = f + r * (1 - f)
        XCTAssertLessThan(abs(Double(referred) / Double(n) - expected), binomialBand(expected, n))
    }

    // MARK: simple rules

    func testRandomSelectionRateAndAllAndNone() {
        let n = 100_000
        let ps = parties(n, prevalence: 0.02, advanceShare: 0)
        for p in [0.01, 0.07, 0.3] {
            let t = Targeter(policy: TargetingPolicy(rule: .random(rate: p)), classes: [trafficClass()])
            // Score is irrelevant: pass a huge one; only u decides.
            let k = ps.filter { t.refers(classIndex: 0, trusted: false, score: 1e9, uRandom: $0.u, secondaryQueue: 0) }.count
            XCTAssertLessThan(abs(Double(k) / Double(n) - p), binomialBand(p, n), "rate \(p)")
        }
        let all = Targeter(policy: TargetingPolicy(rule: .all), classes: [trafficClass()])
        let none = Targeter(policy: TargetingPolicy(rule: .none), classes: [trafficClass()])
        for q in ps.prefix(1000) {
            XCTAssertTrue(all.refers(classIndex: 0, trusted: false, score: -1e9, uRandom: q.u, secondaryQueue: 0))
            XCTAssertFalse(none.refers(classIndex: 0, trusted: false, score: 1e9, uRandom: 0, secondaryQueue: 0))
        }
    }

    func testThresholdRuleExactSemantics() {
        let t = Targeter(policy: TargetingPolicy(rule: .threshold(1.5, randomRate: 0.1)), classes: [trafficClass()])
        XCTAssertTrue(t.refers(classIndex: 0, trusted: false, score: 1.6, uRandom: 0.9, secondaryQueue: 0))
        XCTAssertFalse(t.refers(classIndex: 0, trusted: false, score: 1.5, uRandom: 0.9, secondaryQueue: 0))
        XCTAssertTrue(t.refers(classIndex: 0, trusted: false, score: -5, uRandom: 0.05, secondaryQueue: 0))
        XCTAssertNil(t.derivedThreshold(classIndex: 0, trusted: false))
    }

    func testHigherThresholdRefersFewerWithTheSameDraws() {
        let c = trafficClass()
        let scorer = RiskScorer(model: c.risk)
        let ps = parties(50_000, prevalence: 0.02, advanceShare: 0.4)
        var previous: Set<Int>? = nil
        for threshold in [-1.0, 0, 0.5, 1, 2, 3] {
            let t = Targeter(policy: TargetingPolicy(rule: .threshold(threshold, randomRate: 0.01)), classes: [c])
            let referred = Set(ps.indices.filter {
                let p = ps[$0]
                return t.refers(classIndex: 0, trusted: false,
                                score: scorer.score(violator: p.violator, advanceInfo: p.advance, z: p.z),
                                uRandom: p.u, secondaryQueue: 0)
            })
            if let prev = previous {
                XCTAssertTrue(referred.isSubset(of: prev), "threshold \(threshold): not nested")
                XCTAssertLessThan(referred.count, prev.count, "threshold \(threshold)")
            }
            previous = referred
        }
    }

    func testCongestionAwareThresholdRisesWithQueueLength() {
        let c = trafficClass()
        let scorer = RiskScorer(model: c.risk)
        let ps = parties(50_000, prevalence: 0.02, advanceShare: 0.4)
        let (t0, slope, q0) = (1.0, 0.1, 5)
        let t = Targeter(policy: TargetingPolicy(rule: .congestionAware(threshold: t0, slope: slope, freeQueue: q0, randomRate: 0.01)),
                         classes: [c])
        let plain = Targeter(policy: TargetingPolicy(rule: .threshold(t0, randomRate: 0.01)), classes: [c])
        func count(_ targeter: Targeter, queue: Int) -> Int {
            ps.filter {
                targeter.refers(classIndex: 0, trusted: false,
                                score: scorer.score(violator: $0.violator, advanceInfo: $0.advance, z: $0.z),
                                uRandom: $0.u, secondaryQueue: queue)
            }.count
        }
        // Up to the free queue it is the plain threshold rule.
        let base = count(plain, queue: 0)
        XCTAssertEqual(count(t, queue: 0), base)
        XCTAssertEqual(count(t, queue: q0), base)
        var previous = base
        for q in [q0 + 1, q0 + 5, q0 + 20, q0 + 100] {
            let k = count(t, queue: q)
            XCTAssertLessThan(k, previous, "queue \(q)")
            previous = k
            // Exactly the threshold t0 + s·(q − q0).
            let shifted = Targeter(policy: TargetingPolicy(rule: .threshold(t0 + slope * Double(q - q0), randomRate: 0.01)), classes: [c])
            XCTAssertEqual(k, count(shifted, queue: 0), "queue \(q)")
        }
        // Odd inputs do not trap: infinite slope at a free queue, huge negative free queue.
        let odd = Targeter(policy: TargetingPolicy(rule: .congestionAware(threshold: 0, slope: .infinity, freeQueue: Int.min, randomRate: 0)), classes: [c])
        XCTAssertFalse(odd.refers(classIndex: 0, trusted: false, score: 1e300, uRandom: 0.5, secondaryQueue: Int.max))
        let oddFree = Targeter(policy: TargetingPolicy(rule: .congestionAware(threshold: 0, slope: .infinity, freeQueue: 10, randomRate: 0)), classes: [c])
        XCTAssertTrue(oddFree.refers(classIndex: 0, trusted: false, score: 1, uRandom: 0.5, secondaryQueue: 3))
    }

    // MARK: overrides

    func testPerClassAndTrustedOverridesPickTheRightRule() {
        let classes = [trafficClass(), trafficClass(prevalence: 0.1), trafficClass(), trafficClass(prevalence: 0.001)]
        let policy = TargetingPolicy(rule: .random(rate: 0.1),
                                     perClass: [1: .all, 2: .threshold(1, randomRate: 0), 3: .targetFraction(0.05, randomRate: 0),
                                                9: .all, -1: .all],   // unknown classes: ignored
                                     trusted: SelectionRule.none)   // not `.none`: that is Optional.none, no override
        let t = Targeter(policy: policy, classes: classes)
        XCTAssertEqual(t.rule(classIndex: 0, trusted: false), .random(rate: 0.1))
        XCTAssertEqual(t.rule(classIndex: 1, trusted: false), .all)
        XCTAssertEqual(t.rule(classIndex: 2, trusted: false), .threshold(1, randomRate: 0))
        XCTAssertEqual(t.rule(classIndex: 3, trusted: false), .targetFraction(0.05, randomRate: 0))
        for c in 0..<4 { XCTAssertEqual(t.rule(classIndex: c, trusted: true), SelectionRule.none) }

        XCTAssertTrue(t.refers(classIndex: 0, trusted: false, score: 0, uRandom: 0.05, secondaryQueue: 0))
        XCTAssertFalse(t.refers(classIndex: 0, trusted: false, score: 99, uRandom: 0.5, secondaryQueue: 0))
        XCTAssertTrue(t.refers(classIndex: 1, trusted: false, score: -99, uRandom: 0.99, secondaryQueue: 0))
        XCTAssertFalse(t.refers(classIndex: 1, trusted: true, score: 99, uRandom: 0, secondaryQueue: 0))
        XCTAssertTrue(t.refers(classIndex: 2, trusted: false, score: 1.01, uRandom: 0.99, secondaryQueue: 0))
        XCTAssertFalse(t.refers(classIndex: 2, trusted: false, score: 0.99, uRandom: 0, secondaryQueue: 0))

        // The derived threshold belongs to class 3's own mixture, not another class's.
        let t3 = t.derivedThreshold(classIndex: 3, trusted: false)!
        XCTAssertEqual(t3, ScoreMixture(trafficClass: classes[3]).threshold(forFraction: 0.05))
        XCTAssertNotEqual(t3, ScoreMixture(trafficClass: classes[1]).threshold(forFraction: 0.05))
        XCTAssertNil(t.derivedThreshold(classIndex: 3, trusted: true))

        // Unknown class indices get the default (untrusted) or trusted rule, without trapping.
        for c in [-1, 4, 9, Int.max, Int.min] {
            XCTAssertEqual(t.rule(classIndex: c, trusted: false), .random(rate: 0.1), "\(c)")
            XCTAssertEqual(t.rule(classIndex: c, trusted: true), SelectionRule.none, "\(c)")
        }

        // Without a trusted override, trusted parties follow their class's rule.
        let noTrusted = Targeter(policy: TargetingPolicy(rule: .none, perClass: [1: .all]), classes: classes)
        XCTAssertEqual(noTrusted.rule(classIndex: 1, trusted: true), .all)
        XCTAssertEqual(noTrusted.rule(classIndex: 0, trusted: true), SelectionRule.none)

        // A trusted target fraction is derived from the class's mixture.
        let trustedTF = Targeter(policy: TargetingPolicy(rule: .none, trusted: .targetFraction(0.01, randomRate: 0)), classes: classes)
        XCTAssertEqual(trustedTF.derivedThreshold(classIndex: 1, trusted: true)!,
                       ScoreMixture(trafficClass: classes[1]).threshold(forFraction: 0.01))
        XCTAssertNil(trustedTF.derivedThreshold(classIndex: 1, trusted: false))
    }

    // MARK: hit rate

    /// At a fixed referral fraction, a better score (higher AUC) puts more violators among those
    /// referred. Replications with the same draws for every AUC (common random numbers); the
    /// paired differences must be positive with 99.9 % confidence (Student's t), and each
    /// replication's hit rate must match the binormal model's π·Q(t − d′)/f.
    func testHigherAUCGivesHigherHitRateAtTheSameReferralFraction() {
        let aucs = [0.6, 0.75, 0.9, 0.97], f = 0.05, prevalence = 0.02
        let n = 40_000, replications = 10
        var differences = Array(repeating: SampleSummary(), count: aucs.count - 1)
        for rep in 0..<replications {
            let ps = parties(n, prevalence: prevalence, advanceShare: 0, replication: rep)
            var hitRates: [Double] = []
            for auc in aucs {
                let c = trafficClass(prevalence: prevalence, advanceShare: 0, auc: auc, aucAdvance: nil)
                let scorer = RiskScorer(model: c.risk)
                let targeter = Targeter(policy: TargetingPolicy(rule: .targetFraction(f, randomRate: 0)), classes: [c])
                var referred = 0, hits = 0
                for p in ps where targeter.refers(classIndex: 0, trusted: false,
                                                  score: scorer.score(violator: p.violator, advanceInfo: false, z: p.z),
                                                  uRandom: p.u, secondaryQueue: 0) {
                    referred += 1
                    if p.violator { hits += 1 }
                }
                let hitRate = Double(hits) / Double(referred)
                let t = targeter.derivedThreshold(classIndex: 0, trusted: false)!
                let expected = prevalence * gsl_cdf_ugaussian_Q(t - scorer.dPrime) / f
                XCTAssertLessThan(abs(hitRate - expected), binomialBand(expected, referred),
                                  "rep \(rep) AUC \(auc): \(hitRate) vs \(expected)")
                hitRates.append(hitRate)
            }
            for i in 0..<(aucs.count - 1) { differences[i].add(hitRates[i + 1] - hitRates[i]) }
        }
        for (i, d) in differences.enumerated() {
            let lower = d.mean - d.halfWidth(level: 0.999)
            XCTAssertGreaterThan(lower, 0, "AUC \(aucs[i]) → \(aucs[i + 1]): \(d.mean) ± \(d.halfWidth(level: 0.999))")
        }
    }
}

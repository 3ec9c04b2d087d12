import XCTest
@testable import SimKernel

/// `Distribution.scaled(by:)`: the distribution of c·X. Mean and variance scale by c and c² for
/// every form; continuous families are re-parametrised (no wrapper); with the same seed a scaled
/// distribution draws c times what the original draws; bad factors throw naming `factor`.
final class DistributionScalingTests: XCTestCase {
    /// One of every form (and the variants that take different code paths).
    func everyForm() throws -> [(String, Distribution)] {
        [
            ("deterministic", try .deterministic(45)),
            ("deterministic-negative", try .deterministic(-3)),
            ("uniform", try .uniform(min: 2, max: 8)),
            ("exponential", try .exponential(mean: 30)),
            ("erlang", try .erlang(k: 3, mean: 60)),
            ("gamma", try .gamma(shape: 2.5, scale: 12)),
            ("lognormal-mu-sigma", try .lognormal(mu: 4, sigma: 0.4)),
            ("lognormal-moments", try .lognormal(mean: 60, sd: 25)),
            ("weibull", try .weibull(shape: 1.5, scale: 60)),
            ("normal", try .normal(mean: 60, sd: 10)),
            ("truncated-normal-lower", try .truncatedNormal(mu: 45, sigma: 10, lower: 0)),
            ("truncated-normal-both", try .truncatedNormal(mu: 60, sigma: 30, lower: 10, upper: 300)),
            ("truncated-normal-upper-tail", try .truncatedNormal(mu: 0, sigma: 1, lower: 2, upper: 4)),
            ("triangular", try .triangular(min: 20, mode: 40, max: 120)),
            ("beta", try .beta(alpha: 2, beta: 5, min: 0, max: 600)),
            ("bernoulli", try .bernoulli(p: 0.3)),
            ("binomial", try .binomial(n: 300, p: 0.8)),
            ("poisson", try .poisson(mean: 40)),
            ("geometric", try .geometric(p: 0.1)),
            ("empirical-discrete-samples", try .empiricalDiscrete(samples: [30, 45, 45, 60, 90])),
            ("empirical-discrete-cdf", try .empiricalDiscrete(values: [1, 2, 5], cumulative: [0.5, 0.8, 1])),
            ("empirical-continuous-samples", try .empiricalContinuous(samples: [30, 45, 60, 90, 200])),
            ("empirical-continuous-cdf", try .empiricalContinuous(values: [0, 30, 120], cumulative: [0, 0.5, 1])),
            ("mixture", try .mixture([(0.9, .exponential(mean: 40)), (0.1, .lognormal(mean: 300, sd: 100))])),
            ("mixture-nested", try .mixture([(1, .mixture([(1, .uniform(min: 0, max: 10)), (3, .poisson(mean: 4))])),
                                             (2, .deterministic(7))])),
        ]
    }

    func testMeanAndVarianceScaleByCAndCSquaredForEveryForm() throws {
        for (name, d) in try everyForm() {
            for c in [0.25, 1.5, 3.0, 1e-3, 1e3] {
                let s = try d.scaled(by: c)
                XCTAssertEqual(s.mean, c * d.mean, accuracy: 1e-9 * Swift.max(1e-12, abs(c * d.mean)), "\(name) × \(c): mean")
                XCTAssertEqual(s.variance, c * c * d.variance, accuracy: 1e-9 * Swift.max(1e-12, c * c * d.variance),
                               "\(name) × \(c): variance")
            }
        }
    }

    /// Families closed under scaling stay in the family (the wrapper is only for counts).
    func testContinuousFormsAreReparametrised() throws {
        for (name, d) in try everyForm() {
            let s = try d.scaled(by: 2)
            let wrapped: Bool
            if case .scaled = s.form { wrapped = true } else { wrapped = false }
            let counts = ["bernoulli", "binomial", "poisson", "geometric"]
            XCTAssertEqual(wrapped, counts.contains(name), "\(name): \(s)")
        }
        XCTAssertEqual(try Distribution.exponential(mean: 30).scaled(by: 2).description, "exponential(mean 60)")
        XCTAssertEqual(try Distribution.erlang(k: 3, mean: 30).scaled(by: 1.5).description, "erlang(k 3, mean 45)")
        XCTAssertEqual(try Distribution.lognormal(mean: 60, sd: 25).scaled(by: 1.1).description, "lognormal(mean 66, sd 27.5)")
        XCTAssertEqual(try Distribution.uniform(min: 30, max: 90).scaled(by: 2).description, "uniform(min 60, max 180)")
        XCTAssertEqual(try Distribution.truncatedNormal(mu: 45, sigma: 10, lower: 0).scaled(by: 2).description,
                       "truncatedNormal(mu 90, sigma 20, lower 0, upper inf)")
        XCTAssertEqual(try Distribution.beta(alpha: 2, beta: 5, min: 10, max: 20).scaled(by: 3).description,
                       "beta(alpha 2, beta 5, min 30, max 60)")
        XCTAssertEqual(try Distribution.poisson(mean: 4).scaled(by: 2).description, "2 × poisson(mean 4)")
        // Wrapping twice multiplies the factors; back to 1 gives the original.
        let p = try Distribution.poisson(mean: 4)
        XCTAssertEqual(try p.scaled(by: 2).scaled(by: 3).description, "6 × poisson(mean 4)")
        XCTAssertEqual(try p.scaled(by: 2).scaled(by: 0.5).description, "poisson(mean 4)")
        // A factor of 1 is the identity.
        XCTAssertEqual(try p.scaled(by: 1).description, p.description)
    }

    /// With the same seed, a draw of c·X is c times the draw of X (every sampler here is a
    /// transformation of the same uniforms, and a scaled table keeps its weights).
    func testSeededDrawsAreScaledDraws() throws {
        let c = 1.37
        for (name, d) in try everyForm() {
            let s = try d.scaled(by: c)
            let a = RandomStream(masterSeed: 7, replication: 3, name: "scaling/" + name)
            let b = RandomStream(masterSeed: 7, replication: 3, name: "scaling/" + name)
            for i in 0..<2_000 {
                let x = d.sample(a), y = s.sample(b)
                if abs(y - c * x) > 1e-9 * Swift.max(1, abs(c * x)) {
                    XCTFail("\(name): draw \(i) is \(y), expected \(c) × \(x) = \(c * x)")
                    break
                }
            }
        }
    }

    /// And the draws agree with the scaled moments (a 99.9 % band on the mean).
    func testSampleMeanOfScaledDistribution() throws {
        let n = 200_000
        for (name, d) in [("lognormal", try Distribution.lognormal(mean: 60, sd: 25)), ("poisson", try .poisson(mean: 4)),
                          ("truncated", try .truncatedNormal(mu: 45, sigma: 20, lower: 0))] {
            let s = try d.scaled(by: 1.8)
            let stream = RandomStream(masterSeed: 1, replication: 0, name: "scaling-moments/" + name)
            var sum = 0.0
            for _ in 0..<n { sum += s.sample(stream) }
            let halfWidth = 3.29 * (s.variance / Double(n)).squareRoot()
            XCTAssertEqual(sum / Double(n), 1.8 * d.mean, accuracy: halfWidth, name)
        }
    }

    func testBadFactorsThrowNamingTheFactor() throws {
        let d = try Distribution.exponential(mean: 30)
        for c: Double in [0, -1, .nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try d.scaled(by: c), "\(c)") { error in
                guard let e = error as? DistributionError else { return XCTFail("not a DistributionError: \(error)") }
                XCTAssertEqual(e.distribution, "scaled")
                XCTAssertEqual(e.parameter, "factor")
                XCTAssertTrue(e.message.hasPrefix("scaled: factor must be a finite number > 0, got "), e.message)
            }
        }
        XCTAssertThrowsError(try d.scaled(by: 0)) { XCTAssertEqual("\($0)", "scaled: factor must be a finite number > 0, got 0") }
        // Overflow of a parameter is refused, not turned into inf.
        XCTAssertThrowsError(try Distribution.exponential(mean: 1e300).scaled(by: 1e10)) { error in
            XCTAssertEqual((error as? DistributionError)?.parameter, "factor")
        }
        XCTAssertThrowsError(try Distribution.mixture([(1, .deterministic(1)), (1, .uniform(min: 0, max: 1e308))]).scaled(by: 10))
    }
}

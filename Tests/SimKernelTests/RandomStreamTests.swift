import XCTest
import CGSL
@testable import SimKernel

final class RandomStreamTests: XCTestCase {
    private func draws(_ s: RandomStream, _ n: Int = 1000) -> [Double] { (0..<n).map { _ in s.uniform() } }

    func testSameSeedReplicationAndNameGiveTheSameSequence() {
        let a = RandomStream(masterSeed: 1, replication: 3, name: "arrivals/car")
        let b = RandomStream(masterSeed: 1, replication: 3, name: "arrivals/car")
        XCTAssertEqual(draws(a), draws(b))
    }

    func testDifferentNamesReplicationsAndSeedsGiveDifferentSequences() {
        let base = draws(RandomStream(masterSeed: 1, replication: 0, name: "arrivals/car"))
        for other in [RandomStream(masterSeed: 1, replication: 0, name: "arrivals/truck"),
                      RandomStream(masterSeed: 1, replication: 1, name: "arrivals/car"),
                      RandomStream(masterSeed: 2, replication: 0, name: "arrivals/car")] {
            let d = draws(other)
            XCTAssertNotEqual(d, base)
            // Not merely shifted copies of each other: no long common run at any lag ≤ 50.
            let s = Set(base.prefix(500))
            XCTAssertLessThan(d.filter { s.contains($0) }.count, 3)
        }
    }

    func testAddingAStreamLeavesTheOthersUnchanged() {
        let family1 = StreamFamily(masterSeed: 9, replication: 2)
        let before = draws(family1.stream("service/lane-1"))
        let family2 = StreamFamily(masterSeed: 9, replication: 2)
        _ = draws(family2.stream("detection"), 5000)              // a new stream, used first
        _ = draws(family2.stream("breakdowns/scanner"), 123)
        XCTAssertEqual(draws(family2.stream("service/lane-1")), before)
    }

    func testDerivationMixesWell() {
        // Keys of neighbouring replications differ in about half their bits (avalanche).
        var flips = 0
        for r in 0..<200 {
            let a = StreamSeed.key(masterSeed: 5, replication: r, name: "x")
            let b = StreamSeed.key(masterSeed: 5, replication: r + 1, name: "x")
            flips += (a ^ b).nonzeroBitCount
        }
        let meanFlips = Double(flips) / 200
        XCTAssertEqual(meanFlips, 32, accuracy: 2)
    }

    func testUniformsLookUniform() {
        // Chi-square over 20 bins, 100,000 draws: the 99.9% point of χ²(19) is 43.8.
        let s = RandomStream(masterSeed: 11, replication: 0, name: "u")
        var bins = [Int](repeating: 0, count: 20)
        let n = 100_000
        for _ in 0..<n { bins[Int(s.uniform() * 20)] += 1 }
        let expected = Double(n) / 20
        let chi2 = bins.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        XCTAssertLessThan(chi2, gsl_cdf_chisq_Pinv(0.999, 19))
    }
}

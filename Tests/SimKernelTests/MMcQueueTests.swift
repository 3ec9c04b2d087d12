import XCTest
@testable import SimKernel
import KernelExamples

/// The kernel against queueing theory: an M/M/c queue written directly on the kernel must
/// reproduce the Erlang C mean wait within the 99% confidence interval of 20 replications.
final class MMcQueueTests: XCTestCase {
    private func check(λ: Double, μ: Double, c: Int, horizon: Double, warmUp: Double,
                       file: StaticString = #filePath, line: UInt = #line) {
        let p = MMcQueue.Parameters(arrivalRate: λ, serviceRate: μ, servers: c,
                                    horizon: horizon, warmUp: warmUp)
        var waits = SampleSummary()
        for r in 0..<20 { waits.add(MMcQueue.run(p, seed: 2026, replication: r).meanWait) }
        let theory = MMcQueue.erlangCWait(arrivalRate: λ, serviceRate: μ, servers: c)
        let ci = waits.confidenceInterval(level: 0.99)
        XCTAssertTrue(ci.contains(theory),
                      "M/M/\(c): Erlang C Wq = \(theory) outside the 99% CI \(ci)", file: file, line: line)
        // The interval must be informative, not trivially wide.
        XCTAssertLessThan(waits.halfWidth(level: 0.99), 0.1 * theory, file: file, line: line)
    }

    func testSingleServerMatchesErlangC() {          // ρ = 0.8, Wq = 4
        check(λ: 0.8, μ: 1, c: 1, horizon: 50_000, warmUp: 1_000)
    }

    func testTenServersMatchErlangC() {              // ρ = 0.9, Wq ≈ 0.6687
        check(λ: 9, μ: 1, c: 10, horizon: 10_000, warmUp: 500)
    }

    func testErlangCFormulaAgainstKnownValues() {
        // M/M/1: Wq = ρ/(μ − λ); M/M/10 at λ=9: 0.6687 (published tables).
        XCTAssertEqual(MMcQueue.erlangCWait(arrivalRate: 0.9, serviceRate: 1, servers: 1), 9, accuracy: 1e-9)
        XCTAssertEqual(MMcQueue.erlangCWait(arrivalRate: 9, serviceRate: 1, servers: 10), 0.6687, accuracy: 1e-4)
    }
}

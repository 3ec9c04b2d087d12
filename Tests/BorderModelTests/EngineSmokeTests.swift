import XCTest
import SimKernel
@testable import BorderModel

final class EngineSmokeTests: XCTestCase {
    func testSmallLandPortRunsAndConserves() throws {
        let sim = try PortSimulation(config: try PortFixtures.smallLandPort(), seed: 1, replication: 0)
        sim.checksInvariants = true
        let r = sim.run()
        XCTAssertEqual(sim.invariantViolations, [])
        XCTAssertGreaterThan(r.partiesArrived, 5000)
        for f in r.laneClass {
            XCTAssertEqual(f.inSystemAtStart + f.arrived, f.departed + f.balked + f.reneged + f.inSystemAtEnd)
        }
        for t in r.security.byType {
            XCTAssertEqual(t.inSystemAtStart + t.arrived, t.detected + t.missed + t.abandoned + t.inSystemAtEnd)
        }
    }
}

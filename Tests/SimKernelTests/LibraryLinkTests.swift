import XCTest
import CGSL
import CHDF5

/// The C libraries the package builds on are found and linked.
final class LibraryLinkTests: XCTestCase {
    func testGSLIsLinked() {
        XCTAssertEqual(gsl_cdf_ugaussian_P(0), 0.5, accuracy: 1e-15)
        XCTAssertEqual(gsl_cdf_tdist_Pinv(0.975, 19), 2.093, accuracy: 1e-3)
    }

    func testHDF5IsLinked() {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        XCTAssertGreaterThanOrEqual(H5get_libversion(&major, &minor, &release), 0)
        XCTAssertGreaterThanOrEqual(major, 1)
        XCTAssertGreaterThanOrEqual(minor, 10)
    }
}

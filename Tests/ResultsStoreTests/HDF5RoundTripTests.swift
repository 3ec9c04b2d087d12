import Foundation
import ResultsStore
import XCTest

/// Every element type and shape written through the HDF5 layer reads back identical, from a
/// file closed and reopened.
final class HDF5RoundTripTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-h5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    let shapes: [[Int]] = [[], [0], [7], [3, 4], [2, 3, 4], [1, 0, 5], [2, 3, 2, 2]]

    func roundTrip<T: H5Element & Equatable>(_ type: T.Type, _ make: (Int) -> T, kind: H5ValueKind) throws {
        let file = path("\(T.h5Name).h5")
        let f = try H5File.create(file)
        for (i, shape) in shapes.enumerated() {
            let values = (0..<shape.reduce(1, *)).map(make)
            try f.createDataset("d\(i)", values, shape: shape)
        }
        try f.close()
        let g = try H5File.open(file)
        for (i, shape) in shapes.enumerated() {
            let d = try g.dataset("d\(i)")
            XCTAssertEqual(try d.shape(), shape, "\(T.h5Name) \(shape)")
            XCTAssertEqual(try d.kind(), kind)
            XCTAssertEqual(try d.read(as: T.self), (0..<shape.reduce(1, *)).map(make), "\(T.h5Name) \(shape)")
        }
        try g.close()
    }

    func testNumericTypesAndShapes() throws {
        try roundTrip(Double.self, { i in i % 3 == 0 ? -Double(i) * 1.5e-300 : Double(i) / 7 }, kind: .float(bytes: 8))
        try roundTrip(Int64.self, { i in i % 2 == 0 ? Int64.min + Int64(i) : Int64.max - Int64(i) }, kind: .signed(bytes: 8))
        try roundTrip(Int32.self, { i in Int32(i) * -1_000_003 }, kind: .signed(bytes: 4))
        try roundTrip(UInt8.self, { i in UInt8(truncatingIfNeeded: i * 37) }, kind: .unsigned(bytes: 1))
        try roundTrip(UInt64.self, { i in UInt64.max - UInt64(i) }, kind: .unsigned(bytes: 8))
    }

    func testSpecialFloatsSurvive() throws {
        let f = try H5File.create(path("floats.h5"))
        try f.createDataset("x", [Double.nan, .infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
        try f.close()
        let x = try H5File.open(path("floats.h5")).dataset("x").read(as: Double.self)
        XCTAssertTrue(x[0].isNaN)
        XCTAssertEqual(Array(x[1...]), [.infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude])
        XCTAssertEqual(x[3].sign, .minus)
    }

    func testStrings() throws {
        let words = ["general", "", "pédestrian", "雪", "with space", "emoji 🚗", "x"]
        let f = try H5File.create(path("strings.h5"))
        try f.createDataset("one", strings: words)
        try f.createDataset("two", strings: Array(words.prefix(6)), shape: [2, 3])
        try f.createDataset("three", strings: Array(repeating: "a", count: 8), shape: [2, 2, 2])
        try f.createDataset("none", strings: [])
        try f.close()
        let g = try H5File.open(path("strings.h5"))
        XCTAssertEqual(try g.dataset("one").readStrings(), words)
        XCTAssertEqual(try g.dataset("two").shape(), [2, 3])
        XCTAssertEqual(try g.dataset("two").readStrings(), Array(words.prefix(6)))
        XCTAssertEqual(try g.dataset("three").readStrings().count, 8)
        XCTAssertEqual(try g.dataset("none").readStrings(), [])
        XCTAssertEqual(try g.dataset("one").kind(), .string)
    }

    func testAttributesOfEveryKind() throws {
        let big = String(repeating: "lanes:\n  - name: general\n", count: 10_000)  // ~250 KB, beyond compact storage
        let f = try H5File.create(path("attributes.h5"))
        let group = try f.createGroup("g")
        try group.setAttribute("double", 2.5)
        try group.setAttribute("int", Int64(-42))
        try group.setAttribute("byte", UInt8(1))
        try group.setAttribute("seed", UInt64.max)
        try group.setAttribute("doubles", [1.0, 2.0, .nan])
        try group.setAttribute("ints", [Int64(1), 2, 3])
        try group.setAttribute("text", "durée ✓")
        try group.setAttribute("texts", ["a", "", "c"])
        try group.setAttribute("big", big)
        try group.setAttribute("int", Int64(7))  // replaced, not duplicated
        try f.close()
        let g = try H5File.open(path("attributes.h5")).group("g")
        XCTAssertEqual(try g.attribute("double", as: Double.self), [2.5])
        XCTAssertEqual(try g.attribute("int", as: Int64.self), [7])
        XCTAssertEqual(try g.attribute("byte", as: UInt8.self), [1])
        XCTAssertEqual(try g.attribute("seed", as: UInt64.self), [UInt64.max])
        let doubles = try g.attribute("doubles", as: Double.self)
        XCTAssertEqual(Array(doubles.prefix(2)), [1, 2]); XCTAssertTrue(doubles[2].isNaN)
        XCTAssertEqual(try g.attribute("ints", as: Int64.self), [1, 2, 3])
        XCTAssertEqual(try g.stringAttribute("text"), ["durée ✓"])
        XCTAssertEqual(try g.stringAttribute("texts"), ["a", "", "c"])
        XCTAssertEqual(try g.stringAttribute("big"), [big])
        XCTAssertEqual(try g.attributeNames(), ["big", "byte", "double", "doubles", "int", "ints", "seed", "text", "texts"])
        XCTAssertEqual(try g.attributeInfo("texts").shape, [3])
        XCTAssertEqual(try g.attributeInfo("text").shape, [])
        XCTAssertThrowsError(try g.attribute("text", as: Double.self))
        XCTAssertThrowsError(try g.stringAttribute("missing")) { XCTAssertTrue("\($0)".contains("missing")) }
    }

    func testChunkedCompressedSeries() throws {
        let values = (0..<(4 * 1000 * 3)).map { Double($0 % 97) }  // compressible
        let f = try H5File.create(path("chunked.h5"))
        try f.createDataset("s", values, shape: [4, 1000, 3], storage: .chunked([1, 256, 3], deflate: 6))
        try f.createDataset("empty", [Double](), shape: [0, 10], storage: .chunked([1, 10]))
        try f.close()
        let g = try H5File.open(path("chunked.h5"))
        let s = try g.dataset("s")
        XCTAssertEqual(try s.read(as: Double.self), values)
        XCTAssertEqual(try s.storage().chunk, [1, 256, 3])
        XCTAssertTrue(try s.storage().deflate)
        XCTAssertEqual(try g.dataset("empty").shape(), [0, 10])
        let size = try FileManager.default.attributesOfItem(atPath: path("chunked.h5"))[.size] as! Int
        XCTAssertLessThan(size, values.count * 8 / 4, "deflate should shrink a periodic series at least 4×")
    }

    func testDimensionScalesNameTheAxes() throws {
        let f = try H5File.create(path("scales.h5"))
        let lane = try f.createDataset("lane", strings: ["general", "ready"])
        try lane.makeScale("lane")
        let rep = try f.createDataset("replication", [Int64(0), 1, 2])
        try rep.makeScale("replication")
        let data = try f.createGroup("t").createDataset("x", [Double](repeating: 1, count: 6), shape: [3, 2])
        try data.attach(rep, to: 0, label: "replication")
        try data.attach(lane, to: 1, label: "lane")
        try f.close()
        let x = try H5File.open(path("scales.h5")).group("t").dataset("x")
        XCTAssertEqual(try x.dimensionLabels(), ["replication", "lane"])
        XCTAssertEqual(try x.attachedScaleNames(), ["replication", "lane"])
        let unlabelled = try H5File.open(path("scales.h5")).dataset("lane")
        XCTAssertEqual(try unlabelled.attachedScaleNames(), [nil])
    }

    func testAppendableColumnsGrowInChunks() throws {
        let f = try H5File.create(path("columns.h5"))
        let column = try f.createColumn("t", of: Double.self, chunkRows: 100)
        let flags = try f.createColumn("flag", of: UInt8.self, chunkRows: 100, deflate: 1)
        var expected: [Double] = []
        for batch in 0..<7 {
            let values = (0..<(batch * 53)).map { Double(batch * 1000 + $0) }
            try values.withUnsafeBufferPointer { try column.append($0) }
            try [UInt8](repeating: UInt8(batch), count: batch).withUnsafeBufferPointer { try flags.append($0) }
            expected += values
        }
        try f.close()
        let g = try H5File.open(path("columns.h5"))
        XCTAssertEqual(try g.dataset("t").read(as: Double.self), expected)
        XCTAssertEqual(try g.dataset("flag").read(as: UInt8.self).count, 21)
        XCTAssertEqual(try g.dataset("t").storage().chunk, [100])
    }

    func testGroupsListAndNest() throws {
        let f = try H5File.create(path("groups.h5"))
        try f.createGroup("b").createGroup("c").createDataset("z", [Int64(1)])
        try f.createGroup("a").createDataset("y", [Int64(2)])
        try f.createDataset("x", [Int64(3)])
        try f.close()
        let g = try H5File.open(path("groups.h5"))
        XCTAssertEqual(try g.memberNames(), ["a", "b", "x"])
        XCTAssertEqual(try g.datasetPaths(), ["/a/y", "/b/c/z", "/x"])
        XCTAssertTrue(g.contains("a")); XCTAssertFalse(g.contains("nope"))
        XCTAssertTrue(try g.isGroup("b")); XCTAssertFalse(try g.isGroup("x"))
    }

    // MARK: Errors carry HDF5's own reason

    func testFailuresBecomeErrorsWithTheStackMessage() throws {
        XCTAssertThrowsError(try H5File.open(path("absent.h5"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("absent.h5"), text)
            XCTAssertTrue(text.contains("No such file") || text.contains("unable to open"), text)
            XCTAssertFalse((error as! HDF5Error).stack.isEmpty)
        }
        let f = try H5File.create(path("errors.h5"))
        _ = try f.createGroup("g")
        XCTAssertThrowsError(try f.createGroup("g")) { XCTAssertTrue("\($0)".contains("/g"), "\($0)") }
        XCTAssertThrowsError(try f.createDataset("five", [Double](repeating: 0, count: 32), shape: [2, 2, 2, 2, 2])) {
            XCTAssertTrue("\($0)".contains("1 to 4 dimensions"), "\($0)")
        }
        XCTAssertThrowsError(try f.createDataset("short", [1.0, 2.0], shape: [3]))
        try f.createDataset("names", strings: ["a"])
        XCTAssertThrowsError(try f.dataset("names").read(as: Double.self)) { XCTAssertTrue("\($0)".contains("string"), "\($0)") }
        XCTAssertThrowsError(try f.dataset("nothing"))
        try f.close()
        // Creating over an existing file without truncation fails, and the old file survives.
        XCTAssertThrowsError(try H5File.create(path("errors.h5"), truncate: false))
        XCTAssertTrue(try H5File.open(path("errors.h5")).contains("g"))
    }

    func testNonHDF5FilesAreRecognised() throws {
        try Data("just text\n".utf8).write(to: URL(fileURLWithPath: path("text.h5")))
        XCTAssertFalse(H5File.isHDF5(path("text.h5")))
        XCTAssertThrowsError(try H5File.open(path("text.h5")))
    }
}

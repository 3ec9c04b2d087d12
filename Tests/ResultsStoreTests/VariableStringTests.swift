import Foundation
import CHDF5
@testable import ResultsStore
import XCTest

/// Variable-length strings are read by bordersim from the file's global heap (`H5VariableStrings`),
/// in every layout HDF5 stores them: a damaged heap reference is an error, never a crash, and
/// intact strings read back as written.
final class VariableStringTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-vls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    let words = ["general", "", "pédestrian", "雪", "emoji 🚗", String(repeating: "long ", count: 2_000)]

    /// A file with strings in a contiguous dataset, a chunked compressed one, a dense-storage
    /// attribute and dimension labels; each holds one marker string to find it by in the bytes.
    func writeFile(_ name: String) throws -> String {
        let file = directory.appendingPathComponent(name).path
        let f = try H5File.create(file)
        let g = try f.createGroup("g")
        try g.createDataset("contiguous", strings: words + ["MARKER-contiguous"])
        try g.createDataset("chunked", strings: words + ["MARKER-chunked"], storage: .chunked([2], deflate: 4))
        try g.setAttribute("texts", words + ["MARKER-attribute"])
        let axis = try g.createDataset("axis", strings: ["a", "b"])
        try axis.makeScale("axis")
        let values = try g.createDataset("values", [1.0, 2.0, 3.0, 4.0], shape: [2, 2])
        try values.attach(axis, to: 0, label: "MARKER-label")
        try values.attach(axis, to: 1, label: "second")   // labelling reads the first label back
        try f.close()
        return file
    }

    func testStringsReadBackInEveryLayout() throws {
        let g = try H5File.open(try writeFile("ok.h5")).group("g")
        XCTAssertEqual(try g.dataset("contiguous").readStrings(), words + ["MARKER-contiguous"])
        XCTAssertEqual(try g.dataset("chunked").readStrings(), words + ["MARKER-chunked"])
        XCTAssertEqual(try g.stringAttribute("texts"), words + ["MARKER-attribute"])
        XCTAssertEqual(try g.dataset("values").dimensionLabels(), ["MARKER-label", "second"])
    }

    /// Rewrites every heap object holding `marker` (a relabelled axis leaves an old copy): its
    /// index (2 bytes, 16 before the string) or its size (8 bytes, 8 before).
    func damage(_ file: String, marker: String, index: UInt16? = nil, size: UInt64? = nil) throws {
        try damage(file, content: Data(marker.utf8), index: index, size: size)
    }

    func damage(_ file: String, content: Data, index: UInt16? = nil, size: UInt64? = nil) throws {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        var from = bytes.startIndex, damaged = 0
        while let found = bytes.range(of: content, in: from ..< bytes.endIndex) {
            from = found.upperBound
            let object = found.lowerBound - 16
            guard object >= 0, bytes[object + 8] == UInt8(content.count), bytes[object + 9] == 0 else { continue }   // not a heap object
            if let index { withUnsafeBytes(of: index.littleEndian) { bytes.replaceSubrange(object ..< object + 2, with: $0) } }
            if let size { withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(object + 8 ..< object + 16, with: $0) } }
            damaged += 1
        }
        XCTAssertGreaterThan(damaged, 0, "no heap object holds \(content.count) bytes \(Array(content.prefix(16)))")
        try bytes.write(to: URL(fileURLWithPath: file))
    }

    func assertDamaged<T>(_ read: @autoclosure () throws -> T, _ what: String, line: UInt = #line) {
        XCTAssertThrowsError(try read(), what, line: line) { error in
            XCTAssertTrue("\(error)".contains("damaged string reference"), "\(what): \(error)", line: line)
        }
    }

    func testAMissingHeapObjectIsAnErrorInEveryLayout() throws {
        for (marker, read) in [
            ("MARKER-contiguous", { (g: H5Group) in _ = try g.dataset("contiguous").readStrings() }),
            ("MARKER-chunked", { g in _ = try g.dataset("chunked").readStrings() }),
            ("MARKER-attribute", { g in _ = try g.stringAttribute("texts") }),
            ("MARKER-label", { g in _ = try g.dataset("values").dimensionLabels() }),
        ] {
            let file = try writeFile("\(marker)-index.h5")
            try damage(file, marker: marker, index: 900)   // libhdf5 1.10 would read a null pointer here
            let f = try H5File.open(file)
            assertDamaged(try read(f.group("g")), marker)
            try f.close()
        }
    }

    func testADamagedScaleListIsAnError() throws {
        // A dimension's scales are a list of object references in the global heap: one object
        // of 8 bytes, the scale's address.
        let file = try writeFile("scales.h5")
        let address: UInt64 = try {
            let f = try H5File.open(file)
            defer { try? f.close() }
            XCTAssertEqual(try f.group("g").dataset("values").attachedScaleNames(), ["axis", "axis"])
            var info = H5O_info_t()
            XCTAssertGreaterThanOrEqual(H5Oget_info_by_name2(f.id, "g/axis", &info, UInt32(H5O_INFO_BASIC), bordersim_H5P_DEFAULT()), 0)
            return UInt64(info.addr)
        }()
        try damage(file, content: withUnsafeBytes(of: address.littleEndian) { Data($0) }, index: 900)
        let f = try H5File.open(file)
        assertDamaged(try f.group("g").dataset("values").attachedScaleNames(), "scales")
    }

    func testAHeapObjectLongerThanItsStringIsAnError() throws {
        // libhdf5 1.10 would copy the object's size into a buffer of the string's length.
        let file = try writeFile("size.h5")
        try damage(file, marker: "MARKER-attribute", size: 4_000)
        let g = try H5File.open(file).group("g")
        assertDamaged(try g.stringAttribute("texts"), "attribute")
        XCTAssertEqual(try g.dataset("contiguous").readStrings(), words + ["MARKER-contiguous"], "other strings read on")
    }

    func testACollectionLargerThanTheFileIsAnError() throws {
        let file = try writeFile("collection.h5")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        var at = bytes.startIndex, damaged = 0
        while let r = bytes.range(of: Data("GCOL".utf8), in: at ..< bytes.endIndex) {
            withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { bytes.replaceSubrange(r.lowerBound + 8 ..< r.lowerBound + 16, with: $0) }
            at = r.upperBound
            damaged += 1
        }
        XCTAssertGreaterThan(damaged, 0)
        try bytes.write(to: URL(fileURLWithPath: file))
        let g = try H5File.open(file).group("g")
        assertDamaged(try g.dataset("contiguous").readStrings(), "contiguous")
        assertDamaged(try g.stringAttribute("texts"), "attribute")
    }
}

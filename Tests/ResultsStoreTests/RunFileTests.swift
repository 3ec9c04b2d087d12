import BorderModel
import Experiments
import Foundation
import ResultsStore
import Scenarios
import XCTest

/// A real run written as a result file and read back: the tables, the trace, determinism
/// across thread counts, and the safety rules of the output.
final class RunFileTests: XCTestCase {
    var directory: URL!
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func scenario() throws -> Scenario {
        try ScenarioLoader.load(path: Self.root.appendingPathComponent("scenarios/land-port.yaml").path,
                                overrides: ["horizon=8h", "warm-up=1h"])
    }

    func metadata(_ s: Scenario, replications: Int) -> RunMetadata {
        RunMetadata(toolVersion: "test", created: "2026-01-01T00:00:00Z", seed: 77, replications: replications,
                    horizonSeconds: s.config.horizon, warmUpSeconds: s.config.warmUp, confidenceLevel: 0.95,
                    scenarioName: s.name, scenarioPath: "land-port.yaml", scenarioText: s.resolvedText, commandLine: "test")
    }

    /// Runs and writes; returns the results.
    @discardableResult
    func write(_ target: String, replications: Int = 3, threads: Int, trace: Bool, force: Bool = false) throws -> [ReplicationResult] {
        let s = try scenario()
        let m = metadata(s, replications: replications)
        return try RecordedRun.run(s.config, metadata: m, output: ResultFileOutput(target: target, force: force),
                                   trace: trace, threads: threads, traceChunkRows: 1000)
    }

    func testSummaryReadsBackAsBuilt() throws {
        let results = try write(path("run.h5"), threads: 2, trace: false)
        let s = try scenario()
        let record = RunRecordBuilder.record(metadata: metadata(s, replications: 3), config: s.config, results: results)
        let contents = try RunFileReader.contents(of: path("run.h5"))
        XCTAssertEqual(contents.tables.map(\.name), record.tables.map(\.name))
        XCTAssertEqual(contents.tables.map(\.name), ["port", "lane", "flow", "class", "station", "station_class", "security",
                                                        "attribution", "attribution_class"])
        // Bit patterns: undefined cells are NaN in both, and NaN never equals NaN.
        func bits(_ v: [Double]?) -> [UInt64]? { v?.map(\.bitPattern) }
        for (table, read) in zip(record.tables, contents.tables) {
            XCTAssertEqual(read.metrics, table.metrics.map(\.name))
            XCTAssertEqual(read.units, table.metrics.map(\.unit))
            XCTAssertEqual(read.entityAxis, table.entityAxis)
            XCTAssertEqual(bits(read.statistics["mean"]), bits(table.summary.mean), table.name)
            XCTAssertEqual(bits(read.statistics["sd"]), bits(table.summary.sd), table.name)
            XCTAssertEqual(bits(read.statistics["ci_low"]), bits(table.summary.ciLow), table.name)
            XCTAssertEqual(bits(read.statistics["ci_high"]), bits(table.summary.ciHigh), table.name)
        }
        XCTAssertEqual(contents.tables[1].entities, s.config.lanes.map(\.name))
        XCTAssertEqual(contents.attribute("seed"), .unsigned(77))
        XCTAssertEqual(contents.attribute("replications"), .integer(3))
        XCTAssertEqual(contents.attribute("schema_version"), .integer(ResultsSchema.version))
        XCTAssertEqual(contents.attribute("scenario_yaml"), .string(s.resolvedText))
        XCTAssertEqual(contents.attribute("has_trace"), .integer(0))
        // The mean of a known metric is the plain average of the replications.
        let waits = results.map { $0.lanes[0].wait.mean / 60 }
        let meanWait = contents.tables[1].statistics["mean"]![contents.tables[1].metrics.firstIndex(of: "mean_wait_min")!]
        XCTAssertEqual(meanWait, waits.reduce(0, +) / 3, accuracy: 1e-12)
        // A class over its lanes: arrivals add up over the flows of that class.
        let classes = contents.tables[3]
        let arrivedColumn = classes.metrics.firstIndex(of: "arrived")!
        for (c, _) in s.config.classes.enumerated() {
            let expected = results.map { r in Double(s.config.lanes.indices.filter { s.config.lanes[$0].serves.contains(c) }
                .reduce(0) { $0 + r.flow(lane: $1, classIndex: c).arrived }) }.reduce(0, +) / 3
            XCTAssertEqual(classes.statistics["mean"]![c * classes.metrics.count + arrivedColumn], expected, accuracy: 1e-9)
        }
        // Series carry their axes.
        let arrivals = contents.datasets.first { $0.path == "/series/arrivals" }!
        XCTAssertEqual(arrivals.dimensions, ["replication", "time", "lane"])
        XCTAssertEqual(arrivals.shape, [3, results[0].series.bins, s.config.lanes.count])
        XCTAssertFalse(contents.datasets.contains { $0.path.hasPrefix("/trace") })
    }

    func testTraceHasOneRowPerPartyThatLeft() throws {
        let results = try write(path("trace.h5"), threads: 2, trace: true)
        let file = try H5File.open(path("trace.h5"))
        let parties = try file.group("trace").group("parties")
        let replication = try parties.dataset("replication").read(as: Int32.self)
        for r in 0..<3 {
            let left = results[r].partiesArrived - results[r].laneClass.reduce(0) { $0 + $1.inSystemAtEnd }
            XCTAssertEqual(replication.filter { $0 == Int32(r) }.count, left, "replication \(r)")
        }
        XCTAssertEqual(replication, replication.sorted(), "rows come in replication order")
        let arrival = try parties.dataset("arrival_s").read(as: Double.self)
        let exit = try parties.dataset("exit_s").read(as: Double.self)
        XCTAssertTrue(zip(arrival, exit).allSatisfy { $0 <= $1 })
        let visits = try parties.dataset("station_visits").read(as: Int32.self).reduce(0) { $0 + Int($1) }
        XCTAssertEqual(try file.group("trace").group("station_visits").dataset("party").shape(), [visits])
        XCTAssertEqual(try parties.dataset("exit_s").storage().chunk, [1000])
    }

    func testFileContentDoesNotDependOnThreads() throws {
        try write(path("one.h5"), threads: 1, trace: true)
        try write(path("two.h5"), threads: 2, trace: true)
        let a = try H5File.open(path("one.h5")), b = try H5File.open(path("two.h5"))
        let datasets = try a.datasetPaths()
        XCTAssertEqual(datasets, try b.datasetPaths())
        for p in datasets {
            let name = String(p.dropFirst())
            if try a.dataset(name).kind() == .string {
                XCTAssertEqual(try a.dataset(name).readStrings(), try b.dataset(name).readStrings(), p)
            } else {
                let x = try a.dataset(name).read(as: Double.self), y = try b.dataset(name).read(as: Double.self)
                XCTAssertEqual(x.map(\.bitPattern), y.map(\.bitPattern), p)
            }
        }
    }

    // MARK: Safety of the output

    func testExistingTargetIsRefusedUnlessForced() throws {
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path("old.h5")))
        XCTAssertThrowsError(try ResultFileOutput(target: path("old.h5"), force: false)) {
            XCTAssertTrue("\($0)".contains("--force"), "\($0)")
        }
        try write(path("old.h5"), replications: 2, threads: 2, trace: false, force: true)
        XCTAssertTrue(H5File.isHDF5(path("old.h5")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("old.h5.partial")))
    }

    func testFailedWriteLeavesNothingAndKeepsTheOldFile() throws {
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path("keep.h5")))
        struct Boom: Error {}
        XCTAssertThrowsError(try ResultFileOutput(target: path("keep.h5"), force: true).write { file in
            try file.createDataset("x", [1.0])
            XCTAssertTrue(FileManager.default.fileExists(atPath: self.path("keep.h5.partial")))
            throw Boom()
        })
        XCTAssertEqual(try String(contentsOfFile: path("keep.h5"), encoding: .utf8), "precious")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("keep.h5.partial")))
        // An HDF5 failure inside the body is reported with the target's name.
        XCTAssertThrowsError(try ResultFileOutput(target: path("new.h5"), force: false).write { file in
            _ = try file.dataset("missing")
        }) { XCTAssertTrue("\($0)".contains("new.h5"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("new.h5")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("new.h5.partial")))
    }

    func testBadTargetsAreRefusedBeforeAnyWork() throws {
        XCTAssertThrowsError(try ResultFileOutput(target: directory.path, force: true)) {
            XCTAssertTrue("\($0)".contains("is a directory"), "\($0)")
        }
        XCTAssertThrowsError(try ResultFileOutput(target: path("no/such/dir/x.h5"), force: false)) {
            XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
        }
    }

    // MARK: Reading other files

    func testReaderRejectsForeignAndNewerFiles() throws {
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: path("text.h5")))
        XCTAssertThrowsError(try RunFileReader.contents(of: path("text.h5"))) { XCTAssertTrue("\($0)".contains("not an HDF5 file"), "\($0)") }
        let foreign = try H5File.create(path("foreign.h5"))
        try foreign.setAttribute("tool", "netcdf")
        try foreign.close()
        XCTAssertThrowsError(try RunFileReader.contents(of: path("foreign.h5"))) { XCTAssertTrue("\($0)".contains("'netcdf'"), "\($0)") }
        let bare = try H5File.create(path("bare.h5"))
        try bare.close()
        XCTAssertThrowsError(try RunFileReader.contents(of: path("bare.h5"))) { XCTAssertTrue("\($0)".contains("not a bordersim result"), "\($0)") }
        let newer = try H5File.create(path("newer.h5"))
        try newer.setAttribute("tool", "bordersim")
        try newer.setAttribute("schema_version", Int64(99))
        try newer.close()
        XCTAssertThrowsError(try RunFileReader.contents(of: path("newer.h5"))) { XCTAssertTrue("\($0)".contains("version 99"), "\($0)") }
        // A truncated result file.
        try write(path("whole.h5"), replications: 2, threads: 2, trace: false)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("whole.h5")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path("half.h5")))
        XCTAssertThrowsError(try RunFileReader.contents(of: path("half.h5"))) { XCTAssertTrue("\($0)".contains("half.h5"), "\($0)") }
    }
}

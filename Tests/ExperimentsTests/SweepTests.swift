import Experiments
import Foundation
import ResultsStore
import Scenarios
import XCTest

final class SweepTests: XCTestCase {
    func job(_ text: String = SweepFixtures.grid, shard: (Int, Int) = (1, 1), replications: Int? = nil) throws -> (SweepJob, URL) {
        let dir = try SweepFixtures.folder()
        let plan = try SweepPlanLoader.load(path: try SweepFixtures.plan(text, in: dir))
        return (try SweepJob(plan: plan, replications: replications, shard: shard), dir)
    }

    func run(_ job: SweepJob, in dir: URL, threads: Int? = nil, name: String = "out.h5") throws -> SweepRecord {
        let checkpoint = SweepCheckpoint(resultFile: dir.appendingPathComponent(name).path, hash: job.hash)
        try checkpoint.prepare(resume: true)
        defer { checkpoint.remove() }
        return try SweepRun.run(job, metadata: job.metadata(toolVersion: "test", created: "now", commandLine: "test"),
                                checkpoint: checkpoint, threads: threads)
    }

    func assertSameResults(_ a: SweepRecord, _ b: SweepRecord, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.points, b.points, file: file, line: line)
        XCTAssertEqual(a.parameterValues, b.parameterValues, file: file, line: line)
        XCTAssertEqual(a.axes, b.axes, file: file, line: line)
        XCTAssertEqual(a.tables.map(\.name), b.tables.map(\.name), file: file, line: line)
        for (x, y) in zip(a.tables, b.tables) {
            XCTAssertTrue(x.values.elementsEqual(y.values) { $0.bitPattern == $1.bitPattern }, "values of \(x.name)", file: file, line: line)
            XCTAssertEqual(x.summary.mean.map(\.bitPattern), y.summary.mean.map(\.bitPattern), "means of \(x.name)", file: file, line: line)
            XCTAssertEqual(x.summary.ciLow.map(\.bitPattern), y.summary.ciLow.map(\.bitPattern), file: file, line: line)
        }
    }

    func testResultsAreIdenticalForAnyThreadCount() throws {
        let (job, dir) = try job()
        XCTAssertEqual(job.points.count, 6)
        assertSameResults(try run(job, in: dir, threads: 1), try run(job, in: dir, threads: 2, name: "other.h5"))
    }

    /// Points differ only in targeting and secondary servers: with common random numbers every
    /// point sees the same arrivals in replication r, and different replications differ.
    func testEveryPointSeesTheSameTravellers() throws {
        let (job, dir) = try job()
        let r = try run(job, in: dir)
        let port = r.tables.first { $0.name == "port" }!
        let m = port.metrics.count, arrived = port.metrics.firstIndex { $0.name == "parties_arrived" }!
        let reps = job.replications
        let byPoint = (0..<r.points.count).map { p in (0..<reps).map { port.values[(p * reps + $0) * m + arrived] } }
        for p in byPoint { XCTAssertEqual(p, byPoint[0]) }
        XCTAssertGreaterThan(Set(byPoint[0]).count, 1)
        // ...and the parameters do act: a lower threshold refers more.
        let referred = port.metrics.firstIndex { $0.name == "referred" }!
        XCTAssertGreaterThan(port.summary.mean[0 * m + referred], port.summary.mean[4 * m + referred])
    }

    func testShardsMergeIntoTheWholeSweep() throws {
        let (whole, dir) = try job()
        let expected = try run(whole, in: dir)
        var shards: [(path: String, record: SweepRecord)] = []
        for i in [3, 1, 2] {
            let (j, d) = try job(shard: (i, 3))
            XCTAssertEqual(j.hash, whole.hash, "shards share the plan hash")
            XCTAssertEqual(j.selected, Array(stride(from: i - 1, to: 6, by: 3)))
            shards.append(("shard\(i)", try run(j, in: d)))
        }
        let merged = try SweepMerge.merge(shards) { $0 }
        assertSameResults(merged, expected)
        XCTAssertEqual(merged.metadata.shardCount, 1)
    }

    func testMergeRefusesMissingDuplicateAndForeignShards() throws {
        var shards: [(path: String, record: SweepRecord)] = []
        for i in 1...3 {
            let (j, d) = try job(shard: (i, 3))
            shards.append(("s\(i).h5", try run(j, in: d)))
        }
        XCTAssertThrowsError(try SweepMerge.merge([shards[0], shards[2]]) { $0 }) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("2 of 6 points are missing: 1, 4"), text)
            XCTAssertTrue(text.contains("shard(s) 2/3 not given"), text)
        }
        XCTAssertThrowsError(try SweepMerge.merge(shards + [shards[1]]) { $0 }) { error in
            XCTAssertTrue("\(error)".contains("2 point(s) (1, 4) in both s2.h5 and s2.h5"), "\(error)")
        }
        let (other, d) = try job(shard: (2, 3), replications: 2)
        XCTAssertNotEqual(other.hash, shards[1].record.metadata.planHash, "replications are part of the hash")
        XCTAssertThrowsError(try SweepMerge.merge([shards[0], ("other.h5", try run(other, in: d)), shards[2]]) { $0 }) { error in
            XCTAssertTrue("\(error)".contains("other.h5 comes from a different sweep"), "\(error)")
        }
    }

    /// An interrupted sweep keeps its finished points; resuming runs only the others, and the
    /// result equals an uninterrupted run.
    func testResumeRunsOnlyTheMissingPointsAndGivesTheSameResult() throws {
        let (job, dir) = try job()
        let expected = try run(job, in: dir)
        let target = dir.appendingPathComponent("resume.h5").path
        let checkpoint = SweepCheckpoint(resultFile: target, hash: job.hash)
        try checkpoint.prepare(resume: false)
        let metadata = job.metadata(toolVersion: "test", created: "now", commandLine: "test")
        _ = try SweepRun.run(job, metadata: metadata, checkpoint: checkpoint)
        // "Interrupt": keep points 0, 2, 5 only.
        for p in [1, 3, 4] {
            try FileManager.default.removeItem(atPath: checkpoint.directory + String(format: "/point-%07d.f64", p))
        }
        XCTAssertThrowsError(try checkpoint.prepare(resume: false)) { XCTAssertTrue("\($0)".contains("--resume"), "\($0)") }
        try checkpoint.prepare(resume: true)
        let seen = Box()
        let resumed = try SweepRun.run(job, metadata: metadata, checkpoint: checkpoint) { seen.last = $0 }
        XCTAssertEqual(seen.last?.resumed, 3)
        XCTAssertEqual(seen.last?.replicationsTotal, 3 * job.replications)
        assertSameResults(resumed, expected)
        // A checkpoint of another sweep is refused.
        let foreign = SweepCheckpoint(resultFile: target, hash: "0000")
        XCTAssertThrowsError(try foreign.prepare(resume: true)) { XCTAssertTrue("\($0)".contains("different sweep"), "\($0)") }
    }

    func testSweepFileRoundTrips() throws {
        let (job, dir) = try job()
        let record = try run(job, in: dir)
        let path = dir.appendingPathComponent("round.h5").path
        try ResultFileOutput(target: path, force: false).write { try SweepFileWriter.write(record, to: $0) }
        let back = try SweepFileReader.read(path)
        assertSameResults(back, record)
        XCTAssertEqual(back.metadata, record.metadata)
        XCTAssertThrowsError(try SweepFileReader.read(SweepFixtures.path("README.md")))
    }

    func testPlanErrorsNameTheFileLineAndKey() throws {
        let dir = try SweepFixtures.folder()
        func problem(_ text: String) -> String {
            do {
                let plan = try SweepPlanLoader.load(path: try SweepFixtures.plan(text, in: dir))
                _ = try SweepJob(plan: plan)
                return "no error"
            } catch { return "\(error)" }
        }
        let typo = problem("""
        name: t
        scenario: lesson.yaml
        parameters:
          targeting.rule.treshold: [1, 2]
        """)
        XCTAssertTrue(typo.contains("plan.yaml:4:3: parameters.targeting.rule.treshold: at point 0"), typo)
        XCTAssertTrue(typo.contains("did you mean 'threshold'"), typo)
        let badValue = problem("""
        name: t
        scenario: lesson.yaml
        parameters:
          stations.secondary.servers: [2, -1]
        """)
        XCTAssertTrue(badValue.contains("plan.yaml:4:3: parameters.stations.secondary.servers: at point 1 (stations.secondary.servers=-1)"), badValue)
        let range = problem("""
        name: t
        scenario: lesson.yaml
        design: grid
        parameters:
          targeting.rule.threshold: {min: 1, max: 2}
        """)
        XCTAssertTrue(range.contains("plan.yaml:5:29: parameters.targeting.rule.threshold: a grid needs values"), range)
        let design = problem("""
        name: t
        scenario: lesson.yaml
        design: sobel
        parameters:
          targeting.rule.threshold: [1]
        """)
        XCTAssertTrue(design.contains("plan.yaml:3:9: design: expected grid"), design)
        XCTAssertTrue(design.contains("did you mean 'sobol'"), design)
        let unknown = problem("""
        name: t
        scenario: missing.yaml
        replicatons: 3
        parameters:
          a: [1]
        """)
        XCTAssertTrue(unknown.contains("plan.yaml:2:11: scenario: expected a scenario file"), unknown)
        XCTAssertTrue(unknown.contains("plan.yaml:3:1: replicatons: unknown key 'replicatons'; did you mean 'replications'?"), unknown)
    }
}

private final class Box: @unchecked Sendable { var last: SweepRun.Progress? }

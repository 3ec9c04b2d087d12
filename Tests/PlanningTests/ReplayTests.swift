import Foundation
@testable import Planning
import Scenarios
import SimKernel
import XCTest
import BorderModel

final class ReplayTests: XCTestCase {
    func testReplayFollowsTheFileHourByHourAndLeavesUndefinedHoursMissing() throws {
        let d = try Fixture.directory()
        let scenario = try Fixture.scenario(in: d)
        // Hours 12-14 have no passengers (by 14:00 the queue of 11:00 has drained: nobody is
        // served, though hour 12 still serves the carry-over); hour 30 is absent from the file.
        var text = try String(contentsOfFile: try Fixture.csv(in: d, name: "x.csv", days: 2, skip: [30]), encoding: .utf8)
        for (h, pax) in [(12, 40), (13, 60), (14, 90)] {
            text = text.replacingOccurrences(of: "1/1/2016,\(h)00 - \(h + 1)00,5,\(pax),0,0,\(pax),", with: "1/1/2016,\(h)00 - \(h + 1)00,5,0,0,0,0,")
        }
        let csv = d.appendingPathComponent("y.csv").path
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        let run = try ReplayRun(scenarioPath: scenario, observed: [csv], replications: 4)
        let r = try run.report()
        XCTAssertEqual(r.prediction.mean.count, 48)
        XCTAssertEqual(r.prediction.served[12...14].reduce(0, +), r.prediction.served[12], "no arrivals after the carry-over")
        XCTAssertTrue(r.prediction.mean[14].isNaN, "nobody served: missing, not 0")
        XCTAssertTrue(r.prediction.buckets[14 * 3].isNaN)
        XCTAssertTrue(r.observed[30].isNaN, "absent hour: not scored")
        // Served per hour follows the file's passengers (Poisson at the hour's rate): over all hours within 3 %.
        let served = r.prediction.served.reduce(0, +)
        let observedPax = run.period.hours.compactMap { $0?.passengers }.reduce(0, +)
        XCTAssertEqual(served / observedPax, 1, accuracy: 0.03)
        // Bucket shares sum to 1 where defined.
        for h in [0, 5, 40] { XCTAssertEqual((0..<3).reduce(0) { $0 + r.prediction.buckets[h * 3 + $1] }, 1, accuracy: 1e-12) }
        // Text, CSV and JSON show the missing hours as missing.
        let rows = r.csv().split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(rows.count, 47 + 2)                   // header + 47 observed rows + trailing newline
        XCTAssertEqual(rows[15], "1/1/2016,1400 - 1500,5.0000,,,,,,")
        let json = try JSONSerialization.data(withJSONObject: r.json())
        XCTAssertFalse(String(decoding: json, as: UTF8.self).contains("nan"))
        // The lane's booths are the file's, hour by hour.
        let config = try ReplayModel.configuration(run.scenario, period: run.period)
        XCTAssertEqual(config.lanes[0].booths.value(at: 3.5 * 3600), 3)
        XCTAssertEqual(config.lanes[0].booths.value(at: 4.5 * 3600), 1)
        XCTAssertEqual(config.lanes[0].booths.value(at: 30.5 * 3600), 2, "absent hour: the scenario's booths")
    }

    func testSameSeedSameResultsOnAnyNumberOfThreads() throws {
        let d = try Fixture.directory()
        let csv = try Fixture.csv(in: d, name: "x.csv", days: 2)
        let one = try ReplayRun(scenarioPath: try Fixture.scenario(in: d), observed: [csv], replications: 3, threads: 1).report()
        let two = try ReplayRun(scenarioPath: try Fixture.scenario(in: d), observed: [csv], replications: 3, threads: 2).report()
        XCTAssertEqual(one.csv(), two.csv())
    }

    func testFlightsCarryTheirHoursPassengers() throws {
        var period = ObservedPeriod(firstDay: 0, hours: Array(repeating: nil, count: 3), files: [])
        period.hours[1] = ObservedHour(dateText: "", hourText: "", passengers: 301, batches: 3, positions: 2,
                                       meanWait: nil, maxWait: nil, buckets: nil, file: "", line: 2)
        period.hours[2] = ObservedHour(dateText: "", hourText: "", passengers: 50, batches: 0, positions: 2,
                                       meanWait: nil, maxWait: nil, buckets: nil, file: "", line: 3)
        let f = ReplayModel.flights(period, leadTime: 600)
        XCTAssertEqual(f.map(\.size), [101, 100, 100, 50])
        let expected: [Double] = [3600, 4800, 6000, 8400]       // mid-thirds of hour 1, middle of hour 2, minus 10 min
        for (t, e) in zip(f.map(\.time), expected) { XCTAssertEqual(t, e, accuracy: 1e-9) }
    }
}

final class BatchSizeByHourTests: XCTestCase {
    /// `size-by-hour` rescales the batch size to each hour's mean: over 200 days of one flight
    /// an hour, the mean size in each hour is within 4 standard errors of the hour's mean
    /// (24 hours: family-wise false-failure probability < 24 × 6.3e-5 = 0.2 %).
    func testSizesFollowTheHourlyMeans() throws {
        let d = try Fixture.directory()
        let means = (0..<24).map { 50 + 10 * ($0 % 6) }
        let yaml = """
        name: sizes
        horizon: 4800h
        replications: 1
        classes:
          passenger:
            kind: air-passenger
            arrivals:
              batches:
                timetable: [\((0..<4800).map { "\($0 * 60 + 30) min" }.joined(separator: ", "))]
                size: {triangular: {min: 80, mode: 175, max: 300}}
                size-by-hour: [\(means.map(String.init).joined(separator: ", "))]
        lanes:
          booths: {serves: [passenger], booths: 400, service: {passenger: {exponential: {mean: 1s}}}}
        """
        let path = d.appendingPathComponent("sizes.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try ScenarioLoader.load(path: path)
        guard case .batches(let b) = s.config.classes[0].arrivals else { return XCTFail("not batches") }
        var g = ArrivalGenerator(process: s.config.classes[0].arrivals, stream: RandomStream(masterSeed: 3, replication: 0, name: "x"), horizon: 4800 * 3600)
        var sum = [Double](repeating: 0, count: 24), n = [Double](repeating: 0, count: 24)
        while let e = g.next() {
            guard case .batch(let t, let size) = e else { continue }
            let h = Int(t / 3600) % 24
            sum[h] += Double(size); n[h] += 1
        }
        // triangular(80,175,300): mean 185, sd magnitude ≈ 45 → relative sd 0.243.
        for h in 0..<24 {
            let m = Double(means[h]), se = m * 0.243 / n[h].squareRoot()
            XCTAssertEqual(sum[h] / n[h], m, accuracy: 4 * se + 0.5, "hour \(h)")
        }
        XCTAssertNotNil(b.sizeMeans)
        XCTAssertThrowsError(try ScenarioLoader.load(path: path, overrides: ["classes.passenger.arrivals.batches.size-by-hour=[1, 2]"])) { e in
            XCTAssertTrue("\(e)".contains("size-by-hour"), "\(e)")
        }
    }
}

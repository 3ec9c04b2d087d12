import Foundation
import Experiments
import ResultsStore
import XCTest
@testable import bordersim

/// What a new user tries in the first hour (issue 19), each run from a folder other than the
/// repository root, through the built binary.
final class FirstContactTests: XCTestCase {
    let landPort = Tool.repo("scenarios/land-port.yaml")
    let lesson = Tool.repo("scenarios/training/risk-targeting.yaml")

    // 1. --set values are YAML values; errors point at the argument.
    func testSetTakesYAMLValues() throws {
        let ok = try Tool.run(["validate", landPort, "--set", "lanes.general.booths=30",
                               "--set", "stations.scanner.servers={default: 2, ranges: [{from: \"06:00\", to: \"22:00\", value: 6}]}"], test: self)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("general: serves car-general; booths 30"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("scanner: servers 2–6"), ok.stdout)
        let bad = try Tool.run(["run", lesson, "--set", "lanes.primary.booths=[3, three]"], test: self)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasPrefix("--set lanes.primary.booths=[3, three] (on \(lesson)): lanes.primary.booths[1]: expected a whole number"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains(":1:1:"), bad.stderr)
        let variant = try Tool.run(["compare", lesson, "--variant", "more:lanes.primary.booths=[3, x]", "--replications", "2"], test: self)
        XCTAssertEqual(variant.status, 2)
        XCTAssertTrue(variant.stderr.contains("--variant more: lanes.primary.booths=[3, x] (on \(lesson)): lanes.primary.booths[1]"), variant.stderr)
        XCTAssertEqual(CompareCommand.parseVariant("v:a.b={x: 1, y: [2, 3]},c.d=4")?.settings, ["a.b={x: 1, y: [2, 3]}", "c.d=4"])
    }

    // 2. Hints are runnable as printed; 10. a result file reproduces its run, bit for bit.
    func testHintsRunAndRunFromReproduces() throws {
        let dir = try Tool.temporaryDirectory(self)
        let first = try Tool.run(["run", lesson, "--replications", "3", "--out", "a.h5"], in: dir, test: self)
        XCTAssertEqual(first.status, 0, first.stderr)
        let hint = try XCTUnwrap(first.stdout.range(of: #"read them with `([^`]+)`"#, options: .regularExpression))
        let command = String(first.stdout[hint].dropFirst("read them with `".count).dropLast())
        let shown = try Tool.shell(command, in: dir, test: self)
        XCTAssertEqual(shown.status, 0, "\(command): \(shown.stderr)")
        XCTAssertTrue(shown.stdout.contains("risk-targeting-lesson"), shown.stdout)
        // From another folder, from the file alone: the same numbers in every table.
        let elsewhere = try Tool.temporaryDirectory(self)
        let again = try Tool.run(["run", "--from", dir.appendingPathComponent("a.h5").path, "--out", "b.h5"], in: elsewhere, test: self)
        XCTAssertEqual(again.status, 0, again.stderr)
        for table in ["port", "lane", "flow", "station", "security"] {
            let a = try H5File.open(dir.appendingPathComponent("a.h5").path), b = try H5File.open(elsewhere.appendingPathComponent("b.h5").path)
            XCTAssertEqual(try a.dataset("replications/\(table)").read(as: Double.self).map(\.bitPattern),
                           try b.dataset("replications/\(table)").read(as: Double.self).map(\.bitPattern), table)
            try a.close(); try b.close()
        }
        // The land port's CSV columns are stored as values: its file re-runs where there is no CSV.
        let port = try Tool.run(["run", landPort, "--replications", "1", "--out", "lp.h5", "--quiet"], in: dir, test: self)
        XCTAssertEqual(port.status, 0, port.stderr)
        let file = try H5File.open(dir.appendingPathComponent("lp.h5").path)
        XCTAssertFalse(try file.stringAttribute("scenario_yaml").first?.contains("csv") ?? true)
        try file.close()
    }

    // 3. Relative paths in a plan resolve against the plan's folder, from any working directory.
    func testSweepPlansFromOtherFolders() throws {
        for (cwd, plan) in [("scenarios", "sweeps/targeting-frontier.yaml"), ("scenarios/sweeps", "targeting-frontier.yaml")] {
            let r = try Tool.run(["validate", plan], in: Tool.repository.appendingPathComponent(cwd), test: self)
            XCTAssertEqual(r.status, 0, "from \(cwd): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("OK — sweep plan targeting-frontier"), r.stdout)
        }
        let dir = try Tool.temporaryDirectory(self)
        let sweep = try Tool.run(["sweep", Tool.repo("scenarios/sweeps/targeting-frontier.yaml"), "--replications", "1", "--quiet", "--out", "tf.h5"],
                                 in: dir, test: self)
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        // 6. A sweep file shows its points with confidence intervals.
        let shown = try Tool.run(["inspect", "tf.h5"], in: dir, test: self)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("[95% CI]"), shown.stdout)
    }

    // 4. Slurm time limits: Slurm's formats and the tool's durations, nothing else.
    func testSlurmTime() throws {
        XCTAssertEqual(SlurmTime(argument: "2h")?.slurm, "02:00:00")
        XCTAssertEqual(SlurmTime(argument: "90 min")?.slurm, "01:30:00")
        XCTAssertEqual(SlurmTime(argument: "1d")?.slurm, "1-00:00:00")
        for slurm in ["30", "30:00", "2:00:00", "1-12", "1-12:30", "1-00:00:00", "UNLIMITED"] { XCTAssertEqual(SlurmTime(argument: slurm)?.slurm, slurm) }
        for bad in ["soon", "2 weeks", "1:2:3:4", "-5", ""] { XCTAssertNil(SlurmTime(argument: bad), bad) }
        let dir = try Tool.temporaryDirectory(self)
        let refused = try Tool.run(["slurm", Tool.repo("scenarios/sweeps/staffing-grid.yaml"), "--tasks", "2", "--time", "soon", "--dir", "s"], in: dir, test: self)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s").path))
        let ok = try Tool.run(["slurm", Tool.repo("scenarios/sweeps/staffing-grid.yaml"), "--tasks", "2", "--time", "2h", "--dir", "s"], in: dir, test: self)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("s/sweep-array.sbatch"), encoding: .utf8).contains("#SBATCH --time=02:00:00"))
        XCTAssertEqual(Shard(argument: "2/8"), Shard(index: 2, count: 8))
        for bad in ["0/3", "4/3", "2", "a/b"] { XCTAssertNil(Shard(argument: bad), bad) }
    }

    // 5. One actionable warning for the lanes; --quiet leaves warnings out.
    func testWarningsOnceAndQuiet() throws {
        let v = try Tool.run(["validate", Tool.good("warnings.yaml")], test: self)
        XCTAssertEqual(v.stderr.components(separatedBy: "utilisation above 1").count - 1, 1, v.stderr)
        XCTAssertTrue(v.stderr.contains("Open more booths then (lanes.NAME.booths)"), v.stderr)
        let quiet = try Tool.run(["run", Tool.good("warnings.yaml"), "--replications", "2", "--quiet", "--set", "horizon=2h"], test: self)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "")
    }

    // 6. inspect: headers whole, columns apart; comparison files show their differences.
    func testInspectLayoutAndComparisons() throws {
        let dir = try Tool.temporaryDirectory(self)
        XCTAssertEqual(try Tool.run(["run", landPort, "--replications", "2", "--out", "lp.h5", "--quiet"], in: dir, test: self).status, 0)
        let shown = try Tool.run(["inspect", "lp.h5"], in: dir, test: self)
        XCTAssertTrue(shown.stdout.contains("pedestrian-ready/pedestrian-ready"), "a header is cut")
        for line in shown.stdout.split(separator: "\n") where line.contains("] ") {
            XCTAssertNil(line.range(of: #"\][^ \n]"#, options: .regularExpression), "cells run together: \(line)")
        }
        let compared = try Tool.run(["compare", lesson, "--variant", "more:lanes.primary.booths=4", "--replications", "3",
                                     "--out", "c.h5"], in: dir, test: self)
        XCTAssertEqual(compared.status, 0, compared.stderr)
        let c = try Tool.run(["inspect", "c.h5"], in: dir, test: self)
        XCTAssertTrue(c.stdout.contains("lane: more - risk-targeting-lesson — paired difference"), c.stdout)
        let json = try Tool.run(["inspect", "c.h5", "--json"], in: dir, test: self)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertFalse((object["summary"] as? [String: Any] ?? [:]).isEmpty, "comparison --json has an empty summary")
    }

    // 8. Undefined is never 0 in any printed form (the values come from the engine as NaN).
    func testUndefinedIsShownAsUndefined() throws {
        let undefined = try JSONDecoder().decode(RunSummaryEstimate.self, from: Data(#"{"mean": null}"#.utf8))
        XCTAssertEqual(SummaryText.est(undefined.estimate, 1), "—")
        let json = String(decoding: try JSONEncoder().encode(undefined.estimate), as: UTF8.self)
        XCTAssertTrue(json.contains("\"mean\":null"), json)
        XCTAssertEqual(InspectCommand.format(.nan), "—")
        // End to end: nobody referred (no hit rate), nobody violating (no detection rate), a lane
        // that never opens (no waits) — text, JSON and inspect all say undefined.
        let dir = try Tool.temporaryDirectory(self)
        let port = """
        name: undefined
        horizon: 2h
        violation-types: [contraband]
        classes:
          car: {kind: passenger-vehicle, arrivals: {poisson: 60/h}, violations: {contraband: 0%}}
          walker: {kind: pedestrian, arrivals: {poisson: 10/h}}
        lanes:
          road: {serves: [car], booths: 2, service: {car: 30s}}
          closed: {serves: [walker], booths: 0, service: {walker: 30s}}
        targeting: {rule: none}
        """
        try port.write(to: dir.appendingPathComponent("u.yaml"), atomically: true, encoding: .utf8)
        let text = try Tool.run(["run", "u.yaml", "--replications", "3", "--quiet"], in: dir, test: self)
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("hit rate —, detection rate —"), text.stdout)
        let closed = text.stdout.split(separator: "\n").first { $0.hasPrefix("closed ") && $0.contains("walker") } ?? ""
        XCTAssertEqual(closed.components(separatedBy: "—").count - 1, 2, "the closed lane's waits: \(closed)")
        let printed = try Tool.run(["run", "u.yaml", "--replications", "3", "--quiet", "--json", "--out", "u.h5"], in: dir, test: self)
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        let security = try XCTUnwrap(object["security"] as? [String: Any])
        for key in ["hit_rate", "detection_rate"] {
            XCTAssertTrue((security[key] as? [String: Any])?["mean"] is NSNull, "\(key): \(security[key] ?? "missing")")
        }
        let inspected = try Tool.run(["inspect", "u.h5"], in: dir, test: self)
        XCTAssertNotNil(inspected.stdout.range(of: #"hit_rate +—"#, options: .regularExpression), inspected.stdout)
        let inspectedJSON = try Tool.run(["inspect", "u.h5", "--json"], in: dir, test: self)
        XCTAssertTrue(inspectedJSON.stdout.contains("null"), "inspect --json shows no undefined value")
    }

    // 9. Intervals say when they are unreliable.
    func testUnreliableIntervalsAreFlagged() throws {
        let r = try Tool.run(["run", lesson, "--replications", "3"], test: self)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("note: intervals unreliable — only 3 replications"), r.stdout)
    }

    // 11. Housekeeping: --out names, Ctrl-C, typos of options and commands.
    func testHousekeeping() throws {
        let dir = try Tool.temporaryDirectory(self)
        let txt = try Tool.run(["run", lesson, "--replications", "2", "--out", "x.txt"], in: dir, test: self)
        XCTAssertEqual(txt.status, 0, txt.stderr)
        XCTAssertTrue(txt.stderr.contains("warning: --out x.txt: the file is HDF5 whatever its name"), txt.stderr)
        let typo = try Tool.run(["run", "--hlep"], test: self)
        XCTAssertNotEqual(typo.status, 0)
        XCTAssertTrue(typo.stderr.contains("unknown option '--hlep'; did you mean '--help'?"), typo.stderr)
        let rn = try Tool.run(["rn", "x"], test: self)
        XCTAssertNotEqual(rn.status, 0)
        XCTAssertTrue(rn.stderr.contains("unknown command 'rn'; did you mean 'run'?"), rn.stderr)
        // Ctrl-C during a long run: a message, status 130, no file.
        let stopped = try Tool.run(["run", landPort, "--replications", "50", "--threads", "1", "--out", "long.h5", "--quiet"],
                                   in: dir, test: self, interruptAfter: 1.5)
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("bordersim run: interrupted; nothing was written (long.h5 is untouched)"), stopped.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("long.h5").path))
    }

    // 12. Readable summaries, plans told from scenarios, different ports named.
    func testReadableSummaries() throws {
        let v = try Tool.run(["validate", landPort, "--set", "classes.car-general.arrivals={poisson: 0.2/h}"], test: self)
        XCTAssertEqual(v.status, 0, v.stderr)
        for word in ["threshold(", "randomRate", "targetFraction(", "(mean 240"] { XCTAssertFalse(v.stdout.contains(word), word) }
        XCTAssertTrue(v.stdout.contains("lognormal(mean 4 min, sd 90 s)"), v.stdout)
        XCTAssertTrue(v.stdout.contains("Poisson 0.2/h"), v.stdout)
        XCTAssertTrue(v.stdout.contains("targeting: risk score above 2.33, plus 0.5% at random"), v.stdout)
        let plan = try Tool.run(["run", Tool.repo("scenarios/sweeps/staffing-grid.yaml")], test: self)
        XCTAssertEqual(plan.status, 2)
        XCTAssertTrue(plan.stderr.contains("this is a sweep plan"), plan.stderr)
        let scenario = try Tool.run(["sweep", landPort], test: self)
        XCTAssertEqual(scenario.status, 2)
        XCTAssertTrue(scenario.stderr.contains("this is a scenario"), scenario.stderr)
        let ports = try Tool.run(["compare", lesson, landPort, "--replications", "2"],
                                 environment: ["BORDERSIM_MAX_REPLICATIONS": "2"], test: self)
        XCTAssertEqual(ports.status, 0, ports.stderr)
        XCTAssertTrue(ports.stderr.contains("note: the files describe different ports"), ports.stderr)
    }
}

/// Decodes an estimate the way `--json` consumers see it (mean null = undefined).
struct RunSummaryEstimate: Decodable {
    var estimate: Experiments.RunSummary.Estimate
    init(from decoder: Decoder) throws { estimate = try Experiments.RunSummary.Estimate(from: decoder) }
}

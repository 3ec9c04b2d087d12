import ArgumentParser
import BorderModel
import Foundation
import Scenarios

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and summarise the model each describes.",
        discussion: """
        Exits 0 and prints a one-screen summary per file when every file is valid (warnings are \
        printed too); exits 2 and lists every problem found, as FILE:LINE:COLUMN: key.path: message.
        """
    )

    @Argument(help: "Scenario files (YAML).") var files: [String]
    @Option(name: .customLong("set"), help: "Override a value: key.path=value (repeatable).")
    var overrides: [String] = []

    func run() throws {
        var failed = false
        for file in files {
            do {
                let scenario = try ScenarioLoader.load(path: file, overrides: overrides)
                for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
                print(ModelSummary.text(scenario))
            } catch let error as ScenarioError {
                failed = true
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
            }
        }
        if failed { throw ExitCode(2) }
    }
}

/// The one-screen description of a scenario's model.
enum ModelSummary {
    static func text(_ s: Scenario) -> String {
        let c = s.config
        var out = "\(s.path): OK — \(s.name)\n"
        out += "  horizon \(hours(c.horizon)), warm-up \(hours(c.warmUp)), \(s.replications) replications, seed \(s.seed)\n"
        out += "  classes:\n"
        for cls in c.classes {
            let violations = cls.violations.map { "\(c.violationTypes[$0.type]) \(pct($0.prevalence))" }.joined(separator: ", ")
            out += "    \(cls.name) (\(cls.kind.rawValue)): \(describe(cls.arrivals)); trusted \(pct(cls.trustedShare)), "
                + "advance info \(pct(cls.advanceInfoShare)), AUC \(cls.risk.auc)"
                + (violations.isEmpty ? "" : "; violations \(violations)") + "\n"
        }
        out += "  lanes:\n"
        for lane in c.lanes {
            let serves = lane.serves.map { c.classes[$0].name }.joined(separator: ", ")
            out += "    \(lane.name): serves \(serves)\(lane.trustedOnly ? " (trusted only)" : ""); booths "
                + "\(range(lane.booths))" + (lane.capacity.map { "; capacity \($0)" } ?? "") + "\n"
        }
        if !c.stations.isEmpty {
            out += "  secondary (referrals go to \(c.referralStation.map { c.stations[$0].name } ?? "-")):\n"
            for st in c.stations {
                out += "    \(st.name): servers \(range(st.servers)), service \(st.service), \(st.discipline.rawValue); "
                    + "alarm → \(route(st.onAlarm, c)), clear → \(route(st.onClear, c))"
                    + (st.downtime == nil ? "" : "; breakdowns") + "\n"
            }
        }
        out += "  targeting: \(c.targeting.rule)"
        if !c.targeting.perClass.isEmpty { out += "; per class: " + c.targeting.perClass.map { "\(c.classes[$0.key].name) \($0.value)" }.joined(separator: ", ") }
        if let t = c.targeting.trusted { out += "; trusted: \(t)" }
        out += "\n"
        if let st = c.staffing {
            out += "  staffing: officers on duty \(range(st.onDuty))"
            if let r = st.rebalance { out += "; up to \(r.maxMoved) move to \(c.stations[r.station].name) at queue ≥ \(r.raiseAt)" }
            out += "\n"
        }
        return out
    }

    static func hours(_ t: Double) -> String { t.truncatingRemainder(dividingBy: 3600) == 0 ? "\(Int(t / 3600)) h" : String(format: "%.2f h", t / 3600) }
    static func pct(_ p: Double) -> String { String(format: "%g%%", p * 100) }
    static func range(_ p: PiecewiseConstant) -> String {
        let lo = p.values.min() ?? 0, hi = p.values.max() ?? 0
        return lo == hi ? "\(Int(hi))" : "\(Int(lo))–\(Int(hi))"
    }
    static func route(_ r: Route, _ c: PortConfiguration) -> String {
        if case .station(let s) = r { return c.stations[s].name }
        return "release"
    }
    static func describe(_ a: ArrivalProcess) -> String {
        switch a {
        case .poisson(let r): return String(format: "Poisson %.0f/h", r * 3600)
        case .profile(let p): return String(format: "profile %.0f–%.0f/h", (p.values.min() ?? 0) * 3600, p.maximum * 3600)
        case .batches(let b): return "batches of mean size \(String(format: "%.0f", b.size.mean))"
        case .timetable(let t): return "timetable of \(t.count) arrivals"
        case .trace(let t): return "trace of \(t.count) parties"
        }
    }
}

import ArgumentParser
import BorderModel
import Experiments
import Foundation
import Scenarios

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files and summarise the model each describes.",
        discussion: """
        Exits 0 and prints a one-screen summary per file when every file is valid (warnings are \
        printed too); exits 2 and lists every problem found, as FILE:LINE:COLUMN: key.path: message. \
        A sweep plan is checked without running it: the plan, its scenario and the scenario of \
        every point.
        """
    )

    @Argument(help: "Scenario files or sweep plans (YAML).", completion: yamlFiles) var files: [String]
    @OptionGroup var settings: OverrideOptions
    var overrides: [String] { settings.overrides }

    func run() throws {
        var failed = false
        for file in files {
            do {
                if SweepPlanLoader.isPlan(path: file) {
                    let job = try SweepJob(plan: try SweepPlanLoader.load(path: file))
                    print("\(file): OK — sweep plan \(job.plan.name): \(job.points.count) points (\(job.plan.design)) × "
                          + "\(job.replications) replications of \(job.base.name) (\(job.plan.scenarioPath)); "
                          + "parameters \(job.plan.parameters.map(\.path).joined(separator: ", "))")
                    continue
                }
                let scenario = try ScenarioLoader.load(path: file, overrides: overrides)
                for w in scenario.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
                print(ModelSummary.text(scenario))
            } catch let error as ScenarioError {
                failed = true
                Tool.report(error)
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
        out += "  horizon \(Describe.duration(c.horizon)), warm-up \(Describe.duration(c.warmUp)), \(s.replications) replications, seed \(s.seed)\n"
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
                out += "    \(st.name): servers \(range(st.servers)), service \(Describe.durations(st.service)), \(st.discipline.rawValue); "
                    + "alarm → \(route(st.onAlarm, c)), clear → \(route(st.onClear, c))"
                    + (st.downtime == nil ? "" : "; breakdowns") + "\n"
            }
        }
        out += "  targeting: \(Describe.rule(c.targeting.rule))"
        if !c.targeting.perClass.isEmpty {
            out += "; per class: " + c.targeting.perClass.sorted { $0.key < $1.key }
                .map { "\(c.classes[$0.key].name) \(Describe.rule($0.value))" }.joined(separator: ", ")
        }
        if let t = c.targeting.trusted { out += "; trusted: \(Describe.rule(t))" }
        out += "\n"
        if !c.intelligence.isEmpty {
            out += "  intelligence (fused into the risk score of the classes covered):\n"
            for src in c.intelligence {
                let what: String
                switch src.evidence {
                case .score(let auc, _): what = "score, AUC \(String(format: "%g", auc))"
                case .watchlist(_, let falseHit, let onHit):
                    let act: String
                    if case .raiseScore(let x) = onHit { act = "raises the score by \(String(format: "%g", x))" } else { act = "refers" }
                    what = "watchlist, false hits \(pct(falseHit)), a hit \(act)"
                case .biometric(let v, let sensitivity, let factor):
                    what = "biometric, detects \(c.violationTypes[v]) \(pct(sensitivity)), service ×\(String(format: "%g", factor))"
                }
                let owner = src.agency.map { "held by \($0), " + (src.shared ? "shared" : "NOT shared: unused") } ?? "own"
                out += "    \(src.name): \(what); \(src.classes.map { c.classes[$0].name }.joined(separator: ", ")), "
                    + "\(pct(src.coverage)) covered, \(pct(src.timeliness)) in time; \(owner)\n"
            }
        }
        if let st = c.staffing {
            out += "  staffing: officers on duty \(range(st.onDuty))"
            if let r = st.rebalance { out += "; up to \(r.maxMoved) move to \(c.stations[r.station].name) at queue ≥ \(r.raiseAt)" }
            out += "\n"
        }
        return out
    }

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
        case .poisson(let r): return "Poisson \(Describe.rate(r))"
        case .profile(let p): return "profile \(Describe.rate(p.values.min() ?? 0).dropLast(2))–\(Describe.rate(p.maximum))"
        case .batches(let b): return "batches of mean size \(String(format: "%.3g", b.size.mean))"
        case .timetable(let t): return "timetable of \(t.count) arrivals"
        case .trace(let t): return "trace of \(t.count) parties"
        }
    }
}

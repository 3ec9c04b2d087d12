#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SimKernel

/// The product path as users run it, whole processes on one core (`WholeProcess`):
/// - `scenario-mm1`: M/M/1 written as a scenario file (bench/mm1.yaml, 10 replications of about
///   1.1 M customers) through `bordersim run`, process start, loading and summary included;
///   customers per CPU second, and its ratio to the kernel-level M/M/1 of the same run
///   (`scenario-mm1-vs-kernel`, customers/s over customers/s: 1 would be no model-layer cost).
/// - `landport-vs-simpy`: the benchmark land port (bench/land-port.yaml) run by bordersim and by
///   the same port written in SimPy (bench/simpy_land_port.py, SimPy pinned in .venv): SimPy's
///   CPU time over bordersim's, and a table showing that the two agree.
/// CPU time (user + system of the finished process) rather than wall: these machines are shared.
func scenarioPathBenchmarks() {
    guard let bordersim = WholeProcess.bordersim else {
        print("bordersim-bench: no bordersim beside this binary (`make bench` builds both)")
        return
    }
    let kernel = kernelMM1Rate ?? measureKernelMM1()
    var best: WholeProcess? = nil
    var customers = 0
    for _ in 0..<3 {
        let p = WholeProcess.run([bordersim, "run", "bench/mm1.yaml", "--threads", "1", "--quiet", "--json"])
        guard p.status == 0, let j = p.json, let reps = j["replications"] as? Int,
              let perReplication = (j["parties_per_replication"] as? [String: Any])?["mean"] as? Double else {
            print("bordersim-bench: `bordersim run bench/mm1.yaml` failed (status \(p.status)); run from the repository root")
            return
        }
        customers = Int((perReplication * Double(reps)).rounded())
        if p.cpu < best?.cpu ?? .infinity { best = p }
    }
    let rate = Double(customers) / best!.cpu
    Bench.value("scenario-mm1", rate, unit: "customers/s", digits: 0)
    Bench.ratio("scenario-mm1-vs-kernel", rate / kernel)
    printTable(["M/M/1 (λ=0.9, μ=1)", "customers", "best CPU s", "wall s", "customers/s", "vs kernel"],
               [["bordersim run bench/mm1.yaml (whole process)", "\(customers)", fmt(best!.cpu, 3), fmt(best!.wall, 3),
                 fmtMillions(rate), fmt(rate / kernel, 3)],
                ["kernel M/M/1 (models group, in process)", "-", "-", "-", fmtMillions(kernel), "1.000"]])
}

/// The kernel-level M/M/1 figure when the models group did not run first (3 × 1M customers).
func measureKernelMM1() -> Double {
    modelBenchmarks()
    return kernelMM1Rate ?? .nan
}

func simpyBenchmarks() {
    guard let bordersim = WholeProcess.bordersim else {
        print("bordersim-bench: no bordersim beside this binary (`make bench` builds both)")
        return
    }
    let python = ".venv/bin/python"
    let probe = WholeProcess.run([python, "-c", "import simpy, yaml; print(simpy.__version__)"], pinned: false)
    guard probe.status == 0 else {
        print("bordersim-bench: no SimPy in .venv (`make bench` installs it); skipping the SimPy comparison")
        return
    }
    let scenario = "bench/land-port.yaml", replications = "10"
    var ours: WholeProcess? = nil, theirs: WholeProcess? = nil
    for round in 0..<3 {   // interleaved: bordersim, SimPy, bordersim, SimPy, bordersim
        let b = WholeProcess.run([bordersim, "run", scenario, "--threads", "1", "--quiet", "--json",
                                  "--replications", replications])
        guard b.status == 0, b.json != nil else { print("bordersim-bench: `bordersim run \(scenario)` failed"); return }
        if b.cpu < ours?.cpu ?? .infinity { ours = b }
        guard round < 2 else { break }
        let s = WholeProcess.run([python, "bench/simpy_land_port.py", scenario, "--replications", replications])
        guard s.status == 0, s.json != nil else { print("bordersim-bench: bench/simpy_land_port.py failed"); return }
        if s.cpu < theirs?.cpu ?? .infinity { theirs = s }
    }
    let ratio = theirs!.cpu / ours!.cpu
    Bench.ratio("landport-vs-simpy", ratio)
    let version = (theirs!.json!["simpy"] as? String) ?? "?"
    printTable(["land port, 10 replications × 24 h, one core", "best CPU s", "wall s"],
               [["bordersim run \(scenario)", fmt(ours!.cpu, 3), fmt(ours!.wall, 3)],
                ["python bench/simpy_land_port.py (SimPy \(version))", fmt(theirs!.cpu, 3), fmt(theirs!.wall, 3)]])
    printAgreement(bordersim: ours!.json!, simpy: theirs!.json!)
}

/// Lane mean waits, referrals and detections: means with 95 % intervals from each tool's 10
/// replications, whether each mean lies inside the other's interval, and a Welch test at a
/// family-wise 1 % (Šidák over the rows) — the verdict that is fair to two correct models.
func printAgreement(bordersim: [String: Any], simpy: [String: Any]) {
    func interval(_ o: Any?) -> (mean: Double, hw: Double)? {
        guard let d = o as? [String: Any], let m = d["mean"] as? Double, let h = d["half_width"] as? Double else { return nil }
        return (m, h)
    }
    let reps = (simpy["replications"] as? [[String: Any]]) ?? []
    func theirs(_ value: ([String: Any]) -> Double?) -> SampleSummary {
        SampleSummary(reps.compactMap(value))
    }
    var rows: [(String, (mean: Double, hw: Double)?, SampleSummary)] = []
    for lane in (bordersim["lanes"] as? [[String: Any]]) ?? [] {
        let name = lane["name"] as? String ?? "?"
        rows.append(("\(name) mean wait (min)", interval(lane["mean_wait_min"]),
                     theirs { (($0["lane_mean_wait_min"] as? [String: Any])?[name] as? Double) }))
    }
    let security = bordersim["security"] as? [String: Any]
    for key in ["referred", "detected"] {
        rows.append(("\(key) per replication", interval(security?[key]), theirs { ($0[key] as? Double) ?? ($0[key] as? Int).map(Double.init) }))
    }
    let count = max(reps.count, 2), n = Double(count)
    let level = pow(0.99, 1 / Double(max(rows.count, 1)))   // Šidák: family-wise 1 %
    var table: [[String]] = [], agreeing = 0, inside = 0
    for (name, b, s) in rows {
        guard let b else { continue }
        let sHW = s.halfWidth(level: 0.95)
        let bInS = abs(b.mean - s.mean) <= sHW, sInB = abs(s.mean - b.mean) <= b.hw
        // Welch: the bordersim half-width gives its standard error back (t with n − 1 df).
        let bSE = b.hw / studentT(level: 0.95, n: count), sSE = s.standardDeviation / n.squareRoot()
        let limit = studentT(level: level, n: count) * (bSE * bSE + sSE * sSE).squareRoot()
        let agree = abs(b.mean - s.mean) <= limit
        if agree { agreeing += 1 }
        if bInS && sInB { inside += 1 }
        table.append([name, fmt(b.mean, 2) + " ± " + fmt(b.hw, 2), fmt(s.mean, 2) + " ± " + fmt(sHW, 2),
                      bInS ? "yes" : "no", sInB ? "yes" : "no", agree ? "agree" : "DIFFER"])
    }
    print("\nagreement (10 replications each; ± 95 % half-width; test: Welch, family-wise 1 % over \(rows.count) rows):")
    printTable(["metric", "bordersim", "SimPy", "bordersim in SimPy CI", "SimPy in bordersim CI", "test"], table)
    print("rows with each mean inside the other's CI: \(inside) of \(table.count); agreeing by the test: \(agreeing) of \(table.count)")
}

/// The Student t quantile of a two-sided `level` with n − 1 degrees of freedom, read off the
/// kernel's confidence intervals (a sample with a known standard error).
func studentT(level: Double, n: Int) -> Double {
    let reference = SampleSummary((0..<n).map(Double.init))
    return reference.halfWidth(level: level) / (reference.standardDeviation / Double(n).squareRoot())
}

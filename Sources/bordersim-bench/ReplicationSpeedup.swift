#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BorderModel
import Experiments
import Scenarios

/// Parallel replications: 32 replications of the land port on all cores vs on one, in wall
/// time (what a user waits for), best of 3, the two interleaved. The same measure for the pool
/// that sweeps and comparisons use (4 configurations × 8 replications). Goal: ≥ 1.8 on 2 cores.
func replicationSpeedupBenchmarks() {
    let path = "scenarios/land-port.yaml"
    guard let s = try? ScenarioLoader.load(path: path) else {
        print("bordersim-bench: cannot load \(path) (run from the repository root)")
        return
    }
    let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    func wall(_ body: () -> Void) -> Double {
        var a = timespec(), b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        body()
        clock_gettime(CLOCK_MONOTONIC, &b)
        return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) * 1e-9
    }
    func replications(_ threads: Int) -> Double {
        // swiftlint:disable:next force_try
        wall { _ = try! ReplicationRunner.run(s.config, seed: s.seed, replications: 32, threads: threads) }
    }
    func pool(_ threads: Int) -> Double {
        let configs = Array(repeating: s.config, count: 4)
        // swiftlint:disable:next force_try
        return wall { try! PointRunner.run(configs, seed: s.seed, replications: 8, threads: threads, finished: { _, _ in }) }
    }
    var rows: [[String]] = []
    for (name, measure) in [("replications-speedup", replications), ("sweep-pool-speedup", pool)] {
        var one = Double.infinity, all = Double.infinity
        for _ in 0..<3 {
            one = min(one, measure(1))
            all = min(all, measure(cores))
        }
        Bench.value(name, one / all, unit: "x", digits: 2)
        rows.append([name, fmt(one, 2), fmt(all, 2), "\(cores)", fmt(one / all, 2)])
    }
    printTable(["32 land-port replications", "1 thread s (wall)", "all cores s (wall)", "cores", "speed-up"], rows)
}

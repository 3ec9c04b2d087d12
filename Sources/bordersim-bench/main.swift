// bordersim-bench — benchmarks for `make bench`. They print measurements; they never fail on speed.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
//
//     bordersim-bench              run every group
//     bordersim-bench hold models  run the named groups
//     bordersim-bench --list       list the groups
//
// Each measurement prints a machine-readable line
//     bench: NAME value=X unit=U        (a measurement)
//     bench: NAME ratio=R               (bordersim time / baseline time, measured in the same run)
// and each group ends with a human-readable table. Times are the thread's CPU time (see
// `Bench.nowNs`); each figure is the best of a few repetitions, implementations interleaved.
//
// To add a benchmark (the border model, HDF5 overhead, replication speed-up...): write a
// `func xxxBenchmarks()` in its own file and add it to `groups` below.

let groups: [(name: String, summary: String, run: () -> Void)] = [
    ("hold", "classic hold model: kernel EventQueue vs swift-collections Heap vs C++ std::priority_queue",
     holdBenchmarks),
    ("models", "M/M/1 and M/M/c on the kernel: customers per second, mean wait vs theory",
     modelBenchmarks),
    ("rng", "cost of one exponential variate through GSL", rngBenchmarks),
    ("model", "the border model on a large land port: parties per second on one core", portModelBenchmarks),
    ("scenario", "M/M/1 as a scenario file through `bordersim run`, whole process on one core, vs the kernel's M/M/1",
     scenarioPathBenchmarks),
    ("simpy", "a land port run by bordersim and by the same port in SimPy, whole processes on one core; agreement table",
     simpyBenchmarks),
    ("hdf5", "cost of writing results: 10 replications of a 24 h land port with series and trace vs nothing written",
     hdf5OverheadBenchmarks),
    ("replications", "32 land-port replications on all cores vs one (run, and the sweep/compare pool)",
     replicationSpeedupBenchmarks),
]

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--list") || arguments.contains("-h") || arguments.contains("--help") {
    print("usage: bordersim-bench [GROUP...]   (no group: all)")
    for g in groups { print("  \(g.name.padding(8))\(g.summary)") }
} else {
    let unknown = arguments.filter { a in !groups.contains { $0.name == a } }
    if !unknown.isEmpty {
        print("bordersim-bench: unknown group(s) \(unknown.joined(separator: ", ")); try --list")
        exit(2)
    }
    print("bordersim-bench: release build, \(Bench.cpuDescription())")
    for g in groups where arguments.isEmpty || arguments.contains(g.name) {
        print("\n== \(g.name): \(g.summary)")
        g.run()
    }
}

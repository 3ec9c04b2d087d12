#if canImport(Glibc)
import Glibc
#endif
import BorderModel
import Experiments
import Foundation
import ResultsStore
import Scenarios

/// What writing results costs: a 24-hour run of the large land port, 10 replications on all
/// cores, once writing nothing and once writing the result file with its time series and the
/// per-party trace. Ratio = written / nothing, on wall time (the user waits for the whole
/// run); the process CPU-time ratio is printed beside it, and the ratio without the trace.
/// Best of 5, the variants interleaved, each started after a sync(2) so that none pays for the
/// previous one's writeback (the file reaches the page cache within the timing; the disk later).
func hdf5OverheadBenchmarks() {
    let path = "scenarios/land-port.yaml"
    guard let scenario = try? ScenarioLoader.load(path: path, overrides: ["horizon=24h", "warm-up=0h"]) else {
        print("bordersim-bench: cannot load \(path) (run from the repository root)")
        return
    }
    let replications = 10
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bordersim-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("bench.h5").path
    let metadata = RunMetadata(toolVersion: "bench", created: "", seed: scenario.seed, replications: replications,
                               horizonSeconds: scenario.config.horizon, warmUpSeconds: scenario.config.warmUp,
                               confidenceLevel: 0.95, scenarioName: scenario.name, scenarioPath: path,
                               scenarioText: scenario.resolvedText, commandLine: "bordersim-bench hdf5")

    func measure(_ body: () throws -> Void) -> (wall: Double, cpu: Double) {
        // Start each variant with no dirty pages from the previous one being written back
        // (the kernel's writeback would steal a core from whatever runs next).
        sync()
        let wall0 = Date(), cpu0 = processCPUSeconds()
        // swiftlint:disable:next force_try
        try! body()
        return (Date().timeIntervalSince(wall0), processCPUSeconds() - cpu0)
    }
    var bare = (wall: Double.infinity, cpu: Double.infinity), written = bare, seriesOnly = bare
    var parties = 0, bytes = 0, seriesBytes = 0
    for _ in 0..<5 {
        let a = measure {
            let r = try ReplicationRunner.run(scenario.config, seed: scenario.seed, replications: replications)
            parties = r.reduce(0) { $0 + $1.partiesArrived }
        }
        let b = measure {
            _ = try RecordedRun.run(scenario.config, metadata: metadata, output: ResultFileOutput(target: target, force: true),
                                    trace: true)
        }
        bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        let c = measure {
            _ = try RecordedRun.run(scenario.config, metadata: metadata, output: ResultFileOutput(target: target, force: true),
                                    trace: false)
        }
        seriesBytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
        bare = (min(bare.wall, a.wall), min(bare.cpu, a.cpu))
        written = (min(written.wall, b.wall), min(written.cpu, b.cpu))
        seriesOnly = (min(seriesOnly.wall, c.wall), min(seriesOnly.cpu, c.cpu))
    }
    Bench.ratio("hdf5-overhead", written.wall / bare.wall)
    Bench.ratio("hdf5-overhead-cpu", written.cpu / bare.cpu)
    Bench.ratio("hdf5-overhead-no-trace", seriesOnly.wall / bare.wall)
    printTable(["variant", "best wall s", "best CPU s", "parties", "file"],
               [["nothing written", fmt(bare.wall, 3), fmt(bare.cpu, 3), "\(parties)", "-"],
                ["tables + series written", fmt(seriesOnly.wall, 3), fmt(seriesOnly.cpu, 3), "\(parties)",
                 fmt(Double(seriesBytes) / 1e6, 2) + " MB"],
                ["tables + series + trace written", fmt(written.wall, 3), fmt(written.cpu, 3), "\(parties)",
                 fmt(Double(bytes) / 1e6, 1) + " MB"]])
}

/// CPU time of the whole process (all threads, user and system).
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

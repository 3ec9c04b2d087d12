import BorderModel
import Scenarios

/// The border model on a large land port (`scenarios/land-port.yaml`: general, Ready and
/// SENTRI vehicle lanes, pedestrian lanes, scanner and examination in secondary; ~74,000
/// parties a day): parties simulated per second on one core, and the heap the run keeps at its
/// peak for one day and for four days (memory should not grow with the horizon).
func portModelBenchmarks() {
    let path = "scenarios/land-port.yaml"
    guard let day = try? ScenarioLoader.load(path: path),
          let fourDays = try? ScenarioLoader.load(path: path, overrides: ["horizon=98h"]) else {
        print("bordersim-bench: cannot load \(path) (run from the repository root)")
        return
    }
    var best = Double.infinity, parties = 0
    for rep in 0..<5 {
        var result: ReplicationResult?
        let t = Bench.seconds {
            // swiftlint:disable:next force_try
            result = try! PortSimulation(config: day.config, seed: day.seed, replication: rep).run()
        }
        if t < best { best = t; parties = result!.partiesArrived }
    }
    let rate = Double(parties) / best
    Bench.value("model-landport", rate, unit: "parties/s", digits: 0)

    // Peak pending state: the party pool and the event queue, which must not grow with the horizon.
    let short = try! PortSimulation(config: day.config, seed: day.seed, replication: 0)
    let long = try! PortSimulation(config: fourDays.config, seed: day.seed, replication: 0)
    let a = short.run(), b = long.run()
    Bench.value("model-landport-peak-parties-1d", Double(short.peakPartiesPresent), unit: "parties", digits: 0)
    Bench.value("model-landport-peak-parties-4d", Double(long.peakPartiesPresent), unit: "parties", digits: 0)
    printTable(["scenario", "parties/replication", "best s (CPU)", "parties/s", "peak parties in port 1 d / 4 d"],
               [[day.name, "\(parties)", fmt(best, 3), fmtMillions(rate), "\(short.peakPartiesPresent) / \(long.peakPartiesPresent)"]])
    _ = (a, b)
}

import Foundation
import ResultsStore
import Scenarios

/// libFuzzer entry point (`make fuzz`): one input is a scenario (YAML bytes), a sweep plan, or a
/// result file (HDF5 bytes), as BORDERSIM_FUZZ says (scenario, plan, results). Every input must
/// be answered with a value or a thrown error: a trap, a leak of the budget or a hang is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    switch FuzzMode.current {
    case .scenario:
        _ = try? ScenarioLoader.parse(data: data, file: "fuzz.yaml", directory: FuzzMode.folder)
    case .plan:
        let path = FuzzMode.write(data, as: "plan.yaml")
        _ = try? SweepPlanLoader.load(path: path)
    case .results:
        let path = FuzzMode.write(data, as: "result.h5")
        _ = try? RunFileReader.contents(of: path)
        _ = try? SweepFileReader.read(path)
    }
    return 0
}

enum FuzzMode: String {
    case scenario, plan, results
    static let current = FuzzMode(rawValue: ProcessInfo.processInfo.environment["BORDERSIM_FUZZ"] ?? "") ?? .scenario
    /// CSV references resolve here: the example scenarios' folder, so `data/*.csv` exist.
    static let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BORDERSIM_FUZZ_DIR"] ?? "scenarios")
    static let scratch = NSTemporaryDirectory() + "bordersim-fuzz-\(getpid())"

    static func write(_ data: Data, as name: String) -> String {
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let path = scratch + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: data)   // a failure shows as a read error
        return path
    }
}

#if !FUZZING
/// Without libFuzzer (a plain build): replays the inputs given as files, e.g. the findings kept in
/// Tests/fuzz/, so `make test` checks that each is answered without a crash.
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("bordersim-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            _ = data.withUnsafeBytes { fuzz($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count) }
            print("ok \(path)")
        }
    }
}
#endif

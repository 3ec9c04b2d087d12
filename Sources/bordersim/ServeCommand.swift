import ArgumentParser
import Dispatch
import Foundation
import Scenarios
import TrainingServer

/// `bordersim serve`: the training page (see Sources/TrainingServer and README.md, "Training").
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the training page: watch the port work, move the policy, see the trade-off.",
        discussion: """
        Opens a local web page (http://HOST:PORT/) where a trainer replays one replication's day \
        at the port and changes the referral threshold, random selection, intelligence quality, \
        advance information, booths, servers and a station outage; each change re-runs the \
        scenario's replications with common random numbers, and the page shows the command \
        `bordersim run … --set … --json` that gives the same numbers. A lesson's prompts are read \
        from NAME.lesson.json beside the scenario. Binds to 127.0.0.1 unless --host says otherwise; \
        nothing is written to disk. Stop it with Ctrl-C.
        """
    )

    @Argument(help: "Scenario file (YAML); default: scenarios/training/risk-targeting.yaml.", completion: yamlFiles)
    var file: String?
    @Option(help: "Port to listen on (0: any free port).") var port: UInt16 = 8080
    @Option(help: "Address to listen on; 0.0.0.0 opens the page to the network (no password).") var host = "127.0.0.1"
    @OptionGroup var counts: ReplicationOptions
    @OptionGroup var settings: OverrideOptions

    func run() throws {
        let path = file ?? "scenarios/training/risk-targeting.yaml"
        guard FileManager.default.fileExists(atPath: path) || file != nil else {
            throw ValidationError("give a scenario file (no \(path) in this folder)")
        }
        var overrides = settings.overrides
        if let r = counts.replications { overrides.insert("replications=\(r)", at: 0) }
        if let s = counts.seed { overrides.insert("seed=\(s)", at: 0) }
        let server: TrainingServer
        do {
            server = try TrainingServer(scenario: path, overrides: overrides, host: host, port: port, workers: counts.threads)
        } catch let error as ScenarioError {
            Tool.report(error)
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("bordersim serve: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if server.chartPath == nil {
            FileHandle.standardError.write(Data(("warning: Chart.js not found (install Debian's libjs-chart.js: `make serve-deps`); "
                + "the page works without its charts\n").utf8))
        }
        let done = DispatchSemaphore(value: 0)
        let host = self.host
        Task {
            do { try await server.run() } catch {
                FileHandle.standardError.write(Data("bordersim serve: cannot listen on \(host):\(port): \(error)\n".utf8))
                Foundation.exit(1)
            }
            done.signal()
        }
        Task {
            try await server.waitUntilListening()
            let bound = await server.port ?? port
            let shown = host.contains(":") ? "[\(host)]" : host
            FileHandle.standardOutput.write(Data("bordersim serve: \(server.lab.path) on http://\(shown):\(bound)/  (Ctrl-C stops)\n".utf8))
        }
        done.wait()
    }
}

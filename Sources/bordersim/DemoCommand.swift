import ArgumentParser
import Dispatch
import Foundation
import KernelExamples
import SimKernel

/// Until the border model lands: an M/M/c queue on the kernel, replicated in parallel and
/// compared with Erlang C, so that a new user sees the kernel work end to end.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the built-in M/M/c example on the event kernel and compare it with Erlang C."
    )

    @Option(help: "Arrivals per minute (λ).") var arrivalRate: Double = 9
    @Option(help: "Services per minute per booth (μ).") var serviceRate: Double = 1
    @Option(help: "Open booths (c).") var booths: Int = 10
    @Option(help: "Simulated minutes per replication.") var horizon: Double = 100_000
    @Option(help: "Minutes discarded at the start of each replication.") var warmUp: Double = 1_000
    @Option(help: "Independent replications.") var replications: Int = 20
    @Option(help: "Master seed.") var seed: UInt64 = 2026

    func validate() throws {
        guard arrivalRate > 0, serviceRate > 0, booths >= 1 else {
            throw ValidationError("rates must be > 0 and booths ≥ 1")
        }
        guard arrivalRate < Double(booths) * serviceRate else {
            throw ValidationError("the queue is unstable: λ must be below booths × μ (\(Double(booths) * serviceRate))")
        }
        guard horizon > warmUp, warmUp >= 0, replications >= 2 else {
            throw ValidationError("need horizon > warm-up ≥ 0 and at least 2 replications")
        }
    }

    func run() throws {
        let p = MMcQueue.Parameters(arrivalRate: arrivalRate, serviceRate: serviceRate,
                                    servers: booths, horizon: horizon, warmUp: warmUp)
        var results = [MMcQueue.Result?](repeating: nil, count: replications)
        let start = Date()
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let out = slots   // each replication writes its own slot
            DispatchQueue.concurrentPerform(iterations: replications) { r in
                out[r] = MMcQueue.run(p, seed: seed, replication: r)
            }
        }
        let elapsed = Date().timeIntervalSince(start)
        let done = results.compactMap { $0 }
        let waits = SampleSummary(done.map(\.meanWait))
        let customers = done.reduce(0) { $0 + $1.arrivals }
        let theory = MMcQueue.erlangCWait(arrivalRate: arrivalRate, serviceRate: serviceRate, servers: booths)
        let ci = waits.confidenceInterval(level: 0.95)
        print("""
        bordersim demo — M/M/\(booths) queue on the event kernel
          arrivals \(arrivalRate)/min, service \(serviceRate)/min per booth, utilisation \
        \(fmt(arrivalRate / (Double(booths) * serviceRate)))
          \(replications) replications × \(fmt(horizon)) min (warm-up \(fmt(warmUp)) min), seed \(seed)
          mean wait in queue: \(fmt(waits.mean)) min, 95% CI [\(fmt(ci.lowerBound)), \(fmt(ci.upperBound))]
          Erlang C theory:    \(fmt(theory)) min — \(ci.contains(theory) ? "inside" : "OUTSIDE") the interval
          simulated \(customers) customers in \(fmt(elapsed)) s on all cores
        """)
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
}

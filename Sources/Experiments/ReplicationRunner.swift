import BorderModel
import Dispatch
import Foundation

/// Runs replications of a port model in parallel. Replication r always uses the streams of
/// (seed, r) and its result lands in slot r, so the results are identical for any number of
/// threads.
public enum ReplicationRunner {
    /// Runs replications `first ..< first + count` on `threads` threads (default: all cores).
    /// `progress` is called (from worker threads, one call at a time) with the number of
    /// replications finished.
    public static func run(_ config: PortConfiguration, seed: UInt64, replications count: Int, first: Int = 0,
                           threads: Int? = nil, observer: ReplicationObserver? = nil,
                           progress: (@Sendable (Int) -> Void)? = nil) throws -> [ReplicationResult] {
        // Validate once, up front, so workers never fail.
        _ = try PortSimulation(config: config, seed: seed, replication: first)
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, count))
        let box = ResultBox(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = box.claim() {
                // swiftlint:disable:next force_try
                let sim = try! PortSimulation(config: config, seed: seed, replication: first + i)
                observer?.willRun(sim, replication: first + i)
                let result = sim.run()
                observer?.didRun(replication: first + i)
                let done = box.store(result, at: i)
                if let progress { box.report(done, to: progress) }
            }
        }
        return box.results()
    }
}

/// Work distribution and result slots shared by the worker threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var finished = 0
    private var slots: [ReplicationResult?]

    private let progressLock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Calls `progress`, one caller at a time.
    func report(_ done: Int, to progress: (Int) -> Void) {
        progressLock.lock(); defer { progressLock.unlock() }
        progress(done)
    }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: ReplicationResult, at i: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[i] = result
        finished += 1
        return finished
    }

    func results() -> [ReplicationResult] { slots.map { $0! } }
}

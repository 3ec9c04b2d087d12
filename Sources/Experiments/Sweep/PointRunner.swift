import BorderModel
import Dispatch
import Foundation

/// Runs the replications of many configurations (sweep points, compared plans) on all cores as
/// one pool of work: unit k is replication k mod n of configuration k / n, claimed in that
/// order, so configurations finish roughly in order and every core stays busy to the end.
/// Replication r of every configuration uses the streams of (seed, r): common random numbers
/// across configurations, and results independent of the thread count.
public enum PointRunner {
    /// Calls `finished(i, results)` once per configuration, as soon as its replications are
    /// done (one call at a time, in completion order; results in replication order). A throw
    /// from `finished` stops the claiming of new work and is rethrown.
    /// `progress(configurationsDone, replicationsDone)` is called from worker threads, one call
    /// at a time (the counts never go back), so it may keep state without a lock of its own.
    public static func run(_ configs: [PortConfiguration], seed: UInt64, replications: Int, threads: Int? = nil,
                           finished: (Int, [ReplicationResult]) throws -> Void,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws {
        guard !configs.isEmpty, replications > 0 else { return }
        // Validate every configuration once, up front, so workers never fail.
        for c in configs { _ = try PortSimulation(config: c, seed: seed, replication: 0) }
        let pool = Pool(configurations: configs.count, replications: replications)
        let units = configs.count * replications
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, units))
        withoutActuallyEscaping(finished) { finished in
            // Called from worker threads, but one call at a time under the pool's lock (`deliver`).
            nonisolated(unsafe) let finished = finished
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let k = pool.claim() {
                    let point = k / replications, replication = k % replications
                    // swiftlint:disable:next force_try
                    let sim = try! PortSimulation(config: configs[point], seed: seed, replication: replication)
                    let result = sim.run()
                    if let done = pool.store(result, point: point, replication: replication) {
                        pool.deliver(point: point, results: done, to: finished)
                    }
                    if let progress { pool.report(to: progress) }
                }
            }
        }
        if let error = pool.error { throw error }
    }
}

/// Work claiming, result slots and the one-at-a-time delivery of finished configurations.
private final class Pool: @unchecked Sendable {
    private let lock = NSLock()
    private let deliveryLock = NSLock()
    private let replications: Int
    private let units: Int
    private var next = 0
    private var slots: [[ReplicationResult?]]
    private var stored: [Int]
    private(set) var pointsDone = 0
    private(set) var replicationsDone = 0
    private(set) var error: Error?

    init(configurations: Int, replications: Int) {
        self.replications = replications
        units = configurations * replications
        slots = Array(repeating: [], count: configurations)
        stored = Array(repeating: 0, count: configurations)
    }

    /// Configurations delivered and replications stored, read together under the lock (ThreadSanitizer
    /// found the two read bare by the progress call while `store` wrote them).
    func counts() -> (points: Int, replications: Int) {
        lock.lock(); defer { lock.unlock() }
        return (pointsDone, replicationsDone)
    }

    private let progressLock = NSLock()

    /// Calls `progress` with the counts, one caller at a time.
    func report(to progress: (Int, Int) -> Void) {
        progressLock.lock(); defer { progressLock.unlock() }
        let (points, done) = counts()
        progress(points, done)
    }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < units, error == nil else { return nil }
        next += 1
        return next - 1
    }

    /// Stores one result; returns the configuration's results when it is complete.
    func store(_ result: ReplicationResult, point: Int, replication: Int) -> [ReplicationResult]? {
        lock.lock(); defer { lock.unlock() }
        if slots[point].isEmpty { slots[point] = Array(repeating: nil, count: replications) }
        slots[point][replication] = result
        stored[point] += 1
        replicationsDone += 1
        guard stored[point] == replications else { return nil }
        let done = slots[point].map { $0! }
        slots[point] = []  // free the results once handed over
        return done
    }

    func deliver(point: Int, results: [ReplicationResult], to finished: (Int, [ReplicationResult]) throws -> Void) {
        deliveryLock.lock(); defer { deliveryLock.unlock() }
        guard error == nil else { return }
        do { try finished(point, results) } catch {
            lock.lock(); self.error = error; lock.unlock()
            return
        }
        lock.lock(); pointsDone += 1; lock.unlock()
    }
}

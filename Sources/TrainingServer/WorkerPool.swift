import BorderModel
import Foundation

/// A fixed number of threads that run replications for all requests together, so a burst of
/// clients never runs more simulations at once than there are workers (the server's own tasks
/// stay free to answer). A request is a job of `count` replications; workers take replications
/// from the oldest job first, so one job finishes as soon as possible, and a cancelled job's
/// remaining replications are skipped.
final class WorkerPool: @unchecked Sendable {
    let width: Int
    let maxJobs: Int
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var running = 0
    private(set) var peakRunning = 0
    private(set) var replicationsRun = 0

    init(width: Int, maxJobs: Int) {
        self.width = max(1, width)
        self.maxJobs = maxJobs
        for i in 0..<self.width {
            let thread = Thread { [unowned self] in self.work() }
            thread.name = "bordersim-worker-\(i)"
            thread.start()
        }
    }

    /// Runs `work(i)` for i in 0..<count on the workers; the results in order of i. Throws
    /// `Superseded` when the token is cancelled first, `Busy` when too many jobs wait.
    func run(count: Int, token: CancelToken, _ work: @escaping @Sendable (Int) -> ReplicationResult) async throws -> [ReplicationResult] {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(count: count, token: token, work: work, continuation: continuation)
            condition.lock()
            guard jobs.count < maxJobs else {
                condition.unlock()
                continuation.resume(throwing: Busy())
                return
            }
            jobs.append(job)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Peak simultaneous simulations and replications run so far (for /api/status and the tests).
    var statistics: (peak: Int, replications: Int, queued: Int) {
        condition.lock(); defer { condition.unlock() }
        return (peakRunning, replicationsRun, jobs.count)
    }

    private func work() {
        while true {
            condition.lock()
            var claimed: (Job, Int)?
            while claimed == nil {
                // Cancelled jobs leave the queue (answered once their running replications end).
                for job in jobs where job.token.isCancelled && !job.answered && job.inFlight == 0 { job.finish() }
                jobs.removeAll { $0.answered || ($0.token.isCancelled && $0.inFlight == 0) }
                if let job = jobs.first(where: { !$0.token.isCancelled && $0.next < $0.count }) {
                    claimed = (job, job.next)
                    job.next += 1
                    job.inFlight += 1
                } else {
                    condition.wait()
                }
            }
            running += 1
            peakRunning = max(peakRunning, running)
            condition.unlock()

            let (job, i) = claimed!
            let result = job.work(i)

            condition.lock()
            running -= 1
            replicationsRun += 1
            job.inFlight -= 1
            job.results[i] = result
            job.done += 1
            if job.done == job.count || (job.token.isCancelled && job.inFlight == 0) { job.finish() }
            condition.broadcast()
            condition.unlock()
        }
    }

    /// One request's replications; guarded by the pool's lock.
    private final class Job {
        let count: Int
        let token: CancelToken
        let work: @Sendable (Int) -> ReplicationResult
        let continuation: CheckedContinuation<[ReplicationResult], Error>
        var next = 0, done = 0, inFlight = 0
        var results: [ReplicationResult?]
        var answered = false

        init(count: Int, token: CancelToken, work: @escaping @Sendable (Int) -> ReplicationResult,
             continuation: CheckedContinuation<[ReplicationResult], Error>) {
            self.count = count; self.token = token; self.work = work; self.continuation = continuation
            results = Array(repeating: nil, count: count)
        }

        func finish() {
            guard !answered else { return }
            answered = true
            if done == count { continuation.resume(returning: results.map { $0! }) }
            else { continuation.resume(throwing: Superseded()) }
        }
    }
}

/// Too many requests waiting: answered with 503 (try again).
struct Busy: Error {}
/// A newer request from the same page replaced this one: answered with 409.
struct Superseded: Error {}

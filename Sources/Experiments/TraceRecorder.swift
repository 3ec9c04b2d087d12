import BorderModel
import Foundation
import ResultsStore

/// Something that watches each replication: told before it runs (to attach callbacks) and
/// after it finished. Called from the worker threads.
public protocol ReplicationObserver: AnyObject, Sendable {
    func willRun(_ simulation: PortSimulation, replication: Int)
    func didRun(replication: Int)
}

/// Streams the per-party trace of replications running in parallel into /trace, in chunks, in
/// replication order: the lowest unfinished replication writes as it goes (and reuses its
/// chunk), later ones hold their chunks until it is their turn. So the file is the same for any
/// number of threads, and memory holds at most the chunks of replications running ahead.
public final class TraceRecorder: ReplicationObserver, @unchecked Sendable {
    private let writer: TraceTableWriter
    private let chunkRows: Int
    private let lock = NSLock()
    private var head: Int
    private var pending: [Int: [Chunk]] = [:]
    private var finished: Set<Int> = []
    private var running: [Int: ReplicationTrace] = [:]
    /// The first write failure; later chunks are dropped.
    public private(set) var error: Error?

    typealias Chunk = (parties: PartyRows, visits: VisitRows)

    public init(writer: TraceTableWriter, firstReplication: Int = 0, chunkRows: Int = 65_536) {
        self.writer = writer
        self.head = firstReplication
        self.chunkRows = chunkRows
    }

    public func willRun(_ simulation: PortSimulation, replication: Int) {
        let trace = ReplicationTrace(replication: replication, chunkRows: chunkRows, recorder: self)
        lock.lock(); running[replication] = trace; lock.unlock()
        simulation.trace = trace.record
    }

    public func didRun(replication: Int) {
        lock.lock()
        let trace = running.removeValue(forKey: replication)
        lock.unlock()
        trace?.flush()
        lock.lock(); defer { lock.unlock() }
        finished.insert(replication)
        while finished.contains(head) {
            finished.remove(head)
            head += 1
            for chunk in pending.removeValue(forKey: head) ?? [] { write(chunk) }
        }
    }

    /// Takes a full (or final) chunk. Returns true when it was written at once, so the caller
    /// may refill the same buffers; false when it is kept for later.
    fileprivate func handOver(_ chunk: Chunk, replication: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if replication == head { write(chunk); return true }
        pending[replication, default: []].append(chunk)
        return false
    }

    /// Called with the lock held: HDF5 (serial build) sees one writer at a time.
    private func write(_ chunk: Chunk) {
        guard error == nil else { return }
        do {
            try writer.append(chunk.parties)
            try writer.append(chunk.visits)
        } catch {
            self.error = error
        }
    }
}

/// One replication's rows not yet handed over: filled on the simulation's thread.
private final class ReplicationTrace {
    let replication: Int32
    let chunkRows: Int
    unowned let recorder: TraceRecorder
    // Touched only on this replication's thread (per party): no dynamic exclusivity checks.
    @exclusivity(unchecked) var parties: PartyRows
    @exclusivity(unchecked) var visits = VisitRows()
    @exclusivity(unchecked) var nextParty: Int64 = 0
    /// Rows filled in `parties` (its `count` is set when the chunk is handed over: a write to
    /// another module's class property would be checked for exclusivity on every party).
    @exclusivity(unchecked) var filled = 0

    init(replication: Int, chunkRows: Int, recorder: TraceRecorder) {
        self.replication = Int32(replication)
        self.chunkRows = chunkRows
        self.recorder = recorder
        parties = PartyRows(capacity: chunkRows)
    }

    func record(_ t: PartyTrace) {
        let p = parties, n = filled, row = nextParty
        nextParty += 1
        p.replication[n] = replication; p.party[n] = row; p.classIndex[n] = Int32(t.classIndex)
        p.lane[n] = Int32(t.lane); p.booth[n] = Int32(t.booth); p.violation[n] = Int32(t.violation)
        p.trusted[n] = t.trusted ? 1 : 0; p.advanceInfo[n] = t.advanceInfo ? 1 : 0
        p.referred[n] = t.referred ? 1 : 0; p.detected[n] = t.detected ? 1 : 0
        p.outcome[n] = t.outcome == .departed ? 0 : t.outcome == .balked ? 1 : 2
        p.stationVisits[n] = Int32(t.stations.count); p.riskScore[n] = t.riskScore
        p.arrival[n] = t.arrival; p.queueEntry[n] = t.queueEntry ?? .nan
        p.serviceStart[n] = t.serviceStart ?? .nan; p.serviceEnd[n] = t.serviceEnd ?? .nan; p.exit[n] = t.exit
        filled = n + 1
        for v in t.stations { visits.append(v, replication: replication, row: row) }
        if filled == p.capacity { flush() }
    }

    func flush() {
        parties.count = filled
        filled = 0
        if recorder.handOver((parties, visits), replication: Int(replication)) {
            parties.count = 0
            visits.removeAll()
        } else {
            parties = PartyRows(capacity: chunkRows)
            visits = VisitRows()
        }
    }
}

extension VisitRows {
    mutating func append(_ v: StationVisit, replication: Int32, row: Int64) {
        self.replication.append(replication); party.append(row); station.append(Int32(v.station))
        entered.append(v.entered); started.append(v.started); ended.append(v.ended); alarm.append(v.alarm ? 1 : 0)
    }

    mutating func removeAll() {
        replication.removeAll(keepingCapacity: true); party.removeAll(keepingCapacity: true)
        station.removeAll(keepingCapacity: true); entered.removeAll(keepingCapacity: true)
        started.removeAll(keepingCapacity: true); ended.removeAll(keepingCapacity: true)
        alarm.removeAll(keepingCapacity: true)
    }
}

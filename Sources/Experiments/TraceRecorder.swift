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
/// replication order: the lowest unfinished replication writes as it goes, later ones hold
/// their chunks until it is their turn. So the file is the same for any number of threads, and
/// memory holds at most the chunks of replications running ahead.
public final class TraceRecorder: ReplicationObserver, @unchecked Sendable {
    private let writer: TraceTableWriter
    private let chunkRows: Int
    private let lock = NSLock()
    private var head: Int
    private var pending: [Int: [(PartyRows, VisitRows)]] = [:]
    private var finished: Set<Int> = []
    private var buffers: [Int: Buffer] = [:]
    /// The first write failure; later chunks are dropped.
    public private(set) var error: Error?

    /// One replication's rows not yet handed over.
    private final class Buffer {
        var parties = PartyRows()
        var visits = VisitRows()
        var nextParty: Int64 = 0
    }

    public init(writer: TraceTableWriter, firstReplication: Int = 0, chunkRows: Int = 65_536) {
        self.writer = writer
        self.head = firstReplication
        self.chunkRows = chunkRows
    }

    public func willRun(_ simulation: PortSimulation, replication: Int) {
        let buffer = Buffer()
        buffer.parties.reserve(chunkRows)
        lock.lock(); buffers[replication] = buffer; lock.unlock()
        let rep = Int32(replication)
        simulation.trace = { [unowned self] t in
            let row = buffer.nextParty
            buffer.nextParty += 1
            buffer.parties.append(t, replication: rep, row: row)
            for v in t.stations { buffer.visits.append(v, replication: rep, row: row) }
            if buffer.parties.count >= self.chunkRows { self.handOver(buffer, replication: replication) }
        }
    }

    public func didRun(replication: Int) {
        lock.lock()
        let buffer = buffers.removeValue(forKey: replication)
        lock.unlock()
        if let buffer { handOver(buffer, replication: replication) }
        lock.lock(); defer { lock.unlock() }
        finished.insert(replication)
        while finished.contains(head) {
            finished.remove(head)
            head += 1
            for chunk in pending.removeValue(forKey: head) ?? [] { write(chunk) }
        }
    }

    private func handOver(_ buffer: Buffer, replication: Int) {
        let chunk = (buffer.parties, buffer.visits)
        buffer.parties = PartyRows()
        buffer.parties.reserve(chunkRows)
        buffer.visits = VisitRows()
        lock.lock(); defer { lock.unlock() }
        if replication == head { write(chunk) } else { pending[replication, default: []].append(chunk) }
    }

    /// Called with the lock held: HDF5 (serial build) sees one writer at a time.
    private func write(_ chunk: (PartyRows, VisitRows)) {
        guard error == nil else { return }
        do {
            try writer.append(chunk.0)
            try writer.append(chunk.1)
        } catch {
            self.error = error
        }
    }
}

extension PartyRows {
    mutating func append(_ t: PartyTrace, replication: Int32, row: Int64) {
        self.replication.append(replication); party.append(row); classIndex.append(Int32(t.classIndex))
        lane.append(Int32(t.lane)); booth.append(Int32(t.booth)); violation.append(Int32(t.violation))
        trusted.append(t.trusted ? 1 : 0); advanceInfo.append(t.advanceInfo ? 1 : 0)
        referred.append(t.referred ? 1 : 0); detected.append(t.detected ? 1 : 0)
        outcome.append(t.outcome == .departed ? 0 : t.outcome == .balked ? 1 : 2)
        stationVisits.append(Int32(t.stations.count)); riskScore.append(t.riskScore)
        arrival.append(t.arrival); queueEntry.append(t.queueEntry ?? .nan)
        serviceStart.append(t.serviceStart ?? .nan); serviceEnd.append(t.serviceEnd ?? .nan); exit.append(t.exit)
    }
}

extension VisitRows {
    mutating func append(_ v: StationVisit, replication: Int32, row: Int64) {
        self.replication.append(replication); party.append(row); station.append(Int32(v.station))
        entered.append(v.entered); started.append(v.started); ended.append(v.ended); alarm.append(v.alarm ? 1 : 0)
    }
}

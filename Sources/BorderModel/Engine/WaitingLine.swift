import SimKernel

/// The order in which a queue serves its waiting parties.
enum QueueDiscipline: Equatable {
    /// First come, first served within each priority level, levels served highest first
    /// (non-preemptive priority by class). One level is plain FIFO.
    case priorityFIFO(levels: Int)
    /// Highest risk score first; equal scores in arrival order.
    case highestRiskFirst
}

/// The parties waiting at a lane or a station, in the order its discipline serves them.
/// One small interface — `enqueue`, `dequeue`, `count` — whatever the discipline:
/// - priority FIFO: a ring buffer per level, O(1) both ways (O(levels) to find the first
///   non-empty level, and there are few);
/// - highest risk first: a binary max-heap on (score, −arrival order), O(log n).
struct WaitingLine {
    let discipline: QueueDiscipline
    /// Level 0 (the highest, and with one level the only one) apart from the others, so that a
    /// plain FIFO line touches one ring buffer and no array of them.
    private var first: RingBuffer<PartyID>
    private var lower: [RingBuffer<PartyID>]
    private let byScore: Bool
    private var byRisk = RiskHeap()
    /// Entries held (a lane also holds parties that reneged, until they are reached).
    private(set) var count = 0

    init(_ discipline: QueueDiscipline, capacity: Int) {
        self.discipline = discipline
        switch discipline {
        case .priorityFIFO(let n):
            first = RingBuffer(capacity: capacity)
            lower = (1..<max(1, n)).map { _ in RingBuffer(capacity: capacity) }
            byScore = false
        case .highestRiskFirst:
            first = RingBuffer(capacity: 1)
            lower = []
            byScore = true
        }
    }

    var isEmpty: Bool { count == 0 }

    /// `level` 0 is the highest priority; `score` orders a highest-risk-first line.
    @inline(__always)
    mutating func enqueue(_ id: PartyID, level: Int, score: Double) {
        count += 1
        if byScore {
            byRisk.push(id, score: score)
        } else if level == 0 {
            first.append(id)
        } else {
            lower[level - 1].append(id)
        }
    }

    /// The next party to serve, removed from the line.
    @inline(__always)
    mutating func dequeue() -> PartyID? {
        guard count > 0 else { return nil }
        count -= 1
        if byScore { return byRisk.pop() }
        if !first.isEmpty { return first.removeFirst() }
        var l = 0
        while lower[l].isEmpty { l += 1 }
        return lower[l].removeFirst()
    }
}

/// A binary max-heap on (score, −order): highest score first, ties in arrival order.
struct RiskHeap {
    private var items: [(score: Double, order: Int, party: PartyID)] = []
    private var counter = 0
    var count: Int { items.count }

    private func above(_ a: Int, _ b: Int) -> Bool {
        items[a].score > items[b].score || (items[a].score == items[b].score && items[a].order < items[b].order)
    }

    mutating func push(_ party: PartyID, score: Double) {
        counter += 1
        items.append((score, counter, party))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if !above(i, p) { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> PartyID? {
        guard !items.isEmpty else { return nil }
        let top = items[0].party
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count, above(l, m) { m = l }
                if r < items.count, above(r, m) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}

import SimKernel

/// A lane while the model runs: its queue and its booths.
struct LaneState {
    /// Party ids in arrival order; parties that reneged stay listed (marked `gone`) until reached.
    var queue = RingBuffer<Int32>(capacity: 256)
    /// Parties really waiting (the queue less those who reneged).
    var waiting = 0
    /// The party at each booth, or -1.
    var boothParty: [Int32]
    var busy = 0
    /// Booths staffed and open now: booths 0..<open take parties; a busy booth at or beyond
    /// `open` is closing and finishes its party first.
    var open = 0

    init(booths: Int) { boothParty = Array(repeating: -1, count: booths) }

    /// An idle open booth, if any.
    func idleOpenBooth() -> Int? {
        var b = 0
        while b < open {
            if boothParty[b] < 0 { return b }
            b += 1
        }
        return nil
    }

    /// Parties ahead per open booth: what a driver choosing the shortest queue compares.
    var load: Double { Double(waiting + busy) / Double(max(open, 1)) }
}

/// A secondary station while the model runs.
struct StationState {
    var fifo = RingBuffer<Int32>(capacity: 64)
    /// Highest risk first: (score, arrival order) kept sorted by a binary heap.
    var byRisk = RiskQueue()
    var waiting = 0
    var serverParty: [Int32]
    var busy = 0
    var open = 0
    var down = false

    init(servers: Int) { serverParty = Array(repeating: -1, count: servers) }

    func idleOpenServer() -> Int? {
        if down { return nil }
        var s = 0
        while s < open {
            if serverParty[s] < 0 { return s }
            s += 1
        }
        return nil
    }
}

/// Parties waiting at a highest-risk-first station: a binary max-heap on (score, −order).
struct RiskQueue {
    private var items: [(score: Double, order: Int, party: Int32)] = []
    private var counter = 0
    var count: Int { items.count }

    private func above(_ a: Int, _ b: Int) -> Bool {
        items[a].score > items[b].score || (items[a].score == items[b].score && items[a].order < items[b].order)
    }

    mutating func push(_ party: Int32, score: Double) {
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

    mutating func pop() -> Int32? {
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

/// The pending-event set: a 4-ary min-heap of compact records in one unsafe buffer.
///
/// Records are ordered by (time, priority, insertion sequence), so the order of simultaneous
/// events is fully determined. Complexity, with n pending events:
/// - `push`: O(log₄ n) moves; amortised O(1) allocation (the buffer doubles; none in steady state).
/// - `popMin`: O(4 log₄ n) comparisons. Removal is deferred: the popped record stays at the
///   root until the next push *replaces* it (one sift-down instead of a sift-down and a
///   sift-up — the common "fire one, schedule one" step) or the next pop removes it.
/// - `cancel`: O(1). The record is marked through its slot and discarded when it surfaces,
///   so no scan and no heap repair; only events scheduled as cancellable take a slot.
///
/// A 4-ary heap halves the depth of a binary heap and keeps a node's children in two cache
/// lines; the benchmark (`make bench`) compares it with swift-collections' `Heap` and
/// C++ `std::priority_queue`.
///
/// Performance notes (measured with `make bench`, hold model):
/// - The hot entry points are `@inline(always)`: Swift 6.3 treats `@inline(__always)` as a
///   hint, and its cost model declined to inline `push`/`popMin` into callers' loops.
/// - Sift-down is bottom-up (Floyd) with a branch-free tournament among the four children.
/// - Time is kept as an order-preserving `UInt64` key, so every comparison is on integers.
public struct EventQueue<Event>: ~Copyable {
    @frozen @usableFromInline
    struct Record {
        /// The time's bits, mapped so that unsigned integer order is `Double` order
        /// (see `key(_:)`): comparisons are integer compares and conditional moves.
        @usableFromInline var key: UInt64
        /// Priority in the top 8 bits, insertion sequence in the low 56.
        @usableFromInline var order: UInt64
        /// Cancellation slot, or `Record.noSlot`.
        @usableFromInline var slot: UInt32
        @usableFromInline var event: Event

        @usableFromInline static var noSlot: UInt32 { .max }
        /// Grandchildren are touched ahead (see `siftDown`) only from this index on: above it,
        /// the heap is in the first-level caches anyway and the loads would only cost.
        @inlinable static var prefetchFrom: Int { 1 << 11 }
        /// Any fixed value will do (see `siftDown`).
        @inlinable static var unlikelyKeyXor: UInt64 { 0x9E37_79B9_7F4A_7C15 }

        @inlinable @inline(always)
        init(time: Double, order: UInt64, slot: UInt32, event: Event) {
            self.key = Record.key(time); self.order = order; self.slot = slot; self.event = event
        }

        @inlinable @inline(always)
        var time: Double { Record.time(key) }

        /// Order-preserving map from Double to UInt64: flip the sign bit of non-negative
        /// values, all bits of negative ones. `+ 0` first turns −0 into +0 (they are equal
        /// times, so they must tie and fall back to the sequence).
        @inlinable @inline(always)
        static func key(_ time: Double) -> UInt64 {
            let bits = (time + 0).bitPattern
            return bits ^ (UInt64(bitPattern: Int64(bitPattern: bits) >> 63) | (1 << 63))
        }

        @inlinable @inline(always)
        static func time(_ key: UInt64) -> Double {
            Double(bitPattern: key ^ (UInt64(bitPattern: Int64(bitPattern: ~key) >> 63) | (1 << 63)))
        }

        /// (time, order) lexicographic, as flag arithmetic rather than `||`, `&&` or `?:`,
        /// which LLVM turns into branches: which child is smallest is a coin toss for the
        /// branch predictor, and a mispredict costs more than the whole comparison.
        @inlinable @inline(always)
        static func precedes(_ ka: UInt64, _ oa: UInt64, _ kb: UInt64, _ ob: UInt64) -> Bool {
            ((ka < kb).bit | ((ka == kb).bit & (oa < ob).bit)) != 0
        }

        /// `b` if `pick`, else `a`, by masking (no branch).
        @inlinable @inline(always)
        static func choose(_ pick: Bool, _ a: UInt64, _ b: UInt64) -> UInt64 {
            a ^ ((a ^ b) & (0 &- UInt64(pick.bit)))
        }

        @inlinable @inline(always)
        func precedes(_ other: Record) -> Bool {
            Record.precedes(key, order, other.key, other.order)
        }
    }

    @usableFromInline var heap: UnsafeMutablePointer<Record>
    @usableFromInline var capacity: Int
    /// Records in the heap, including a fired root whose removal is deferred.
    @usableFromInline var stored: Int = 0
    /// True when the root has been handed out by `popMin` and awaits removal.
    @usableFromInline var rootFired = false
    @usableFromInline var sequence: UInt64 = 0
    @usableFromInline var slots: CancellationSlots

    public init(capacity: Int = 1024) {
        self.capacity = Swift.max(capacity, 4)
        heap = EventQueue.allocate(self.capacity)
        slots = CancellationSlots()
    }

    deinit {
        heap.deinitialize(count: stored)
        EventQueue.deallocate(heap)
    }

    /// Where the root sits past a 64-byte boundary. Chosen so that a node's four children
    /// (`4i+1...4i+4`) never straddle more cache lines than they must: with the usual 24-byte
    /// record, 8 puts every group of four in exactly two lines (instead of three for half of
    /// them) and every group of sixteen grandchildren in exactly six. Otherwise: child 1 on a
    /// line boundary.
    @inlinable static var rootOffset: Int {
        let stride = MemoryLayout<Record>.stride
        return stride == 24 ? 8 : (64 - stride % 64) % 64
    }

    @usableFromInline
    static func allocate(_ capacity: Int) -> UnsafeMutablePointer<Record> {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: rootOffset + capacity * MemoryLayout<Record>.stride,
            alignment: Swift.max(64, MemoryLayout<Record>.alignment))
        return (raw + rootOffset).bindMemory(to: Record.self, capacity: capacity)
    }

    @usableFromInline
    static func deallocate(_ heap: UnsafeMutablePointer<Record>) {
        (UnsafeMutableRawPointer(heap) - rootOffset).deallocate()
    }

    /// Events still to fire (cancelled ones not yet discarded are counted until they surface).
    @inlinable public var count: Int { stored - (rootFired ? 1 : 0) }
    @inlinable public var isEmpty: Bool { count == 0 }

    /// Schedules `event` at `time`.
    @inlinable @inline(always)
    public mutating func push(_ event: Event, at time: Double, priority: EventPriority = .normal) {
        insert(Record(time: time, order: nextOrder(priority), slot: Record.noSlot, event: event))
    }

    /// Schedules `event` at `time` and returns a handle that can cancel it.
    @inlinable
    public mutating func pushCancellable(_ event: Event, at time: Double,
                                         priority: EventPriority = .normal) -> EventHandle {
        let handle = slots.acquire()
        insert(Record(time: time, order: nextOrder(priority), slot: handle.slot, event: event))
        return handle
    }

    /// Cancels a pending event. Returns false (and does nothing) if it already fired,
    /// was already cancelled, or the handle is unknown.
    @inlinable @discardableResult
    public mutating func cancel(_ handle: EventHandle) -> Bool {
        slots.cancel(handle)
    }

    /// Removes and returns the earliest live event, unless it is due after `limit`
    /// (then it stays pending and the result is nil).
    @inlinable @inline(always)
    public mutating func popMin(notAfter limit: Double = .infinity) -> (time: Double, event: Event)? {
        guard let time = peekTime(), time <= limit else { return nil }
        let root = heap[0]
        if _slowPath(root.slot != Record.noSlot) { slots.release(root.slot) }
        rootFired = true
        return (time, root.event)
    }

    /// Time of the earliest live event, or nil. Discards cancelled events on the way.
    @inlinable @inline(always)
    public mutating func peekTime() -> Double? {
        if rootFired { removeRoot() }
        guard stored > 0 else { return nil }
        if _fastPath(heap[0].slot == Record.noSlot) { return heap[0].time }
        return peekTimeDiscardingCancelled()
    }

    // MARK: heap internals

    /// `peekTime` when the root is cancellable: release and drop cancelled roots.
    @usableFromInline
    mutating func peekTimeDiscardingCancelled() -> Double? {
        while stored > 0 {
            let slot = heap[0].slot
            if slot == Record.noSlot || !slots.isCancelled(slot) { return heap[0].time }
            slots.release(slot)
            removeRoot()
        }
        return nil
    }

    @inlinable @inline(always)
    mutating func nextOrder(_ priority: EventPriority) -> UInt64 {
        sequence &+= 1
        return UInt64(priority.rawValue) << 56 | (sequence & 0x00FF_FFFF_FFFF_FFFF)
    }

    @inlinable @inline(always)
    mutating func insert(_ record: Record) {
        if rootFired {
            // The fired root's place is free: put the new record there and sift it down.
            rootFired = false
            replaceRoot(with: record)
            return
        }
        if _slowPath(stored == capacity) { grow() }
        siftUp(record, from: stored)
        stored += 1
    }

    @inlinable
    mutating func removeRoot() {
        rootFired = false
        stored -= 1
        if stored == 0 {
            heap.deinitialize(count: 1)
            return
        }
        replaceRoot(with: (heap + stored).move())
    }

    /// Puts `record` in place of the (dead) root, `stored` records in all. Small heaps — a
    /// root and at most four leaves, as in a queue with a few servers — take one inline step;
    /// bigger ones the full sift-down.
    @inlinable @inline(always)
    func replaceRoot(with record: Record) {
        let n = stored
        if n > 5 {
            siftDown(record, from: 0, count: n, replacing: true)
            return
        }
        heap.deinitialize(count: 1)
        var best = 1
        var child = 2
        while child < n {
            if heap[child].precedes(heap[best]) { best = child }
            child &+= 1
        }
        if best < n && heap[best].precedes(record) {
            heap.initialize(to: (heap + best).move())
            (heap + best).initialize(to: record)
        } else {
            heap.initialize(to: record)
        }
    }

    @inlinable @inline(always)
    func siftUp(_ record: Record, from start: Int) {
        var hole = start
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            if !record.precedes(heap[parent]) { break }
            (heap + hole).initialize(to: (heap + parent).move())
            hole = parent
        }
        (heap + hole).initialize(to: record)
    }

    /// Places `record` at `start` (whose old content is discarded when `replacing`) and
    /// restores heap order below it, bottom-up (Floyd): the hole first descends to a leaf
    /// along the smallest children — 3 comparisons per level in a branch-free tournament,
    /// none against `record` — and `record` then sifts up from there. A record arriving at
    /// the root is usually a late one (now + delay, or the former last leaf), so the way back
    /// up is short, and the descent never waits on a mispredicted branch.
    @inlinable
    func siftDown(_ record: Record, from start: Int, count n: Int, replacing: Bool) {
        if replacing { (heap + start).deinitialize(count: 1) }
        var hole = start
        // Nodes with all four children: a tournament on keys loaded once.
        while true {
            let first = hole &* 4 &+ 1
            if first &+ 3 >= n { break }
            let c = heap + first
            // Equal times are rare, so the order field is read only on a tie (a branch that
            // is almost never taken, hence well predicted); otherwise keys alone decide.
            let k0 = c[0].key, k1 = c[1].key, k2 = c[2].key, k3 = c[3].key
            // Deep in a big heap the next level's children are cache misses, and a branch-free
            // descent cannot run ahead to them. So touch all 16 grandchildren (six cache lines)
            // now, while this level is being decided: by the time the next level is known,
            // its children are on their way. Swift has no prefetch, so the loads are real and
            // feed a branch that is never taken in practice (the keys' xor would have to hit
            // one 64-bit value); the branch's body is the exact comparison, so it stays correct.
            var touch: UInt64 = 0
            let g = first &* 4 &+ 1
            if g &+ 15 < n && g >= Record.prefetchFrom {
                let gc = heap + g
                // One record per line for 24-byte records at `rootOffset`.
                touch = gc[0].key ^ gc[3].key ^ gc[6].key ^ gc[8].key ^ gc[11].key ^ gc[14].key
            }
            var a = k1 < k0
            if _slowPath(k1 == k0 || touch == Record.unlikelyKeyXor) {
                a = Record.precedes(k1, c[1].order, k0, c[0].order)
            }
            var b = k3 < k2
            if _slowPath(k3 == k2) { b = c[3].order < c[2].order }
            let ia = Int(a.bit), ib = 2 &+ Int(b.bit)
            let ka = Record.choose(a, k0, k1), kb = Record.choose(b, k2, k3)
            var w = kb < ka
            if _slowPath(kb == ka) { w = c[ib].order < c[ia].order }
            let offset = Int(Record.choose(w, UInt64(ia), UInt64(ib)))
            let best = first &+ offset
            // A record that precedes all of `start`'s children stays there: one extra test,
            // and the early events of small and medium heaps skip the trip down and back up.
            if hole == start && record.precedes(heap[best]) {
                (heap + hole).initialize(to: record)
                return
            }
            (heap + hole).initialize(to: (heap + best).move())
            hole = best
        }
        // At most one node has one to three children.
        let first = hole &* 4 &+ 1
        if first < n {
            var best = first
            var child = first &+ 1
            while child < n {
                if heap[child].precedes(heap[best]) { best = child }
                child &+= 1
            }
            (heap + hole).initialize(to: (heap + best).move())
            hole = best
        }
        // Back up from the leaf, no higher than `start`.
        while hole > start {
            let parent = (hole &- 1) >> 2
            if !record.precedes(heap[parent]) { break }
            (heap + hole).initialize(to: (heap + parent).move())
            hole = parent
        }
        (heap + hole).initialize(to: record)
    }

    @usableFromInline
    mutating func grow() {
        let bigger = EventQueue.allocate(capacity * 2)
        bigger.moveInitialize(from: heap, count: stored)
        EventQueue.deallocate(heap)
        heap = bigger
        capacity *= 2
    }
}

extension Bool {
    /// 1 or 0, without a branch (a Bool is one byte holding 0 or 1).
    @inlinable @inline(always)
    var bit: UInt8 { unsafeBitCast(self, to: UInt8.self) }
}

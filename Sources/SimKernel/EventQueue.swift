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
public struct EventQueue<Event>: ~Copyable {
    @frozen @usableFromInline
    struct Record {
        @usableFromInline var time: Double
        /// Priority in the top 8 bits, insertion sequence in the low 56.
        @usableFromInline var order: UInt64
        /// Cancellation slot, or `Record.noSlot`.
        @usableFromInline var slot: UInt32
        @usableFromInline var event: Event

        @usableFromInline static var noSlot: UInt32 { .max }

        @inlinable init(time: Double, order: UInt64, slot: UInt32, event: Event) {
            self.time = time; self.order = order; self.slot = slot; self.event = event
        }

        @inlinable @inline(__always)
        func precedes(_ other: Record) -> Bool {
            time < other.time || (time == other.time && order < other.order)
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
        heap = .allocate(capacity: self.capacity)
        slots = CancellationSlots()
    }

    deinit {
        heap.deinitialize(count: stored)
        heap.deallocate()
    }

    /// Events still to fire (cancelled ones not yet discarded are counted until they surface).
    @inlinable public var count: Int { stored - (rootFired ? 1 : 0) }
    @inlinable public var isEmpty: Bool { count == 0 }

    /// Schedules `event` at `time`.
    @inlinable @inline(__always)
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
    @inlinable @inline(__always)
    public mutating func popMin(notAfter limit: Double = .infinity) -> (time: Double, event: Event)? {
        guard let time = peekTime(), time <= limit else { return nil }
        let root = heap[0]
        if root.slot != Record.noSlot { slots.release(root.slot) }
        rootFired = true
        return (time, root.event)
    }

    /// Time of the earliest live event, or nil. Discards cancelled events on the way.
    @inlinable @inline(__always)
    public mutating func peekTime() -> Double? {
        if rootFired { removeRoot() }
        while stored > 0 {
            let slot = heap[0].slot
            if slot == Record.noSlot || !slots.isCancelled(slot) { return heap[0].time }
            slots.release(slot)
            removeRoot()
        }
        return nil
    }

    // MARK: heap internals

    @inlinable @inline(__always)
    mutating func nextOrder(_ priority: EventPriority) -> UInt64 {
        sequence &+= 1
        return UInt64(priority.rawValue) << 56 | (sequence & 0x00FF_FFFF_FFFF_FFFF)
    }

    @inlinable @inline(__always)
    mutating func insert(_ record: Record) {
        if rootFired {
            // The fired root's place is free: put the new record there and sift it down.
            rootFired = false
            siftDown(record, from: 0, count: stored, replacing: true)
            return
        }
        if stored == capacity { grow() }
        siftUp(record, from: stored)
        stored += 1
    }

    @inlinable @inline(__always)
    mutating func removeRoot() {
        rootFired = false
        stored -= 1
        if stored == 0 {
            heap.deinitialize(count: 1)
            return
        }
        let last = (heap + stored).move()
        siftDown(last, from: 0, count: stored, replacing: true)
    }

    @inlinable @inline(__always)
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
    /// sifts it down among `count` records.
    @inlinable @inline(__always)
    func siftDown(_ record: Record, from start: Int, count n: Int, replacing: Bool) {
        if replacing { (heap + start).deinitialize(count: 1) }
        var hole = start
        while true {
            let first = hole &* 4 &+ 1
            if first >= n { break }
            var best = first
            let end = Swift.min(first &+ 4, n)
            var child = first &+ 1
            while child < end {
                if heap[child].precedes(heap[best]) { best = child }
                child &+= 1
            }
            if !heap[best].precedes(record) { break }
            (heap + hole).initialize(to: (heap + best).move())
            hole = best
        }
        (heap + hole).initialize(to: record)
    }

    @usableFromInline
    mutating func grow() {
        let bigger = UnsafeMutablePointer<Record>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: heap, count: stored)
        heap.deallocate()
        heap = bigger
        capacity *= 2
    }
}
